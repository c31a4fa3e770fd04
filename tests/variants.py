"""Variants of the sample made the way real copies differ: encodings, line ends, widths,
page furniture, list markers and hard wrapping. Used by the variant tests and benchmarks."""

from __future__ import annotations

import regex

from zhenv_parse.normalize import normalize

#: GB/T 9704-2012: 28 characters a line, 22 lines a page.
LINE_WIDTH = 28
LINES_PER_PAGE = 22

_ITEM_LINE = regex.compile(r"^(\d{1,2})[.．]\s*(?!\d)", regex.MULTILINE)


def full_width_digits(text: str) -> str:
    return text.translate({code: code + 0xFEE0 for code in range(ord("0"), ord("9") + 1)})


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def page_breaks_removed(text: str) -> str:
    """Every paragraph on one line: the page-break splits are closed up."""
    return regex.sub(r"\n\s*\n", "\n", text)


def extra_page_numbers(text: str, every: int = 9) -> str:
    lines = text.split("\n")
    out = []
    for index, line in enumerate(lines, 1):
        out.append(line)
        if index % every == 0:
            out.extend(["", f"— {index // every} —", "", "- 7 -", "第3页"][: 2 + index % 3])
    return "\n".join(out)


def markers_added(text: str) -> str:
    """`- ` before every numbered line, as some converters print list items."""
    return _ITEM_LINE.sub(lambda m: f"- {m.group(0)}", text)


def _width(char: str) -> float:
    return 0.5 if ord(char) < 0x2E80 else 1.0


def hard_wrapped(text: str, width: int = LINE_WIDTH, per_page: int = LINES_PER_PAGE) -> str:
    """As `pdftotext` prints a PDF: every visual line ends in a newline, paragraphs start with
    a two-character indent, and each page ends in a page-number footer and a form feed."""
    # Paragraphs as the sample's reader sees them (page-break splits closed up).
    paragraphs = [p.text for p in normalize(text).paragraphs]
    lines: list[str] = []
    for paragraph in paragraphs:
        current, used = "\u3000\u3000", 2.0
        for char in paragraph:
            if used + _width(char) > width:
                lines.append(current)
                current, used = "", 0.0
            current += char
            used += _width(char)
        lines.append(current)
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    rendered = []
    for number, page in enumerate(pages, 1):
        footer = f"— {number} —".rjust(30) if number % 2 else f"— {number} —"
        rendered.append("\n".join(page) + "\n\n" + footer + "\n")
    return "\f".join(rendered)
