"""Shared fixtures: the reference sample and the corpus in ../shared (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from zhenv_parse import Notice, parse

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "zj-2023.txt"
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_file(name: str) -> Path:
    """A file of ../shared/corpus, or a skip when this machine does not have it."""
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    return path


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_notice() -> Notice:
    return parse(SAMPLE)


def validated(schema: etree.XMLSchema, data: bytes, against: str) -> etree._Element:
    """The parsed document, or a test failure naming the schema and what it rejects."""
    root = etree.fromstring(data)
    if not schema.validate(root):
        pytest.fail(f"not valid against {against}: {schema.error_log}")
    return root
