"""Every named pattern of the grammar, with cases as data: (pattern, matches, does not match)."""

from __future__ import annotations

import pytest
import regex

from zhenv_parse import grammar

CASES: dict[str, tuple[list[str], list[str]]] = {
    "PAGE_NUMBER_LINE": (["— 3 —", "- 3 -", "-3-", "第3页", "第 3 页 共 19 页", "  12  ", "3/19"],
                         ["2023", "1.加强", "— 3 — 后记", "第三批"]),
    "GAP_MARKER": (["[[GAP]]", "  [[GAP]] "], ["[GAP]", "前文[[GAP]]"]),
    "ISSUER_MARK": (["浙江省生态环境厅文件", "浙江省生态环境厅浙江省发展和改革委员会文件"],
                    ["审批环境影响评价文件。", "文件"]),
    "NOTICE_TITLE": (["浙江省生态环境厅关于印发2023年全省生态环境保护工作要点的通知"],
                     ["2023年全省生态环境保护工作要点", "关于做好工作。请通知"]),
    "PLAN_TITLE_IN_NOTICE": (["浙江省生态环境厅关于印发2023年全省生态环境保护工作要点的通知",
                              "关于印发《大气污染防治工作计划》的通知"], ["关于做好2023年工作的通知"]),
    "PLAN_TITLE": (["2023年全省生态环境保护工作要点", "2022年大气污染防治工作计划"],
                   ["编制全省适应气候变化行动方案，建立项目库", "一、工作目标"]),
    "RECIPIENTS": (["各设区市生态环境局、县（市、区）生态环境分局：", "各设区市生态环境局:"],
                   ["请认真贯彻落实。", "主要目标是：环境质量持续改善；完成任务"]),
    "DATE_LINE": (["2023年3月23日", "二〇二三年三月二十三日", "2021年12月2日"],
                  ["2023年3月", "到2023年3月23日完成"]),
    "COPY_TO": (["抄送：生态环境部，省委办公厅、省政府办公厅。", "抄送:各市政府"],
                ["抄送", "请抄送有关单位。"]),
    "PRINTED_LINE": (["浙江省生态环境厅办公室2023年3月24日印发", "浙江省生态环境厅办公室  2023年3月24日印发",
                      "办公室二〇二三年三月二十四日印发"],
                     ["2023年3月24日印发", "关于印发工作要点的通知", "2023年3月24日",
                      "《方案》已由省政府办公厅于2023年3月24日印发", "经研究，2023年3月24日印发"]),
    "CELL_GAP": (["1   完成燃煤锅炉淘汰", "任务\u3000\u3000大气处"], ["1 完成", "   缩进", "完成  大气处"]),
    "TABLE_ROW": (["1\t完成燃煤锅炉淘汰\t大气处\t2023年底", "序号\t重点任务\t牵头单位", "  2\t\t排污口整治"],
                  ["1.完成燃煤锅炉淘汰", "\t缩进的段落", "完成整治\t"]),
    "ANNOTATION": (["（此件公开发布）", "(此件主动公开)"], ["（一）空气质量", "此件公开发布"]),
    "GOALS_INTRO": (["2023年生态环境主要目标是：", "主要目标是:环境质量持续改善;", "主要指标为："],
                    ["一、主要目标", "完成主要目标任务"]),
    "GOALS_CHAPTER": (["工作目标", "主要目标", "目标任务"], ["重点任务", "完成目标的保障措施"]),
    "GOAL_BULLET": (["——环境空气质量方面。设区城市", "—— 水生态环境质量方面：…"], ["—— ", "一、深入推进"]),
    "CHAPTER_HEADING": (["一、深入推进美丽浙江建设", "十一、加强党的建设", "二十、其他", "三.保障措施"],
                        ["一类、二类", "（一）空气", "1.打造"]),
    "SECTION_HEADING": (["（一）空气质量改善目标", "(二)主要大气污染物减排目标"], ["一、工作目标", "（1）"]),
    "ITEM_NUMBER": (["1. 打造", "1．打造", "1、坚决遏制", "3.扎实推进", "11. 5.22 国际", "2)推进"],
                    ["5.22 国际生物多样性日", "20 周年", "1.5 万台", "2023年"]),
    "BLOCK_START": (["一、深入推进", "（二）目标", "3.扎实推进", "——环境空气质量方面。", "附件：名单", "附件1",
                     "2023年3月23日", "（此件公开发布）", "浙江省生态环境厅文件"],
                    ["深入推进美丽浙江建设", "5.22 国际生物多样性日", "到2023年3月23日完成"]),
    "DECLARED_COUNT": (["清单（12项）", "法律法规(8 项)", "任务（共6项）"], ["清单", "（12）"]),
    "ATTACHMENT_NOTE": (["附件：《2023年生态环境工作要点》明确的主要事项", "附件:1.名单"], ["附件", "附件1"]),
    "ATTACHMENT_HEADING": (["附件1：2023年重点任务清单（12项）", "附件 2: 名单"],
                           ["附件：《要点》明确的主要事项", "附件1", "附件1：", "附件说明"]),
    "ATTACHMENT_MARK": (["附件", "附件1", "附件 2"], ["附件：名单", "附件说明"]),
    "YEAR": (["2023年", "实施方案（2022—2025年）"], ["20周年", "1000个"]),
    "DOC_NUMBER": (["浙环发〔2023〕1号", "浙环发[2023]12号", "浙环函（2022）3号", "环办［2021］第5号"],
                   ["2023年1号", "浙环发〔23〕1号"]),
    "SCRIPT_ARTEFACT": (["PM_{2.5}", "CO_2", "m^{3}"], ["PM2.5", "_{2.5}"]),
    "LIST_MARKER": (["- 1.省美丽", "• 2、"], ["-3-", "——环境"]),
    "CJK_ADJACENT_SPACE": (["2023 年", "低于 26", "PM2.5 平均"], ["PM 2.5", "5 G"]),
    "QUANTITY": (["低于26微克/立方米", "1.5万台", "30万吨/年", "二十个", "近8000家", "70%以上", "两个"],
                 ["PM2.5平均", "5G基站", "第七批", "2023年", "8月底"]),
    "BARE_NUMBER": (["AQI低于50"], ["PM2.5"]),
    "NOT_A_NUMBER": (["“十四五”", "《方案（2022—2025年）》", "PM2.5"], ["十四五规划"]),
    "COMPARATOR_BEFORE": (["不低于", "力争达到", "控制在"], []),
    "CHANGE_BEFORE": (["同比减少", "较2020年下降", "分别削减"], ["减少了工作"]),
    "SHARE_BEFORE": (["完成“十四五”目标任务的"], ["完成任务"]),
    "ASPIRATION": (["力争达到"], ["确保完成"]),
    "DEADLINE": (["8月底前", "年底前", "2025年底前", "上半年", "六月前"], ["8月", "年底"]),
    "DEADLINE_CLAUSE": (["年底前", "到6月底前", "2023年9月底前", "上半年"],
                        ["", "6月底前完成", "年底", "比例达到90%以上"]),
    "TIME_ONLY_CLAUSE": (["2022年", "到2022年底"], ["2022年我市"]),
    "ADMIN_SCOPE": (["全省", "我市PM2.5", "设区城市"], ["省控断面"]),
    "SCOPE_NOUN_END": (["重点建设用地安全利用率", "地表水省控断面比例"], ["空气质量优良天数比率"]),
    "REFERENCE_CLAUSE": (["各乡镇工作目标见附件1"], ["完成目标"]),
    "OCR_CONFUSION": (["上壤", "士壤污染"], ["土壤", "上层"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_pattern_cases(name: str) -> None:
    pattern: regex.Pattern[str] = getattr(grammar, name)
    matches, misses = CASES[name]
    finder = pattern.search if name in {"YEAR", "CELL_GAP", "PLAN_TITLE_IN_NOTICE", "DOC_NUMBER", "SCRIPT_ARTEFACT", "DECLARED_COUNT",
                                        "CJK_ADJACENT_SPACE", "OCR_CONFUSION", "QUANTITY", "BARE_NUMBER",
                                        "NOT_A_NUMBER", "COMPARATOR_BEFORE", "CHANGE_BEFORE",
                                        "SHARE_BEFORE", "ASPIRATION", "DEADLINE", "REFERENCE_CLAUSE"} else pattern.match
    for text in matches:
        assert finder(text), f"{name} should match {text!r}"
    for text in misses:
        assert not finder(text), f"{name} should not match {text!r}"


def test_every_pattern_has_cases() -> None:
    patterns = {name for name, value in vars(grammar).items()
                if isinstance(value, regex.Pattern) and not name.startswith("_")}
    assert patterns <= set(CASES), sorted(patterns - set(CASES))


def test_tables_are_one_to_one() -> None:
    assert all(len(k) == len(v) for k, v in grammar.OCR_CONFUSIONS.items())
    assert all(len(k) == len(v) == 1 for k, v in grammar.RADICAL_SUPPLEMENT.items())
    assert grammar.RADICAL_SUPPLEMENT["⻓"] == "长"


def test_block_start_agrees_with_its_parts() -> None:
    """The combined pattern says what any of BLOCK_STARTS says, on every case above."""
    for matches, misses in CASES.values():
        for text in matches + misses:
            expected = any(pattern.match(text) for pattern in grammar.BLOCK_STARTS)
            assert bool(grammar.BLOCK_START.match(text)) == expected, text
