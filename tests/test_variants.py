"""Variants of the sample give the same structure as the sample itself."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests import variants
from zhenv_parse import Notice, parse


def structure(notice: Notice) -> dict[str, object]:
    """What must not change between copies: meta, goals, chapters, items, appendix lists."""
    meta = notice.meta.model_dump(exclude={"spans", "doc_number"})
    doc_number = notice.meta.doc_number
    return {
        "meta": meta,
        "doc_number": doc_number.model_dump(exclude={"span"}) if doc_number else None,
        "preamble": notice.preamble.text if notice.preamble else None,
        "goals": [(g.area, g.text) for g in notice.goals],
        "chapters": [(c.numeral, c.title, [(i.no, i.title, i.text) for i in c.items])
                     for c in notice.chapters],
        "appendix": [(lst.title, lst.declared_count, [(e.no, e.text) for e in lst.items])
                     for a in notice.appendices for lst in a.lists],
        "warnings": [d.code for d in notice.diagnostics if d.level != "info"],
    }


TEXT_VARIANTS: dict[str, Callable[[str], str]] = {
    "crlf": variants.crlf,
    "full-width-digits": variants.full_width_digits,
    "page-breaks-removed": variants.page_breaks_removed,
    "extra-page-numbers": variants.extra_page_numbers,
    "markers-added": variants.markers_added,
    "hard-wrapped-with-footers": variants.hard_wrapped,
    "hard-wrapped-crlf": lambda text: variants.crlf(variants.hard_wrapped(text)),
}

BYTE_VARIANTS: dict[str, Callable[[str], bytes]] = {
    "gbk": lambda text: text.encode("gbk"),
    "gb18030-crlf": lambda text: variants.crlf(text).encode("gb18030"),
    "utf-8-bom": lambda text: text.encode("utf-8-sig"),
    "utf-16-bom": lambda text: text.encode("utf-16"),
}


@pytest.mark.parametrize("name", sorted(TEXT_VARIANTS))
def test_text_variant_has_the_same_structure(name: str, sample_text: str,
                                             sample_notice: Notice) -> None:
    variant = TEXT_VARIANTS[name](sample_text)
    assert variant != sample_text
    notice = parse(variant)
    assert structure(notice) == structure(sample_notice)
    for item in notice.items:  # spans still point into the variant's own text
        assert variant[item.span.start:item.span.end] == item.raw


@pytest.mark.parametrize("name", sorted(BYTE_VARIANTS))
def test_encoded_variant_has_the_same_structure(name: str, sample_text: str,
                                                sample_notice: Notice, tmp_path) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(BYTE_VARIANTS[name](sample_text))
    notice = parse(path)
    assert structure(notice) == structure(sample_notice)
    assert notice.source.encoding is not None


def test_hard_wrap_really_wraps(sample_text: str) -> None:
    wrapped = variants.hard_wrapped(sample_text)
    lines = [line for line in wrapped.split("\n") if line.strip()]
    assert len(lines) > 350 and "\f" in wrapped
    # Wrapped lines that start with a number are not items: `20周年`, `5万台`-like starts.
    notice = parse(wrapped)
    assert [i.no for i in notice.items] == list(range(1, 34))


def test_wrapped_line_starting_with_a_number_is_not_an_item() -> None:
    text = ("一、深入推进美丽浙江建设\n1.打造重要窗口。紧扣“八八战略”实施\n20 周年，认真筹办论坛，淘汰老旧机械 1.\n"
            "5 万台。\n2.全面加强生物多样性保护。结合框架内容。\n")
    notice = parse(text)
    assert [i.no for i in notice.items] == [1, 2]
    assert "实施20周年" in notice.items[0].text
