"""How court documents state who decided, who argued and what was decided."""

import pytest

from ingest.legal import stated, statements


@pytest.mark.parametrize(
    ("text", "role", "value"),
    [
        (
            "Before Barksdale, Stewart, and Dennis, Circuit Judges.",
            "panel",
            "Barksdale, Stewart, and Dennis",
        ),
        (
            "BROWN, Circuit Judge: Samuel Vinton, convicted of firearm offenses, appeals.",
            "author",
            "BROWN",
        ),
        ("HUDSON, Justice.", "author", "HUDSON"),
        (
            "Judge David F. Hensley delivered the opinion of the Appeals Board.",
            "author",
            "David F. Hensley",
        ),
        ("Melville B. Nimmer argued the cause for appellant.", "counsel", "Melville B. Nimmer"),
        ("The motion to quash is DENIED.", "disposition", "DENIED"),
        ("AFFIRMED.", "disposition", "AFFIRMED"),
    ],
)
def test_a_statement_of_a_role_or_ruling_is_read_with_the_words_that_fill_it(text, role, value):
    found = [(s.role, s.value) for s in statements(text)]
    assert (role, value) in found


def test_a_lower_case_phrase_is_not_an_author():
    assert not [s for s in statements("the court, Circuit Judge: see below") if s.role == "author"]


def test_a_longer_text_is_read_sentence_by_sentence_and_over_a_signature_block():
    text = (
        "The subpoena seeks a deposition transcript. The motion to quash is DENIED.\n"
        "IT IS SO ORDERED.\n"
        "SUSAN ILLSTON\n"
        "United States District Judge\n"
    )
    found = {(s.role, s.value): s for s in stated(text)}
    judge = found[("judge", "SUSAN ILLSTON")]
    assert text[judge.start : judge.end] == "SUSAN ILLSTON"
    assert text[judge.reach[0] : judge.reach[1]] == "SUSAN ILLSTON\nUnited States District Judge"
    ruling = found[("disposition", "DENIED")]
    assert text[ruling.start : ruling.end] == "DENIED"
