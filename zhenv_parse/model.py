"""The data model of a parsed notice: one typed root, :class:`Notice`.

Every extracted element carries a :class:`Span` into the *original* source text, so
``source[span.start:span.end]`` is where it came from, and keeps its ``raw`` source text
beside its repaired ``text``. ``schemas/notice.schema.json`` is generated from these models
(``python -m zhenv_parse.schema --write``); a test fails when it is out of date.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: Bumped whenever the JSON shape changes; exports carry it so old files can be recognised.
SCHEMA_VERSION = "1.1"

Comparator = Literal["gt", "ge", "lt", "le", "eq"]
DiagnosticLevel = Literal["error", "warning", "info"]
TargetKind = Literal["level", "change", "share", "qualitative"]
ChangeDirection = Literal["increase", "decrease"]
FurnitureKind = Literal["page-number", "header", "footer"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=False)


class Span(_Model):
    """Character offsets into the decoded source text: ``source[start:end]``."""

    start: int = Field(ge=0, description="Offset of the first character in the source text.")
    end: int = Field(ge=0, description="Offset one past the last character in the source text.")
    page: int | None = Field(
        default=None, description="1-based page of `start`, when the source is paged (PDF)."
    )


class Diagnostic(_Model):
    """Something the parser noticed but could not resolve, with where it happened."""

    level: DiagnosticLevel = Field(description="`error`: data is missing or wrong; `warning`: "
                                   "suspicious input; `info`: a repair that was made.")
    code: str = Field(description="Stable machine-readable code, e.g. `numbering-gap`.")
    message: str = Field(description="Human-readable explanation, in English.")
    span: Span | None = Field(default=None, description="Where in the source, if anywhere.")


class PageFurniture(_Model):
    """A line printed on a page but not part of the notice's text (a page number, a running
    header or footer). Kept here, out of the text, so that nothing printed is lost."""

    page: int = Field(ge=1, description="1-based PDF page it is printed on.")
    kind: FurnitureKind = Field(description="`page-number`, `header` (top of the page) or "
                                "`footer` (bottom).")
    text: str = Field(description="The line as printed, e.g. `— 3 —`.")


class SourceInfo(_Model):
    """Where the notice was read from and how it was decoded."""

    path: str | None = Field(default=None, description="File path as given, or null for text.")
    format: str = Field(description="Input format: `text`, `pdf`, `html`, `docx`.")
    encoding: str | None = Field(default=None, description="Detected text encoding, if decoded.")
    sha256: str = Field(description="SHA-256 of the decoded source text (UTF-8).")
    length: int = Field(ge=0, description="Length of the decoded source text in characters.")
    complete: bool = Field(
        default=True, description="False when the copy is cut off (a `[[GAP]]` marker)."
    )
    pages: int | None = Field(default=None, ge=1,
                              description="Number of pages, for paged formats (PDF).")
    furniture: list[PageFurniture] = Field(
        default_factory=list, description="Page numbers and running headers and footers set "
        "aside from the text (PDF), in page order.")


class DocNumber(_Model):
    """发文字号, e.g. `浙环发〔2023〕1号`."""

    raw: str = Field(description="The number as written.")
    agency_code: str = Field(description="机关代字, e.g. `浙环发`.")
    year: int = Field(description="年份, e.g. 2023.")
    serial: int = Field(description="发文顺序号, e.g. 1.")
    span: Span = Field(description="Where the number stands in the source.")


class PortalMeta(_Model):
    """The metadata table of a government portal page (政府信息公开), as printed there."""

    index_no: str | None = Field(default=None, description="索引号.")
    topic: str | None = Field(default=None, description="主题分类.")
    issuer: str | None = Field(default=None, description="发文机关 as the portal gives it.")
    date: dt.date | None = Field(default=None, description="成文日期 as the portal gives it.")
    doc_number: str | None = Field(default=None, description="发文字号 as the portal gives it.")
    expiry: str | None = Field(default=None, description="废止时间 (often `暂无`).")
    extra: dict[str, str] = Field(
        default_factory=dict, description="Other label → value rows of the table."
    )


class Meta(_Model):
    """Front matter of the cover notice, named as in GB/T 9704-2012."""

    issuer_mark: str | None = Field(
        default=None, description="发文机关标志, e.g. `浙江省生态环境厅文件`."
    )
    issuer: str | None = Field(
        default=None, description="发文机关: the mark without `文件`, else the signatory."
    )
    doc_number: DocNumber | None = Field(default=None, description="发文字号.")
    title: str | None = Field(default=None, description="标题 of the cover notice.")
    recipients: list[str] = Field(
        default_factory=list, description="主送机关, one entry per recipient."
    )
    cover_text: str | None = Field(default=None, description="正文 of the cover notice.")
    signatory: str | None = Field(default=None, description="署名 (发文机关署名).")
    date: dt.date | None = Field(default=None, description="成文日期 as an ISO date.")
    annotation: str | None = Field(default=None, description="附注, e.g. `（此件公开发布）`.")
    attachment_note: str | None = Field(
        default=None, description="附件说明, e.g. `附件：《…》明确的主要事项`."
    )
    copy_to: list[str] = Field(
        default_factory=list, description="抄送机关 (版记), one entry per agency."
    )
    printed_by: str | None = Field(
        default=None, description="印发机关 (版记), e.g. `浙江省生态环境厅办公室`."
    )
    print_date: dt.date | None = Field(default=None, description="印发日期 (版记) as an ISO date.")
    plan_title: str | None = Field(
        default=None, description="Title of the attached plan, e.g. `2023年全省生态环境保护工作要点`."
    )
    plan_year: int | None = Field(default=None, description="The year the plan is for.")
    portal: PortalMeta | None = Field(
        default=None, description="The portal's metadata table, for notices read from HTML."
    )
    spans: dict[str, Span] = Field(
        default_factory=dict,
        description="Source span of each field that was found, keyed by field name; "
        "recipients are keyed `recipients.0`, `recipients.1`, …, and `copy_to.0`, … alike",
    )


class Quantity(_Model):
    """A number with a unit or counted noun found in an item's (or a section's) text."""

    id: str = Field(description="Stable id from the position, e.g. `chp_4__item_12__qty_1`, "
                    "or `chp_1__sec_2__qty_1` in a section's text.")
    text: str = Field(description="The phrase the number stands in, repaired.")
    value: int | float = Field(description="Normalised value (万/亿 multiplied out).")
    value_raw: str = Field(description="The number as written, e.g. `2 万`.")
    unit: str | None = Field(default=None, description="Canonical unit, e.g. `吨`, `%`.")
    unit_raw: str | None = Field(default=None, description="The unit as written.")
    comparator: Comparator | None = Field(default=None, description="Bound, where one applies.")
    approximate: bool = Field(default=False, description="`近`, `约`, `左右`: an estimate.")
    aspirational: bool = Field(default=False, description="`力争`: an aspiration, not a pledge.")
    deadline: dt.date | None = Field(default=None, description="Deadline, e.g. `8月底前`.")
    span: Span = Field(description="Where the phrase stands in the source.")


class Target(_Model):
    """A quantitative (or qualitative) goal from the main-goals block."""

    id: str = Field(description="Stable id from the position, e.g. `goal_1__target_2`.")
    text: str = Field(description="The clause, repaired.")
    raw: str = Field(description="The clause as it stands in the source.")
    kind: TargetKind = Field(description="`level`, `change`, `share` or `qualitative`.")
    metric: str | None = Field(default=None, description="What is measured, e.g. `PM2.5平均浓度`.")
    scope: str | None = Field(default=None, description="Subject it applies to, e.g. `设区城市`.")
    comparator: Comparator | None = Field(default=None, description="How value bounds metric.")
    value: int | float | None = Field(default=None, description="Normalised number.")
    value_raw: str | None = Field(default=None, description="The number as written.")
    unit: str | None = Field(default=None, description="Canonical unit.")
    unit_raw: str | None = Field(default=None, description="The unit as written.")
    direction: ChangeDirection | None = Field(default=None, description="For `change` targets.")
    baseline: str | None = Field(
        default=None, description="What a change is measured against, e.g. `previous_year`."
    )
    aspirational: bool = Field(default=False, description="`力争`: an aspiration, not a pledge.")
    deadline: dt.date | None = Field(default=None, description="Deadline, when stated.")
    span: Span = Field(description="Where the clause stands in the source.")


class Goal(_Model):
    """One bullet of the main-goals block (`——环境空气质量方面。…`)."""

    id: str = Field(description="Stable id, e.g. `goal_1`.")
    no: int = Field(ge=1, description="Position in the goals block, from 1.")
    area: str | None = Field(default=None, description="Goal area, e.g. `环境空气质量`.")
    text: str = Field(description="Full text of the bullet, repaired.")
    raw: str = Field(description="The bullet as it stands in the source.")
    span: Span
    targets: list[Target] = Field(default_factory=list, description="Targets in the bullet.")


class Deadline(_Model):
    """A time limit stated in a work item's text (`8月底前`, `年底前`, `上半年`)."""

    text: str = Field(description="The words as written, repaired, e.g. `8月底前`.")
    date: dt.date | None = Field(default=None, description="The last day it allows, in the "
                                 "plan year (null without a plan year).")
    span: Span


class Item(_Model):
    """A numbered work item (`1. 打造…。…`)."""

    id: str = Field(description="Stable id, e.g. `chp_4__item_11`.")
    no: int = Field(ge=0, description="The item's number as printed; runs on across chapters.")
    title: str = Field(description="Lead sentence, up to the first `。`.")
    text: str = Field(description="Full text without the number, repaired.")
    raw: str = Field(description="The item as it stands in the source.")
    section_no: int | None = Field(
        default=None, description="Number of the `（一）` section it sits in, if any."
    )
    span: Span
    quantities: list[Quantity] = Field(default_factory=list, description="Numbers in the text.")
    deadlines: list[Deadline] = Field(default_factory=list, description="Time limits in the "
                                      "text, in order, with or without a number near them.")


class Section(_Model):
    """A second-level heading inside a chapter (`（一）空气质量改善目标`)."""

    id: str = Field(description="Stable id, e.g. `chp_1__sec_2`.")
    no: int = Field(ge=0, description="Number from the numeral, e.g. 2 for `（二）`.")
    numeral: str = Field(description="The numeral as printed, e.g. `二`.")
    title: str = Field(description="Heading text.")
    text: str = Field(default="", description="Unnumbered text under the heading, repaired.")
    raw: str = Field(description="The section heading and text as in the source.")
    span: Span
    quantities: list[Quantity] = Field(
        default_factory=list, description="Numbers with units in the section's own text. Many "
        "notices set their work items as `（一）` sections with no numbered items under them; "
        "a section read as a goal (in a `工作目标` chapter) has its targets there instead.")
    deadlines: list[Deadline] = Field(default_factory=list, description="Time limits in the "
                                      "section's own text, in order.")


class Chapter(_Model):
    """A top-level heading (`一、深入推进美丽浙江建设`) with what stands under it."""

    id: str = Field(description="Stable id, e.g. `chp_1`.")
    no: int = Field(ge=0, description="Number from the numeral, e.g. 11 for `十一`.")
    numeral: str = Field(description="The numeral as printed, e.g. `十一`.")
    title: str = Field(description="Heading text, repaired.")
    raw: str = Field(description="The heading as it stands in the source.")
    text: str = Field(default="", description="Unnumbered text directly under the heading.")
    span: Span = Field(description="The heading's span.")
    sections: list[Section] = Field(default_factory=list, description="`（一）` sub-headings.")
    items: list[Item] = Field(default_factory=list, description="Numbered items, in order.")


class AppendixEntry(_Model):
    """One numbered entry of an appendix list."""

    id: str = Field(description="Stable id, e.g. `app_1__list_2__entry_3`.")
    no: int = Field(ge=0, description="The entry's number as printed.")
    text: str = Field(description="Entry text, repaired (list markers removed); in a table, "
                      "the first cell after the number.")
    raw: str = Field(description="The entry as it stands in the source.")
    span: Span
    cells: list[str] = Field(default_factory=list, description="The cells of a table row as "
                             "printed, the number's first (empty cells kept); empty for a "
                             "plain entry.")


class AppendixList(_Model):
    """A list in the appendix (`一、…工作清单（12项）`)."""

    id: str = Field(description="Stable id, e.g. `app_1__list_2`.")
    no: int = Field(ge=0, description="Number from the numeral; 0 for an untitled list.")
    numeral: str | None = Field(default=None, description="The numeral as printed.")
    title: str | None = Field(default=None, description="Heading without the count.")
    declared_count: int | None = Field(default=None, description="The count in `（12项）`.")
    raw: str = Field(description="The heading as it stands in the source.")
    span: Span = Field(description="The heading's span.")
    columns: list[str] = Field(default_factory=list, description="Column headings of a list "
                               "set as a table (`序号`, `重点任务`, `牵头单位`…); empty otherwise.")
    items: list[AppendixEntry] = Field(default_factory=list, description="Entries, in order.")


class Appendix(_Model):
    """An attachment (附件) of the notice."""

    id: str = Field(description="Stable id, e.g. `app_1`.")
    no: int = Field(ge=1, description="附件 number; 1 when unnumbered.")
    title: str | None = Field(default=None, description="The attachment's title.")
    span: Span = Field(description="From the `附件` mark to the end of the attachment.")
    lists: list[AppendixList] = Field(default_factory=list, description="Lists, in order.")


class TextBlock(_Model):
    """A run of plain paragraphs, e.g. the preamble."""

    text: str = Field(description="Paragraphs, repaired, joined by newlines.")
    raw: str = Field(description="As it stands in the source.")
    span: Span


class Notice(_Model):
    """A parsed work-plan notice: front matter, plan, appendix and diagnostics."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="Version of this JSON shape.")
    source: SourceInfo
    meta: Meta = Field(default_factory=Meta)
    preamble: TextBlock | None = Field(default=None, description="Text before the goals.")
    goals_intro: TextBlock | None = Field(
        default=None, description="The line that opens the goals, e.g. `…主要目标是：`."
    )
    goals: list[Goal] = Field(default_factory=list, description="Main-goals bullets.")
    chapters: list[Chapter] = Field(default_factory=list, description="Chapters, in order.")
    appendices: list[Appendix] = Field(default_factory=list, description="Attachments.")
    diagnostics: list[Diagnostic] = Field(default_factory=list, description="What went wrong.")

    @property
    def items(self) -> list[Item]:
        """All numbered items across chapters, in document order."""
        return [item for chapter in self.chapters for item in chapter.items]

    def to_json(self, *, indent: int | None = 2) -> str:
        """Deterministic UTF-8 JSON (not ASCII-escaped)."""
        return self.model_dump_json(indent=indent) + ("\n" if indent is not None else "")

    @classmethod
    def from_json(cls, data: str | bytes) -> Notice:
        """Load a notice exported by :meth:`to_json`."""
        return cls.model_validate_json(data)

    def to_xml(self) -> bytes:
        """Deterministic, pretty-printed UTF-8 XML described by ``schemas/notice.xsd``."""
        from .xml_export import to_xml

        return to_xml(self)


# ===========================================================================
# Diff of two notices and timeline of targets (built by zhenv_parse.differ)
# ===========================================================================
# `schemas/notice_diff.schema.json` is generated from NoticeDiff. Every element of either
# year appears in exactly one row; `old_*` fields are null for `added`, `new_*` for `removed`.

ItemStatus = Literal["unchanged", "reworded", "moved", "removed", "added"]
ChapterStatus = Literal["unchanged", "renamed", "moved", "removed", "added"]
BoundStatus = Literal["unchanged", "tightened", "loosened", "changed", "new", "dropped"]
ListStatus = Literal["unchanged", "changed", "removed", "added"]
DiffOpKind = Literal["equal", "delete", "insert"]


class DiffSide(_Model):
    """One of the two notices compared."""

    path: str | None = Field(default=None, description="Where it was read from, if a file.")
    sha256: str = Field(description="SHA-256 of its source text, as in `source.sha256`.")
    title: str | None = Field(default=None, description="Plan title, e.g. `2023年…工作要点`.")
    year: int | None = Field(default=None, description="The plan year.")
    doc_number: str | None = Field(default=None, description="发文字号 as written.")
    genre: str | None = Field(default=None, description="Kind of plan, e.g. `工作要点`.")


class DiffOp(_Model):
    """One run of a word-level inline diff on jieba tokens."""

    op: DiffOpKind = Field(description="`equal`, `delete` (old only) or `insert` (new only).")
    text: str = Field(description="The tokens of this run, joined.")


class ChapterDiff(_Model):
    """A chapter of either year, matched by its title and the items it holds."""

    status: ChapterStatus
    old_no: int | None = Field(default=None, description="Number in the old notice.")
    new_no: int | None = Field(default=None, description="Number in the new notice.")
    old_title: str | None = None
    new_title: str | None = None
    similarity: float | None = Field(default=None, description="Match score in [0, 1].")
    old_span: Span | None = None
    new_span: Span | None = None


class ItemDiff(_Model):
    """A work item of either year, matched by content."""

    status: ItemStatus = Field(description="`moved` wins over `reworded`; see `text_changed`.")
    old_no: int | None = None
    new_no: int | None = None
    old_id: str | None = None
    new_id: str | None = None
    old_chapter_no: int | None = None
    new_chapter_no: int | None = None
    old_title: str | None = None
    new_title: str | None = None
    similarity: float | None = Field(default=None, description="Match score in [0, 1].")
    text_changed: bool = Field(default=False, description="The repaired texts differ.")
    inline: list[DiffOp] = Field(
        default_factory=list, description="Word-level diff, old → new; the whole text of a "
        "removed (`delete`) or added (`insert`) item.")
    old_span: Span | None = None
    new_span: Span | None = None


class BoundValue(_Model):
    """One side of a compared target or quantity."""

    comparator: Comparator | None = Field(description="As extracted; null when none stated.")
    value: int | float | None
    unit: str | None
    direction: ChangeDirection | None = Field(default=None, description="For `change` targets.")
    text: str = Field(description="The clause or phrase, repaired.")
    span: Span | None = None


class TargetDiff(_Model):
    """A target of either year, matched by normalised metric and scope."""

    status: BoundStatus
    metric: str | None
    scope: str | None
    kind: TargetKind | None = None
    old: BoundValue | None = None
    new: BoundValue | None = None
    old_id: str | None = None
    new_id: str | None = None
    note: str | None = Field(default=None, description="Why `changed`, or what else changed.")


class QuantityDiff(_Model):
    """A quantity that changed inside a matched pair of items."""

    status: BoundStatus
    old_item_no: int | None
    new_item_no: int | None
    unit: str | None
    old: BoundValue | None = None
    new: BoundValue | None = None
    note: str | None = None


class DeadlineDiff(_Model):
    """A time limit that moved, came or went inside a matched pair of work items."""

    status: BoundStatus = Field(description="`tightened`: earlier in the year; `loosened`: "
                                "later; `changed`: not comparable as dates; `new`, `dropped`.")
    old_item_no: int | None
    new_item_no: int | None
    old: Deadline | None = None
    new: Deadline | None = None


class AppendixListDiff(_Model):
    """An appendix list of either year; entries compared as sets of normalised text."""

    status: ListStatus
    title: str | None = Field(description="The new title, or the old one when removed.")
    old_title: str | None = None
    new_title: str | None = None
    old_no: int | None = None
    new_no: int | None = None
    declared_count: tuple[int | None, int | None] = Field(
        default=(None, None), description="Declared counts `[old, new]`.")
    added: list[str] = Field(default_factory=list, description="Entries only in the new list.")
    removed: list[str] = Field(default_factory=list, description="Entries only in the old list.")
    unchanged: list[str] = Field(default_factory=list, description="Entries in both.")


class MetaChange(_Model):
    """A front-matter field whose value differs between the years."""

    field: str = Field(description="`doc_number`, `date`, `title`, `recipients`, …")
    old: str | None
    new: str | None


class NoticeDiff(_Model):
    """What changed from one notice (`old`) to another (`new`)."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="Version of this JSON shape.")
    old: DiffSide
    new: DiffSide
    summary: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="Row counts per section and status.")
    meta: list[MetaChange] = Field(default_factory=list, description="Changed front matter.")
    chapters: list[ChapterDiff] = Field(default_factory=list)
    items: list[ItemDiff] = Field(default_factory=list)
    targets: list[TargetDiff] = Field(default_factory=list)
    quantities: list[QuantityDiff] = Field(default_factory=list)
    deadlines: list[DeadlineDiff] = Field(default_factory=list)
    appendix: list[AppendixListDiff] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(
        default_factory=list, description="Why the comparison is partial, if it is.")

    def to_json(self, *, indent: int | None = 2) -> str:
        """Deterministic UTF-8 JSON (not ASCII-escaped)."""
        return self.model_dump_json(indent=indent) + ("\n" if indent is not None else "")


class TimelineCell(_Model):
    """A metric's target in one year, and the step from the year before."""

    year: int | None
    value: BoundValue | None = Field(description="Null when the year has no such target.")
    step: BoundStatus | None = Field(description="Change from the previous column; null first.")


class TimelineRow(_Model):
    """One target metric across the years."""

    metric: str | None
    scope: str | None
    unit: str | None
    cells: list[TimelineCell]


class Timeline(_Model):
    """Targets of three or more years, one row per metric, one column per year."""

    years: list[int | None]
    sides: list[DiffSide]
    rows: list[TimelineRow] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)
