"""Readable reports of a :class:`~zhenv_parse.model.NoticeDiff` (Markdown, HTML) and of a
:class:`~zhenv_parse.model.Timeline` (CSV, HTML with an inline SVG chart per metric).

The HTML is one self-contained file: inline CSS, inline SVG, no scripts, fonts, images or
links outside the page, so it opens the same offline, in a mail client or an archive.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from .model import (
    BoundValue,
    Deadline,
    DiffOp,
    DiffSide,
    ItemDiff,
    NoticeDiff,
    QuantityDiff,
    Span,
    TargetDiff,
    Timeline,
    TimelineRow,
)

#: How each status is shown: a mark for tables and a CSS class for colour.
STATUS_MARKS: dict[str, str] = {
    "tightened": "↑", "loosened": "↓", "changed": "↔", "new": "+", "dropped": "−",
    "unchanged": "=", "added": "+", "removed": "−", "reworded": "✎", "moved": "⇄",
    "renamed": "✎",
}
#: Comparators as symbols; an unstated comparator shows as nothing.
COMPARATOR_SYMBOLS: dict[str | None, str] = {
    "gt": ">", "ge": "≥", "lt": "<", "le": "≤", "eq": "=", None: "",
}
#: How the direction of a change target is written.
DIRECTION_WORDS: dict[str, str] = {"decrease": "减少", "increase": "增加"}
#: Colours by status (background, text), in the page's inline style sheet.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "tightened": ("#d6f5d6", "#11661a"), "loosened": ("#fbd9d3", "#9c1c0c"),
    "changed": ("#fff0c2", "#7a5500"), "new": ("#dbe9ff", "#133f8a"),
    "dropped": ("#ececec", "#555555"), "added": ("#dbe9ff", "#133f8a"),
    "removed": ("#ececec", "#555555"), "reworded": ("#fff0c2", "#7a5500"),
    "moved": ("#efe0ff", "#5b2390"), "renamed": ("#fff0c2", "#7a5500"),
    "unchanged": ("#ffffff", "#333333"),
}
#: Size of the timeline's per-metric chart, in CSS pixels.
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 180, 48, 6
#: Sections of the summary, in the order shown.
SUMMARY_SECTIONS = ("chapters", "items", "targets", "quantities", "deadlines", "appendix")


def format_bound(value: BoundValue | None) -> str:
    """`< 26 微克/立方米`, `≥ 95 %`, `1000 个`, or `—` for none."""
    if value is None:
        return "—"
    if value.value is None:
        return value.text
    return " ".join(part for part in (_short_bound(value), value.unit or "") if part)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def status_label(status: str) -> str:
    return f"{STATUS_MARKS.get(status, '')} {status}".strip()


def _side_name(side: DiffSide) -> str:
    return " ".join(str(part) for part in (side.year, side.doc_number or side.title or side.path)
                    if part) or side.sha256[:12]


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def render_markdown(result: NoticeDiff) -> str:
    """A quick read: summary, diagnostics, targets, then what changed and where."""
    lines = [f"# {_side_name(result.old)} → {_side_name(result.new)}", ""]
    lines += _md_table(["section", *_statuses(result)],
                       [[name, *[str(result.summary.get(name, {}).get(s, "")) for s in
                                 _statuses(result)]] for name in SUMMARY_SECTIONS])
    lines += [f"- **{d.level}** `{d.code}`: {d.message}" for d in result.diagnostics] + [""]
    lines += ["## Targets", ""] + _md_table(
        ["metric", "scope", "old", "new", "change"],
        [[r.metric or "—", r.scope or "—", format_bound(r.old), format_bound(r.new),
          status_label(r.status)] for r in result.targets])
    if result.quantities:
        lines += ["## Quantities in matched items", ""] + _md_table(
            ["item", "old", "new", "change"],
            [[f"{q.old_item_no} → {q.new_item_no}", format_bound(q.old), format_bound(q.new),
              status_label(q.status)] for q in result.quantities])
    if result.deadlines:
        lines += ["## Deadlines in matched items", ""] + _md_table(
            ["item", "old", "new", "change"],
            [[f"{d.old_item_no} → {d.new_item_no}", _deadline_text(d.old), _deadline_text(d.new),
              status_label(d.status)] for d in result.deadlines])
    lines += _md_changed_rows(result)
    return "\n".join(lines).rstrip() + "\n"


def _statuses(result: NoticeDiff) -> list[str]:
    seen = {s for name in SUMMARY_SECTIONS for s in result.summary.get(name, {})}
    return [s for s in STATUS_MARKS if s in seen]


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return out + [""]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_changed_rows(result: NoticeDiff) -> list[str]:
    lines = ["## Chapters", ""]
    lines += [f"- {status_label(r.status)}: {r.old_no or '—'}. {r.old_title or ''} → "
              f"{r.new_no or '—'}. {r.new_title or ''}"
              for r in result.chapters if r.status != "unchanged"] or ["- no changes"]
    lines += ["", "## Items", ""]
    for row in result.items:
        if row.status != "unchanged":
            lines.append(f"- {status_label(row.status)} {row.old_no or '—'} → "
                         f"{row.new_no or '—'} {row.new_title or row.old_title}"
                         + (f" (similarity {row.similarity})" if row.similarity else ""))
            if row.status in ("reworded", "moved") and row.text_changed:
                lines.append("  " + _md_inline(row.inline))
    lines += ["", "## Appendix", ""]
    for lst in result.appendix:
        if lst.status != "unchanged":
            old_count, new_count = lst.declared_count
            lines.append(f"- {status_label(lst.status)} {lst.title} ({old_count} → {new_count}"
                         f" declared)")
            lines += [f"  - + {e}" for e in lst.added] + [f"  - − {e}" for e in lst.removed]
    lines += ["", "## Front matter", ""]
    lines += [f"- {m.field}: {m.old} → {m.new}" for m in result.meta] or ["- no changes"]
    return lines


def _md_inline(ops: Sequence[DiffOp]) -> str:
    marks = {"equal": "{}", "delete": "~~{}~~", "insert": "**{}**"}
    return "".join(marks[op.op].format(op.text.strip() or op.text) for op in ops)


# ---------------------------------------------------------------------------
# HTML report of a diff
# ---------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:1.5em;color:#222;
line-height:1.5}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}
th{background:#f3f3f3}
.status{white-space:nowrap;font-weight:bold;padding:0 .3em;border-radius:3px}
del{background:#fbd9d3;color:#9c1c0c}
ins{background:#d6f5d6;color:#11661a;text-decoration:none}
.side{width:50%}
.doc{white-space:pre-wrap;font-size:.9em;border:1px solid #ddd;padding:.5em;max-height:40em;
overflow:auto}
.doc mark{background:#fff6cc}
.doc mark:target{background:#ffd54d;outline:2px solid #c99a00}
.muted{color:#777;font-size:.85em}
.diagnostics li.warning{color:#9c1c0c}
"""


def _status_css() -> str:
    return "".join(f".s-{name}{{background:{bg};color:{fg}}}"
                   for name, (bg, fg) in STATUS_COLOURS.items())


def _status_cell(status: str, extra: str = "") -> str:
    return (f'<td class="status-cell"><span class="status s-{status}">'
            f"{escape(status_label(status))}</span>{extra}</td>")


def anchor(side: str, span: Span | None) -> str:
    """The id of a span's place in the document panel of `side` (`old` or `new`)."""
    return f"{side}-{span.start}-{span.end}" if span else ""


def _link(side: str, span: Span | None) -> str:
    if span is None:
        return ""
    page = f", p. {span.page}" if span.page else ""
    return (f'<a class="span-link" href="#{anchor(side, span)}">{side} '
            f"{span.start}–{span.end}{page}</a>")


def _page(title: str, body: Sequence[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{_CSS}{_status_css()}</style></head>"
            "<body>\n" + "\n".join(body) + "\n</body></html>\n")


def render_html(result: NoticeDiff, old_text: str | None = None,
                new_text: str | None = None) -> str:
    """The report as one self-contained page. With the source texts, the document panels
    show them whole with each element's span marked; without, they show the elements."""
    title = f"{_side_name(result.old)} → {_side_name(result.new)}"
    body = [f"<h1>{escape(title)}</h1>", _sides_html(result), _summary_html(result),
            _targets_html(result), _quantities_html(result), _deadlines_html(result),
            _chapters_html(result),
            _items_html(result), _appendix_html(result), _meta_html(result),
            _documents_html(result, old_text, new_text)]
    return _page(title, body)


def _sides_html(result: NoticeDiff) -> str:
    rows = "".join(
        f"<tr><th>{name}</th><td>{escape(side.title or '—')}</td>"
        f"<td>{escape(side.doc_number or '—')}</td><td>{escape(side.path or '—')}</td></tr>"
        for name, side in (("old", result.old), ("new", result.new)))
    return ('<table id="sides"><tr><th></th><th>title</th><th>发文字号</th><th>file</th></tr>'
            f"{rows}</table>")


def _summary_html(result: NoticeDiff) -> str:
    statuses = _statuses(result)
    head = "".join(f"<th>{escape(status_label(s))}</th>" for s in statuses)
    rows = "".join(
        f"<tr><th>{name}</th>" + "".join(
            f"<td>{result.summary.get(name, {}).get(s, '')}</td>" for s in statuses) + "</tr>"
        for name in SUMMARY_SECTIONS)
    diagnostics = "".join(f'<li class="{d.level}"><b>{escape(d.code)}</b>: '
                          f"{escape(d.message)}</li>" for d in result.diagnostics)
    return (f'<section id="summary"><h2>Summary</h2><table id="summary-table"><tr><th>'
            f"</th>{head}</tr>{rows}</table>"
            + (f'<ul class="diagnostics">{diagnostics}</ul>' if diagnostics else "")
            + "</section>")


def _targets_html(result: NoticeDiff) -> str:
    rows = "".join(
        f'<tr class="target s-row-{r.status}"><td>{escape(r.metric or "—")}</td>'
        f"<td>{escape(r.scope or '—')}</td>{_bound_cell(r.old, 'old')}"
        f"{_bound_cell(r.new, 'new')}{_status_cell(r.status)}"
        f"<td class=\"muted\">{escape(r.note or '')}</td></tr>" for r in result.targets)
    return ('<section id="targets"><h2>Targets</h2><table id="targets-table"><tr><th>metric'
            "</th><th>scope</th><th>old</th><th>new</th><th>change</th><th>note</th></tr>"
            f"{rows}</table></section>")


def _bound_cell(value: BoundValue | None, side: str) -> str:
    if value is None:
        return "<td>—</td>"
    return (f'<td title="{escape(value.text)}">{escape(format_bound(value))}<br>'
            f'<span class="muted">{escape(value.text)}</span> {_link(side, value.span)}</td>')


def _quantities_html(result: NoticeDiff) -> str:
    if not result.quantities:
        return ""
    rows = "".join(
        f"<tr><td>{q.old_item_no} → {q.new_item_no}</td>{_bound_cell(q.old, 'old')}"
        f"{_bound_cell(q.new, 'new')}{_status_cell(q.status)}</tr>" for q in result.quantities)
    return _changes_in_items_html("quantities", "Quantities", rows)


def _deadline_text(deadline: Deadline | None) -> str:
    if deadline is None:
        return "—"
    return f"{deadline.text} ({deadline.date.isoformat()})" if deadline.date else deadline.text


def _deadlines_html(result: NoticeDiff) -> str:
    if not result.deadlines:
        return ""
    rows = "".join(
        f"<tr><td>{d.old_item_no} → {d.new_item_no}</td>"
        f"<td>{escape(_deadline_text(d.old))}</td><td>{escape(_deadline_text(d.new))}</td>"
        f"{_status_cell(d.status)}</tr>" for d in result.deadlines)
    return _changes_in_items_html("deadlines", "Deadlines", rows)


def _changes_in_items_html(section_id: str, what: str, rows: str) -> str:
    """A section with a table of changes inside matched items: item, old, new, change."""
    return (f'<section id="{section_id}"><h2>{what} in matched items</h2><table><tr><th>item'
            f"</th><th>old</th><th>new</th><th>change</th></tr>{rows}</table></section>")


def _chapters_html(result: NoticeDiff) -> str:
    rows = "".join(
        f"<tr>{_status_cell(r.status)}<td>{r.old_no or '—'}. {escape(r.old_title or '')} "
        f"{_link('old', r.old_span)}</td><td>{r.new_no or '—'}. {escape(r.new_title or '')} "
        f"{_link('new', r.new_span)}</td></tr>" for r in result.chapters)
    return ('<section id="chapters"><h2>Chapters</h2><table><tr><th>status</th><th class="side">'
            f'old</th><th class="side">new</th></tr>{rows}</table></section>')


def _items_html(result: NoticeDiff) -> str:
    rows = "".join(_item_html(row) for row in result.items)
    return ('<section id="items"><h2>Items</h2><table id="items-table"><tr><th>status</th>'
            f'<th class="side">old</th><th class="side">new</th></tr>{rows}</table></section>')


def _item_html(row: ItemDiff) -> str:
    score = f'<br><span class="muted">{row.similarity}</span>' if row.similarity else ""
    old = "".join(_op_html(op) for op in row.inline if op.op != "insert")
    new = "".join(_op_html(op) for op in row.inline if op.op != "delete")
    if row.status == "unchanged":  # folded, so the changes stand out
        old, new = (f"<details><summary>{escape(row.old_title or '')}</summary>{old}</details>",
                    f"<details><summary>{escape(row.new_title or '')}</summary>{new}</details>")
    return (f'<tr class="item">{_status_cell(row.status, score)}'
            f"<td>{_item_head(row.old_no, row.old_chapter_no, 'old', row.old_span)}{old}</td>"
            f"<td>{_item_head(row.new_no, row.new_chapter_no, 'new', row.new_span)}{new}</td>"
            "</tr>")


def _item_head(no: int | None, chapter: int | None, side: str, span: Span | None) -> str:
    if no is None:
        return ""
    return f'<div class="muted">{no} (chapter {chapter}) {_link(side, span)}</div>'


def _op_html(op: DiffOp) -> str:
    text = escape(op.text)
    return {"equal": text, "delete": f"<del>{text}</del>", "insert": f"<ins>{text}</ins>"}[op.op]


def _appendix_html(result: NoticeDiff) -> str:
    rows = []
    for lst in result.appendix:
        old_count, new_count = lst.declared_count
        entries = "".join(f"<li><ins>+ {escape(e)}</ins></li>" for e in lst.added) + "".join(
            f"<li><del>− {escape(e)}</del></li>" for e in lst.removed)
        rows.append(f"<tr>{_status_cell(lst.status)}<td>{escape(lst.title or '—')}</td>"
                    f"<td>{old_count} → {new_count}</td><td>{len(lst.unchanged)}</td>"
                    f"<td><ul>{entries}</ul></td></tr>")
    return ('<section id="appendix"><h2>Appendix lists</h2><table><tr><th>status</th><th>list'
            "</th><th>declared</th><th>kept</th><th>entries added / removed</th></tr>"
            + "".join(rows) + "</table></section>")


def _meta_html(result: NoticeDiff) -> str:
    rows = "".join(f"<tr><th>{escape(m.field)}</th><td>{escape(m.old or '—')}</td>"
                   f"<td>{escape(m.new or '—')}</td></tr>" for m in result.meta)
    return ('<section id="meta"><h2>Front matter</h2><table><tr><th></th><th>old</th><th>new'
            f"</th></tr>{rows}</table></section>")


# -- document panels ----------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    """An element of one side with its span, for the document panel."""

    span: Span
    text: str


def _pieces(result: NoticeDiff, side: str) -> list[_Piece]:
    """Every element of `side` that the report links to, in document order."""
    old = side == "old"
    pieces = [_Piece(s, t or "") for r in result.chapters
              for s, t in [(r.old_span, r.old_title) if old else (r.new_span, r.new_title)] if s]
    for row in result.items:
        span = row.old_span if old else row.new_span
        if span:
            skip = "insert" if old else "delete"
            pieces.append(_Piece(span, "".join(o.text for o in row.inline if o.op != skip)))
    pieces += [_Piece(b.span, b.text) for b in _bounds(result, side)
               if b is not None and b.span is not None]
    return _without_overlaps(pieces)


def _bounds(result: NoticeDiff, side: str) -> list[BoundValue | None]:
    """The `side` bound of every target and changed quantity."""
    rows: list[TargetDiff | QuantityDiff] = [*result.targets, *result.quantities]
    return [row.old if side == "old" else row.new for row in rows]


def _without_overlaps(pieces: list[_Piece]) -> list[_Piece]:
    """Sorted by start; a piece inside an earlier one (a quantity in an item) is dropped from
    the panel, and links to it go to the enclosing element's panel entry instead."""
    kept: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: (p.span.start, -p.span.end)):
        if kept and piece.span.start < kept[-1].span.end:
            continue
        kept.append(piece)
    return kept


def _documents_html(result: NoticeDiff, old_text: str | None, new_text: str | None) -> str:
    panels = [_panel(result, "old", old_text), _panel(result, "new", new_text)]
    return ('<section id="documents"><h2>Documents</h2><table><tr><th class="side">old</th>'
            f'<th class="side">new</th></tr><tr><td>{panels[0]}</td><td>{panels[1]}</td></tr>'
            "</table></section>")


def _panel(result: NoticeDiff, side: str, text: str | None) -> str:
    pieces = _pieces(result, side)
    ids = _nested_ids(result, side, pieces)
    if text is None:
        body = "\n\n".join(f'<mark id="{anchor(side, p.span)}">{escape(p.text)}</mark>'
                           f"{ids.get(p.span.start, '')}" for p in pieces)
        note = "source file not available: elements shown as parsed"
        return f'<div class="muted">{note}</div><div class="doc" id="doc-{side}">{body}</div>'
    out, cursor = [], 0
    for piece in pieces:
        start, end = piece.span.start, piece.span.end
        out.append(escape(text[cursor:start]))
        out.append(f'<mark id="{anchor(side, piece.span)}">{escape(text[start:end])}</mark>'
                   f"{ids.get(start, '')}")
        cursor = end
    out.append(escape(text[cursor:]))
    return f'<div class="doc" id="doc-{side}">{"".join(out)}</div>'


def _nested_ids(result: NoticeDiff, side: str, pieces: list[_Piece]) -> dict[int, str]:
    """Empty anchors for spans dropped as nested, placed after their enclosing piece, so
    every link in the report has its target."""
    kept = {(p.span.start, p.span.end) for p in pieces}
    extra: dict[int, str] = {}
    for bound in _bounds(result, side):
        span = bound.span if bound else None
        if span is None or (span.start, span.end) in kept:
            continue
        host = next((p for p in pieces if p.span.start <= span.start < p.span.end), None)
        if host is not None:
            extra[host.span.start] = extra.get(host.span.start, "") + \
                f'<a id="{anchor(side, span)}"></a>'
    return extra


# ---------------------------------------------------------------------------
# Timeline: CSV and HTML with inline SVG
# ---------------------------------------------------------------------------


def timeline_csv(line: Timeline) -> str:
    """One row per metric; each year's cell is the bound and the step from the year before."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scope", "metric", "unit", *[str(y) if y else "?" for y in line.years]])
    for row in line.rows:
        cells = []
        for cell in row.cells:
            text = _short_bound(cell.value)
            step = f"({cell.step})" if cell.step else ""
            cells.append(" ".join(part for part in (text, step) if part))
        writer.writerow([row.scope or "", row.metric or "", row.unit or "", *cells])
    return buffer.getvalue()


def _short_bound(value: BoundValue | None) -> str:
    if value is None:
        return ""
    if value.value is None:
        return value.text
    symbol = COMPARATOR_SYMBOLS[value.comparator]
    if value.direction:  # a change: `减少 20`, `减少 ≥ 20`; a bare `eq` says nothing more
        symbol = " ".join(p for p in (DIRECTION_WORDS[value.direction],
                                      "" if value.comparator == "eq" else symbol) if p)
    return " ".join(part for part in (symbol, _number(value.value)) if part)


def render_timeline_html(line: Timeline) -> str:
    years = [str(y) if y else "?" for y in line.years]
    head = "".join(f"<th>{y}</th>" for y in years)
    rows = "".join(_timeline_row_html(row) for row in line.rows)
    title = f"Targets {years[0]}–{years[-1]}" if years else "Targets"
    diagnostics = "".join(f"<li>{escape(d.message)}</li>" for d in line.diagnostics)
    return _page(title, [f"<h1>{escape(title)}</h1>",
                         f'<ul class="diagnostics">{diagnostics}</ul>' if diagnostics else "",
                         '<table id="timeline-table"><tr><th>scope</th><th>metric</th>'
                         f"<th>unit</th>{head}<th>chart</th></tr>{rows}</table>"])


def _timeline_row_html(row: TimelineRow) -> str:
    cells = "".join(
        f'<td title="{escape(c.value.text if c.value else "")}">'
        f"{escape(_short_bound(c.value))}"
        + (f' {_status_span(c.step)}' if c.step else "") + "</td>" for c in row.cells)
    return (f"<tr><td>{escape(row.scope or '—')}</td><td>{escape(row.metric or '—')}</td>"
            f"<td>{escape(row.unit or '')}</td>{cells}<td>{chart_svg(row)}</td></tr>")


def _status_span(status: str) -> str:
    return f'<span class="status s-{status}">{escape(status_label(status))}</span>'


def chart_svg(row: TimelineRow) -> str:
    """A small line chart of the row's values; a missing year breaks the line, and each
    point is coloured by its step."""
    values = [c.value.value if c.value is not None else None for c in row.cells]
    numbers = [float(v) for v in values if v is not None]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    step_x = (CHART_WIDTH - 2 * CHART_PAD) / max(len(values) - 1, 1)

    def point(index: int, value: float) -> tuple[float, float]:
        share = 0.5 if high == low else (value - low) / (high - low)
        return (CHART_PAD + index * step_x,
                CHART_HEIGHT - CHART_PAD - share * (CHART_HEIGHT - 2 * CHART_PAD))

    runs: list[list[tuple[float, float]]] = [[]]
    dots = []
    for index, (value, cell) in enumerate(zip(values, row.cells, strict=True)):
        if value is None:
            runs.append([])
            continue
        x, y = point(index, float(value))
        runs[-1].append((x, y))
        colour = STATUS_COLOURS.get(cell.step or "unchanged", ("", "#333333"))[1]
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                    f"<title>{cell.year}: {escape(_short_bound(cell.value))}</title></circle>")
    lines = "".join(
        '<polyline fill="none" stroke="#888" stroke-width="1.5" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in run) + '"/>' for run in runs if len(run) > 1)
    label = escape(f"{row.metric or ''} {_number(low)}–{_number(high)} {row.unit or ''}")
    return (f'<svg class="chart" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
            f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" role="img" aria-label="{label}">'
            f"{lines}{''.join(dots)}</svg>")
