"""The copies of a case's original files (its PDFs), kept in the case's folder on this
machine and named by doc_id only, so that nothing but a document of the case is ever
opened from here.

With a Chroma server the files are also kept in the server (the case's extras, in parts),
so a machine that did not ingest a document fetches it once and keeps it here.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from casefile.kernel.files import write_atomically

log = logging.getLogger(__name__)

# What a doc_id may look like to become a file name (ingest makes 16 hex digits).
DOC_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class OriginalFiles:
    """`<folder>/<doc_id>.pdf` for each kept file; written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, doc_id: str) -> Path:
        if not DOC_ID.match(doc_id):
            raise ValueError(f"not a doc_id: {doc_id!r}")
        return self.folder / f"{doc_id}.pdf"

    def keep(self, doc_id: str, data: bytes) -> Path:
        """Store `data` as the original of `doc_id`; a reader never sees half a file."""
        target = self._file(doc_id)
        write_atomically(target, data)
        return target

    def path(self, doc_id: str) -> Path | None:
        """The kept file of `doc_id`, or None."""
        if not DOC_ID.match(doc_id):
            return None
        target = self._file(doc_id)
        return target if target.is_file() else None

    def remove(self, doc_id: str) -> None:
        if DOC_ID.match(doc_id):
            self._file(doc_id).unlink(missing_ok=True)

    def remove_all(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
