"""The few exceptions Casefile raises on purpose; the CLI and the app turn them into messages."""

from __future__ import annotations

from pathlib import Path


class CasefileError(Exception):
    """Base of every error Casefile reports to a user."""


class IngestError(CasefileError):
    """A file could not be ingested; `reason` says why in a few words."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedFile(IngestError):
    """The file's type is not one Casefile reads."""


class EmptyDocument(IngestError):
    """The file holds no text that could be indexed."""


class UnreadableFile(IngestError):
    """The file is corrupt, encrypted, binary, too large or in an unknown encoding."""


class DocumentNotFound(CasefileError):
    """No document of the case matches the given name or id."""


class PageUnavailable(CasefileError):
    """A page image cannot be shown: the document is not a PDF, its original file is not
    kept here, or there is no such page."""


class CaseNotFound(CasefileError):
    """The named case does not exist."""


class StoreUnavailable(CasefileError):
    """The vector store (embedded or server) cannot be reached or opened."""


class ModelUnavailable(CasefileError):
    """A model could not be loaded or reached."""


class UnknownModel(CasefileError):
    """A model spec names no backend Casefile knows."""


class EmptyQuestion(CasefileError):
    """A question with nothing in it was asked."""


class InvalidSetting(CasefileError):
    """A value given for a setting (a case name, k, a date) cannot be used."""


class InvalidCaseName(InvalidSetting, ValueError):
    """A name that cannot name a case (also a ValueError, so settings validation reports it)."""


class OcrUnavailable(CasefileError):
    """A page needs OCR and no OCR engine is installed (or OCR is turned off)."""
