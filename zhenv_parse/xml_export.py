"""XML export: the project's own vocabulary (:func:`to_xml`, described by
``schemas/notice.xsd``) and Akoma Ntoso 3.0 (:func:`to_akn`).

The project XML is derived from the model's field annotations, so it carries exactly what
the JSON carries, under the same names: a nested model or a string is a child element, a
number, flag, date, enumeration or id is an attribute, a ``span`` is the attributes
``start``/``end``/``page`` of its owner, a list is a container element named after the field
holding one element per entry. :mod:`zhenv_parse.loader` reads it back with the same plan.

Strings holding characters that XML 1.0 cannot carry (C0 controls such as a PDF's form
feed, lone surrogates) are written backslash-escaped and marked ``escaped="true"``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

from lxml import etree
from pydantic import BaseModel

from .model import SCHEMA_VERSION, Appendix, Chapter, Item, Notice, Section, Span

# ---------------------------------------------------------------------------
# The project vocabulary
# ---------------------------------------------------------------------------

#: Namespace of the project XML; the version is the major of `SCHEMA_VERSION`.
NAMESPACE = f"https://zhenv-parse.invalid/ns/notice/{SCHEMA_VERSION.split('.')[0]}"
ROOT_TAG = "notice"
#: Tag of one entry of each list field, by (model, field).
LIST_ITEM_TAGS: dict[tuple[str, str], str] = {
    ("Notice", "goals"): "goal",
    ("Goal", "targets"): "target",
    ("Notice", "chapters"): "chapter",
    ("Chapter", "sections"): "section",
    ("Chapter", "items"): "item",
    ("Item", "quantities"): "quantity",
    ("Section", "quantities"): "quantity",
    ("Item", "deadlines"): "deadline",
    ("Section", "deadlines"): "deadline",
    ("Notice", "appendices"): "appendix",
    ("Appendix", "lists"): "list",
    ("AppendixList", "items"): "entry",
    ("AppendixList", "columns"): "column",
    ("AppendixEntry", "cells"): "cell",
    ("Notice", "diagnostics"): "diagnostic",
    ("Meta", "recipients"): "recipient",
    ("Meta", "copy_to"): "recipient",
    ("SourceInfo", "furniture"): "line",
}
#: String fields that are machine values rather than prose, written as attributes.
ATTRIBUTE_STRINGS = frozenset({"id", "schema_version", "unit", "code", "format", "encoding",
                               "sha256"})
#: The field that becomes attributes of its owner, and those attributes.
SPAN_FIELD = "span"
SPAN_ATTRIBUTES = ("start", "end", "page")
#: Entries of `dict[str, Span]` (`Meta.spans`): `<span key="title" start=… end=…/>`.
SPAN_MAP_ITEM_TAG = "span"
#: Entries of `dict[str, str]` (`PortalMeta.extra`): `<entry><key>…</key><value>…</value></entry>`.
TEXT_MAP_ITEM_TAG, TEXT_MAP_KEY_TAG, TEXT_MAP_VALUE_TAG = "entry", "key", "value"
MAP_KEY_ATTRIBUTE = "key"
#: Marks a string written with backslash escapes.
ESCAPED_ATTRIBUTE = "escaped"

#: Characters XML 1.0 cannot carry, plus surrogates (which UTF-8 cannot carry).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_NEEDED = re.compile("[\\\\\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_UNESCAPE = re.compile(r"\\(\\|u[0-9a-fA-F]{4})")
_INTEGER = re.compile(r"^[+-]?\d+$")
#: xs:double spellings of the non-finite floats.
_NON_FINITE = {math.inf: "INF", -math.inf: "-INF"}


def clark(local: str) -> str:
    """`{namespace}local`, lxml's name for an element of the project vocabulary."""
    return f"{{{NAMESPACE}}}{local}"


def escape_text(value: str) -> str:
    """Backslash-escape `\\` and the characters of :data:`XML_ILLEGAL` as `\\uXXXX`."""
    return _ESCAPE_NEEDED.sub(
        lambda m: "\\\\" if m.group() == "\\" else f"\\u{ord(m.group()):04x}", value)


def unescape_text(value: str) -> str:
    """Inverse of :func:`escape_text`."""
    return _UNESCAPE.sub(lambda m: "\\" if m.group(1) == "\\" else chr(int(m.group(1)[1:], 16)),
                         value)


# --- attribute codecs: value → text, text → value -----------------------------------------

def _format_bool(value: Any) -> str:
    return "true" if value else "false"


def _parse_bool(text: str) -> bool:
    try:
        return {"true": True, "1": True, "false": False, "0": False}[text.strip()]
    except KeyError:
        raise ValueError(f"not a boolean: {text!r}") from None


def _format_number(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return _NON_FINITE.get(value) or repr(value)
    return str(value)


def _parse_number(text: str) -> int | float:
    return int(text) if _INTEGER.match(text) else float(text)


def _parse_int(text: str) -> int:
    if not _INTEGER.match(text):
        raise ValueError(f"not an integer: {text!r}")
    return int(text)


def _format_date(value: Any) -> str:
    return str(value.isoformat())


@dataclass(frozen=True)
class Codec:
    format: Callable[[Any], str]
    parse: Callable[[str], Any]
    #: Whether formatted values may hold characters that need escaping in an attribute.
    needs_escaping: bool = False


CODECS: dict[str, Codec] = {
    "str": Codec(str, str, needs_escaping=True),
    "int": Codec(str, _parse_int),
    "bool": Codec(_format_bool, _parse_bool),
    "number": Codec(_format_number, _parse_number),
    "date": Codec(_format_date, dt.date.fromisoformat),
}


# --- the plan: how each field of each model maps to XML ------------------------------------

class Kind(Enum):
    ATTRIBUTE = "attribute"      # scalar → attribute named like the field
    SPAN = "span"                # Span → start/end/page attributes of the owner
    TEXT = "text"                # str → child element
    MODEL = "model"              # nested model → child element
    MODEL_LIST = "model-list"    # list[Model] → container of item elements
    TEXT_LIST = "text-list"      # list[str] → container of item elements
    TEXT_MAP = "text-map"        # dict[str, str] → container of key/value entries
    SPAN_MAP = "span-map"        # dict[str, Span] → container of keyed span elements


@dataclass
class FieldPlan:
    name: str
    kind: Kind
    tag: str = ""                       # Clark name of the child/container element
    item_tag: str = ""                  # Clark name of one list/map entry
    item_name: str = ""                 # local name of one list/map entry
    codec: Codec | None = None
    model: type[BaseModel] | None = None


@dataclass
class ModelPlan:
    model: type[BaseModel]
    attributes: list[FieldPlan] = field(default_factory=list)   # ATTRIBUTE and SPAN, in order
    children: list[FieldPlan] = field(default_factory=list)     # element kinds, in order
    by_tag: dict[str, FieldPlan] = field(default_factory=dict)  # child Clark name → field
    attribute_names: frozenset[str] = frozenset()               # every attribute it may carry
    #: (field, kind, plan) of each child, for the writer.
    child_writers: list[tuple[str, Kind, FieldPlan]] = field(default_factory=list)
    #: (field, ` name="`, value → escaped text; None for a span), for the writer.
    attribute_writers: list[tuple[str, str, Callable[[Any], str] | None]] = field(
        default_factory=list)


_PLANS: dict[type[BaseModel], ModelPlan] = {}


def plan_for(model: type[BaseModel]) -> ModelPlan:
    """The (cached) XML plan of a model class and, recursively, of the models it holds."""
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = ModelPlan(model)
        for name, info in model.model_fields.items():
            field_plan = _field_plan(model, name, info.annotation)
            if field_plan.kind in (Kind.ATTRIBUTE, Kind.SPAN):
                plan.attributes.append(field_plan)
            else:
                plan.children.append(field_plan)
                plan.by_tag[field_plan.tag] = field_plan
        plan.child_writers = [(f.name, f.kind, f) for f in plan.children]
        plan.attribute_writers = [(f.name, f' {f.name}="', _attribute_writer(f))
                                  for f in plan.attributes]
        plan.attribute_names = frozenset(
            attr for f in plan.attributes
            for attr in (SPAN_ATTRIBUTES if f.kind is Kind.SPAN else (f.name,)))
    return plan


def _attribute_writer(f: FieldPlan) -> Callable[[Any], str] | None:
    if f.kind is Kind.SPAN:
        return None
    assert f.codec is not None
    if f.codec.needs_escaping:
        return _escape_attribute  # string-valued: the value is its own text
    return f.codec.format


def _field_plan(model: type[BaseModel], name: str, annotation: Any) -> FieldPlan:
    inner = _without_none(annotation)
    origin, args = typing.get_origin(inner), typing.get_args(inner)
    where = f"{model.__name__}.{name}"
    if inner is Span and name == SPAN_FIELD:
        return FieldPlan(name, Kind.SPAN)
    if _is_model(inner):
        plan_for(inner)
        return FieldPlan(name, Kind.MODEL, clark(name), model=inner)
    if origin is list:
        item_tag = LIST_ITEM_TAGS.get((model.__name__, name))
        if item_tag is None:
            raise TypeError(f"{where}: add its entries' tag to LIST_ITEM_TAGS")
        if _is_model(args[0]):
            plan_for(args[0])
            return FieldPlan(name, Kind.MODEL_LIST, clark(name), clark(item_tag), item_tag,
                             model=args[0])
        if args[0] is str:
            return FieldPlan(name, Kind.TEXT_LIST, clark(name), clark(item_tag), item_tag)
    if origin is dict and args == (str, str):
        return FieldPlan(name, Kind.TEXT_MAP, clark(name), clark(TEXT_MAP_ITEM_TAG),
                         TEXT_MAP_ITEM_TAG)
    if origin is dict and args == (str, Span):
        return FieldPlan(name, Kind.SPAN_MAP, clark(name), clark(SPAN_MAP_ITEM_TAG),
                         SPAN_MAP_ITEM_TAG)
    if inner is str:
        if name in ATTRIBUTE_STRINGS:
            return FieldPlan(name, Kind.ATTRIBUTE, codec=CODECS["str"])
        return FieldPlan(name, Kind.TEXT, clark(name))
    codec = _scalar_codec(inner)
    if codec is None:
        raise TypeError(f"{where}: no XML mapping for {annotation!r}")
    return FieldPlan(name, Kind.ATTRIBUTE, codec=codec)


def _without_none(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        rest = tuple(arg for arg in typing.get_args(annotation) if arg is not type(None))
        if len(rest) == 1:
            return rest[0]
        return rest  # a union of several types, e.g. (int, float)
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _scalar_codec(inner: Any) -> Codec | None:
    if inner is bool:
        return CODECS["bool"]
    if inner is int:
        return CODECS["int"]
    if inner is dt.date:
        return CODECS["date"]
    if isinstance(inner, tuple) and set(inner) == {int, float}:
        return CODECS["number"]
    if typing.get_origin(inner) is Literal and all(isinstance(a, str) for a in typing.get_args(inner)):
        return CODECS["str"]
    return None


# --- writing ---------------------------------------------------------------------------------
# The document is written as text, in exactly the form lxml's pretty printer gives it (a test
# re-serialises every export with lxml and compares bytes): building an lxml tree element by
# element costs about six times the JSON export, writing the text well under twice.

XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
INDENT = "  "
_TEXT_SPECIAL = re.compile("[&<>\r]")
#: Either of the above: one scan tells whether a string can be written as it is.
_TEXT_NEEDS_WORK = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\n\r\t]')
_ATTRIBUTE_NEEDS_WORK = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
#: How libxml2 escapes each character in text and in attribute values.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;",
             "\r": "&#13;", "\t": "&#9;"}


def to_xml(notice: Notice) -> bytes:
    """The notice in the project vocabulary: deterministic, pretty-printed UTF-8 XML that
    validates against ``schemas/notice.xsd``."""
    plan_for(Notice)  # builds the plans of every model the writer meets
    out = [XML_DECLARATION]
    _write_model(out, ROOT_TAG, notice, "", f' xmlns="{NAMESPACE}"')
    return "".join(out).encode("utf-8")


def to_xml_tree(notice: Notice) -> etree._Element:
    """:func:`to_xml` as an lxml element, for XSLT and XPath."""
    return etree.fromstring(to_xml(notice))


def _escape_text(value: str) -> str:
    if _TEXT_SPECIAL.search(value) is None:
        return value
    return _TEXT_SPECIAL.sub(lambda m: _ENTITIES[m.group()], value)


def _escape_attribute(value: str) -> str:
    if _ATTRIBUTE_NEEDS_WORK.search(value) is None:
        return value
    if XML_ILLEGAL.search(value):
        raise ValueError(f"{value!r} holds characters that an XML attribute cannot carry")
    return _ATTRIBUTE_SPECIAL.sub(lambda m: _ENTITIES[m.group()], value)


def _attributes(obj: BaseModel, plan: ModelPlan) -> str:
    text = ""
    values = obj.__dict__
    for name, prefix, write in plan.attribute_writers:
        value = values[name]
        if value is not None:
            text += _span_attributes(value) if write is None else f'{prefix}{write(value)}"'
    return text


def _span_attributes(span: Span) -> str:
    if span.page is None:
        return f' start="{span.start}" end="{span.end}"'
    return f' start="{span.start}" end="{span.end}" page="{span.page}"'


def _write_model(out: list[str], tag: str, obj: BaseModel, indent: str, extra: str = "") -> None:
    plan = _PLANS.get(type(obj)) or plan_for(type(obj))
    head = f"{indent}<{tag}{extra}{_attributes(obj, plan)}"
    start = len(out)
    out.append(head + ">\n")
    _write_children(out, obj, plan, indent + INDENT)
    if len(out) == start + 1:
        out[start] = head + "/>\n"
    else:
        out.append(f"{indent}</{tag}>\n")


def _write_children(out: list[str], obj: BaseModel, plan: ModelPlan, indent: str) -> None:
    values = obj.__dict__  # field values; a plain dict lookup is faster than getattr
    for name, kind, f in plan.child_writers:
        value = values[name]
        if value is None:
            continue
        if kind is _TEXT:  # the common case, inlined
            # isprintable() is False for every character XML cannot carry (and for a few
            # more, such as newlines, which the slow path then writes as they are).
            if value and value.isprintable() and not ("&" in value or "<" in value
                                                      or ">" in value):
                out.append(f"{indent}<{name}>{value}</{name}>\n")
            else:
                _write_text(out, name, value, indent)
        elif kind is _MODEL:
            _write_model(out, name, value, indent)
        elif value:  # an empty list or map is left out; the loader restores the default
            out.append(f"{indent}<{name}>\n")
            _write_entries(out, f, value, indent + INDENT)
            out.append(f"{indent}</{name}>\n")


#: Enum members as module globals: the writer's hot loop compares against them.
_TEXT, _MODEL = Kind.TEXT, Kind.MODEL


def _write_entries(out: list[str], f: FieldPlan, value: Any, indent: str) -> None:
    if f.kind is Kind.MODEL_LIST:
        for entry in value:
            _write_model(out, f.item_name, entry, indent)
    elif f.kind is Kind.TEXT_LIST:
        for entry in value:
            _write_text(out, f.item_name, entry, indent)
    elif f.kind is Kind.TEXT_MAP:
        for key, entry in value.items():
            out.append(f"{indent}<{TEXT_MAP_ITEM_TAG}>\n")
            _write_text(out, TEXT_MAP_KEY_TAG, key, indent + INDENT)
            _write_text(out, TEXT_MAP_VALUE_TAG, entry, indent + INDENT)
            out.append(f"{indent}</{TEXT_MAP_ITEM_TAG}>\n")
    else:  # Kind.SPAN_MAP
        for key, span in value.items():
            out.append(f'{indent}<{SPAN_MAP_ITEM_TAG} {MAP_KEY_ATTRIBUTE}='
                       f'"{_escape_attribute(key)}"{_span_attributes(span)}/>\n')


def _write_text(out: list[str], tag: str, value: str, indent: str) -> None:
    if not value:
        out.append(f"{indent}<{tag}/>\n")
    elif _TEXT_NEEDS_WORK.search(value) is None:
        out.append(f"{indent}<{tag}>{value}</{tag}>\n")
    elif XML_ILLEGAL.search(value):
        out.append(f'{indent}<{tag} {ESCAPED_ATTRIBUTE}="true">'
                   f"{_escape_text(escape_text(value))}</{tag}>\n")
    else:
        out.append(f"{indent}<{tag}>{_escape_text(value)}</{tag}>\n")


# ---------------------------------------------------------------------------
# Akoma Ntoso 3.0
# ---------------------------------------------------------------------------
# docs/xml.md tells how each part of a notice maps to AKN. Element ids become eIds unchanged.

AKN_NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#: `doc/@name` of the notice and of each attachment.
AKN_DOC_NAME, AKN_ATTACHMENT_NAME = "workPlan", "attachment"
#: FRBR country (ISO 3166-1) and language (ISO 639-2) of every notice this package reads.
AKN_COUNTRY, AKN_LANGUAGE = "cn", "zho"
#: eIds of the two organisations that `meta/references` declares.
AKN_ISSUER, AKN_PARSER = "issuer", "zhenv-parse"
AKN_PARSER_HREF = "/ontology/organization/zhenv-parse"
#: FRBR component name of the notice itself; attachments are named by their ids.
AKN_MAIN = "main"
#: FRBRdate when the notice gives no date at all (the schema requires one).
AKN_UNKNOWN_DATE = dt.date(1, 1, 1)


def _akn(local: str) -> str:
    return f"{{{AKN_NAMESPACE}}}{local}"


def _sub(parent: etree._Element, local: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _akn(local),
                               {name.rstrip("_"): value for name, value in attributes.items()})
    if text:
        element.text = _xml_safe(text)
    return element


def _inline(parent: etree._Element, local: str, text: str, **attributes: str) -> None:
    """`<p>` holding one inline element; the empty text keeps the pretty printer from
    indenting (and so adding whitespace to) mixed content."""
    paragraph = _sub(parent, "p", **attributes)
    paragraph.text = ""
    _sub(paragraph, local, text)


def _xml_safe(text: str) -> str:
    """AKN has no escape convention: characters XML cannot carry become U+FFFD."""
    return XML_ILLEGAL.sub("\ufffd", text)


def to_akn(notice: Notice) -> bytes:
    """The notice as an Akoma Ntoso 3.0 `doc`, valid against the OASIS schema."""
    root = etree.Element(_akn("akomaNtoso"),
                         nsmap={None: AKN_NAMESPACE})  # type: ignore[dict-item]  # stubs lack None
    doc = _sub(root, "doc", name=AKN_DOC_NAME)
    work, date, date_name = _akn_work(notice)
    _akn_meta(doc, notice, work, date, date_name)
    _akn_preface(doc, notice)
    if notice.preamble is not None:
        _paragraphs(_sub(doc, "preamble"), notice.preamble.text)
    _akn_main_body(doc, notice)
    if notice.appendices:
        attachments = _sub(doc, "attachments")
        for appendix in notice.appendices:
            _akn_attachment(attachments, appendix, work, date, date_name)
    _dedupe_eids(root)
    return _serialise_tree(root)


def _serialise_tree(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True))


def _akn_work(notice: Notice) -> tuple[str, dt.date, str]:
    """The FRBR work IRI, its date and the date's FRBR name (how the date was found)."""
    meta = notice.meta
    date, date_name = meta.date, "issued"
    if date is None and meta.portal is not None and meta.portal.date is not None:
        date = meta.portal.date
    year = meta.plan_year or (meta.doc_number.year if meta.doc_number else None)
    if date is None and year is not None:
        date, date_name = dt.date(year, 1, 1), "year"
    if date is None:
        date, date_name = AKN_UNKNOWN_DATE, "unknown"
    number = meta.doc_number
    name = (f"{number.agency_code}-{number.year}-{number.serial}" if number is not None
            else f"sha256-{notice.source.sha256[:16]}")
    return f"/akn/{AKN_COUNTRY}/doc/{AKN_DOC_NAME}/{date.isoformat()}/{_iri_part(name)}", \
        date, date_name


def _iri_part(text: str) -> str:
    return re.sub(r"[\s/?#@!]+", "-", text).strip("-") or "-"


def _akn_meta(doc: etree._Element, notice: Notice, work: str, date: dt.date,
              date_name: str) -> None:
    meta = _sub(doc, "meta")
    _identification(meta, notice, work, AKN_MAIN, date, date_name)
    references = _sub(meta, "references", source=f"#{AKN_PARSER}")
    issuer = notice.meta.issuer or notice.meta.signatory
    if issuer:
        _sub(references, "TLCOrganization", eId=AKN_ISSUER,
             href=f"/ontology/organization/{AKN_COUNTRY}/{_iri_part(issuer)}",
             showAs=_xml_safe(issuer))
    _sub(references, "TLCOrganization", eId=AKN_PARSER, href=AKN_PARSER_HREF, showAs=AKN_PARSER)
    proprietary = _sub(meta, "proprietary", source=f"#{AKN_PARSER}")
    source = notice.source
    etree.SubElement(proprietary, clark("source"), {
        "format": source.format, "sha256": source.sha256, "length": str(source.length),
        "complete": _format_bool(source.complete)}, nsmap={"zp": NAMESPACE})


def _identification(meta: etree._Element, notice: Notice | None, work: str, component: str,
                    date: dt.date, date_name: str) -> None:
    """FRBR Work, Expression and Manifestation of one component (`main` or an attachment's
    id) of the work; `notice` adds number and name to the work."""
    author = f"#{AKN_ISSUER}" if notice is None or notice.meta.issuer or notice.meta.signatory \
        else f"#{AKN_PARSER}"
    identification = _sub(meta, "identification", source=f"#{AKN_PARSER}")
    expression = f"{work}/{AKN_LANGUAGE}@{date.isoformat()}"
    for level, this, uri in (("FRBRWork", f"{work}/!{component}", work),
                             ("FRBRExpression", f"{expression}/!{component}", expression),
                             ("FRBRManifestation", f"{expression}/!{component}.xml",
                              f"{expression}.xml")):
        frbr = _sub(identification, level)
        _sub(frbr, "FRBRthis", value=this)
        _sub(frbr, "FRBRuri", value=uri)
        _sub(frbr, "FRBRdate", date=date.isoformat(), name=date_name)
        _sub(frbr, "FRBRauthor", href=author if level != "FRBRManifestation" else f"#{AKN_PARSER}")
        if level == "FRBRWork":
            _sub(frbr, "FRBRcountry", value=AKN_COUNTRY)
            if notice is not None and notice.meta.doc_number is not None:
                _sub(frbr, "FRBRnumber", value=_xml_safe(notice.meta.doc_number.raw))
            if notice is not None and notice.meta.plan_title:
                _sub(frbr, "FRBRname", value=_xml_safe(notice.meta.plan_title))
        elif level == "FRBRExpression":
            _sub(frbr, "FRBRlanguage", language=AKN_LANGUAGE)


def _akn_preface(doc: etree._Element, notice: Notice) -> None:
    """The cover notice (GB/T 9704 front matter) and the plan's title."""
    meta = notice.meta
    preface = etree.Element(_akn("preface"))
    if meta.issuer_mark:
        _inline(preface, "docAuthority", meta.issuer_mark, class_="issuerMark")
    if meta.doc_number is not None:
        _inline(preface, "docNumber", meta.doc_number.raw, class_="docNumber")
    if meta.title:
        _inline(_sub(preface, "longTitle"), "docTitle", meta.title)
    if meta.recipients:
        recipients = _sub(preface, "container", name="recipients")
        for recipient in meta.recipients:
            _sub(recipients, "p", recipient)
    for name, text in (("coverText", meta.cover_text), ("signature", meta.signatory)):
        if text:
            _paragraphs(_sub(preface, "container", name=name), text)
    if meta.date is not None:
        date_p = _sub(preface, "p", class_="date")
        date_p.text = ""  # as in _inline
        _sub(date_p, "docDate", f"{meta.date.year}年{meta.date.month}月{meta.date.day}日",
             date=meta.date.isoformat())
    for name, text in (("annotation", meta.annotation), ("attachmentNote", meta.attachment_note)):
        if text:
            _paragraphs(_sub(preface, "container", name=name), text)
    if meta.plan_title:
        _inline(preface, "docTitle", meta.plan_title, class_="planTitle")
    if len(preface):
        doc.append(preface)


def _akn_main_body(doc: etree._Element, notice: Notice) -> None:
    body = _sub(doc, "mainBody")
    if notice.goals or notice.goals_intro is not None:
        goals = _sub(body, "hcontainer", name="goals", eId="goals")
        if notice.goals_intro is not None:
            _paragraphs(_sub(goals, "intro"), notice.goals_intro.text)
        for goal in notice.goals:
            element = _sub(goals, "hcontainer", name="goal", eId=goal.id)
            if goal.area:
                _sub(element, "heading", goal.area)
            _paragraphs(_sub(element, "content"), goal.text)
    for chapter in notice.chapters:
        _akn_chapter(body, chapter)
    if not len(body):
        _sub(body, "p")  # the schema wants content; this notice has none in its body


def _akn_chapter(body: etree._Element, chapter: Chapter) -> None:
    element = _sub(body, "chapter", eId=chapter.id)
    _num_heading(element, f"{chapter.numeral}、" if chapter.numeral else None, chapter.title)
    section_elements: dict[int, etree._Element] = {}
    if chapter.text:
        _paragraphs(_sub(element, "intro"), chapter.text)
    parts: list[Section | Item] = [*chapter.sections, *chapter.items]
    for part in sorted(parts, key=lambda part: part.span.start):  # document order
        if isinstance(part, Section):
            section_elements[part.no] = _akn_section(element, part)
        elif part.section_no in section_elements:
            _akn_item(section_elements[part.section_no], part)
        else:
            _akn_item(element, part)
    for section_element in section_elements.values():
        if section_element.find(_akn("hcontainer")) is None:
            _to_content(section_element)
    if not chapter.sections and not chapter.items:
        _to_content(element)


def _akn_section(chapter: etree._Element, section: Section) -> etree._Element:
    element = _sub(chapter, "section", eId=section.id)
    _num_heading(element, f"（{section.numeral}）" if section.numeral else None, section.title)
    if section.text:
        _paragraphs(_sub(element, "intro"), section.text)
    return element


def _akn_item(parent: etree._Element, item: Item) -> None:
    element = _sub(parent, "hcontainer", name="item", eId=item.id)
    _num_heading(element, f"{item.no}.", item.title)
    rest = item.text
    if item.title and rest.startswith(item.title):
        rest = rest[len(item.title):].lstrip("。").strip()  # the heading is the lead sentence
    _paragraphs(_sub(element, "content"), rest)


def _to_content(element: etree._Element) -> None:
    """A container without sub-containers holds `content`, not `intro`."""
    intro = element.find(_akn("intro"))
    if intro is not None:
        intro.tag = _akn("content")
    else:
        _sub(element, "content").append(etree.Element(_akn("p")))


def _num_heading(element: etree._Element, num: str | None, heading: str | None) -> None:
    if num:
        _sub(element, "num", num)
    if heading:
        _sub(element, "heading", heading)


def _paragraphs(parent: etree._Element, text: str) -> None:
    """One `p` per line of `text`; an empty `p` when there is none (blocks are required)."""
    lines = [line for line in text.split("\n") if line.strip()] or [""]
    for line in lines:
        _sub(parent, "p", line)


def _akn_attachment(attachments: etree._Element, appendix: Appendix, work: str, date: dt.date,
                    date_name: str) -> None:
    attachment = _sub(attachments, "attachment", eId=appendix.id)
    doc = _sub(attachment, "doc", name=AKN_ATTACHMENT_NAME)
    _identification(_sub(doc, "meta"), None, work, appendix.id, date, date_name)
    if appendix.title:
        _inline(_sub(_sub(doc, "preface"), "longTitle"), "docTitle", appendix.title)
    body = _sub(doc, "mainBody")
    for lst in appendix.lists:
        element = _sub(body, "list", eId=lst.id)
        heading = lst.title
        if heading and lst.declared_count is not None:
            heading = f"{heading}（{lst.declared_count}项）"
        _num_heading(element, f"{lst.numeral}、" if lst.numeral else None, heading)
        for entry in lst.items:
            point = _sub(element, "point", eId=entry.id)
            _sub(point, "num", f"{entry.no}.")
            _paragraphs(_sub(point, "content"), entry.text)
        if not lst.items:
            _to_content(element)
    if not len(body):
        _sub(body, "p")


def _dedupe_eids(root: etree._Element) -> None:
    """eIds must be unique; a notice with a repeated item number repeats an id, so later
    copies get `__dup_2`, `__dup_3`, …"""
    seen: dict[str, int] = {}
    for element in root.iter():
        eid = element.get("eId")
        if eid is None:
            continue
        seen[eid] = seen.get(eid, 0) + 1
        if seen[eid] > 1:
            element.set("eId", f"{eid}__dup_{seen[eid]}")
