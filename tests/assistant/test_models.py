"""Model specs and the one registry of chat models."""

import threading
import time

import pytest

from assistant import models
from assistant.models import ChatModels, ModelSpec
from casefile.kernel.errors import CasefileError, UnknownModel
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
