""".docx files written here with python-docx, chapter and item numbers made by Word's automatic
numbering (w:numPr), so the numbers are not in the paragraphs' text."""

from __future__ import annotations

import io
from typing import Any

import pytest
import regex

from tests.test_pdf import content
from zhenv_parse import Notice, grammar, parse
from zhenv_parse.errors import CorruptDocumentError
from zhenv_parse.normalize import normalize
from zhenv_parse.readers import docx as docx_reader

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
#: numId → (numFmt, lvlText): chapters `一、`, items `1.` running on across chapters, and a
#: fresh decimal list for each appendix list.
CHAPTERS, ITEMS = 101, 102
FIRST_APPENDIX_LIST = 110


def _abstract(number: int, fmt: str, text: str) -> str:
    return (f'<w:abstractNum {W_NS} w:abstractNumId="{number}"><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>')


def _num(num_id: int, abstract_id: int, restart: bool = False) -> str:
    override = ('<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                if restart else "")
    return (f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            f'{override}</w:num>')


def notice_docx(paragraphs: list[str]) -> bytes:
    """The notice with chapter numerals, item numbers and appendix entry numbers moved out of
    the text into Word numbering."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.oxml.shared import OxmlElement

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstracts = [parse_xml(_abstract(901, "chineseCounting", "%1、")),
                 parse_xml(_abstract(902, "decimal", "%1."))]
    nums = [parse_xml(_num(CHAPTERS, 901)), parse_xml(_num(ITEMS, 902))]
    in_appendix, list_id = False, FIRST_APPENDIX_LIST - 1
    body_items: list[tuple[str, int | None]] = []
    for para in paragraphs:
        if grammar.ATTACHMENT_MARK.match(para):
            in_appendix = True
        chapter = grammar.CHAPTER_HEADING.match(para)
        item = grammar.ITEM_NUMBER.match(para)
        if chapter and in_appendix:
            list_id += 1
            nums.append(parse_xml(_num(list_id, 902, restart=True)))
            body_items.append((para, None))
        elif chapter:
            body_items.append((chapter.group("title"), CHAPTERS))
        elif item:
            body_items.append((item.group("body"), list_id if in_appendix else ITEMS))
        else:
            body_items.append((para, None))
    for element in abstracts:  # abstractNums must come before nums
        numbering.insert(0, element)
    for element in nums:
        numbering.append(element)
    for text, num_id in body_items:
        paragraph = document.add_paragraph(text)
        if num_id is not None:
            num_pr = OxmlElement("w:numPr")
            ilvl, num = OxmlElement("w:ilvl"), OxmlElement("w:numId")
            ilvl.set(qn("w:val"), "0")
            num.set(qn("w:val"), str(num_id))
            num_pr.extend([ilvl, num])
            paragraph._p.get_or_add_pPr().append(num_pr)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def paragraphs(sample_text: str) -> list[str]:
    return [p.text for p in normalize(sample_text).paragraphs]


@pytest.fixture(scope="module")
def data(paragraphs: list[str]) -> bytes:
    return notice_docx(paragraphs)


def test_docx_gives_the_text_notice(data: bytes, sample_notice: Notice) -> None:
    notice = parse(data)
    assert notice.source.format == "docx"
    expected: Any = content(sample_notice)
    assert content(notice) == expected


def test_numbers_come_from_word_numbering_not_from_the_text(data: bytes) -> None:
    import docx

    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "深入推进美丽浙江建设" in texts and "一、深入推进美丽浙江建设" not in texts
    assert not any(regex.match(r"^\d{1,2}\.(?!\d)", t) for t in texts)
    lines = docx_reader.from_bytes(data, path=None).text.splitlines()
    assert "一、深入推进美丽浙江建设" in lines and "十、纵深推进生态环保铁军队伍建设" in lines
    assert any(line.startswith("33. 推进干部队伍变革重塑。") for line in lines)  # runs on
    assert "1. 《浙江省土壤污染防治条例》" in lines  # each appendix list restarts at 1


@pytest.mark.parametrize("value, fmt, expected", [
    (11, "chineseCounting", "十一"), (3, "decimalEnclosedCircle", "③"), (4, "upperRoman", "IV"),
    (2, "ideographTraditional", "乙"), (28, "lowerLetter", "bb"), (7, "decimal", "7")])
def test_number_formats(value: int, fmt: str, expected: str) -> None:
    assert docx_reader.format_number(value, fmt) == expected


@pytest.mark.parametrize("bad", [b"PK\x03\x04" + b"\x00" * 64, b"not a zip at all"],
                         ids=["broken-zip", "no-zip"])
def test_corrupt_docx_is_a_typed_error(bad: bytes, tmp_path: Any) -> None:
    path = tmp_path / "notice.docx"
    path.write_bytes(bad)
    with pytest.raises(CorruptDocumentError, match="docx"):
        parse(path)


def test_table_rows_keep_their_cells() -> None:
    """A Word table of two cells or more a row: one line a row, cells apart (empty ones
    too); in an attachment the rows are entries with their cells."""
    import docx

    document = docx.Document()
    for text in ("2023年全省生态环境保护工作要点", "一、深入打好蓝天保卫战", "1.强化监管。完成100台锅炉淘汰。",
                 "附件", "2023年重点任务清单"):
        document.add_paragraph(text)
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("序号", "重点任务", "牵头单位"), ("1", "完成锅炉淘汰", "大气处"),
                                       ("2", "完成排污口整治", "")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    notice = parse(buffer.getvalue())
    entries = notice.appendices[0].lists[0]
    assert entries.columns == ["序号", "重点任务", "牵头单位"]
    assert [(e.no, e.text, e.cells) for e in entries.items] == [
        (1, "完成锅炉淘汰", ["1", "完成锅炉淘汰", "大气处"]), (2, "完成排污口整治", ["2", "完成排污口整治", ""])]
