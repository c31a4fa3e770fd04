"""Stage 3, segment: paragraphs → front matter, preamble, goals, chapters, items, appendix.

Works only on :class:`~zhenv_parse.normalize.NormalizedText` (its paragraphs, its text and
its :meth:`source_span`), and matches only patterns from :mod:`zhenv_parse.grammar`.
It never invents structure: a paragraph that fits no element is reported as a diagnostic,
and an element that is expected but missing is reported too.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import regex

from . import grammar
from .model import (
    Appendix,
    AppendixEntry,
    AppendixList,
    Chapter,
    Diagnostic,
    DocNumber,
    Goal,
    Item,
    Meta,
    Section,
    Span,
    TextBlock,
)
from .normalize import NormalizedText, Paragraph
from .numerals import NumeralError, to_int

#: How many paragraphs from the top the cover notice's title may stand at.
MAX_FRONT_MATTER_HEAD = 8
#: A signatory line is at most this long.
MAX_SIGNATORY_LENGTH = 40
#: An item without `。` gets its whole first paragraph as title up to this length.
MAX_TITLE_WITHOUT_STOP = 80
#: Without a plan title or date, the plan year is guessed from this much opening text.
YEAR_GUESS_WINDOW = 2000
#: A table row whose first cell is a number of at most this many digits is an entry.
MAX_ENTRY_DIGITS = 3


@dataclass
class Segments:
    """What the segmenter found, as model objects with source spans."""

    meta: Meta = field(default_factory=Meta)
    preamble: TextBlock | None = None
    goals_intro: TextBlock | None = None
    goals: list[Goal] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    appendices: list[Appendix] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class _Segmenter:
    """One pass over the paragraphs; holds the element currently being filled."""

    def __init__(self, norm: NormalizedText) -> None:
        self.norm = norm
        self.paragraphs = norm.paragraphs
        self.out = Segments()
        self.preamble: list[Paragraph] = []
        self.continuation_end: int | None = None  # normalised end of the element being filled
        self.current: Goal | Item | Section | Chapter | None = None
        self.current_start = 0
        self.appendix: Appendix | None = None
        self.appendix_list: AppendixList | None = None
        self.section_no: int | None = None
        self.last_item_no: int | None = None  # numbering runs on across chapters
        self.text_spans: dict[str, tuple[int, int]] = {}  # own text of chapters and sections, by id

    # -- helpers -------------------------------------------------------------

    def span(self, start: int, end: int) -> Span:
        source_start, source_end = self.norm.source_span(start, end)
        return Span(start=source_start, end=source_end)

    def raw(self, start: int, end: int) -> str:
        return self.norm.raw(start, end)

    def diagnose(self, level: str, code: str, message: str, start: int | None = None,
                 end: int | None = None) -> None:
        span = self.span(start, end) if start is not None and end is not None else None
        self.out.diagnostics.append(
            Diagnostic(level=level, code=code, message=message, span=span)
        )

    def numeral_value(self, numeral: str, para: Paragraph) -> int:
        try:
            return to_int(numeral)
        except NumeralError:
            self.diagnose("warning", "bad-numeral", f"cannot read numeral {numeral!r}",
                          para.start, para.end)
            return 0

    # -- front matter --------------------------------------------------------

    def front_matter(self) -> int:
        """Read the cover notice; returns the index of the first paragraph after it."""
        paragraphs = self.paragraphs
        meta = self.out.meta
        title_index = next(
            (i for i, p in enumerate(paragraphs[:MAX_FRONT_MATTER_HEAD])
             if grammar.NOTICE_TITLE.match(p.text)), None)
        head_end = title_index if title_index is not None else 0
        for para in paragraphs[:head_end]:
            self.head_line(para)
        if title_index is None:
            return self.head_only()
        title = paragraphs[title_index]
        meta.title = title.text
        meta.spans["title"] = self.span(title.start, title.end)
        plan = grammar.PLAN_TITLE_IN_NOTICE.search(title.text)
        if plan:
            meta.plan_title = plan.group("plan")
            meta.spans["plan_title"] = self.span(title.start + plan.start("plan"),
                                                 title.start + plan.end("plan"))
        index = title_index + 1
        if index < len(paragraphs):
            recipients = grammar.RECIPIENTS.match(paragraphs[index].text)
            if recipients and not grammar.GOALS_INTRO.match(paragraphs[index].text):
                self.read_agencies(paragraphs[index], recipients, meta.recipients, "recipients")
                index += 1
        return self.cover_body(index)

    def head_only(self) -> int:
        """No cover-notice title: keep the issuer mark and number, if any, and move on."""
        index = 0
        while index < len(self.paragraphs) and (
            grammar.ISSUER_MARK.match(self.paragraphs[index].text)
            or grammar.DOC_NUMBER.fullmatch(self.paragraphs[index].text)
        ):
            self.head_line(self.paragraphs[index])
            index += 1
        return index

    def head_line(self, para: Paragraph) -> None:
        """A line above the title: issuer mark, document number, or something unknown."""
        meta = self.out.meta
        mark = grammar.ISSUER_MARK.match(para.text)
        number = grammar.DOC_NUMBER.search(para.text)
        if mark and meta.issuer_mark is None:
            meta.issuer_mark = para.text
            meta.issuer = mark.group("issuer")
            meta.spans["issuer_mark"] = self.span(para.start, para.end)
        elif number and meta.doc_number is None:
            start, end = para.start + number.start(), para.start + number.end()
            meta.doc_number = DocNumber(
                raw=number.group(), agency_code=number.group("agency_code"),
                year=int(number.group("year")), serial=int(number.group("serial")),
                span=self.span(start, end))
        else:
            self.unassigned(para, "above the notice title")

    def read_agencies(self, para: Paragraph, match: regex.Match[str], names: list[str],
                      key: str) -> None:
        """主送机关 or 抄送机关: one name per agency, split outside brackets."""
        text, offset = match.group("recipients"), para.start + match.start("recipients")
        for start, end in _split_outside_brackets(text, "、，,"):
            name = text[start:end].strip()
            if name:
                self.out.meta.spans[f"{key}.{len(names)}"] = self.span(offset + start,
                                                                       offset + end)
                names.append(name)
        self.out.meta.spans[key] = self.span(para.start, para.end)

    def read_imprint(self, para: Paragraph) -> bool:
        """版记 at the end: 抄送机关, or 印发机关和印发日期. Whether `para` was one."""
        meta = self.out.meta
        if (copy_to := grammar.COPY_TO.match(para.text)) is not None:
            self.close_current()
            self.read_agencies(para, copy_to, meta.copy_to, "copy_to")
            return True
        if (printed := grammar.PRINTED_LINE.match(para.text)) is None:
            return False
        self.close_current()
        meta.printed_by = printed.group("office")
        meta.spans["printed_by"] = self.span(para.start, para.start + printed.end("office"))
        try:
            meta.print_date = dt.date(to_int(printed.group("year")), to_int(printed.group("month")),
                                      to_int(printed.group("day")))
            meta.spans["print_date"] = self.span(para.start + printed.start("year"), para.end)
        except (NumeralError, ValueError):
            self.diagnose("error", "bad-date", f"not a calendar date: {para.text!r}",
                          para.start, para.end)
        return True

    def cover_body(self, index: int) -> int:
        """Cover text, 署名, 成文日期 and 附注; returns where the plan starts."""
        paragraphs = self.paragraphs
        meta = self.out.meta
        date_index = next(
            (i for i in range(index, len(paragraphs))
             if grammar.DATE_LINE.match(paragraphs[i].text)
             or _starts_plan(paragraphs[i].text)), None)
        if date_index is None or not grammar.DATE_LINE.match(paragraphs[date_index].text):
            self.diagnose("warning", "missing-date", "the cover notice has no 成文日期")
            end = date_index if date_index is not None else len(paragraphs)
            self.set_cover_text(index, end)
            return end
        cover_end = date_index
        before = paragraphs[date_index - 1] if date_index > index else None
        if before is not None and _is_signatory(before.text):
            meta.signatory = before.text
            meta.spans["signatory"] = self.span(before.start, before.end)
            cover_end -= 1
        self.set_cover_text(index, cover_end)
        self.read_date(paragraphs[date_index])
        index = date_index + 1
        if index < len(paragraphs):
            annotation = grammar.ANNOTATION.match(paragraphs[index].text)
            if annotation:
                meta.annotation = paragraphs[index].text
                meta.spans["annotation"] = self.span(paragraphs[index].start, paragraphs[index].end)
                index += 1
        if meta.issuer is None and meta.signatory is not None:
            meta.issuer = meta.signatory
        return index

    def set_cover_text(self, start_index: int, end_index: int) -> None:
        if end_index <= start_index:
            return
        start = self.paragraphs[start_index].start
        end = self.paragraphs[end_index - 1].end
        self.out.meta.cover_text = self.norm.text[start:end]
        self.out.meta.spans["cover_text"] = self.span(start, end)

    def read_date(self, para: Paragraph) -> None:
        match = grammar.DATE_LINE.match(para.text)
        assert match is not None
        try:
            date = dt.date(to_int(match.group("year")), to_int(match.group("month")),
                           to_int(match.group("day")))
        except (NumeralError, ValueError):
            self.diagnose("error", "bad-date", f"not a calendar date: {para.text!r}",
                          para.start, para.end)
            return
        self.out.meta.date = date
        self.out.meta.spans["date"] = self.span(para.start, para.end)

    # -- the plan ------------------------------------------------------------

    def plan(self, index: int) -> None:
        paragraphs = self.paragraphs
        if index < len(paragraphs) and _is_plan_title(paragraphs[index].text):
            para = paragraphs[index]
            self.out.meta.plan_title = para.text
            self.out.meta.spans["plan_title"] = self.span(para.start, para.end)
            index += 1
        elif self.out.meta.plan_title is None:
            self.diagnose("warning", "missing-plan-title", "no title found for the plan")
        for para in paragraphs[index:]:
            self.paragraph(para)
        self.close_current()
        self.close_preamble()

    def paragraph(self, para: Paragraph) -> None:
        text = para.text
        if self.read_imprint(para):
            return
        if self.appendix is not None:
            self.appendix_paragraph(para)
        elif (note := grammar.ATTACHMENT_NOTE.match(text)) is not None:
            self.close_current()
            self.out.meta.attachment_note = note.group("text")
            self.out.meta.spans["attachment_note"] = self.span(para.start, para.end)
        elif (mark := grammar.ATTACHMENT_MARK.match(text)
              or grammar.ATTACHMENT_HEADING.match(text)) is not None:
            self.close_current()
            self.open_appendix(para, mark)
        elif (heading := grammar.CHAPTER_HEADING.match(text)) is not None:
            self.open_chapter(para, heading)
        elif (section := grammar.SECTION_HEADING.match(text)) is not None and self.out.chapters:
            self.open_section(para, section)
        elif (item := grammar.ITEM_NUMBER.match(text)) is not None:
            if self.out.goals_intro is not None and not self.out.chapters:
                self.open_goal(para, item)  # `主要目标：` then `1.…`: numbered goals
            else:
                self.open_item(para, item)
        elif not self.out.chapters and (intro := grammar.GOALS_INTRO.match(text)) is not None:
            self.open_goals(para, intro)
        elif (bullet := grammar.GOAL_BULLET.match(text)) is not None and (
            self.out.goals_intro is not None and not self.out.chapters
        ):
            self.open_goal(para, bullet)
        elif grammar.DATE_LINE.match(text) and self.out.meta.date is None:
            self.close_current()
            self.read_date(para)
        elif self.current is not None:
            self.continuation_end = para.end  # more text of the element being filled
        elif not self.out.chapters and self.out.goals_intro is None:
            self.preamble.append(para)
        else:
            self.unassigned(para, "outside any element")

    def close_preamble(self) -> None:
        if self.preamble:
            start, end = self.preamble[0].start, self.preamble[-1].end
            self.out.preamble = TextBlock(text=self.norm.text[start:end], raw=self.raw(start, end),
                                          span=self.span(start, end))
            self.preamble = []

    def open_goals(self, para: Paragraph, intro: regex.Match[str]) -> None:
        self.close_current()
        self.close_preamble()
        end = para.start + intro.end("intro") + 1
        self.out.goals_intro = TextBlock(text=self.norm.text[para.start:end],
                                         raw=self.raw(para.start, end), span=self.span(para.start, end))
        rest_start = para.start + intro.start("rest")
        if intro.group("rest").strip():  # goals inline after the colon, one goal without area
            goal = Goal(id="goal_1", no=1, area=None, text=intro.group("rest"),
                        raw=self.raw(rest_start, para.end), span=self.span(rest_start, para.end))
            self.out.goals.append(goal)

    def open_goal(self, para: Paragraph, bullet: regex.Match[str]) -> None:
        self.close_current()
        no = len(self.out.goals) + 1
        area = bullet.groupdict().get("area")  # numbered goals (`1.…`) name no area
        goal = Goal(id=f"goal_{no}", no=no, area=area, text="", raw="",
                    span=Span(start=0, end=0))
        self.out.goals.append(goal)
        self.start_filling(goal, para.start, para.end, body_start=para.start + bullet.start("body"))

    def open_chapter(self, para: Paragraph, heading: regex.Match[str]) -> None:
        self.close_current()
        self.close_preamble()
        numeral = heading.group("numeral")
        no = self.numeral_value(numeral, para)
        expected = self.out.chapters[-1].no + 1 if self.out.chapters else 1
        if no != expected:
            self.diagnose("warning", "chapter-numbering",
                          f"chapter {numeral}、 follows chapter {expected - 1}", para.start, para.end)
        title, title_end = _lead_sentence(heading.group("title"))
        title_end += para.start + heading.start("title")
        chapter = Chapter(id=f"chp_{len(self.out.chapters) + 1}", no=no, numeral=numeral,
                          title=title, raw=self.raw(para.start, title_end),
                          span=self.span(para.start, title_end))
        self.out.chapters.append(chapter)
        self.section_no = None
        # Text under the heading, on its line or in paragraphs after it, is the chapter's own.
        self.start_filling(chapter, title_end, para.end)

    def open_section(self, para: Paragraph, heading: regex.Match[str]) -> None:
        self.close_current()
        chapter = self.out.chapters[-1]
        numeral = heading.group("numeral")
        no = self.numeral_value(numeral, para)
        title, title_end = _lead_sentence(heading.group("title"))
        section = Section(id=f"{chapter.id}__sec_{len(chapter.sections) + 1}", no=no,
                          numeral=numeral, title=title, raw="", span=Span(start=0, end=0))
        chapter.sections.append(section)
        self.section_no = no
        self.start_filling(section, para.start, para.end,
                           body_start=para.start + heading.start("title") + title_end)

    def open_item(self, para: Paragraph, match: regex.Match[str]) -> None:
        self.close_current()
        if not self.out.chapters:
            self.close_preamble()
            self.diagnose("warning", "implicit-chapter",
                          "numbered item before any chapter heading; kept in an untitled chapter",
                          para.start, para.end)
            self.out.chapters.append(Chapter(id="chp_0", no=0, numeral="", title="", raw="",
                                             span=self.span(para.start, para.start)))
        chapter = self.out.chapters[-1]
        no = int(match.group("no"))
        self.check_item_number(no, chapter, para)
        item = Item(id=f"{chapter.id}__item_{no}", no=no, title="", text="", raw="",
                    section_no=self.section_no, span=Span(start=0, end=0))
        chapter.items.append(item)
        self.start_filling(item, para.start, para.end, body_start=para.start + match.start("body"))

    def check_item_number(self, no: int, chapter: Chapter, para: Paragraph) -> None:
        previous = self.last_item_no
        self.last_item_no = no
        if previous is None:
            if no != 1:
                self.diagnose("warning", "numbering-gap", f"first item is numbered {no}",
                              para.start, para.end)
            return
        restarted = no == 1 and (not chapter.items or (
            self.section_no is not None and chapter.items[-1].section_no != self.section_no))
        if no == previous + 1 or restarted:
            return
        if no <= previous:
            self.diagnose("warning", "numbering-repeat", f"item {no} follows item {previous}",
                          para.start, para.end)
        else:
            self.diagnose("warning", "numbering-gap",
                          f"item {no} follows item {previous}; {no - previous - 1} missing",
                          para.start, para.end)

    def start_filling(self, element: Goal | Item | Section | Chapter, start: int, end: int,
                      body_start: int | None = None) -> None:
        """Make `element` the one that following plain paragraphs continue."""
        self.current = element
        self.current_start = start
        self.body_start = start if body_start is None else body_start
        self.continuation_end = end

    def close_current(self) -> None:
        """Give the element being filled its text, raw text and span."""
        element, start, end = self.current, self.current_start, self.continuation_end
        self.current = None
        if element is None or end is None:
            return
        span, raw, body = self.span(start, end), self.raw(start, end), self.norm.text[self.body_start:end]
        if isinstance(element, Item):
            element.text, element.raw, element.span = body, raw, span
            element.title = self.item_title(body, self.body_start)
        elif isinstance(element, Goal):
            element.text, element.raw, element.span = body, raw, span
        elif isinstance(element, Section):
            element.text, element.raw, element.span = body.lstrip("。\n"), raw, span
            if element.text:
                self.text_spans[element.id] = (end - len(element.text), end)
        else:  # a chapter's own text, after its heading
            element.text = body.lstrip("。\n")
            if element.text:
                self.text_spans[element.id] = (end - len(element.text), end)

    def item_title(self, body: str, body_start: int) -> str:
        title, title_end = _lead_sentence(body)
        if title_end == len(body.split("\n", 1)[0]) and len(title) > MAX_TITLE_WITHOUT_STOP:
            self.diagnose("warning", "item-title-unclear",
                          "item has no `。`; its title is its first paragraph",
                          body_start, body_start + len(title))
        return title

    # -- appendix ------------------------------------------------------------

    def open_appendix(self, para: Paragraph, mark: regex.Match[str]) -> None:
        """An attachment starts at its mark (`附件1`), or at a mark with its title on the same
        line (`附件1：…清单`)."""
        no = int(mark.group("no")) if mark.group("no") else len(self.out.appendices) + 1
        title = mark.groupdict().get("title")
        self.appendix = Appendix(id=f"app_{len(self.out.appendices) + 1}", no=no, title=title,
                                 span=self.span(para.start, para.end))
        self.appendix_list = None
        self.appendix_start = para.start
        self.out.appendices.append(self.appendix)

    def appendix_paragraph(self, para: Paragraph) -> None:
        appendix = self.appendix
        assert appendix is not None
        appendix.span = self.span(self.appendix_start, para.end)
        if (mark := grammar.ATTACHMENT_MARK.match(para.text)
                or grammar.ATTACHMENT_HEADING.match(para.text)) is not None:
            self.close_appendix()
            self.open_appendix(para, mark)
        elif (heading := grammar.CHAPTER_HEADING.match(para.text)) is not None:
            self.close_appendix_list()
            self.open_appendix_list(para, heading)
        elif grammar.TABLE_ROW.match(para.text):
            self.table_row(para)
        elif (entry := grammar.ITEM_NUMBER.match(para.text)) is not None:
            if self.appendix_list is None:
                self.open_implicit_list(para)
            self.add_entry(para, int(entry.group("no")), entry.group("body"))
        elif appendix.title is None and self.appendix_list is None:
            appendix.title = para.text
        else:
            self.unassigned(para, "in the appendix")

    def open_implicit_list(self, para: Paragraph) -> None:
        """Entries straight under the attachment's title: one list, whose declared count,
        if any, is the title's (`2023年重点任务清单（12项）`)."""
        appendix = self.appendix
        assert appendix is not None
        count = grammar.DECLARED_COUNT.search(appendix.title or "")
        self.appendix_list = AppendixList(
            id=f"{appendix.id}__list_1", no=0, raw="", span=self.span(para.start, para.start),
            declared_count=int(count.group("count")) if count else None)
        appendix.lists.append(self.appendix_list)

    def open_appendix_list(self, para: Paragraph, heading: regex.Match[str]) -> None:
        appendix = self.appendix
        assert appendix is not None
        title = heading.group("title")
        count = grammar.DECLARED_COUNT.search(title)
        declared = int(count.group("count")) if count else None
        numeral = heading.group("numeral")
        self.appendix_list = AppendixList(
            id=f"{appendix.id}__list_{len(appendix.lists) + 1}",
            no=self.numeral_value(numeral, para), numeral=numeral,
            title=title[: count.start()] if count else title, declared_count=declared,
            raw=self.raw(para.start, para.end), span=self.span(para.start, para.end))
        appendix.lists.append(self.appendix_list)

    def table_row(self, para: Paragraph) -> None:
        """A row of a list set as a table: the heading row gives the columns, a row whose
        first cell is a number is an entry."""
        cells = [cell.strip() for cell in para.text.split(grammar.TABLE_CELL_BREAK)]
        if self.appendix_list is None:
            self.open_implicit_list(para)
        assert self.appendix_list is not None
        if cells[0].isdigit() and len(cells[0]) <= MAX_ENTRY_DIGITS:
            text = next((cell for cell in cells[1:] if cell), "")
            self.add_entry(para, int(cells[0]), text, cells)
        elif not self.appendix_list.items and not self.appendix_list.columns:
            self.appendix_list.columns = cells
        else:
            self.unassigned(para, "in an appendix table")

    def add_entry(self, para: Paragraph, no: int, text: str,
                  cells: list[str] | None = None) -> None:
        entries = self.appendix_list.items if self.appendix_list else []
        expected = entries[-1].no + 1 if entries else 1
        if no != expected:
            code = "numbering-repeat" if no < expected else "numbering-gap"
            self.diagnose("warning", code, f"entry {no} where {expected} was expected",
                          para.start, para.end)
        entries.append(AppendixEntry(
            id=f"{self.appendix_list.id if self.appendix_list else ''}__entry_{len(entries) + 1}",
            no=no, text=text, raw=self.raw(para.start, para.end),
            span=self.span(para.start, para.end), cells=cells or []))

    def close_appendix_list(self) -> None:
        lst = self.appendix_list
        if lst is not None and lst.declared_count is not None and lst.declared_count != len(lst.items):
            self.out.diagnostics.append(Diagnostic(
                level="warning", code="declared-count-mismatch",
                message=f"{f'list {lst.numeral}、' if lst.numeral else 'the list'} declares "
                        f"{lst.declared_count} entries but has {len(lst.items)}", span=lst.span))
        self.appendix_list = None

    def close_appendix(self) -> None:
        self.close_appendix_list()
        if self.appendix is not None and self.appendix.title is None:
            self.diagnose("warning", "missing-appendix-title", "the appendix has no title")
        self.appendix = None

    # -- leftovers -----------------------------------------------------------

    def unassigned(self, para: Paragraph, where: str) -> None:
        self.diagnose("warning", "unassigned-text",
                      f"text {where} fits no element: {para.text[:30]!r}", para.start, para.end)

    def finish(self) -> Segments:
        self.close_current()
        self.close_appendix()
        meta, diagnostics = self.out.meta, self.out.diagnostics
        meta.plan_year = _plan_year(meta.plan_title, meta.date)
        if meta.plan_year is None:
            meta.plan_year = _most_common_year(self.norm.text[:YEAR_GUESS_WINDOW])
            if meta.plan_year is not None:
                diagnostics.append(Diagnostic(
                    level="info", code="plan-year-guessed",
                    message=f"no plan title or date; plan year {meta.plan_year} is the year "
                            "the opening text names most"))
        if not self.out.goals:
            self.goals_from_chapter()
        if meta.doc_number is None and meta.title is not None:
            diagnostics.append(Diagnostic(level="info", code="missing-doc-number",
                                          message="the cover notice has no 发文字号"))
        if not self.out.chapters:
            diagnostics.append(Diagnostic(level="warning", code="no-chapters",
                                          message="no chapter headings found"))
        for gap in self.norm.gap_offsets:
            diagnostics.append(Diagnostic(
                level="warning", code="incomplete-document",
                message="the copy is cut off here ([[GAP]]); what follows is missing",
                span=Span(start=gap, end=gap)))
        return self.out


    def goals_from_chapter(self) -> None:
        """Plans without a goals block state their goals in a chapter `一、工作目标` (one goal
        per section, else per numbered item, else per paragraph of the chapter's text) or in
        a section `（二）主要目标` (one goal per item in it, else per paragraph of its text).
        The sections and items stay where they are as well."""
        chapter = next((c for c in self.out.chapters if grammar.GOALS_CHAPTER.match(c.title)), None)
        found: list[tuple[str | None, str, str, Span]] = []
        if chapter is not None:
            found = ([(s.title, s.text, s.raw, s.span) for s in chapter.sections]
                     or [(None, i.text, i.raw, i.span) for i in chapter.items]
                     or self.own_paragraphs(chapter.id))
        else:
            for chapter in self.out.chapters:
                section = next((s for s in chapter.sections
                                if grammar.GOALS_CHAPTER.match(s.title)), None)
                if section is not None:
                    found = ([(None, i.text, i.raw, i.span) for i in chapter.items
                              if i.section_no == section.no]
                             or self.own_paragraphs(section.id))
                    break
        for area, text, raw, span in found:
            no = len(self.out.goals) + 1
            self.out.goals.append(Goal(id=f"goal_{no}", no=no, area=area, text=text, raw=raw,
                                       span=span))

    def own_paragraphs(self, element_id: str) -> list[tuple[str | None, str, str, Span]]:
        """(no area, text, raw, span) of each paragraph of a chapter's or section's own text."""
        if element_id not in self.text_spans:
            return []
        start, end = self.text_spans[element_id]
        return [(None, para.text, self.raw(para.start, para.end), self.span(para.start, para.end))
                for para in self.paragraphs if start <= para.start and para.end <= end]


def segment(norm: NormalizedText) -> Segments:
    """Split normalised text into the notice's elements."""
    segmenter = _Segmenter(norm)
    index = segmenter.front_matter()
    segmenter.plan(index)
    return segmenter.finish()


# -- pure helpers -------------------------------------------------------------

def _split_outside_brackets(text: str, separators: str) -> list[tuple[int, int]]:
    """Spans between separators, ignoring separators inside any kind of bracket."""
    spans, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in grammar.OPEN_BRACKETS or char in "《“‘":
            depth += 1
        elif char in grammar.CLOSE_BRACKETS or char in "》”’":
            depth = max(depth - 1, 0)
        elif char in separators and depth == 0:
            spans.append((start, index))
            start = index + 1
    spans.append((start, len(text)))
    return spans


def _lead_sentence(text: str) -> tuple[str, int]:
    """The text up to the first `。` (outside brackets) or line end, and where it ends."""
    depth = 0
    for index, char in enumerate(text):
        if char in grammar.OPEN_BRACKETS or char in "《“":
            depth += 1
        elif char in grammar.CLOSE_BRACKETS or char in "》”":
            depth = max(depth - 1, 0)
        elif (char == "。" and depth == 0) or char == "\n":
            return text[:index], index
    return text, len(text)


def _starts_plan(text: str) -> bool:
    return bool(_is_plan_title(text) or grammar.CHAPTER_HEADING.match(text)
                or grammar.GOALS_INTRO.match(text))


def _is_plan_title(text: str) -> bool:
    return bool(grammar.PLAN_TITLE.match(text)) and not grammar.CHAPTER_HEADING.match(text)


def _is_signatory(text: str) -> bool:
    return len(text) <= MAX_SIGNATORY_LENGTH and not any(c in text for c in "。，,；;：:")


def _most_common_year(text: str) -> int | None:
    years = Counter(int(match.group("year")) for match in grammar.YEAR.finditer(text))
    return max(years, key=lambda year: (years[year], year)) if years else None


def _plan_year(plan_title: str | None, date: dt.date | None) -> int | None:
    if plan_title:
        year = grammar.YEAR.search(plan_title)
        if year:
            return int(year.group("year"))
    return date.year if date else None
