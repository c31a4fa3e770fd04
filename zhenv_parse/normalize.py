"""Stage 2, normalise: repair extracted text into paragraphs, keeping a map to the source.

What it repairs (each a named pattern or table in :mod:`zhenv_parse.grammar`):

* page furniture: page-number lines (`— 3 —`, `第3页`) and form feeds are dropped;
* page-break and hard-wrap splits: lines are rebuilt into paragraphs (see :func:`_joins`);
* width: full-width digits and Latin letters become half-width, Chinese punctuation stays;
* look-alikes: Kangxi radicals and compatibility ideographs become unified ideographs;
* artefacts: `PM_{2.5}` → `PM2.5`, list markers `- 1.` → `1.`, spaces beside Chinese text;
* OCR slips from a table (`上壤` → `土壤`).

Every repair is a deletion or a one-to-one character substitution, so each character of the
normalised text maps to exactly one source offset (:meth:`NormalizedText.source_span`).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import regex

from . import grammar

#: A line holding at least this share of the most common width counts as a full line.
HARD_WRAP_MIN_SHARE = 0.3
#: Hard-wrap mode needs at least this many lines at the common width.
HARD_WRAP_MIN_LINES = 5
#: Lines narrower than this are never taken as the page's text width.
HARD_WRAP_MIN_WIDTH = 12
#: A line within this many character widths of the text width reaches the right margin.
HARD_WRAP_SLACK = 2.0
#: Indentation counts as a paragraph signal only when fewer lines than this share are indented.
INDENT_SIGNAL_MAX_SHARE = 0.8

_CJK = regex.compile(r"[\p{Han}\p{Ps}\p{Pe}\p{Pi}\p{Pf}，。、；：！？％]")
_INDENT = regex.compile(r"^(?:[ \u00a0]{2,}|\u3000+|\t)")
_MULTI_SPACE = regex.compile(r"[ \t\u3000\u00a0]{2,}")
_LATIN_END = regex.compile(r"[A-Za-z0-9]$")
_LATIN_START = regex.compile(r"^[A-Za-z]")


def _build_fold_table() -> dict[int, str]:
    """One-to-one folds: full-width digits/letters/%/+//, radicals and compatibility ideographs."""
    table: dict[int, str] = {}
    folds = [(0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)]  # ０-９ Ａ-Ｚ ａ-ｚ
    for low, high in folds:
        for code in range(low, high + 1):
            table[code] = chr(code - 0xFEE0)
    for char in "％＋／＝＜＞":  # symbols inside quantities and units, not Chinese punctuation
        table[ord(char)] = chr(ord(char) - 0xFEE0)
    for code in range(0x2080, 0x208A):  # subscript digits ₀-₉, as in PM₂.₅
        table[code] = chr(ord("0") + code - 0x2080)
    # Kangxi radicals, CJK radicals supplement and compatibility ideographs that PDF fonts
    # map common characters to (⽣ for 生, ⻓ for 长); only single-ideograph foldings.
    for low, high in ((0x2E80, 0x2EF3), (0x2F00, 0x2FD5), (0xF900, 0xFAFF), (0x2F800, 0x2FA1D)):
        for code in range(low, high + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded != chr(code) and "\u4e00" <= folded <= "\u9fff":
                table[code] = folded
    table.update({ord(k): v for k, v in grammar.RADICAL_SUPPLEMENT.items()})
    return table


_FOLD_TABLE = _build_fold_table()


@dataclass(frozen=True)
class Paragraph:
    """A rebuilt paragraph: its normalised text and where it sits in the normalised text."""

    text: str
    start: int
    end: int
    indented: bool = False


@dataclass(frozen=True)
class Repair:
    """A repair made while normalising, for `info` diagnostics."""

    code: str
    message: str
    source_start: int
    source_end: int


@dataclass
class NormalizedText:
    """Normalised paragraphs plus the map back to the source.

    ``text`` is the paragraphs joined by ``\\n``; ``offsets[i]`` is the source offset of
    ``text[i]``, and ``offsets[len(text)]`` is ``len(source)``.
    """

    source: str
    text: str
    offsets: list[int]
    paragraphs: list[Paragraph]
    repairs: list[Repair] = field(default_factory=list)
    gap_offsets: list[int] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """False when a cut-off marker (`[[GAP]]`) was found."""
        return not self.gap_offsets

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text to a span of the source."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1

    def raw(self, start: int, end: int) -> str:
        """The source text behind a span of the normalised text."""
        source_start, source_end = self.source_span(start, end)
        return self.source[source_start:source_end]


@dataclass
class _Line:
    """One physical line after character repairs."""

    text: str
    offsets: list[int]
    source_start: int
    source_end: int
    indented: bool
    width: float = 0.0


def normalize(source: str) -> NormalizedText:
    """Repair `source` and rebuild its paragraphs (see the module docstring)."""
    repairs: list[Repair] = []
    gaps: list[int] = []
    lines: list[_Line | None] = []  # None stands for a blank or page-furniture line
    for start, end in _physical_lines(source):
        raw = source[start:end]
        if grammar.GAP_MARKER.match(raw):
            gaps.append(start)
            lines.append(None)
            continue
        if grammar.PAGE_NUMBER_LINE.match(raw):
            repairs.append(Repair("page-number-removed", f"page number {raw.strip()!r} removed",
                                  start, end))
            lines.append(None)
            continue
        line = _clean_line(source, start, end, repairs)
        lines.append(line if line.text else None)
    return _assemble(source, lines, repairs, gaps)


def _physical_lines(source: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its terminator (CRLF, LF, CR, form feed)."""
    spans = []
    for match in regex.finditer(r"[^\r\n\f\v\u2028\u2029\x85]*", source):
        if match.start() == match.end() and match.start() > 0:
            previous = source[match.start() - 1]
            if previous not in "\r\n\f\v\u2028\u2029\x85" or (
                previous == "\r" and match.start() < len(source) and source[match.start()] == "\n"
            ):
                continue
        spans.append((match.start(), match.end()))
    return spans


def _clean_line(source: str, start: int, end: int, repairs: list[Repair]) -> _Line:
    """Apply the character repairs to one line, keeping a source offset per character."""
    raw = source[start:end]
    text = raw.translate(_FOLD_TABLE)
    offsets = list(range(start, end))
    text, offsets = _fix_ocr(text, offsets, repairs)
    text, offsets = _delete(text, offsets, _script_artefact_spans(text))
    text, offsets = _gaps_to_cell_breaks(text, offsets)
    blanks = [m.span() for m in grammar.CJK_ADJACENT_SPACE.finditer(text)]
    text, offsets = _delete(text, offsets, _keeping_cell_breaks(text, blanks))
    blanks = [(m.start() + 1, m.end()) for m in _MULTI_SPACE.finditer(text)]
    text, offsets = _delete(text, offsets, _keeping_cell_breaks(text, blanks))
    text, offsets = _strip(text, offsets, " \u3000\u00a0\r\n\f\v" if grammar.TABLE_ROW.match(text)
                           else None)  # a table row keeps its trailing empty cells
    marker = grammar.LIST_MARKER.match(text)
    if marker:
        text, offsets = text[marker.end():], offsets[marker.end():]
    # The width counts the indent and the spaces, as they took room on the page.
    return _Line(text, offsets, start, end, bool(_INDENT.match(raw)), _display_width(raw.rstrip()))


def _gaps_to_cell_breaks(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """A table laid out with spaces (`1    完成锅炉淘汰    大气处`) as a tab-separated row:
    the first blank of each column gap becomes the cell break, the rest goes."""
    if grammar.TABLE_CELL_BREAK in text:
        return text, offsets
    gaps = list(grammar.CELL_GAP.finditer(text))
    if len(gaps) < grammar.MIN_CELL_GAPS:
        return text, offsets
    for gap in gaps:  # one-for-one, so the offsets stay as they are
        text = text[:gap.start()] + grammar.TABLE_CELL_BREAK + text[gap.start() + 1:]
    return _delete(text, offsets, [(gap.start() + 1, gap.end()) for gap in gaps])


def _keeping_cell_breaks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """In a table row, the blanks to delete but the cell breaks, so that the row's cells,
    empty ones included, stay apart."""
    if not spans or not grammar.TABLE_ROW.match(text):
        return spans
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        for index in range(start, end):
            if text[index] != grammar.TABLE_CELL_BREAK:
                kept.append((index, index + 1))
    return kept


def _fix_ocr(text: str, offsets: list[int], repairs: list[Repair]) -> tuple[str, list[int]]:
    for match in grammar.OCR_CONFUSION.finditer(text):
        fixed = grammar.OCR_CONFUSIONS[match.group()]
        repairs.append(Repair("ocr-repaired", f"OCR slip {match.group()!r} read as {fixed!r}",
                              offsets[match.start()], offsets[match.end() - 1] + 1))
    # Each confusion is replaced by a word of the same length, so offsets stay one-to-one.
    return grammar.OCR_CONFUSION.sub(lambda m: grammar.OCR_CONFUSIONS[m.group()], text), offsets


def _script_artefact_spans(text: str) -> list[tuple[int, int]]:
    """Spans to delete so that `PM_{2.5}` reads `PM2.5` (the digits keep their offsets)."""
    spans = []
    for match in grammar.SCRIPT_ARTEFACT.finditer(text):
        group = 1 if match.group(1) is not None else 2
        spans.append((match.start(), match.start(group)))
        spans.append((match.end(group), match.end()))
    return spans


def _delete(text: str, offsets: list[int], spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    if not spans:
        return text, offsets
    keep = [True] * len(text)
    for start, end in spans:
        for index in range(start, end):
            keep[index] = False
    kept = [i for i, flag in enumerate(keep) if flag]
    return "".join(text[i] for i in kept), [offsets[i] for i in kept]


def _strip(text: str, offsets: list[int], blanks: str | None = None) -> tuple[str, list[int]]:
    stripped = text.strip(blanks)
    if not stripped:
        return "", []
    left = len(text) - len(text.lstrip(blanks))
    return stripped, offsets[left:left + len(stripped)]


def _display_width(text: str) -> float:
    """Width in Chinese character cells: ASCII and other narrow characters count half."""
    return sum(0.5 if ord(char) < 0x2E80 and not _CJK.match(char) else 1.0 for char in text)


def _text_width(lines: list[_Line]) -> float | None:
    """The width of a full line when the text is hard-wrapped, else None."""
    widths = Counter(round(line.width) for line in lines if line.width >= HARD_WRAP_MIN_WIDTH)
    if not widths:
        return None
    width, _ = max(widths.items(), key=lambda pair: (pair[1], pair[0]))
    near = sum(count for w, count in widths.items() if width - HARD_WRAP_SLACK <= w <= width + 1)
    if near >= HARD_WRAP_MIN_LINES and near >= HARD_WRAP_MIN_SHARE * len(lines):
        return float(width)
    return None


def _matches_any(patterns: tuple[regex.Pattern[str], ...], text: str) -> bool:
    return any(pattern.match(text) for pattern in patterns)


def _joins(previous: _Line, paragraph: str, line: _Line, text_width: float | None,
           indent_signal: bool) -> bool:
    """Whether `line` continues `paragraph`, whose last line is `previous`."""
    if line.text[0] in grammar.LINE_START_FORBIDDEN:
        return True
    if grammar.BLOCK_START.match(line.text):
        return False
    if indent_signal and line.indented:
        return False
    if text_width is not None and previous.width >= text_width - HARD_WRAP_SLACK:
        return True  # the previous line runs to the right margin: a wrap, whatever it ends in
    if previous.text[-1] in grammar.SENTENCE_END:
        return False
    if _matches_any(grammar.COMPLETE_LINES, paragraph):
        return False
    if grammar.CHAPTER_HEADING.match(paragraph) or grammar.SECTION_HEADING.match(paragraph):
        return False
    # A line that stops short of the margin ends its paragraph in hard-wrapped text; in
    # paragraph-per-line text, a line ending mid-sentence was cut by a page break.
    return text_width is None


def _assemble(source: str, lines: list[_Line | None], repairs: list[Repair],
              gaps: list[int]) -> NormalizedText:
    content = [line for line in lines if line is not None]
    text_width = _text_width(content)
    indented = sum(line.indented for line in content)
    indent_signal = 0 < indented < INDENT_SIGNAL_MAX_SHARE * max(len(content), 1)

    chars: list[str] = []
    offsets: list[int] = []
    paragraphs: list[Paragraph] = []
    current_start = 0
    paragraph_indent = False
    previous: _Line | None = None
    gap_since_previous = False
    gap_marker_since_previous = False
    gap_offsets = set(gaps)
    for line in lines:
        if line is None:
            gap_since_previous = True
            continue
        if previous is not None and any(previous.source_end <= g < line.source_start for g in gap_offsets):
            gap_marker_since_previous = True
        if previous is not None and not gap_marker_since_previous and _joins(
            previous, "".join(chars[current_start:]), line, text_width, indent_signal
        ):
            if gap_since_previous:
                repairs.append(Repair("page-break-rejoined",
                                      "text split by a page break or blank line rejoined",
                                      previous.source_end, line.source_start))
            if _LATIN_END.search(previous.text) and _LATIN_START.match(line.text):
                chars.append(" ")
                offsets.append(previous.source_end)
        else:
            if previous is not None:
                paragraphs.append(Paragraph("".join(chars[current_start:]), current_start,
                                            len(chars), paragraph_indent))
                chars.append("\n")
                offsets.append(previous.source_end)
            current_start = len(chars)
            paragraph_indent = line.indented
        chars.extend(line.text)
        offsets.extend(line.offsets)
        previous = line
        gap_since_previous = False
        gap_marker_since_previous = False
    if previous is not None:
        paragraphs.append(Paragraph("".join(chars[current_start:]), current_start, len(chars),
                                    paragraph_indent))
    offsets.append(len(source))
    return NormalizedText(source, "".join(chars), offsets, paragraphs, repairs, sorted(gaps))
