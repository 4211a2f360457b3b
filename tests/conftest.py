"""Shared fixtures: a private CASEFILE_HOME per test, fake embeddings, a fresh case store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from casefile.settings import Settings

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_dce03cdb09bb98a3.txt"


@pytest.fixture(autouse=True)
def casefile_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder and none of the developer's CASEFILE_* settings."""
    for name in list(os.environ):
        if name.startswith("CASEFILE_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    monkeypatch.setenv("CASEFILE_HOME", str(home))
    return home


@pytest.fixture
def settings(casefile_home: Path) -> Settings:
    return Settings()


@pytest.fixture
def fake_embeddings() -> DeterministicFakeEmbedding:
    return DeterministicFakeEmbedding(size=32)


@pytest.fixture
def store(settings: Settings, fake_embeddings: DeterministicFakeEmbedding):
    """A real embedded Chroma case store with fake (hash-based) embeddings."""
    from vectorstore.store import CaseStore, make_client

    return CaseStore(make_client(settings), "test", fake_embeddings)


@pytest.fixture(scope="session")
def real_embeddings():
    """The bundled all-MiniLM-L6-v2, loaded once for the whole run."""
    from vectorstore.embeddings import SentenceTransformerEmbeddings

    embedder = SentenceTransformerEmbeddings()
    embedder.warm_up()
    return embedder


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """A real `chroma run` server on 127.0.0.1, for the scale-out path; yields its port."""
    import shutil
    import subprocess
    import sys
    import time

    import httpx

    executable = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if executable is None:
        pytest.fail("the `chroma` command (from the chromadb package) is not installed")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("w")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_TELEMETRY_IMPL": "none"}
    process = subprocess.Popen(
        [executable, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"chroma server did not start: {(data / 'server.log').read_text()[-2000:]}")
        time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=10)
