"""The quote-attribution scorer: its speaker rule, its matching, and the gold files' shape."""

from pathlib import Path

from bench.quotes import GOLD, SETS, GoldQuote, SystemQuote, load_gold, match_quotes, same_speaker


def test_a_speaker_is_right_by_whole_words_either_way():
    assert same_speaker("Rahmani", ["Neama Rahmani"])
    assert same_speaker("former federal prosecutor Neama Rahmani", ["Neama Rahmani"])
    assert same_speaker("Ms. Lively’s lawyers", ["Lively's lawyers"])
    assert same_speaker("Legal teams for both Lively and Baldoni", ["Legal teams"])
    assert not same_speaker("Lively", ["Lively's lawyers"])
    assert not same_speaker("Baldoni", ["Legal teams", "the letter"])
    assert not same_speaker("Neama Rahmani", None)  # the document names nobody


def test_a_short_snippet_is_not_found_inside_another_quotation():
    text = "The Code says “Agent” excludes x. She relied on “the de facto agent of them.”"
    gold = [
        GoldQuote("Agent", 14, 21, ["the Code"]),
        GoldQuote("the de facto agent of them.", 48, 77, ["She"]),
    ]
    found = [SystemQuote("“the de facto agent of them.”", "", 48, 77, False)]
    verdicts = match_quotes(gold, found, text)
    assert verdicts[0].kind == "missed"
    assert verdicts[1].found is found[0] and verdicts[1].kind == "unresolved"


def test_gold_files_hold_short_snippets_in_document_order():
    for name in SETS:
        gold = load_gold(GOLD / f"{name}.jsonl")
        assert gold, name
        assert all(len(q.snippet.split()) <= 12 for q in gold)
        assert [q.start for q in gold] == sorted(q.start for q in gold)
        assert all(q.speaker is None or (q.speaker and all(q.speaker)) for q in gold)


def test_demo_gold_offsets_hold_in_the_stored_text():
    from ingest.loaders import parse_document

    path: Path = SETS["demo_article"]
    text = parse_document(path, path.read_bytes()).text
    for quote in load_gold(GOLD / "demo_article.jsonl"):
        inside = " ".join(text[quote.start + 1 : quote.end - 1].split())
        assert inside.startswith(quote.snippet), quote.snippet
