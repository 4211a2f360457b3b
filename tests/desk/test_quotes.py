"""Quotations and their speakers, on the demo article and on hand-made news copy."""

import pytest

from ingest.loaders import parse_document
from ingest.quotes import is_statement, quotes_in
from tests.conftest import SEED


@pytest.fixture(scope="module")
def seed_quotes():
    doc = parse_document(SEED, SEED.read_bytes())
    return quotes_in("seed", doc.text), doc.text


def speaker_of(quotes, words: str) -> str:
    (quote,) = [q for q in quotes if words in q.text]
    return quote.speaker


def test_every_quotation_of_the_article_is_found_as_a_verbatim_span(seed_quotes):
    quotes, text = seed_quotes
    assert len(quotes) >= 20
    assert all(text[q.start : q.end] == q.text and q.text[0] in '“"' for q in quotes)
    # A film's title in quotation marks is not a quotation.
    assert not any(q.text.strip("“”.") == "It Ends With Us" for q in quotes)


def test_the_speakers_of_the_article(seed_quotes):
    quotes, _ = seed_quotes
    assert (
        speaker_of(quotes, "Ms. Lively has initiated discovery") == "Mike Gottlieb and Esra Hudson"
    )
    assert speaker_of(quotes, "Mediation is a good idea") == "Neama Rahmani"
    assert speaker_of(quotes, "They need to settle, period") == "Adrienne Uthe"
    assert speaker_of(quotes, "While some of the information obtained") == "Ethan Krasnoo"


def test_roles_come_with_their_speaker(seed_quotes):
    quotes, _ = seed_quotes
    (quote,) = [q for q in quotes if "Mediation is a good idea" in q.text]
    assert quote.role == "former federal prosecutor"
    (krasnoo,) = [q for q in quotes if "While some of the information" in q.text]
    assert krasnoo.role == "partner at Reavis Page Jump LLP"


def test_a_role_attribution_is_resolved_to_the_person_last_named_and_marked(seed_quotes):
    quotes, _ = seed_quotes
    (quote,) = [q for q in quotes if "They need to settle" in q.text]
    assert quote.speaker == "Adrienne Uthe" and quote.inferred
    assert quote.role == "founder of Kronus Communications"


def test_attribution_across_a_paragraph_break():
    text = (
        "The hearing ended late.\n"
        "“We will appeal this ruling, and we expect to win,” said Dana Ortiz, "
        "the company's counsel.\n"
        "“The judge got the facts wrong. The record shows that the contract was signed in May.\n"
        "“No court has read it the way this one did,” she added.\n"
    )
    quotes = quotes_in("d", text)
    assert [q.speaker for q in quotes] == ["Dana Ortiz", "Dana Ortiz"]
    assert quotes[0].role == "company's counsel"
    # The second quotation runs over two paragraphs and is one quotation.
    assert "signed in May" in quotes[1].text and "No court has read it" in quotes[1].text
    assert quotes[1].inferred


def test_a_quote_split_by_its_attribution_has_one_speaker():
    text = "“The deal is done,” Maria Chen said. “Now the work begins.”\n"
    assert [q.speaker for q in quotes_in("d", text)] == ["Maria Chen", "Maria Chen"]


def test_scare_quotes_and_redaction_blanks_are_nobodys_statement(seed_quotes):
    quotes, _ = seed_quotes
    # "Baldoni's lawyer, Bryan Freedman, slammed the move as a “fishing expedition.”": kept,
    # with its speaker, for "How did he describe it?", but not a statement to list.
    (phrase,) = [q for q in quotes if "fishing expedition" in q.text]
    assert phrase.speaker == "Bryan Freedman" and not is_statement(phrase.text)
    text = "The memo, marked “confidential,” named “_____” as the buyer and “[REDACTED]” too.\n"
    assert not any(is_statement(q.text) for q in quotes_in("d", text))


def test_the_subject_of_the_verb_of_saying_speaks_and_its_apposition_is_the_role():
    text = (
        "Priya Natarajan, the company's general counsel, told reporters on Friday that "
        "“nothing in the contract allows this.”\n"
        "The mayor later called the plan “a very expensive mistake for the city.”\n"
    )
    first, second = quotes_in("d", text)
    assert (first.speaker, first.role) == ("Priya Natarajan", "company's general counsel")
    # A short phrase is put in the mouth of whoever the sentence says called it that.
    assert second.speaker == "The mayor"


def test_a_quote_whose_speaker_cannot_be_resolved_says_so():
    text = "A sign on the courthouse door read “closed until further notice” on Monday.\n"
    (quote,) = quotes_in("d", text)
    assert quote.speaker == "" and not quote.inferred


def test_according_to_and_said_x():
    text = (
        "According to Lee Park, “the filing was late by a day.”\n"
        "“We disagree with that,” said Omar Haddad.\n"
    )
    assert [q.speaker for q in quotes_in("d", text)] == ["Lee Park", "Omar Haddad"]


OPINION = (
    "Under Texas law, promissory estoppel requires “evidence of a promise and reliance.” "
    "Comiskey v. FH Partners, LLC, 373 S.W.3d 620, 635 (Tex. App. 2012). A promise "
    "“must be more than mere speculation.” Id. A complaint must state a claim “plausible on "
    "its face.” Twombly, 550 U.S. at 570. The Code says an agent excludes “an employer "
    "acting for its employees.” TEX. INS. CODE § 4001.003(1)(B).\n"
    "On appeal, Ms. St. Pierre argues that (1) the court erred, because the insurer "
    "“implicitly promised the City” coverage; and (2) the rest fails.\n"
    "The policy is short. It provides: “No coverage begins before approval.”\n"
)


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        ("evidence of a promise", "Comiskey v. FH Partners, LLC"),  # the case cited after it
        ("mere speculation", "Comiskey v. FH Partners, LLC"),  # "Id.": the case cited last
        ("plausible on", "Twombly"),  # a short citation
        ("an employer", "TEX. INS. CODE §"),  # a code
        ("implicitly promised", "St. Pierre"),  # "X argues that (1) ... because it “…”"
        ("No coverage", ""),  # "It provides": the clause does not say what "it" is
    ],
)
def test_a_court_quotes_the_authority_it_cites_and_the_party_whose_argument_it_reports(
    words, speaker
):
    assert speaker_of(quotes_in("opinion", OPINION), words) == speaker


ORDER = (
    "On May 2, the buyer wrote that it “would not pay any further royalties under the license.” "
    "Acme Royalty Letter, Decl. of Jane Roe Ex. 4, at 1.\n"
    "Ambiguity is a question of law, and “a term is ambiguous if it has two reasonable "
    "meanings.” Bright Lines v. Paper Depot, Inc., No. CV 17-1234, 2018 WL 4945643, at *4 "
    "(C.D. Cal. Jan. 18, 2018).\n"
    "The officer may search the car if the driver is “dangerous and may gain control of "
    "weapons” inside it. Kansas v. Lane, 463 U.S. 1032, 1049 (1983).\n"
    "In Lane, the justices said the officers could look “in the areas the driver could reach "
    "at once.” 463 U.S. at 1050.\n"
    "See Ortiz v. Hale, 410 U.S. 12, 14, 16 (1970) (noting that the rule “does not reach a "
    "locked trunk or glove box”).\n"
    "The witness testified at the hearing. Hr’g Tr. at 14. The deputy said there were "
    "“other weapons in the car somewhere.” Id. at 15.\n"
    "The buyer admits the point. See Acme MSJ at 11-12 (“we never examined the ledgers "
    "ourselves”). The rules, however, “apply to every civil action in this district.”\n"
    "Final means settled. See Black’s Law Dictionary (11th ed. 2019) (“not open to any "
    "further appeal”).\n"
    "He was charged with “carrying a concealed pistol” in violation of D.C. Code § 22-4504(a). "
    "The Constitution protects “the right of the people to be secure” U.S. CONST. amend. IV.\n"
    "This was known to Officer Dale Price, who testified that “one weapon usually means "
    "another.” Tr. 14.\n"
)


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        ("would not pay", "Acme Royalty Letter"),  # the record cited after it, with its pin
        ("two reasonable", "Bright Lines v. Paper Depot, Inc."),  # an unreported decision
        ("dangerous and may", "Kansas v. Lane"),  # cited once after the whole sentence
        ("in the areas", "Kansas v. Lane"),  # "463 U.S. at 1050": the case cited at that volume
        ("does not reach", "Ortiz v. Hale"),  # a quotation in the case's parenthetical
        # "Id." after a transcript is no case: the sentence says who spoke.
        ("other weapons", "The deputy"),
        ("never examined", "Acme MSJ"),  # the record before the parenthetical holding it
        ("apply to every", ""),  # not the parenthetical's: a new sentence, nothing cited
        ("not open to", "Black’s Law Dictionary"),  # a reference work and its edition
        ("concealed pistol", "D.C. Code §"),  # "in violation of" the code section
        ("right of the people", "U.S. CONST. amend. IV"),
        ("usually means", "Officer Dale Price"),  # "X, who testified that …"
    ],
)
def test_a_court_order_quotes_the_record_and_the_cases_it_cites(words, speaker):
    assert speaker_of(quotes_in("order", ORDER), words) == speaker


def test_a_citation_after_a_sentence_speaks_for_every_quotation_in_it_and_no_further():
    opinion = (
        "A\nThe Supreme Court has long “recognized that roadside stops are especially risky "
        "for officers on patrol” and that the “danger to everyone present is reduced if the "
        "officer keeps firm command of the stop.” Ohio v. Bramwell, 612 U.S. 44, 51 (2019). "
        "Courts weigh “every circumstance the officer knew at the time of the stop,” asking "
        "whether “the officer had a specific and objective reason to suspect a weapon.” "
        "Bramwell, 612 U.S. at 53.\n"
        "The district court found that “no reasonable officer would have searched the bag.” "
        "Moreover, a search must rest on “more than an unparticularized suspicion or a "
        "hunch.” Kessler v. Dunmore, 88 F.4th 310, 315 (4th Cir. 2023).\n"
        "The statute bars any suit “for mental or emotional injury suffered while in custody "
        "without a prior showing of physical injury.” Marlow v.\nTeague, 701 F.3d 99, 104 "
        "(3d Cir. 2012).\n"
    )
    speakers = {q.text.strip("“”,."): q.speaker for q in quotes_in("d", opinion)}
    assert speakers[
        "recognized that roadside stops are especially risky for officers on patrol"
    ] == ("Ohio v. Bramwell")
    assert speakers["every circumstance the officer knew at the time of the stop"] == "Bramwell"
    assert speakers["more than an unparticularized suspicion or a hunch"] == "Kessler v. Dunmore"
    # A quotation that ends its own sentence is not the next sentence's citation's.
    assert speakers["no reasonable officer would have searched the bag"] != "Kessler v. Dunmore"
    # A citation wrapped over a line of a PDF's text.
    assert (
        speakers[
            "for mental or emotional injury suffered while in custody without a prior showing "
            "of physical injury"
        ]
        == "Marlow v. Teague"
    )
