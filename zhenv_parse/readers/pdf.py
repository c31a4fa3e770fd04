"""PDF: rebuild the notice's paragraphs from text positions, with page furniture set aside.

Text and positions come from PDFium (pypdfium2, which pdfplumber itself is built on): one
text page per PDF page, then one *run* per text object (``FPDFText_GetRect``) with the text
inside its box. PDFium already drops text objects drawn twice at the same place (fake bold)
and keeps subscripts (``PM₂.₅``) in the content order; the runs carry the boxes needed for
everything else, at a fraction of pdfminer's cost (see ``benchmarks/bench_pdf.py``):

1. runs → columns: a landscape sheet with an empty gutter down the middle is two pages (2-up);
2. runs → lines, by vertical overlap, each line's runs in x order (subscripts join their line);
3. furniture: page numbers at the top or bottom of a page and lines repeated at the same height
   on most pages (running headers/footers) go to ``SourceDocument.extra["pdf.furniture"]``;
4. lines → paragraphs: a line continues the previous one unless it is indented, the previous
   line stops short of the right margin, the type size changes, or there is a blank line —
   also across page breaks. Display lines (titles, larger than the body) join their own kind.

The text is one paragraph a line; the normaliser then runs on it as on a .txt, and
``page_starts`` lets the pipeline put a page number on every span.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import regex

from .. import grammar
from ..errors import CorruptPDFError, EmptyInputError, EncryptedPDFError, ScannedPDFError
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
#: The middle band of a landscape sheet searched for the gutter of a 2-up print.
GUTTER_BAND = (0.3, 0.7)
#: Each side of a gutter must hold at least this share of the sheet's characters.
GUTTER_MIN_SHARE = 0.15
#: Size difference (in ems) that separates display lines (titles) from the body.
SIZE_TOLERANCE = 0.15
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
#: Height buckets (points) when comparing the position of repeated lines.
REPEAT_Y_BUCKET = 3.0

_DIGITS = regex.compile(r"\d+")
_PDFIUM_LINE = regex.compile(r"[^\r\n]+")
_LATIN_END = regex.compile(r"[A-Za-z]$")
_LATIN_START = regex.compile(r"^[A-Za-z]")
_ALNUM_END = regex.compile(r"[A-Za-z0-9]$")
_ALNUM_START = regex.compile(r"^[A-Za-z0-9]")


@dataclass(frozen=True)
class _Run:
    """Text of one text object and its box (PDF coordinates: y grows upwards)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def height(self) -> float:
        return self.top - self.bottom


@dataclass
class _Line:
    """A printed line: its runs in x order, its box (x relative to its column) and text."""

    runs: list[_Run]
    page: int  # 1-based physical page
    x0: float  # left edge of its column, so that 2-up halves share one geometry
    text: str = ""
    kind: str = "body"  # or the furniture kind
    left: float = 0.0
    right: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0

    def finish(self) -> None:
        """Order the runs and measure the line, once all its runs are in."""
        self.runs.sort(key=lambda r: r.left)
        self.text = _join_runs(self.runs)
        self.left = self.runs[0].left - self.x0
        self.right = max(run.right for run in self.runs) - self.x0
        self.top = max(run.top for run in self.runs)
        self.bottom = min(run.bottom for run in self.runs)
        self.size = max(run.height for run in self.runs)


@dataclass
class _Column:
    """One printed page: a PDF page, or half of a 2-up sheet."""

    page: int
    lines: list[_Line] = field(default_factory=list)


@dataclass(frozen=True)
class _Geometry:
    """The body text's measures, taken over the whole document."""

    em: float
    left: float
    right: float
    pitch: float

    def indented(self, line: _Line) -> bool:
        return line.left > self.left + INDENT_EMS * self.em

    def short(self, line: _Line) -> bool:
        return line.right < self.right - SHORT_LINE_EMS * self.em

    def flush(self, line: _Line) -> bool:
        return line.right >= self.right - FLUSH_EMS * self.em

    def display(self, line: _Line) -> bool:
        return abs(line.size - self.em) > SIZE_TOLERANCE * self.em


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
        columns, blank_pages, has_images = _read_columns(document)
    finally:
        document.close()
    if not any(column.lines for column in columns):
        if has_images:
            raise ScannedPDFError("scanned PDF has no text layer; OCR it first", path=path)
        raise EmptyInputError("PDF holds no text", path=path)
    return _build(columns, len(blank_pages) + len({c.page for c in columns}), blank_pages, path)


def _check_container(data: bytes, path: str | None) -> None:
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise CorruptPDFError("not a PDF: no %PDF- header", path=path)
    if b"%%EOF" not in data[-TRAILER_WINDOW:]:
        raise CorruptPDFError("PDF is truncated (no %%EOF at the end): the file was cut off",
                              path=path)


def _read_columns(document: object) -> tuple[list[_Column], list[int], bool]:
    """Columns with their lines, the pages without text, and whether any page has images."""
    import pypdfium2 as pdfium

    assert isinstance(document, pdfium.PdfDocument)
    columns: list[_Column] = []
    blank: list[int] = []
    has_images = False
    for index in range(len(document)):
        page = document[index]
        try:
            textpage = page.get_textpage()
            runs = _runs(textpage)
            if not runs:
                blank.append(index + 1)
                has_images = has_images or any(
                    True for _ in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))
                continue
            width, height = page.get_size()
            for x0, x1 in _split_columns(runs, width, height):
                inside = [r for r in runs if x0 <= (r.left + r.right) / 2 < x1]
                columns.append(_Column(index + 1, _lines(inside, index + 1, x0)))
        finally:
            page.close()
    return columns, blank, has_images


def _runs(textpage: object) -> list[_Run]:
    """One run per text object, duplicates (fake bold) dropped.

    PDFium's text breaks lines with `\r\n`; a line that is one box (one text object, the
    common case) takes its text from there. Lines of several boxes (a subscript, runs in
    other fonts) ask for the text inside each box.
    """
    import pypdfium2 as pdfium

    assert isinstance(textpage, pdfium.PdfTextPage)
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:  # characters outside the BMP: indices and text do not align
        return _dedupe(_bounded_runs(textpage, range(textpage.count_rects())))
    runs: list[_Run] = []
    for match in _PDFIUM_LINE.finditer(text):
        start, end = match.span()
        if not match.group().strip():
            continue
        boxes = textpage.count_rects(start, end - start)
        if boxes == 1:
            left, bottom, right, top = textpage.get_rect(0)
            runs.append(_Run(match.group().strip(), left, bottom, right, top))
        else:
            runs.extend(_bounded_runs(textpage, range(boxes)))
    return _dedupe(runs)


def _bounded_runs(textpage: object, indices: Iterable[int]) -> list[_Run]:
    """Runs for the boxes of the last `count_rects` call, text read from inside each box."""
    import pypdfium2 as pdfium

    assert isinstance(textpage, pdfium.PdfTextPage)
    boxes = [textpage.get_rect(index) for index in indices]
    runs = []
    for left, bottom, right, top in boxes:
        inset_x = min(QUERY_INSET, (right - left) / 4)
        inset_y = min(QUERY_INSET * 2, (top - bottom) / 4)
        text = textpage.get_text_bounded(left + inset_x, bottom + inset_y, right - inset_x,
                                         top - inset_y)
        text = text.replace("\r", "").replace("\n", "").strip()
        if text:
            runs.append(_Run(text, left, bottom, right, top))
    return runs


def _dedupe(runs: list[_Run]) -> list[_Run]:
    kept: list[_Run] = []
    for run in runs:
        if not any(_same_run(run, other) for other in kept[-4:]):
            kept.append(run)
    return kept


def _same_run(a: _Run, b: _Run) -> bool:
    if a.text != b.text:
        return False
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
    """Group runs into lines top to bottom; a smaller run (a subscript) joins the line it
    sits in."""
    ordered = sorted(runs, key=lambda r: (-r.height, -r.top))
    lines: list[_Line] = []
    bands: list[tuple[float, float]] = []  # (bottom, top) of each line's tallest run
    for run in ordered:
        middle = (run.top + run.bottom) / 2
        home = next((i for i, (low, high) in enumerate(bands) if low <= middle <= high), None)
        if home is None:
            lines.append(_Line([run], page, x0))
            bands.append((run.bottom, run.top))
        else:
            lines[home].runs.append(run)
    for line in lines:
        line.finish()
    lines.sort(key=lambda line: -line.top)
    return lines


def _join_runs(runs: Sequence[_Run]) -> str:
    """Runs of a line in order; a space only between Latin words set as separate runs."""
    text = runs[0].text
    for previous, run in zip(runs, runs[1:]):
        gap = run.left - previous.right
        same_size = abs(run.height - previous.height) < SIZE_TOLERANCE * max(run.height, 1.0)
        if (same_size and gap > previous.height / 4 and _ALNUM_END.search(text)
                and _ALNUM_START.match(run.text)):
            text += " "
        text += run.text
    return text


# ---------------------------------------------------------------------------
# Page furniture
# ---------------------------------------------------------------------------

def _mark_furniture(columns: list[_Column]) -> None:
    """Set `kind` of page numbers and running headers/footers."""
    for column in columns:
        for line in (column.lines[:1] + column.lines[-1:]):
            if grammar.PAGE_NUMBER_LINE.match(line.text):
                line.kind = "page-number"
    repeats: Counter[tuple[str, int]] = Counter()
    for column in columns:
        repeats.update({_repeat_key(line) for line in _edge_lines(column)})
    threshold = max(MIN_REPEATS, REPEAT_SHARE * len(columns))
    for column in columns:
        for line in _edge_lines(column):
            if repeats[_repeat_key(line)] >= threshold:
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
    if abs(line.size - previous.size) > SIZE_TOLERANCE * geometry.em:
        return False
    if line.page == previous.page and previous.bottom - line.top > BLANK_LINE_PITCHES * geometry.pitch:
        return False
    if geometry.display(line):
        return line.page == previous.page  # a title set on two lines
    if geometry.indented(line) or geometry.short(previous):
        return False
    starts_block = any(p.match(line.text) for p in grammar.BLOCK_STARTS)
    if geometry.flush(previous):  # a wrapped line, unless a new item follows a full stop
        return not (starts_block and previous.text[-1] in grammar.SENTENCE_END)
    return not starts_block  # nearly full: a heading pattern decides


def _glue(previous: str, following: str) -> str:
    """Join text wrapped across lines: nothing inside Chinese, a space inside Latin words."""
    return " " if _LATIN_END.search(previous) and _LATIN_START.match(following) else ""


def _build(columns: list[_Column], pages: int, blank_pages: list[int],
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
                          extra=_extra(columns, pages, blank_pages))


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


def _extra(columns: Iterable[_Column], pages: int, blank_pages: list[int]) -> dict[str, str]:
    furniture = [f"{line.page}\t{line.kind}\t{line.text}"
                 for column in columns for line in column.lines if line.kind != "body"]
    extra = {"pdf.pages": str(pages), "pdf.furniture": "\n".join(furniture)}
    if blank_pages:
        extra["pdf.pages_without_text"] = ",".join(map(str, blank_pages))
    return extra
