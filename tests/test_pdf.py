"""PDFs of the sample, generated here by two producers, read into the same Notice as the text.

Each layout problem of real issued PDFs has a PDF that carries it; where a naive extractor
gets it wrong, the test first shows that (so the PDF really exercises the problem).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import pdf_factory as pf
from zhenv_parse import Notice, parse
from zhenv_parse.errors import (CorruptPDFError, EncryptedPDFError, NoticeParseError,
                                ScannedPDFError)
from zhenv_parse.model import PageFurniture
from zhenv_parse.readers import pdf as pdf_reader

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PDF = ROOT / "samples" / "zj-2023.pdf"
#: Fields that depend on where text stands in the source, not on what the notice says.
SOURCE_FIELDS = {"span", "raw", "source", "diagnostics", "spans"}


def content(notice: Notice) -> Any:
    """The notice as data, without source positions: what must not depend on the format."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in SOURCE_FIELDS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(notice.model_dump(mode="json"))


def raw_pdfium(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def plumber_default(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as document:
        return [page.extract_text() for page in document.pages]


def need_wqy() -> None:
    if not pf.WQY_FONT.is_file():
        pytest.skip(f"{pf.WQY_FONT} missing: apt-get install fonts-wqy-zenhei")


@pytest.fixture(scope="module")
def blocks(sample_text: str) -> list[pf.Block]:
    return pf.blocks_from_text(sample_text)


@pytest.fixture(scope="module")
def text_content(sample_notice: Notice) -> Any:
    return content(sample_notice)


@pytest.fixture(scope="module")
def made(blocks: list[pf.Block]) -> Callable[..., bytes]:
    """PDFs by producer and options, each made once per module."""
    cache: dict[tuple[object, ...], bytes] = {}

    def make(producer: str = "reportlab", **options: Any) -> bytes:
        key = (producer, tuple(sorted(options.items())))
        if key not in cache:
            radicals = options.pop("radicals", False)
            opts = pf.Options(**options)
            if producer == "fpdf":
                need_wqy()
                cache[key] = pf.fpdf_pdf(blocks, opts, radicals=radicals)
            else:
                cache[key] = pf.reportlab_pdf(blocks, opts)
        return cache[key]
    return make


def read(data: bytes) -> Notice:
    return parse(data)


# ---------------------------------------------------------------------------
# The same notice as the text
# ---------------------------------------------------------------------------

def test_committed_sample_pdf_gives_the_text_notice(text_content: Any) -> None:
    notice = parse(SAMPLE_PDF)
    assert notice.source.format == "pdf"
    assert content(notice) == text_content
    assert len(notice.chapters) == 10 and len(notice.items) == 33


@pytest.mark.parametrize("producer", ["reportlab", "fpdf"])
def test_each_producer_gives_the_text_notice(producer: str, made: Callable[..., bytes],
                                             text_content: Any) -> None:
    notice = read(made(producer, subscript=True, fake_bold=True))
    assert content(notice) == text_content
    assert notice.goals[0].text.startswith("环境空气质量方面。设区城市PM2.5平均浓度低于26微克/立方米")


def test_spans_point_into_the_rebuilt_text_and_give_the_page(made: Callable[..., bytes]) -> None:
    data = made()
    document = pdf_reader.from_bytes(data, path=None)
    notice = read(data)
    item = notice.items[10]
    assert document.text[item.span.start:item.span.end] == item.raw
    pages = raw_pdfium(data)
    printed_on = next(i for i, page in enumerate(pages, 1) if "11.全力保障亚运会环境质量" in page)
    assert item.span.page == printed_on
    assert notice.meta.spans["title"].page == 1
    first_list = notice.appendices[0].lists[0]
    assert first_list.span.page == next(
        i for i, page in enumerate(pages, 1) if "相关工作清单（12项）" in page)


# ---------------------------------------------------------------------------
# Hard wraps and page breaks
# ---------------------------------------------------------------------------

def test_numbers_in_a_latin_font_read_as_one_line(made: Callable[..., bytes],
                                                  text_content: Any) -> None:
    """Word sets digits and Latin in Times New Roman: lines with numbers are several text
    objects (more boxes than lines), read box by box and joined without spaces."""
    data = made(latin_font="Times-Roman", subscript=True)
    notice = read(data)
    assert content(notice) == text_content
    assert "低于26微克/立方米" in notice.goals[0].text
    entries = notice.appendices[0].lists[0].items  # `11. 5.22国际…`: two runs a space apart
    assert (entries[10].no, entries[10].text[:8]) == (11, "5.22国际生物")


def test_script_changes_cut_a_line_where_bisection_does(made: Callable[..., bytes]) -> None:
    """A line of several text objects is cut among its boxes at its changes of script when
    those are checked to start boxes (most lines of a Word-like PDF), and the cuts are the
    ones bisection finds; elsewhere (a subscript in `PM2.5`) the shortcut declines."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(made(latin_font="Times-Roman", subscript=True))
    boxes = pdf_reader._Boxes()
    taken = declined = 0
    try:
        for page in document:
            textpage = page.get_textpage()
            boxes.select(textpage.raw)
            text, _ = pdf_reader._page_text(textpage.raw)
            for line in pdf_reader._text_lines(text):
                start, end = line.start, line.end
                count = boxes.count(start, end - start)
                if count < 2:
                    continue
                cuts = pdf_reader._cuts_at_script_changes(text, boxes, start, end, count)
                bisected = [start]
                for index in range(1, count):
                    bisected.append(pdf_reader._bisect_box_start(boxes, start, end, index,
                                                                 bisected[-1] + 1))
                if cuts is None:
                    declined += 1
                else:
                    taken += 1
                    assert cuts == bisected + [end]
    finally:
        document.close()
    assert declined >= 1 and taken >= 0.8 * (taken + declined)


def test_characters_drawn_one_by_one_read_as_the_text(made: Callable[..., bytes],
                                                     text_content: Any) -> None:
    """Every character its own text object, lines justified: the tiny `.` of a subscript
    `2.5` stays in its line, and letters spread apart (`EOD`, `VOCs`) get no spaces."""
    notice = read(made(char_objects=True, subscript=True))
    assert content(notice) == text_content
    assert "PM2.5平均浓度低于26微克" in notice.goals[0].text


def test_table_rows_read_as_cells() -> None:
    """An attachment set as a ruled table, each cell drawn on its own: the cells of a row
    are a column apart, so the row reads as cells (as from HTML and .docx) and becomes an
    entry with its cells."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(pf.PAGE_W, pf.PAGE_H), invariant=True)
    lines = [(pf.CORE_LEFT, "2023年全省生态环境保护工作要点"), (pf.CORE_LEFT, "一、深入打好蓝天保卫战"),
             (pf.CORE_LEFT, "1.强化监管。完成100台锅炉淘汰。"), (pf.CORE_LEFT, "附件"),
             (pf.CORE_LEFT, "2023年重点任务清单（2项）")]
    rows = [("序号", "重点任务", "牵头单位", "完成时限"), ("1", "完成燃煤锅炉淘汰", "大气处", "2023年底"),
            ("2", "完成入河排污口整治", "水处", "2023年6月")]
    columns = [pf.CORE_LEFT, pf.CORE_LEFT + 60, pf.CORE_LEFT + 260, pf.CORE_LEFT + 360]
    y = pf.PAGE_H - 100
    for x, text in lines:
        pdf.setFont("STSong-Light", 16)
        pdf.drawString(x, y, text)
        y -= 30
    for row in rows:
        for x, cell in zip(columns, row):
            pdf.drawString(x, y, cell)
        pdf.line(pf.CORE_LEFT - 4, y - 8, pf.CORE_LEFT + pf.CORE_W, y - 8)
        y -= 30
    pdf.showPage()
    pdf.save()
    notice = read(buffer.getvalue())
    table = notice.appendices[0].lists[0]
    assert table.columns == ["序号", "重点任务", "牵头单位", "完成时限"]
    assert [(e.no, e.text, e.cells[2:]) for e in table.items] == [
        (1, "完成燃煤锅炉淘汰", ["大气处", "2023年底"]), (2, "完成入河排污口整治", ["水处", "2023年6月"])]
    assert table.declared_count == 2 and not notice.diagnostics or all(
        d.level == "info" or d.code == "missing-doc-number" for d in notice.diagnostics)


def test_first_lines_indented_with_typed_blanks_start_paragraphs(
        made: Callable[..., bytes], text_content: Any) -> None:
    """`　　2023年是…` drawn from the margin: PDFium's box starts at the blanks, so the
    indent is read from them (else a paragraph after a full last line would run on)."""
    data = made(blank_indent=True)
    assert "\u3000\u30002023年是" in "".join(raw_pdfium(data))
    assert content(read(data)) == text_content


def test_hard_wrapped_lines_are_rebuilt_into_paragraphs(made: Callable[..., bytes],
                                                        sample_notice: Notice) -> None:
    data = made()
    raw_lines = sum(page.count("\n") for page in raw_pdfium(data))
    document = pdf_reader.from_bytes(data, path=None)
    paragraphs = document.text.splitlines()
    assert raw_lines > len(paragraphs) + 200  # ~245 wraps inside paragraphs
    first_item = next(p for p in paragraphs if p.startswith("1.打造"))
    assert first_item == "1." + sample_notice.items[0].text
    assert not any(" " in p and "PM" not in p for p in paragraphs[:3])  # no spaces in Chinese


def test_paragraph_split_by_a_page_break_is_rejoined(made: Callable[..., bytes]) -> None:
    document = pdf_reader.from_bytes(made(), path=None)
    inside = [start for start in document.page_starts[1:] if document.text[start - 1] != "\n"]
    assert len(inside) >= 5  # most pages break inside a paragraph
    for start in inside:
        line_start = document.text.rfind("\n", 0, start) + 1
        line_end = document.text.find("\n", start)
        assert "— " not in document.text[line_start:line_end]


@pytest.mark.parametrize("folio", [lambda n: f"— {n} —", lambda n: f"-{n}-",
                                   lambda n: f"第{n}页", lambda n: f"第 {n} 页 共 19 页"],
                         ids=["em-dash", "hyphen", "di-ye", "di-ye-gong"])
def test_page_numbers_go_to_the_furniture_layer(folio: Callable[[int], str], blocks: list[pf.Block],
                                                text_content: Any) -> None:
    data = pf.reportlab_pdf(blocks, pf.Options(folio=folio))
    document = pdf_reader.from_bytes(data, path=None)
    assert folio(3) not in document.text
    notice = parse(data)
    assert content(notice) == text_content
    pages = notice.source.pages
    assert pages is not None and pages >= 18
    assert notice.source.furniture == [PageFurniture(page=n, kind="page-number", text=folio(n))
                                       for n in range(1, pages + 1)]


def test_page_numbers_sit_right_on_odd_and_left_on_even_pages(made: Callable[..., bytes]) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(made())
    try:
        for index in (0, 1, 2, 3):
            page = document[index]
            textpage = page.get_textpage()
            boxes = [textpage.get_rect(i) for i in range(textpage.count_rects())]
            folio = min(boxes, key=lambda box: box[1])  # lowest on the page
            centre = (folio[0] + folio[2]) / 2
            assert (centre > page.get_width() / 2) == (index % 2 == 0)
    finally:
        document.close()


def test_running_header_and_footer_are_set_aside(blocks: list[pf.Block],
                                                  text_content: Any) -> None:
    header, footer = "浙江省生态环境厅发布", "浙环发〔2023〕1号附件"
    data = pf.reportlab_pdf(blocks, pf.Options(header=header, footer=footer))
    document = pdf_reader.from_bytes(data, path=None)
    assert header not in document.text and footer not in document.text
    notice = parse(data)
    assert content(notice) == text_content
    pages = range(1, len(document.page_starts) + 1)
    for kind, text in (("header", header), ("footer", footer)):
        assert [line.page for line in notice.source.furniture
                if line.kind == kind and line.text == text] == list(pages)


# ---------------------------------------------------------------------------
# Subscripts, fake bold, 2-up, radicals
# ---------------------------------------------------------------------------

def test_subscript_stays_in_place_where_the_line_ends_in_a_number() -> None:
    """The `低于 262.5 微克` bug: the subscript moved after the line that ends in `26`."""
    goal = "设区城市PM2.5平均浓度低于26微克/立方米，空气质量优良天数比率高于92%。"
    width = _song_width()
    paragraph = next(p for p in ("——环境空气质量方面。" + "各" * k + goal for k in range(28))
                     if pf.wrap(p, pf.CORE_W - 2 * pf.BODY_SIZE, pf.CORE_W, pf.BODY_SIZE, width,
                                True)[0].endswith("低于26"))
    blocks = [pf.Block("title", "2023年全省生态环境保护工作要点"), pf.Block("body", paragraph)]
    data = pf.reportlab_pdf(blocks, pf.Options(subscript=True))
    naive = "".join(plumber_default(data)).replace("\n", "")  # default order, wraps joined
    assert "低于262.5微克" in naive
    text = pdf_reader.from_bytes(data, path=None).text
    assert "低于26微克" in text and "262.5" not in text
    assert "PM2.5平均浓度" in text


def _song_width() -> Callable[[str, float], float]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return lambda s, size: pdfmetrics.stringWidth(s, "STSong-Light", size)


def test_fake_bold_is_read_once(made: Callable[..., bytes]) -> None:
    data = made(fake_bold=True)
    assert "浙浙江江省省" in plumber_default(data)[0]  # drawn twice: the naive reading doubles it
    notice = read(data)
    assert notice.meta.issuer_mark == "浙江省生态环境厅文件"
    assert notice.chapters[0].title == "深入推进美丽浙江建设"


def test_two_pages_per_sheet_are_not_merged_line_by_line(made: Callable[..., bytes],
                                                        text_content: Any) -> None:
    data = made(two_up=True)
    naive = plumber_default(data)[0]
    assert "浙环发〔2023〕1号 2023年是" in naive  # the naive reading merges the columns
    notice = read(data)
    assert content(notice) == text_content
    assert notice.items[10].span.page == 3  # pages 5–6 of the notice on sheet 3


def test_radicals_in_the_font_map_are_folded(made: Callable[..., bytes],
                                             text_content: Any) -> None:
    data = made("fpdf", radicals=True)
    raw = "".join(raw_pdfium(data))
    for radical in pf.RADICAL_MAP.values():  # ⽣ U+2F63, ⻓ U+2ED3, 率 U+F961
        assert radical in raw
    notice = read(data)
    assert content(notice) == text_content
    item = notice.items[0]
    assert "生态文明" in item.text and "\u2f63" in item.raw  # raw keeps what the PDF says
    assert "比率高于92%" in notice.goals[0].text
    assert any("\u2ed3" in i.raw and "长" in i.text for i in notice.items)


@pytest.mark.parametrize("text", ["", "\r\n", "一、总体要求\r\n  \r\n1. 打造\r\n", "甲\n乙\r丙\r\n丁"])
def test_pdfium_text_is_cut_into_lines_with_their_offsets(text: str) -> None:
    lines = pdf_reader._text_lines(text)
    assert [line.text for line in lines] == [part.strip() for part in text.replace("\r\n", "\n")
                                              .replace("\r", "\n").split("\n") if part.strip()]
    for line in lines:
        assert text[line.start:line.end].strip() == line.text
        assert "\n" not in text[line.start:line.end]


def test_a_line_knows_the_blanks_it_starts_with() -> None:
    lines = pdf_reader._text_lines("\u3000\u30002023年是\r\n 继续\r\n1. 打造")
    assert [(line.text, line.lead) for line in lines] == [("2023年是", 2.0), ("继续", 0.5),
                                                          ("1. 打造", 0.0)]


@pytest.mark.parametrize("producer,options", [
    ("reportlab", {"subscript": True, "fake_bold": True}),
    ("reportlab", {"two_up": True, "subscript": True}),
    ("fpdf", {"subscript": True}),
])
def test_one_pass_over_the_boxes_measures_lines_as_line_by_line_does(
        producer: str, options: dict[str, Any], made: Callable[..., bytes]) -> None:
    """The fast pairing of a page's boxes with its lines is taken only where it is right:
    on every page where it is taken, it gives the runs that measuring each line gives, and
    it declines pages with a line of several boxes (the subscript on page 1)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(made(producer, **options))
    taken = declined = 0
    try:
        for page in document:
            textpage = page.get_textpage()
            count = textpage.count_chars()
            text = textpage.get_text_range(0, count)
            lines = pdf_reader._text_lines(text)
            boxes = pdf_reader._Boxes()
            boxes.select(textpage.raw)
            fast = pdf_reader._runs_one_box_a_line(boxes, lines, count)
            slow = pdf_reader._runs_line_by_line(text, boxes, lines)
            if fast is None:
                declined += 1
                assert len(slow) != len(lines) or any(
                    min(a.top, b.top) > max(a.bottom, b.bottom) for a, b in zip(slow, slow[1:]))
            else:
                taken += 1
                assert fast == slow
    finally:
        document.close()
    assert declined >= 1 and taken >= 0.8 * (taken + declined)


# ---------------------------------------------------------------------------
# PDFs that cannot be read
# ---------------------------------------------------------------------------

def test_scanned_pdf_names_the_cause() -> None:
    with pytest.raises(ScannedPDFError, match="scanned PDF has no text layer; OCR it first"):
        parse(pf.scanned_pdf())


def test_pages_without_text_inside_a_notice_are_reported(made: Callable[..., bytes],
                                                        text_content: Any) -> None:
    """A scanned page and a blank page slipped in between pages 4 and 5: the text reads on
    across them, and each is a diagnostic naming its page (the scan's content is missing)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(made())
    scan = pdfium.PdfDocument(pf.scanned_pdf())
    try:
        document.import_pages(scan, pages=[0], index=4)  # page 5
        document.new_page(pf.PAGE_W, pf.PAGE_H, index=5).close()  # page 6
        buffer = io.BytesIO()
        document.save(buffer)
    finally:
        scan.close()
        document.close()
    notice = parse(buffer.getvalue())
    assert content(notice) == text_content
    found = {(d.code, d.level): d.message for d in notice.diagnostics if d.code.startswith("pdf-")}
    assert found.keys() == {("pdf-page-without-text", "warning"), ("pdf-blank-page", "info")}
    assert "page 5 " in found["pdf-page-without-text", "warning"]
    assert "page 6 " in found["pdf-blank-page", "info"]
    assert {line.page for line in notice.source.furniture} == \
        set(range(1, (notice.source.pages or 0) + 1)) - {5, 6}
    assert not any(span.page in (5, 6) for span in _spans(notice))


def _spans(notice: Notice) -> list[Any]:
    from zhenv_parse.model import Span

    found: list[Span] = []

    def walk(value: Any) -> None:
        if isinstance(value, Span):
            found.append(value)
        elif isinstance(value, list):
            for element in value:
                walk(element)
        elif hasattr(type(value), "model_fields"):
            for name in type(value).model_fields:
                walk(getattr(value, name))
    walk(notice)
    return found


def test_encrypted_pdf_names_the_cause(blocks: list[pf.Block]) -> None:
    data = pf.reportlab_pdf(blocks[:3], encrypt_password="secret")
    with pytest.raises(EncryptedPDFError, match="encrypted"):
        parse(data)


def test_truncated_pdf_names_the_cause(made: Callable[..., bytes]) -> None:
    data = made()
    with pytest.raises(CorruptPDFError, match="truncated"):
        parse(data[: len(data) // 2])


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n",
                                  b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF"],
                         ids=["garbage", "no-pages"])
def test_corrupt_pdf_is_a_typed_error(data: bytes) -> None:
    with pytest.raises(NoticeParseError) as caught:
        parse(data)
    assert isinstance(caught.value, CorruptPDFError)
    assert "\n" not in str(caught.value)


def test_cli_main_job_works_on_the_sample_pdf() -> None:
    from click.testing import CliRunner

    from zhenv_parse.cli import main

    result = CliRunner().invoke(main, ["parse", str(SAMPLE_PDF)])
    assert result.exit_code == 0, result.output
    assert Notice.from_json(result.output).meta.doc_number is not None
