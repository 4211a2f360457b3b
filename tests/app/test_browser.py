"""The chat in a real headless Chromium (Debian's), driven by Playwright.

Screenshots go to artifacts/screenshots/ (gitignored) for a person to look at.
"""

from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `make browser` (apt-get install -y chromium) installs it")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=FLAGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(app_url)
    yield page
    page.close()


def ask(page, question: str) -> None:
    box = page.get_by_label("Question")
    box.fill(question)
    box.press("Enter")
    page.locator("#cf-sources .cf-question", has_text=question).wait_for(timeout=120_000)


def test_an_answer_names_the_lawyers_and_its_source_shows_the_highlighted_quote(page):
    ask(page, "Who are Blake Lively's lawyers?")
    last_answer = page.locator("#cf-chat .message").last
    # The short answer leads, in bold, before the sentence that states it.
    last_answer.locator("strong", has_text="Mike Gottlieb and Esra Hudson").wait_for()
    assert last_answer.inner_text().lstrip().startswith("Mike Gottlieb and Esra Hudson")
    assert "[1]" in last_answer.inner_text()
    citation = page.locator("#cf-citation-1")
    citation.locator("summary").click()  # close, then open again, as a reader would
    assert not citation.locator("mark").is_visible()
    citation.locator("summary").click()
    highlighted = citation.locator("mark")
    assert highlighted.is_visible()
    assert "Mike Gottlieb and Esra Hudson" in highlighted.inner_text()
    page.screenshot(path=str(SHOTS / "answer-with-source.png"), full_page=True)

    page.get_by_role("button", name="Export conversation (Markdown)").click()
    link = page.locator("a[href$='casefile-conversation.md']")
    link.wait_for()
    exported = page.request.get(link.get_attribute("href")).text()
    assert "## Who are Blake Lively's lawyers?" in exported
    assert "[^1]:" in exported and "Mike Gottlieb and Esra Hudson" in exported


def test_script_and_markup_in_a_document_show_as_text_and_never_run(page):
    ask(page, "When is the mediation deadline?")
    page.locator("#cf-sources mark", has_text="June 2, 2025").wait_for()
    page.wait_for_timeout(1000)  # time for anything injected to fire
    sources = page.locator("#cf-sources").inner_text()
    assert "<script>window.__pwned = 1;" in sources
    assert "<img src=x onerror=" in sources
    assert page.dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#injected").count() == 0
    assert page.locator("img[onerror]").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    page.screenshot(path=str(SHOTS / "hostile-document.png"), full_page=True)


def test_a_question_the_documents_do_not_answer_is_refused_in_the_page(page):
    ask(page, "What is Blake Lively's net worth?")
    page.locator("#cf-chat .message").last.get_by_text(
        "The documents do not answer this question"
    ).wait_for()
    assert page.locator("#cf-sources").get_by_text("Nearest passages", exact=True).is_visible()


@pytest.mark.parametrize(
    ("tab", "name", "button", "table", "panel", "expected"),
    [
        ("Quotes", "Freedman", "Show quotes", "#cf-quotes", "#cf-quote-source", "fishing"),
        ("Timeline", "", "Show timeline", "#cf-timeline", "#cf-event-source", "2023"),
        ("People", None, "Show people", "#cf-people", "#cf-person-source", "Blake Lively"),
    ],
)
def test_the_desk_tabs_render_and_a_row_opens_its_source(
    page, tab, name, button, table, panel, expected
):
    page.get_by_role("tab", name=tab).click()
    if name:
        page.locator(f"#cf-tab-{tab.lower()}").get_by_role("textbox").first.fill(name)
    page.get_by_role("button", name=button).click()
    # Gradio draws a table's rows as a virtual grid of role=row / role=gridcell.
    row = page.locator(table).get_by_role("row").filter(has_text=expected).first
    row.wait_for(timeout=60_000)
    row.get_by_role("gridcell").nth(1).click()
    highlighted = page.locator(f"{panel} mark")
    highlighted.wait_for(timeout=30_000)
    assert highlighted.inner_text().strip()
    if tab == "Timeline":
        page.locator("#cf-timeline-plot img").wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / f"tab-{tab.lower()}.png"), full_page=True)


@pytest.fixture
def filings_page(browser, pages_app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(pages_app_url)
    yield page
    page.close()


def yellow_share(png: bytes) -> float:
    """The share of a screenshot's pixels that the highlighter marked."""
    import io

    from PIL import Image

    pixels = list(Image.open(io.BytesIO(png)).convert("RGB").get_flattened_data())
    return sum(r > 200 and g > 170 and b < 130 for r, g, b in pixels) / len(pixels)


@pytest.mark.parametrize(
    ("question", "page_text", "shot"),
    [
        ("When was the hearing on the motion held?", "page 3 of 3", "page-view-text-pdf.png"),
        ("Who delivered the opinion of the Board?", "page 1 of 1", "page-view-scan.png"),
    ],
)
def test_a_citation_into_a_pdf_opens_its_page_with_the_quote_highlighted(
    filings_page, question, page_text, shot
):
    page = filings_page
    ask(page, question)
    view = page.locator('#cf-page .cf-page-view[data-highlighted="yes"]')
    view.wait_for(timeout=60_000)
    assert page_text in view.locator(".cf-page-number").inner_text()
    image = view.locator("img.cf-page-img")
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) == 1400
    box = image.bounding_box()
    panel = page.locator("#cf-page").bounding_box()
    assert box["width"] <= panel["width"] + 1  # fit to the panel
    assert yellow_share(image.screenshot()) > 0.003
    page.locator("#cf-page-row").screenshot(path=str(SHOTS / shot))


def test_the_pager_turns_the_pages_and_zoom_enlarges_the_page(filings_page):
    page = filings_page
    ask(page, "When was the hearing on the motion held?")
    page.locator('#cf-page .cf-page-view[data-page="3"]').wait_for(timeout=60_000)
    page.get_by_role("button", name="◀ Previous page").click()
    earlier = page.locator('#cf-page .cf-page-view[data-page="2"]')
    earlier.wait_for()
    assert earlier.get_attribute("data-highlighted") == "no"
    assert "The quote is on page 3, not this one." in earlier.inner_text()
    assert "page 2 of 3" in earlier.inner_text()
    page.get_by_role("button", name="Next page ▶").click()
    page.locator('#cf-page .cf-page-view[data-page="3"][data-highlighted="yes"]').wait_for()
    page.get_by_role("button", name="Next page ▶").click()  # the last page: it stays
    page.wait_for_timeout(500)
    assert page.locator('#cf-page .cf-page-view[data-page="3"]').count() == 1
    fitted = page.locator("#cf-page img.cf-page-img").bounding_box()["width"]
    zoom = page.locator("#cf-page-zoom input[type=number]")
    zoom.fill("200")
    zoom.press("Enter")
    page.wait_for_function(
        f"document.querySelector('#cf-page img.cf-page-img').clientWidth > {fitted * 1.8}"
    )
    scroller = page.locator("#cf-page .cf-page-scroll")
    assert scroller.evaluate("(el) => el.scrollWidth > el.clientWidth")
    page.screenshot(path=str(SHOTS / "page-view-zoomed.png"), full_page=True)


def test_the_export_with_page_images_zips_the_markdown_with_its_pages(filings_page):
    import io
    import zipfile

    page = filings_page
    ask(page, "When was the hearing on the motion held?")
    page.locator('#cf-page .cf-page-view[data-highlighted="yes"]').wait_for(timeout=60_000)
    page.get_by_label("with page images (zip)").check()
    page.get_by_role("button", name="Export last answer").click()
    link = page.locator("a[href$='casefile-answer.zip']")
    link.wait_for()
    archive = zipfile.ZipFile(io.BytesIO(page.request.get(link.get_attribute("href")).body()))
    names = archive.namelist()
    markdown = archive.read("casefile-answer/casefile-answer.md").decode()
    [image] = [n for n in names if n.endswith(".png")]
    assert image.startswith("casefile-answer/pages/")
    assert f"![page 3 as filed]({image.removeprefix('casefile-answer/')})" in markdown
