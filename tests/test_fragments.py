"""The real fragments in ../shared/corpus, against their hand annotations (*.gold.json)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import corpus_file
from zhenv_parse import parse


@pytest.mark.parametrize("name", ["zj-2021-fragment", "city-2022-air-fragment"])
def test_fragment_matches_its_gold_structure(name: str) -> None:
    gold = json.loads(corpus_file(f"{name}.gold.json").read_text(encoding="utf-8"))
    notice = parse(corpus_file(f"{name}.txt"))
    assert [(c.no, c.title) for c in notice.chapters] == [
        (c["no"], c["title"]) for c in gold["chapters"]]
    items = [(c.no, i.no, i.title) for c in notice.chapters for i in c.items]
    assert items == [(i["chapter"], i["no"], i["title"]) for i in gold["items"]]
    assert notice.meta.plan_year == gold["year"]
    assert notice.meta.issuer == gold["issuer"]
    assert notice.meta.doc_number is None
    # The copy stops at [[GAP]]: reported, nothing invented after it.
    assert notice.source.complete is False
    assert "incomplete-document" in [d.code for d in notice.diagnostics]


def test_2021_front_matter_and_inline_goals() -> None:
    notice = parse(corpus_file("zj-2021-fragment.txt"))
    meta = notice.meta
    assert meta.title == "浙江省生态环境厅关于印发2021年全省生态环境保护工作要点的通知"
    assert meta.recipients == ["各设区市生态环境局", "县(市、区)生态环境分局"]
    assert str(meta.date) == "2021-03-02" and meta.annotation == "(此件公开发布)"
    assert meta.plan_title == "2021年全省生态环境保护工作要点"
    assert len(notice.goals) == 1 and notice.goals[0].text.startswith("环境质量持续改善;")


def test_city_sections_and_goals_chapter() -> None:
    gold = json.loads(corpus_file("city-2022-air-fragment.gold.json").read_text(encoding="utf-8"))
    notice = parse(corpus_file("city-2022-air-fragment.txt"))
    sections = [(c.no, s.no, s.title) for c in notice.chapters for s in c.sections]
    assert sections == [(s["chapter"], s["no"], s["title"]) for s in gold["sections"]]
    assert [g.area for g in notice.goals] == ["空气质量改善目标", "主要大气污染物减排目标"]
    assert all(item.section_no == 1 for item in notice.chapters[1].items)
