"""`zhenv_parse.load`: JSON and XML back to an equal `Notice`, and hostile XML refused with a
typed error, reading nothing beyond the input."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenv_parse import Notice, NoticeParseError, load, parse
from zhenv_parse.errors import (
    InputNotFoundError,
    InvalidNoticeError,
    LoadError,
    MalformedInputError,
    UnsafeXMLError,
    WrongVocabularyError,
)
from zhenv_parse.model import (
    Appendix,
    AppendixEntry,
    AppendixList,
    Chapter,
    Deadline,
    Diagnostic,
    DocNumber,
    Goal,
    Item,
    Meta,
    PageFurniture,
    PortalMeta,
    Quantity,
    Section,
    SourceInfo,
    Span,
    Target,
    TextBlock,
)
from zhenv_parse.xml_export import NAMESPACE, to_akn, to_xml

from .conftest import SAMPLE, corpus_file

CORPUS_FRAGMENTS = ["zj-2021-fragment.txt", "city-2022-air-fragment.txt", "zj-2023-seed.txt"]


def full_notice() -> Notice:
    """A notice with every optional part filled, union fields in each of their types, and
    strings that XML cannot carry as they are."""
    span = Span(start=10, end=20, page=2)
    quantities = [
        Quantity(id="chp_1__item_1__qty_1", text="新增低碳乡镇20个以上", value=20, value_raw="20",
                 unit="个", unit_raw="个", comparator="ge", span=Span(start=30, end=40)),
        Quantity(id="chp_1__item_1__qty_2", text="约1.5万吨", value=15000.0, value_raw="1.5 万",
                 unit="吨", unit_raw="吨", approximate=True, aspirational=True,
                 deadline=dt.date(2023, 8, 31), span=Span(start=41, end=47, page=3)),
        Quantity(id="chp_1__item_1__qty_3", text="0.5", value=0.5, value_raw="0.5",
                 span=Span(start=50, end=53)),
    ]
    targets = [
        Target(id="goal_1__target_1", text="PM2.5平均浓度低于26微克/立方米", raw="PM_{2.5} 低于 26",
               kind="level", metric="PM2.5平均浓度", scope="设区城市", comparator="lt", value=26,
               value_raw="26", unit="微克/立方米", unit_raw="微克/立方米", span=span),
        Target(id="goal_1__target_2", text="同比减少2.0%", raw="同比减少 2.0%", kind="change",
               comparator="eq", value=2.0, value_raw="2.0", unit="%", unit_raw="%",
               direction="decrease", baseline="previous_year", aspirational=True,
               deadline=dt.date(2023, 12, 31), span=span),
        Target(id="goal_1__target_3", text="完成国家下达目标", raw="完成国家下达目标",
               kind="qualitative", span=span),
    ]
    return Notice(
        source=SourceInfo(path="in/notice.pdf", format="pdf", encoding=None, sha256="a" * 64,
                          length=5000, complete=False, pages=3,
                          furniture=[PageFurniture(page=1, kind="header", text="测试厅 <发布>"),
                                     PageFurniture(page=3, kind="page-number", text="— 3 —")]),
        meta=Meta(
            issuer_mark="测试厅文件", issuer="测试厅",
            doc_number=DocNumber(raw="测环发〔2024〕7号", agency_code="测环发", year=2024,
                                 serial=7, span=span),
            title="关于印发工作要点的通知", recipients=["各市局", "厅机关各处室"],
            cover_text="现印发给你们。\n请认真贯彻落实。", signatory="测试厅",
            date=dt.date(2024, 2, 29), annotation="（此件公开发布）", attachment_note="附件：清单",
            copy_to=["生态环境部", "省政府办公厅"], printed_by="测试厅办公室",
            print_date=dt.date(2024, 3, 1),
            plan_title="2024年工作要点", plan_year=2024,
            portal=PortalMeta(index_no="001/2024-0001", topic="环境保护", issuer="测试厅",
                              date=dt.date(2024, 3, 1), doc_number="测环发〔2024〕7号",
                              expiry="暂无", extra={"发布机构": "测试厅", "a<b&c": "\"q\" 'p'"}),
            spans={"title": span, "recipients.0": Span(start=1, end=3), "recipients": span}),
        preamble=TextBlock(text="第一段。\n第二段 with \\ backslash", raw="第一段。\f\n第二段\x01",
                           span=Span(start=0, end=9)),
        goals_intro=TextBlock(text="主要目标是：", raw="主要目标是：", span=span),
        goals=[Goal(id="goal_1", no=1, area="环境空气质量", text="…", raw="——…", span=span,
                    targets=targets)],
        chapters=[
            Chapter(id="chp_1", no=1, numeral="一", title="工作目标", raw="一、工作目标",
                    text="总体要求。", span=span,
                    sections=[Section(id="chp_1__sec_1", no=1, numeral="一", title="大气",
                                      text="", raw="（一）大气", span=Span(start=21, end=25),
                                      quantities=[quantities[0].model_copy(
                                          update={"id": "chp_1__sec_1__qty_1"})],
                                      deadlines=[Deadline(text="年底前", date=None,
                                                          span=Span(start=22, end=25))])],
                    items=[Item(id="chp_1__item_1", no=1, title="推进减排", text="推进减排。细则\r\n",
                                raw="1. 推进减排。细则\r\n", section_no=1,
                                span=Span(start=26, end=60), quantities=quantities,
                                deadlines=[Deadline(text="8月底前", date=dt.date(2024, 8, 31),
                                                    span=Span(start=40, end=44, page=3))])]),
            Chapter(id="chp_2", no=2, numeral="二", title="", raw="二、", span=Span(start=61, end=63)),
        ],
        appendices=[Appendix(id="app_1", no=1, title="清单", span=Span(start=70, end=99), lists=[
            AppendixList(id="app_1__list_1", no=1, numeral="一", title="重点工作", declared_count=3,
                         raw="一、重点工作（3项）", span=Span(start=71, end=80),
                         items=[AppendixEntry(id="app_1__list_1__entry_1", no=1, text="x]]>y",
                                              raw="1. x]]>y", span=Span(start=81, end=90))]),
            AppendixList(id="app_1__list_2", no=0, raw="", span=Span(start=91, end=91),
                         columns=["序号", "任务", "牵头单位"],
                         items=[AppendixEntry(id="app_1__list_2__entry_1", no=1, text="锅炉淘汰",
                                              raw="1\t锅炉淘汰\t", span=Span(start=92, end=98),
                                              cells=["1", "锅炉淘汰", ""])]),
        ])],
        diagnostics=[
            Diagnostic(level="warning", code="numbering-gap", message="item 3 where 2 was expected",
                       span=Span(start=5, end=6)),
            Diagnostic(level="error", code="missing-date", message="no 成文日期"),
        ],
    )


def assert_round_trip(notice: Notice) -> None:
    assert load(to_xml(notice)).to_json() == notice.to_json()


# --- round trips ---------------------------------------------------------------------------

def test_sample_round_trips_through_xml_and_json(sample_notice: Notice) -> None:
    assert load(sample_notice.to_xml()).to_json() == sample_notice.to_json()
    assert load(sample_notice.to_json()) == sample_notice
    assert load(sample_notice.to_json().encode("utf-8")) == sample_notice


def test_sample_targets_and_quantities_survive(sample_notice: Notice) -> None:
    loaded = load(sample_notice.to_xml())
    assert loaded.goals[0].targets == sample_notice.goals[0].targets
    assert [item.quantities for item in loaded.items] == \
        [item.quantities for item in sample_notice.items]


@pytest.mark.parametrize("name", CORPUS_FRAGMENTS)
def test_corpus_round_trips(name: str) -> None:
    assert_round_trip(parse(corpus_file(name)))


def test_full_notice_round_trips_with_types_kept() -> None:
    notice = full_notice()
    loaded = load(to_xml(notice))
    assert loaded.to_json() == notice.to_json()
    values = [q.value for q in loaded.chapters[0].items[0].quantities]
    assert [type(v) for v in values] == [int, float, float]  # `20` stays int, `15000.0` float
    assert type(loaded.goals[0].targets[1].value) is float
    assert loaded.goals[0].targets[1].deadline == dt.date(2023, 12, 31)
    assert loaded.preamble is not None and loaded.preamble.raw == "第一段。\f\n第二段\x01"
    assert loaded.chapters[0].items[0].text.endswith("\r\n")
    assert list(loaded.meta.spans) == ["title", "recipients.0", "recipients"]  # order kept


def test_loads_from_paths_of_either_format(tmp_path: Path, sample_notice: Notice) -> None:
    (tmp_path / "n.xml").write_bytes(sample_notice.to_xml())
    (tmp_path / "n.json").write_text(sample_notice.to_json(), encoding="utf-8")
    (tmp_path / "xml-named.json").write_bytes(sample_notice.to_xml())  # content decides
    for name in ("n.xml", "n.json", "xml-named.json"):
        assert load(tmp_path / name) == sample_notice
        assert load(str(tmp_path / name)) == sample_notice


def test_loads_xml_text_and_other_encodings(sample_notice: Notice) -> None:
    xml = sample_notice.to_xml()
    assert load(xml.decode("utf-8")) == sample_notice
    assert load(xml.decode("utf-8").encode("utf-16")) == sample_notice
    gb = xml.replace(b"encoding='UTF-8'", b"encoding='GB18030'").decode("utf-8").encode("gb18030")
    assert load(gb) == sample_notice


_XML_TEXT = st.text(st.characters(exclude_categories=()), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_XML_TEXT, raw=_XML_TEXT, title=_XML_TEXT)
def test_any_string_round_trips(text: str, raw: str, title: str) -> None:
    notice = full_notice()
    item = notice.chapters[0].items[0]
    item.text, item.raw, item.title = text, raw, title
    notice.meta.recipients = [text, raw]
    assert load(to_xml(notice)) == notice


# --- bad input -----------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<notice xmlns="%s" schema_version="1.0"><source format="text" sha256="%s" length="1"
 complete="true"><path>&lol9;</path></source><meta/></notice>""" % (NAMESPACE.encode(), b"a" * 64)


def assert_clear(error: LoadError) -> None:
    """A typed, one-line error that names its cause."""
    assert isinstance(error, NoticeParseError)
    assert "\n" not in str(error) and error.code


def _utf16_without_bom(document: bytes) -> bytes:
    """The same document where a byte search for `<!DOCTYPE` cannot see it."""
    return document.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>'
                            ).decode("utf-8").encode("utf-16-le")


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(UnsafeXMLError) as caught:
        load(BILLION_LAUGHS)
    assert_clear(caught.value)
    assert "DTD" in str(caught.value)
    with pytest.raises(UnsafeXMLError):  # the parser's own limits catch it too
        load(_utf16_without_bom(BILLION_LAUGHS))


def _fifo_watch(fifo: Path) -> threading.Event:
    """An event set if anyone opens `fifo` for reading (opening its write end blocks until)."""
    opened = threading.Event()

    def writer() -> None:
        handle = os.open(fifo, os.O_WRONLY)
        opened.set()
        with contextlib.suppress(OSError):  # a broken pipe once the test has let go
            os.write(handle, b"SECRET")
        os.close(handle)

    threading.Thread(target=writer, daemon=True).start()
    return opened


def _release(fifo: Path) -> None:
    handle = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # lets a waiting writer finish
    os.close(handle)


def _xxe(target: Path) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE notice [<!ENTITY x SYSTEM "file://{target}">]>'
            f'<notice xmlns="{NAMESPACE}" schema_version="1.0"><source format="text" '
            f'sha256="{"a" * 64}" length="1" complete="true"><path>&x;</path></source>'
            f'<meta/></notice>').encode()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_external_entity_is_refused_and_never_opened(tmp_path: Path) -> None:
    from zhenv_parse.loader import _parser

    fifo = tmp_path / "secret"
    os.mkfifo(fifo)
    opened = _fifo_watch(fifo)
    with pytest.raises(UnsafeXMLError) as caught:
        load(_xxe(fifo))
    assert_clear(caught.value)
    # Below the DTD check, the parser itself opens neither the entity nor an external DTD.
    from lxml import etree

    root = etree.fromstring(_xxe(fifo), _parser(None))
    assert "SECRET" not in etree.tostring(root, encoding="unicode")
    external_dtd = f'<!DOCTYPE notice SYSTEM "file://{fifo}"><notice/>'.encode()
    with contextlib.suppress(UnsafeXMLError):
        etree.fromstring(external_dtd, _parser(None))
    assert not opened.wait(0.3), "the loader opened the file an entity pointed at"
    _release(fifo)


def test_external_entity_at_a_regular_file_leaks_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    for document in (_xxe(secret), _utf16_without_bom(_xxe(secret))):
        with pytest.raises(UnsafeXMLError) as caught:
            load(document)
        assert "TOP-SECRET" not in str(caught.value)


def test_remote_dtd_is_refused_without_connecting() -> None:
    from lxml import etree

    from zhenv_parse.loader import _parser

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(0.3)
        url = f"http://127.0.0.1:{server.getsockname()[1]}/notice.dtd"
        document = (f'<?xml version="1.0"?><!DOCTYPE notice SYSTEM "{url}">'
                    f'<notice xmlns="{NAMESPACE}"/>').encode()
        with pytest.raises(UnsafeXMLError) as caught:
            load(document)
        assert_clear(caught.value)
        with contextlib.suppress(UnsafeXMLError):  # the parser alone loads no DTD either
            etree.fromstring(document, _parser(None))
        with pytest.raises(TimeoutError):
            server.accept()


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_truncated_xml_is_malformed(sample_notice: Notice, cut: float) -> None:
    xml = sample_notice.to_xml()
    with pytest.raises(MalformedInputError) as caught:
        load(xml[: int(len(xml) * cut)])
    assert_clear(caught.value)
    assert "not well-formed XML" in str(caught.value)


def test_truncated_json_is_malformed(sample_notice: Notice) -> None:
    text = sample_notice.to_json()
    with pytest.raises(MalformedInputError, match="not well-formed JSON"):
        load(text[: len(text) // 2])


@pytest.mark.parametrize("document, hint", [
    (b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>hi</p></body></html>', "<html>"),
    (b'<notice schema_version="1.0"/>', "(none)"),  # right name, no namespace
    (b'{"type": "FeatureCollection", "features": []}', "not a zhenv-parse notice"),
])
def test_wrong_vocabulary(document: bytes, hint: str) -> None:
    with pytest.raises(WrongVocabularyError) as caught:
        load(document)
    assert_clear(caught.value)
    assert hint in str(caught.value)


def test_akoma_ntoso_is_named_when_loaded(sample_notice: Notice) -> None:
    with pytest.raises(WrongVocabularyError, match="Akoma Ntoso"):
        load(to_akn(sample_notice))


@pytest.mark.parametrize("edit, message", [
    ((b' format="text"', b""), "source.format"),                   # attribute missing ...
    ((b'length="8989"', b'length="many"'), "length"),              # ... or not an integer
    ((b"<meta ", b"<metadata "), "unexpected element"),
    ((b'complete="true"', b'complete="true" colour="red"'), "colour"),
    ((b"<raw>", b"<raw><b>bold</b>"), "unexpected element inside text"),
])
def test_invalid_content_is_reported_with_its_place(sample_notice: Notice,
                                                    edit: tuple[bytes, bytes],
                                                    message: str) -> None:
    xml = sample_notice.to_xml().replace(*edit, 1)
    if edit[0] == b"<meta ":
        xml = xml.replace(b"</meta>", b"</metadata>", 1)
    with pytest.raises(InvalidNoticeError) as caught:
        load(xml)
    assert_clear(caught.value)
    assert message in str(caught.value)


def test_too_deep_is_refused() -> None:
    deep = b"<notice xmlns='%s'>" % NAMESPACE.encode() + b"<a>" * 5000 + b"</a>" * 5000 \
        + b"</notice>"
    with pytest.raises(UnsafeXMLError, match="limits"):
        load(deep)


@pytest.mark.parametrize("document, error", [
    (b"", MalformedInputError),
    (b"   \n", MalformedInputError),
    (b"just words", MalformedInputError),
    (b"\x89PNG\r\n\x1a\n", MalformedInputError),
])
def test_neither_json_nor_xml(document: bytes, error: type[LoadError]) -> None:
    with pytest.raises(error):
        load(document)


def test_errors_name_the_file(tmp_path: Path, sample_notice: Notice) -> None:
    cut = tmp_path / "cut.xml"
    cut.write_bytes(sample_notice.to_xml()[:500])
    with pytest.raises(MalformedInputError) as caught:
        load(cut)
    assert str(caught.value).startswith(f"{cut}: not well-formed XML")
    assert caught.value.path == str(cut)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError):
        load(tmp_path / "absent.xml")
    with pytest.raises(InputNotFoundError):
        load(str(tmp_path / "absent.json"))


def test_sample_path_is_not_a_saved_notice() -> None:
    with pytest.raises(MalformedInputError):
        load(SAMPLE)  # the notice's text, not its JSON or XML
