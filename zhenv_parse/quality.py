"""Precision and recall of extracted targets and quantities against a hand-made list
(`tests/data/*.targets.json`), shared by the tests and the benchmark."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Notice

TARGET_KEYS = ("kind", "scope", "metric", "comparator", "value", "unit")


@dataclass(frozen=True)
class Score:
    expected: int
    found: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


def _score(expected: list[tuple[Any, ...]], found: list[tuple[Any, ...]]) -> Score:
    remaining = list(found)
    correct = 0
    for row in expected:
        if row in remaining:
            remaining.remove(row)
            correct += 1
    return Score(len(expected), len(found), correct)


def target_rows(notice: Notice) -> list[tuple[Any, ...]]:
    return [(goal.no, *(getattr(t, key) for key in TARGET_KEYS))
            for goal in notice.goals for t in goal.targets]


def quantity_rows(notice: Notice) -> list[tuple[Any, ...]]:
    return [(item.no, q.value, q.unit, q.comparator) for item in notice.items for q in item.quantities]


def score(notice: Notice, expected: dict[str, Any]) -> tuple[Score, Score]:
    """(targets, quantities) scores of `notice` against a hand-made expectation."""
    targets = [(t["goal"], *(t[key] for key in TARGET_KEYS)) for t in expected["targets"]]
    quantities = [tuple(row) for row in expected["quantities"]]
    return _score(targets, target_rows(notice)), _score(quantities, quantity_rows(notice))
