"""Model specs, the one registry of chat models, and the local GGUF backend."""

import os
import threading
import time

import pytest

from assistant import models
from assistant.models import ChatModels, ModelSpec
from casefile.kernel.errors import CasefileError, ModelUnavailable, UnknownModel
from casefile.kernel.settings import LLMSettings


def test_an_unknown_model_is_a_domain_error_naming_it():
    with pytest.raises(UnknownModel, match="unknown model 'gpt5'"):
        ModelSpec.parse("gpt5")
    assert not issubclass(UnknownModel, ValueError)
    assert issubclass(UnknownModel, CasefileError)


def test_concurrent_sessions_share_one_built_model(monkeypatch):
    built: list[str] = []

    def slow_build(spec, settings):
        built.append(str(spec))
        time.sleep(0.05)  # a model that takes a while to set up widens any race
        return object()

    monkeypatch.setattr(models, "build_chat_model", slow_build)
    registry = ChatModels()
    spec = ModelSpec.parse("openai:some-model")
    got: list[object] = []
    threads = [
        threading.Thread(target=lambda: got.append(registry.get(spec, LLMSettings())))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == ["openai:some-model"]
    assert len({id(model) for model in got}) == 1


def test_keys_and_hosts_come_from_settings(monkeypatch):
    from casefile.kernel.settings import Settings

    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OLLAMA_HOST", "http://127.0.0.1:11999")
    monkeypatch.setenv("CASEFILE_LLM_OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    settings = Settings()
    assert settings.llm.openai_api_key.get_secret_value() == "sk-from-env"
    assert "sk-from-env" not in repr(settings)  # a secret never shows in logs
    chat = models.build_chat_model(ModelSpec.parse("openai:m"), settings.llm)
    assert str(chat.openai_api_base) == "http://127.0.0.1:8080/v1"
    ollama = models.build_chat_model(ModelSpec.parse("ollama:m"), settings.llm)
    assert ollama.base_url == "http://127.0.0.1:11999"


class FakeEngine:
    """Stands in for xllamacpp.Server: streams `parts` through the callback, then waits for
    `release` (a model still generating) unless the callback asks it to stop."""

    def __init__(self, parts: list[dict], release: threading.Event | None = None) -> None:
        self.parts = parts
        self.release = release
        self.requests: list[dict] = []
        self.stopped = threading.Event()

    def handle_chat_completions(self, request: dict, callback) -> None:
        self.requests.append(request)
        for part in self.parts:
            if callback(part):
                self.stopped.set()
                return
        if self.release is not None:
            self.release.wait(5)
            if callback(delta("")):
                self.stopped.set()


def delta(text: str) -> dict:
    return {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}


@pytest.fixture
def gguf_file(tmp_path):
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF")
    return path


@pytest.fixture
def fake_engine(monkeypatch):
    """Every GgufChat gets the engine the test puts in `holder[0]`."""
    holder: list[FakeEngine] = []
    monkeypatch.setattr(models, "_ENGINES", {})
    monkeypatch.setattr(models, "_start_engine", lambda *key: holder[0])
    return holder


def local_chat(path, **settings) -> models.GgufChat:
    chat = models.build_chat_model(ModelSpec.parse(f"gguf:{path}"), LLMSettings(**settings))
    assert isinstance(chat, models.GgufChat)
    return chat


def test_a_missing_gguf_file_is_model_unavailable_naming_it(tmp_path):
    with pytest.raises(ModelUnavailable, match="no GGUF model file at .*absent.gguf"):
        models.build_chat_model(ModelSpec.parse(f"gguf:{tmp_path}/absent.gguf"), LLMSettings())


def test_local_models_use_every_cpu_unless_told(gguf_file):
    assert local_chat(gguf_file).threads == (os.cpu_count() or 1)
    assert local_chat(gguf_file, threads=3).threads == 3


def test_concurrent_first_calls_load_the_engine_once(monkeypatch, gguf_file):
    loaded: list[tuple] = []

    def slow_start(*key):
        loaded.append(key)
        time.sleep(0.05)  # a load that takes a while widens any race
        return FakeEngine([delta("ok")])

    monkeypatch.setattr(models, "_ENGINES", {})
    monkeypatch.setattr(models, "_start_engine", slow_start)
    chats = [local_chat(gguf_file) for _ in range(8)]
    answers: list[str] = []
    threads = [
        threading.Thread(target=lambda c=c: answers.append(c.invoke("hi").content)) for c in chats
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["ok"] * 8
    assert loaded == [(str(gguf_file), 4096, os.cpu_count() or 1)]


def test_local_model_streams_tokens_decoding_greedily(fake_engine, gguf_file):
    fake_engine.append(FakeEngine([delta("The judge "), delta(""), delta("is Liman [1].")]))
    chunks = [c.content for c in local_chat(gguf_file).stream("Who is the judge?") if c.content]
    assert chunks == ["The judge ", "is Liman [1]."]
    request = fake_engine[0].requests[0]
    assert request["temperature"] == 0.0 and request["repeat_penalty"] == 1.0
    assert request["messages"] == [{"role": "user", "content": "Who is the judge?"}]


def test_a_slow_local_model_times_out_and_is_told_to_stop(fake_engine, gguf_file):
    release = threading.Event()
    engine = FakeEngine([delta("The")], release)
    fake_engine.append(engine)
    with pytest.raises(ModelUnavailable, match="took longer than 0.2 s"):
        local_chat(gguf_file, timeout=0.2).invoke("Who is the judge?")
    release.set()
    assert engine.stopped.wait(5)


def test_an_engine_error_is_model_unavailable_with_its_message(fake_engine, gguf_file):
    error = {"error": {"code": 400, "message": "request exceeds the available context size"}}
    fake_engine.append(FakeEngine([error]))
    with pytest.raises(ModelUnavailable, match="model.gguf failed: request exceeds"):
        local_chat(gguf_file).invoke("Who is the judge?")


@pytest.mark.integration
def test_an_invalid_gguf_file_is_model_unavailable(gguf_file, monkeypatch):
    monkeypatch.setattr(models, "_ENGINES", {})
    with pytest.raises(ModelUnavailable, match="cannot load .*model.gguf"):
        local_chat(gguf_file).invoke("hi")


@pytest.mark.integration
def test_the_local_engine_port_refuses_requests_without_its_key():
    """xllamacpp also serves the model over HTTP on 127.0.0.1; other local users must not
    be able to use it."""
    import httpx

    chat = models.build_chat_model(ModelSpec.parse("local"), LLMSettings())
    assert chat.invoke("Say hello.").content
    (engine,) = [e for key, e in models._ENGINES.items() if key[0] == chat.model_path]
    url = engine.listening_address
    assert url.startswith("http://127.0.0.1:")
    assert httpx.get(f"{url}/v1/models").status_code == 401
    request = {"messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 4}
    assert httpx.post(f"{url}/v1/chat/completions", json=request).status_code == 401
