"""Read a saved notice back: :func:`load` takes the JSON of :meth:`Notice.to_json` or the XML
of :func:`zhenv_parse.xml_export.to_xml` and returns an equal :class:`Notice`.

XML is untrusted input here. It is parsed without a DTD, with entities left unresolved, with
no file or network access and within libxml2's default size limits; a document that declares
a DTD is refused before the parser sees it. Every failure is a
:class:`~zhenv_parse.errors.LoadError` subclass.
"""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path
from typing import Any

from lxml import etree
from pydantic import ValidationError

from .errors import (
    InvalidNoticeError,
    LoadError,
    MalformedInputError,
    UnsafeXMLError,
    WrongVocabularyError,
)
from .model import Notice
from .readers import read_file
from .xml_export import (
    ESCAPED_ATTRIBUTE,
    MAP_KEY_ATTRIBUTE,
    NAMESPACE,
    ROOT_TAG,
    SPAN_ATTRIBUTES,
    TEXT_MAP_KEY_TAG,
    TEXT_MAP_VALUE_TAG,
    FieldPlan,
    Kind,
    ModelPlan,
    clark,
    plan_for,
    unescape_text,
)

#: Largest input accepted, in bytes; the sample's XML is under 100 kB.
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: Refused anywhere in XML input: a notice never has a DTD, and a DTD is how entity bombs
#: and external entities get in.
DTD_MARK = b"<!DOCTYPE"
#: Byte-order marks of encodings that are decoded here before the XML parser sees them.
WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
             (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: libxml2 error raised when a limit (depth, text size, amplification) is hit.
RESOURCE_LIMIT_ERROR = etree.ErrorTypes.ERR_RESOURCE_LIMIT
#: Namespace of Akoma Ntoso 3.0, named in the error when someone loads an AKN export.
AKN_NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_WHITESPACE = b" \t\r\n"
_TEXT_LEAD = "\ufeff \t\r\n"


def load(source: str | bytes | os.PathLike[str]) -> Notice:
    """Load a notice from a path, or from JSON or XML given as bytes or a string.

    A string that starts (after whitespace) with `<` or `{` is the document itself; any other
    string is a path. The format is told from the content, never from a file name.
    """
    if isinstance(source, bytes):
        return load_bytes(source)
    if isinstance(source, str) and source.lstrip(_TEXT_LEAD)[:1] in ("<", "{"):
        # Already decoded: whatever encoding an XML declaration names no longer applies.
        return load_bytes(source.encode("utf-8", "surrogatepass"), encoding="utf-8")
    path = Path(source)
    return load_bytes(_read_file(path), path=str(path))


def _read_file(path: Path) -> bytes:
    try:
        too_large = path.stat().st_size > MAX_INPUT_BYTES
    except OSError:
        too_large = False  # read_file says why the file cannot be read
    if too_large:
        raise UnsafeXMLError(f"larger than {MAX_INPUT_BYTES} bytes", path=str(path))
    return read_file(path)


def load_bytes(data: bytes, *, path: str | None = None, encoding: str | None = None) -> Notice:
    """Load a notice from the bytes of its JSON or XML; `encoding` overrides the XML's own.
    `path` is only named in errors."""
    try:
        return _load_bytes(data, encoding)
    except LoadError as error:
        if path is None:
            raise
        raise type(error)(str(error), path=path) from None


def _load_bytes(data: bytes, encoding: str | None) -> Notice:
    if len(data) > MAX_INPUT_BYTES:
        raise UnsafeXMLError(f"larger than {MAX_INPUT_BYTES} bytes")
    for bom, bom_encoding in WIDE_BOMS:
        if data.startswith(bom):
            data, encoding = _reencode(data, bom_encoding), "utf-8"
            break
    head = data.removeprefix(codecs.BOM_UTF8).lstrip(_WHITESPACE)[:1]
    if head == b"{":
        return _load_json(data.removeprefix(codecs.BOM_UTF8))
    if head == b"<":
        return _load_xml(data, encoding)
    if not head:
        raise MalformedInputError("input is empty")
    raise MalformedInputError("neither JSON nor XML (expected `{` or `<` first)")


def _reencode(data: bytes, encoding: str) -> bytes:
    """UTF-16/32 → UTF-8, so that the DTD check and the JSON parser see ASCII bytes."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise MalformedInputError(f"bad {encoding}: {error.reason}") from None
    return text.encode("utf-8", "surrogatepass")


# --- JSON --------------------------------------------------------------------------------------

def _load_json(data: bytes) -> Notice:
    try:
        return Notice.model_validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] == "json_invalid":
            raise MalformedInputError(f"not well-formed JSON: {first['msg']}") from None
        if not _looks_like_notice_json(data):
            raise WrongVocabularyError("JSON, but not a zhenv-parse notice (no `source` and "
                                       "`schema_version` at the top)") from None
        raise InvalidNoticeError(_describe(error)) from None


def _looks_like_notice_json(data: bytes) -> bool:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return False
    return isinstance(document, dict) and {"source", "schema_version"} <= document.keys()


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "notice"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


# --- XML ---------------------------------------------------------------------------------------

class _RefuseAll(etree.Resolver):
    """Consulted before libxml2 loads any DTD or entity: refuses, so nothing outside the
    input is ever opened, whatever the parser options."""

    def resolve(self, system_url: str, public_id: str,  # type: ignore[override]
                context: object) -> None:  # the stubs omit `context`, which lxml passes
        raise UnsafeXMLError(f"refused to load {system_url!r}: only the input is read")


def _parser(encoding: str | None) -> etree.XMLParser:
    """A parser that reads nothing but its input and keeps libxml2's size limits. (Leave
    `collect_ids` alone: turning it off makes libxml2 load an external DTD.)"""
    parser = etree.XMLParser(encoding=encoding, resolve_entities=False, load_dtd=False,
                             dtd_validation=False, no_network=True, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    parser.resolvers.add(_RefuseAll())
    return parser


def _load_xml(data: bytes, encoding: str | None) -> Notice:
    if DTD_MARK in data:
        raise UnsafeXMLError("XML with a DTD (<!DOCTYPE …>) is refused: a notice has none, "
                             "and entities are never expanded")
    try:
        root = etree.fromstring(data, _parser(encoding))
    except etree.XMLSyntaxError as error:
        if getattr(error, "code", None) == RESOURCE_LIMIT_ERROR:  # `code`: missing in the stubs
            raise UnsafeXMLError(f"beyond the parser's limits: {error.msg}") from None
        raise MalformedInputError(f"not well-formed XML: {error.msg}") from None
    if getattr(root.getroottree().docinfo, "doctype", ""):  # defence in depth, after the byte check
        raise UnsafeXMLError("XML with a DTD is refused")
    _check_root(root)
    data_dict = _read_model(root, plan_for(Notice))
    try:
        return Notice.model_validate(data_dict)
    except ValidationError as error:
        raise InvalidNoticeError(_describe(error)) from None


def _check_root(root: etree._Element) -> None:
    if root.tag == clark(ROOT_TAG):
        return
    found = etree.QName(root)
    if found.namespace == AKN_NAMESPACE:
        raise WrongVocabularyError("this is Akoma Ntoso; `load` reads the project's own XML "
                                   "(`--format xml`) or JSON")
    raise WrongVocabularyError(f"root element is <{found.localname}> in namespace "
                               f"{found.namespace or '(none)'}, expected <{ROOT_TAG}> in "
                               f"{NAMESPACE}")


def _invalid(element: etree._Element, message: str) -> InvalidNoticeError:
    return InvalidNoticeError(f"line {element.sourceline}: <{etree.QName(element).localname}>: "
                              f"{message}")


def _read_model(element: etree._Element, plan: ModelPlan) -> dict[str, Any]:
    data = _read_attributes(element, plan)
    _no_stray_text(element)
    for child in element:
        field = plan.by_tag.get(child.tag)
        if field is None:
            raise _invalid(child, f"unexpected element in <{etree.QName(element).localname}>")
        if field.name in data:
            raise _invalid(child, "appears twice")
        data[field.name] = _read_field(child, field)
    return data


def _read_attributes(element: etree._Element, plan: ModelPlan) -> dict[str, Any]:
    attributes = element.attrib
    unknown = set(attributes) - plan.attribute_names
    if unknown:
        raise _invalid(element, f"unexpected attribute {min(unknown)!r}")
    data: dict[str, Any] = {}
    for field in plan.attributes:
        if field.kind is Kind.SPAN:
            if "start" in attributes or "end" in attributes:
                data[field.name] = _read_span(element)
            continue
        text = attributes.get(field.name)
        if text is not None:
            assert field.codec is not None
            try:
                data[field.name] = field.codec.parse(text)
            except ValueError as error:
                raise _invalid(element, f"attribute {field.name!r}: {error}") from None
    return data


def _read_span(element: etree._Element) -> dict[str, Any]:
    span: dict[str, Any] = {}
    for name in SPAN_ATTRIBUTES:
        text = element.get(name)
        if text is not None:
            span[name] = text  # pydantic checks the integers
    return span


def _read_field(element: etree._Element, field: FieldPlan) -> Any:
    if field.kind is Kind.TEXT:
        return _read_text(element)
    if field.kind is Kind.MODEL:
        assert field.model is not None
        return _read_model(element, plan_for(field.model))
    _no_stray_text(element)
    entries = list(element)
    for entry in entries:
        if entry.tag != field.item_tag:
            raise _invalid(entry, f"unexpected element in <{field.name}>")
    if field.kind is Kind.MODEL_LIST:
        assert field.model is not None
        return [_read_model(entry, plan_for(field.model)) for entry in entries]
    if field.kind is Kind.TEXT_LIST:
        return [_read_text(entry) for entry in entries]
    if field.kind is Kind.TEXT_MAP:
        return dict(_read_text_pair(entry) for entry in entries)
    return {_required(entry, MAP_KEY_ATTRIBUTE): _read_span(entry) for entry in entries}


def _read_text_pair(element: etree._Element) -> tuple[str, str]:
    _no_stray_text(element)
    key = element.find(clark(TEXT_MAP_KEY_TAG))
    value = element.find(clark(TEXT_MAP_VALUE_TAG))
    if key is None or value is None or len(element) != 2:
        raise _invalid(element, f"expects <{TEXT_MAP_KEY_TAG}> and <{TEXT_MAP_VALUE_TAG}>")
    return _read_text(key), _read_text(value)


def _required(element: etree._Element, attribute: str) -> str:
    value = element.get(attribute)
    if value is None:
        raise _invalid(element, f"attribute {attribute!r} is missing")
    return value


def _read_text(element: etree._Element) -> str:
    if len(element):
        raise _invalid(element[0], "unexpected element inside text")
    if set(element.attrib) - {ESCAPED_ATTRIBUTE}:
        raise _invalid(element, "unexpected attribute on text")
    text = element.text or ""
    return unescape_text(text) if element.get(ESCAPED_ATTRIBUTE) in ("true", "1") else text


def _no_stray_text(element: etree._Element) -> None:
    """Structural elements hold only indentation between their children."""
    if element.text and element.text.strip():
        raise _invalid(element, "unexpected text")
    for child in element:
        if child.tail and child.tail.strip():
            raise _invalid(child, "unexpected text after it")
