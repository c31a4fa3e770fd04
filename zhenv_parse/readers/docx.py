"""Word .docx: body paragraphs (and table rows) in order, one a line, each with the number
Word's automatic numbering shows before it (`w:numPr` on the paragraph or its style), which
is not in the paragraph's text.

Numbering is resolved as Word does it: `w:num` → `w:abstractNum` → the level's `numFmt`,
`lvlText` (`%1.`, `（%1）`, `%1、`) and `start` (with the num's `startOverride`); a counter per
list and level, deeper levels restarting when a shallower one advances.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any
from dataclasses import dataclass, field

import regex

from .. import grammar
from ..errors import CorruptDocumentError
from . import SourceDocument
from . import text as text_reader

#: An element of python-docx's oxml tree (lxml underneath; python-docx ships no types).
_Node = Any
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PLACEHOLDER = regex.compile(r"%([1-9])")
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
         (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
#: Heavenly stems, Word's `ideographTraditional`.
STEMS = "甲乙丙丁戊己庚辛壬癸"
#: Circled numbers ① … ⑳, Word's `decimalEnclosedCircle`.
CIRCLED = "".join(chr(0x2460 + i) for i in range(20))


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int


@dataclass
class _Numbering:
    """The numbering part: levels by (numId, ilvl) and the running counters."""

    levels: dict[tuple[str, int], _Level] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    def label(self, num_id: str, level: int) -> str:
        definition = self.levels.get((num_id, level))
        if definition is None or definition.fmt == "none":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, definition.start - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > level]:
            del counters[deeper]
        return _PLACEHOLDER.sub(lambda m: self._format(num_id, int(m.group(1)) - 1),
                                definition.text)

    def _format(self, num_id: str, level: int) -> str:
        definition = self.levels.get((num_id, level))
        value = self.counters.get(num_id, {}).get(level, definition.start if definition else 1)
        return format_number(value, definition.fmt if definition else "decimal")


def format_number(value: int, fmt: str) -> str:
    """A list number in one of Word's `w:numFmt` formats."""
    if fmt in {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "taiwaneseCounting", "taiwaneseCountingThousand"}:
        return to_chinese(value)
    if fmt == "ideographTraditional" and 1 <= value <= len(STEMS):
        return STEMS[value - 1]
    if fmt == "decimalEnclosedCircle" and 1 <= value <= len(CIRCLED):
        return CIRCLED[value - 1]
    if fmt in {"upperRoman", "lowerRoman"}:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in {"upperLetter", "lowerLetter"} and value >= 1:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "decimalFullWidth":
        return str(value).translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    return str(value)


def to_chinese(value: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 23 → 二十三, 105 → 一百零五 (list numbers, below 10000)."""
    if value <= 0 or value >= 10000:
        return str(value)
    digits = "零一二三四五六七八九"
    out = ""
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, value = divmod(value, unit_value)
        if digit:
            out += ("" if unit == "十" and not out and digit == 1 else digits[digit]) + unit
        elif out and value and not out.endswith("零"):
            out += "零"
    return out


def _roman(value: int) -> str:
    out = []
    for number, letters in ROMAN:
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


def from_bytes(data: bytes, *, path: str | None) -> SourceDocument:
    """Read a .docx into one paragraph a line, list numbers included."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise CorruptDocumentError(f"not a readable .docx ({error or type(error).__name__})",
                                   path=path) from None
    except Exception as error:  # lxml.etree.XMLSyntaxError and friends from a damaged part
        raise CorruptDocumentError(f"damaged .docx ({type(error).__name__}: {error})",
                                   path=path) from None
    numbering = _numbering(document)
    styles = _style_numbering(document)
    lines = [line for line in _lines(document.element.body, numbering, styles) if line]
    text = "\n".join(lines)
    text_reader.check_text(text, path=path)
    return SourceDocument(text=text + "\n", format="docx", path=path)


def _numbering(document: _Node) -> _Numbering:
    numbering = _Numbering()
    try:
        part = document.part.numbering_part
    except (NotImplementedError, KeyError):
        return numbering
    root = part.element
    abstract: dict[str, dict[int, _Level]] = {}
    for node in root.iter(f"{W}abstractNum"):
        levels = {}
        for lvl in node.iter(f"{W}lvl"):
            levels[int(lvl.get(f"{W}ilvl", "0"))] = _Level(
                fmt=_val(lvl, "numFmt") or "decimal", text=_val(lvl, "lvlText") or "",
                start=int(_val(lvl, "start") or "1"))
        abstract[node.get(f"{W}abstractNumId", "")] = levels
    for num in root.iter(f"{W}num"):
        num_id = num.get(f"{W}numId", "")
        abstract_id = _val(num, "abstractNumId") or ""
        for level, definition in abstract.get(abstract_id, {}).items():
            numbering.levels[(num_id, level)] = definition
        for override in num.iter(f"{W}lvlOverride"):
            level = int(override.get(f"{W}ilvl", "0"))
            start = _val(override, "startOverride")
            if start is not None and (num_id, level) in numbering.levels:
                old = numbering.levels[(num_id, level)]
                numbering.levels[(num_id, level)] = _Level(old.fmt, old.text, int(start))
    return numbering


def _style_numbering(document: _Node) -> dict[str, tuple[str, int]]:
    """Paragraph styles that carry numbering (e.g. `List Number`): style id → (numId, ilvl)."""
    found: dict[str, tuple[str, int]] = {}
    styles = document.styles.element
    for style in styles.iter(f"{W}style"):
        num_pr = style.find(f"{W}pPr/{W}numPr")
        if num_pr is not None and _val(num_pr, "numId"):
            found[style.get(f"{W}styleId", "")] = (_val(num_pr, "numId") or "",
                                                   int(_val(num_pr, "ilvl") or "0"))
    return found


def _val(node: _Node, name: str) -> str | None:
    child = node.find(f"{W}{name}")
    return None if child is None else child.get(f"{W}val")


def _lines(body: _Node, numbering: _Numbering,
           styles: dict[str, tuple[str, int]]) -> Iterator[str]:
    for child in body:
        if child.tag == f"{W}p":
            yield _paragraph(child, numbering, styles)
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                cells = [" ".join(filter(None, (_paragraph(p, numbering, styles)
                                                for p in cell.iter(f"{W}p"))))
                         for cell in row.iter(f"{W}tc")]
                # A row of two cells or more is a table row: its cells, empty ones too,
                # separated by the table cell break; a row of one is page layout.
                separator = grammar.TABLE_CELL_BREAK if len(cells) >= 2 else " "
                if any(cells):
                    yield separator.join(cells)


def _paragraph(node: _Node, numbering: _Numbering, styles: dict[str, tuple[str, int]]) -> str:
    text = "".join(_run_text(node)).strip()
    num_pr = node.find(f"{W}pPr/{W}numPr")
    reference: tuple[str, int] | None = None
    if num_pr is not None and _val(num_pr, "numId"):
        reference = (_val(num_pr, "numId") or "", int(_val(num_pr, "ilvl") or "0"))
    else:
        style = node.find(f"{W}pPr/{W}pStyle")
        if style is not None:
            reference = styles.get(style.get(f"{W}val", ""))
    if reference is None or reference[0] == "0" or not text:
        return text
    label = numbering.label(*reference)
    separator = " " if label and label[-1].isascii() else ""
    return label + separator + text


def _run_text(node: _Node) -> Iterator[str]:
    """Text of runs and tabs (deleted revisions, `w:delText`, are left out)."""
    for element in node.iter(f"{W}t", f"{W}tab"):
        if element.tag == f"{W}t":
            yield element.text or ""
        else:
            yield " "
