"""`casefile sources` at any terminal width: the title always shows."""

import pytest
from rich.console import Console

from casefile.cli import sources_table
from casefile.kernel.records import DocumentRecord

RECORD = DocumentRecord(
    doc_id="9d5118c3f2389878aa",
    source="/cases/smith/allcare_ipa_v_becerra_order.pdf",
    title="Allcare IPA v. Becerra — Order Granting Motion",
    kind="pdf",
    date="2020-05-21",
    page_count=24,
    chunk_count=88,
    size_bytes=1,
    ingested_at="2026-11-30T08:00:00+00:00",
    court="United States District Court for the Eastern District of California",
    case_number="1:20-cv-00713-NONE-SAB",
)


def shown(width: int) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(sources_table("smith", [RECORD], width))
    return console.export_text()


@pytest.mark.parametrize("width", [80, 100, 120, 160])
def test_the_title_and_a_usable_doc_id_show_at_every_width(width):
    text = shown(width)
    assert "Allcare IPA v. Becerra" in text
    assert "9d5118c3" in text and "2020-05-21" in text and "88" in text


def test_at_80_columns_the_docket_columns_give_way_to_the_title():
    narrow = shown(80)
    assert "1:20-cv-00713" not in narrow and "9d5118c3f238" not in narrow
    assert "Allcare IPA v. Becerra — Order" in narrow
    wide = shown(160)
    assert "1:20-cv-00713-NONE-SAB" in wide and "9d5118c3f2389878aa" in wide
