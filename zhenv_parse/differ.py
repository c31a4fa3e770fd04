"""What changed from one year's plan to the next: :func:`diff` → :class:`NoticeDiff`.

Elements are matched by content, never by number: numbers shift every year.

* **Items**: a global one-to-one assignment (:func:`scipy.optimize.linear_sum_assignment`)
  on a similarity of TF-IDF-weighted jieba tokens of the whole text and character-level
  similarity of the lead sentence (short titles carry few tokens). Pairs below
  :data:`ITEM_MIN_SIMILARITY` are left unmatched: `removed` / `added`.
* **Chapters**: the same assignment on the better of title similarity and the share of
  items the two chapters hold in common, so a renamed chapter with the same items matches.
* **Targets**: by normalised metric and scope; a matched pair is judged by what the
  comparators mean (:func:`judge`): each bound is the set of values it admits, and the new
  year is `tightened` when its set lies inside the old one, `loosened` when it contains it.
* **Appendix lists**: by title; entries compared as sets of normalised text.

See ``docs/diff.md`` for the rules and their reasons.
"""

from __future__ import annotations

import difflib
import json
import logging
import math
import os
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import regex
from pydantic import ValidationError

from .errors import NoticeParseError
from .model import (
    SCHEMA_VERSION,
    AppendixList,
    AppendixListDiff,
    BoundStatus,
    BoundValue,
    Chapter,
    ChapterDiff,
    Deadline,
    DeadlineDiff,
    Comparator,
    Diagnostic,
    DiffOp,
    DiffSide,
    Item,
    ItemDiff,
    ItemStatus,
    MetaChange,
    Notice,
    NoticeDiff,
    Quantity,
    QuantityDiff,
    Section,
    Target,
    TargetDiff,
    Timeline,
    TimelineCell,
    TimelineRow,
)

if TYPE_CHECKING:
    import jieba
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float64]

# ---------------------------------------------------------------------------
# Tunables (calibrated on the sample against itself and a scripted next year; docs/diff.md)
# ---------------------------------------------------------------------------

#: Least similarity for two items to be the same task in both years.
ITEM_MIN_SIMILARITY = 0.4
#: Weight of the TF-IDF cosine of the whole text; the rest goes to the title's characters.
ITEM_TEXT_WEIGHT = 0.7
#: Least score (title or shared items) for two chapters to be the same chapter.
CHAPTER_MIN_SIMILARITY = 0.5
#: Least character similarity of `scope metric` for targets whose keys differ.
TARGET_MIN_SIMILARITY = 0.75
#: Least similarity of two appendix-list titles.
LIST_MIN_SIMILARITY = 0.6
#: Least similarity of two quantity phrases (digits removed) within a matched item pair.
QUANTITY_MIN_SIMILARITY = 0.5
#: Deadlines of a matched pair of items are paired by what they govern (their clause without
#: the time words), at least this similar.
DEADLINE_MIN_SIMILARITY = 0.5
#: Kinds whose bare number (no comparator, or `eq`) is read as `ge`: a change (`减少20%`) is
#: met by a bigger change, a count of work (`实施1000个项目`) by more of it.
PLEDGE_KINDS = frozenset({"change", "count"})
#: Digits kept for similarity scores in the JSON.
SCORE_DIGITS = 3

#: Kinds of plan, by the ending of the plan title; longer endings first.
GENRE_ENDINGS: tuple[str, ...] = (
    "工作要点", "工作计划", "行动计划", "实施方案", "工作方案", "行动方案", "要点", "计划", "方案",
)
#: Characters dropped from metric/scope keys: quotes and brackets carry no meaning there.
KEY_NOISE = regex.compile(r"[\s\"'“”‘’「」『』《》]+")
#: Punctuation and whitespace tokens, left out of the similarity but kept in inline diffs.
NON_WORD_TOKEN = regex.compile(r"^[\s\p{P}\p{S}]+$")
#: Numbers in a quantity phrase, removed before comparing the phrases' wording.
NUMBER = regex.compile(r"\d+(?:\.\d+)?")
#: Trailing punctuation of an appendix entry, not part of its content.
#: Where a clause ends, for the context of a deadline.
CLAUSE_BREAK = regex.compile(r"[，,；;。]")
ENTRY_TRAILING = regex.compile(r"[。；;，,、\s]+$")

INF = math.inf


class DiffInputError(NoticeParseError):
    """An input to :func:`diff` cannot be loaded as a notice."""

    code = "diff-input"


class SchemaVersionError(DiffInputError):
    """A JSON export of a schema version this release cannot read."""

    code = "schema-version"


# ---------------------------------------------------------------------------
# Loading: Notice objects, source files, JSON or XML exports
# ---------------------------------------------------------------------------

NoticeInput = Notice | str | os.PathLike[str]


@dataclass
class Loaded:
    """A notice, the source text its spans index (when known), and loading remarks."""

    notice: Notice
    known_text: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @cached_property
    def text(self) -> str | None:
        """The source text, read only when a report asks for it."""
        return self.known_text if self.known_text is not None else _source_text(self.notice)


def load_notice(source: NoticeInput) -> Loaded:
    """Load one side: a :class:`Notice`, or a path to a source file or a JSON/XML export."""
    if isinstance(source, Notice):
        return Loaded(source)
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _load_json(path)
    if suffix == ".xml":
        return _load_xml(path)
    from .pipeline import parse_document
    from .readers import read

    document = read(source)
    return Loaded(parse_document(document), document.text)


def _load_json(path: Path) -> Loaded:
    try:
        data = json.loads(path.read_bytes())
    except OSError as error:
        raise DiffInputError(f"cannot read file: {error.strerror}", path=str(path)) from None
    except ValueError as error:
        raise DiffInputError(f"not valid JSON ({error})", path=str(path)) from None
    if not isinstance(data, dict) or "source" not in data:
        raise DiffInputError("not a zhenv-parse Notice export (no `source`)", path=str(path))
    version = data.get("schema_version")
    try:
        notice = Notice.model_validate(data)
    except ValidationError as error:
        if version != SCHEMA_VERSION:
            raise SchemaVersionError(
                f"a schema_version {version!r} export; this release reads {SCHEMA_VERSION!r} "
                "and cannot load it: re-parse the source document", path=str(path)) from None
        raise DiffInputError(f"invalid Notice export: {error.error_count()} errors, first at "
                             f"{_error_location(error)}", path=str(path)) from None
    loaded = Loaded(notice)
    if version != SCHEMA_VERSION:
        loaded.diagnostics.append(Diagnostic(
            level="info", code="old-schema-version",
            message=f"{path}: a schema_version {version!r} export, loaded as {SCHEMA_VERSION!r}"))
    return loaded


def _error_location(error: ValidationError) -> str:
    first = error.errors()[0]
    return ".".join(str(part) for part in first["loc"]) or "(root)"


def _load_xml(path: Path) -> Loaded:
    """XML exports are read by :mod:`zhenv_parse.loader`, when this installation has it."""
    try:
        loader: Any = import_module(".loader", __package__)
    except ImportError:
        raise DiffInputError("XML exports need zhenv_parse.loader, which this installation "
                             "lacks; export as JSON instead", path=str(path)) from None
    notice = loader.load(path)
    if not isinstance(notice, Notice):
        raise DiffInputError("the XML loader returned no Notice", path=str(path))
    return Loaded(notice)


def _source_text(notice: Notice) -> str | None:
    """The source file's text when it is still where the notice says and unchanged."""
    import hashlib

    from .readers import read

    path = notice.source.path
    if path is None or not Path(path).is_file():
        return None
    try:
        text = read(path).text
    except NoticeParseError:
        return None
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return text if digest == notice.source.sha256 else None


# ---------------------------------------------------------------------------
# Tokens and similarity
# ---------------------------------------------------------------------------


@cache
def _tokenizer() -> jieba.Tokenizer:
    """jieba's shared tokenizer, initialised (dictionary loaded) once, quietly."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.initialize()
    return jieba.dt


def tokenize(text: str) -> list[str]:
    """jieba tokens of `text`, every character kept (so tokens join back to the text)."""
    return list(_tokenizer().cut(text, HMM=True))


def _words(tokens: Iterable[str]) -> list[str]:
    return [token for token in tokens if not NON_WORD_TOKEN.match(token)]


def tfidf_cosine(old_docs: Sequence[list[str]], new_docs: Sequence[list[str]]) -> Matrix:
    """Cosine similarity of sublinear TF-IDF vectors; IDF from both years' documents."""
    docs = [*old_docs, *new_docs]
    vocabulary: dict[str, int] = {}
    for doc in docs:
        for word in doc:
            vocabulary.setdefault(word, len(vocabulary))
    counts = np.zeros((len(docs), max(len(vocabulary), 1)))
    for row, doc in enumerate(docs):
        for word in doc:
            counts[row, vocabulary[word]] += 1
    frequency = np.count_nonzero(counts, axis=0)
    idf = np.log((1 + len(docs)) / (1 + frequency)) + 1
    weights = np.where(counts > 0, 1 + np.log(np.maximum(counts, 1)), 0) * idf
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    weights = weights / np.where(norms == 0, 1, norms)
    split = len(old_docs)
    result: Matrix = weights[:split] @ weights[split:].T
    return result


def char_similarity(old: Sequence[str], new: Sequence[str]) -> Matrix:
    """Normalised Indel similarity of every old string to every new one, in [0, 1]."""
    from rapidfuzz import fuzz, process

    if not old or not new:
        return np.zeros((len(old), len(new)))
    result: Matrix = process.cdist(old, new, scorer=fuzz.ratio, dtype=np.float64) / 100
    return result


def assign(similarity: Matrix, threshold: float) -> list[tuple[int, int, float]]:
    """Global one-to-one matching maximising total similarity; pairs below `threshold`
    neither count towards the optimum nor are returned."""
    from scipy.optimize import linear_sum_assignment

    if similarity.size == 0:
        return []
    usable = np.where(similarity >= threshold, similarity, 0.0)
    rows, cols = linear_sum_assignment(usable, maximize=True)
    return [(int(i), int(j), float(similarity[i, j]))
            for i, j in zip(rows, cols, strict=True) if similarity[i, j] >= threshold]


def longest_increasing(values: Sequence[int]) -> set[int]:
    """Indices (into `values`) of one longest strictly increasing subsequence."""
    tails: list[int] = []
    tail_index: list[int] = []
    parent = [-1] * len(values)
    for index, value in enumerate(values):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if tails[middle] < value:
                low = middle + 1
            else:
                high = middle
        parent[index] = tail_index[low - 1] if low else -1
        if low == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[low], tail_index[low] = value, index
    kept: set[int] = set()
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        kept.add(index)
        index = parent[index]
    return kept


def inline_diff(old_tokens: list[str], new_tokens: list[str]) -> list[DiffOp]:
    """Word-level diff on tokens, adjacent runs of the same kind merged."""
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "delete", "replace"):
            _push(ops, "equal" if tag == "equal" else "delete", "".join(old_tokens[i1:i2]))
        if tag in ("insert", "replace"):
            _push(ops, "insert", "".join(new_tokens[j1:j2]))
    return ops


def _push(ops: list[DiffOp], kind: Any, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].op == kind:
        ops[-1].text += text
    else:
        ops.append(DiffOp(op=kind, text=text))


def _plain(text: str | None) -> str:
    """Text for equality tests: NFKC, no whitespace."""
    return regex.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _score(value: float) -> float:
    return round(min(max(value, 0.0), 1.0), SCORE_DIGITS)


# ---------------------------------------------------------------------------
# Judging bounds: each comparator admits a set of values
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    """A target or quantity reduced to what judging needs."""

    comparator: Comparator | None
    value: float | None
    unit: str | None
    kind: str = "level"
    direction: str | None = None
    text: str = ""

    def interval(self) -> tuple[float, bool, float, bool]:
        """(low, low_closed, high, high_closed) of the values this bound admits. An unstated
        comparator reads as `eq`, except for :data:`PLEDGE_KINDS`, whose bare number reads
        as `ge`: `减少20%` is met by a 25 % cut, `实施1000个项目` by 1200 projects."""
        assert self.value is not None
        value = float(self.value)
        comparator = self.comparator or "eq"
        if self.kind in PLEDGE_KINDS and comparator == "eq":
            comparator = "ge"  # a bare change or count is a pledge of at least that much
        return {
            "gt": (value, False, INF, False),
            "ge": (value, True, INF, False),
            "lt": (-INF, False, value, False),
            "le": (-INF, False, value, True),
            "eq": (value, True, value, True),
        }[comparator]


def _within(inner: tuple[float, bool, float, bool], outer: tuple[float, bool, float, bool]) -> bool:
    low, low_closed, high, high_closed = inner
    o_low, o_low_closed, o_high, o_high_closed = outer
    low_ok = low > o_low or (low == o_low and (o_low_closed or not low_closed))
    high_ok = high < o_high or (high == o_high and (o_high_closed or not high_closed))
    return low_ok and high_ok


def judge(old: Bound, new: Bound) -> tuple[BoundStatus, str | None]:
    """`tightened` when the new bound admits a strict subset of what the old one admitted,
    `loosened` for a strict superset, `unchanged` for the same set, else `changed`."""
    if old.value is None or new.value is None:
        if old.value is None and new.value is None:
            same = _plain(old.text) == _plain(new.text)
            return ("unchanged", None) if same else ("changed", "qualitative wording changed")
        return "changed", "a number was added or removed"
    if (old.unit or None) != (new.unit or None):
        return "changed", f"unit changed: {old.unit} → {new.unit}"
    if old.kind != new.kind or old.direction != new.direction:
        return "changed", f"kind changed: {_kind_label(old)} → {_kind_label(new)}"
    old_set, new_set = old.interval(), new.interval()
    inside, outside = _within(new_set, old_set), _within(old_set, new_set)
    if inside and outside:
        return "unchanged", None
    if inside:
        return "tightened", None
    if outside:
        return "loosened", None
    return "changed", "neither bound contains the other"


def _kind_label(bound: Bound) -> str:
    return f"{bound.kind} {bound.direction}" if bound.direction else bound.kind


# ---------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------


def diff(old: NoticeInput, new: NoticeInput) -> NoticeDiff:
    """Compare two notices (objects, source files, or JSON/XML exports): `old` → `new`."""
    return compare(load_notice(old), load_notice(new))


def compare(old: Loaded, new: Loaded) -> NoticeDiff:
    """Compare two loaded notices; loading remarks join the diff's diagnostics."""
    a, b = old.notice, new.notice
    result = NoticeDiff(old=side(a), new=side(b),
                        diagnostics=[*old.diagnostics, *new.diagnostics, *_warnings(a, b)])
    old_units, new_units = work_units(a), work_units(b)
    old_items, new_items = _flat(old_units), _flat(new_units)
    # Each item is tokenised once, for both the similarity and the inline diff.
    old_tokens = [tokenize(item.text) for item in old_items]
    new_tokens = [tokenize(item.text) for item in new_items]
    item_pairs = _match_items(old_items, new_items, old_tokens, new_tokens)
    chapter_rows, chapter_map = _chapter_rows(a.chapters, b.chapters, old_units, new_units,
                                              item_pairs)
    result.chapters = chapter_rows
    result.items = _item_rows((a, old_units), (b, new_units), item_pairs, chapter_map,
                              (old_tokens, new_tokens))
    result.targets = target_rows(_targets(a), _targets(b))
    result.quantities = _quantity_rows(old_items, new_items, item_pairs, result.items)
    result.deadlines = _deadline_rows(old_items, new_items, item_pairs, result.items)
    result.appendix = _appendix_rows(_lists(a), _lists(b))
    result.meta = _meta_changes(a, b)
    result.summary = _summary(result)
    return result


def side(notice: Notice) -> DiffSide:
    """What identifies a notice in a diff or timeline."""
    meta = notice.meta
    return DiffSide(path=notice.source.path, sha256=notice.source.sha256,
                    title=meta.plan_title or meta.title, year=_year(notice),
                    doc_number=meta.doc_number.raw if meta.doc_number else None,
                    genre=genre(notice))


def _year(notice: Notice) -> int | None:
    meta = notice.meta
    if meta.plan_year is not None:
        return meta.plan_year
    return meta.doc_number.year if meta.doc_number else None


def genre(notice: Notice) -> str | None:
    """The kind of plan from the ending of its title (`工作要点`, `实施方案`, …)."""
    for title in (notice.meta.plan_title, notice.meta.title):
        stripped = regex.sub(r"(?:的)?(?:通知|函)$", "", _plain(title)).rstrip("》")
        for ending in GENRE_ENDINGS:
            if stripped.endswith(ending):
                return ending
    return None


def _warnings(old: Notice, new: Notice) -> list[Diagnostic]:
    """Why a comparison may be partial: different kinds of plan, missing parts, cut copies."""
    found: list[Diagnostic] = []
    old_genre, new_genre = genre(old), genre(new)
    if old_genre and new_genre and old_genre != new_genre:
        found.append(Diagnostic(
            level="warning", code="different-genres",
            message=f"the notices are different kinds of plan ({old_genre} vs {new_genre}); "
            "they are compared anyway, expect few matches"))
    for name, notice in (("old", old), ("new", new)):
        if not notice.items:
            found.append(Diagnostic(
                level="warning", code="no-items",
                message=f"the {name} notice has no numbered items; every item of the other "
                "one shows as " + ("added" if name == "old" else "removed")
                + "; goals, appendix and front matter are still compared"))
        if not notice.source.complete:
            found.append(Diagnostic(
                level="warning", code="incomplete-document",
                message=f"the {name} notice is cut off; what its copy lacks shows as "
                + ("added" if name == "old" else "removed")))
    return found


# -- items ------------------------------------------------------------------


def work_units(notice: Notice) -> list[list[Item]]:
    """What is compared as work items, chapter by chapter: its numbered items or, where a
    chapter has none (notices that set their work as `（一）` sections), its sections with
    text, as items (id `chp_1__sec_2`, number and title of the section)."""
    return [chapter.items or [_section_as_item(section) for section in chapter.sections
                              if section.text] for chapter in notice.chapters]


def _section_as_item(section: Section) -> Item:
    return Item(id=section.id, no=section.no, title=section.title, text=section.text,
                raw=section.raw, section_no=section.no, span=section.span,
                quantities=section.quantities)


def _flat(units: list[list[Item]]) -> list[Item]:
    return [item for chapter_units in units for item in chapter_units]


def _match_items(old: list[Item], new: list[Item], old_tokens: list[list[str]],
                 new_tokens: list[list[str]]) -> list[tuple[int, int, float]]:
    if not old or not new:
        return []
    text_sim = tfidf_cosine([_words(t) for t in old_tokens], [_words(t) for t in new_tokens])
    title_sim = char_similarity([_plain(i.title) for i in old], [_plain(i.title) for i in new])
    similarity = ITEM_TEXT_WEIGHT * text_sim + (1 - ITEM_TEXT_WEIGHT) * title_sim
    return assign(similarity, ITEM_MIN_SIMILARITY)


def _chapter_of(units: list[list[Item]]) -> dict[str, int]:
    """Work item id → index of its chapter."""
    return {item.id: index for index, chapter_units in enumerate(units) for item in chapter_units}


def _item_rows(old: tuple[Notice, list[list[Item]]], new: tuple[Notice, list[list[Item]]],
               pairs: list[tuple[int, int, float]], chapter_map: dict[int, int],
               tokens: tuple[list[list[str]], list[list[str]]]) -> list[ItemDiff]:
    (old_notice, old_units), (new_notice, new_units) = old, new
    old_items, new_items = _flat(old_units), _flat(new_units)
    old_chapter, new_chapter = _chapter_of(old_units), _chapter_of(new_units)

    def row(status: ItemStatus, a: Item | None, b: Item | None, similarity: float | None,
            changed: bool, ops: list[DiffOp]) -> ItemDiff:
        return _item_row(status, a, b, similarity, changed, ops,
                         old_notice.chapters[old_chapter[a.id]].no if a else None,
                         new_notice.chapters[new_chapter[b.id]].no if b else None)

    keyed: list[tuple[float, ItemDiff]] = []
    matched_old = {i for i, _, _ in pairs}
    new_position = {i: j for i, j, _ in pairs}
    for i, j, score in pairs:
        a, b = old_items[i], new_items[j]
        same_chapter = chapter_map.get(old_chapter[a.id]) == new_chapter[b.id]
        changed = _plain(a.text) != _plain(b.text)
        status: ItemStatus = "reworded" if changed else "unchanged"
        if not same_chapter:
            status = "moved"
        ops = inline_diff(tokens[0][i], tokens[1][j])
        keyed.append((j, row(status, a, b, _score(score), changed, ops)))
    for j, b in enumerate(new_items):
        if j not in new_position.values():
            keyed.append((j, row("added", None, b, None, True, [DiffOp(op="insert", text=b.text)])))
    for i, a in enumerate(old_items):
        if i not in matched_old:
            # A removed item is listed just after the new position of the item before it.
            before = [new_position[k] for k in range(i) if k in new_position]
            keyed.append(((max(before) if before else -1) + 0.5,
                          row("removed", a, None, None, True, [DiffOp(op="delete", text=a.text)])))
    keyed.sort(key=lambda pair: pair[0])
    return [row for _, row in keyed]


def _item_row(status: ItemStatus, a: Item | None, b: Item | None, similarity: float | None,
              changed: bool, ops: list[DiffOp], old_chapter_no: int | None,
              new_chapter_no: int | None) -> ItemDiff:
    return ItemDiff(
        status=status, similarity=similarity, text_changed=changed, inline=ops,
        old_no=a.no if a else None, new_no=b.no if b else None,
        old_id=a.id if a else None, new_id=b.id if b else None,
        old_chapter_no=old_chapter_no, new_chapter_no=new_chapter_no,
        old_title=a.title if a else None, new_title=b.title if b else None,
        old_span=a.span if a else None, new_span=b.span if b else None)


# -- chapters ---------------------------------------------------------------


def _chapter_rows(old: list[Chapter], new: list[Chapter], old_units: list[list[Item]],
                  new_units: list[list[Item]], item_pairs: list[tuple[int, int, float]]
                  ) -> tuple[list[ChapterDiff], dict[int, int]]:
    """Rows for chapters, and the map old chapter index → new chapter index."""
    similarity = np.maximum(
        char_similarity([_plain(c.title) for c in old], [_plain(c.title) for c in new]),
        _shared_items(old_units, new_units, item_pairs))
    pairs = sorted(assign(similarity, CHAPTER_MIN_SIMILARITY))
    in_order = longest_increasing([j for _, j, _ in pairs])
    rows: list[tuple[float, ChapterDiff]] = []
    for index, (i, j, score) in enumerate(pairs):
        a, b = old[i], new[j]
        renamed = _plain(a.title) != _plain(b.title)
        status = "renamed" if renamed else ("unchanged" if index in in_order else "moved")
        rows.append((j, _chapter_row(status, a, b, _score(score))))
    matched_new = {j for _, j, _ in pairs}
    rows += [(j, _chapter_row("added", None, c, None)) for j, c in enumerate(new)
             if j not in matched_new]
    position = {i: j for i, j, _ in pairs}
    for i, chapter in enumerate(old):
        if i not in position:
            before = [position[k] for k in range(i) if k in position]
            rows.append(((max(before) if before else -1) + 0.5,
                         _chapter_row("removed", chapter, None, None)))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows], position


def _shared_items(old: list[list[Item]], new: list[list[Item]],
                  item_pairs: list[tuple[int, int, float]]) -> Matrix:
    """Dice coefficient of matched work items between every old and new chapter."""
    old_of = [ci for ci, units in enumerate(old) for _ in units]
    new_of = [cj for cj, units in enumerate(new) for _ in units]
    shared = np.zeros((len(old), len(new)))
    for i, j, _ in item_pairs:
        shared[old_of[i], new_of[j]] += 1
    sizes_old = np.array([len(units) for units in old], dtype=float).reshape(-1, 1)
    sizes_new = np.array([len(units) for units in new], dtype=float).reshape(1, -1)
    total = sizes_old + sizes_new
    result: Matrix = np.divide(2 * shared, total, out=np.zeros_like(shared), where=total > 0)
    return result


def _chapter_row(status: Any, a: Chapter | None, b: Chapter | None,
                 similarity: float | None) -> ChapterDiff:
    return ChapterDiff(
        status=status, similarity=similarity,
        old_no=a.no if a else None, new_no=b.no if b else None,
        old_title=a.title if a else None, new_title=b.title if b else None,
        old_span=a.span if a else None, new_span=b.span if b else None)


# -- targets ----------------------------------------------------------------


def _targets(notice: Notice) -> list[Target]:
    return [target for goal in notice.goals for target in goal.targets]


def target_key(target: Target) -> str:
    """Normalised `scope|metric` (the clause's text for targets without a metric)."""
    if target.metric is None and target.scope is None:
        return "text|" + KEY_NOISE.sub("", _plain(target.text)).lower()
    return "|".join(KEY_NOISE.sub("", _plain(part)).lower()
                    for part in (target.scope, target.metric))


def match_targets(old: list[Target], new: list[Target]) -> list[tuple[int, int]]:
    """Exact key matches first, then a global assignment on the keys' characters."""
    pairs: list[tuple[int, int]] = []
    free_new = list(range(len(new)))
    for i, target in enumerate(old):
        key = target_key(target)
        found = next((j for j in free_new if target_key(new[j]) == key), None)
        if found is not None:
            pairs.append((i, found))
            free_new.remove(found)
    taken = {i for i, _ in pairs}
    free_old = [i for i in range(len(old)) if i not in taken]
    similarity = char_similarity([target_key(old[i]) for i in free_old],
                                 [target_key(new[j]) for j in free_new])
    pairs += [(free_old[a], free_new[b])
              for a, b, _ in assign(similarity, TARGET_MIN_SIMILARITY)]
    return sorted(pairs)


def target_bound(target: Target) -> Bound:
    value = None if target.value is None else float(target.value)
    return Bound(target.comparator, value, target.unit, target.kind, target.direction,
                 target.text)


def bound_value(target: Target | Quantity) -> BoundValue:
    direction = target.direction if isinstance(target, Target) else None
    return BoundValue(comparator=target.comparator, value=target.value, unit=target.unit,
                      direction=direction, text=target.text, span=target.span)


def target_rows(old: list[Target], new: list[Target]) -> list[TargetDiff]:
    pairs = match_targets(old, new)
    rows: list[tuple[float, TargetDiff]] = []
    for i, j in pairs:
        a, b = old[i], new[j]
        status, note = judge(target_bound(a), target_bound(b))
        rows.append((j, TargetDiff(
            status=status, metric=b.metric, scope=b.scope, kind=b.kind,
            old=bound_value(a), new=bound_value(b), old_id=a.id, new_id=b.id,
            note=_join_notes(note, _flag_note(a, b)))))
    matched_new = {j for _, j in pairs}
    position = dict(pairs)
    rows += [(j, TargetDiff(status="new", metric=b.metric, scope=b.scope, kind=b.kind,
                            new=bound_value(b), new_id=b.id))
             for j, b in enumerate(new) if j not in matched_new]
    for i, a in enumerate(old):
        if i not in position:
            before = [position[k] for k in range(i) if k in position]
            rows.append(((max(before) if before else -1) + 0.5, TargetDiff(
                status="dropped", metric=a.metric, scope=a.scope, kind=a.kind,
                old=bound_value(a), old_id=a.id)))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def _flag_note(old: Target | Quantity, new: Target | Quantity) -> str | None:
    """`力争` (aspiration) and deadlines change a pledge without changing its bound."""
    notes = []
    if old.aspirational != new.aspirational:
        notes.append("now aspirational (力争)" if new.aspirational else "now a firm pledge")
    if old.deadline != new.deadline:
        notes.append(f"deadline {old.deadline} → {new.deadline}")
    return "; ".join(notes) or None


def _join_notes(*notes: str | None) -> str | None:
    return "; ".join(note for note in notes if note) or None


# -- quantities -------------------------------------------------------------


#: A row of a comparison inside matched items (quantities, deadlines)...
RowT = TypeVar("RowT", QuantityDiff, DeadlineDiff)
#: ...and what is compared there.
PairedT = TypeVar("PairedT", Quantity, Deadline)


def _in_changed_items(old: list[Item], new: list[Item], pairs: list[tuple[int, int, float]],
                      rows: list[ItemDiff], compare: Callable[[Item, Item], list[RowT]]
                      ) -> list[RowT]:
    """`compare` over each matched pair of items whose text changed, in the new order."""
    changed = {(row.old_id, row.new_id) for row in rows if row.text_changed}
    found: list[RowT] = []
    for i, j, _ in sorted(pairs, key=lambda pair: pair[1]):
        a, b = old[i], new[j]
        if (a.id, b.id) in changed:
            found += compare(a, b)
    return found


def _quantity_rows(old: list[Item], new: list[Item], pairs: list[tuple[int, int, float]],
                   rows: list[ItemDiff]) -> list[QuantityDiff]:
    """Changed, new and dropped quantities inside matched items whose text changed."""
    return _in_changed_items(old, new, pairs, rows, _compare_quantities)


def _compare_quantities(a: Item, b: Item) -> list[QuantityDiff]:
    olds, news = a.quantities, b.quantities
    similarity = char_similarity([NUMBER.sub("#", q.text) for q in olds],
                                 [NUMBER.sub("#", q.text) for q in news])
    for i, q in enumerate(olds):
        for j, r in enumerate(news):
            if q.unit != r.unit:
                similarity[i, j] = 0.0

    def changed(q: Quantity, r: Quantity) -> QuantityDiff | None:
        status, note = judge(_quantity_bound(q), _quantity_bound(r))
        if status == "unchanged":
            return None
        return QuantityDiff(status=status, old_item_no=a.no, new_item_no=b.no, unit=r.unit,
                            old=bound_value(q), new=bound_value(r),
                            note=_join_notes(note, _flag_note(q, r)))

    return _paired_rows(
        olds, news, assign(similarity, QUANTITY_MIN_SIMILARITY), changed,
        lambda q: QuantityDiff(status="dropped", old_item_no=a.no, new_item_no=b.no,
                               unit=q.unit, old=bound_value(q)),
        lambda r: QuantityDiff(status="new", old_item_no=a.no, new_item_no=b.no, unit=r.unit,
                               new=bound_value(r)))


def _paired_rows(olds: Sequence[PairedT], news: Sequence[PairedT],
                 pairs: list[tuple[int, int, float]],
                 changed: Callable[[PairedT, PairedT], RowT | None],
                 dropped: Callable[[PairedT], RowT], new: Callable[[PairedT], RowT]
                 ) -> list[RowT]:
    """Rows for the paired elements that changed, then for the old ones left unpaired
    (dropped) and the new ones left unpaired."""
    rows = [row for i, j, _ in pairs if (row := changed(olds[i], news[j])) is not None]
    used_old, used_new = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
    rows += [dropped(x) for i, x in enumerate(olds) if i not in used_old]
    rows += [new(y) for j, y in enumerate(news) if j not in used_new]
    return rows


def _deadline_rows(old: list[Item], new: list[Item], pairs: list[tuple[int, int, float]],
                   rows: list[ItemDiff]) -> list[DeadlineDiff]:
    """Moved, new and dropped deadlines inside matched items whose text changed."""
    return _in_changed_items(old, new, pairs, rows, _compare_deadlines)


def _compare_deadlines(a: Item, b: Item) -> list[DeadlineDiff]:
    similarity = char_similarity(_deadline_contexts(a), _deadline_contexts(b))

    def changed(old: Deadline, new: Deadline) -> DeadlineDiff | None:
        status = _deadline_step(old, new)
        if status == "unchanged":
            return None
        return DeadlineDiff(status=status, old_item_no=a.no, new_item_no=b.no, old=old, new=new)

    return _paired_rows(
        a.deadlines, b.deadlines, assign(similarity, DEADLINE_MIN_SIMILARITY), changed,
        lambda d: DeadlineDiff(status="dropped", old_item_no=a.no, new_item_no=b.no, old=d),
        lambda d: DeadlineDiff(status="new", old_item_no=a.no, new_item_no=b.no, new=d))


def _deadline_contexts(item: Item) -> list[str]:
    """What each deadline governs: its clause in the item's text, the time words left out
    (`8月底前全面完成销号` and `6月底前全面完成销号` are the same pledge, moved)."""
    contexts, position = [], 0
    for deadline in item.deadlines:
        found = item.text.find(deadline.text, position)
        if found < 0:
            contexts.append("")
            continue
        position = found + len(deadline.text)
        before = CLAUSE_BREAK.split(item.text[:found])[-1]
        after = CLAUSE_BREAK.split(item.text[position:])[0]
        contexts.append(before + after)
    return contexts


def _deadline_step(old: Deadline, new: Deadline) -> BoundStatus:
    """Earlier in the year is tighter; plans of different years compare month and day."""
    if old.date is None or new.date is None:
        return "unchanged" if old.text == new.text else "changed"
    before, after = (old.date.month, old.date.day), (new.date.month, new.date.day)
    if before == after:
        return "unchanged"
    return "tightened" if after < before else "loosened"


def _quantity_bound(quantity: Quantity) -> Bound:
    """A count in a work item is a pledge of at least that much (see :meth:`Bound.interval`)."""
    return Bound(quantity.comparator, float(quantity.value), quantity.unit, "count", None,
                 quantity.text)


# -- appendix ---------------------------------------------------------------


def _lists(notice: Notice) -> list[AppendixList]:
    return [lst for appendix in notice.appendices for lst in appendix.lists]


def entry_key(text: str) -> str:
    """An appendix entry for set comparison: NFKC, no spaces, no trailing punctuation."""
    return ENTRY_TRAILING.sub("", _plain(text))


def _appendix_rows(old: list[AppendixList], new: list[AppendixList]) -> list[AppendixListDiff]:
    similarity = char_similarity([_plain(x.title or x.raw) for x in old],
                                 [_plain(x.title or x.raw) for x in new])
    pairs = {i: j for i, j, _ in assign(similarity, LIST_MIN_SIMILARITY)}
    rows: list[tuple[float, AppendixListDiff]] = []
    for i, j in pairs.items():
        rows.append((j, _list_row(old[i], new[j])))
    rows += [(j, _list_row(None, b)) for j, b in enumerate(new) if j not in pairs.values()]
    for i, a in enumerate(old):
        if i not in pairs:
            before = [pairs[k] for k in range(i) if k in pairs]
            rows.append(((max(before) if before else -1) + 0.5, _list_row(a, None)))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def _list_row(a: AppendixList | None, b: AppendixList | None) -> AppendixListDiff:
    old_entries = [e.text for e in a.items] if a else []
    new_entries = [e.text for e in b.items] if b else []
    old_keys, new_keys = {entry_key(t) for t in old_entries}, {entry_key(t) for t in new_entries}
    row = AppendixListDiff(
        status="changed", title=b.title if b else (a.title if a else None),
        old_title=a.title if a else None, new_title=b.title if b else None,
        old_no=a.no if a else None, new_no=b.no if b else None,
        declared_count=(a.declared_count if a else None, b.declared_count if b else None),
        added=[t for t in new_entries if entry_key(t) not in old_keys],
        removed=[t for t in old_entries if entry_key(t) not in new_keys],
        unchanged=[t for t in new_entries if entry_key(t) in old_keys])
    if a is None or b is None:
        row.status = "added" if a is None else "removed"
    elif not row.added and not row.removed and _plain(a.title) == _plain(b.title) \
            and a.declared_count == b.declared_count:
        row.status = "unchanged"
    return row


# -- front matter and summary -----------------------------------------------

#: Front-matter fields compared, with how to read each as text.
META_FIELDS: dict[str, Callable[[Notice], str | None]] = {
    "doc_number": lambda n: n.meta.doc_number.raw if n.meta.doc_number else None,
    "date": lambda n: n.meta.date.isoformat() if n.meta.date else None,
    "title": lambda n: n.meta.title,
    "plan_title": lambda n: n.meta.plan_title,
    "plan_year": lambda n: str(n.meta.plan_year) if n.meta.plan_year else None,
    "issuer": lambda n: n.meta.issuer,
    "recipients": lambda n: "、".join(n.meta.recipients) or None,
    "signatory": lambda n: n.meta.signatory,
}


def _meta_changes(old: Notice, new: Notice) -> list[MetaChange]:
    changes = []
    for name, read in META_FIELDS.items():
        a, b = read(old), read(new)
        if _plain(a) != _plain(b):
            changes.append(MetaChange(field=name, old=a, new=b))
    return changes


def _summary(result: NoticeDiff) -> dict[str, dict[str, int]]:
    sections: dict[str, Sequence[Any]] = {
        "chapters": result.chapters, "items": result.items, "targets": result.targets,
        "quantities": result.quantities, "deadlines": result.deadlines,
        "appendix": result.appendix}
    summary: dict[str, dict[str, int]] = {}
    for name, rows in sections.items():
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        summary[name] = dict(sorted(counts.items()))
    summary["appendix_entries"] = {
        "added": sum(len(r.added) for r in result.appendix),
        "removed": sum(len(r.removed) for r in result.appendix),
        "unchanged": sum(len(r.unchanged) for r in result.appendix)}
    summary["meta"] = {"changed": len(result.meta)}
    return summary


# ---------------------------------------------------------------------------
# Timeline: targets across three or more years
# ---------------------------------------------------------------------------


def timeline(sources: Sequence[NoticeInput]) -> Timeline:
    """One row per target metric, one column per year (sorted), each step judged."""
    loaded = [load_notice(source) for source in sources]
    loaded.sort(key=lambda entry: (_year(entry.notice) is None, _year(entry.notice) or 0))
    notices = [entry.notice for entry in loaded]
    result = Timeline(years=[_year(n) for n in notices], sides=[side(n) for n in notices],
                      diagnostics=[d for entry in loaded for d in entry.diagnostics])
    tracks = _tracks([_targets(n) for n in notices])
    for track in tracks:
        result.rows.append(_timeline_row(track, result.years))
    return result


def _tracks(years: list[list[Target]]) -> list[list[Target | None]]:
    """Chain each year's targets to the next year's matches; a new target opens a track."""
    tracks: list[list[Target | None]] = []
    open_tracks: dict[int, int] = {}  # index in the current year → track
    for column, targets in enumerate(years):
        following: dict[int, int] = {}
        if column:
            previous = years[column - 1]
            for i, j in match_targets(previous, targets):
                if i in open_tracks:
                    following[j] = open_tracks[i]
        for j, target in enumerate(targets):
            if j not in following:
                tracks.append([None] * len(years))
                following[j] = len(tracks) - 1
            tracks[following[j]][column] = target
        open_tracks = following
    return tracks


def _timeline_row(track: list[Target | None], years: list[int | None]) -> TimelineRow:
    last = next(t for t in reversed(track) if t is not None)
    cells: list[TimelineCell] = []
    for column, target in enumerate(track):
        previous = track[column - 1] if column else None
        step: BoundStatus | None = None
        if column and target is not None and previous is not None:
            step = judge(target_bound(previous), target_bound(target))[0]
        elif column and target is not None:
            step = "new"
        elif column and previous is not None:
            step = "dropped"
        cells.append(TimelineCell(year=years[column], step=step,
                                  value=bound_value(target) if target else None))
    return TimelineRow(metric=last.metric, scope=last.scope, unit=last.unit, cells=cells)

__all__ = ["DiffInputError", "Loaded", "NoticeDiff", "SchemaVersionError", "compare", "diff",
           "judge", "load_notice", "timeline"]

