"""The genre's grammar in one place: every pattern and table the stages match against.

Each pattern is a named, compiled ``regex`` with a line saying what it is for; each has a
test in ``tests/test_grammar.py`` (positive and negative cases as data). Patterns run on
*normalised* text (see :mod:`zhenv_parse.normalize`): full-width digits and Latin letters
are already half-width, spaces next to Chinese characters are gone, and Chinese
punctuation is kept, so patterns accept both the full- and the half-width form of
brackets, colons and commas.
"""

from __future__ import annotations

import regex

# ---------------------------------------------------------------------------
# Character classes (fragments, not patterns)
# ---------------------------------------------------------------------------

#: Chinese numerals used in headings and dates (小写 and 〇/零, plus 两 for counts).
CN_DIGITS = "〇零一二三四五六七八九十百千两"
#: Opening brackets of 发文字号 years and of parenthesised numerals.
OPEN_BRACKETS = "〔[（(［【"
#: Closing brackets matching :data:`OPEN_BRACKETS`.
CLOSE_BRACKETS = "〕]）)］】"
#: Sentence-final punctuation: a line ending in one of these ends a sentence.
SENTENCE_END = "。！？；;!?：:…"
#: Punctuation that may never start a line in Chinese typesetting, so a line starting with it
#: continues the previous one.
LINE_START_FORBIDDEN = "，,。、；;：:！？!?）)》」』】〕］”’％%·"

# ---------------------------------------------------------------------------
# Normalisation: lines to drop and artefacts to repair
# ---------------------------------------------------------------------------

#: A page-number line: `— 3 —`, `- 3 -`, `-3-`, `第3页`, `第 3 页 共 19 页`, a bare `3`.
PAGE_NUMBER_LINE = regex.compile(
    r"^\s*(?:[—–\-－~～]+\s*\d{1,4}\s*[—–\-－~～]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|\d{1,3})\s*$"
)
#: A cut-off marker left where a copy of the text stops.
GAP_MARKER = regex.compile(r"^\s*\[\[GAP\]\]\s*$")
#: LaTeX-like sub/superscripts left by PDF converters: `PM_{2.5}`, `CO_2`, `m^{3}`.
SCRIPT_ARTEFACT = regex.compile(r"(?<=[A-Za-z])[_^]\{([0-9.]+)\}|(?<=[A-Za-z])[_^]([0-9])")
#: A list marker before an item number: `- 1.`, `• 2、`, `* 3．`.
LIST_MARKER = regex.compile(r"^[-•·*▪●◦]\s*(?=\d{1,3}\s*[.．、])")
#: Whitespace that sits next to a Chinese character or Chinese punctuation, which PDF text
#: extraction inserts (`2023 年`, `低于 26 微克`) and which carries no meaning.
CJK_ADJACENT_SPACE = regex.compile(
    r"(?<=[\p{Han}\p{Ps}\p{Pe}\p{Pi}\p{Pf}，。、；：！？《》“”‘’％—])[ \t\u3000\u00a0]+"
    r"|[ \t\u3000\u00a0]+(?=[\p{Han}\p{Ps}\p{Pe}\p{Pi}\p{Pf}，。、；：！？《》“”‘’％—])"
)

# ---------------------------------------------------------------------------
# Front matter (GB/T 9704-2012 版头 and 主体)
# ---------------------------------------------------------------------------

#: 发文机关标志: the issuing authority's name(s) followed by `文件`.
ISSUER_MARK = regex.compile(r"^(?P<issuer>[\p{Han}（）()]{2,60}?)文件$")
#: 发文字号: agency code, year in one of four bracket styles, serial, `号`.
DOC_NUMBER = regex.compile(
    r"(?P<agency_code>\p{Han}{1,15})\s*[〔\[（(［【]\s*(?P<year>\d{4})\s*[〕\]）)］】]"
    r"\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
#: 标题 of a cover notice: `…关于…的通知` (and the other 公文 kinds).
NOTICE_TITLE = regex.compile(
    r"^(?=.*关于)[^。；;]{2,120}?(?:通知|通报|决定|意见|批复|函|报告|请示|公告|通告)$"
)
#: The plan's title inside a notice title: `关于印发《2023年…要点》的通知` or without 《》.
PLAN_TITLE_IN_NOTICE = regex.compile(r"(?:印发|转发|下达)《?(?P<plan>.+?)》?的(?:通知|函)$")
#: A stand-alone plan title: `2023年全省生态环境保护工作要点`.
PLAN_TITLE = regex.compile(
    r"^(?P<title>(?:[^，。；：,;:]{0,30}?(?P<year>\d{4})年)?[^，。；：,;:]{0,50}?"
    r"(?:工作要点|要点|工作计划|实施方案|工作方案|行动方案|行动计划|计划|方案))$"
)
#: 主送机关: recipients end with a colon.
RECIPIENTS = regex.compile(r"^(?P<recipients>[^。；;]{2,300}?)[：:]$")
#: 成文日期 in Arabic or Chinese numerals: `2023年3月23日`, `二〇二三年三月二十三日`.
DATE_LINE = regex.compile(
    r"^(?P<year>\d{4}|[〇零一二三四五六七八九]{4})年"
    r"(?P<month>\d{1,2}|[一二三四五六七八九十]{1,2})月"
    r"(?P<day>\d{1,2}|[一二三四五六七八九十]{1,3})日$"
)
#: 版记, 抄送机关: `抄送：生态环境部，省委办公厅、省政府办公厅。`
COPY_TO = regex.compile(r"^抄送\s*[：:]\s*(?P<recipients>\S.*?)[。.]?$")
#: 版记, 印发机关和印发日期: `浙江省生态环境厅办公室  2023年3月24日印发`: an office name (ending
#: in 办公室, 厅, 局…), not a sentence. (The lookahead turns other lines away before names are tried at every length.)
PRINTED_LINE = regex.compile(
    r"^(?=.*印发$)(?P<office>[^，。；：,;:《》\s][^，。；：,;:《》]{0,40}?"
    r"(?:办公室|办公厅|秘书处|厅|局|委员会|政府|处|室|科|中心))\s*"
    + DATE_LINE.pattern.strip("^$") + r"\s*印发$")
#: What separates the cells of a table row in the text the readers give (HTML and .docx
#: tables); the normaliser keeps it in table rows, where it would otherwise drop blanks.
TABLE_CELL_BREAK = "\t"
#: A column gap in text laid out with spaces (`pdftotext -layout`): three spaces or more, or
#: two ideographic spaces, between text. A line with two such gaps or more is a table row.
CELL_GAP = regex.compile(r"(?<=\S)(?: {3,}|\u3000{2,})(?=\S)")
#: How many column gaps make a line laid out with spaces a table row.
MIN_CELL_GAPS = 2
#: A table row: at least two non-blank cells between tabs (`1\t完成锅炉淘汰\t大气处`).
TABLE_ROW = regex.compile(r"^[ \u3000]*[^\t\s][^\t]*(?:\t+[^\t]*[^\t\s][^\t]*)+\s*$")
#: 附注 in parentheses on a line of its own: `（此件公开发布）`.
ANNOTATION = regex.compile(r"^[（(](?P<text>此件[^）)]{1,30})[）)]$")
#: A year mentioned in a title or intro: `2023年`.
YEAR = regex.compile(r"(?P<year>(?:19|20)\d{2})年")

# ---------------------------------------------------------------------------
# The plan: goals, chapters, sections, items
# ---------------------------------------------------------------------------

#: The line that opens the main-goals block: `2023年生态环境主要目标是：` (maybe with the
#: goals inline after the colon, as in the 2021 notice).
GOALS_INTRO = regex.compile(r"^(?P<intro>.{0,40}?主要(?:目标|指标)(?:任务)?(?:是|为)?)[：:](?P<rest>.*)$")
#: A chapter that holds the goals in plans without a goals block: `一、工作目标`.
GOALS_CHAPTER = regex.compile(r"^(?:工作|主要|总体|年度)?目标(?:任务|要求)?$")
#: A goal bullet: `——环境空气质量方面。…` (em dashes, or ASCII/full-width hyphens).
GOAL_BULLET = regex.compile(
    r"^(?:—{1,2}+|-{2}|－{2}|─{2})\s*(?P<body>(?=\S)(?:(?P<area>[^。：:；;，,]{1,30}?)(?:方面)?[。：:])?.+)$"
)
#: A chapter heading: `一、深入推进美丽浙江建设`, `十一、…`, `二十、…`.
CHAPTER_HEADING = regex.compile(
    r"^(?P<numeral>[一二三四五六七八九十]{1,3}|[一二三四五六七八九]?十[一二三四五六七八九]?)[、.．]\s*(?P<title>.+)$"
)
#: A section heading: `（一）空气质量改善目标`, `(二)主要大气污染物减排目标`.
SECTION_HEADING = regex.compile(
    r"^[（(](?P<numeral>[一二三四五六七八九十]{1,3})[）)]\s*(?P<title>.+)$"
)
#: A numbered item or entry: `1. `, `1．`, `1、`, `3.扎实` (no space); never `5.22` or `20 周年`.
ITEM_NUMBER = regex.compile(r"^(?P<no>\d{1,3})\s*(?:[.．、](?!\d)|[)）](?=\S))\s*(?P<body>.+)$")
#: The declared count of an appendix list: `（12项）`, `(8 项)`, `（共6项）`.
DECLARED_COUNT = regex.compile(r"\s*[（(]\s*共?\s*(?P<count>\d{1,4})\s*(?:项|个|条|件)\s*[）)]\s*$")

# ---------------------------------------------------------------------------
# Appendix (附件说明 and 附件)
# ---------------------------------------------------------------------------

#: 附件说明 in the body: `附件：《…》明确的主要事项` (or `附件：1. …`).
ATTACHMENT_NOTE = regex.compile(r"^附件\s*[：:]\s*(?P<text>.+)$")
#: The 附件 mark that opens an attachment: `附件`, `附件1`, `附件 2`.
ATTACHMENT_MARK = regex.compile(r"^附件\s*(?P<no>\d{1,2})?$")
#: The mark and the attachment's title on one line, as web copies print it:
#: `附件1：2023年重点任务清单`. (`附件：…` without a number is the 附件说明.)
ATTACHMENT_HEADING = regex.compile(r"^附件\s*(?P<no>\d{1,2})\s*[：:]\s*(?P<title>\S.*)$")

# ---------------------------------------------------------------------------
# Blocks: a line matching one of these always starts a new paragraph.
# ---------------------------------------------------------------------------

#: Patterns that start a block; used by the paragraph rebuilder to avoid joining lines.
BLOCK_STARTS: tuple[regex.Pattern[str], ...] = (
    CHAPTER_HEADING,
    SECTION_HEADING,
    ITEM_NUMBER,
    GOAL_BULLET,
    ATTACHMENT_NOTE,
    ATTACHMENT_MARK,
    ATTACHMENT_HEADING,
    DATE_LINE,
    COPY_TO,
    PRINTED_LINE,
    TABLE_ROW,
    ANNOTATION,
    ISSUER_MARK,
)
#: All of BLOCK_STARTS as one alternation, matched in one call: the paragraph rebuilders
#: test it on every line (`regex` allows the repeated group names).
BLOCK_START = regex.compile("|".join(f"(?:{pattern.pattern})" for pattern in BLOCK_STARTS))
#: Lines that are complete as they stand, so the next line never continues them.
COMPLETE_LINES: tuple[regex.Pattern[str], ...] = (
    ISSUER_MARK,
    DATE_LINE,
    PRINTED_LINE,
    TABLE_ROW,
    ANNOTATION,
    ATTACHMENT_MARK,
    NOTICE_TITLE,
    PLAN_TITLE,
    regex.compile(r"^" + DOC_NUMBER.pattern + r"$"),
)

# ---------------------------------------------------------------------------
# Character repairs (1:1 substitutions, so the offset map stays exact)
# ---------------------------------------------------------------------------

#: OCR confusions that form no Chinese word, with the word they stand for. Each pair has
#: the same length; a repair is reported as an `info` diagnostic.
OCR_CONFUSIONS: dict[str, str] = {
    "上壤": "土壤",  # 土 read as 上
    "士壤": "土壤",  # 土 read as 士
    "排汚": "排污",  # Japanese 汚 for 污
    "汚染": "污染",  # Japanese 汚 for 污
    "未端治": "末端治",  # 末 read as 未
}
#: A pattern matching any key of :data:`OCR_CONFUSIONS`.
OCR_CONFUSION = regex.compile("|".join(regex.escape(k) for k in OCR_CONFUSIONS))
#: CJK Radicals Supplement characters that PDF fonts put where a unified ideograph belongs
#: (NFKC leaves most of them alone). Kangxi radicals and compatibility ideographs fold via
#: their NFKC form in :mod:`zhenv_parse.normalize`.
RADICAL_SUPPLEMENT: dict[str, str] = dict(zip(
    "⺁⺅⺆⺊⺒⺓⺔⺖⺗⺘⺙⺛⺜⺝⺞⺟⺠⺡⺢⺣⺤⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺶⺹⺺⺻⺼⺽⺾⻀⻂⻃⻄⻅⻆⻈⻉⻋⻌⻏⻐⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "厂亻冂卜巳幺彑忄心扌攵旡日月歺母民氵氺灬爫丬牛犭王疋罒示礻竹糸纟羊耂肀聿月臼艹艹衤覀西见角讠贝车辶阝钅長长门雨青韦页风飞食饣马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
    strict=True,
))

# ---------------------------------------------------------------------------
# Quantities and targets (stage 4, extract)
# ---------------------------------------------------------------------------

#: Units as written → canonical unit. Multipliers (万, 亿) are separate, so `万吨/年` is
#: 万 × `吨/年`. Counted nouns (个, 家, 台 …) are units too: they are what is counted.
UNITS: dict[str, str] = {
    # percent and points
    "%": "%", "％": "%", "个百分点": "个百分点",
    # concentration and deposition
    "微克/立方米": "微克/立方米", "μg/m3": "微克/立方米", "μg/m³": "微克/立方米",
    "毫克/立方米": "毫克/立方米", "mg/m3": "毫克/立方米", "毫克/升": "毫克/升", "mg/L": "毫克/升",
    "吨/平方千米·月": "吨/平方千米·月", "吨/平方公里·月": "吨/平方千米·月",
    # rates
    "吨/年": "吨/年", "吨/日": "吨/日", "吨/天": "吨/日", "立方米/日": "立方米/日", "立方米/天": "立方米/日",
    # mass
    "吨": "吨", "千克": "千克", "公斤": "千克",
    # length, area, volume
    "公里": "公里", "千米": "公里", "km": "公里", "米": "米",
    "平方公里": "平方公里", "平方千米": "平方公里", "公顷": "公顷", "亩": "亩", "平方米": "平方米",
    "立方米": "立方米",
    # energy and money
    "千瓦时": "千瓦时", "千瓦": "千瓦", "兆瓦": "兆瓦", "元": "元",
    # time spans
    "天": "天", "小时": "小时",
    # counted nouns
    "个": "个", "家": "家", "台": "台", "项": "项", "场": "场", "座": "座", "条": "条", "辆": "辆",
    "处": "处", "所": "所", "套": "套", "艘": "艘", "户": "户", "人次": "人次", "人": "人", "名": "名",
    "次": "次", "只": "只", "件": "件", "部": "部", "份": "份", "宗": "宗", "起": "起", "批次": "批次",
}
#: Multipliers written between a number and its unit.
MULTIPLIERS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
_UNIT_ALTERNATION = "|".join(regex.escape(u) for u in sorted(UNITS, key=len, reverse=True))
#: A number with an optional multiplier and a unit: `1.5 万台`, `26微克/立方米`, `二十个`.
#: Never part of a name or a longer number (`PM2.5`, `1+6+20`, `5G`), never after `第`.
QUANTITY = regex.compile(
    r"(?<![A-Za-z0-9.\-+_第])(?P<approx>近|约|逾)?"
    r"(?P<number>\d+(?:\.\d+)?|[〇零一二两三四五六七八九十百千]*[二两三四五六七八九十百千][〇零一二两三四五六七八九十百千]*)"
    r"\s*(?P<multiplier>[万亿])?\s*(?P<unit>" + _UNIT_ALTERNATION + r")"
    r"(?![A-Za-z])(?P<suffix>以上|以下|以内|左右)?"
)
#: A bare number, for targets whose unit is not in :data:`UNITS` (kept with a diagnostic).
BARE_NUMBER = regex.compile(r"(?<![A-Za-z0-9.\-+_第])(?P<number>\d+(?:\.\d+)?)(?![\d.])")
#: Spans that hold names, not numbers: “八八战略”, 《…（2023—2025年）》, `PM2.5`.
NOT_A_NUMBER = regex.compile(r"“[^”]{0,40}”|《[^》]{0,80}》|\"[^\"]{0,40}\"|PM\s*\d+(?:\.\d+)?")
#: Comparator words before a number, longest first → comparator (`None`: no bound by itself).
COMPARATOR_PREFIXES: dict[str, str | None] = {
    "不低于": "ge", "不少于": "ge", "不小于": "ge", "不高于": "le", "不超过": "le", "不多于": "le",
    "不大于": "le", "低于": "lt", "少于": "lt", "小于": "lt", "高于": "gt", "多于": "gt", "大于": "gt",
    "超过": "gt", "达到": "ge", "达": "ge", "控制在": "le", "保持在": "eq", "保持": "eq", "为": "eq",
}
#: Words after a number that bound it: 以上/以下/以内 include the number (《民法典》第1259条).
COMPARATOR_SUFFIXES: dict[str, str] = {"以上": "ge", "以下": "le", "以内": "le"}
#: The comparator words as one pattern, anchored at the end of the text before a number.
COMPARATOR_BEFORE = regex.compile(
    r"(?P<aspiration>力争)?(?P<word>" + "|".join(sorted(COMPARATOR_PREFIXES, key=len, reverse=True))
    + r")?\s*$"
)
#: Change words → direction; the number is then a change, not a level.
CHANGE_WORDS: dict[str, str] = {
    "减少": "decrease", "下降": "decrease", "降低": "decrease", "削减": "decrease",
    "提高": "increase", "增长": "increase", "增加": "increase", "提升": "increase",
}
#: A change phrase right before a number: `同比减少`, `较2020年下降`, `分别削减`.
CHANGE_BEFORE = regex.compile(
    r"(?P<baseline>同比|较(?P<year>\d{4})年|比(?P<year2>\d{4})年)?(?:分别)?"
    r"(?P<word>" + "|".join(CHANGE_WORDS) + r")\s*$"
)
#: A share of a larger task: `完成“十四五”目标任务的 60% 以上`.
SHARE_BEFORE = regex.compile(r"(?:完成|达到)(?P<whole>.{1,20}?(?:目标任务|任务|目标))的\s*$")
#: Words that mark a number as an aspiration rather than a pledge.
ASPIRATION = regex.compile(r"力争")
#: A deadline: `8月底前`, `6月前`, `年底前`, `2025年底前`, `上半年`.
DEADLINE = regex.compile(
    r"(?:(?P<year>\d{4})年)?(?:(?P<month>\d{1,2}|[一二三四五六七八九十]{1,2})月|(?P<year_end>年))"
    r"(?:底|末)?(?:前|以前)|(?P<half>上半年)"
)
#: A clause that is only a deadline (`年底前`, `到6月底前`, `2023年9月底前`): it governs the
#: clauses after it in its sentence.
DEADLINE_CLAUSE = regex.compile(r"^(?:到|至|在|于)?\s*(?:" + DEADLINE.pattern + r")\s*$")
#: A clause that only names a time (`2022年`, `到2022年底`): context, not a target.
TIME_ONLY_CLAUSE = regex.compile(r"^(?:到|至|截至)?\d{4}年(?:底|末)?(?:前)?$")
#: Administrative scopes that open a clause: `全省`, `我市`, `设区城市`.
ADMIN_SCOPE = regex.compile(r"^(?P<scope>全省|全市|全县|全区|我省|我市|我县|我区|各设区市|设区城市|设区市|各地)")
#: Nouns that end a subject-of-target phrase (the scope), so what follows is the metric;
#: the longest such prefix wins (`废旧放射源和放射性废物`).
SCOPE_NOUN_END = regex.compile(
    r"^(?P<scope>.{1,20}(?:城市|断面|用地|地块|废物|污染物|园区|企业|海域|水源地|水源|河流|湖库|湖泊|耕地|放射源))"
    r"(?=.)"
)
#: Clauses that point elsewhere instead of stating a target: `工作目标见附件1`.
REFERENCE_CLAUSE = regex.compile(r"见附件|详见")
