"""The judge, counsel and parties as court records print them: counsel blocks over the
caption, a transcript's appearances, the judge's line, the caption's parties."""

from ingest.appearances import appearances, person_case
from ingest.people import canonical, mention_counts

PLEADING = (
    "Maria L. Ortega (State Bar No. 123456) mortega@example.com\n"
    "Tomas Reyes (admitted pro hac vice) treyes@example.com\n"
    "HARTWELL BRIGGS &\n"
    "OKAFOR, LLP\n"
    "100 Market Street, Suite 400\n"
    "San Jose, CA 95113\n"
    "Telephone: (408) 555-0100\n"
    "Attorneys for Plaintiff\n"
    "UNITED STATES DISTRICT COURT\n"
    "NORTHERN DISTRICT OF CALIFORNIA\n"
    "PRIYA N. RAMAN, on behalf of herself and all others similarly situated,\n"
    "Plaintiff,\n"
    "v.\n"
    "COASTAL SAVINGS BANK, N.A.,\n"
    "Defendant.\n"
    "Case No. 5:21-cv-01234\n"
    "MOTION FOR CLASS CERTIFICATION\n"
    "Judge: Hon. Alan K. Whitford\n"
    "Plaintiff Priya N. Raman moves the Court to certify the class.\n"
)

TRANSCRIPT = (
    "UNITED STATES DISTRICT COURT\n"
    "THE HONORABLE RUTH M. CALDERON, JUDGE PRESIDING\n"
    "APPEARANCES OF COUNSEL:\n"
    "For the Plaintiff:\n"
    "DEREK O. MULLINS\n"
    "Assistant United States Attorney\n"
    "312 North Spring Street\n"
    "For the Defendant:\n"
    "JANE W. McCANDLESS\n"
    "\n"
    "THE COURT: Good morning.\n"
)


def roles(text: str) -> set[tuple[str, str, str]]:
    return {(r.name, r.role, r.detail) for r in appearances("d", text)}


def test_a_counsel_block_and_the_caption_name_the_lawyers_the_firm_and_the_parties():
    found = roles(PLEADING)
    assert ("Maria L. Ortega", "lawyer", "for Priya N. Raman") in found
    assert ("Tomas Reyes", "lawyer", "for Priya N. Raman") in found
    assert ("Hartwell Briggs & Okafor, LLP", "lawyer", "for Priya N. Raman") in found
    assert ("Priya N. Raman", "party", "plaintiff") in found
    assert ("Coastal Savings Bank, N.A.", "party", "defendant") in found
    assert ("Alan K. Whitford", "judge", "") in found
    # Addresses and telephone lines are nobody.
    assert not any("San Jose" in name or "Market" in name for name, _, _ in found)


def test_a_transcripts_appearances_and_judge_in_capitals():
    found = roles(TRANSCRIPT)
    assert ("Ruth M. Calderon", "judge", "") in found
    assert ("Derek O. Mullins", "lawyer", "for the Plaintiff") in found
    assert ("Jane W. McCandless", "lawyer", "for the Defendant") in found
    # Every role cites where it is printed.
    for role in appearances("d", TRANSCRIPT):
        assert TRANSCRIPT[role.start : role.end].upper() == role.name.upper()


def test_names_in_capitals_read_as_printed_in_prose():
    assert person_case("JAMES V. SELNA") == "James V. Selna"
    assert person_case("RICHARD D. McCUNE") == "Richard D. McCune"
    assert person_case("Blake Lively") == "Blake Lively"


def test_forms_of_one_name_are_one_person_and_a_defined_short_name_is_its_alias():
    full = ["Shawn J. Nelson", "Shawn Nelson", "Coastal Savings Bank, N.A", "Coastal Savings Bank"]
    assert canonical("Shawn Nelson", full) == "Shawn J. Nelson"
    assert canonical("Coastal Savings Bank", full) == "Coastal Savings Bank, N.A"
    text = (
        "Plaintiff Priya Raman sued Coastal Savings Bank, N.A. (“Coastal”) in May. Coastal "
        "denied it. Coastal kept the interest, and Coastal Savings Bank paid nothing.\n"
    )
    mentions = mention_counts(text)
    assert "Coastal" not in mentions.counts
    assert any(name.startswith("Coastal Savings Bank") for name in mentions.counts)
