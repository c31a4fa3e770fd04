"""The reference sample, 浙环发〔2023〕1号, as a reader sees it."""

from __future__ import annotations

import datetime as dt

from zhenv_parse import Notice

#: Chapter titles, copied from the sample by reading it.
CHAPTER_TITLES = [
    "深入推进美丽浙江建设", "大力推进减污降碳协同创新", "全力助推经济稳进提质", "深入打好蓝天保卫战",
    "深入打好碧水保卫战", "深入打好净土保卫战", "扎实抓好清废治新治塑", "切实维护生态环境秩序",
    "加快健全现代环境治理体系", "纵深推进生态环保铁军队伍建设",
]
#: Item titles (lead sentences), copied from the sample by reading it.
ITEM_TITLES = [
    "打造习近平生态文明思想研究阐发的重要窗口", "全面加强生物多样性保护", "扎实推进共富大美建设",
    "持续推进示范创建", "推进减污降碳制度创新", "强化减污降碳模式创新", "积极推进碳交易",
    "深入开展暖心助企升级行动", "全面优化审批服务", "加大生态环保投资力度", "全力保障亚运会环境质量",
    "开展臭氧污染防治专项攻坚", "实施空气质量全面改善行动", "全面巩固水环境治理成效",
    "深化“污水零直排区”建设", "切实保障饮用水水源安全", "加强近岸海域环境综合治理",
    "深入推进土壤修复和农业面源污染治理", "全面加强源头防控", "强化地下水污染治理",
    "深化全域“无废城市”建设", "推动新污染物治理开好局", "切实加大塑料污染治理力度",
    "扎实推进生态环保督察整改", "提升执法监管效能", "严密防范生态环境风险", "加强核与辐射安全监管",
    "实施改革创新攻坚行动", "推进生态环境“大脑”实战实效", "健全改革工作长效机制",
    "全面落实管党治党政治责任", "加强清廉生态环保建设", "推进干部队伍变革重塑",
]
#: Items per chapter, by item number.
CHAPTER_ITEMS = [[1, 2, 3, 4], [5, 6, 7], [8, 9, 10], [11, 12, 13], [14, 15, 16, 17], [18, 19, 20],
                 [21, 22, 23], [24, 25, 26, 27], [28, 29, 30], [31, 32, 33]]
GOAL_AREAS = ["环境空气质量", "水生态环境质量", "海洋生态环境质量", "土壤环境质量", "污染减排"]
APPENDIX_LISTS = [
    ("深入实施“八八战略”生态环境相关工作清单", 12), ("推动制定修订的法律法规", 8),
    ("推进的重点改革任务", 10), ("举办或参加的重要会议", 5), ("推动出台或制定的重要政策文件", 26),
    ("组织开展的监督执法及专项行动", 6),
]


def test_meta(sample_notice: Notice) -> None:
    meta = sample_notice.meta
    assert meta.issuer_mark == "浙江省生态环境厅文件"
    assert meta.issuer == "浙江省生态环境厅"
    assert meta.doc_number is not None
    assert (meta.doc_number.raw, meta.doc_number.agency_code, meta.doc_number.year,
            meta.doc_number.serial) == ("浙环发〔2023〕1号", "浙环发", 2023, 1)
    assert meta.title == "浙江省生态环境厅关于印发2023年全省生态环境保护工作要点的通知"
    assert meta.recipients == ["各设区市生态环境局", "县（市、区）生态环境分局", "厅机关各处室", "直属各单位"]
    assert meta.cover_text is not None and meta.cover_text.startswith("《2023年全省生态环境保护工作要点》已经")
    assert meta.signatory == "浙江省生态环境厅"
    assert meta.date == dt.date(2023, 3, 23)
    assert meta.plan_title == "2023年全省生态环境保护工作要点"
    assert meta.plan_year == 2023
    assert meta.attachment_note == "《2023年生态环境工作要点》明确的主要事项"


def test_preamble_and_goals(sample_notice: Notice) -> None:
    assert sample_notice.preamble is not None
    assert sample_notice.preamble.text.startswith("2023年是全面贯彻落实党的二十大精神开局之年")
    assert sample_notice.preamble.text.endswith("推动省委、省政府和生态环境部各项决策部署落地见效。")
    assert sample_notice.goals_intro is not None
    assert sample_notice.goals_intro.text == "2023年生态环境主要目标是："
    assert [goal.area for goal in sample_notice.goals] == GOAL_AREAS
    assert sample_notice.goals[0].text == (
        "环境空气质量方面。设区城市PM2.5平均浓度低于26微克/立方米，空气质量优良天数比率高于92%，"
        "中度污染天数同比减少20%。")


def test_chapters_and_items(sample_notice: Notice) -> None:
    chapters = sample_notice.chapters
    assert [c.title for c in chapters] == CHAPTER_TITLES
    assert [c.no for c in chapters] == list(range(1, 11))
    assert [c.numeral for c in chapters][-2:] == ["九", "十"]
    assert [[i.no for i in c.items] for c in chapters] == CHAPTER_ITEMS
    assert [i.title for i in sample_notice.items] == ITEM_TITLES
    assert sample_notice.items[10].id == "chp_4__item_11"
    item_3 = sample_notice.items[2]
    assert item_3.text.startswith("扎实推进共富大美建设。积极推进与湖州")  # `3.扎实`, no space
    assert item_3.text.endswith("培育发掘生态富民、生态惠民最佳实践。")


def test_appendix(sample_notice: Notice) -> None:
    assert len(sample_notice.appendices) == 1
    appendix = sample_notice.appendices[0]
    assert appendix.title == "《2023年生态环境工作要点》明确的主要事项"
    assert [(lst.title, lst.declared_count) for lst in appendix.lists] == APPENDIX_LISTS
    for lst in appendix.lists:
        assert [entry.no for entry in lst.items] == list(range(1, lst.declared_count + 1))
    first, laws, _, meetings, policies, actions = appendix.lists
    assert laws.items[0].text == "《浙江省土壤污染防治条例》"
    assert meetings.items[0].text == "省美丽浙江建设领导小组会议"  # `- 1.` marker removed
    assert policies.items[11].text == "《浙江省污染天气消除和柴油货车污染治理攻坚三年行动方案》"
    assert actions.items[1].text == "“绿剑2023”暨杭州亚运会环境质量保障专项执法行动"
    assert first.items[10].no == 11
    assert first.items[10].text == "5.22国际生物多样性日浙江主场活动暨生物多样性促进共同富裕全国论坛"


def test_page_break_repairs(sample_notice: Notice) -> None:
    texts = {item.no: item.text for item in sample_notice.items}
    assert "建成6个省级生物多样性体验地，谋划布局一批综合观测站。" in texts[2]
    assert "建立减污降碳协同项目库" in texts[5]
    assert sample_notice.goals[4].text == "污染减排方面。四项主要污染物重点工程减排量完成“十四五”目标任务的60%以上。"
    assert "实施重点建设用地土壤污染治理" in texts[18]  # OCR slip 上壤 repaired
    codes = [d.code for d in sample_notice.diagnostics]
    assert codes.count("ocr-repaired") == 1
    assert {d.level for d in sample_notice.diagnostics} == {"info"}


def test_every_span_points_at_its_raw_text(sample_notice: Notice, sample_text: str) -> None:
    elements = [*sample_notice.goals, *sample_notice.chapters, *sample_notice.items,
                *(e for a in sample_notice.appendices for lst in a.lists for e in lst.items)]
    assert sample_notice.preamble is not None
    elements.append(sample_notice.preamble)
    for element in elements:
        assert sample_text[element.span.start:element.span.end] == element.raw
        # The raw text differs from the repaired one only by what normalisation removes.
        squeezed = "".join(element.raw.split()).replace("PM_{2.5}", "PM2.5").replace("上壤", "土壤")
        assert "".join(element.text.split()) in squeezed.replace("- ", "")
    for name, span in sample_notice.meta.spans.items():
        assert span.end > span.start, name
    doc_number = sample_notice.meta.doc_number
    assert doc_number is not None
    assert sample_text[doc_number.span.start:doc_number.span.end] == "浙环发〔2023〕1号"
    recipient = sample_notice.meta.spans["recipients.1"]
    assert sample_text[recipient.start:recipient.end] == "县（市、区）生态环境分局"
    item_2 = sample_notice.items[1]
    assert "生物多样性体\n\n验地" in item_2.raw
