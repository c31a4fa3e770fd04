"""Stage 4, extract: targets in the goals and quantities in the items, as typed data.

Works on the repaired text of goals and items (segment's output) and maps positions back to
the source with a :class:`~zhenv_parse.normalize.NormalizedText`. All words, units and
patterns are tables in :mod:`zhenv_parse.grammar`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, replace

import regex

from . import grammar
from .model import Comparator, Deadline, Diagnostic, Goal, Item, Quantity, Section, Span, Target
from .normalize import NormalizedText
from .numerals import NumeralError, to_number

#: How far before a number comparator and change words are looked for.
LOOKBEHIND_CHARS = 12
#: Clause separators inside a sentence (outside brackets and quotes).
CLAUSE_SEPARATORS = "，,；;"


@dataclass(frozen=True)
class _Found:
    """A number with its unit and what bounds it, at [start, end) of the text searched."""

    start: int
    end: int
    value: int | float
    value_raw: str
    unit: str | None
    unit_raw: str | None
    comparator: Comparator | None
    approximate: bool
    aspirational: bool
    direction: str | None
    baseline: str | None
    share_of: str | None
    phrase_start: int  # where the comparator or change words begin


class Extractor:
    """Fills ``goals[].targets`` and ``items[].quantities``; collects diagnostics."""

    def __init__(self, norm: NormalizedText, plan_year: int | None) -> None:
        self.norm = norm
        self.plan_year = plan_year
        self.diagnostics: list[Diagnostic] = []

    def span(self, start: int, end: int) -> Span:
        source_start, source_end = self.norm.source_span(start, end)
        return Span(start=source_start, end=source_end)

    def offset_of(self, element: Goal | Item | Section, text: str) -> int:
        """Where `text` (the element's repaired text) starts in the normalised text."""
        # Offsets grow with the text (repairs only delete), so bisect finds the start.
        found = self.norm.text.find(text, bisect_left(self.norm.offsets, element.span.start))
        return max(found, 0)

    # -- quantities ------------------------------------------------------------

    def work_unit(self, element: Item | Section) -> None:
        """The quantities and the deadlines of an item's (or a section's) text."""
        base = self.offset_of(element, element.text)
        self.quantities(element, base)
        self.deadlines(element, base)

    def deadlines(self, element: Item | Section, base: int) -> None:
        """Every time limit in the element's text (starting at `base`), with its date."""
        for match in grammar.DEADLINE.finditer(element.text):
            element.deadlines.append(Deadline(
                text=match.group(), date=self.deadline_date(match),
                span=self.span(base + match.start(), base + match.end())))

    def quantities(self, element: Item | Section, base: int) -> None:
        """Every number with a unit in the element's text (starting at `base`)."""
        for number, found in enumerate(self.find(element.text), 1):
            deadline = self.deadline_near(element.text, found.start)
            element.quantities.append(Quantity(
                id=f"{element.id}__qty_{number}", text=element.text[found.phrase_start:found.end],
                value=found.value, value_raw=found.value_raw, unit=found.unit,
                unit_raw=found.unit_raw, comparator=found.comparator,
                approximate=found.approximate, aspirational=found.aspirational,
                deadline=deadline, span=self.span(base + found.phrase_start, base + found.end)))

    def find(self, text: str) -> list[_Found]:
        """Every number with a known unit in `text`, except those inside names."""
        masked = _masked(text)
        found = []
        for match in grammar.QUANTITY.finditer(masked):
            if _is_vague_one(match):
                continue
            value = _value(match.group("number"), match.group("multiplier"))
            if value is None:
                continue
            found.append(self.bounded(text, match, value))
        return found

    def bounded(self, text: str, match: regex.Match[str], value: int | float) -> _Found:
        """Read the comparator, change and share words around a number."""
        before_start = max(0, match.start() - LOOKBEHIND_CHARS)
        before = text[before_start:match.start()]
        comparator: str | None = None
        phrase_start = match.start()
        aspirational = bool(grammar.ASPIRATION.search(before))
        direction = baseline = share_of = None
        if (change := grammar.CHANGE_BEFORE.search(before)) is not None:
            direction = grammar.CHANGE_WORDS[change.group("word")]
            year = change.group("year") or change.group("year2")
            baseline = "previous_year" if change.group("baseline") == "同比" else year
            phrase_start = before_start + change.start()
            comparator = "eq"
        elif (share := grammar.SHARE_BEFORE.search(before)) is not None:
            share_of = share.group("whole")
            phrase_start = before_start + share.start()
        elif (word := grammar.COMPARATOR_BEFORE.search(before)) is not None and word.group("word"):
            comparator = grammar.COMPARATOR_PREFIXES[word.group("word")]
            phrase_start = before_start + word.start()
        suffix = match.group("suffix")
        if suffix in grammar.COMPARATOR_SUFFIXES:
            comparator = grammar.COMPARATOR_SUFFIXES[suffix]
        elif comparator is None and share_of is not None:
            comparator = "eq"
        unit_raw = match.group("unit")
        value_raw = text[match.start("number"):match.end("multiplier") if match.group("multiplier")
                         else match.end("number")]
        return _Found(
            start=match.start(), end=match.end(), value=value, value_raw=value_raw,
            unit=grammar.UNITS[unit_raw], unit_raw=unit_raw,
            comparator=comparator,  # type: ignore[arg-type]
            approximate=bool(match.group("approx")) or suffix == "左右",
            aspirational=aspirational, direction=direction, baseline=baseline,
            share_of=share_of, phrase_start=min(phrase_start, match.start()))

    def deadline_near(self, text: str, position: int) -> dt.date | None:
        """The deadline that governs the number at `position`, as a date: one in its own
        clause (`6月底前完成100个`, `完成100个（6月底前）`), else a clause of its sentence
        before it that is only a deadline (`年底前，完成A 10个、B 20个`), up to a `；`. A
        deadline in another clause is that clause's own (`比例达到90%以上，6月底前完成100个`)."""
        clause_start, clause_end = _enclosing(text, position, "。" + CLAUSE_SEPARATORS)
        own = grammar.DEADLINE.search(text, clause_start, clause_end)
        if own is not None:
            return self.deadline_date(own)
        sentence_start, _ = _enclosing(text, position, "。；;")  # a `；` ends its reach too
        for match in reversed(list(grammar.DEADLINE.finditer(text, sentence_start, clause_start))):
            start, end = _enclosing(text, match.start(), "。" + CLAUSE_SEPARATORS)
            if grammar.DEADLINE_CLAUSE.match(text[start:end].strip()):
                return self.deadline_date(match)
        return None

    def deadline_date(self, match: regex.Match[str]) -> dt.date | None:
        year = int(match.group("year")) if match.group("year") else self.plan_year
        if year is None:
            return None
        if match.group("half"):
            return dt.date(year, 6, 30)
        if match.group("year_end"):
            return dt.date(year, 12, 31)
        try:
            month = int(to_number(match.group("month")))
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        except (NumeralError, ValueError):
            return None

    # -- targets ---------------------------------------------------------------

    def targets(self, goal: Goal) -> None:
        base = self.offset_of(goal, goal.text)
        body_start = 0
        if goal.area is not None and goal.text.startswith(goal.area):  # skip `环境空气质量方面。`
            body_start = len(goal.area)
            while body_start < len(goal.text) and goal.text[body_start] in "方面。：:":
                body_start += 1
        for sentence_start, sentence_end in _pieces(goal.text, body_start, len(goal.text), "。"):
            self.sentence_targets(goal, base, sentence_start, sentence_end)

    def sentence_targets(self, goal: Goal, base: int, start: int, end: int) -> None:
        scope: str | None = None
        deadline: dt.date | None = None
        for clause_start, clause_end in _pieces(goal.text, start, end, CLAUSE_SEPARATORS):
            clause = goal.text[clause_start:clause_end]
            if grammar.TIME_ONLY_CLAUSE.match(clause):
                deadline = self.deadline_of_time(clause)
                continue
            if grammar.REFERENCE_CLAUSE.search(clause):
                continue
            scope = self.clause_targets(goal, base, clause_start, clause, scope, deadline)

    def deadline_of_time(self, clause: str) -> dt.date | None:
        year = grammar.YEAR.search(clause)
        if year is None:
            return None
        return dt.date(int(year.group("year")), 12, 31) if "底" in clause or "末" in clause else None

    def clause_targets(self, goal: Goal, base: int, start: int, clause: str,
                       inherited_scope: str | None, deadline: dt.date | None) -> str | None:
        """Targets of one clause; returns the scope later clauses inherit."""
        found = self.find(clause)
        if not found:
            found_bare = self.bare_number_target(goal, base, start, clause, inherited_scope)
            if not found_bare:
                self.add_target(goal, base, start, clause, kind="qualitative", scope=None,
                                metric=None, found=None, deadline=deadline)
            return inherited_scope
        if len(found) > 1 and "分别" in clause:  # `分别削减392吨、520吨`: one value per subject
            first = found[0]
            scope, metric = _split_subject(clause[:first.phrase_start])
            scope = scope or inherited_scope
            subject = clause[:first.phrase_start]
            for name, one in zip(_distributed_names(subject), found, strict=False):
                shared = replace(one, comparator=first.comparator, direction=first.direction,
                                 baseline=first.baseline) if one.comparator is None else one
                self.add_target(goal, base, start, clause, kind=_kind(shared), scope=scope,
                                metric=_distributed_metric(name, metric, shared), found=shared,
                                deadline=deadline)
            return scope
        # Numbers before the last one describe the subject (`四项主要污染物`): the last is the value.
        main = found[-1]
        scope, metric = _split_subject(clause[:main.phrase_start])
        scope = scope or inherited_scope
        if main.comparator is None:  # a level stated bare (`“应收尽收率”100%`) is an equality
            main = replace(main, comparator="eq")
        self.add_target(goal, base, start, clause, kind=_kind(main), scope=scope,
                        metric=metric or None, found=main, deadline=deadline)
        return scope

    def bare_number_target(self, goal: Goal, base: int, start: int, clause: str,
                           scope: str | None) -> bool:
        """A number with a comparator but no known unit: kept, with a diagnostic."""
        masked = _masked(clause)
        for match in grammar.BARE_NUMBER.finditer(masked):
            before = clause[max(0, match.start() - LOOKBEHIND_CHARS):match.start()]
            word = grammar.COMPARATOR_BEFORE.search(before)
            if word is None or not word.group("word") or grammar.YEAR.match(clause[match.start():]):
                continue
            self.diagnostics.append(Diagnostic(
                level="warning", code="unknown-unit",
                message=f"number {match.group('number')} in a target has no known unit",
                span=self.span(base + start + match.start(), base + start + match.end())))
            return True
        return False

    def add_target(self, goal: Goal, base: int, start: int, clause: str, *, kind: str,
                   scope: str | None, metric: str | None, found: _Found | None,
                   deadline: dt.date | None) -> None:
        end = start + len(clause)
        goal.targets.append(Target(
            id=f"{goal.id}__target_{len(goal.targets) + 1}", text=clause,
            raw=self.norm.raw(base + start, base + end), kind=kind,
            metric=metric, scope=scope,
            comparator=found.comparator if found else None,
            value=found.value if found else None, value_raw=found.value_raw if found else None,
            unit=found.unit if found else None, unit_raw=found.unit_raw if found else None,
            direction=found.direction if found else None,
            baseline=found.baseline if found else None,
            aspirational=found.aspirational if found else False,
            deadline=deadline, span=self.span(base + start, base + end)))


def extract(norm: NormalizedText, goals: list[Goal], items: list[Item], sections: list[Section],
            plan_year: int | None) -> list[Diagnostic]:
    """Fill targets and quantities in place; return what could not be resolved. A section
    or item that was read as goals (it holds a goal's span) is not read again for quantities."""
    extractor = Extractor(norm, plan_year)
    for goal in goals:
        extractor.targets(goal)
    candidates: list[Item | Section] = [*items, *sections]
    elements = [element for element in candidates
                if not any(_within(goal.span, element.span) for goal in goals)]
    for element in elements:
        extractor.work_unit(element)
    return extractor.diagnostics


# -- pure helpers ----------------------------------------------------------------

def _within(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _enclosing(text: str, position: int, separators: str) -> tuple[int, int]:
    """(start, end) of the stretch of `text` around `position` between separators."""
    start = max((text.rfind(separator, 0, position) for separator in separators), default=-1) + 1
    ends = [found for separator in separators if (found := text.find(separator, position)) >= 0]
    return start, min(ends, default=len(text))


def _masked(text: str) -> str:
    """`text` with names (quoted, titled, PM2.5) blanked out, positions unchanged."""
    return grammar.NOT_A_NUMBER.sub(lambda m: "□" * len(m.group()), text)


def _value(number: str, multiplier: str | None) -> int | float | None:
    """`1.5` + `万` → 15000; Chinese numerals through cn2an; None when unreadable."""
    try:
        value = to_number(number) if not number[0].isdigit() else (
            int(number) if number.isdigit() else float(number))
    except NumeralError:
        return None
    if multiplier:
        value = value * grammar.MULTIPLIERS[multiplier]
        value = int(value) if float(value).is_integer() else value
    return value


def _is_vague_one(match: regex.Match[str]) -> bool:
    """`一个`, `一批`: the lone Chinese 一 counts nothing."""
    return match.group("number") == "一" and not match.group("multiplier")


def _pieces(text: str, start: int, end: int, separators: str) -> list[tuple[int, int]]:
    """Spans of `text[start:end]` between separators outside brackets and quotes."""
    pieces, depth, piece_start = [], 0, start
    for index in range(start, end):
        char = text[index]
        if char in grammar.OPEN_BRACKETS or char in "《“":
            depth += 1
        elif char in grammar.CLOSE_BRACKETS or char in "》”":
            depth = max(depth - 1, 0)
        elif char in separators and depth == 0:
            if index > piece_start:
                pieces.append((piece_start, index))
            piece_start = index + 1
    if end > piece_start:
        pieces.append((piece_start, end))
    return pieces


def _split_subject(subject: str) -> tuple[str | None, str]:
    """`设区城市PM2.5平均浓度` → (`设区城市`, `PM2.5平均浓度`)."""
    subject = subject.strip().strip("“”")
    admin = grammar.ADMIN_SCOPE.match(subject)
    if admin and len(subject) > admin.end():
        return admin.group("scope"), subject[admin.end():].strip("“”")
    noun = grammar.SCOPE_NOUN_END.match(subject)
    if noun:
        return noun.group("scope"), subject[noun.end():].strip("“”")
    return None, subject.strip("“”")


def _distributed_names(subject: str) -> list[str]:
    """`氮氧化物、挥发性有机物等主要大气污染物排放总量` → [氮氧化物, 挥发性有机物]."""
    head = subject.split("等", 1)[0]
    admin = grammar.ADMIN_SCOPE.match(head)
    head = head[admin.end():] if admin else head
    return [name for name in head.split("、") if name]


def _distributed_metric(name: str, metric: str, found: _Found) -> str:
    """The metric of one of several subjects sharing a clause: `氮氧化物排放总量削减量`."""
    tail = metric.split("等", 1)[1] if "等" in metric else metric
    head = regex.search(r"(?:排放总量|排放量|总量|浓度|量)$", tail)
    change = "削减量" if found.direction == "decrease" else ("增加量" if found.direction else "")
    return f"{name}{head.group() if head else ''}{change}"


def _kind(found: _Found) -> str:
    if found.direction is not None:
        return "change"
    if found.share_of is not None:
        return "share"
    return "level"
