"""How a question is read before retrieval: the roles and rulings it asks about."""

import pytest

from assistant.questions import Question, fits


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        ("Which judges sat on the panel?", ("panel", "author", "judge")),
        ("Who represented the appellee?", ("counsel",)),
        ("Which lawyer appeared for Joseph Roh at the plea hearing?", ("counsel",)),
        ("Who wrote the opinion?", ("author", "judge")),
        ("Which judge signed the order?", ("signer", "judge", "author")),
        ("When was the order filed?", ("dated",)),
        ("Which president appointed Judge Liman?", ()),  # asks about a president
        ("Who is Neama Rahmani?", ()),
        ("How much did the City offer?", ()),
    ],
)
def test_the_roles_a_question_asks_about_come_from_its_wording(question, roles):
    assert Question.parse(question).roles == roles


@pytest.mark.parametrize(
    ("question", "ruling", "yes_no"),
    [
        ("What did the Fifth Circuit decide?", True, False),
        ("Did the court grant the motion to dismiss?", True, True),
        ("How did the court rule on the motion to exclude?", True, False),
        ("Did the court find that Ericsson bargained in bad faith?", False, True),
        ("Does this website share my data?", False, True),
        ("Who is the judge?", False, False),
    ],
)
def test_rulings_and_yes_or_no_questions_are_told_apart(question, ruling, yes_no):
    asked = Question.parse(question)
    assert (asked.ruling, asked.yes_no) == (ruling, yes_no)


@pytest.mark.parametrize(
    ("question", "expects", "answer", "fits_it"),
    [
        ("How much did Baldoni sue for?", "figure", "$400 million", True),
        ("How many people are in the class?", "figure", "more", False),
        ("When did TCL file its complaint?", "date", "March 5, 2014", True),
        ("When did TCL file its complaint?", "date", "the Court", False),
        ("Which law firm defends AllCare?", "name", "Kessenick Gamma & Free", True),
        ("Who is the plaintiff's expert?", "name", "counsel", False),
        ("What contaminant was found?", None, "mercury", True),
    ],
)
def test_an_answer_must_have_the_shape_the_question_asks_for(question, expects, answer, fits_it):
    asked = Question.parse(question)
    assert asked.expects == expects
    assert fits(answer, asked.expects) is fits_it
