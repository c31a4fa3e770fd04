"""Stage 6, export: write a :class:`~zhenv_parse.model.Notice` out, never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .model import Notice


def to_json(notice: Notice) -> str:
    """Deterministic, pretty-printed UTF-8 JSON; non-ASCII text is not escaped."""
    return notice.to_json()


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename, so a
    reader (or a crash) never sees a half-written file and an old file survives a failure."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Bytes version of :func:`atomic_write_text`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
