"""The ONNX Runtime embedder: the bundled model exported once, vectors close to torch's."""

import json
import shutil

import numpy as np
import pytest

from casefile.kernel.errors import ModelUnavailable
from tests.conftest import SEED
from vectorstore.embeddings import OnnxEmbeddings, bundled_model_path

pytestmark = pytest.mark.integration

TEXTS = [
    "Judge Lewis Liman granted the order.",
    "Baldoni’s lawyer, Bryan Freedman, slammed the move as a “fishing expedition.”",
    SEED.read_text(encoding="utf-8")[:3000],  # longer than the model's 256 tokens: truncated
    "Lunch.",
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("onnx-models")


@pytest.mark.parametrize(("quantize", "closest"), [(False, 0.9999), (True, 0.97)])
def test_vectors_match_the_torch_model(real_embeddings, cache_dir, quantize, closest):
    onnx = OnnxEmbeddings(cache_dir=cache_dir, quantize=quantize, batch_size=2)
    reference = np.array(real_embeddings.embed_documents(TEXTS))
    got = np.array(onnx.embed_documents(TEXTS))
    assert got.shape == reference.shape == (4, 384)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    assert (got * reference).sum(axis=1).min() >= closest
    # batch order does not leak between texts: one at a time gives the same vectors
    assert np.allclose(onnx.embed_query(TEXTS[1]), got[1], atol=1e-4)


def test_the_export_is_made_once_and_reused(cache_dir):
    first = OnnxEmbeddings(cache_dir=cache_dir, quantize=True)
    first.embed_query("warm")
    path = first.onnx_path()
    made = path.stat().st_mtime_ns
    second = OnnxEmbeddings(cache_dir=cache_dir, quantize=True)
    second.embed_query("again")
    assert second.onnx_path() == path and path.stat().st_mtime_ns == made
    assert [p.name for p in path.parent.iterdir() if p.is_dir()] == []  # no scratch left behind


def test_a_model_it_cannot_run_is_refused_with_the_way_out(tmp_path):
    folder = tmp_path / "cls-model"
    shutil.copytree(bundled_model_path(), folder)
    config = json.loads((folder / "1_Pooling" / "config.json").read_text())
    config.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(config))
    embedder = OnnxEmbeddings(folder, cache_dir=tmp_path / "cache")
    with pytest.raises(ModelUnavailable, match="mean-pooled.*CASEFILE_EMBEDDING_BACKEND=torch"):
        embedder.embed_query("x")
