"""What the chat and the sources panel show: document text is always text, never markup."""

from casefile.kernel.records import Answer, AnswerSentence, Citation, Passage
from casefile.render import chat_markdown, export_markdown, safe_markdown, sources_html

TEXT = (
    "Intro. <script>alert(1)</script> The deadline is June 2. <img src=x onerror=alert(2)> "
    "[x](javascript:alert(3)) Tail."
)
QUOTE_START = TEXT.index("The deadline")
QUOTE_END = QUOTE_START + len("The deadline is June 2.")


def answer(**changes) -> Answer:
    citation = Citation(
        1,
        "d1",
        "/case/memo.txt",
        "Memo <b>bold</b>",
        None,
        QUOTE_START,
        QUOTE_END,
        TEXT[QUOTE_START:QUOTE_END],
        "2025-05-01",
    )
    values = dict(
        question="When is the deadline?",
        answer="The deadline is June 2 [1].",
        answerable=True,
        sentences=[AnswerSentence("The deadline is June 2.", (1,), True)],
        citations=[citation],
        passages=[Passage("d1", "/case/memo.txt", "Memo", None, 0, len(TEXT), TEXT, 1.0)],
        unsupported=[
            AnswerSentence(
                "It was <script>moved</script> to July.",
                (1,),
                False,
                "the source does not contain July",
            )
        ],
        model="local",
    )
    values.update(changes)
    return Answer(**values)


def test_safe_markdown_escapes_html_and_link_syntax():
    escaped = safe_markdown("<img src=x onerror=alert(1)> [x](javascript:alert(1))")
    assert "<" not in escaped and "](" not in escaped
    assert "&lt;img" in escaped


def test_sources_panel_highlights_the_quote_in_its_context_and_escapes_everything():
    panel = sources_html(answer(), lambda doc_id: TEXT)
    assert "<mark>The deadline is June 2.</mark>" in panel
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel
    assert "<script" not in panel and "<img" not in panel and 'href="javascript' not in panel
    assert "Memo &lt;b&gt;bold&lt;/b&gt;" in panel
    assert "2025-05-01" in panel and "memo.txt" in panel
    assert "/case/" not in panel  # the server's folders are never shown


def test_removed_sentences_are_shown_apart_and_marked_unsupported():
    panel = sources_html(answer(), lambda doc_id: TEXT)
    assert "Not supported by the documents" in panel
    assert "<s>It was &lt;script&gt;moved&lt;/script&gt; to July.</s>" in panel
    chat = chat_markdown(answer())
    assert "July" not in chat and "1 sentence(s) not supported" in chat


def test_web_sources_get_a_link_but_never_a_javascript_one():
    web = answer(
        citations=[Citation(1, "d1", "https://news.example/story", "T", None, 0, 5, "Intro")]
    )
    assert 'href="https://news.example/story"' in sources_html(web, lambda d: TEXT)
    evil = answer(citations=[Citation(1, "d1", "javascript:alert(1)", "T", None, 0, 5, "Intro")])
    assert "href" not in sources_html(evil, lambda d: TEXT)


def test_a_refusal_says_so_in_plain_words_and_offers_the_nearest_passage():
    from assistant.prompting import NOT_ANSWERED

    nearest = "Not an answer, but the nearest the documents come (Memo): “The deadline is June 2.”"
    refused = answer(
        answerable=False,
        answer=NOT_ANSWERED,
        sentences=[],
        citations=[],
        unsupported=[],
        notice=nearest,
    )
    panel = sources_html(refused, lambda d: TEXT)
    assert "Nearest passages" in panel
    chat = chat_markdown(refused, turn=0)
    assert chat.startswith("**The documents don’t say\\.**")
    assert "the nearest the documents come" in chat and "score" not in chat


def test_each_citation_marker_in_the_chat_links_to_its_source_of_that_answer():
    chat = chat_markdown(answer(), turn=3)
    marker = '<a class="cf-cite" href="#cf-cite-3-1" title="Open source 1">[1]</a>'
    assert f"The deadline is June 2\\. {marker}" in chat  # the sentence's marker
    assert f"{marker} Memo &lt;b&gt;bold&lt;/b&gt;" in chat  # the source line's
    assert "<a" not in chat_markdown(answer())  # no conversation: plain markers


def test_export_has_footnotes_with_title_date_page_quote_and_source():
    exported = export_markdown([answer()], "smith")
    assert "# Casefile: case “smith”" in exported
    assert "The deadline is June 2.[^1]" in exported
    assert (
        "[^1]: Memo &lt;b&gt;bold&lt;/b&gt;, 2025-05-01, memo.txt: “The deadline is June 2.”"
        in exported
    )
    assert "~~It was &lt;script&gt;moved&lt;/script&gt; to July.~~" in exported
    assert "<" not in exported


def test_export_links_each_citations_page_image_and_says_when_it_is_not_highlighted():
    from dataclasses import replace

    paged = answer()
    paged = replace(paged, citations=[replace(paged.citations[0], page=4)])
    exported = export_markdown([paged], "smith", lambda c: ("pages/d1-5-28.png", ""))
    assert "![page 4 as filed](pages/d1-5-28.png) (the quote highlighted)" in exported
    notice = "The quote could not be placed on the page: its words are far apart on one line."
    exported = export_markdown([paged], "smith", lambda c: ("pages/d1-5-28.png", notice))
    assert f"![page 4 as filed](pages/d1-5-28.png) {notice}" in exported
    assert "![" not in export_markdown([paged], "smith", lambda c: None)


def test_the_page_view_shows_the_page_and_escapes_the_title():
    from assistant.pages import ShownPage
    from assistant.placement import Placement
    from casefile.kernel.records import QuoteBox
    from casefile.web_pages import page_html

    box = QuoteBox(2, 0.1, 0.2, 0.5, 0.22)
    shown = ShownPage(
        "d1",
        "Order <script>x</script>",
        "order.pdf",
        2,
        9,
        b"\x89PNG",
        10,
        13,
        Placement((box,)),
        (box,),
        quoted=True,
    )
    html_ = page_html(shown, answer().citations[0])
    assert "page 2 of 9" in html_ and "highlighted on the page" in html_
    assert "<script>" not in html_ and "Order &lt;script&gt;" in html_
    assert 'src="data:image/png;base64,iVBORw=="' in html_
    assert 'data-highlighted="yes"' in html_ and "left:10.00%;top:20.00%" in html_
    unplaced = Placement(reason="its words run back up the page")
    shown = replace_shown(shown, placement=unplaced, boxes=())
    html_ = page_html(shown, None)
    assert "The quote could not be placed on the page: its words run back up the page." in html_
    assert 'data-highlighted="no"' in html_ and "cf-page-mark" not in html_


def replace_shown(shown, **changes):
    from dataclasses import replace

    return replace(shown, **changes)


def test_a_quote_that_opens_with_its_own_mark_gets_no_second_one():
    from casefile.render import quoted

    assert quoted("The motion is denied.") == "“The motion is denied.”"
    opening = "“Ms. Lively has initiated discovery,” her lawyers said."
    assert quoted(opening) == opening  # never "““Ms. Lively …"


def test_a_follow_up_shows_how_it_was_read_so_a_misreading_can_be_seen():
    followed = answer(question="Why?", standalone_question="Why? (When is the deadline?)")
    chat = chat_markdown(followed)
    assert chat.startswith("*Read as: Why? \\(When is the deadline?\\)*")
    assert "Read as" not in chat_markdown(answer(standalone_question="When is the deadline?"))
