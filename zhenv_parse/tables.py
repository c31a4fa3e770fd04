"""Flat tables of a notice's numbers (`zhenv-parse targets`): one row per target and quantity."""

from __future__ import annotations

import csv
import json
from typing import TextIO

from .model import Notice, Quantity

#: Columns of the targets table, in order.
COLUMNS = ("kind", "id", "goal_no", "item_no", "target_kind", "scope", "metric", "comparator",
           "value", "unit", "value_raw", "unit_raw", "deadline", "aspirational", "approximate",
           "text", "start", "end")


def target_table(notice: Notice) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for goal in notice.goals:
        for target in goal.targets:
            rows.append({
                "kind": "target", "id": target.id, "goal_no": goal.no, "item_no": None,
                "target_kind": target.kind, "scope": target.scope, "metric": target.metric,
                "comparator": target.comparator, "value": target.value, "unit": target.unit,
                "value_raw": target.value_raw, "unit_raw": target.unit_raw,
                "deadline": target.deadline, "aspirational": target.aspirational,
                "approximate": False, "text": target.text,
                "start": target.span.start, "end": target.span.end})
    for item in notice.items:
        rows.extend(_quantity_row(quantity, item.no) for quantity in item.quantities)
    for chapter in notice.chapters:  # sections that are the work items themselves
        for section in chapter.sections:
            rows.extend(_quantity_row(quantity, None) for quantity in section.quantities)
    return rows


def _quantity_row(quantity: Quantity, item_no: int | None) -> dict[str, object]:
    return {
        "kind": "quantity", "id": quantity.id, "goal_no": None, "item_no": item_no,
        "target_kind": None, "scope": None, "metric": None,
        "comparator": quantity.comparator, "value": quantity.value, "unit": quantity.unit,
        "value_raw": quantity.value_raw, "unit_raw": quantity.unit_raw,
        "deadline": quantity.deadline, "aspirational": quantity.aspirational,
        "approximate": quantity.approximate, "text": quantity.text,
        "start": quantity.span.start, "end": quantity.span.end}


def write_table(rows: list[dict[str, object]], fmt: str, stream: TextIO) -> None:
    """CSV (empty cell for null) or JSON lines."""
    if fmt == "json":
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
