"""The JSON contract: schema committed and matching, deterministic bytes, round trip."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema

from zhenv_parse import Notice, parse
from zhenv_parse.schema import MODEL_DOC_PATH, SCHEMA_PATH, model_markdown, notice_schema_text
from tests.conftest import SAMPLE

#: Key names downstream code relies on (issue contract), as dotted paths into the JSON.
CONTRACT_KEYS = {
    "meta": ["issuer", "doc_number", "title", "recipients", "signatory", "date", "plan_year"],
    "meta.doc_number": ["raw", "agency_code", "year", "serial"],
    "goals.0": ["area", "text", "targets", "span"],
    "chapters.0": ["no", "numeral", "title", "items", "span"],
    "chapters.0.items.0": ["no", "title", "text", "quantities", "span"],
    "appendices.0": ["title", "lists"],
    "appendices.0.lists.0": ["no", "title", "declared_count", "items"],
    "appendices.0.lists.0.items.0": ["no", "text", "span"],
    "diagnostics.0": ["level", "code", "message", "span"],
    "chapters.0.items.0.span": ["start", "end"],
}


def test_committed_schema_is_generated_from_the_model() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == notice_schema_text(), (
        "run `python -m zhenv_parse.schema --write`")


def test_model_reference_is_generated_from_the_model() -> None:
    assert MODEL_DOC_PATH.read_text(encoding="utf-8") == model_markdown(), (
        "run `python -m zhenv_parse.schema --write`")


def test_export_validates_against_the_schema_and_keeps_the_contract(sample_notice: Notice) -> None:
    data = json.loads(sample_notice.to_json())
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    for path, keys in CONTRACT_KEYS.items():
        node = data
        for part in path.split("."):
            node = node[int(part)] if part.isdigit() else node[part]
        assert set(keys) <= set(node), path
    assert data["meta"]["date"] == "2023-03-23"


def test_json_is_deterministic_utf8_and_round_trips(sample_notice: Notice) -> None:
    first, second = parse(SAMPLE).to_json(), parse(SAMPLE).to_json()
    assert first == second
    assert "浙环发〔2023〕1号" in first and "\\u" not in first
    assert Notice.from_json(first) == sample_notice
    assert Notice.from_json(first.encode("utf-8")).to_json() == first


def test_cli_prints_the_json(tmp_path) -> None:
    out = tmp_path / "out" / "zj.json"
    result = subprocess.run([sys.executable, "-m", "zhenv_parse.cli", "parse", str(SAMPLE),
                             "-o", str(out)], capture_output=True, text=True, check=True)
    assert result.stdout == ""
    assert Notice.from_json(out.read_bytes()).meta.doc_number is not None
    listing = [p.name for p in out.parent.iterdir()]
    assert listing == ["zj.json"]  # no temporary file left behind


def test_help_does_not_import_heavy_modules() -> None:
    code = ("import sys; from zhenv_parse.cli import main\n"
            "try: main(['--help'])\nexcept SystemExit: pass\n"
            "heavy = [m for m in ('jieba', 'pdfplumber', 'cn2an', 'lxml', 'pydantic') if m in sys.modules]\n"
            "print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("[]")
