"""Diff speed: the sample against its scripted next year (tests/test_diff.py::next_year),
in process, after a warm-up; with the share of the time spent tokenising (jieba) and the
cost of the reports. Measured in one run; no thresholds are asserted.

    python benchmarks/bench_diff.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "zj-2023.txt"
ROUNDS = 20
#: Target from the issue: a diff of the sample and a next-year version under 0.5 s.
DIFF_TARGET_S = 0.5


def median_seconds(function: Callable[[], object], rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.test_diff import next_year
    from zhenv_parse import parse
    from zhenv_parse.differ import Loaded, compare, tokenize
    from zhenv_parse.report import render_html, render_markdown

    text = SAMPLE.read_text(encoding="utf-8")
    old, new = parse(text), parse(next_year(text))
    start = time.perf_counter()
    compare(Loaded(old), Loaded(new))  # warm-up: jieba's dictionary, scipy, rapidfuzz
    cold = time.perf_counter() - start
    texts = [item.text for item in old.items + new.items]
    total = median_seconds(lambda: compare(Loaded(old), Loaded(new)))
    tokens = median_seconds(lambda: [tokenize(t) for t in texts])
    result = compare(Loaded(old), Loaded(new))
    markdown = median_seconds(lambda: render_markdown(result))
    html = median_seconds(lambda: render_html(result, text, text))
    print(f"items: {len(old.items)} → {len(new.items)}, "
          f"{sum(map(len, texts))} characters tokenised per diff")
    print(f"first diff (warm-up) {cold * 1e3:8.1f} ms")
    print(f"diff after warm-up   {total * 1e3:8.1f} ms  target {DIFF_TARGET_S * 1e3:.0f} ms: "
          f"{'met' if total < DIFF_TARGET_S else 'MISSED'}")
    print(f"  tokenising (jieba) {tokens * 1e3:8.1f} ms  share {tokens / total:6.1%}")
    print(f"  the rest           {(total - tokens) * 1e3:8.1f} ms  share {1 - tokens / total:6.1%}")
    print(f"Markdown report      {markdown * 1e3:8.1f} ms")
    print(f"HTML report          {html * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
