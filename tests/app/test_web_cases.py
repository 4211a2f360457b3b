"""The cases the app serves: the header a reporter reads first, the questions it suggests,
and read-only calls that never create a case or show the server's paths."""

import pytest

from assistant.desk import Person, Source
from casefile.kernel.errors import CaseNotFound
from casefile.kernel.records import RoleMention
from casefile.web_cases import CaseAPI, Cases, Overview, suggested_questions, without_paths
from tests.documents import record


def person(name: str, *roles: tuple[str, str]) -> Person:
    where = Source("d1", "T", "/x/d1.pdf", None, 1, 0, 5)
    return Person(
        name,
        "person",
        roles=[(RoleMention("d1", 0, 5, name, role, detail), where) for role, detail in roles],
        mentions={"T": 3},
    )


class FakeDesk:
    def __init__(self, people: list[Person]) -> None:
        self._people = people

    def people(self) -> list[Person]:
        return self._people


def test_the_header_counts_documents_pages_and_ocr_pages_and_says_when_last_added():
    shown = Overview("smith", 2, 14, 3, "2026-11-29T10:15:00+00:00")
    assert shown.markdown() == (
        "**Case “smith”** · 2 documents · 14 pages (3 read by OCR) · "
        "last added 2026-11-29 10:15 UTC"
    )
    assert "no documents yet" in Overview("smith", 0, 0, 0, "").markdown()
    assert "pages" not in Overview("smith", 1, 0, 0, "2026-11-29T10:15").markdown()


def test_suggested_questions_come_from_the_roles_and_rulings_the_documents_state():
    desk = FakeDesk(
        [
            person("Lewis Liman", ("judge", "")),
            person("Bryan Freedman", ("lawyer", "Baldoni's lawyer")),
            person("Ana Ruiz", ("lawyer", "for appellant")),
            person("Ben Ode", ("lawyer", "for appellant")),
        ]
    )
    records = [record("d1", court="Supreme Court", title="Smith v. Jones — Opinion and Order")]
    assert suggested_questions(records, desk) == [
        "Which judge is hearing the case?",
        "Who represents the appellant?",  # named by two lawyers: first
        "Who represents Baldoni?",
        "What did the court order?",
    ]
    news = [record("d2", title="Actor sues studio")]
    assert suggested_questions(news, FakeDesk([])) == []


def test_paths_in_messages_are_cut_to_file_names():
    assert without_paths("/srv/casefile/default/uploads/memo.pdf: encrypted") == (
        "memo.pdf: encrypted"
    )
    assert without_paths("no document named 'memo.pdf' in case 'x'") == (
        "no document named 'memo.pdf' in case 'x'"
    )
    assert without_paths("see https://court.example/a/b.pdf") == "see https://court.example/a/b.pdf"


@pytest.mark.parametrize(
    ("call", "args"),
    [("sources", ()), ("ask", ("Who is the judge?",)), ("page", ("memo.pdf",))],
)
def test_a_read_only_call_naming_an_unknown_case_answers_case_not_found_and_creates_nothing(
    settings, call, args
):
    cases = Cases(settings)
    before = cases.names()
    with pytest.raises(CaseNotFound, match="no case named 'nope'"):
        getattr(CaseAPI(cases), call)(*args, case="nope")
    assert cases.names() == before
    assert not settings.case_dir("nope").exists()
    assert cases.records("nope") == []


def test_every_source_in_a_reply_is_named_by_file_however_deep():
    from casefile.web_cases import public

    reply = {
        "citations": [{"source": "/srv/x/uploads/a.pdf", "quote": "q"}],
        "nearest": {"source": "/srv/x/b.txt"},
        "passages": [{"source": "https://court.example/c.html"}],
        "answer": "/not/a/source/key",
    }
    assert public(reply) == {
        "citations": [{"source": "a.pdf", "quote": "q"}],
        "nearest": {"source": "b.txt"},
        "passages": [{"source": "https://court.example/c.html"}],
        "answer": "/not/a/source/key",
    }
