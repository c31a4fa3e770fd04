"""Stage 1, load: a path, bytes or text in, a :class:`SourceDocument` (decoded text) out.

The format is chosen from the file suffix, then from the content (`%PDF`, a zip, `<html`).
Each format has a module here; every reader returns the same :class:`SourceDocument`, so
the later stages never know where the text came from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputNotFoundError, UnsupportedFormatError
from ..model import Diagnostic, PageFurniture

#: File suffixes read as plain text.
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
#: File suffixes that a batch conversion (`zhenv-parse convert`) picks up from a folder: the one
#: table of supported types. A reader adds its suffixes here when it lands (.pdf, .html, .docx).
SUPPORTED_SUFFIXES = frozenset({".txt", ".text", ".pdf", ".html", ".htm", ".shtml", ".docx"})
#: Longest string that `read()` will try as a file path before treating it as text.
MAX_PATH_LENGTH = 4096


@dataclass(frozen=True)
class SourceDocument:
    """Decoded source text and how it was obtained. Spans index into `text`."""

    text: str
    format: str
    path: str | None = None
    encoding: str | None = None
    #: Offset in `text` where each page starts, for paged formats (PDF); empty otherwise.
    page_starts: tuple[int, ...] = field(default=())
    #: Lines set aside from `text`: page numbers, running headers and footers (PDF).
    furniture: tuple[PageFurniture, ...] = field(default=())
    #: What the reader could not read, e.g. a page without text in a PDF.
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    #: Extra metadata a reader found (e.g. an HTML portal's table), by field name.
    extra: dict[str, str] = field(default_factory=dict)


def read(source: str | bytes | os.PathLike[str]) -> SourceDocument:
    """Read a notice from a path, raw bytes, or a string of text.

    A string is taken as a path when it has no line break, is not too long and names an
    existing file or has a known file suffix; otherwise it is the notice's text.
    """
    from . import text as text_reader

    if isinstance(source, bytes):
        return read_bytes(source, path=None, suffix="")
    if isinstance(source, str) and not _looks_like_path(source):
        return text_reader.from_string(source)
    path = Path(source)
    return read_bytes(read_file(path), path=str(path), suffix=path.suffix.lower())


def read_file(path: Path) -> bytes:
    """The bytes of a file, or an :class:`InputNotFoundError` saying why they cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputNotFoundError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise InputNotFoundError("is a directory, not a file", path=str(path)) from None
    except OSError as error:
        raise InputNotFoundError(f"cannot read file: {error.strerror}", path=str(path)) from None


def read_bytes(data: bytes, *, path: str | None, suffix: str) -> SourceDocument:
    """Dispatch bytes to the reader for their format."""
    from . import text as text_reader

    kind = _sniff(data, suffix)
    if kind == "pdf":
        from . import pdf

        return pdf.from_bytes(data, path=path)
    if kind == "html":
        from . import html

        return html.from_bytes(data, path=path)
    if kind == "docx":
        from .docx import from_bytes as read_docx

        return read_docx(data, path=path)
    if kind == "text":
        return text_reader.from_bytes(data, path=path)
    raise UnsupportedFormatError(f"{kind} input is not supported", path=path)


def _sniff(data: bytes, suffix: str) -> str:
    head = data[:512].lstrip()
    if suffix == ".pdf" or head.startswith(b"%PDF"):
        return "pdf"
    if suffix == ".docx" or (head.startswith(b"PK\x03\x04") and suffix != ".txt"):
        return "docx"
    if suffix in {".html", ".htm", ".shtml"} or head[:15].lower().startswith((b"<!doctype html",
                                                                               b"<html")):
        return "html"
    return "text"


def _looks_like_path(text: str) -> bool:
    if "\n" in text or "\r" in text or len(text) > MAX_PATH_LENGTH or not text.strip():
        return False
    try:
        if Path(text).is_file():
            return True
    except (OSError, ValueError):
        return False
    suffix = Path(text).suffix.lower()
    return suffix in TEXT_SUFFIXES - {""} or suffix in {".pdf", ".docx", ".html", ".htm", ".json",
                                                       ".xml"}
