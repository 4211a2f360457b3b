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
    last_answer.get_by_text("Mike Gottlieb and Esra Hudson").wait_for()
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
