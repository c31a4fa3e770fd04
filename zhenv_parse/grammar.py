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
    DATE_LINE,
    ANNOTATION,
    ISSUER_MARK,
)
#: Lines that are complete as they stand, so the next line never continues them.
COMPLETE_LINES: tuple[regex.Pattern[str], ...] = (
    ISSUER_MARK,
    DATE_LINE,
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
