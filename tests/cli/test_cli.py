"""The `casefile` command as a user runs it: a real process, the bundled model, embedded Chroma."""

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import SEED
from tests.documents import write_pdf

CLI = [sys.executable, "-m", "casefile.cli"]


def casefile(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"casefile {args} exited {result.returncode}:\n{result.stderr}")
    return result


def test_help_loads_no_model_or_store():
    heavy = "('torch', 'chromadb', 'sentence_transformers', 'langchain_chroma', 'onnxruntime')"
    probe = f"import sys, casefile.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    help_text = casefile("--help").stdout
    for command in ("ingest", "sources", "remove", "cases"):
        assert command in help_text


@pytest.mark.integration
def test_ingesting_the_seeds_twice_leaves_the_same_chunks(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    first = casefile("ingest", str(seeds))
    assert "added" in first.stdout
    listed = json.loads(casefile("sources", "--json").stdout)
    assert len(listed) == 1
    assert listed[0]["title"].startswith("Justin Baldoni and Blake Lively’s refusal")
    assert listed[0]["chunks"] > 5
    casefile("ingest", str(seeds))
    assert json.loads(casefile("sources", "--json").stdout) == listed
    assert casefile("cases").stdout.strip() == "default: 1 document"


@pytest.mark.integration
def test_bad_inputs_are_named_and_good_files_beside_them_are_ingested(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(SEED, folder / "article.txt")
    write_pdf(folder / "order.pdf", ["The motion to quash is denied.", "So ordered."])
    (folder / "empty.txt").write_text("")
    (folder / "junk.pdf").write_bytes(bytes(range(256)) * 4)
    write_pdf(folder / "scan.pdf", [None])
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    result = casefile("ingest", str(folder), "--case", "mixed", check=False)
    assert result.returncode == 1
    assert f"failed {folder / 'empty.txt'}: empty file" in result.stderr
    assert f"failed {folder / 'junk.pdf'}: not a PDF" in result.stderr
    assert f"failed {folder / 'scan.pdf'}: no extractable text (scanned?)" in result.stderr
    assert f"skipped {folder / 'photo.jpg'}: not a supported type (.jpg)" in result.stderr
    listed = json.loads(casefile("sources", "--case", "mixed", "--json").stdout)
    assert sorted(d["kind"] for d in listed) == ["pdf", "text"]
    assert next(d for d in listed if d["kind"] == "pdf")["pages"] == 2


@pytest.mark.integration
def test_remove_deletes_a_document_by_file_name(tmp_path):
    shutil.copy(SEED, tmp_path / "article.txt")
    casefile("ingest", str(tmp_path / "article.txt"))
    removed = casefile("remove", "article.txt")
    assert "removed" in removed.stdout
    assert json.loads(casefile("sources", "--json").stdout) == []
    missing = casefile("remove", "article.txt", check=False)
    assert missing.returncode == 2
    assert "no document named 'article.txt'" in missing.stderr


def test_unknown_case_is_reported_without_a_traceback():
    result = casefile("sources", "--case", "nothing-here", check=False)
    assert result.returncode == 2
    assert "no case named 'nothing-here'" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_answered_ask_ends_at_once_yet_runs_its_clean_ups_and_writes_all_it_printed(tmp_path):
    """`casefile ask` leaves without freeing what it loaded; what a normal exit does that a
    user would notice (other threads' work, registered clean-ups, buffered output) still
    happens."""
    script = textwrap.dedent(
        """
        import atexit, sys, threading, time
        from concurrent.futures import ThreadPoolExecutor
        from pathlib import Path
        from casefile.cli import end_now

        atexit.register(lambda: Path(sys.argv[1]).write_text("cleaned"))
        ThreadPoolExecutor(1).submit(int).result()  # a pool's idle worker must not hang the end
        threading.Thread(target=lambda: (time.sleep(0.2), print("thread done"))).start()
        print("x" * 100_000)
        end_now(0)
        print("never")
        """
    )
    done = tmp_path / "done"
    result = subprocess.run(
        [sys.executable, "-c", script, str(done)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "x" * 100_000 + "\nthread done\n"
    assert done.read_text() == "cleaned"


def ingest_killed(folder, patch: str) -> subprocess.CompletedProcess:
    """`casefile ingest folder` in a real process, after `patch` (Python that SIGKILLs the
    process at the moment a test needs) has run in it."""
    script = textwrap.dedent(patch) + textwrap.dedent(
        f"""
        import sys
        sys.argv = ["casefile", "ingest", {str(folder)!r}]
        from casefile.cli import main
        main()
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )


@pytest.mark.integration
def test_an_ingest_killed_half_way_is_finished_by_the_next_run(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED, folder / "article.txt")
    # The real CLI, SIGKILLed right after its first chunk batch.
    killed = ingest_killed(
        folder,
        """
        import os, signal
        import vectorstore.store as store
        store.WRITE_BATCH = 3
        real_add = store.CaseStore._add_chunk_batch
        def add_then_die(self, *args, **kwargs):
            real_add(self, *args, **kwargs)
            os.kill(os.getpid(), signal.SIGKILL)
        store.CaseStore._add_chunk_batch = add_then_die
        """,
    )
    assert killed.returncode == -9
    assert json.loads(casefile("sources", "--json").stdout) == []

    resumed = casefile("ingest", str(folder))
    assert "finished an interrupted ingest" in resumed.stderr
    listed = json.loads(casefile("sources", "--json").stdout)
    assert len(listed) == 1 and listed[0]["chunks"] > 3


@pytest.mark.integration
def test_a_kill_between_chroma_and_the_keyword_index_is_repaired(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED, folder / "article.txt")
    (folder / "order.txt").write_text("The xylophone records are to be produced by Friday.\n")
    # The real CLI, SIGKILLed once the second document is complete in Chroma and before its
    # chunks reach the keyword index.
    killed = ingest_killed(
        folder,
        """
        import os, signal
        import vectorstore.keyword as keyword
        real_replace = keyword.KeywordIndex.replace
        def replace_or_die(self, doc_id, chunks):
            chunks = list(chunks)
            if any("xylophone" in text for _, text in chunks):
                os.kill(os.getpid(), signal.SIGKILL)
            real_replace(self, doc_id, chunks)
        keyword.KeywordIndex.replace = replace_or_die
        """,
    )
    assert killed.returncode == -9

    from casefile.kernel.settings import Settings
    from vectorstore.cases import open_case

    store = open_case(Settings())  # another process, as the next question's would be
    records = store.records()
    assert sorted(r.name for r in records) == ["article.txt", "order.txt"]
    assert store.keyword_search("xylophone", k=3)  # the gap is filled at the first search
    assert store.keyword_index().doc_ids() == {r.doc_id for r in records}
    assert len(store.keyword_index()) == store.chunk_count()
    chunks = store.chunk_count()
    casefile("ingest", str(folder))  # both unchanged: nothing written twice
    after = open_case(Settings())
    assert after.chunk_count() == chunks == len(after.keyword_index())


@pytest.mark.integration
def test_the_desk_commands_print_cited_tables(tmp_path):
    env = {**os.environ, "CASEFILE_HOME": str(tmp_path / "home"), "COLUMNS": "160"}
    run = [sys.executable, "-m", "casefile.cli"]
    subprocess.run([*run, "ingest", str(SEED)], env=env, check=True, capture_output=True)
    quotes = subprocess.run(
        [*run, "quotes", "--who", "Uthe"], env=env, capture_output=True, text=True
    )
    assert quotes.returncode == 0 and "They need to settle" in quotes.stdout
    assert "Adrienne Uthe" in quotes.stdout and SEED.name[:12] in quotes.stdout
    timeline = subprocess.run([*run, "timeline", "--json"], env=env, capture_output=True, text=True)
    rows = json.loads(timeline.stdout)
    assert rows[0]["date"] == "2023-05-25" and rows[0]["doc_id"]
    assert any(r["as_written"] == "Thursday" and r["inferred"] for r in rows)
    people = subprocess.run([*run, "people", "--csv"], env=env, capture_output=True, text=True)
    assert (
        people.stdout.startswith("name,kind,roles") and "Lewis Liman,person,judge" in people.stdout
    )
    export = tmp_path / "export"
    subprocess.run(
        [*run, "timeline", "--export", str(export)], env=env, check=True, capture_output=True
    )
    markdown = (export / "timeline.md").read_text()
    assert "![Events on a time axis](timeline.png)" in markdown and "[^1]:" in markdown
    assert (export / "timeline.png").stat().st_size > 1000 and (export / "timeline.csv").exists()
