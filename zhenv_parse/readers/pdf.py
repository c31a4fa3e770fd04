"""PDF: rebuild the notice's paragraphs from text positions, with page furniture set aside.

Text and positions come from PDFium (pypdfium2, which pdfplumber itself is built on): one
text page per PDF page, then one *run* per text object (``FPDFText_GetRect``) with its part
of the line's text. pypdfium2 opens the document (and names what is wrong with a bad one); pages,
text pages and boxes go through PDFium's C API directly, since this runs once per page and
per line. PDFium already drops text objects drawn twice at the same place (fake bold)
and keeps subscripts (``PM₂.₅``) in the content order; the runs carry the boxes needed for
everything else, at a fraction of pdfminer's cost (see ``benchmarks/bench_pdf.py``):

1. runs → columns: a landscape sheet with an empty gutter down the middle is two pages (2-up);
2. runs → lines, by vertical overlap, each line's runs in x order (subscripts join their line);
3. furniture: page numbers at the top or bottom of a page and lines repeated at the same height
   on most pages (running headers/footers) go to ``SourceDocument.furniture`` (and from there
   to ``Notice.source.furniture``); a page without text gives a diagnostic;
4. lines → paragraphs: a line continues the previous one unless it is indented, the previous
   line stops short of the right margin, the type size changes, or there is a blank line —
   also across page breaks. Display lines (titles, larger than the body) join their own kind.

The text is one paragraph a line; the normaliser then runs on it as on a .txt, and
``page_starts`` lets the pipeline put a page number on every span.
"""

from __future__ import annotations

import ctypes
import functools
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import regex

from .. import grammar
from ..errors import CorruptPDFError, EmptyInputError, EncryptedPDFError, ScannedPDFError
from ..model import Diagnostic, FurnitureKind, PageFurniture
from . import SourceDocument

#: Where the `%PDF-` header may start (some files carry a few junk bytes first).
HEADER_WINDOW = 1024
#: The `%%EOF` trailer must sit this close to the end; otherwise the file was cut off.
TRAILER_WINDOW = 2048
#: Boxes are shrunk by this (points) before asking for the text inside them, so that a
#: neighbouring character that only touches the box is not read twice.
QUERY_INSET = 0.5
#: Two runs with the same text whose boxes overlap this much are one run drawn twice.
DUPLICATE_OVERLAP = 0.6
#: How many of the preceding runs a run is compared with when looking for duplicates.
DUPLICATE_LOOKBACK = 4
#: The middle band of a landscape sheet searched for the gutter of a 2-up print.
GUTTER_BAND = (0.3, 0.7)
#: Each side of a gutter must hold at least this share of the sheet's characters.
GUTTER_MIN_SHARE = 0.15
#: Size difference (in ems) that separates display lines (titles) from the body.
SIZE_TOLERANCE = 0.15
#: Runs of one line this many ems apart are cells of a table row, not words of a sentence.
COLUMN_GAP_EMS = 1.5
#: A line of more runs than this (characters drawn one by one) has them merged early.
MERGE_FROM_RUNS = 6
#: A run less than this share of a line's height is a mark (`.`, `，` drawn on their own)...
SMALL_RUN_SHARE = 0.5
#: ...and joins the line whose band it sits at most this share of the line's height below.
SMALL_RUN_REACH = 0.2
#: A line whose left edge is this many ems right of the margin is indented (or centred).
INDENT_EMS = 1.0
#: A line ending this many ems before the right margin ends its paragraph.
SHORT_LINE_EMS = 1.5
#: A line ending within this many ems of the right margin was wrapped (justified text).
FLUSH_EMS = 0.5
#: A vertical step above this many line pitches is a blank line.
BLANK_LINE_PITCHES = 1.7
#: A line repeated at the same height on this share of pages (and at least
#: :data:`MIN_REPEATS` pages) is a running header or footer.
REPEAT_SHARE = 0.5
MIN_REPEATS = 3
#: Candidates for headers/footers: this many lines at the top and at the bottom of a page.
EDGE_LINES = 2
#: Lines at least this long are taken to be body text when measuring the type size.
MIN_BODY_CHARS = 10
#: In hard-wrapped text most lines run to the right margin: its position is this quantile
#: of the lines' right edges.
FULL_LINE_QUANTILE = 0.75
#: What PDFium's text puts between two lines.
PDFIUM_LINE_BREAK = "\r\n"
#: Height buckets (points) when comparing the position of repeated lines.
REPEAT_Y_BUCKET = 3.0

_DIGITS = regex.compile(r"\d+")
_LINE = regex.compile(r"[^\r\n]+")
#: A stretch of ASCII, or of anything else: fonts (so text objects) change at its ends.
_SCRIPT_RUN = regex.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")
#: ASCII letters: a line wrapped between two of them was wrapped inside a Latin word
#: sequence and is joined with a space (Chinese is joined with nothing).
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
#: Printable ASCII but the space: two runs of a line that end and start with it, with a
#: blank between them in PDFium's text, are separate words or numbers (`11.` `5.22`).
_ASCII_MARK = frozenset(chr(code) for code in range(0x21, 0x7F))


class _Run(NamedTuple):
    """Text of one text object and its box (PDF coordinates: y grows upwards). A tuple,
    because a document has thousands and they are made in the hot loop."""

    text: str
    left: float
    bottom: float
    right: float
    top: float
    spaced: bool = False  # PDFium's text has a blank between the run before and this one

    @property
    def height(self) -> float:
        return self.top - self.bottom


@dataclass(slots=True)
class _Line:
    """A printed line: its runs in x order, its box (x relative to its column) and text."""

    runs: list[_Run]
    page: int  # 1-based physical page
    text: str
    left: float  # relative to the left edge of its column, so 2-up halves share one geometry
    right: float
    top: float
    bottom: float
    size: float  # height of its tallest run
    kind: FurnitureKind | Literal["body"] = "body"

    @classmethod
    def of(cls, runs: list[_Run], page: int, x0: float) -> _Line:
        """The line made of these runs, in column `x0`."""
        if len(runs) == 1:  # the common case, kept cheap
            text, left, bottom, right, top, _ = runs[0]
            return cls(runs, page, text, left - x0, right - x0, top, bottom, top - bottom)
        runs.sort(key=lambda r: r.left)
        right, top, bottom, size = runs[0].right, runs[0].top, runs[0].bottom, 0.0
        for run in runs:
            right, top, bottom = max(right, run.right), max(top, run.top), min(bottom, run.bottom)
            size = max(size, run.top - run.bottom)
        return cls(runs, page, _join_runs(runs, size), runs[0].left - x0, right - x0, top,
                   bottom, size)


@dataclass
class _Column:
    """One printed page: a PDF page, or half of a 2-up sheet."""

    page: int
    lines: list[_Line] = field(default_factory=list)


@dataclass(frozen=True)
class _Geometry:
    """The body text's measures, taken over the whole document, and the limits derived
    from them (worked out once: they are compared with every line)."""

    em: float
    left: float
    right: float
    pitch: float
    size_tolerance: float = field(init=False)  # sizes closer than this are the same
    indent_from: float = field(init=False)  # a line starting right of this is indented
    short_before: float = field(init=False)  # a line ending left of this is short
    flush_from: float = field(init=False)  # a line ending right of this was wrapped
    blank_gap: float = field(init=False)  # a larger step down leaves a blank line

    def __post_init__(self) -> None:
        derived = {"size_tolerance": SIZE_TOLERANCE * self.em,
                   "indent_from": self.left + INDENT_EMS * self.em,
                   "short_before": self.right - SHORT_LINE_EMS * self.em,
                   "flush_from": self.right - FLUSH_EMS * self.em,
                   "blank_gap": BLANK_LINE_PITCHES * self.pitch}
        for name, value in derived.items():
            object.__setattr__(self, name, value)


def from_bytes(data: bytes, *, path: str | None) -> SourceDocument:
    """Read a PDF's text layer into one paragraph a line."""
    import pypdfium2 as pdfium

    _check_container(data, path)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise EncryptedPDFError("PDF is encrypted and needs a password; decrypt it first",
                                    path=path) from None
        raise CorruptPDFError(f"PDF cannot be opened ({error}); the file is damaged",
                              path=path) from None
    try:
        pages = len(document)
        columns, textless = _read_columns(document, path)
    finally:
        document.close()
    if not columns:
        if any(textless.values()):
            raise ScannedPDFError("scanned PDF has no text layer; OCR it first", path=path)
        raise EmptyInputError("PDF holds no text", path=path)
    return _build(columns, pages, textless, path)


def _check_container(data: bytes, path: str | None) -> None:
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise CorruptPDFError("not a PDF: no %PDF- header", path=path)
    if b"%%EOF" not in data[-TRAILER_WINDOW:]:
        raise CorruptPDFError("PDF is truncated (no %%EOF at the end): the file was cut off",
                              path=path)


def _read_columns(document: object, path: str | None) -> tuple[list[_Column], dict[int, bool]]:
    """Columns with their lines, and the pages without text (whether each has images).

    Pages and text pages are opened and closed through PDFium's C API directly: pypdfium2's
    page objects register finalizers and child links that cost more per page than reading
    the page's text does in this reader.
    """
    import pypdfium2 as pdfium

    assert isinstance(document, pdfium.PdfDocument)
    raw = pdfium.raw
    columns: list[_Column] = []
    textless: dict[int, bool] = {}
    boxes = _Boxes()
    for index in range(len(document)):
        page = raw.FPDF_LoadPage(document.raw, index)
        if not page:
            raise CorruptPDFError(f"PDF page {index + 1} cannot be loaded; the file is damaged",
                                  path=path)
        try:
            runs = _page_runs(page, boxes)
            size = raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page)
        finally:
            raw.FPDF_ClosePage(page)
        if not runs:
            textless[index + 1] = _has_images(document, index)
            continue
        spans = _split_columns(runs, *size)
        for x0, x1 in spans:
            inside = runs if len(spans) == 1 else [
                r for r in runs if x0 <= (r.left + r.right) / 2 < x1]
            columns.append(_Column(index + 1, _lines(inside, index + 1, x0)))
    return columns, textless


def _page_runs(page: Any, boxes: _Boxes) -> list[_Run]:
    """The runs of one loaded page (its text page opened and closed here)."""
    import pypdfium2 as pdfium

    textpage = pdfium.raw.FPDFText_LoadPage(page)
    if not textpage:
        return []
    try:
        return _runs(textpage, boxes)
    finally:
        pdfium.raw.FPDFText_ClosePage(textpage)


def _has_images(document: object, index: int) -> bool:
    """Whether page `index` draws an image (at any depth of form objects); asked only of
    pages without text, so through pypdfium2's page objects."""
    import pypdfium2 as pdfium

    assert isinstance(document, pdfium.PdfDocument)
    page = document[index]
    try:
        return any(True for _ in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))
    finally:
        page.close()


def _page_text(textpage: Any) -> tuple[str, int]:
    """PDFium's text of the whole page and its number of characters.

    The buffer is sized from text indices, as pypdfium2's ``get_text_range`` does: PDFium
    may leave characters out of the text (crbug.com/pdfium/2079), and a range starting or
    ending on one must not be asked for.
    """
    import pypdfium2 as pdfium

    raw = pdfium.raw
    count = raw.FPDFText_CountChars(textpage)
    first, last = 0, count - 1
    while first <= last and raw.FPDFText_GetTextIndexFromCharIndex(textpage, first) < 0:
        first += 1
    while last >= first and raw.FPDFText_GetTextIndexFromCharIndex(textpage, last) < 0:
        last -= 1
    if first > last:
        return "", max(count, 0)
    size = (raw.FPDFText_GetTextIndexFromCharIndex(textpage, last) + 2
            - raw.FPDFText_GetTextIndexFromCharIndex(textpage, first))
    buffer = (ctypes.c_ushort * size)()
    written = raw.FPDFText_GetText(textpage, first, last - first + 1, buffer)
    text = bytes(memoryview(buffer)[:max(written - 1, 0)]).decode("utf-16-le", "ignore")
    return text, count


def _bounded_text(textpage: Any, left: float, bottom: float, right: float, top: float) -> str:
    """The text inside a box (PDFium says how long it is, then fills a buffer that long)."""
    import pypdfium2 as pdfium

    get = pdfium.raw.FPDFText_GetBoundedText
    size = get(textpage, left, top, right, bottom, None, 0)
    if size <= 0:
        return ""
    buffer = (ctypes.c_ushort * size)()
    written = get(textpage, left, top, right, bottom, buffer, size)
    return bytes(memoryview(buffer)[:max(written, 0)]).decode("utf-16-le", "ignore")


class _Boxes:
    """PDFium's text boxes on one text page (``FPDFText_CountRects`` / ``FPDFText_GetRect``).

    These are called once per printed line, so they go to the C functions without ctypes'
    per-call argument conversion (the prototype has no ``argtypes``; the arguments are a
    text page handle, C ints and pointers into one preallocated array), which cuts their
    cost by about a third. ``box`` reads from the boxes of the last ``count`` call, as PDFium
    requires. One object serves a whole document, a page at a time (``select``).
    """

    def __init__(self) -> None:
        self._handle: Any = None
        self._count_rects, self._get_rect = _unchecked_box_functions()
        self._values = (ctypes.c_double * 4)()  # left, top, right, bottom
        self._pointers = tuple(ctypes.byref(self._values, 8 * i) for i in range(4))

    def select(self, textpage: Any) -> None:
        """Work on this text page (a PDFium handle) from now on."""
        self._handle = textpage

    def count(self, start: int, length: int) -> int:
        """Number of boxes over characters [start, start + length)."""
        return int(self._count_rects(self._handle, start, length))

    def box(self, index: int) -> tuple[float, float, float, float] | None:
        """(left, bottom, right, top) of box `index`, or None if PDFium has no such box."""
        if not self._get_rect(self._handle, index, *self._pointers):
            return None
        left, top, right, bottom = self._values
        return left, bottom, right, top


@functools.cache
def _unchecked_box_functions() -> tuple[Any, Any]:
    """FPDFText_CountRects and FPDFText_GetRect, returning int, with no per-call argument
    conversion; made once."""
    import pypdfium2 as pdfium

    unchecked = []
    for function in (pdfium.raw.FPDFText_CountRects, pdfium.raw.FPDFText_GetRect):
        address = ctypes.cast(function, ctypes.c_void_p).value
        assert address is not None
        prototype: Any = ctypes.CFUNCTYPE(ctypes.c_int)(address)
        prototype.argtypes = None  # pass arguments as given (ints and pointers)
        unchecked.append(prototype)
    return unchecked[0], unchecked[1]


def _runs(textpage: Any, boxes: _Boxes) -> list[_Run]:
    """One run per text object, duplicates (fake bold) dropped.

    PDFium's text breaks lines with `\r\n`. When the page has one box (one text object)
    per line, the common case, each line takes its box from one pass over the page's boxes;
    otherwise each line is measured on its own, and a line of several boxes (a subscript,
    runs in other fonts) is split among them.
    """
    text, count = _page_text(textpage)
    boxes.select(textpage)
    if len(text) != count:  # characters outside the BMP: indices and text do not align
        return _dedupe(_bounded_runs(textpage, boxes, boxes.count(0, count)))
    lines = _text_lines(text)
    runs = _runs_one_box_a_line(boxes, lines, count)
    if runs is None:
        runs = _runs_line_by_line(text, boxes, lines)
    return _dedupe(runs)


class _TextLine(NamedTuple):
    """A non-blank line of PDFium's text: where it is, its text stripped, and the width of
    the blanks it starts with (in ems: `　` is one, a space half)."""

    start: int
    end: int
    text: str
    lead: float


def _text_lines(text: str) -> list[_TextLine]:
    """The non-blank lines of PDFium's text."""
    separator = PDFIUM_LINE_BREAK
    if not text.count(separator) == text.count("\r") == text.count("\n"):  # stray \r or \n
        return [_text_line(match.start(), match.group()) for match in _LINE.finditer(text)
                if match.group().strip()]
    lines = []
    start = 0
    for part in text.split(separator):  # a plain split: this runs on every page
        if part.strip():
            lines.append(_text_line(start, part))
        start += len(part) + len(separator)
    return lines


def _text_line(start: int, part: str) -> _TextLine:
    if not part[0].isspace():  # the common case, kept cheap
        return _TextLine(start, start + len(part), part.rstrip(), 0.0)
    text = part.lstrip()
    blanks = part[:len(part) - len(text)]
    lead = sum(1.0 if blank == "\u3000" else 0.5 for blank in blanks)
    return _TextLine(start, start + len(part), text.rstrip(), lead)


def _indented(box: tuple[float, float, float, float],
              lead: float) -> tuple[float, float, float, float]:
    """A line's box with its left edge moved past the blanks the line starts with: Word
    files often indent a paragraph with typed `　　`, and PDFium's box then includes them."""
    if not lead:
        return box
    left, bottom, right, top = box
    return left + lead * (top - bottom), bottom, right, top


def _runs_one_box_a_line(boxes: _Boxes, lines: list[_TextLine],
                         count: int) -> list[_Run] | None:
    """The page's boxes paired with its lines, or None unless that pairing is certain.

    PDFium starts a box where the text object changes, so a line of two objects gives two
    boxes side by side and an object running over two lines one tall box. With as many
    boxes as lines and no two consecutive boxes side by side (overlapping vertically),
    neither happened, and box i is line i.
    """
    if boxes.count(0, count) != len(lines):
        return None
    runs: list[_Run] = []
    for index, line in enumerate(lines):
        box = boxes.box(index)
        if box is None:
            return None
        run = _Run(line.text, *_indented(box, line.lead))
        if runs and min(run.top, runs[-1].top) > max(run.bottom, runs[-1].bottom):
            return None  # side by side with the box before: not a line of its own
        runs.append(run)
    return runs


def _runs_line_by_line(text: str, boxes: _Boxes, lines: list[_TextLine]) -> list[_Run]:
    """Runs measured a line at a time: the line's box, or the runs of its several boxes."""
    runs: list[_Run] = []
    for line in lines:
        count = boxes.count(line.start, line.end - line.start)
        box = boxes.box(0) if count == 1 else None
        if box is not None:
            runs.append(_Run(line.text, *_indented(box, line.lead)))
        elif count > 0:
            runs.extend(_runs_of_boxes(text, boxes, line, count))
    return runs


def _runs_of_boxes(text: str, boxes: _Boxes, line: _TextLine, count: int) -> list[_Run]:
    """The runs of a line of `count` boxes (text objects), right after `boxes.count` over
    the line. Boxes come in character order, so box k starts at the shortest prefix of the
    line that `count` says reaches k + 1 boxes: a few cheap calls per box, where reading the
    text inside each box (``FPDFText_GetBoundedText``) would scan the whole page each time."""
    start, end = line.start, line.end
    found = [boxes.box(index) for index in range(count)]  # before counting prefixes
    cuts = (_cuts_at_characters(text, boxes, start, end, count)
            or _cuts_at_script_changes(text, boxes, start, end, count))
    if cuts is None:
        cuts = [start]
        for index in range(1, count):
            cuts.append(_bisect_box_start(boxes, start, end, index, cuts[-1] + 1))
        cuts.append(end)
    runs: list[_Run] = []
    blank_before = False  # a blank in the text since the last run kept
    for index, box in enumerate(found):
        raw = text[cuts[index]:cuts[index + 1]]
        piece = raw.strip()
        if piece and box is not None:  # the leading blanks, if in a box, are in the first
            spaced = bool(runs) and (blank_before or raw[0].isspace())
            left, bottom, right, top = _indented(box, line.lead) if index == 0 else box
            runs.append(_Run(piece, left, bottom, right, top, spaced))
            blank_before = raw[-1].isspace()
        else:
            blank_before = blank_before or bool(raw) and raw.isspace()
    return _merged(runs) if len(runs) > MERGE_FROM_RUNS else runs


def _merged(runs: list[_Run]) -> list[_Run]:
    """Neighbouring runs of one line joined into one where nothing sets them apart (the next
    starts where the last ends, on its line, neither a subscript nor a superscript of the
    other), so that a line drawn a character at a time is not carried through the later
    stages as dozens of runs. PDFium may give two rows of a table as one line of text."""
    em = max(run.top - run.bottom for run in runs)
    back = SIZE_TOLERANCE * em  # how far a run may start left of where the last one ends
    groups = [[runs[0]]]
    low, high, right = runs[0].bottom, runs[0].top, runs[0].right
    for run in runs[1:]:
        last = groups[-1][-1]
        if (run.left >= right - back and _in_band(run, low, high)
                and not _script_of(last, run) and not _script_of(run, last)):
            groups[-1].append(run)
            low, high, right = min(low, run.bottom), max(high, run.top), max(right, run.right)
        else:
            groups.append([run])
            low, high, right = run.bottom, run.top, run.right
    return [group[0] if len(group) == 1 else
            _Run(_join_runs(group, em), group[0].left, min(run.bottom for run in group),
                 max(run.right for run in group), max(run.top for run in group), group[0].spaced)
            for group in groups]


def _cuts_at_characters(text: str, boxes: _Boxes, start: int, end: int,
                        count: int) -> list[int] | None:
    """Box starts at every character but blanks, when there are as many boxes as those
    characters (each drawn as its own object) and counts confirm the middle one."""
    if count < (end - start) // 2:  # not one box a character: do not look closer
        return None
    marks = [index for index in range(start, end) if not text[index].isspace()]
    if len(marks) != count:
        return None
    middle = count // 2
    if boxes.count(start, marks[middle] - start) != middle or \
            boxes.count(start, marks[middle] - start + 1) != middle + 1:
        return None
    return [start, *marks[1:], end]


def _cuts_at_script_changes(text: str, boxes: _Boxes, start: int, end: int,
                            count: int) -> list[int] | None:
    """Box starts where the line changes between ASCII and other script, when it has as many
    such runs as boxes and each change is checked to start a box (two counts): Word sets
    digits and Latin in another font, so in another text object."""
    changes = [match.start() for match in _SCRIPT_RUN.finditer(text, start, end)][1:]
    if len(changes) != count - 1:
        return None
    for index, cut in enumerate(changes, 1):
        if boxes.count(start, cut - start) != index or boxes.count(start, cut - start + 1) <= index:
            return None
    return [start, *changes, end]


def _bisect_box_start(boxes: _Boxes, start: int, end: int, index: int, after: int) -> int:
    """Where box `index` of the line [start, end) starts, at or after `after`: the first
    character whose prefix covers more than `index` boxes."""
    low, high = after, end - 1
    while low < high:
        middle = (low + high) // 2
        if boxes.count(start, middle - start + 1) > index:
            high = middle
        else:
            low = middle + 1
    return low


def _bounded_runs(textpage: Any, boxes: _Boxes, count: int) -> list[_Run]:
    """Runs for the `count` boxes of the last `boxes.count` call, the text of each read
    from inside its box (shrunk a little, so that a neighbour touching it is not read)."""
    found = [box for index in range(count) if (box := boxes.box(index)) is not None]
    runs = []
    for left, bottom, right, top in found:
        inset_x = min(QUERY_INSET, (right - left) / 4)
        inset_y = min(QUERY_INSET * 2, (top - bottom) / 4)
        text = _bounded_text(textpage, left + inset_x, bottom + inset_y, right - inset_x,
                             top - inset_y)
        text = text.replace("\r", "").replace("\n", "").strip()
        if text:
            runs.append(_Run(text, left, bottom, right, top))
    return runs


def _dedupe(runs: list[_Run]) -> list[_Run]:
    """Drop a run drawn again over one of the few runs before it (fake bold)."""
    if len({run.text for run in runs}) == len(runs):
        return runs  # no text twice: nothing to compare
    kept: list[_Run] = []
    for run in runs:
        for other in kept[-DUPLICATE_LOOKBACK:]:
            if other.text == run.text and _overlapping(run, other):
                break
        else:
            kept.append(run)
    return kept


def _overlapping(a: _Run, b: _Run) -> bool:
    overlap_x = min(a.right, b.right) - max(a.left, b.left)
    overlap_y = min(a.top, b.top) - max(a.bottom, b.bottom)
    if overlap_x <= 0 or overlap_y <= 0:
        return False
    area = (a.right - a.left) * (a.top - a.bottom)
    return area > 0 and overlap_x * overlap_y >= DUPLICATE_OVERLAP * area


def _split_columns(runs: list[_Run], width: float, height: float) -> list[tuple[float, float]]:
    """[(x0, x1)] of the printed pages on a sheet: two for a 2-up landscape sheet, else one."""
    whole = [(0.0, width)]
    if width <= height:
        return whole
    low, high = GUTTER_BAND[0] * width, GUTTER_BAND[1] * width
    covered = sorted((r.left, r.right) for r in runs if r.right > low and r.left < high)
    gap_start, best = low, (0.0, 0.0)
    for left, right in covered + [(high, high)]:
        if left - gap_start > best[1] - best[0]:
            best = (gap_start, min(left, high))
        gap_start = max(gap_start, right)
    if best[1] <= best[0]:
        return whole
    gutter = (best[0] + best[1]) / 2
    total = sum(len(r.text) for r in runs)
    left_chars = sum(len(r.text) for r in runs if r.right <= gutter)
    if min(left_chars, total - left_chars) < GUTTER_MIN_SHARE * total:
        return whole
    return [(0.0, gutter), (gutter, width)]


def _lines(runs: list[_Run], page: int, x0: float) -> list[_Line]:
    """Group runs into lines top to bottom in one pass; the band of a line is that of its
    tallest run."""
    groups: list[list[_Run]] = []
    low = high = 0.0  # band of the current line
    for run in sorted(runs, key=lambda r: -r.top):
        if groups and (low <= (run.top + run.bottom) / 2 <= high  # the common case, inline
                       or _in_band(run, low, high)):
            groups[-1].append(run)
            if run.top - run.bottom > high - low:
                low, high = run.bottom, run.top
        else:
            groups.append([run])
            low, high = run.bottom, run.top
    return [_Line.of(group, page, x0) for group in groups]


def _in_band(run: _Run, low: float, high: float) -> bool:
    """Whether `run` belongs to the line whose band is [low, high]: either one's middle lies
    inside the other (a subscript or superscript joins the line it sits in), or it is a small
    mark just under the band (`.` of a subscript `2.5` drawn as its own object)."""
    if low <= (run.top + run.bottom) / 2 <= high or run.bottom <= (low + high) / 2 <= run.top:
        return True
    height = high - low
    return (run.top - run.bottom < SMALL_RUN_SHARE * height
            and low - SMALL_RUN_REACH * height <= run.top <= high)


def _join_runs(runs: Sequence[_Run], em: float | None = None) -> str:
    """Runs of a line in order, joined with nothing, but with a space where PDFium's text
    has a blank between two runs of ASCII (words, numbers: `11. 5.22`). Gaps alone do not
    make spaces (justified text spreads letters drawn one by one: `E O D`), nor does the
    blank PDFium puts before a subscript or superscript (`PM` `2.5`). A gap of a column
    (table cells on one line) is a table cell break, as the HTML and .docx readers give; an
    em is the line's tallest run (`em`, if the runs are not the whole line)."""
    text = runs[0].text
    column_gap = COLUMN_GAP_EMS * (em or max(run.height for run in runs))
    for previous, run in zip(runs, runs[1:]):
        if run.left - previous.right >= column_gap:
            text += grammar.TABLE_CELL_BREAK
        elif (run.spaced and text[-1] in _ASCII_MARK and run.text[0] in _ASCII_MARK
                and not _script_of(previous, run)):
            text += " "
        text += run.text
    return text


def _script_of(previous: _Run, run: _Run) -> bool:
    """Whether `run` is a subscript or superscript after `previous`: smaller, and its top
    lower (subscript) or its bottom higher (superscript)."""
    height = previous.top - previous.bottom
    tolerance = SIZE_TOLERANCE * height
    return run.top - run.bottom < height - tolerance and (
        run.top < previous.top - tolerance or run.bottom > previous.bottom + tolerance)


# ---------------------------------------------------------------------------
# Page furniture
# ---------------------------------------------------------------------------

def _mark_furniture(columns: list[_Column]) -> None:
    """Set `kind` of page numbers and running headers/footers."""
    for column in columns:
        for line in (column.lines[:1] + column.lines[-1:]):
            if grammar.PAGE_NUMBER_LINE.match(line.text):
                line.kind = "page-number"
    edges = [(column, [(line, _repeat_key(line)) for line in _edge_lines(column)])
             for column in columns]
    repeats = Counter(key for _, keyed in edges for key in {key for _, key in keyed})
    threshold = max(MIN_REPEATS, REPEAT_SHARE * len(columns))
    for column, keyed in edges:
        for line, key in keyed:
            if repeats[key] >= threshold:
                line.kind = "header" if line is column.lines[0] or line.top > _middle(column) \
                    else "footer"


def _edge_lines(column: _Column) -> Iterator[_Line]:
    body = [line for line in column.lines if line.kind == "body"]
    seen: set[int] = set()
    for line in body[:EDGE_LINES] + body[-EDGE_LINES:]:
        if id(line) not in seen:
            seen.add(id(line))
            yield line


def _middle(column: _Column) -> float:
    return (column.lines[0].top + column.lines[-1].bottom) / 2


def _repeat_key(line: _Line) -> tuple[str, int]:
    """Text with numbers masked (`第3页` ~ `第4页`) and height bucket."""
    return _DIGITS.sub("#", line.text), round(line.top / REPEAT_Y_BUCKET)


# ---------------------------------------------------------------------------
# Paragraphs
# ---------------------------------------------------------------------------

def _geometry(lines: list[_Line]) -> _Geometry:
    """Body size from the lines' heights, margins from where most lines start and end."""
    full = [line for line in lines if len(line.text) >= MIN_BODY_CHARS] or lines
    em = statistics.median(line.size for line in full)
    body = [line for line in lines if abs(line.size - em) <= SIZE_TOLERANCE * em] or lines
    left = float(Counter(round(line.left) for line in body).most_common(1)[0][0])
    rights = sorted(line.right for line in body)
    right = rights[int(len(rights) * FULL_LINE_QUANTILE)]
    steps = [a.top - b.top for a, b in zip(body, body[1:]) if a.page == b.page and a.top > b.top]
    pitch = statistics.median(steps) if steps else em * 1.8
    return _Geometry(em=em, left=left, right=right, pitch=pitch)


def _continues(previous: _Line, line: _Line, geometry: _Geometry) -> bool:
    """Whether `line` carries on the paragraph that `previous` ends."""
    if abs(line.size - previous.size) > geometry.size_tolerance:
        return False
    if grammar.TABLE_CELL_BREAK in line.text or grammar.TABLE_CELL_BREAK in previous.text:
        return False  # a table row is a line of its own
    if line.page == previous.page and previous.bottom - line.top > geometry.blank_gap:
        return False
    if abs(line.size - geometry.em) > geometry.size_tolerance:  # display lines (titles)
        return line.page == previous.page  # a title set on two lines
    if line.left > geometry.indent_from or previous.right < geometry.short_before:
        return False
    starts_block = grammar.BLOCK_START.match(line.text) is not None
    if previous.right >= geometry.flush_from:  # a wrapped line, unless a new item follows a full stop
        return not (starts_block and previous.text[-1] in grammar.SENTENCE_END)
    return not starts_block  # nearly full: a heading pattern decides


def _glue(previous: str, following: str) -> str:
    """Join text wrapped across lines: nothing inside Chinese, a space inside Latin words."""
    return " " if previous[-1:] in _LATIN and following[:1] in _LATIN else ""


def _build(columns: list[_Column], pages: int, textless: dict[int, bool],
           path: str | None) -> SourceDocument:
    _mark_furniture(columns)
    body = [line for column in columns for line in column.lines if line.kind == "body"]
    geometry = _geometry(body)
    parts: list[str] = []
    length = 0
    page_starts: dict[int, int] = {}
    previous: _Line | None = None
    for line in body:
        if previous is not None:
            separator = (_glue(previous.text, line.text)
                         if _continues(previous, line, geometry) else "\n")
            parts.append(separator)
            length += len(separator)
        page_starts.setdefault(line.page, length)
        parts.append(line.text)
        length += len(line.text)
        previous = line
    text = "".join(parts) + "\n"
    starts = _page_start_offsets(page_starts, pages)
    return SourceDocument(text=text, format="pdf", path=path, page_starts=starts,
                          furniture=_furniture(columns), diagnostics=_textless_pages(textless))


def _page_start_offsets(first_offsets: dict[int, int], pages: int) -> tuple[int, ...]:
    """Offset where each page starts; a page without text starts where the next one does."""
    starts: list[int] = []
    following = max(first_offsets.values(), default=0)
    for page in range(pages, 0, -1):
        following = first_offsets.get(page, following)
        starts.append(following)
    starts.reverse()
    starts[0] = 0
    return tuple(starts)


def _furniture(columns: Iterable[_Column]) -> tuple[PageFurniture, ...]:
    return tuple(PageFurniture(page=line.page, kind=line.kind, text=line.text)
                 for column in columns for line in column.lines if line.kind != "body")


def _textless_pages(textless: dict[int, bool]) -> tuple[Diagnostic, ...]:
    """A warning for each page with images but no text (its content is missing), a note for
    each blank page."""
    return tuple(
        Diagnostic(level="warning", code="pdf-page-without-text",
                   message=f"PDF page {page} has images but no text layer (a scanned page?): "
                           "its content is missing; OCR it first")
        if has_images else
        Diagnostic(level="info", code="pdf-blank-page", message=f"PDF page {page} is blank")
        for page, has_images in sorted(textless.items()))
