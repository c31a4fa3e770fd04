"""Diffing two years' plans: a scripted next-year version of the sample, with the expected
diff written by hand (tests/data/diff_next_year.expected.json), plus the rules of judging."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import regex
from click.testing import CliRunner

from tests.conftest import ROOT, SAMPLE, corpus_file
from zhenv_parse import Notice, parse
from zhenv_parse.cli import main
from zhenv_parse.differ import (
    Bound,
    DiffInputError,
    SchemaVersionError,
    diff,
    judge,
    timeline,
)
from zhenv_parse.model import NoticeDiff, Span, Target

EXPECTED = json.loads((ROOT / "tests" / "data" / "diff_next_year.expected.json")
                      .read_text(encoding="utf-8"))
DIFF_SCHEMA = ROOT / "schemas" / "notice_diff.schema.json"

# ---------------------------------------------------------------------------
# The scripted next year: edits of the sample's text, each one checked to apply once
# ---------------------------------------------------------------------------

NEW_ITEM = ("24.强化固体废物进口监管。严厉打击洋垃圾走私，开展固体废物跨省非法转移专项检查，"
            "完善全省固体废物监管信息平台，实现产生、转移、利用、处置全过程留痕。\n\n")
#: (old, new) replacements of the front matter, the goals, and reworded items.
REPLACEMENTS: list[tuple[str, str]] = [
    ("浙环发〔2023〕1号", "浙环发〔2024〕2号"),
    ("2023年3月23日", "2024年3月12日"),
    ("关于印发 2023年全省", "关于印发 2024年全省"),
    ("《2023年全省生态环境保护工作要点》已经", "《2024年全省生态环境保护工作要点》已经"),
    ("\n2023 年全省生态环境保护工作要点\n", "\n2024 年全省生态环境保护工作要点\n"),
    ("低于 26 微克", "低于 25 微克"),
    ("高于 92%，中度污染天数同比减少 20%。", "高于 90%。"),
    ("达到 94% 以上", "达到 95% 以上"),
    ("安全利用率高于 95%。", "安全利用率达到 95% 以上，受污染耕地安全利用率达到 93% 以上。"),
    ("实施1000个工业废气治气项目。", "实施800个工业废气治气项目，推进涂装行业低VOCs原辅材料替代。"),
    ("16.切实保障饮用水水源安全", "16.全力保障饮用水水源安全"),
    ("三、全力助推经济稳进提质", "三、全力服务经济高质量发展"),
    ("\n1.《浙江省土壤污染防治条例》\n\n2.《浙江省海洋", "\n2.《浙江省海洋"),
    ("建设运行维护管理办法》\n", "建设运行维护管理办法》\n\n9.《浙江省大气污染防治条例（修订）》\n"),
    ("举办或参加的重要会议（5项）", "举办或参加的重要会议（6项）"),
    ("“无废亚运”高峰论坛\n", "“无废亚运”高峰论坛\n- 6.全省生态环境保护工作会议\n"),
]


def _once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"edit does not apply exactly once: {old!r}"
    return text.replace(old, new)


def _cut(text: str, start: str, end: str) -> tuple[str, str]:
    """Remove text[start:end) (markers as strings) and return (rest, removed)."""
    i, j = text.index(start), text.index(end)
    return text[:i] + text[j:], text[i:j]


def _renumber(body: str) -> str:
    """Number items 1, 2, … and chapters 一, 二, … in document order, as a new year would."""
    counter = iter(range(1, 100))
    body = regex.sub(r"(?m)^\d{1,2}(?=[.．])", lambda _: str(next(counter)), body)
    numerals = iter("一二三四五六七八九十")
    return regex.sub(r"(?m)^[一二三四五六七八九十]{1,2}(?=、)", lambda _: next(numerals), body)


def next_year(text: str) -> str:
    """The sample as next year's plan: see tests/data/diff_next_year.expected.json."""
    for old, new in REPLACEMENTS:
        text = _once(text, old, new)
    text, _ = _cut(text, "3.扎实推进共富大美建设", "4.持续推进示范创建")
    text, moved_item = _cut(text, "22.推动新污染物治理开好局", "23.切实加大塑料污染")
    text = _once(text, "七、扎实抓好清废治新治塑", moved_item + "七、扎实抓好清废治新治塑")
    text = _once(text, "八、切实维护生态环境秩序", NEW_ITEM + "八、切实维护生态环境秩序")
    text, last_chapter = _cut(text, "十、纵深推进生态环保铁军队伍建设", "附件：《2023年")
    text = _once(text, "一、深入推进美丽浙江建设", last_chapter + "一、深入推进美丽浙江建设")
    start, end = text.index(last_chapter), text.index("附件：《2023年")
    return text[:start] + _renumber(text[start:end]) + text[end:]


@pytest.fixture(scope="module")
def pair(sample_text: str) -> tuple[Notice, Notice]:
    return parse(SAMPLE), parse(next_year(sample_text))


@pytest.fixture(scope="module")
def result(pair: tuple[Notice, Notice]) -> NoticeDiff:
    return diff(*pair)


def _title_key(row: Any) -> tuple[str | None, str | None]:
    return row.old_title, row.new_title


def _text(value: Any) -> str | None:
    return value.text if value is not None else None


def assert_each_row_once(result: NoticeDiff, old: Notice, new: Notice) -> None:
    """Every item, chapter, target and appendix entry of either year is in exactly one row."""
    for attr, rows, ids in (
        ("items", result.items, lambda n: [i.id for i in n.items]),
        ("chapters", result.chapters, lambda n: [c.no for c in n.chapters]),
    ):
        old_key, new_key = ("old_id", "new_id") if attr == "items" else ("old_no", "new_no")
        assert sorted(getattr(r, old_key) for r in rows if getattr(r, old_key) is not None) \
            == sorted(ids(old)), attr
        assert sorted(getattr(r, new_key) for r in rows if getattr(r, new_key) is not None) \
            == sorted(ids(new)), attr
    targets = lambda n: sorted(t.id for g in n.goals for t in g.targets)  # noqa: E731
    assert sorted(r.old_id for r in result.targets if r.old_id) == targets(old)
    assert sorted(r.new_id for r in result.targets if r.new_id) == targets(new)
    entries = lambda n: sorted(e.text for a in n.appendices for lst in a.lists  # noqa: E731
                               for e in lst.items)
    assert sorted(e for r in result.appendix for e in r.removed + r.unchanged) == entries(old)
    assert sorted(e for r in result.appendix for e in r.added + r.unchanged) == entries(new)


# ---------------------------------------------------------------------------
# The scripted pair against the hand-written expectation
# ---------------------------------------------------------------------------


def test_next_year_parses_as_edited(pair: tuple[Notice, Notice]) -> None:
    old, new = pair
    assert len(new.chapters) == EXPECTED["chapter_count"]["new"] == len(old.chapters)
    assert [i.no for i in new.items] == list(range(1, EXPECTED["item_count"]["new"] + 1))
    assert new.chapters[0].title == "纵深推进生态环保铁军队伍建设"


def test_chapters(result: NoticeDiff) -> None:
    changed = {_title_key(r): (r.old_no, r.new_no, r.status)
               for r in result.chapters if r.status != "unchanged"}
    assert changed == {(e["old_title"], e["new_title"]): (e["old_no"], e["new_no"], e["status"])
                       for e in EXPECTED["chapters"]}
    # Renumbering alone (三 → 四 after the move) is not a change.
    unchanged = [r for r in result.chapters if r.status == "unchanged"]
    assert len(unchanged) == 8 and any(r.old_no != r.new_no for r in unchanged)


def test_items(result: NoticeDiff) -> None:
    changed = {_title_key(r): (r.old_no, r.new_no, r.status)
               for r in result.items if r.status != "unchanged"}
    assert changed == {(e["old_title"], e["new_title"]): (e["old_no"], e["new_no"], e["status"])
                       for e in EXPECTED["items"]}
    for row in result.items:
        if row.status == "unchanged":
            assert row.old_title == row.new_title and row.similarity is not None
            assert not row.text_changed and row.similarity > 0.9


def test_reworded_item_has_inline_word_diff(result: NoticeDiff) -> None:
    row = next(r for r in result.items if r.old_title == "开展臭氧污染防治专项攻坚")
    deleted = "".join(op.text for op in row.inline if op.op == "delete")
    inserted = "".join(op.text for op in row.inline if op.op == "insert")
    assert "1000" in deleted and "800" in inserted and "涂装" in inserted
    assert "钢铁" in "".join(op.text for op in row.inline if op.op == "equal")
    assert row.similarity is not None and 0.4 < row.similarity < 1


def test_targets(result: NoticeDiff) -> None:
    got = {(_text(r.old), _text(r.new)): r.status for r in result.targets
           if r.status != "unchanged"}
    assert got == {(e["old_text"], e["new_text"]): e["status"] for e in EXPECTED["targets"]}
    pm = next(r for r in result.targets if r.metric == "PM2.5平均浓度")
    assert pm.scope == "设区城市" and pm.old and pm.new and (pm.old.value, pm.new.value) == (26, 25)


def test_quantities(result: NoticeDiff) -> None:
    got = [(q.old_item_no, q.new_item_no, q.old.value if q.old else None,
            q.new.value if q.new else None, q.unit, q.status) for q in result.quantities]
    assert got == [(e["old_item_no"], e["new_item_no"], e["old"], e["new"], e["unit"], e["status"])
                   for e in EXPECTED["quantities"]]


def test_appendix(result: NoticeDiff) -> None:
    changed = [r for r in result.appendix if r.status != "unchanged"]
    assert [(r.title, list(r.declared_count), r.added, r.removed, r.status) for r in changed] == [
        (e["title"], e["declared_count"], e["added"], e["removed"], e["status"])
        for e in EXPECTED["appendix"]]
    assert len(result.appendix) == 6


def test_meta(result: NoticeDiff) -> None:
    assert sorted(m.field for m in result.meta) == EXPECTED["meta_changed"]
    number = next(m for m in result.meta if m.field == "doc_number")
    assert (number.old, number.new) == ("浙环发〔2023〕1号", "浙环发〔2024〕2号")


def test_every_row_once_and_summary(result: NoticeDiff, pair: tuple[Notice, Notice]) -> None:
    assert_each_row_once(result, *pair)
    assert result.summary["items"] == {"added": 1, "moved": 1, "removed": 1, "reworded": 2,
                                       "unchanged": 29}
    assert result.summary["targets"]["tightened"] == 2
    assert not [d for d in result.diagnostics if d.level != "info"]


def test_extracted_targets_were_compared(result: NoticeDiff) -> None:
    """End to end: the targets compared above are the extractor's, not hand-made."""
    assert len(result.targets) == 8
    soil = next(r for r in result.targets if r.status == "new")
    assert (soil.scope, soil.metric, soil.new and soil.new.comparator) == (
        "受污染耕地", "安全利用率", "ge")


# ---------------------------------------------------------------------------
# Symmetry, identity, other inputs
# ---------------------------------------------------------------------------

SWAP = {"added": "removed", "removed": "added", "tightened": "loosened", "loosened": "tightened",
        "new": "dropped", "dropped": "new"}


def test_diff_against_itself_changes_nothing(pair: tuple[Notice, Notice]) -> None:
    for notice in pair:
        same = diff(notice, notice)
        statuses = {row.status for rows in (same.items, same.chapters, same.targets,
                                            same.appendix) for row in rows}
        assert statuses == {"unchanged"}
        assert not same.meta and not same.quantities
        assert_each_row_once(same, notice, notice)


def test_swapping_old_and_new_swaps_the_verdicts(pair: tuple[Notice, Notice],
                                                 result: NoticeDiff) -> None:
    old, new = pair
    back = diff(new, old)
    forward = {(r.old_id, r.new_id): r.status for r in result.items}
    assert {(r.new_id, r.old_id): SWAP.get(r.status, r.status) for r in back.items} == forward
    forward_t = {(_text(r.old), _text(r.new)): r.status for r in result.targets}
    assert {(_text(r.new), _text(r.old)): SWAP.get(r.status, r.status)
            for r in back.targets} == forward_t
    assert [(r.removed, r.added) for r in back.appendix] == [(r.added, r.removed)
                                                              for r in result.appendix]
    assert assert_each_row_once(back, new, old) is None


def _target(text: str, comparator: Any, value: float | None, *, metric: str = "安全利用率",
            scope: str = "重点建设用地", unit: str | None = "%", kind: Any = "level",
            direction: Any = None) -> Target:
    return Target(id="goal_1__target_9", text=text, raw=text, kind=kind, metric=metric,
                  scope=scope, comparator=comparator, value=value, unit=unit,
                  direction=direction, span=Span(start=0, end=len(text)))


def test_hand_built_targets_on_notice_copies(sample_notice: Notice) -> None:
    """Targets put into goals[].targets by hand, so the rule is tested apart from extraction."""
    old, new = sample_notice.model_copy(deep=True), sample_notice.model_copy(deep=True)
    old.goals[3].targets = [_target("重点建设用地安全利用率高于95%", "gt", 95)]
    new.goals[3].targets = [_target("重点建设用地安全利用率达到95%以上", "ge", 95)]
    rows = [r for r in diff(old, new).targets if r.scope == "重点建设用地"]
    assert [(r.status, r.old and r.old.comparator, r.new and r.new.comparator) for r in rows] \
        == [("loosened", "gt", "ge")]
    new.goals[3].targets = []
    assert [r.status for r in diff(old, new).targets if r.scope == "重点建设用地"] == ["dropped"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    (("gt", 95), ("ge", 95), "loosened"),   # 以上 includes the number (民法典 第1259条)
    (("ge", 95), ("gt", 95), "tightened"),
    (("ge", 94), ("ge", 95), "tightened"),  # lower bound: higher is tighter
    (("gt", 92), ("gt", 90), "loosened"),
    (("lt", 26), ("lt", 25), "tightened"),  # upper bound: lower is tighter
    (("le", 14.5), ("lt", 14.5), "tightened"),
    (("lt", 27.7), ("le", 27.7), "loosened"),
    (("le", 10), ("le", 10), "unchanged"),
    (("eq", 100), ("ge", 100), "loosened"),  # a point inside a half-line
    (("ge", 95), ("eq", 100), "tightened"),
    (("eq", 90), ("eq", 95), "changed"),    # disjoint points: no direction to tell
    (("ge", 90), ("le", 95), "changed"),    # lower bound became an upper bound
])
def test_judge_by_what_comparators_admit(old: tuple[Any, float], new: tuple[Any, float],
                                         expected: str) -> None:
    assert judge(Bound(old[0], old[1], "%"), Bound(new[0], new[1], "%"))[0] == expected


def test_judge_changes_counts_and_units() -> None:
    cut = lambda v, d="decrease": Bound("eq", v, "%", "change", d)  # noqa: E731
    assert judge(cut(20), cut(25))[0] == "tightened"   # a bigger promised cut
    assert judge(cut(20), cut(15))[0] == "loosened"
    assert judge(cut(20), cut(20, "increase")) == ("changed", "kind changed: change decrease → "
                                                   "change increase")
    assert judge(Bound(None, 1000, "个", "count"), Bound(None, 800, "个", "count"))[0] == "loosened"
    assert judge(Bound("lt", 26, "微克/立方米"), Bound("lt", 25, "%"))[0] == "changed"
    assert judge(Bound(None, None, None, "qualitative", text="完成国家下达的考核目标"),
                 Bound(None, None, None, "qualitative", text="完成国家下达的考核目标"))[0] \
        == "unchanged"


def test_fragment_2021_against_sample() -> None:
    fragment = parse(corpus_file("zj-2021-fragment.txt"))
    sample = parse(SAMPLE)
    result = diff(fragment, sample)
    assert result.old.year == 2021 and result.new.year == 2023
    codes = {d.code for d in result.diagnostics}
    assert "incomplete-document" in codes
    # Its targets block is real: 2021's 污染地块/工业危险废物 targets are not 2023's.
    dropped = {(r.scope, r.metric) for r in result.targets if r.status == "dropped"}
    assert ("污染地块", "安全利用率") in dropped
    assert ("工业危险废物", "利用处置率") in dropped
    assert not [r for r in result.targets if r.status in ("tightened", "loosened")]
    assert {r.status for r in result.items} <= {"added", "moved", "reworded", "removed"}
    assert_each_row_once(result, fragment, sample)


def test_timeline_across_three_years(sample_text: str, pair: tuple[Notice, Notice]) -> None:
    third = parse(next_year(sample_text).replace("低于 25 微克", "低于 24 微克")
                  .replace("浙环发〔2024〕2号", "浙环发〔2025〕3号")
                  .replace("2024 年全省生态环境保护工作要点", "2025 年全省生态环境保护工作要点")
                  .replace("高于 90%。", "高于 90%，中度污染天数同比减少 10%。"))
    line = timeline([third, pair[1], pair[0]])  # any order: sorted by year
    assert line.years == [2023, 2024, 2025]
    pm = next(r for r in line.rows if r.metric == "PM2.5平均浓度")
    assert [c.value.value if c.value else None for c in pm.cells] == [26, 25, 24]
    assert [c.step for c in pm.cells] == [None, "tightened", "tightened"]
    # Dropped in 2024, back in 2025: a track that ends and a new one that begins.
    moderate = [[c.step for c in r.cells] for r in line.rows if r.metric == "中度污染天数"]
    assert moderate == [[None, "dropped", None], [None, None, "new"]]


# ---------------------------------------------------------------------------
# Bad input: a clear message, and whatever can be compared is compared
# ---------------------------------------------------------------------------


def test_different_genres_and_no_items(sample_notice: Notice) -> None:
    other = sample_notice.model_copy(deep=True)
    other.meta.plan_title = "2024年大气污染防治实施方案"
    other.chapters = []
    result = diff(sample_notice, other)
    messages = {d.code: d.message for d in result.diagnostics}
    assert "工作要点 vs 实施方案" in messages["different-genres"]
    assert "new notice has no numbered items" in messages["no-items"]
    assert {r.status for r in result.items} == {"removed"} and len(result.items) == 33
    assert {r.status for r in result.targets} == {"unchanged"}  # still compared
    assert {r.status for r in result.appendix} == {"unchanged"}


def test_json_exports_and_old_schema_versions(tmp_path: Path, sample_notice: Notice) -> None:
    exported = tmp_path / "old.json"
    exported.write_text(sample_notice.to_json(), encoding="utf-8")
    assert {r.status for r in diff(exported, SAMPLE).items} == {"unchanged"}
    data = json.loads(sample_notice.to_json())
    data["schema_version"] = "0.9"  # same shape, older label: loaded, with a remark
    older = tmp_path / "older.json"
    older.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "old-schema-version" in {d.code for d in diff(older, SAMPLE).diagnostics}
    data["goals"][0]["bullets"] = data["goals"][0].pop("targets")  # an incompatible shape
    older.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SchemaVersionError, match="schema_version '0.9' export"):
        diff(older, SAMPLE)
    (tmp_path / "other.json").write_text('{"items": []}', encoding="utf-8")
    with pytest.raises(DiffInputError, match="not a zhenv-parse Notice export"):
        diff(tmp_path / "other.json", SAMPLE)


def test_cli_diff_and_timeline(tmp_path: Path, sample_text: str) -> None:
    new_file = tmp_path / "zj-2024.txt"
    new_file.write_text(next_year(sample_text), encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["diff", str(SAMPLE), str(new_file)])
    assert out.exit_code == 0, out.output
    assert NoticeDiff.model_validate_json(out.output).summary["items"]["removed"] == 1
    md = runner.invoke(main, ["diff", str(SAMPLE), str(new_file), "--format", "md"])
    assert "| PM2.5平均浓度 | 设区城市 | < 26 微克/立方米 | < 25 微克/立方米 | ↑ tightened |" \
        in md.output
    html = tmp_path / "report.html"
    runner.invoke(main, ["diff", str(SAMPLE), str(new_file), "--format", "html", "-o", str(html)])
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    csv_out = runner.invoke(main, ["timeline", str(SAMPLE), str(new_file)])
    assert csv_out.exit_code == 0, csv_out.output
    assert "设区城市,PM2.5平均浓度,微克/立方米,< 26,< 25 (tightened)" in csv_out.output
    bad = runner.invoke(main, ["diff", str(SAMPLE), str(tmp_path / "missing.txt")])
    assert bad.exit_code == 1 and "no such file" in bad.output and "Traceback" not in bad.output


def test_diff_schema_is_up_to_date() -> None:
    from zhenv_parse.schema import notice_diff_schema_text

    assert DIFF_SCHEMA.read_text(encoding="utf-8") == notice_diff_schema_text()


def test_xml_export_as_input(tmp_path: Path, sample_notice: Notice) -> None:
    xml_export = pytest.importorskip("zhenv_parse.xml_export", reason="no XML exporter here")
    exported = tmp_path / "old.xml"
    exported.write_bytes(xml_export.to_xml(sample_notice))
    assert {r.status for r in diff(exported, SAMPLE).targets} == {"unchanged"}


def test_a_deadline_brought_forward_is_tightened(sample_text: str) -> None:
    """Item 11's `8月底前全面完成销号` becomes `6月底前…` (and a `年底前` pledge is added):
    earlier is tighter; plans of different years compare month and day."""
    old = parse(sample_text)
    new_text = (sample_text.replace("2023", "2024")
                .replace("8月底前全面完成销号", "6月底前全面完成销号。年底前建成调度指挥平台"))
    result = diff(old, parse(new_text))
    rows = [(d.status, d.old.text if d.old else None, d.new.text if d.new else None)
            for d in result.deadlines]
    assert rows == [("tightened", "8月底前", "6月底前"), ("new", None, "年底前")]
    assert result.summary["deadlines"] == {"new": 1, "tightened": 1}
    from zhenv_parse.report import render_html, render_markdown
    assert "## Deadlines in matched items" in render_markdown(result)
    assert '<section id="deadlines">' in render_html(result)
