"""The app in a real headless Chromium (Debian's), driven by Playwright, at 1400 x 1000: what a
reporter sees on opening it, asking, clicking a citation, using the desk and removing a file.

Screenshots go to artifacts/screenshots/ (gitignored) for a person to look at.
"""

import json
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
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
AXE = ROOT / "tests" / "app" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT = {"width": 1400, "height": 1000}


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


def open_app(browser, url: str):
    page = browser.new_page(viewport=VIEWPORT)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    page.locator("#cf-overview", has_text="Case “default”").wait_for(timeout=60_000)
    return page


@pytest.fixture
def page(browser, app_url):
    page = open_app(browser, app_url)
    yield page
    page.close()


@pytest.fixture
def filings_page(browser, pages_app_url):
    page = open_app(browser, pages_app_url)
    yield page
    page.close()


def answers_shown(page) -> int:
    return page.locator('#cf-chat [data-testid="bot"]').count()


def ask(page, question: str) -> None:
    """Ask in the question box; returns once the answer is in and its source is shown."""
    turn = answers_shown(page)
    box = page.get_by_label("Question")
    box.fill(question)
    box.press("Enter")
    page.locator(f'#cf-page .cf-shown[data-turn="{turn}"]').wait_for(timeout=120_000)


def last_answer(page):
    return page.locator('#cf-chat [data-testid="bot"]').last


def in_view(box: dict) -> bool:
    return box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"]


def test_an_answer_leads_with_the_fact_and_opens_its_source_beside_it(page):
    ask(page, "Who are Blake Lively's lawyers?")
    answer = last_answer(page)
    # The short answer leads, in bold, before the sentence that states it.
    answer.locator("strong", has_text="Mike Gottlieb and Esra Hudson").wait_for()
    assert answer.inner_text().lstrip().startswith("Mike Gottlieb and Esra Hudson")
    assert answer.locator("a.cf-cite", has_text="[1]").count() >= 2  # the fact's and the list's
    # Its source opened beside it, the quote highlighted in its text, without scrolling.
    highlighted = page.locator("#cf-page mark")
    assert "Mike Gottlieb and Esra Hudson" in highlighted.inner_text()
    assert in_view(highlighted.bounding_box())
    assert page.evaluate("window.scrollY") == 0
    page.screenshot(path=str(SHOTS / "answer-with-source.png"))

    page.get_by_role("button", name="Export conversation (Markdown)").click()
    link = page.locator("a[href$='casefile-conversation.md']")
    link.wait_for()
    exported = page.request.get(link.get_attribute("href")).text()
    assert "## Who are Blake Lively's lawyers?" in exported
    assert "[^1]:" in exported and "Mike Gottlieb and Esra Hudson" in exported


def test_the_header_says_what_the_case_holds_and_a_suggested_question_asks(page):
    header = page.locator("#cf-overview").inner_text()
    assert "Case “default” · 2 documents · last added" in header
    suggestion = page.locator(".cf-suggestion", has_text="Who represents Lively?")
    suggestion.wait_for()
    page.screenshot(path=str(SHOTS / "first-look.png"))
    suggestion.click()
    page.locator('#cf-page .cf-shown[data-turn="0"]').wait_for(timeout=120_000)
    assert "Who represents Lively?" in page.locator("#cf-chat").inner_text()
    assert last_answer(page).inner_text().lstrip().startswith("Mike Gottlieb and Esra Hudson")


def test_script_and_markup_in_a_document_show_as_text_and_never_run(page):
    ask(page, "When is the mediation deadline?")
    page.locator("#cf-page mark", has_text="June 2, 2025").wait_for()
    page.get_by_text("All sources of the latest answer, in their text").click()
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


def test_a_question_the_documents_do_not_answer_is_refused_in_plain_words(page):
    ask(page, "What is Blake Lively's net worth?")
    refusal = last_answer(page).inner_text()
    assert refusal.startswith("The documents don’t say.")
    assert "Not an answer, but the nearest the documents come" in refusal
    assert "score" not in refusal and "below" not in refusal
    nearest = page.locator("#cf-page .cf-nearest")
    assert "nearest passage" in nearest.inner_text() and nearest.locator("mark").count() == 1
    assert "No source of this answer is a PDF" not in page.locator("#cf-page").inner_text()
    page.screenshot(path=str(SHOTS / "refusal.png"))


@pytest.mark.parametrize(
    ("tab", "name", "expected"),
    [
        ("Quotes", "Uthe", "They need to settle"),
        ("Timeline", "", "2023"),
        ("People", None, "Blake Lively"),
    ],
)
def test_a_desk_tab_loads_its_rows_when_opened_and_a_row_opens_its_source(
    page, tab, name, expected
):
    key = tab.lower()
    page.get_by_role("tab", name=tab).click()
    # Gradio draws a table's rows as a virtual grid of role=row / role=gridcell: the header
    # row, then the first rows of data, loaded without any button pressed.
    table = page.locator(f"#cf-{key}")
    table.get_by_role("row").nth(1).get_by_role("gridcell").first.wait_for(timeout=60_000)
    if name:
        box = page.locator(f"#cf-{key}-filter").get_by_role("textbox")
        box.fill(name)
        box.press("Enter")
    row = table.get_by_role("row").filter(has_text=expected).first
    row.wait_for(timeout=60_000)
    row.get_by_role("gridcell").nth(1).click()
    highlighted = page.locator(f"#cf-{key}-source mark")
    highlighted.wait_for(timeout=30_000)
    assert highlighted.inner_text().strip()
    if tab == "Timeline":
        page.locator("#cf-timeline-plot img").wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / f"tab-{key}.png"), full_page=True)


def test_removing_a_document_asks_first_then_says_what_was_removed(page, tmp_path):
    note = tmp_path / "draft-note-to-remove.txt"
    note.write_text("Draft note. The filing fee was paid on May 5, 2025.", encoding="utf-8")
    page.get_by_text("Documents", exact=True).click()
    page.locator("input[type=file]").first.set_input_files(str(note))
    page.get_by_role("button", name="Add to case").click()
    listing = page.locator("#cf-documents")
    listing.get_by_role("row").filter(has_text="draft-note-to-remove.txt").wait_for(timeout=60_000)
    page.locator("#cf-overview", has_text="3 documents").wait_for()

    page.locator("#cf-remove-pick input").click()
    page.get_by_role("option", name="draft-note-to-remove.txt — ").click()
    page.get_by_role("button", name="Remove…").click()
    confirm = page.locator("#cf-remove-confirm")
    confirm.get_by_text("Remove draft-note-to-remove.txt").wait_for()
    page.get_by_role("button", name="Cancel").click()
    page.locator("#cf-documents-status", has_text="Nothing was removed.").wait_for()
    assert listing.get_by_role("row").filter(has_text="draft-note-to-remove.txt").count() == 1

    page.get_by_role("button", name="Remove…").click()
    confirm.get_by_text("Remove draft-note-to-remove.txt").wait_for()
    page.screenshot(path=str(SHOTS / "remove-confirm.png"))
    page.get_by_role("button", name="Yes, remove it").click()
    status = page.locator("#cf-documents-status", has_text="Removed draft-note-to-remove.txt")
    status.wait_for(timeout=30_000)
    assert "2 document(s) left" in status.inner_text()
    page.locator("#cf-overview", has_text="2 documents").wait_for()
    assert listing.get_by_role("row").filter(has_text="draft-note-to-remove.txt").count() == 0
    # The upload's "added" line is gone with the file.
    assert "draft-note-to-remove.txt" not in page.locator("#cf-upload-results").inner_text()


def test_a_marker_of_an_earlier_answer_opens_its_page_with_the_quote_in_view(filings_page):
    page = filings_page
    ask(page, "When was the hearing on the motion held?")
    ask(page, "Who delivered the opinion of the Board?")
    view = page.locator("#cf-page .cf-page-view")
    assert "page 1 of 1" in view.inner_text()  # the latest answer's: the scan
    first = page.locator('#cf-chat [data-testid="bot"]').first
    first.locator("a.cf-cite", has_text="[1]").first.click()
    opened = page.locator('#cf-page .cf-shown[data-turn="0"] .cf-page-view[data-page="3"]')
    opened.wait_for(timeout=60_000)
    assert opened.get_attribute("data-highlighted") == "yes"
    assert "page 3 of 3" in opened.inner_text()
    mark = page.locator("#cf-page .cf-page-mark")
    assert in_view(mark.bounding_box())
    assert in_view(first.locator("a.cf-cite").first.bounding_box())  # beside the answer
    page.screenshot(path=str(SHOTS / "marker-opens-page.png"))


def test_the_header_counts_pages_and_pages_read_by_ocr(filings_page):
    header = filings_page.locator("#cf-overview").inner_text()
    assert "2 documents · 4 pages (1 read by OCR)" in header
    filings_page.screenshot(path=str(SHOTS / "header-filings.png"))


def test_a_case_typed_in_that_does_not_exist_is_not_created_and_a_new_one_is_listed(page, app_home):
    from casefile.kernel.settings import Settings
    from ingest.pipeline import ingest_paths
    from tests.conftest import SEED
    from vectorstore.cases import open_case

    settings = Settings(home=app_home)
    picker = page.get_by_role("combobox", name="Case")
    picker.fill("no-such-case")
    picker.press("Enter")
    page.locator("#cf-overview", has_text="“no-such-case” has no documents yet").wait_for()
    box = page.get_by_label("Question")
    box.fill("Who is the judge?")
    box.press("Enter")
    last_answer(page).get_by_text("has no documents yet").wait_for(timeout=60_000)
    page.screenshot(path=str(SHOTS / "unknown-case.png"))
    assert not settings.case_dir("no-such-case").exists()

    picker.fill("Bad/Name")
    picker.press("Enter")
    page.locator("#cf-overview", has_text="case name 'Bad/Name' is not valid").wait_for()

    # A case made from the command line while the app runs is listed when the picker opens.
    ingest_paths([SEED], open_case(settings, "made-elsewhere"), settings.ingest)
    picker.click()
    page.get_by_role("option", name="made-elsewhere").wait_for(timeout=30_000)
    assert page.get_by_role("option", name="no-such-case").count() == 0


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
    page.locator("#cf-viewer").screenshot(path=str(SHOTS / shot))


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


def test_no_server_path_reaches_the_page(filings_page, pages_home):
    page = filings_page
    ask(page, "When was the hearing on the motion held?")
    page.get_by_text("All sources of the latest answer, in their text").click()
    page.locator("#cf-sources mark").first.wait_for()
    page.get_by_text("Documents", exact=True).click()
    page.locator("#cf-documents").get_by_role("row").filter(has_text="order.pdf").wait_for()
    for tab in ("Quotes", "Timeline", "People"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(1500)
    page.get_by_role("tab", name="Chat").click()
    html = page.content()
    assert "order.pdf" in html
    assert str(pages_home) not in html and "source-docs/" not in html


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it stands."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make browser` installs it (npm ci in tests/app/npm)")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_nothing_serious_on_the_chat_the_tabs_and_the_page_view(
    page, browser, pages_app_url
):
    ask(page, "Who are Blake Lively's lawyers?")
    found = {"chat": axe_violations(page)}
    for tab in ("Quotes", "Timeline", "People"):
        page.get_by_role("tab", name=tab).click()
        page.locator(f"#cf-{tab.lower()}").get_by_role("row").nth(1).wait_for(timeout=60_000)
        found[tab] = axe_violations(page)
    filings = open_app(browser, pages_app_url)
    ask(filings, "When was the hearing on the motion held?")
    found["page view"] = axe_violations(filings)
    filings.close()
    assert all(not v for v in found.values()), json.dumps(found, indent=1)


def test_every_control_is_reachable_by_keyboard(page):
    ask(page, "Who are Blake Lively's lawyers?")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    reached: set[str] = set()
    for _ in range(150):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(KEY_OF_FOCUSED))
    controls = set(page.evaluate(KEYS_OF_CONTROLS))
    assert controls, "no controls found"
    missed = sorted(controls - reached)
    assert not missed, missed


# A control's identity: its tag, its label and its place among the page's controls.
_KEY = """(el) => {
  const all = [...document.querySelectorAll(CONTROLS)];
  return el.tagName + ':' + (el.getAttribute('aria-label') || el.innerText ||
    el.getAttribute('name') || el.id || '').trim().slice(0, 40) + '#' + all.indexOf(el);
}"""
_CONTROLS = (
    "'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), "
    'textarea:not([disabled]), select, [tabindex]:not([tabindex="-1"])\''
)
KEY_OF_FOCUSED = f"""() => {{
  const CONTROLS = {_CONTROLS};
  const key = {_KEY};
  return document.activeElement ? key(document.activeElement) : '';
}}"""
# Visible controls of the chat tab; of a radio group only the one Tab stops at (arrows move
# within it), and nothing inside a closed accordion or a hidden tab.
KEYS_OF_CONTROLS = f"""() => {{
  const CONTROLS = {_CONTROLS};
  const key = {_KEY};
  const stop = (radio) => {{
    const group = [...document.querySelectorAll(`input[type=radio][name="${{radio.name}}"]`)];
    return radio === (group.find((r) => r.checked) || group[0]);
  }};
  return [...document.querySelectorAll(CONTROLS)].filter((el) =>
    el.checkVisibility() && !el.closest('[aria-hidden=true]') &&
    (el.type !== 'radio' || stop(el))
  ).map(key);
}}"""
