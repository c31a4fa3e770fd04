"""The project's XML (`Notice.to_xml`, `--format xml`) and its schema `schemas/notice.xsd`:
every export validates, the schema describes every model field, and the XML says what a
reader of the sample sees."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from pydantic import BaseModel

from zhenv_parse import Notice, parse
from zhenv_parse.cli import main
from zhenv_parse.grammar import UNITS
from zhenv_parse.xml_export import NAMESPACE, to_xml, to_xml_tree

from .conftest import ROOT, SAMPLE, corpus_file, validated
from .test_load import CORPUS_FRAGMENTS, full_notice

XSD_PATH = ROOT / "schemas" / "notice.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"
NS = {"n": NAMESPACE}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


@pytest.fixture(scope="module")
def sample_xml(sample_notice: Notice) -> bytes:
    return sample_notice.to_xml()


# --- validity and form -----------------------------------------------------------------

def test_sample_validates(schema: etree.XMLSchema, sample_xml: bytes) -> None:
    validated(schema, sample_xml, XSD_PATH.name)


@pytest.mark.parametrize("name", CORPUS_FRAGMENTS)
def test_corpus_validates(schema: etree.XMLSchema, name: str) -> None:
    validated(schema, to_xml(parse(corpus_file(name))), XSD_PATH.name)


def test_full_notice_validates(schema: etree.XMLSchema) -> None:
    root = validated(schema, to_xml(full_notice()), XSD_PATH.name)
    escaped = root.xpath("//n:preamble/n:raw", namespaces=NS)[0]
    assert escaped.get("escaped") == "true" and escaped.text == "第一段。\\u000c\n第二段\\u0001"


def test_schema_rejects_what_the_model_rejects(schema: etree.XMLSchema, sample_xml: bytes) -> None:
    """The schema has teeth: a bad comparator, id or date does not validate."""
    for good, bad in ((b'comparator="lt"', b'comparator="below"'),
                      (b'id="chp_4__item_11"', b'id="item eleven"'),
                      (b'date="2023-03-23"', b'date="23 March"'),
                      (b'unit="%"', b'unit="percent"')):
        assert good in sample_xml
        assert not schema.validate(etree.fromstring(sample_xml.replace(good, bad, 1))), bad


def test_output_is_lxml_pretty_print_and_deterministic(sample_notice: Notice,
                                                       sample_xml: bytes) -> None:
    """The writer's text is byte for byte what lxml's pretty printer makes of the tree."""
    for xml in (sample_xml, to_xml(full_notice())):
        assert etree.tostring(etree.fromstring(xml), encoding="UTF-8", xml_declaration=True,
                              pretty_print=True) == xml
    assert sample_notice.to_xml() == sample_xml == to_xml(parse(SAMPLE))
    assert sample_xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<notice xmlns=")
    assert "浙江省生态环境厅文件".encode() in sample_xml  # UTF-8, not character references


def test_tree_form(sample_notice: Notice) -> None:
    assert to_xml_tree(sample_notice).tag == f"{{{NAMESPACE}}}notice"


# --- the schema describes the model ------------------------------------------------------

def _models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> dict[str, type[BaseModel]]:
    """`model` and every model class reachable from its fields."""
    seen[model.__name__] = model
    for info in model.model_fields.values():
        for inner in _types_in(info.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel) and \
                    inner.__name__ not in seen:
                _models(inner, seen)
    return seen


def _types_in(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    if not args or typing.get_origin(annotation) is typing.Literal:
        return [annotation]
    found = [annotation] if not isinstance(annotation, types.UnionType) else []
    for arg in args:
        found += _types_in(arg)
    return found


def _described(complex_type: etree._Element, schema_root: etree._Element) -> set[str]:
    """Names of the elements and attributes a complexType declares (`span` for the group)."""
    names = {e.get("name") for e in complex_type.iter(f"{XS}element", f"{XS}attribute")}
    for group in complex_type.iter(f"{XS}attributeGroup"):
        if group.get("ref") in ("span", "optionalSpan"):
            names.add("span")
    return {name for name in names if name}


def test_schema_describes_every_model_field() -> None:
    schema_root = etree.parse(str(XSD_PATH)).getroot()
    types_by_name = {t.get("name"): t for t in schema_root.findall(f"{XS}complexType")}
    missing = []
    for name, model in sorted(_models(Notice, {}).items()):
        complex_type = types_by_name.get(name)
        if complex_type is None:
            missing.append(f"complexType {name}")
            continue
        if model.__name__ == "Span":
            continue  # written as attributes of its owner; checked through `span` below
        described = _described(complex_type, schema_root)
        missing += [f"{name}.{field}" for field in model.model_fields if field not in described]
    assert not missing, f"schemas/notice.xsd does not describe: {', '.join(missing)}"


def test_schema_check_notices_a_new_field() -> None:
    """The walk above sees nested fields: a model with one more field is reported."""
    from zhenv_parse.model import Quantity

    class Extended(Quantity):
        per_capita: bool = False

    assert "per_capita" in Extended.model_fields
    schema_root = etree.parse(str(XSD_PATH)).getroot()
    quantity = next(t for t in schema_root.findall(f"{XS}complexType")
                    if t.get("name") == "Quantity")
    assert "per_capita" not in _described(quantity, schema_root)


def test_unit_type_lists_the_canonical_units() -> None:
    schema_root = etree.parse(str(XSD_PATH)).getroot()
    unit = next(t for t in schema_root.findall(f"{XS}simpleType") if t.get("name") == "Unit")
    listed = {e.get("value") for e in unit.iter(f"{XS}enumeration")}
    canonical = set(UNITS.values())
    assert listed == canonical, (f"update the Unit type in notice.xsd: add {canonical - listed}, "
                                 f"remove {listed - canonical}")


# --- what a reader of the sample sees ------------------------------------------------------

def test_ids_are_the_models(sample_notice: Notice, sample_xml: bytes) -> None:
    root = etree.fromstring(sample_xml)
    xml_ids = root.xpath("//@id")
    model_ids = [i.id for i in sample_notice.items] + [g.id for g in sample_notice.goals]
    assert set(model_ids) <= set(xml_ids)
    assert len(xml_ids) == len(set(xml_ids))
    item = root.xpath("//n:item[@id='chp_4__item_11']", namespaces=NS)[0]
    assert item.findtext("n:title", namespaces=NS) == "全力保障亚运会环境质量"
    assert item.getparent().getparent().get("id") == "chp_4"


def test_spans_are_attributes_that_slice_the_source(sample_xml: bytes, sample_text: str) -> None:
    root = etree.fromstring(sample_xml)
    for entry in root.xpath("//n:entry[@id='app_1__list_2__entry_3'] | //n:item", namespaces=NS):
        start, end = int(entry.get("start")), int(entry.get("end"))
        assert sample_text[start:end] == entry.findtext("n:raw", namespaces=NS)
    assert root.xpath("//n:meta/n:spans/n:span[@key='title']/@start", namespaces=NS) == ["27"]


def test_front_matter_and_counts(sample_xml: bytes) -> None:
    root = etree.fromstring(sample_xml)
    meta = root.find("n:meta", NS)
    assert meta.get("date") == "2023-03-23"
    assert meta.findtext("n:doc_number/n:raw", namespaces=NS) == "浙环发〔2023〕1号"
    assert len(meta.findall("n:recipients/n:recipient", NS)) == 4
    assert len(root.findall("n:chapters/n:chapter", NS)) == 10
    assert len(root.findall("n:chapters/n:chapter/n:items/n:item", NS)) == 33
    assert len(root.findall("n:goals/n:goal", NS)) == 5
    assert len(root.findall("n:appendices/n:appendix/n:lists/n:list", NS)) == 6


def test_targets_read_as_in_the_text(sample_xml: bytes) -> None:
    """设区城市 PM2.5 平均浓度低于 26 微克/立方米."""
    target = etree.fromstring(sample_xml).xpath("//n:target[@id='goal_1__target_1']",
                                                 namespaces=NS)[0]
    assert (target.get("comparator"), target.get("value"), target.get("unit")) == \
        ("lt", "26", "微克/立方米")


# --- command line ----------------------------------------------------------------------------

def test_cli_writes_xml(schema: etree.XMLSchema, tmp_path: Path, sample_xml: bytes) -> None:
    result = CliRunner().invoke(main, ["parse", str(SAMPLE), "--format", "xml"])
    assert result.exit_code == 0, result.output
    validated(schema, result.stdout_bytes, XSD_PATH.name)
    out = tmp_path / "zj.xml"
    result = CliRunner().invoke(main, ["parse", str(SAMPLE), "--format", "xml", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout_bytes == b""
    assert out.read_bytes() == sample_xml
