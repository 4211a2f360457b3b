"""Answers of fact from court records: each kind of answer on hand-made documents written
the way opinions, orders and news copy are, and the short answer that leads."""

import pytest

from assistant import CaseAssistant
from casefile.kernel.settings import IngestSettings
from ingest.pipeline import ingest_paths
from vectorstore.store import CaseStore, make_client

OPINION = """United States Court of Appeals for the Eighth Circuit
No. 24-1187
Maria Okafor, Plaintiff—Appellant, v. Harbor Freight Lines, Inc., Defendant—Appellee.
Before Loken, Gruender, and Kobes, Circuit Judges.
Per Curiam:
Maria Okafor appeals the dismissal of her claims against Harbor Freight Lines for unpaid overtime.
Daniel R. Whitcomb, of Minneapolis, argued the cause for appellant.
Priya Natarajan, with whom Thomas Lee was on the brief, argued the cause for appellee.
The district court dismissed the complaint because the claims were filed after the limitations
period ran.
Okafor sought $48,500 in unpaid wages and liquidated damages.
Harbor Freight Lines is a subsidiary of Meridian Logistics Group.
The company offered to settle the claim for $12,000, but Okafor declined the offer.
We agree with the district court that the claims are untimely.
For the foregoing reasons, the judgment of the district court is AFFIRMED.
"""

ORDER = """UNITED STATES DISTRICT COURT
DISTRICT OF OREGON
Green Valley Growers v. Cascade Irrigation Co.
ORDER ON MOTION TO COMPEL
The plaintiff moves to compel production of the irrigation district's maintenance logs.
The logs are relevant to whether the pump failure was foreseeable.
Accordingly, the motion to compel is GRANTED.
IT IS SO ORDERED.
Dated: March 3, 2024
ELENA VASQUEZ
United States District Judge
"""

RELEASE = """Northwind Traders Reports Second Quarter Results
SEATTLE, July 30, 2024 - Northwind Traders today reported its results for the second quarter.
Net income for the quarter was $41.2 million, or $1.12 per diluted share.
Net sales rose 6.4% to $1.9 billion.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from casefile.kernel.settings import Settings
    from tests.conftest import BagOfWordsEmbeddings

    home = tmp_path_factory.mktemp("court-answers")
    folder = home / "docs"
    folder.mkdir()
    (folder / "okafor-opinion.txt").write_text(OPINION, encoding="utf-8")
    (folder / "green-valley-order.txt").write_text(ORDER, encoding="utf-8")
    (folder / "northwind-release.txt").write_text(RELEASE, encoding="utf-8")
    settings = Settings(home=home)
    store = CaseStore(make_client(settings), "court", BagOfWordsEmbeddings())
    assert ingest_paths([folder], store, IngestSettings()).count("added") == 3
    return CaseAssistant(store, settings)


def test_a_panel_is_named_from_the_before_line(assistant):
    answer = assistant.ask("Which judges sat on the panel in Okafor v. Harbor Freight Lines?")
    assert answer.short is not None and answer.short.text == "Loken, Gruender, and Kobes"
    assert (
        "Before Loken, Gruender, and Kobes, Circuit Judges."
        in answer.citation(answer.short.citation).quote
    )


def test_counsel_are_named_for_the_side_asked_about(assistant):
    answer = assistant.ask("Who argued for the appellee in Okafor v. Harbor Freight Lines?")
    assert answer.short is not None and "Priya Natarajan" in answer.short.text
    assert "Whitcomb" not in answer.short.text


def test_the_disposition_leads_the_answer(assistant):
    answer = assistant.ask("What did the Eighth Circuit decide in Okafor v. Harbor Freight Lines?")
    assert answer.short is not None and answer.short.text == "AFFIRMED"
    assert answer.answer.startswith("AFFIRMED [")


def test_an_amount_is_the_short_answer(assistant):
    answer = assistant.ask("How much did Harbor Freight Lines offer to settle Okafor's claim?")
    assert answer.short is not None and answer.short.text == "$12,000"


def test_another_partys_figure_is_not_an_answer(assistant):
    # Okafor sought $48,500; what Harbor Freight sought is nowhere: "the documents don't say".
    answer = assistant.ask("How much money did Harbor Freight Lines seek from Okafor?")
    assert not answer.answerable


def test_a_signature_block_names_the_judge_who_signed(assistant):
    answer = assistant.ask(
        "Which judge signed the order in Green Valley Growers v. Cascade Irrigation?"
    )
    assert answer.short is not None and answer.short.text == "ELENA VASQUEZ"
    assert answer.citation(answer.short.citation).doc_id != ""


def test_a_ruling_in_an_order_is_found(assistant):
    answer = assistant.ask(
        "What happened to the motion to compel in Green Valley Growers v. Cascade Irrigation?"
    )
    assert answer.short is not None and "GRANTED" in answer.short.text


def test_a_date_is_the_short_answer(assistant):
    answer = assistant.ask("When was the Green Valley order on the motion to compel dated?")
    assert answer.short is not None and answer.short.text == "March 3, 2024"


def test_a_caption_is_never_an_answer_on_its_own(assistant):
    answer = assistant.ask("Who is the defendant in Green Valley Growers v. Cascade Irrigation?")
    quotes = [c.quote.strip() for c in answer.citations]
    assert "Green Valley Growers v. Cascade Irrigation Co." not in quotes


def test_a_role_the_documents_never_state_is_refused(assistant):
    answer = assistant.ask("Which law firm represented Cascade Irrigation Co.?")
    assert not answer.answerable


def test_a_figure_from_a_document_that_never_names_the_party_is_not_an_answer(assistant):
    # The release's net income is Northwind's; nothing the case holds gives Meridian's.
    answer = assistant.ask("How much net income did Meridian Logistics report for the quarter?")
    assert not answer.answerable
    found = assistant.ask("How much net income did Northwind Traders report for the quarter?")
    assert "$41.2 million" in found.answer
