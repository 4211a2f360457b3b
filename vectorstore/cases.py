"""Open a case's store from settings: the one place that wires embeddings to Chroma.

The CLI, the web app, evaluation and `CaseAssistant.open` all build cases through
`open_case`, so a case opens the same way everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casefile.kernel.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from langchain_core.embeddings import Embeddings

    from vectorstore.store import CaseStore


def open_case(
    settings: Settings,
    case: str | None = None,
    *,
    create: bool = True,
    embeddings: Embeddings | None = None,
    client: ClientAPI | None = None,
) -> CaseStore:
    """The store of `case` (default: `settings.case`); no model is loaded until it is used.

    Give `embeddings` and `client` to share one embedder and one Chroma connection between
    several cases (the web app does).
    """
    from vectorstore.embeddings import make_embeddings
    from vectorstore.store import CaseStore, make_client

    if embeddings is None:
        embeddings = make_embeddings(settings.embedding, settings.home)
    if client is None:
        client = make_client(settings)
    name = case or settings.case
    return CaseStore(
        client,
        name,
        embeddings,
        create=create,
        folder=settings.case_dir(name),
        share_originals=bool(settings.chroma.host),
    )
