"""Layouts of the genre other than the sample's: work items set as `（一）` sections, and
attachments as web copies print them (mark and title on one line, the count on the title)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zhenv_parse import Notice, parse

SECTIONS_AS_ITEMS = Path(__file__).parent / "data" / "sections-as-items.txt"


@pytest.fixture(scope="module")
def notice() -> Notice:
    return parse(SECTIONS_AS_ITEMS)


def test_front_matter_of_another_province(notice: Notice) -> None:
    meta = notice.meta
    assert meta.issuer == "江苏省生态环境厅"
    assert meta.doc_number is not None
    assert (meta.doc_number.agency_code, meta.doc_number.year, meta.doc_number.serial) == \
        ("苏环发", 2023, 3)
    assert meta.plan_title == "2023年全省生态环境工作要点" and meta.plan_year == 2023
    assert meta.recipients == ["各设区市生态环境局", "厅机关各处室", "各直属单位"]
    assert meta.date == dt.date(2023, 2, 10)


def test_sections_are_kept_with_their_text_and_no_items_are_invented(notice: Notice) -> None:
    assert [(c.no, [(s.no, s.title) for s in c.sections]) for c in notice.chapters] == [
        (1, [(1, "深入打好蓝天保卫战"), (2, "深入打好碧水保卫战")]),
        (2, [(1, "积极稳妥推进碳达峰碳中和")]),
    ]
    assert notice.items == []
    assert notice.chapters[0].sections[0].text.startswith("全省PM2.5平均浓度控制在32微克/立方米以内")
    assert not [d for d in notice.diagnostics if d.level != "info"]


def _with_attachment(text: str) -> Notice:
    return parse(SECTIONS_AS_ITEMS.read_text(encoding="utf-8") + text)


def test_attachment_mark_and_title_on_one_line() -> None:
    notice = _with_attachment("附件1：2023年重点任务清单（2项）\n1.完成燃煤锅炉淘汰\n2.完成排污口整治\n")
    appendix = notice.appendices[0]
    assert (appendix.no, appendix.title) == (1, "2023年重点任务清单（2项）")
    assert [entry.text for entry in appendix.lists[0].items] == ["完成燃煤锅炉淘汰", "完成排污口整治"]
    assert notice.chapters[-1].sections[-1].text == "单位GDP二氧化碳排放下降完成国家下达目标。"
    assert not notice.chapters[-1].items  # the entries are not read as items of the plan


def test_count_on_the_title_of_a_single_list_is_its_declared_count() -> None:
    complete = _with_attachment("附件1\n2023年重点任务清单（2项）\n1.完成燃煤锅炉淘汰\n2.完成排污口整治\n")
    assert complete.appendices[0].lists[0].declared_count == 2
    assert "declared-count-mismatch" not in [d.code for d in complete.diagnostics]
    short = _with_attachment("附件1：2023年重点任务清单（3项）\n1.完成燃煤锅炉淘汰\n2.完成排污口整治\n")
    mismatch = [d for d in short.diagnostics if d.code == "declared-count-mismatch"]
    assert [d.message for d in mismatch] == ["the list declares 3 entries but has 2"]


HEAD = "2023年全市生态环境保护工作要点\n为深入贯彻落实党的二十大精神，制定本要点。\n"
GOAL_LAYOUTS = {
    # a `工作目标` chapter whose goals are its own text, one paragraph
    "chapter text": "一、工作目标\n全市PM2.5平均浓度控制在30微克/立方米以内，空气质量优良天数比率达到85%以上。\n"
                    "二、重点任务\n1.深入打好蓝天保卫战。完成100台锅炉淘汰。\n",
    # `主要目标：` followed by numbered goals
    "numbered goals": "主要目标：\n1.全市PM2.5平均浓度控制在30微克/立方米以内。\n2.空气质量优良天数比率达到85%以上。\n"
                      "一、深入打好蓝天保卫战\n1.强化监管。完成100台锅炉淘汰。\n",
    # a `工作目标` chapter of numbered items, the numbering running on into the next chapter
    "goal items": "一、工作目标\n1.全市PM2.5平均浓度控制在30微克/立方米以内。\n2.空气质量优良天数比率达到85%以上。\n"
                  "二、重点任务\n3.深入打好蓝天保卫战。完成100台锅炉淘汰。\n",
}


@pytest.mark.parametrize("layout", sorted(GOAL_LAYOUTS))
def test_goals_are_found_in_each_layout(layout: str) -> None:
    notice = parse(HEAD + GOAL_LAYOUTS[layout])
    targets = [(t.metric, t.comparator, t.value, t.unit) for g in notice.goals for t in g.targets]
    assert targets == [("PM2.5平均浓度", "le", 30, "微克/立方米"), ("空气质量优良天数比率", "ge", 85, "%")]
    work = [item for item in notice.items if "锅炉" in item.text]
    assert [(q.value, q.unit) for item in work for q in item.quantities] == [(100, "台")]
    assert not [d for d in notice.diagnostics if d.level != "info"], notice.diagnostics


def test_goal_items_stay_items_without_quantities_read_twice() -> None:
    notice = parse(HEAD + GOAL_LAYOUTS["goal items"])
    assert [(c.no, [i.no for i in c.items]) for c in notice.chapters] == [(1, [1, 2]), (2, [3])]
    assert not notice.chapters[0].items[0].quantities  # its numbers are the goal's targets


def test_text_under_a_chapter_heading_is_the_chapter_text() -> None:
    notice = parse(HEAD + "一、深入打好蓝天保卫战\n坚持精准治污、科学治污、依法治污。\n1.强化监管。完成100台锅炉淘汰。\n")
    chapter = notice.chapters[0]
    assert chapter.text == "坚持精准治污、科学治污、依法治污。"
    assert [item.no for item in chapter.items] == [1]
    assert "unassigned-text" not in [d.code for d in notice.diagnostics]


def test_a_notice_of_sections_is_diffed_section_by_section() -> None:
    """Where the work is set as `（一）` sections, the diff compares the sections as items:
    reworded, added and removed ones, and the quantities inside them."""
    from zhenv_parse import diff

    old_text = SECTIONS_AS_ITEMS.read_text(encoding="utf-8")
    new_text = (old_text.replace("2023", "2024")
                .replace("控制在32微克/立方米以内", "控制在30微克/立方米以内")
                .replace("（二）深入打好碧水保卫战。国考断面水质优Ⅲ类比例达到90%以上，6月底前完成100个入河排污口整治。\n", "")
                + "（二）全面推进美丽河湖建设。新建美丽河湖50条。\n")
    result = diff(parse(old_text), parse(new_text))
    rows = {(row.old_id, row.new_id): row.status for row in result.items}
    assert rows == {("chp_1__sec_1", "chp_1__sec_1"): "reworded",
                    ("chp_1__sec_2", None): "removed",
                    ("chp_2__sec_1", "chp_2__sec_1"): "unchanged",
                    (None, "chp_2__sec_2"): "added"}
    assert [(q.status, q.old.value if q.old else None, q.new.value if q.new else None)
            for q in result.quantities] == [("tightened", 32, 30)]


def test_imprint_at_the_end_is_read_not_joined_to_the_last_entry(sample_text: str) -> None:
    """版记 (GB/T 9704-2012 §7.4) after the attachment: 抄送机关 and 印发机关和印发日期 go to
    `meta`; before, 抄送 ran on into the last appendix entry and 印发 was unassigned."""
    text = (sample_text.rstrip() + "\n抄送：生态环境部，省委办公厅、省人大常委会办公厅（含代表工委）。\n"
            "浙江省生态环境厅办公室          2023年3月24日印发\n")
    notice = parse(text)
    meta = notice.meta
    assert meta.copy_to == ["生态环境部", "省委办公厅", "省人大常委会办公厅（含代表工委）"]
    assert (meta.printed_by, meta.print_date) == ("浙江省生态环境厅办公室", dt.date(2023, 3, 24))
    span = meta.spans["copy_to.2"]
    assert text[span.start:span.end] == "省人大常委会办公厅（含代表工委）"
    assert notice.appendices[-1].lists[-1].items[-1].text.endswith("自然保护地强化监督工作")
    assert not [d for d in notice.diagnostics if d.level != "info"]


def test_goals_in_a_section_of_the_general_requirements() -> None:
    """`一、总体要求` with `（二）主要目标`: each paragraph of that section is a goal, and its
    numbers are read once, as targets."""
    notice = parse(HEAD + "一、总体要求\n（一）指导思想\n以习近平新时代中国特色社会主义思想为指导。\n"
                   "（二）主要目标\n全市PM2.5平均浓度控制在30微克/立方米以内，空气质量优良天数比率达到85%以上。\n"
                   "地表水市控断面水质优良比例达到95%。\n二、重点任务\n1.深入打好蓝天保卫战。完成100台锅炉淘汰。\n")
    assert [[(t.metric, t.value) for t in goal.targets] for goal in notice.goals] == [
        [("PM2.5平均浓度", 30), ("空气质量优良天数比率", 85)], [("水质优良比例", 95)]]
    assert not any(s.quantities for c in notice.chapters for s in c.sections)
    assert [(q.value, q.unit) for q in notice.items[0].quantities] == [(100, "台")]


def test_table_laid_out_with_spaces_reads_as_cells() -> None:
    """Text from `pdftotext -layout`: columns are runs of spaces. Two gaps or more make a
    line a table row; one gap (`…办公室      2023年3月24日印发`) does not."""
    notice = _with_attachment(
        "附件1\n2023年重点任务清单（2项）\n序号    重点任务              牵头单位    完成时限\n"
        " 1      完成燃煤锅炉淘汰        大气处      2023年底\n"
        " 2      完成排污口整治          水处        2023年6月\n"
        "浙江省生态环境厅办公室          2023年3月24日印发\n")
    table = notice.appendices[0].lists[0]
    assert table.columns == ["序号", "重点任务", "牵头单位", "完成时限"]
    assert [e.cells for e in table.items] == [["1", "完成燃煤锅炉淘汰", "大气处", "2023年底"],
                                              ["2", "完成排污口整治", "水处", "2023年6月"]]
    assert notice.meta.printed_by == "浙江省生态环境厅办公室"
    assert not [d for d in notice.diagnostics if d.level != "info"]
