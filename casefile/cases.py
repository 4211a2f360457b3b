"""Open a case's store from settings: the one place that wires embeddings to Chroma."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casefile.settings import Settings

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from vectorstore.store import CaseStore


def open_case(
    settings: Settings,
    case: str | None = None,
    *,
    create: bool = True,
    embeddings: Embeddings | None = None,
) -> CaseStore:
    """The store of `case` (default: `settings.case`); no model is loaded until it is used."""
    from vectorstore.embeddings import make_embeddings
    from vectorstore.store import CaseStore, make_client

    if embeddings is None:
        embeddings = make_embeddings(settings.embedding, settings.home)
    return CaseStore(make_client(settings), case or settings.case, embeddings, create=create)
