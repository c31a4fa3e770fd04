"""Targets and quantities: the sample against a hand-made list, the fragments against their
gold annotations, and the genre's phrasings as cases."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, corpus_file
from zhenv_parse import Notice, parse
from zhenv_parse.quality import score

EXPECTED = json.loads((Path(__file__).parent / "data" / "zj-2023.targets.json").read_text("utf-8"))
GOLD_COMPARATORS = {">=": "ge", "<=": "le", "<": "lt", ">": "gt", "=": "eq"}


def test_sample_targets_and_quantities_match_the_hand_made_list(sample_notice: Notice) -> None:
    targets, quantities = score(sample_notice, EXPECTED)
    assert (targets.precision, targets.recall) == (1.0, 1.0)
    assert quantities.precision >= 0.95 and quantities.recall >= 0.95


def test_target_details(sample_notice: Notice, sample_text: str) -> None:
    first = sample_notice.goals[0].targets[0]
    assert first.id == "goal_1__target_1"
    assert (first.value_raw, first.unit_raw) == ("26", "微克/立方米")
    assert sample_text[first.span.start:first.span.end] == first.raw
    assert first.raw == "设区城市 PM_{2.5} 平均浓度低于 26 微克/立方米"
    share = sample_notice.goals[4].targets[0]
    assert sample_text[share.span.start:share.span.end].endswith("60% 以上")  # across a page break


def test_quantity_details(sample_notice: Notice, sample_text: str) -> None:
    items = {item.no: item for item in sample_notice.items}
    tonnes = items[12].quantities[1]
    assert (tonnes.value, tonnes.value_raw, tonnes.unit) == (20000, "2万", "吨")
    assert sample_text[tonnes.span.start:tonnes.span.end] == "达到 2 万吨以上"
    rate = items[12].quantities[2]
    assert rate.aspirational and rate.unit == "吨/年"
    assert items[13].quantities[0].value == 15000
    assert items[26].quantities[0].approximate
    for item in sample_notice.items:
        for quantity in item.quantities:
            assert quantity.id.startswith(item.id + "__qty_")
            assert item.span.start <= quantity.span.start < quantity.span.end <= item.span.end


def test_names_years_and_ordinals_are_not_numbers(sample_notice: Notice) -> None:
    values = {q.value for item in sample_notice.items for q in item.quantities}
    texts = " ".join(q.text for item in sample_notice.items for q in item.quantities)
    for name in ("十四五", "811", "1+N", "1+6+20", "2023", "5.22", "七批", "二轮", "5G", "2.5"):
        assert name not in texts
    assert 2023 not in values and 811 not in values


@pytest.mark.parametrize("name", ["zj-2021-fragment", "city-2022-air-fragment"])
def test_fragment_targets_match_gold(name: str) -> None:
    gold = json.loads(corpus_file(f"{name}.gold.json").read_text(encoding="utf-8"))
    notice = parse(corpus_file(f"{name}.txt"))
    found = [(t.text, t.metric, t.scope, t.comparator, t.value, t.unit)
             for g in notice.goals for t in g.targets if t.kind != "qualitative"]
    expected = [(t["text"], t["metric"], t["scope"], GOLD_COMPARATORS[t["comparator"]], t["value"],
                 t["unit"]) for t in gold["targets"]]
    assert found == expected


GENRE_CASES = [
    # (goal bullet, kind, scope, metric, comparator, value, unit)
    ("——大气方面。设区城市PM2.5平均浓度控制在25微克/立方米以内。", "level", "设区城市", "PM2.5平均浓度", "le", 25, "微克/立方米"),
    ("——水方面。国控断面Ⅲ类以上水质比例达到96.2%。", "level", "国控断面", "Ⅲ类以上水质比例", "ge", 96.2, "%"),
    ("——土壤方面。受污染耕地安全利用率不低于93%。", "level", "受污染耕地", "安全利用率", "ge", 93, "%"),
    ("——减排方面。全省化学需氧量排放量较2020年下降8%以上。", "change", "全省", "化学需氧量排放量", "ge", 8, "%"),
    ("——噪声方面。全省功能区声环境质量夜间达标率力争达到85%。", "level", "全省", "功能区声环境质量夜间达标率", "ge", 85, "%"),
    ("——固废方面。全省新增危险废物利用处置能力超过三万吨。", "level", "全省", "新增危险废物利用处置能力", "gt", 30000, "吨"),
]


@pytest.mark.parametrize("bullet, kind, scope, metric, comparator, value, unit", GENRE_CASES)
def test_genre_phrasings(bullet: str, kind: str, scope: str, metric: str, comparator: str,
                         value: float, unit: str) -> None:
    text = f"2024年全省生态环境保护工作要点\n2024年生态环境主要目标是：\n{bullet}\n一、总体要求\n1.加强统筹。\n"
    target = parse(text).goals[0].targets[0]
    assert (target.kind, target.scope, target.metric, target.comparator, target.value,
            target.unit) == (kind, scope, metric, comparator, value, unit)


def test_deadline_becomes_a_date_in_the_plan_year() -> None:
    text = ("2023年全省生态环境保护工作要点\n一、深入打好蓝天保卫战\n"
            "1.全力保障亚运会环境质量。8月底前完成整治项目200个。力争年底前新增站点二十个。\n")
    quantities = parse(text).items[0].quantities
    assert [(q.value, q.deadline) for q in quantities] == [
        (200, dt.date(2023, 8, 31)), (20, dt.date(2023, 12, 31))]
    assert quantities[1].aspirational


DEADLINE_CASES = [
    # (item sentence, [(value, deadline month or None)])
    ("比例达到90%以上，6月底前完成100个入河排污口整治。", [(90, None), (100, 6)]),
    ("年底前，完成码头改造10个、船舶改造20艘。", [(10, 12), (20, 12)]),
    ("6月底前完成整治100个，全年完成300个。", [(100, 6), (300, None)]),
    ("完成入河排污口整治100个（9月底前）。", [(100, 9)]),
    ("到9月底前，新建站点5个；年内建成20个。", [(5, 9), (20, None)]),
]


@pytest.mark.parametrize("sentence, expected", DEADLINE_CASES)
def test_a_deadline_governs_its_own_clause_or_the_clauses_it_heads(
        sentence: str, expected: list[tuple[int, int | None]]) -> None:
    text = f"2023年全省生态环境保护工作要点\n一、深入打好碧水保卫战\n1.加强整治。{sentence}\n"
    quantities = parse(text).items[0].quantities
    assert [(q.value, q.deadline.month if q.deadline else None) for q in quantities] == expected


def test_sections_that_are_the_work_items_carry_their_quantities() -> None:
    """Notices that set their work as `（一）` sections with no numbered items: numbers in a
    section's text are its quantities; sections read as goals are not read twice."""
    notice = parse(Path(__file__).parent / "data" / "sections-as-items.txt")
    assert not notice.items
    found = [(s.id, [(q.value, q.unit, q.comparator) for q in s.quantities])
             for c in notice.chapters for s in c.sections]
    assert found == [
        ("chp_1__sec_1", [(32, "微克/立方米", "le"), (80, "%", "ge"), (500, "台", None)]),
        ("chp_1__sec_2", [(90, "%", "ge"), (100, "个", None)]),
        ("chp_2__sec_1", []),
    ]
    assert notice.chapters[0].sections[1].quantities[1].id == "chp_1__sec_2__qty_2"
    from zhenv_parse.tables import target_table
    assert [row["id"] for row in target_table(notice)][:2] == ["chp_1__sec_1__qty_1",
                                                              "chp_1__sec_1__qty_2"]


def test_goal_sections_are_not_read_again_for_quantities() -> None:
    notice = parse(corpus_file("city-2022-air-fragment.txt"))
    goal_chapter = notice.chapters[0]
    assert goal_chapter.sections and notice.goals
    assert not any(section.quantities for section in goal_chapter.sections)


def test_an_item_keeps_its_deadlines_with_or_without_a_number(sample_notice: Notice,
                                                                sample_text: str) -> None:
    """Item 11 of the sample: `8月底前全面完成销号` names no number, yet is a deadline."""
    item = next(i for i in sample_notice.items if i.no == 11)
    assert [(d.text, d.date) for d in item.deadlines] == [("8月底前", dt.date(2023, 8, 31))]
    span = item.deadlines[0].span
    assert sample_text[span.start:span.end] == "8月底前"
    text = ("2023年全省生态环境保护工作要点\n一、深入打好蓝天保卫战\n"
            "1.全力保障亚运会环境质量。8月底前完成整治项目200个。力争年底前新增站点二十个。\n")
    assert [(d.text, d.date.month if d.date else None) for d in parse(text).items[0].deadlines] \
        == [("8月底前", 8), ("年底前", 12)]


def test_targets_csv_command() -> None:
    result = subprocess.run([sys.executable, "-m", "zhenv_parse.cli", "targets", str(SAMPLE),
                             "--format", "csv"], capture_output=True, text=True, check=True)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    targets = [r for r in rows if r["kind"] == "target"]
    quantities = [r for r in rows if r["kind"] == "quantity"]
    assert len(targets) == 7 and len(quantities) == len(EXPECTED["quantities"])
    assert targets[0]["metric"] == "PM2.5平均浓度" and targets[0]["value"] == "26"
    assert quantities[0]["item_no"] == "2" and quantities[0]["unit"] == "个"
