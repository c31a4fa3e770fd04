"""PDFs of a notice laid out as GB/T 9704-2012 prescribes, made by two real producers.

* reportlab with its built-in ``STSong-Light`` CID font (no font file, not embedded);
* fpdf2 with an embedded TrueType subset of WenQuanYi Zen Hei (``fonts-wqy-zenhei``).

Layout: A4, text core 156 × 225 mm at 28 mm from the left and 37 mm from the top, 28
characters a line and 22 lines a page, first-line indent of two characters, justified lines,
page numbers `— N —` below the core (odd pages right, even pages left), a red issuing-authority
mark and rule on page 1, the 附件 on a new page. Options add what real copies carry: running
headers/footers, PM2.5 set as a subscript, fake bold (headings drawn twice), two pages per sheet,
and Kangxi radicals / compatibility ideographs in the font's ToUnicode map.

Used by the PDF tests, the benchmark and ``samples/make_pdf.py``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from zhenv_parse import grammar
from zhenv_parse.normalize import normalize

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
CORE_LEFT, CORE_TOP, CORE_W, CORE_H = 28 * MM, 37 * MM, 156 * MM, 225 * MM
CHARS_PER_LINE, LINES_PER_PAGE = 28, 22
BODY_SIZE = CORE_W / CHARS_PER_LINE  # 3号 仿宋, squeezed to 28 a line
PITCH = CORE_H / LINES_PER_PAGE
TITLE_SIZE, MARK_SIZE, FOLIO_SIZE = 22.0, 30.0, 14.0
SUB_SCALE, SUB_RISE = 0.6, -3.0
FAKE_BOLD_OFFSET = 0.3
RED = (0.85, 0.0, 0.0)
BLACK = (0.0, 0.0, 0.0)
WQY_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
#: Characters Word/WPS exports map to radicals or compatibility ideographs: 生 → ⽣, 长 → ⻓, 率 → 率.
RADICAL_MAP = {"生": "\u2f63", "长": "\u2ed3", "率": "\uf961"}

#: Opening brackets and quotes never end a line.
LINE_END_FORBIDDEN = "“‘《（〔【「『(["
_TOKEN = re.compile(r"[A-Za-z0-9.%/\-+]+|.", re.S)
_SUBSCRIPT = re.compile(r"(?<=PM)2\.5")
_FONT_RUN = re.compile(r"[\x21-\x7e]+|[^\x21-\x7e]+")


@dataclass(frozen=True)
class Options:
    """What the PDF carries beyond the plain layout."""

    folio: Callable[[int], str] = lambda n: f"— {n} —"
    header: str | None = None
    footer: str | None = None
    subscript: bool = False
    fake_bold: bool = False
    two_up: bool = False
    #: A Latin font for ASCII (digits, `PM`, `%`), as Word sets 西文 in Times New Roman:
    #: every line with a number becomes several text objects (reportlab only).
    latin_font: str | None = None
    #: Indent first lines with typed `　　` from the margin, as many Word files do, instead
    #: of starting them two characters in.
    blank_indent: bool = False
    #: Draw each character as its own text object, as some typesetters and converters do.
    char_objects: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph and how it is set."""

    kind: str  # mark, docno, title, flush, body, right, heading
    text: str
    new_page: bool = False


@dataclass
class Placed:
    """One line of text at its place: x of the first glyph, y of the baseline from the top."""

    x: float
    y: float
    text: str
    size: float
    char_space: float = 0.0
    color: tuple[float, float, float] = BLACK
    bold: bool = False


@dataclass
class Page:
    lines: list[Placed] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # x1, x2, y


# ---------------------------------------------------------------------------
# Blocks from a notice's text
# ---------------------------------------------------------------------------

def blocks_from_text(text: str) -> list[Block]:
    """The notice's paragraphs, each with the setting a typist would give it."""
    paragraphs = [p.text for p in normalize(text).paragraphs]
    blocks: list[Block] = []
    seen_title = seen_recipients = False
    for index, para in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        if grammar.ISSUER_MARK.match(para) and not blocks:
            blocks.append(Block("mark", para))
        elif grammar.DOC_NUMBER.fullmatch(para):
            blocks.append(Block("docno", para))
        elif grammar.NOTICE_TITLE.match(para) and not seen_title:
            seen_title = True
            blocks.append(Block("title", para))
        elif seen_title and not seen_recipients and para.endswith("："):
            seen_recipients = True
            blocks.append(Block("flush", para))
        elif grammar.DATE_LINE.match(para) or grammar.DATE_LINE.match(following):
            blocks.append(Block("right", para))
        elif grammar.ATTACHMENT_MARK.match(para):
            blocks.append(Block("flush", para, new_page=True))
        elif blocks and (blocks[-1].text == "附件" or (
                grammar.PLAN_TITLE.match(para) and blocks[-1].kind == "right")):
            blocks.append(Block("title", para, new_page=blocks[-1].kind == "right"))
        elif grammar.CHAPTER_HEADING.match(para):
            blocks.append(Block("heading", para))
        else:
            blocks.append(Block("body", para))
    return blocks


# ---------------------------------------------------------------------------
# Layout (producer-independent)
# ---------------------------------------------------------------------------

Width = Callable[[str, float], float]


def _segments(text: str, subscript: bool) -> Iterator[tuple[str, bool]]:
    """(run, is_subscript) pieces of a line."""
    position = 0
    if subscript:
        for match in _SUBSCRIPT.finditer(text):
            yield text[position:match.start()], False
            yield match.group(), True
            position = match.end()
    yield text[position:], False


def line_width(text: str, size: float, width: Width, subscript: bool) -> float:
    return sum(width(run, size * SUB_SCALE if sub else size) for run, sub in _segments(text, subscript))


def wrap(text: str, first: float, rest: float, size: float, width: Width,
         subscript: bool) -> list[str]:
    """Greedy line breaking; closing punctuation may hang past the margin, as in Word."""
    lines: list[str] = []
    current = ""
    for token in _TOKEN.findall(text):
        avail = first if not lines else rest
        if current and line_width(current + token, size, width, subscript) > avail + 0.01:
            if token in grammar.LINE_START_FORBIDDEN:
                current += token
                continue
            carried = ""
            while current[-1:] in LINE_END_FORBIDDEN and len(current) > 1:
                current, carried = current[:-1], current[-1] + carried
            lines.append(current)
            current = carried + token
        else:
            current += token
    return lines + [current] if current else lines


class _Composer:
    def __init__(self, width: Width, options: Options) -> None:
        self.width, self.options = width, options
        self.pages: list[Page] = [Page()]
        self.row = 0

    def need(self, rows: int) -> None:
        if self.row + rows > LINES_PER_PAGE:
            self.break_page()

    def break_page(self) -> None:
        self.pages.append(Page())
        self.row = 0

    def put(self, x: float, text: str, size: float, **kw: object) -> None:
        self.need(1)
        y = CORE_TOP + (self.row + 0.8) * PITCH
        self.pages[-1].lines.append(Placed(x, y, text, size, **kw))  # type: ignore[arg-type]
        self.row += 1

    def measure(self, text: str, size: float) -> float:
        return line_width(text, size, self.width, self.options.subscript)

    def block(self, block: Block) -> None:
        if block.new_page and self.row:
            self.break_page()
        if block.kind in {"mark", "docno", "title"}:
            self.centred(block)
        elif block.kind == "right":
            self.put(CORE_LEFT + CORE_W - 4 * BODY_SIZE - self.measure(block.text, BODY_SIZE),
                     block.text, BODY_SIZE)
        else:
            self.paragraph(block)

    def centred(self, block: Block) -> None:
        size = {"mark": MARK_SIZE, "title": TITLE_SIZE}.get(block.kind, BODY_SIZE)
        color = RED if block.kind == "mark" else BLACK
        bold = block.kind == "mark" and self.options.fake_bold
        for line in wrap(block.text, CORE_W, CORE_W, size, self.width, self.options.subscript):
            self.put(CORE_LEFT + (CORE_W - self.measure(line, size)) / 2, line, size,
                     color=color, bold=bold)
        if block.kind == "mark":
            self.row += 1
        elif block.kind == "docno":
            self.pages[-1].rules.append((CORE_LEFT, CORE_LEFT + CORE_W,
                                         CORE_TOP + (self.row + 0.2) * PITCH))
            self.row += 1
        else:
            self.row += 1 if self.row < LINES_PER_PAGE else 0

    def paragraph(self, block: Block) -> None:
        indent = 0.0 if block.kind == "flush" else 2 * BODY_SIZE
        lines = wrap(block.text, CORE_W - indent, CORE_W, BODY_SIZE, self.width,
                     self.options.subscript)
        for index, line in enumerate(lines):
            x = CORE_LEFT + (indent if index == 0 else 0.0)
            if index == 0 and indent and self.options.blank_indent:
                x, line = CORE_LEFT, "\u3000\u3000" + line
            spare = CORE_LEFT + CORE_W - x - self.measure(line, BODY_SIZE)
            justify = index < len(lines) - 1 and spare > 0 and len(line) > 1
            self.put(x, line, BODY_SIZE, char_space=spare / (len(line) - 1) if justify else 0.0,
                     bold=block.kind == "heading" and self.options.fake_bold)


def compose(blocks: list[Block], width: Width, options: Options) -> list[Page]:
    composer = _Composer(width, options)
    for block in blocks:
        composer.block(block)
    return [page for page in composer.pages if page.lines]


def furniture(number: int, options: Options) -> list[Placed]:
    """Page number, running header and footer of page `number`."""
    placed = []
    folio = options.folio(number)
    width = len(folio) * FOLIO_SIZE * 0.6
    x = CORE_LEFT + CORE_W - FOLIO_SIZE - width if number % 2 else CORE_LEFT + FOLIO_SIZE
    placed.append(Placed(x, CORE_TOP + CORE_H + 7 * MM + FOLIO_SIZE, folio, FOLIO_SIZE))
    if options.header:
        placed.append(Placed(CORE_LEFT, 20 * MM, options.header, 10.5))
    if options.footer:
        placed.append(Placed(CORE_LEFT, PAGE_H - 12 * MM, options.footer, 10.5))
    return placed


# ---------------------------------------------------------------------------
# Producers
# ---------------------------------------------------------------------------

def reportlab_pdf(blocks: list[Block], options: Options = Options(), *,
                  encrypt_password: str | None = None) -> bytes:
    """The notice set in reportlab's STSong-Light (Adobe-GB1 CID font, not embedded)."""
    from reportlab.lib.pagesizes import landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))

    def font_runs(text: str) -> list[tuple[str, str]]:
        """(run, font) pieces: ASCII in the Latin font when there is one."""
        if options.latin_font is None:
            return [(text, font)]
        return [(run, options.latin_font if run[0].isascii() else font)
                for run in _FONT_RUN.findall(text)]

    pages = compose(blocks, lambda s, size: sum(pdfmetrics.stringWidth(run, face, size)
                                                for run, face in font_runs(s)), options)
    buffer = io.BytesIO()
    encrypt = None
    if encrypt_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption
        encrypt = StandardEncryption(encrypt_password, ownerPassword="owner-" + encrypt_password)
    size = landscape((PAGE_W, PAGE_H)) if options.two_up else (PAGE_W, PAGE_H)
    pdf = canvas.Canvas(buffer, pagesize=size, encrypt=encrypt, invariant=True)

    def draw(page: Page, number: int, height: float) -> None:
        for placed in page.lines + furniture(number, options):
            for dx in ((0.0, FAKE_BOLD_OFFSET) if placed.bold else (0.0,)):
                text = pdf.beginText(placed.x + dx, height - placed.y)
                text.setFillColorRGB(*placed.color)
                text.setCharSpace(placed.char_space)
                for segment, sub in _segments(placed.text, options.subscript):
                    for run, face in font_runs(segment):
                        text.setFont(face, placed.size * (SUB_SCALE if sub else 1.0))
                        text.setRise(SUB_RISE if sub else 0.0)
                        for piece in (run if options.char_objects else [run]):
                            text.textOut(piece)
                pdf.drawText(text)
        for x1, x2, y in page.rules:
            pdf.setStrokeColorRGB(*RED)
            pdf.setLineWidth(1.0)
            pdf.line(x1, height - y, x2, height - y)

    if not options.two_up:
        for number, page in enumerate(pages, 1):
            draw(page, number, PAGE_H)
            pdf.showPage()
    else:  # each half of a landscape sheet holds one A4 page, scaled as a 2-up print does
        scale = min(size[0] / 2 / PAGE_W, size[1] / PAGE_H)
        for first in range(0, len(pages), 2):
            for half, page in enumerate(pages[first:first + 2]):
                pdf.saveState()
                pdf.translate(half * size[0] / 2, (size[1] - PAGE_H * scale) / 2)
                pdf.scale(scale, scale)
                draw(page, first + half + 1, PAGE_H)
                pdf.restoreState()
            pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def fpdf_pdf(blocks: list[Block], options: Options = Options(), *,
             radicals: bool = False) -> bytes:
    """The notice set by fpdf2 in an embedded subset of WenQuanYi Zen Hei.

    With `radicals`, the ToUnicode map sends the glyphs of 生, 长 and 率 to the Kangxi
    radical, the radicals-supplement form and the compatibility ideograph, as PDFs
    exported from Word/WPS do.
    """
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(PAGE_W, PAGE_H))
    pdf.set_compression(not radicals)
    pdf.add_font("wqy", fname=str(WQY_FONT))
    pdf.set_auto_page_break(False)

    def width(text: str, size: float) -> float:
        pdf.set_font("wqy", size=size)
        return float(pdf.get_string_width(text))

    pages = compose(blocks, width, options)
    for number, page in enumerate(pages, 1):
        pdf.add_page()
        for placed in page.lines + furniture(number, options):
            pdf.set_text_color(*(round(c * 255) for c in placed.color))
            pdf.set_char_spacing(placed.char_space)
            for dx in ((0.0, FAKE_BOLD_OFFSET) if placed.bold else (0.0,)):
                x = placed.x + dx
                for run, sub in _segments(placed.text, options.subscript):
                    size = placed.size * (SUB_SCALE if sub else 1.0)
                    pdf.set_font("wqy", size=size)
                    pdf.text(x, placed.y - (SUB_RISE if sub else 0.0), run)
                    x += pdf.get_string_width(run) + placed.char_space * len(run)
        pdf.set_char_spacing(0)
        for x1, x2, y in page.rules:
            pdf.set_draw_color(217, 0, 0)
            pdf.line(x1, y, x2, y)
    data = bytes(pdf.output())
    return _map_to_radicals(data) if radicals else data


def _map_to_radicals(data: bytes) -> bytes:
    """Rewrite ToUnicode entries in place (same length, so the xref stays valid)."""
    for char, radical in RADICAL_MAP.items():
        old, new = f"<{ord(char):04X}>".encode(), f"<{ord(radical):04X}>".encode()
        assert old in data, f"{char} is not in the ToUnicode map"
        data = data.replace(old, new)
    return data


def scanned_pdf() -> bytes:
    """A page that is only an image, as a scanner makes it."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (420, 594), 255)
    draw = ImageDraw.Draw(image)
    for row in range(40, 560, 24):
        draw.rectangle((40, row, 380, row + 10), fill=0)  # lines of "text"
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=True)
    for _ in range(2):
        pdf.drawImage(ImageReader(image), 0, 0, PAGE_W, PAGE_H)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def with_options(options: Options, **changes: object) -> Options:
    return replace(options, **changes)  # type: ignore[arg-type]
