"""The pipeline, in one place: load → normalise → segment → extract → model.

Each stage lives in its own module and sees only the previous stage's output:

* :mod:`zhenv_parse.readers` — a path, bytes or text → :class:`SourceDocument`;
* :mod:`zhenv_parse.normalize` — source text → :class:`NormalizedText` (paragraphs + offset map);
* :mod:`zhenv_parse.segment` — paragraphs → :class:`Segments` (front matter, goals, chapters…);
* :mod:`zhenv_parse.extract` — targets and quantities in goals and items;
* this module — assembles and validates the :class:`~zhenv_parse.model.Notice`.
"""

from __future__ import annotations

import hashlib
import os
from bisect import bisect_right
from collections.abc import Iterator

from pydantic import BaseModel

from .errors import NotANoticeError
from .extract import extract
from .model import Diagnostic, Meta, Notice, SourceInfo, Span
from .normalize import NormalizedText, Repair, normalize
from .readers import SourceDocument, read
from .segment import Segments, segment


def parse(source: str | bytes | os.PathLike[str]) -> Notice:
    """Parse a notice from a file path, raw bytes, or its text.

    Raises a :class:`~zhenv_parse.errors.NoticeParseError` subclass when the input cannot
    be a notice at all (missing file, empty, binary, undecodable, no notice structure);
    everything less serious is reported in ``Notice.diagnostics``.
    """
    return parse_document(read(source))


def parse_document(document: SourceDocument) -> Notice:
    """Run the stages after loading on an already-read document."""
    norm = normalize(document.text)
    segments = segment(norm)
    if _is_empty(segments):
        raise NotANoticeError("no notice structure found (no title, goals, chapters or appendix)",
                              path=document.path)
    return _assemble(document, norm, segments)


def _is_empty(segments: Segments) -> bool:
    return not (segments.chapters or segments.goals or segments.appendices
                or segments.meta.title or segments.meta.doc_number)


def _assemble(document: SourceDocument, norm: NormalizedText, segments: Segments) -> Notice:
    items = [item for chapter in segments.chapters for item in chapter.items]
    sections = [section for chapter in segments.chapters for section in chapter.sections]
    found = extract(norm, segments.goals, items, sections, segments.meta.plan_year)
    diagnostics = (list(document.diagnostics) + [_repair_diagnostic(r) for r in norm.repairs]
                   + segments.diagnostics + found)
    diagnostics.sort(key=lambda d: (d.span.start if d.span else -1, d.code))
    notice = Notice(
        source=SourceInfo(
            path=document.path, format=document.format, encoding=document.encoding,
            sha256=hashlib.sha256(document.text.encode("utf-8", "surrogatepass")).hexdigest(),
            length=len(document.text), complete=norm.complete,
            pages=len(document.page_starts) or None, furniture=list(document.furniture)),
        meta=_with_portal(segments.meta, document), preamble=segments.preamble,
        goals_intro=segments.goals_intro,
        goals=segments.goals, chapters=segments.chapters, appendices=segments.appendices,
        diagnostics=diagnostics,
    )
    if document.page_starts:
        _set_pages(notice, document.page_starts)
    return notice


def _with_portal(meta: Meta, document: SourceDocument) -> Meta:
    """The portal's metadata table, for pages read from HTML (`portal.*` in `extra`)."""
    if any(key.startswith("portal.") for key in document.extra):
        from .readers.html import portal_meta

        meta.portal = portal_meta(document.extra)
    return meta


def _set_pages(model: BaseModel, page_starts: tuple[int, ...]) -> None:
    """Give every span the 1-based page its start falls on."""
    for value in _walk(model):
        if isinstance(value, Span):
            value.page = bisect_right(page_starts, value.start) or 1


def _walk(value: object) -> Iterator[object]:
    yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for element in value:
            yield from _walk(element)
    elif isinstance(value, dict):
        for element in value.values():
            yield from _walk(element)


def _repair_diagnostic(repair: Repair) -> Diagnostic:
    return Diagnostic(level="info", code=repair.code, message=repair.message,
                      span=Span(start=repair.source_start, end=repair.source_end))
