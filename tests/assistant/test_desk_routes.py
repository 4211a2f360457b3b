"""Questions the reporter's desk answers, still quoted verbatim and cited."""

import pytest

from assistant import CaseAssistant
from casefile.kernel.settings import IngestSettings
from ingest.pipeline import ingest_paths
from tests.conftest import SEED
from vectorstore.store import CaseStore, make_client


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from casefile.kernel.settings import Settings
    from tests.conftest import BagOfWordsEmbeddings

    home = tmp_path_factory.mktemp("desk-routes")
    settings = Settings(home=home)
    store = CaseStore(make_client(settings), "seed", BagOfWordsEmbeddings())
    ingest_paths([SEED], store, IngestSettings())
    return CaseAssistant(store, settings)


def verbatim(answer, assistant) -> None:
    for c in answer.citations:
        assert assistant.store.document_text(c.doc_id)[c.start : c.end] == c.quote


def test_what_someone_said_is_answered_with_their_quotation(assistant):
    answer = assistant.ask("What did Freedman say?")
    assert "fishing expedition" in answer.answer
    verbatim(answer, assistant)


def test_who_someone_is_is_answered_from_their_roles(assistant):
    answer = assistant.ask("Which firm did Neama Rahmani found?")
    assert "West Coast Trial Lawyers" in answer.answer
    assert answer.short is not None and "West Coast Trial Lawyers founder" in answer.short.text
    verbatim(answer, assistant)


def test_who_the_lawyers_are_lists_each_with_the_sentence_stating_it(assistant):
    answer = assistant.ask("Who are the lawyers?")
    for name in ("Bryan Freedman", "Mike Gottlieb"):
        assert name in answer.answer
    assert len(answer.citations) >= 2
    verbatim(answer, assistant)


def test_whose_lawyer_is_answered_for_that_client_only(assistant):
    answer = assistant.ask("Who is Baldoni’s lawyer?")
    assert "Bryan Freedman" in answer.answer
    assert "Gottlieb" not in answer.answer
    for asked in (
        "Who are Blake Lively's lawyers?",
        "Who are the attorneys for Blake Lively?",
        "Who represents Lively?",
    ):
        lively = assistant.ask(asked)
        assert "Mike Gottlieb" in lively.answer and "Freedman" not in lively.answer, asked
        assert lively.short is not None and lively.short.text == "Mike Gottlieb and Esra Hudson"
        verbatim(lively, assistant)


def test_what_happened_in_a_month_gives_the_dated_sentences(assistant):
    answer = assistant.ask("What happened in May 2023?")
    assert "Hoboken" in answer.answer
    verbatim(answer, assistant)


def test_a_question_the_desk_has_nothing_for_goes_to_retrieval(assistant):
    answer = assistant.ask("What did Colleen Hoover say?")  # named, never quoted
    assert not answer.answerable or "Hoover" in answer.answer


def test_a_question_asked_while_the_desk_is_first_read_waits_for_it(assistant):
    import threading
    import time

    from assistant.desk import CaseDesk

    class SlowListing:  # the case's documents listed slowly, as under a busy server
        def __init__(self, store):
            self.store = store

        def records(self, **kwargs):
            time.sleep(0.3)
            return self.store.records(**kwargs)

        def __getattr__(self, name):
            return getattr(self.store, name)

    desk = CaseDesk(SlowListing(assistant.store))
    found: dict[str, list[str]] = {}

    def ask(name: str) -> None:
        found[name] = [p.name for p in desk.holders("Baldoni’s lawyer")]

    first = threading.Thread(target=ask, args=("first",))
    first.start()
    time.sleep(0.05)  # the second question arrives while the first is reading the desk
    ask("second")
    first.join()
    assert found["first"] == found["second"] == ["Bryan Freedman"]
