"""Whom a court filing names: its own people, not the parties of the cases it cites, the
entries of its table of contents or a name with a footnote mark."""

from pathlib import Path

from ingest.loaders import parse_document
from ingest.people import FullNames, canonical, clean_name, longest_first, mention_counts

FILING = (
    "TABLE OF CONTENTS\n"
    "A. Common Questions Will Predominate ........................................ 19\n"
    "B. Superiority Is Satisfied ........................................ 22\n"
    "Plaintiff Maria Delgado sued Harbor Savings Bank, N.A. over escrow interest. Maria "
    "Delgado paid into her escrow account for six years, and Harbor Savings Bank kept the "
    "interest.\n"
    "Common questions predominate. See Amgen Inc. v. Conn. Ret. Plans & Tr. Funds, 568 U.S. "
    "455, 460 (2013); Tyson Foods, Inc. v. Bouaphakeo, 577 U.S. 442, 453 (2016); Tyson Foods, "
    "577 U.S. at 455.\n"
)


def test_a_filing_names_its_parties_not_the_cited_cases_or_its_contents():
    named = set(mention_counts(FILING).counts)
    assert "Maria Delgado" in named
    assert any(name.startswith("Harbor Savings Bank") for name in named)
    assert not {"Amgen Inc", "Tyson Foods", "Bouaphakeo"} & named
    assert not any("Predominate" in name or "Satisfied" in name for name in named)


def test_a_name_is_cleaned_of_footnote_marks_possessions_and_e_mail():
    assert clean_name("Roger N. Heller1") == "Roger N. Heller"
    assert clean_name("King’s Dismissal Order") == "King"
    assert clean_name("Elaine S. Kusel esk@example.com") == "Elaine S. Kusel"


ORDER = (
    "DANA WHITFIELD,\nPlaintiff,\nv.\nWESTLINE FREIGHT CORPORATION,\nDefendant.\n"
    "Plaintiff Dana Whitfield (“Whitfield”) sued Westline Freight Corporation. The policy "
    "names the Insured Entity (the “Insured Entity”) and each Claim.\n"
    "Whitfield filed a Request for Judicial Notice and the Magistrate Judge agreed. Under "
    "Brulotte v. Thys Co., 379 U.S. 29, 32 (1964), royalties end with the patent; Brulotte "
    "still governs. The claim was late, and the Claim Form said so.\n"
    "Westline Freight Corporation paid. Westline Freight Corp. later refused.\n"
)


def test_filings_offices_cited_parties_and_defined_terms_are_nobody():
    named = set(mention_counts(ORDER).counts)
    assert "Dana Whitfield" in named and "Westline Freight Corporation" in named
    assert not {"Request for Judicial Notice", "Magistrate Judge", "Brulotte"} & named
    # a defined term, an alias, a word the document also writes plainly, a legal form's twin
    assert not {"Insured Entity", "Whitfield", "Claim", "Westline Freight Corp"} & named


def test_forms_of_a_name_set_two_ways_are_one():
    full = ["IronShore Specialty Insurance Company", "Ironshore Specialty Insurance Company"]
    assert canonical(full[0], full) == canonical(full[1], full)
    assert (
        canonical("Margaret B. Tappan", ["Margaret Brinkley Tappan"]) == "Margaret Brinkley Tappan"
    )
    assert canonical("John S Gibson", ["John S. Gibson"]) == "John S. Gibson"
    assert canonical("Omar Haddad", ["Omar Haddad."]) == "Omar Haddad"


def test_a_short_name_stands_for_the_same_full_name_whatever_order_they_come_in():
    # Two equally long full names that a short one could stand for: the pick must not
    # depend on the order a set happened to give them in (it varied between processes).
    full = ["Harbor Savings Bank, N.A", "Harbor Savings Bank, Inc", "Maria Q. Delgado"]
    picks = {canonical("Harbor Savings Bank", longest_first(order)) for order in (full, full[::-1])}
    assert len(picks) == 1
    book = FullNames(longest_first(full))  # indexed once, for a case's many names
    for short in ["Delgado", "Maria Delgado", "Harbor Savings Bank", "Harbor", "Ortiz"]:
        assert canonical(short, book) == canonical(short, longest_first(full))
    assert canonical("Delgado", book) == "Maria Q. Delgado"


def test_a_word_only_ever_written_after_the_is_a_role_not_a_person():
    policy = (
        "Coverage. The policy provides, in pertinent part, as follows: The Underwriter will pay "
        "on behalf of the Insured any Loss from a Claim first made during the Policy Period and "
        "reported to the Underwriter during the Policy Period. If a Claim is made, the "
        "Underwriter will have the right and duty to defend it. Marcus Oyelaran signed the "
        "application, and Oyelaran later asked for a renewal.\n"
    )
    named = mention_counts(policy)
    assert "Underwriter" not in named.counts and "Underwriter" not in named.kinds
    assert named.kinds["Marcus Oyelaran"] == "person"


def test_a_term_a_policy_uses_as_a_noun_is_no_party_and_leaves_the_name_it_opens():
    policy = (
        "The Insurer issued Policy No. 4471 to the Covered Practice, Brightwater Clinics Group, "
        "Inc., for the 2019 policy year. The Insurer will pay on behalf of the Covered Practice "
        "any Loss from a Claim made against such Covered Practice during the Policy Period. "
        "The Insurer will not pay for liability of any Covered Practice under a contract. "
        "Brightwater Clinics Group, Inc. tendered the suit on March 3, 2020.\n"
    )
    named = mention_counts(policy)
    assert not [n for n in named.counts if "Covered Practice" in n]
    assert named.counts["Brightwater Clinics Group, Inc"] == 2


def test_a_national_body_named_without_its_country_is_the_same_body():
    book = FullNames(longest_first(["U.S. Capitol Police", "Walter Grimsby"]))
    assert canonical("Capitol Police", book) == "U.S. Capitol Police"
    courts = FullNames(
        longest_first(["United States Bankruptcy Court", "Delaware Bankruptcy Court"])
    )
    assert canonical("Bankruptcy Court", courts) == "Bankruptcy Court"  # which one is not said


def test_the_court_of_a_cited_case_and_a_committee_note_are_not_names():
    opinion = (
        "Tort law does not reach a purely economic loss between commercial parties. See "
        "Harrow v. Kestrel Marine Corp., 512 A.2d 100, 104 (N.J. 1990). The Harrow Court "
        "reasoned that the parties had allocated the risk. As the Harrow Court explained, the "
        "remedy lies in the contract. Nothing the Harrow Court said suggests otherwise. Lost "
        "information is addressed by rule. See Fed. R. Civ. P. 37(e), Advisory Committee Note "
        "to 2015 Amendment. Judge Miriam Okafor denied the motion.\n"
    )
    named = mention_counts(opinion)
    assert not [n for n in named.counts if "Harrow" in n], named.counts
    assert not [n for n in named.counts if "Committee" in n], named.counts
    assert "Miriam Okafor" in named.counts


def test_two_names_with_only_a_space_between_are_one_phrase_cut_in_two():
    report = (
        "Dr. Helen Marsh discounted past sales at the Treasury Bill rate and future royalties "
        "at 10%. The Court adopts Marsh's use of the Treasury Bill rate of 0.56% for released "
        "revenue.\n"
    )
    named = mention_counts(report)
    assert "Helen Marsh" in named.counts
    assert not [n for n in named.counts if n in ("Treasury", "Bill", "Treasury Bill")], named.counts


def test_a_person_named_in_full_is_a_person_whatever_their_surname_alone_was_read_as():
    # The demo article, as ingested, writes "Reynolds’ decision" (read as an organisation's)
    # more often than "Ryan Reynolds" in full (read as a person's).
    seed = Path(__file__).resolve().parents[2] / "seeds" / "000_dce03cdb09bb98a3.txt"
    named = mention_counts(parse_document(seed, seed.read_bytes()).text)
    assert named.kinds["Ryan Reynolds"] == "person"
    assert named.kinds["Blake Lively"] == "person"


def test_a_name_after_a_personal_title_is_a_person_whatever_the_recogniser_read():
    # The small model reads "Dr. Janusz Sterling" here as an organisation's name.
    opinion = (
        "To value the portfolio, the defendant relied on Dr. Janusz Sterling, while the "
        "plaintiff relied on Dr. Anne Price. Dr. Sterling is a professor of economics.\n"
    )
    named = mention_counts(opinion)
    assert named.kinds["Janusz Sterling"] == "person"


def test_a_company_named_after_a_doctor_stays_a_company():
    filing = (
        "The following generic drug makers are named defendants: Dr. Kaur’s Laboratories "
        "Ltd. and Zentiva Pharma Inc.\n"
    )
    named = mention_counts(filing)
    assert all(kind == "organisation" for kind in named.kinds.values()), named.kinds


def test_sentences_in_another_language_name_nobody():
    # A 10-K's exhibits carry the award terms in each country's language; the English
    # recogniser reads their capitalised words as names ("Syarikat dan Majikan").
    exhibit = (
        "Al aceptar esta oferta, el Participante reconoce que la Compañía y su Empleador "
        "pueden tratar sus datos personales conforme a la Ley de Protección de Datos de "
        "Colombia.\n"
        "Dengan menerima hadiah ini, Peserta bersetuju bahawa Syarikat dan Majikan boleh "
        "memproses maklumat peribadi Peserta menurut Akta Perlindungan Data Peribadi "
        "Malaysia.\n"
        "By accepting the award, Maria Okafor agrees that the Company may process her data.\n"
    )
    named = mention_counts(exhibit).counts
    assert "Maria Okafor" in named
    foreign = {"aceptar", "Participante", "Empleador", "Ley", "Syarikat", "Majikan", "Akta"}
    assert not [name for name in named if foreign & set(name.split())], named
