"""Plain text: decode bytes (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK, and
whatever charset-normalizer recognises), rejecting empty and binary input."""

from __future__ import annotations

import codecs

from ..errors import BinaryInputError, EmptyInputError, EncodingError
from . import SourceDocument

#: Share of control characters above which decoded text is taken for binary data.
MAX_CONTROL_SHARE = 0.05
#: Byte-order marks tried first, longest first (UTF-32 LE starts like UTF-16 LE).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Tried in order when there is no BOM; GB18030 is a superset of GBK and GB2312.
FALLBACK_ENCODINGS = ("utf-8", "gb18030")


def from_string(text: str) -> SourceDocument:
    """Text that is already decoded."""
    check_text(text, path=None)
    return SourceDocument(text=text, format="text")


def from_bytes(data: bytes, *, path: str | None) -> SourceDocument:
    text, encoding = decode(data, path=path)
    check_text(text, path=path)
    return SourceDocument(text=text, format="text", path=path, encoding=encoding)


def decode(data: bytes, *, path: str | None = None) -> tuple[str, str]:
    """Decode `data`, returning the text and the encoding's name."""
    if not data.strip():
        raise EmptyInputError("input is empty", path=path)
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise EncodingError(f"bad {encoding} after its byte-order mark", path=path) from None
    if b"\x00" in data:
        raise BinaryInputError("input contains NUL bytes: binary data, not text", path=path)
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes as detect

    best = detect(data).best()
    if best is None or best.encoding is None:
        raise EncodingError("cannot detect the text encoding", path=path)
    return str(best), best.encoding


def check_text(text: str, *, path: str | None) -> None:
    """Reject text that is empty or mostly control characters."""
    if not text.strip():
        raise EmptyInputError("input is empty", path=path)
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\r\n\t\f\v")
    if controls > MAX_CONTROL_SHARE * len(text):
        raise BinaryInputError("input is mostly control characters: binary data, not text",
                               path=path)
