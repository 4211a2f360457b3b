from casefile.kernel.text import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_titles_initials_and_abbreviations_do_not_end_sentences():
    text = "Judge Lewis J. Liman ruled. Mr. Baldoni sued on Jan. 5 in the U.S. court. It was over."
    assert sentences(text) == [
        "Judge Lewis J. Liman ruled.",
        "Mr. Baldoni sued on Jan. 5 in the U.S. court.",
        "It was over.",
    ]


def test_closing_quotes_stay_with_their_sentence():
    text = "He called it a “fishing expedition.” The judge agreed! Why? Nobody knows"
    assert sentences(text) == [
        "He called it a “fishing expedition.”",
        "The judge agreed!",
        "Why?",
        "Nobody knows",
    ]


def test_a_line_break_always_ends_a_sentence():
    assert sentences("A heading\nThe body text.") == ["A heading", "The body text."]


def test_spans_are_verbatim_and_respect_bounds():
    text = "One. Two. Three."
    spans = split_sentences(text, 5, 9)
    assert [text[s:e] for s, e in spans] == ["Two."]


def test_legal_citations_do_not_end_sentences():
    text = (
        "Zepeda Rivas v. Jennings, No. 20-cv-02731-VC, 2020 WL 3055449, at *5 (N.D. Cal. "
        "June 9, 2020). See Gift Surplus, LLC v. State ex rel. Cooper, 268 N.C. App. 1 (2019). "
        "The Court agrees."
    )
    assert sentences(text) == [
        "Zepeda Rivas v. Jennings, No. 20-cv-02731-VC, 2020 WL 3055449, at *5 (N.D. Cal. "
        "June 9, 2020).",
        "See Gift Surplus, LLC v. State ex rel. Cooper, 268 N.C. App. 1 (2019).",
        "The Court agrees.",
    ]
