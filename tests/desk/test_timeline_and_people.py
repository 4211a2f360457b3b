"""Dated events and the people of a case, on the demo article and a court-record fixture."""

from casefile.kernel.text import short_line_runs, split_sentences
from ingest.legal import stated
from ingest.loaders import parse_document
from ingest.people import roles_in
from ingest.timeline import events_in
from tests.conftest import SEED

ORDER = """UNITED STATES DISTRICT COURT
DISTRICT OF OREGON
Green Valley Growers v. Cascade Irrigation Co.
ORDER ON MOTION TO COMPEL
Before the Court is the plaintiff's motion to compel, filed on January 8, 2024.
Jordan Blake, of Portland, argued the cause for plaintiffs.
Counsel for the defendant, Priya Raman, opposed the motion at the hearing on Tuesday.
Accordingly, the motion to compel is GRANTED.
IT IS SO ORDERED.
Dated: March 3, 2024
ELENA VASQUEZ
United States District Judge
"""


def seed_events(date=None):
    doc = parse_document(SEED, SEED.read_bytes())
    return events_in("seed", doc.text, date)


def test_written_dates_are_events_and_relative_ones_are_marked_inferred():
    events = seed_events()
    written = [e for e in events if not e.inferred]
    assert [e.date for e in written] == ["2023-05-25"]
    thursday = [e for e in events if e.date_text == "Thursday"]
    assert thursday and thursday[0].inferred and "joint letter" in thursday[0].text
    # Without the article's date, "Thursday" cannot be resolved: it is listed, undated.
    assert thursday[0].date == ""


def test_relative_dates_resolve_against_the_documents_date():
    events = {e.date_text: e for e in seed_events("2025-02-14")}
    assert events["Thursday"].date == "2025-02-13" and events["Thursday"].inferred
    assert events["January"].date == "2025-01"
    assert events["last year"].date == "2024"


def test_years_of_cited_cases_are_not_events():
    text = (
        "See Gift Surplus, LLC v. State, 268 N.C. App. 1 (2019). The hearing was on March 2, 2021."
    )
    assert [e.date for e in events_in("d", text, None)] == ["2021-03-02"]


def test_a_court_record_gives_its_judge_and_counsel(tmp_path):
    path = tmp_path / "order.txt"
    path.write_text(ORDER, encoding="utf-8")
    doc = parse_document(path, path.read_bytes())
    units = split_sentences(doc.text) + short_line_runs(doc.text)
    roles = roles_in("d", doc.text, units, stated(doc.text))
    found = {(r.name, r.role) for r in roles}
    assert ("Jordan Blake", "lawyer") in found
    assert ("Priya Raman", "lawyer") in found
    # The signature block: the judge's name over her title.
    assert any(r.role == "judge" and "VASQUEZ" in r.name for r in roles)
    assert doc.title.startswith("Green Valley Growers v. Cascade Irrigation")


def test_the_people_of_the_demo_article_with_their_roles(store):
    from assistant.desk import CaseDesk
    from casefile.kernel.settings import IngestSettings
    from ingest.pipeline import ingest_paths

    ingest_paths([SEED], store, IngestSettings())
    desk = CaseDesk(store)
    people = {p.name: p for p in desk.people()}
    assert "lawyer for Baldoni" in people["Bryan Freedman"].role_summary()
    assert "former federal prosecutor" in people["Neama Rahmani"].role_summary()
    assert people["Lewis Liman"].role_summary() == "judge"
    assert {"Lively", "Blake Lively"} <= people["Blake Lively"].variants
    assert people["Blake Lively"].total > 10
    text = store.document_text(store.records()[0].doc_id)
    for _, where in people["Bryan Freedman"].roles:
        assert "Freedman" in text[where.start : where.end]  # each role is cited where stated


def test_desks_made_by_older_rules_answer_at_once_and_are_made_again_behind(store, monkeypatch):
    """A rules change (DESK_VERSION) must not make a big case's first desk question wait for
    every desk to be made again: the old ones answer, the new ones replace them as made."""
    import json
    import threading
    import time

    from assistant import desk as case_desk
    from casefile.kernel.settings import IngestSettings
    from ingest.desk import DESK, DESK_VERSION, current
    from ingest.pipeline import ingest_paths

    ingest_paths([SEED], store, IngestSettings())
    [record] = store.records()
    older = json.loads(store.extra(record.doc_id, DESK))
    older["version"] = DESK_VERSION - 1
    older["roles"] = [r for r in older["roles"] if r["name"] != "Lewis Liman"]  # older rules' miss
    store.write_extra(record.doc_id, DESK, json.dumps(older))
    made_in, release = [], threading.Event()
    real_submit = case_desk.submit_desk

    def held_submit(*args, **kwargs):
        made_in.append(threading.current_thread().name)
        release.wait(60)
        return real_submit(*args, **kwargs)

    monkeypatch.setattr("assistant.desk.submit_desk", held_submit)
    desk = case_desk.CaseDesk(store)
    people = {p.name: p for p in desk.people()}  # answered from the old desk, at once
    assert "lawyer for Baldoni" in people["Bryan Freedman"].role_summary()
    assert "Lewis Liman" not in people or people["Lewis Liman"].role_summary() == ""
    release.set()
    for _ in range(600):
        if current(store.extra(record.doc_id, DESK)) is not None:
            break
        time.sleep(0.1)
    assert current(store.extra(record.doc_id, DESK)) is not None  # stored by today's rules
    desk._remaking.join(30)
    assert {p.name: p for p in desk.people()}["Lewis Liman"].role_summary() == "judge"
    assert made_in == ["casefile-desk-remake"]  # never by the question's own thread


def test_dates_of_the_record_cited_are_not_events_but_times_of_day_are_kept():
    text = (
        "(TT Feb. 28, 2017, p. 103:11-15; Ex. 142.) (Brismark Depo., Dec. 18, 2015, pp. 65-66.) "
        "On May 2, 2019, at 10 a.m., the parties met."
    )
    assert [e.date for e in events_in("d", text, None)] == ["2019-05-02"]


def test_the_same_event_stated_in_two_documents_is_one_row_citing_both(store, tmp_path):
    from assistant.desk import CaseDesk
    from casefile.kernel.settings import IngestSettings
    from ingest.pipeline import ingest_paths

    entry = "On March 3, 2021, the court granted the motion to dismiss."
    (tmp_path / "order.txt").write_text(f"Order. {entry} So ordered.", encoding="utf-8")
    (tmp_path / "brief.txt").write_text(
        f"Appellant's brief. As the docket shows, “{entry}” The appeal followed in 2022.",
        encoding="utf-8",
    )
    ingest_paths([tmp_path / "order.txt", tmp_path / "brief.txt"], store, IngestSettings())
    rows = [r for r in CaseDesk(store).timeline() if r.event.date == "2021-03-03"]
    assert len(rows) == 1
    assert {s.doc_id for s in rows[0].sources} == {r.doc_id for r in store.records()}


def test_the_timeline_plot_counts_events_per_month_however_many_there_are(tmp_path):
    from PIL import Image

    from assistant.desk import EventRow, Source
    from casefile.desk import timeline_plot
    from casefile.kernel.records import Event

    where = Source("d", "T", "t.txt", None, None, 0, 1)
    rows = [
        EventRow(
            Event("d", 0, 1, "x", f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}", "x", False), where
        )
        for i in range(2000)
    ]
    size = Image.open(timeline_plot(rows, tmp_path / "plot.png")).size
    assert size[1] < 500  # one readable chart, not a 2,000-row strip


def test_an_event_told_by_a_pronoun_or_without_a_subject_says_whom_it_is_about():
    from ingest.timeline import events_in

    text = (
        "Dr. Lena Okafor testified for the plaintiff. In 1988, she was awarded a Ph.D. in "
        "electrical engineering. She joined Kestrel Labs on March 3, 1990.\n"
        "Tomas Ruiz was the company's founder. Born May 14, 1954, he grew up in Ohio.\n"
        "On June 2, 2019, the court denied the motion.\n"
    )
    people = frozenset({"Lena Okafor", "Tomas Ruiz"})  # the recogniser's, in the desk
    about = {e.date: e.subject for e in events_in("d", text, None, people)}
    assert about["1988"] == "Lena Okafor"
    assert about["1990-03-03"] == "Lena Okafor"
    assert about["1954-05-14"] == "Tomas Ruiz"
    assert about["2019-06-02"] == ""  # the sentence names its own subject
    # A capitalised run between ("Electrical Engineering") is nobody the recogniser found.
    degree = "Ana Silva joined in 2001. She studied Electrical Engineering. In 1995, she won.\n"
    (_, won) = events_in("d", degree, None, frozenset({"Ana Silva"}))
    assert won.subject == "Ana Silva"


def test_the_desk_cites_pages_of_many_documents_read_together_not_one_by_one(
    store, tmp_path, monkeypatch
):
    from assistant.desk import CaseDesk
    from casefile.kernel.settings import IngestSettings
    from ingest.pipeline import ingest_paths
    from tests.documents import write_pdf

    for n, city in enumerate(["Portland", "Salem", "Eugene"]):
        second = (
            f"On March {n + 3}, 2021, Maria Okafor visited the {city} plant. "
            f"“The valves were never inspected,” Maria Okafor said."
        )
        write_pdf(tmp_path / f"memo{n}.pdf", ["Memo on the plant inspections.", second])
    ingest_paths(sorted(tmp_path.glob("*.pdf")), store, IngestSettings())

    def one_by_one(doc_id):
        raise AssertionError("page spans read a document at a time")

    reads = []
    spans_of = store.page_spans_of
    monkeypatch.setattr(store, "page_spans", one_by_one)
    monkeypatch.setattr(store, "page_spans_of", lambda ids: reads.append(1) or spans_of(ids))
    desk = CaseDesk(store)

    quotes = desk.quotes("Maria Okafor")
    events = [r for r in desk.timeline() if r.event.date.startswith("2021-03")]
    okafor = next(p for p in desk.people() if p.name == "Maria Okafor")

    assert len(quotes) == 3 and {q.source.page for q in quotes} == {2}
    assert len(events) == 3 and {r.sources[0].page for r in events} == {2}
    assert okafor.first is not None and okafor.first.page == 2
    assert len(reads) == 1  # the first listing read them all; the others found them held
