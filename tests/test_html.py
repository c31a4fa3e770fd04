"""Portal pages (zj.gov.cn style) written here: body found, chrome dropped, metadata table
read into `meta.portal`, encodings right even when the page declares the wrong one."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest

from tests.test_pdf import content
from zhenv_parse import Notice, parse
from zhenv_parse.normalize import normalize
from zhenv_parse.readers import html as html_reader

#: The 政府信息公开 table as zj.gov.cn prints it: label cells and value cells in rows.
PORTAL_ROWS = [("索引号", "002482175/2023-00021"), ("主题分类", "环境保护"),
               ("发文机关", "浙江省生态环境厅"), ("成文日期", "2023-03-23"),
               ("发文字号", "浙环发〔2023〕1号"), ("废止时间", "暂无"), ("有效性", "有效")]
CHROME_WORDS = ["首页", "机构概况", "分享到", "微信", "打印本页", "关闭窗口", "var _hmt",
                "版权所有", "网站地图", "font-family"]


def portal_page(paragraphs: list[str], *, title: str, charset: str = "utf-8",
                meta_charset: str | None = None) -> str:
    """A page with the typical structure: header nav, breadcrumb, metadata table, title,
    article paragraphs (indented with full-width spaces, one with a subscript), share
    buttons, footer, scripts and styles."""
    table = "".join(
        f"<tr><td class=\"xxgk_l\">{PORTAL_ROWS[i][0]}：</td><td>{PORTAL_ROWS[i][1]}</td>"
        + (f"<td class=\"xxgk_l\">{PORTAL_ROWS[i + 1][0]}：</td><td>{PORTAL_ROWS[i + 1][1]}</td>"
           if i + 1 < len(PORTAL_ROWS) else "") + "</tr>"
        for i in range(0, len(PORTAL_ROWS), 2))
    body = "\n".join(
        "<p style=\"text-indent:2em\">\u3000\u3000"
        + html.escape(p).replace("PM2.5", "PM<sub>2.5</sub>") + "</p>" for p in paragraphs)
    declared = meta_charset or charset
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={declared}">
<title>{title}_浙江省生态环境厅</title>
<style>body {{ font-family: "Microsoft YaHei"; }}</style>
<script>var _hmt = _hmt || []; document.write("首页");</script></head>
<body><div class="header"><ul class="nav"><li><a href="/">首页</a></li><li>机构概况</li></ul></div>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 通知公告</div>
<div class="main">
 <table class="xxgk_table">{table}</table>
 <h1 class="art_title">{title}</h1>
 <div class="art_info">发布日期：2023-03-27 来源：办公室 <span class="fontsize">字号：大 中 小</span></div>
 <div id="zoom" class="art_con TRS_Editor">
{body}
 </div>
 <div class="bdshare"><span>分享到：</span><a>微信</a><a>微博</a></div>
 <div class="print"><a>打印本页</a> <a>关闭窗口</a></div>
</div>
<div class="footer"><p>版权所有：浙江省生态环境厅</p><p>网站地图</p></div>
<script>console.log("tracking");</script>
</body></html>"""


@pytest.fixture(scope="module")
def paragraphs(sample_text: str) -> list[str]:
    return [p.text for p in normalize(sample_text).paragraphs]


@pytest.fixture(scope="module")
def title(sample_notice: Notice) -> str:
    assert sample_notice.meta.title is not None
    return sample_notice.meta.title


def test_page_gives_the_text_notice_and_the_portal_table(paragraphs: list[str], title: str,
                                                         sample_notice: Notice) -> None:
    data = portal_page(paragraphs, title=title).encode("utf-8")
    notice = parse(data)
    assert notice.source.format == "html"
    expected: Any = content(sample_notice)
    got: Any = content(notice)
    portal = got["meta"].pop("portal")
    assert expected["meta"].pop("portal") is None
    assert got == expected
    assert portal == {"index_no": "002482175/2023-00021", "topic": "环境保护",
                      "issuer": "浙江省生态环境厅", "date": "2023-03-23",
                      "doc_number": "浙环发〔2023〕1号", "expiry": "暂无",
                      "extra": {"有效性": "有效"}}
    assert notice.meta.portal is not None and notice.meta.portal.date == dt.date(2023, 3, 23)


def test_navigation_scripts_styles_and_share_buttons_are_dropped(paragraphs: list[str],
                                                                 title: str) -> None:
    document = html_reader.from_bytes(portal_page(paragraphs, title=title).encode(), path=None)
    for word in CHROME_WORDS + ["索引号", "002482175"]:
        assert word not in document.text, word
    assert document.text.splitlines()[0] == paragraphs[0]
    assert "PM2.5平均浓度" in document.text  # <sub> read in place


def test_title_outside_the_article_is_put_first(paragraphs: list[str], title: str) -> None:
    """The usual portal copy: the body starts at the recipients, the title is an <h1>."""
    start = next(i for i, p in enumerate(paragraphs) if p.startswith("各设区市"))
    page = portal_page(paragraphs[start:], title=title)
    notice = parse(page.encode())
    assert notice.meta.title == title
    assert notice.meta.recipients[0] == "各设区市生态环境局"
    assert len(notice.items) == 33
    assert notice.meta.portal is not None and notice.meta.portal.doc_number == "浙环发〔2023〕1号"


def test_gbk_page_with_meta_charset(paragraphs: list[str], title: str,
                                   sample_notice: Notice) -> None:
    data = portal_page(paragraphs, title=title, charset="gbk").encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    notice = parse(data)
    assert notice.source.encoding == "gb18030"
    got: Any = content(notice)
    assert got["meta"].pop("portal")["index_no"] == "002482175/2023-00021"
    got["meta"]["portal"] = None
    assert got == content(sample_notice)


@pytest.mark.parametrize("actual, declared", [("gbk", "utf-8"), ("utf-8", "gb2312"),
                                              ("gb18030", "iso-8859-1")])
def test_wrong_declared_encoding_is_overruled(actual: str, declared: str,
                                             paragraphs: list[str], title: str) -> None:
    data = portal_page(paragraphs, title=title, meta_charset=declared).encode(actual)
    notice = parse(data)
    assert notice.meta.title == title
    assert [c.title for c in notice.chapters][:2] == ["深入推进美丽浙江建设", "大力推进减污降碳协同创新"]


def test_wrong_http_header_is_overruled(paragraphs: list[str], title: str) -> None:
    """The server says UTF-8 and the page has no charset, but the bytes are GBK."""
    page = portal_page(paragraphs, title=title).replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', "")
    document = html_reader.from_bytes(page.encode("gbk"), path=None, declared_encoding="utf-8")
    assert document.encoding is not None and document.encoding.lower().replace("_", "") in {
        "gb18030", "gbk", "gb2312", "cp936"}
    assert title in document.text


def test_page_without_text_is_a_typed_error() -> None:
    from zhenv_parse.errors import EmptyInputError

    with pytest.raises(EmptyInputError):
        parse(b"<!DOCTYPE html><html><head><script>var a=1;</script></head><body>"
              b"<div class='nav'>x</div></body></html>")


def test_appendix_table_rows_become_entries_with_their_cells(paragraphs: list[str],
                                                             title: str) -> None:
    """An attachment set as a table (重点任务清单 with 序号/重点任务/牵头单位/完成时限): the
    heading row gives the columns, each numbered row an entry with its cells (a cell of two
    paragraphs stays one cell, an empty cell is kept); the page's layout stays blocks."""
    body = [p for p in paragraphs if not p.startswith("附件")][:20]
    page = portal_page(body, title=title).replace(" </div>\n <div class=\"bdshare\">", """
<p>附件2</p><p>2023年重点任务清单（2项）</p>
<table><tbody><tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>完成时限</th></tr>
<tr><td>1</td><td><p>完成燃煤锅炉</p><p>淘汰</p></td><td>大气处</td><td>2023年底</td></tr>
<tr><td>2</td><td>完成排污口整治</td><td></td><td>2023年6月</td></tr></tbody></table>
 </div>
 <div class="bdshare">""", 1)
    notice = parse(page.encode("utf-8"))
    table = notice.appendices[-1].lists[-1]
    assert (notice.appendices[-1].no, table.declared_count) == (2, 2)
    assert table.columns == ["序号", "重点任务", "牵头单位", "完成时限"]
    assert [(e.no, e.text, e.cells) for e in table.items] == [
        (1, "完成燃煤锅炉淘汰", ["1", "完成燃煤锅炉淘汰", "大气处", "2023年底"]),
        (2, "完成排污口整治", ["2", "完成排污口整治", "", "2023年6月"])]
    assert not [d for d in notice.diagnostics if d.code == "unassigned-text"]


@pytest.mark.parametrize("marked", [False, True], ids=["article-cell", "table-in-article"])
def test_article_in_a_layout_table_reads_as_blocks(marked: bool, paragraphs: list[str],
                                                   title: str, sample_notice: Notice) -> None:
    """Older portals lay the page out as a table: a navigation cell beside the article's
    cell, the article's paragraphs without an id or class (the cell is the body), or the
    article container around the whole table. That row is layout, not data: the article
    still reads a paragraph a line."""
    page = portal_page(paragraphs, title=title)
    opening = '<div id="zoom" class="art_con TRS_Editor">' if marked else ""
    page = page.replace('<div id="zoom" class="art_con TRS_Editor">',
                        opening + '<table><tr><td>栏目导航 通知公告 政策解读</td><td>', 1)
    page = page.replace("\n </div>\n <div class=\"bdshare\">",
                        "\n</td></tr></table>" + ("</div>" if marked else "")
                        + "\n <div class=\"bdshare\">", 1)
    assert ("TRS_Editor" in page) == marked
    notice = parse(page.encode("utf-8"))
    assert [c.title for c in notice.chapters] == [c.title for c in sample_notice.chapters]
    assert [i.text for i in notice.items] == [i.text for i in sample_notice.items]
