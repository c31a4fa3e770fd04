"""HTML pages of government portals (zj.gov.cn style): the article body as text, the
政府信息公开 metadata table (索引号, 主题分类, 发文机关, 成文日期, 发文字号, 废止时间) as
``SourceDocument.extra["portal.*"]`` (the pipeline turns it into ``meta.portal``).

Decoding trusts evidence over declarations: a byte-order mark, then strict UTF-8 (multi-byte
text that is valid UTF-8 is UTF-8 whatever the page says), then the charset the page or the
HTTP header declares, then charset-normalizer's guess. Navigation, scripts, styles and share
buttons are dropped; block elements (`<p>`, `<div>`, `<br>`, rows) become line breaks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

import regex
from lxml.html import HtmlElement

from .. import grammar
from ..errors import EncodingError
from ..model import PortalMeta
from . import SourceDocument
from . import text as text_reader

#: Labels of the portal's metadata table → PortalMeta field. Other labels in the same table
#: go to `PortalMeta.extra`.
PORTAL_LABELS: dict[str, str] = {
    "索引号": "index_no", "主题分类": "topic", "发文机关": "issuer", "发布机构": "issuer",
    "成文日期": "date", "发文字号": "doc_number", "文号": "doc_number", "废止时间": "expiry",
    "失效时间": "expiry",
}
#: A label cell: a short Chinese label and a colon, maybe with the value after it.
_LABEL = regex.compile(r"^\s*(?P<label>[\p{Han}]{2,8})\s*[：:]\s*(?P<value>.*?)\s*$", regex.S)
#: Elements that never hold the article.
DROP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "nav", "header",
                       "footer", "form", "button", "input", "select", "textarea", "aside",
                       "object", "svg"})
#: id/class fragments of navigation, share buttons and other page chrome.
CHROME = regex.compile(
    r"share|bdshare|jiathis|nav|menu|breadcrumb|crumb|footer|header|toolbar|print|fontsize|"
    r"font-size|related|xgxx|sidebar|topbar|banner|copyright|login|search", regex.I)
#: id/class fragments of the element holding the article's text.
CONTENT = regex.compile(r"zoom|trs_editor|article|art_con|bt_content|content|main-?text|zwnr|"
                        r"pages_content|wenzhang", regex.I)
#: id/class fragments (or tags) of the article's title.
TITLE = regex.compile(r"title|biaoti|bt_title|art_tit", regex.I)
#: Elements that end a line of text.
BLOCK_TAGS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "table", "section", "article", "ul", "ol", "dd", "dt", "dl",
                        "blockquote", "pre", "center", "hr"})
#: A table cell. The cells of a row of two or more are one line, separated by
#: `grammar.TABLE_CELL_BREAK` (a tab), with blocks inside a cell run together.
CELL_TAGS = frozenset({"td", "th"})
_DECLARED = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", regex.I)
_XML_DECLARATION = regex.compile(r"^\s*<\?xml[^>]*\?>")
_SPACE = regex.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")
_CJK = regex.compile(r"\p{Han}")
_DATE = regex.compile(r"(?P<y>\d{4})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})")
#: Chinese encodings are read as GB18030, their superset.
ENCODING_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}
#: Charsets in which every byte string is valid: a declaration of one is weak evidence.
SINGLE_BYTE = frozenset({"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "ascii",
                         "us-ascii"})
#: Separates parts of a line: a block boundary.
_BREAK = "\n"
#: A table cell with more text than this is page layout (it holds the article), not data.
MAX_CELL_CHARS = 500
#: Marks where a cell starts until the lines are squashed (then it becomes a tab).
_CELL = "\x1f"


def from_bytes(data: bytes, *, path: str | None,
               declared_encoding: str | None = None) -> SourceDocument:
    """Read an HTML page. `declared_encoding` is the HTTP header's charset, if known."""
    import lxml.html

    page, encoding = decode(data, declared_encoding, path=path)
    page = _XML_DECLARATION.sub("", page, count=1)
    try:
        root = lxml.html.document_fromstring(page)
    except Exception as error:  # lxml raises ParserError/XMLSyntaxError on junk
        raise EncodingError(f"not an HTML page ({error})", path=path) from None
    _drop_chrome(root)
    portal = _portal_rows(root)
    body = _content(root)
    text = _text_of(body)
    title = _title(root, body)
    if title and _squash(title) not in _squash(text):
        text = title + "\n" + text
    text_reader.check_text(text, path=path)
    extra = {f"portal.{key}": value for key, value in portal.items()}
    return SourceDocument(text=text + "\n", format="html", path=path, encoding=encoding,
                          extra=extra)


def decode(data: bytes, declared: str | None = None, *, path: str | None = None) -> tuple[str, str]:
    """The page's text and the encoding that decoded it (see the module docstring)."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return text_reader.decode(data, path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    in_page = _DECLARED.search(data[:4096])
    names = [ENCODING_ALIASES.get(name.lower(), name.lower()) for name in
             (declared, in_page.group(1).decode("ascii") if in_page else None) if name]
    # A single-byte charset decodes any bytes, so declaring one proves nothing; Chinese
    # pages that are not UTF-8 are GB18030 (or GBK/GB2312, its subsets) far more often.
    multi_byte = [name for name in names if name not in SINGLE_BYTE] + ["gb18030"]
    for encoding in multi_byte:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue  # the declaration is wrong: try the next, then detect
    from charset_normalizer import from_bytes as detect

    best = detect(data).best()
    if best is None or best.encoding is None:
        raise EncodingError("cannot detect the page's encoding", path=path)
    return str(best), best.encoding


def _drop_chrome(root: HtmlElement) -> None:
    for element in list(_elements(root)):
        tag = element.tag if isinstance(element.tag, str) else ""
        marks = f"{element.get('id', '')} {element.get('class', '')}"
        if tag.lower() in DROP_TAGS or (marks.strip() and CHROME.search(marks)
                                        and not CONTENT.search(marks)):
            element.drop_tree()


def _elements(root: HtmlElement) -> Iterator[HtmlElement]:
    for element in root.iter():
        if isinstance(element.tag, str) and element.getparent() is not None:
            yield element


def _portal_rows(root: HtmlElement) -> dict[str, str]:
    """Label → value of the metadata table, which is then removed from the page."""
    container = _metadata_container(root)
    if container is None:
        return {}
    cells = [_squash_space(cell.text_content()) for cell in container.iter()
             if isinstance(cell.tag, str) and cell.tag in {"td", "th", "span", "li", "dt", "dd",
                                                           "p", "b", "strong", "label", "em"}
             and not any(isinstance(c.tag, str) and c.tag in {"td", "th", "span", "li", "p",
                                                             "label", "b", "strong", "em"}
                         for c in cell)]
    rows: dict[str, str] = {}
    index = 0
    while index < len(cells):
        match = _LABEL.match(cells[index])
        if match is None:
            index += 1
            continue
        value = match.group("value")
        if not value and index + 1 < len(cells) and not _LABEL.match(cells[index + 1]):
            value = cells[index + 1]
            index += 1
        label = match.group("label")
        key = PORTAL_LABELS.get(label, f"extra.{label}")
        rows.setdefault(key, value)
        index += 1
    container.drop_tree()
    return rows


def _metadata_container(root: HtmlElement) -> HtmlElement | None:
    """The smallest table (or list) holding at least two known labels."""
    best = None
    for element in root.iter("table", "ul", "dl", "div"):
        labels = sum(1 for label in PORTAL_LABELS if label in (element.text_content() or "")[:2000])
        if labels >= 2 and (best is None or element in best.iterdescendants()):
            best = element
    return best if best is not None and best.getparent() is not None else None


def _content(root: HtmlElement) -> HtmlElement:
    """The element holding the article: a known content container, else the densest one."""
    candidates = [e for e in root.iter() if isinstance(e.tag, str)
                  and CONTENT.search(f"{e.get('id', '')} {e.get('class', '')}")]
    if not candidates:
        candidates = [p.getparent() for p in root.iter("p") if p.getparent() is not None]
    if not candidates:
        body = root.find("body")
        return body if body is not None else root
    return max(candidates, key=lambda e: len(_CJK.findall(e.text_content())) - _depth_penalty(e))


def _depth_penalty(element: HtmlElement) -> int:
    """Prefer the innermost of nested containers that hold the same text."""
    return -sum(1 for _ in element.iterancestors())


def _title(root: HtmlElement, body: HtmlElement) -> str | None:
    for element in root.iter():
        if not isinstance(element.tag, str) or element is body:
            continue
        marks = f"{element.get('id', '')} {element.get('class', '')}"
        if element.tag == "h1" or (element.tag != "title" and TITLE.search(marks)):
            title = _squash_space(element.text_content())
            if _CJK.search(title):
                return title
    return None


def _text_of(element: HtmlElement) -> str:
    """Text with one line per block element, whitespace collapsed inside lines."""
    parts: list[str] = []
    _walk(element, parts)
    lines = (_cells_to_tabs(_squash_space(line)) for line in "".join(parts).split(_BREAK))
    return "\n".join(line for line in lines if line)


def _walk(element: HtmlElement, parts: list[str], in_data_row: bool = False,
          in_cell: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag in BLOCK_TAGS and not in_cell
    if block:
        parts.append(_BREAK)
    elif in_cell and tag in BLOCK_TAGS:
        parts.append(" ")  # a paragraph inside a cell stays in the cell's line
    if tag in CELL_TAGS and in_data_row:
        parts.append(_CELL)
        in_cell = True
    elif tag in CELL_TAGS:
        parts.append(" ")
    if element.text and tag:
        parts.append(_SPACE.sub(" ", element.text))
    data_row = tag == "tr" and _is_data_row(element)  # decided once for the row's cells
    for child in element:
        _walk(child, parts, data_row, in_cell)
        if child.tail:
            parts.append(_SPACE.sub(" ", child.tail))
    if block:
        parts.append(_BREAK)


def _is_data_row(row: HtmlElement) -> bool:
    """A table row of two cells or more, none holding a page's worth of text (a row of one
    cell, or one with the article in a cell, is page layout, read as blocks)."""
    cells = [cell for cell in row if cell.tag in CELL_TAGS]
    return len(cells) >= 2 and all(len(cell.text_content()) <= MAX_CELL_CHARS for cell in cells)


def _cells_to_tabs(line: str) -> str:
    """A row's cells, split at the cell marks, joined by the table cell break."""
    if _CELL not in line:
        return line
    first, *cells = (cell.strip() for cell in line.split(_CELL))
    return grammar.TABLE_CELL_BREAK.join(([first] if first else []) + cells)


def _squash_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def portal_meta(extra: Mapping[str, str]) -> PortalMeta | None:
    """`meta.portal` from a reader's `extra` (keys `portal.<field>`, `portal.extra.<label>`)."""
    rows = {key[len("portal."):]: value for key, value in extra.items()
            if key.startswith("portal.")}
    if not rows:
        return None
    date = _DATE.search(rows.get("date", ""))
    return PortalMeta(
        index_no=rows.get("index_no"), topic=rows.get("topic"), issuer=rows.get("issuer"),
        date=dt.date(int(date["y"]), int(date["m"]), int(date["d"])) if date else None,
        doc_number=rows.get("doc_number"), expiry=rows.get("expiry"),
        extra={key[len("extra."):]: value for key, value in rows.items()
               if key.startswith("extra.")},
    )
