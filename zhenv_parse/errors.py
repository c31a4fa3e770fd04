"""Typed errors. `parse()` raises a :class:`NoticeParseError` subclass only when the input
cannot be a notice at all; anything less is a diagnostic on the returned `Notice`."""

from __future__ import annotations


class NoticeParseError(Exception):
    """The input cannot be parsed as a notice. `code` is stable; `str()` is one line."""

    code = "parse-error"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class InputNotFoundError(NoticeParseError):
    """The file does not exist or cannot be read."""

    code = "input-not-found"


class EmptyInputError(NoticeParseError):
    """The input holds no text."""

    code = "empty-input"


class BinaryInputError(NoticeParseError):
    """The input is binary data, not text."""

    code = "binary-input"


class EncodingError(NoticeParseError):
    """The bytes decode in no supported encoding."""

    code = "unknown-encoding"


class UnsupportedFormatError(NoticeParseError):
    """A file type the readers do not handle."""

    code = "unsupported-format"


class NotANoticeError(NoticeParseError):
    """Text was read, but it has none of a notice's structure."""

    code = "not-a-notice"


class ScannedPDFError(NoticeParseError):
    """A PDF whose pages are images (a scan): there is no text to read."""

    code = "scanned-pdf"


class EncryptedPDFError(NoticeParseError):
    """A PDF that needs a password to open."""

    code = "encrypted-pdf"


class CorruptPDFError(NoticeParseError):
    """A file that claims to be a PDF but is damaged or cut off."""

    code = "corrupt-pdf"


class CorruptDocumentError(NoticeParseError):
    """A .docx (or other container) that cannot be opened."""

    code = "corrupt-document"


class LoadError(NoticeParseError):
    """A saved notice (JSON or XML) cannot be loaded back by `zhenv_parse.load`."""

    code = "load-error"


class MalformedInputError(LoadError):
    """Not well-formed JSON or XML: cut off, or not JSON/XML at all."""

    code = "malformed-input"


class UnsafeXMLError(LoadError):
    """XML that is refused unread: a DTD or entity declarations, or beyond the size limits."""

    code = "unsafe-xml"


class WrongVocabularyError(LoadError):
    """Well-formed JSON or XML, but not a zhenv-parse notice (e.g. another root element)."""

    code = "wrong-vocabulary"


class InvalidNoticeError(LoadError):
    """A zhenv-parse notice whose content breaks the model (missing field, bad value)."""

    code = "invalid-notice"
