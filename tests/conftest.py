"""Shared fixtures: a private CASEFILE_HOME per test, fake embeddings, a fresh case store."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding, Embeddings

from casefile.kernel.settings import Settings

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

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


class BagOfWordsEmbeddings(Embeddings):
    """A fake that still means something: hashed, stemmed word counts, normalised.

    Texts sharing words are close, texts sharing none are orthogonal, which is enough for
    tests of answering logic without loading a model.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size

    def _embed(self, text: str) -> list[float]:
        import hashlib
        import math

        from assistant.evidence import content_terms

        vector = [0.0] * self.size
        for term in content_terms(text):
            vector[int(hashlib.md5(term.encode()).hexdigest(), 16) % self.size] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


@pytest.fixture
def word_embeddings() -> BagOfWordsEmbeddings:
    return BagOfWordsEmbeddings()


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


@contextlib.contextmanager
def running_server(command: list[str], probe_url: str, log_path: Path, *, timeout: float, env=None):
    """Start `command`, wait until `probe_url` answers 200, and stop the process afterwards."""
    import subprocess
    import time

    import httpx

    process = subprocess.Popen(
        command, stdout=log_path.open("w"), stderr=subprocess.STDOUT, env=env
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(probe_url, timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{command[0]} did not start: {log_path.read_text()[-2000:]}")
        time.sleep(0.2)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """A real `chroma run` server on 127.0.0.1, for the scale-out path; yields its port."""
    import shutil
    import sys

    executable = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which(
        "chroma"
    )
    if executable is None:
        pytest.fail("the `chroma` command (from the chromadb package) is not installed")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_TELEMETRY_IMPL": "none"}
    command = [
        executable,
        "run",
        "--path",
        str(data / "db"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    probe = f"http://127.0.0.1:{port}/api/v2/heartbeat"
    with running_server(command, probe, data / "server.log", timeout=60, env=env):
        yield port


@pytest.fixture(scope="session")
def seed_case(tmp_path_factory: pytest.TempPathFactory, real_embeddings):
    """The demo article ingested once with the real bundled embedder; yields (settings, store)."""
    from ingest.pipeline import ingest_paths
    from vectorstore.store import CaseStore, make_client

    home = tmp_path_factory.mktemp("seed-home")
    settings = Settings(home=home)
    store = CaseStore(make_client(settings), "seed", real_embeddings)
    ingest_paths([SEED], store, settings.ingest)
    return settings, store


# llama.cpp's OpenAI-compatible HTTP server, as xllamacpp runs it: the model path, port and
# key come from the command line and the environment; the process then only serves.
LLAMA_SERVER_SCRIPT = """
import os, sys, threading
import xllamacpp
params = xllamacpp.CommonParams()
params.model.path = sys.argv[1]
params.hostnames = ["127.0.0.1"]
params.port = int(sys.argv[2])
params.n_ctx = 4096
params.offline = True
params.verbosity = -1
params.ui = False
params.endpoint_slots = False
params.api_keys = [os.environ["LLAMA_SERVER_KEY"]]
server = xllamacpp.Server(params)
threading.Event().wait()
"""
# The test server asks for a key, like the engine Casefile starts in-process: tests pass it
# as OPENAI_API_KEY.
LLAMA_SERVER_KEY = secrets.token_urlsafe(16)


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory):
    """llama.cpp's OpenAI-compatible server (from xllamacpp) on 127.0.0.1 with the bundled
    GGUF; it wants LLAMA_SERVER_KEY as its API key. Yields its /v1 URL."""
    import sys

    from assistant.models import bundled_gguf_path

    port = free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [sys.executable, "-c", LLAMA_SERVER_SCRIPT, str(bundled_gguf_path()), str(port)]
    env = {**os.environ, "LLAMA_SERVER_KEY": LLAMA_SERVER_KEY}
    # /health answers without the key, once the model is loaded.
    probe = f"http://127.0.0.1:{port}/health"
    with running_server(command, probe, log_path, timeout=120, env=env):
        yield f"http://127.0.0.1:{port}/v1"
