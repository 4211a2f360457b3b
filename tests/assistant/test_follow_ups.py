"""Follow-ups read against the conversation: "Why?", "When was that?", "And the other one?"."""

from __future__ import annotations

import pytest

from assistant.prompting import is_elliptical, previous_documents, standalone_question
from casefile.kernel.records import Answer, Citation

FIRST = "Did Judge Selna let Ericsson add its March 2016 offer to the case?"


@pytest.mark.parametrize(
    ("question", "elliptical"),
    [
        ("Why?", True),
        ("Why not?", True),
        ("When was that?", True),
        ("And the other defendant?", True),
        ("What about the appeal?", True),
        ("Who is the judge?", False),
        ("When did TCL file its complaint against Ericsson?", False),
        ("And when did Roh sign the plea agreement with his lawyer present?", False),
    ],
)
def test_a_question_that_says_nothing_of_its_own_subject_leans_on_the_last(question, elliptical):
    assert is_elliptical(question) is elliptical


def test_an_elliptical_follow_up_carries_the_earlier_question():
    history = [(FIRST, "No [1].")]
    assert standalone_question("Why not?", history) == f"Why not? ({FIRST})"


def test_a_question_that_stands_alone_is_left_as_it_is():
    question = "Which judge signed the order?"
    assert standalone_question(question, [(FIRST, "No [1].")]) == question


def _answer(question: str, doc_ids: list[str], standalone: str = "") -> Answer:
    citations = tuple(
        Citation(i + 1, d, f"{d}.pdf", d, 1, 0, 5, "quote") for i, d in enumerate(doc_ids)
    )
    return Answer(question, "An answer [1].", True, (), citations, (), (), "extractive", standalone)


def test_earlier_answers_give_their_question_and_documents():
    earlier = _answer("Why?", ["roh"], standalone=f"Why? ({FIRST})")
    assert previous_documents([_answer(FIRST, ["tcl", "tcl-docket"]), earlier]) == ["roh"]
    # The earlier follow-up is read as it was understood, not as it was typed.
    assert standalone_question("When was that?", [earlier]) == f"When was that? (Why? ({FIRST}))"


def test_history_without_answers_has_no_documents():
    assert previous_documents([(FIRST, "No.")]) == []


def test_it_and_that_stand_for_what_the_earlier_question_asked_about():
    history = [("When did TCL bring its lawsuit against Ericsson?", "On March 5, 2014 [1].")]
    assert standalone_question("Which attorney filed it for TCL?", history) == (
        "Which attorney filed it for TCL? (When did TCL bring its lawsuit against Ericsson?)"
    )


def test_a_personal_pronoun_stands_for_whom_the_latest_answer_names():
    history = [("Who sued Justin Baldoni?", "Blake Lively sued Justin Baldoni [1].")]
    assert standalone_question("Who are her lawyers?", history) == (
        "Who are her lawyers? (about Blake Lively)"
    )
