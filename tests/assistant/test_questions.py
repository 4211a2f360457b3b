"""How a question is read: what kind of fact it asks for and what may answer it."""

import pytest

from assistant.extractive import is_fragment
from assistant.questions import Question, asks_money, asks_name


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("How much did Baldoni sue Lively and Reynolds for?", True),
        ("How much net income did the company report?", True),
        ("How much total annual revenue did it make?", True),
        ("How much skill is involved in the game?", False),
        ("How much of my data is kept?", False),
    ],
)
def test_how_much_asks_for_money_only_when_its_noun_is_money(question, money):
    assert asks_money(question) is money


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Which judge is hearing the case?", True),
        ("Who represented the appellee?", True),
        ("Who is Neama Rahmani?", False),  # a description answers
        ("Who do you share my information with?", False),  # "advertisers" answers too
        ("Who gets my data?", False),
    ],
)
def test_who_asks_for_a_name_unless_a_description_or_a_kind_of_recipient_answers(question, name):
    assert asks_name(Question.parse(question)) is name


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("Northwind Traders Reports Second Quarter Results", True),
        ("ORDER GRANTING MOTION TO DISMISS", True),
        ("1.650% Notes Due May 2035 JNJ35 New York Stock Exchange", False),  # a table row
        ("Net income for the quarter was $41.2 million.", False),
        ("The Court Denies the Motion Because It Was Filed Late.", False),
    ],
)
def test_headings_and_headlines_are_fragments_but_data_rows_and_sentences_are_not(
    sentence, fragment
):
    assert is_fragment(sentence) is fragment


def test_a_dissenting_judge_is_not_the_author_of_the_opinion():
    from assistant.questions import fill

    asked = Question.parse("Who wrote the Appeals Board's opinion?")
    assert fill(asked, "Judge Timothy W. Conner dissented.") is None
    wrote = fill(asked, "Judge David F. Hensley delivered the opinion of the Appeals Board.")
    assert wrote is not None and wrote.value == "David F. Hensley"
