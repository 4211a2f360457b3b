"""The case's version and its register: what lets a question know the case's documents
without listing them.

Every write that changes which documents are complete replaces the version's token, kept in
a collection of one item (a write there costs ~7 ms; to the registry or the extras, whose
stored texts are large, 0.1-0.3 s at 5,000 documents). The complete records, as of one
version, are kept in `register.json` in the case's folder: a question reads the token and
the registry's count and, while they match the register's, nothing else (listing the
registry costs 1.3 s at 5,000 documents). The first reader after any process's write lists
once and keeps the register for the processes of its machine.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.kernel.files import write_atomically
from casefile.kernel.records import DocumentRecord

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)

TOKEN_ID = "token"
REGISTER_FILE = "register.json"


class CaseRegister:
    """The version of one case and its complete records as of a version.

    >>> register = CaseRegister(token_collection, docs_collection, folder, list_complete)
    >>> register.records()  # listed only when some process wrote since the last listing
    """

    def __init__(
        self,
        tokens: Collection,
        docs: Collection,
        folder: Path | None,
        listed: Callable[[], list[DocumentRecord]],
    ) -> None:
        self._tokens = tokens
        self._docs = docs
        self.folder = folder
        self._listed = listed  # the complete records, from the registry itself
        self._held: tuple[str, tuple[DocumentRecord, ...]] | None = None  # (version, records)

    def version(self) -> str:
        """Changes whenever a document is added, rewritten or removed, by any process."""
        got = self._tokens.get(ids=[TOKEN_ID], include=["documents"])
        token = got["documents"][0] if got["ids"] else ""
        # The count too: a writer killed between its record and its token still shows.
        return f"{token}/{self._docs.count()}"

    def changed(self) -> None:
        """Say that the case's documents changed (after the registry's write, never before:
        a reader between the two would keep the old records under the new version)."""
        self._tokens.upsert(ids=[TOKEN_ID], embeddings=[[0.0]], documents=[uuid.uuid4().hex])

    def records(self) -> list[DocumentRecord]:
        """The complete records, oldest first: held, kept, or listed and kept."""
        version = self.version()
        if self._held is not None and self._held[0] == version:
            return list(self._held[1])
        records = self._kept(version)
        if records is None:
            records = self._listed()
            self._keep(version, records)
        self._held = (version, tuple(records))
        return list(records)

    def forget(self) -> None:
        """Drop what is held and kept (the case is deleted)."""
        self._held = None
        if self.folder is not None:
            (self.folder / REGISTER_FILE).unlink(missing_ok=True)

    def _kept(self, version: str) -> list[DocumentRecord] | None:
        if self.folder is None:
            return None
        try:
            register = json.loads((self.folder / REGISTER_FILE).read_text(encoding="utf-8"))
            if register.get("version") != version:
                return None
            return [_record(row) for row in register["records"]]
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("register %s unreadable (%s): listed again", self.folder, exc)
            return None

    def _keep(self, version: str, records: list[DocumentRecord]) -> None:
        """Written aside and moved into place, so that a reader never sees half of one."""
        if self.folder is None:
            return
        register = {"version": version, "records": [dataclasses.asdict(r) for r in records]}
        write_atomically(self.folder / REGISTER_FILE, json.dumps(register).encode("utf-8"))


def _record(row: dict[str, Any]) -> DocumentRecord:
    return DocumentRecord(**(row | {"ocr_pages": tuple(row.get("ocr_pages", ()))}))
