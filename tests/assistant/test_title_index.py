"""Which documents a question names, with the documents' title terms kept beside the case:
a new process works out only those of documents added or retitled since."""

from __future__ import annotations

import dataclasses

import pytest

from assistant import retrieval
from assistant.retrieval import TitleIndex
from tests.documents import record


class Registry:
    def __init__(self, folder, records):
        self.folder = folder
        self.listed = list(records)

    def records(self):
        return list(self.listed)


CASE = [
    record("a1", title="Okafor v. Brightline Freight — Order on the Motion to Compel"),
    record("b2", title="Okafor v. Brightline Freight — Deposition of Adrienne Uthe"),
    record("c3", title="Okafor v. Brightline Freight — Judgment", court="Eighth Circuit"),
]


@pytest.fixture
def counted(monkeypatch):
    made: list[str] = []
    real = retrieval._title_terms
    monkeypatch.setattr(retrieval, "_title_terms", lambda text: made.append(text) or real(text))
    return made


def test_a_new_process_reads_the_kept_terms_and_makes_only_a_retitled_documents(tmp_path, counted):
    registry = Registry(tmp_path, CASE)
    first = TitleIndex(registry)
    assert list(first.focus("What did the deposition of Uthe say?")) == ["b2"]
    assert len(counted) == 3 + 1  # three titles and the question
    assert (tmp_path / TitleIndex.FILE).exists()

    counted.clear()
    registry.listed[0] = dataclasses.replace(CASE[0], title="Okafor v. Brightline — Sanctions")
    later = TitleIndex(registry)  # as in a new process
    assert list(later.focus("the sanctions order")) == ["a1"]
    assert list(later.focus("the Eighth Circuit judgment")) == ["c3"]
    made_from_titles = [t for t in counted if "Okafor" in t]
    assert len(made_from_titles) == 1 and "Sanctions" in made_from_titles[0]


def test_a_damaged_file_of_terms_is_made_again(tmp_path, counted):
    (tmp_path / TitleIndex.FILE).write_text('{"format": 2, "documents": [', encoding="utf-8")
    index = TitleIndex(Registry(tmp_path, CASE))
    assert list(index.focus("the deposition of Adrienne Uthe")) == ["b2"]
    assert TitleIndex(Registry(tmp_path, CASE))._kept().keys() == {"a1", "b2", "c3"}


def test_without_a_folder_nothing_is_kept(counted):
    index = TitleIndex(Registry(None, CASE))
    assert list(index.focus("the Eighth Circuit judgment")) == ["c3"]
