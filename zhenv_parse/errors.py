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
