"""zhenv-parse: Chinese government work-plan notices as typed, validated data.

    >>> from zhenv_parse import parse
    >>> notice = parse("samples/zj-2023.txt")
    >>> notice.meta.doc_number.raw
    '浙环发〔2023〕1号'

Names are imported on first use, so that the command line starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import NoticeParseError
    from .loader import load
    from .model import Notice
    from .pipeline import parse

__version__ = "0.1.0"

#: Public name → module that defines it.
_EXPORTS = {
    "parse": ".pipeline",
    "Notice": ".model",
    "NoticeParseError": ".errors",
    "load": ".loader",
    "diff": ".differ",
}

__all__ = ["Notice", "NoticeParseError", "load", "parse"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
