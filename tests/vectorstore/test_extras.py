import base64

import pytest

from casefile.kernel.records import DocumentRecord
from vectorstore import extras
from vectorstore.store import ORIGINAL, CaseStore, make_client


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(extras, "PART_CHARS", 8)


def _document(store: CaseStore, doc_id: str = "d1", original: bytes | None = None) -> None:
    record = DocumentRecord(
        doc_id=doc_id,
        source=f"/cases/{doc_id}.pdf",
        title="Memo",
        kind="pdf",
        date=None,
        page_count=1,
        chunk_count=0,
        size_bytes=len(original or b""),
        ingested_at="2026-12-01T00:00:00+00:00",
    )
    store.write_document(record, "The memo.", [], original=original)


def test_a_value_longer_than_a_part_reads_back_whole(store, small_parts):
    value = '{"pages": [[1, 0, 52, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"]]}'
    store.write_extra("d1", "positions", value)

    assert store.extra("d1", "positions") == value
    assert store.extras("positions") == {"d1": value}


def test_a_shorter_value_leaves_nothing_of_the_longer_one(store, small_parts):
    store.write_extra("d1", "desk", "x" * 50)
    store.write_extra("d1", "desk", "short")

    assert store.extra("d1", "desk") == "short"
    assert store.extras("desk") == {"d1": "short"}
    assert len(store._extras.get(where={"doc_id": "d1"})["ids"]) == 1


def test_values_kept_as_documents_before_are_still_read_and_replaced(store):
    # How extras were kept until 2026-12: the text as the item's document.
    store._extras.upsert(
        ids=["d1:desk"],
        embeddings=[[0.0]],
        documents=['{"v": 27}'],
        metadatas=[{"doc_id": "d1", "name": "desk"}],
    )
    assert store.extra("d1", "desk") == '{"v": 27}'
    assert store.extras("desk") == {"d1": '{"v": 27}'}

    store.write_extra("d1", "desk", '{"v": 28}')
    assert store.extra("d1", "desk") == '{"v": 28}'
    assert store._extras.get(ids=["d1:desk"], include=["documents"])["documents"] == [""]


def test_removing_a_document_removes_every_part_of_its_extras(store, small_parts):
    _document(store)
    store.write_extra("d1", "positions", "p" * 40)
    store.write_extra("d1", "desk", "q" * 40)

    store.delete_document("d1")

    assert store.extra("d1", "positions") is None
    assert store.extras("desk") == {}
    assert store._extras.count() == 0


def _sharing_store(settings, fake_embeddings, tmp_path) -> CaseStore:
    return CaseStore(
        make_client(settings),
        "shared",
        fake_embeddings,
        folder=tmp_path / "case",
        share_originals=True,
    )


def test_an_original_file_in_many_parts_comes_back_byte_for_byte(
    settings, fake_embeddings, tmp_path, small_parts
):
    store = _sharing_store(settings, fake_embeddings, tmp_path)
    pdf = b"%PDF-1.7\n" + bytes(range(256)) + b"%%EOF"
    _document(store, original=pdf)
    (tmp_path / "case" / "originals").rename(tmp_path / "elsewhere")  # as on another machine

    kept = store.original("d1")

    assert kept is not None and kept.read_bytes() == pdf


def test_an_original_shared_in_the_earlier_parts_is_still_read(settings, fake_embeddings, tmp_path):
    store = _sharing_store(settings, fake_embeddings, tmp_path)
    pdf = b"%PDF-1.4\n" + bytes(range(200)) * 3
    _document(store, original=pdf)
    store._extras.delete(where={"name": ORIGINAL})
    # Each 100-byte part of the file encoded by itself, as documents (padding in each part).
    parts = [pdf[i : i + 100] for i in range(0, len(pdf), 100)]
    store._extras.upsert(
        ids=[f"d1:{ORIGINAL}:{n}" for n in range(len(parts))],
        embeddings=[[0.0]] * len(parts),
        documents=[base64.b64encode(part).decode() for part in parts],
        metadatas=[{"doc_id": "d1", "name": ORIGINAL, "part": n} for n in range(len(parts))],
    )
    (tmp_path / "case" / "originals").rename(tmp_path / "elsewhere")

    kept = store.original("d1")

    assert kept is not None and kept.read_bytes() == pdf


def test_a_long_value_half_rewritten_reads_as_missing_not_as_a_mixture(store, small_parts):
    store.write_extra("d1", "desk", "a" * 24)  # three parts
    # Another process has replaced the later parts, not yet the first.
    first = store._extras.get(ids=["d1:desk"], include=["metadatas"])["metadatas"][0]
    later = {**first, "part": 2, "write": "elsewhere", extras.DATA: "b" * 8}
    store._extras.upsert(ids=["d1:desk:2"], embeddings=[[0.0]], metadatas=[later])

    assert store.extra("d1", "desk") is None
    assert store.extras("desk") == {}
