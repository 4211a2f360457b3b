"""Running a question file: gold evidence located, answers scored, runs resumed, reports written."""

import dataclasses
import json
import shutil

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant import CaseAssistant
from assistant.models import ChatModels
from casefile.evaluation.questions import EvalQuestion
from casefile.evaluation.report import summarize, write_reports
from casefile.evaluation.runner import (
    find_quote,
    read_rows,
    resolve_evidence,
    run_eval,
    short_answer_metrics,
)
from casefile.evaluation.squad import convert_squad
from casefile.kernel.records import Answer, AnswerSentence, Citation, ShortAnswer
from casefile.kernel.settings import IngestSettings
from ingest.pipeline import ingest_paths
from tests.conftest import SEED
from vectorstore.store import CaseStore, make_client

LAWYERS = EvalQuestion(
    id="lawyers",
    question="Who are Blake Lively's lawyers?",
    answers=("Mike Gottlieb and Esra Hudson",),
    evidence=("Lively's lawyers, Mike Gottlieb and Esra Hudson, told Digital in a statement.",),
)
TRIAL = EvalQuestion(id="trial", question="On what date does the trial begin?", answerable=False)


@pytest.fixture
def case(settings, word_embeddings, tmp_path) -> CaseStore:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED, folder / "article.txt")
    store = CaseStore(make_client(settings), "seed", word_embeddings)
    ingest_paths([folder], store, IngestSettings())
    return store


def test_find_quote_ignores_whitespace_and_curly_quotes():
    text = "Baldoni’s lawyer,\n  Bryan Freedman, slammed it. Later, Baldoni's lawyer spoke."
    assert find_quote(text, "Baldoni's lawyer, Bryan Freedman") == (0, 34)
    later = text.index("Baldoni's lawyer spoke")
    assert find_quote(text, "Baldoni's lawyer", near=40) == (later, later + 16)
    assert find_quote(text, "Esra Hudson") is None


def test_evidence_of_every_kind_is_located_in_the_stored_text(case):
    [record] = case.records()
    text = case.document_text(record.doc_id)
    raw = SEED.read_text(encoding="utf-8")
    start = raw.index("Mike Gottlieb")
    question = EvalQuestion(
        id="q",
        question="?",
        evidence=(
            "Mike Gottlieb and Esra Hudson",
            {"doc": "article.txt", "start": start, "end": start + 29},
            {"doc": "article.txt", "page": 1},
            "a quote that is nowhere",
            {"doc": "missing.pdf", "page": 1},
        ),
    )
    spans, notes = resolve_evidence(case, question)
    assert [text[s:e] for _, s, e in spans[:2]] == ["Mike Gottlieb and Esra Hudson"] * 2
    assert spans[2] == (record.doc_id, 0, len(text))
    assert len(notes) == 2
    assert "'a quote that is nowhere' is not in the case's documents" in notes[0]
    assert "missing.pdf" in notes[1]


def test_answers_are_scored_and_a_rerun_resumes(case, settings, tmp_path):
    assistant = CaseAssistant(case, settings)
    out = tmp_path / "out"
    first = run_eval(assistant, [LAWYERS], ["extractive"], out)
    assert (first.answered, first.skipped) == (1, 0)
    [row] = read_rows(out / "answers.jsonl")
    assert row["answer"]["citations"] and row["answer"]["passages"]
    assert row["metrics"]["hit"] == 1.0
    assert row["metrics"]["contains"] == 1.0
    assert row["metrics"]["supported_sentences"] == row["metrics"]["sentences"] >= 1

    second = run_eval(assistant, [LAWYERS, TRIAL], ["extractive"], out)
    assert (second.answered, second.skipped) == (1, 1)
    rows = read_rows(out / "answers.jsonl")
    assert [r["id"] for r in rows] == ["lawyers", "trial"]
    assert rows[1]["metrics"]["refused"] is True
    assert rows[1]["metrics"]["hit"] is None  # no gold evidence: not scored, not zero


def test_a_torn_last_line_is_answered_again(case, settings, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "answers.jsonl").write_text('{"id": "lawyers", "mod')
    run = run_eval(CaseAssistant(case, settings), [LAWYERS], ["extractive"], out)
    assert run.answered == 1


def test_a_question_that_fails_is_reported_and_the_rest_go_on(case, settings, tmp_path):
    wrong_doc = EvalQuestion(id="wrong", question="Who is the judge?", doc="no-such-file.pdf")
    run = run_eval(CaseAssistant(case, settings), [wrong_doc, LAWYERS], ["extractive"], tmp_path)
    assert run.answered == 1
    assert run.problems == [
        "wrong (extractive): no document named 'no-such-file.pdf' in case 'seed'"
    ]


def test_two_models_side_by_side_with_citation_scores(case, settings, tmp_path):
    invented = GenericFakeChatModel(
        messages=iter(
            [
                AIMessage(
                    content="Lively’s lawyers are Mike Gottlieb and Esra Hudson [1]. "
                    "They also represent Taylor Swift [1]."
                )
            ]
        )
    )
    assistant = CaseAssistant(case, settings, chat_models=ChatModels({"openai:fake": invented}))
    # Restricted to the article, the question goes past the desk to the reader and the model.
    asked = dataclasses.replace(LAWYERS, doc="article.txt")
    run = run_eval(assistant, [asked], ["extractive", "openai:fake"], tmp_path)
    assert not run.problems, run.problems
    summary = summarize(run.rows, ["extractive", "openai:fake"])
    assert list(summary) == ["extractive", "openai:fake"]
    model = summary["openai:fake"]
    assert model["citation_recall"] == 1.0 and model["citation_precision"] == 1.0
    assert model["removed_share"] == 0.5  # the invented sentence was removed
    assert summary["extractive"]["removed_share"] == 0.0
    write_reports(tmp_path, summary, run.rows, source="q.jsonl", problems=["q.jsonl:3: bad row"])
    saved = json.loads((tmp_path / "summary.json").read_text())
    assert saved["models"]["openai:fake"]["questions"] == 1
    report = (tmp_path / "report.md").read_text()
    assert "| metric | extractive | openai:fake |" in report
    assert "| sentences removed as unsupported | 0.0% | 50.0% |" in report
    assert "bad row" in report and "bad row" in (tmp_path / "report.html").read_text()
    for plot in ("metrics.png", "latency.png"):
        assert (tmp_path / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_squad_files_become_documents_and_questions(tmp_path):
    squad = {
        "data": [
            {
                "title": "example.com",
                "paragraphs": [
                    {"context": "We collect your email address.", "qas": []},
                    {
                        "context": "We share data with advertisers.",
                        "qas": [
                            {
                                "id": "q1",
                                "question": "Who gets my data?",
                                "answers": [{"text": "advertisers", "answer_start": 19}],
                            },
                            {
                                "id": "q2",
                                "question": "Do you sell data?",
                                "answers": [],
                                "is_impossible": True,
                            },
                        ],
                    },
                ],
            }
        ]
    }
    source = tmp_path / "dev.json"
    source.write_text(json.dumps(squad))
    converted = convert_squad(source, tmp_path / "out")
    text = (converted.documents / "example.com.txt").read_text()
    rows = [json.loads(line) for line in converted.questions.read_text().splitlines()]
    first = rows[0]
    span = first["evidence"][0]
    assert text[span["start"] : span["end"]] == "advertisers"
    assert first["doc"] == "example.com.txt" and first["answers"] == ["advertisers"]
    assert rows[1]["answerable"] is False and rows[1]["evidence"] == []
    assert (converted.document_count, converted.question_count) == (1, 2)


def test_a_file_that_is_not_squad_is_rejected_by_name(tmp_path):
    source = tmp_path / "notes.json"
    source.write_text("[1, 2]")
    with pytest.raises(ValueError, match="notes.json: not a SQuAD file"):
        convert_squad(source, tmp_path / "out")


def test_evidence_with_a_page_and_a_quote_is_the_quote_itself(case):
    [record] = case.records()
    text = case.document_text(record.doc_id)
    quote = "Lively’s lawyers, Mike Gottlieb and Esra Hudson"
    question = EvalQuestion(
        id="q", question="?", evidence=({"doc": "article.txt", "page": 1, "quote": quote},)
    )
    [(doc_id, start, end)], notes = resolve_evidence(case, question)
    assert (doc_id, text[start:end], notes) == (record.doc_id, quote, [])


def test_a_quote_the_text_has_only_in_part_is_found_by_its_longest_stretch(case):
    # PDF text read another way rarely matches a quote whole: half of it is enough.
    quote = "Lively’s lawyers, Mike Gottlieb and Esra Hudson, said in a statement yesterday"
    question = EvalQuestion(
        id="q", question="?", evidence=({"doc": "article.txt", "page": 1, "quote": quote},)
    )
    [(doc_id, start, end)], _ = resolve_evidence(case, question)
    assert case.document_text(doc_id)[start:end].startswith("Lively’s lawyers, Mike Gottlieb")


def _answer(short: str | None, sentence: str, answerable: bool = True) -> Answer:
    citation = Citation(1, "d", "a.txt", "A", None, 0, len(sentence), sentence)
    return Answer(
        question="?",
        answer=sentence,
        answerable=answerable,
        sentences=(AnswerSentence(sentence, (1,), True),) if answerable else (),
        citations=(citation,) if answerable else (),
        passages=(),
        unsupported=(),
        model="extractive",
        short=ShortAnswer(short, 1, 0, len(short)) if short else None,
    )


@pytest.mark.parametrize(
    ("question", "answer", "wrong", "short_correct"),
    [
        (LAWYERS, _answer("Mike Gottlieb", "Mike Gottlieb and Esra Hudson said so."), False, True),
        (LAWYERS, _answer("Bryan Freedman", "Bryan Freedman said so."), True, False),
        (LAWYERS, _answer(None, "", answerable=False), False, None),
        (TRIAL, _answer("March 9", "The trial begins March 9."), True, None),
        (TRIAL, _answer(None, "", answerable=False), False, None),
    ],
)
def test_wrong_answers_and_short_answers_are_judged_as_a_reporter_would(
    question, answer, wrong, short_correct
):
    judged = short_answer_metrics(question, answer)
    assert judged["wrong"] is wrong
    assert judged["short_correct"] is short_correct


def test_the_summary_counts_wrong_answers_and_the_auc_of_confidence():
    rows = [
        {
            "answerable": True,
            "metrics": {
                "wrong": False,
                "refused": False,
                "confidence": 0.9,
                "short_given": True,
                "short_correct": True,
            },
        },
        {
            "answerable": True,
            "metrics": {
                "wrong": True,
                "refused": False,
                "confidence": 0.4,
                "short_given": True,
                "short_correct": False,
            },
        },
        {
            "answerable": False,
            "metrics": {
                "wrong": False,
                "refused": True,
                "confidence": 0.1,
                "short_given": False,
                "short_correct": None,
            },
        },
    ]
    from casefile.evaluation.report import _wrong_and_short

    summary = _wrong_and_short([r["metrics"] for r in rows], rows)
    assert summary["wrong"] == 1 and summary["wrong_answers"] == pytest.approx(1 / 3)
    assert summary["short_answer_rate"] == 1.0 and summary["short_precision"] == 0.5
    assert summary["answer_auc"] == 1.0


def test_a_follow_up_is_asked_after_the_questions_of_its_conversation(case, settings, tmp_path):
    assistant = CaseAssistant(case, settings)
    asked: list[tuple[str, int]] = []
    original = assistant.ask

    def recording_ask(question, history=None, **options):
        asked.append((question, len(history or [])))
        return original(question, history, **options)

    assistant.ask = recording_ask
    follow_up = EvalQuestion(
        id="f", question="Who else?", history=("Who are Blake Lively's lawyers?",)
    )
    run = run_eval(assistant, [follow_up], ["extractive"], tmp_path / "out")
    assert asked == [("Who are Blake Lively's lawyers?", 0), ("Who else?", 1)]
    assert run.rows[0]["history"] == ["Who are Blake Lively's lawyers?"]
