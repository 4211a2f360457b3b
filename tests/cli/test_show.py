"""`casefile show` and the page boxes of `ask --json`, as a user runs them: real processes,
the bundled embedder, embedded Chroma."""

import json

import pytest
from PIL import Image

from tests.cli.test_cli import casefile
from tests.documents import ORDER_PAGES, write_known_pdf

pytestmark = pytest.mark.integration

QUESTION = "When was the hearing on the motion held?"


@pytest.fixture
def filing(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    write_known_pdf(folder / "order.pdf", ORDER_PAGES)
    (folder / "note.txt").write_text(
        "Clerk's note. The status conference was moved to May 2, 2025.", encoding="utf-8"
    )
    casefile("ingest", str(folder))
    return folder


def test_ask_json_gives_the_quote_its_boxes_and_show_writes_the_page_highlighted(filing, tmp_path):
    answer = json.loads(casefile("ask", QUESTION, "--json").stdout)
    cited = next(c for c in answer["citations"] if "March 3, 2021" in c["quote"])
    assert cited["page"] == 3 and cited["boxes_notice"] == ""
    assert cited["boxes"] and {b["page"] for b in cited["boxes"]} == {3}
    assert all(0 < b["x0"] < b["x1"] < 1 and 0 < b["y0"] < b["y1"] < 1 for b in cited["boxes"])

    printed = casefile("ask", QUESTION).stdout
    reference = f"{cited['doc_id']}:{cited['start']}-{cited['end']}"
    assert reference in printed  # what a reader copies into `casefile show`

    out = tmp_path / "page.png"
    shown = casefile("show", reference, "--out", str(out), "--width", "700")
    assert "page 3 of 3" in shown.stdout and "highlighted" in shown.stdout
    with Image.open(out) as image:
        assert image.format == "PNG" and image.width == 700

    other = casefile("show", "order.pdf", "--page", "2", "--out", str(tmp_path / "p2.png"))
    assert "page 2 of 3" in other.stdout and (tmp_path / "p2.png").exists()


def test_show_refuses_what_is_not_a_pdf_of_the_case(filing, tmp_path):
    outside = casefile("show", "../../etc/passwd", "--out", str(tmp_path / "x.png"), check=False)
    assert outside.returncode == 2 and "no document named '../../etc/passwd'" in outside.stderr
    assert not (tmp_path / "x.png").exists()
    text = casefile("show", "note.txt", check=False)
    assert text.returncode == 2 and "not a PDF" in text.stderr
    past = casefile("show", "order.pdf", "--page", "9", check=False)
    assert past.returncode == 2 and "has 3 page(s): there is no page 9" in past.stderr


def test_the_markdown_export_can_carry_the_highlighted_pages(filing, tmp_path):
    folder = tmp_path / "export"
    casefile("ask", QUESTION, "--export", str(folder), "--page-images")
    markdown = (folder / "answer.md").read_text(encoding="utf-8")
    images = list((folder / "pages").glob("*.png"))
    assert len(images) >= 1
    name = images[0].name
    assert f"![page 3 as filed](pages/{name}) (the quote highlighted)" in markdown


def test_page_images_without_an_export_folder_is_a_usage_error():
    wrong = casefile("ask", QUESTION, "--page-images", check=False)
    assert wrong.returncode == 2 and "--page-images goes with --export" in wrong.stderr
