"""Targets and quantities: precision and recall against the hand-made list, and what the
extract stage adds to the core parse time of the sample (ratio measured in one run).

    python benchmarks/bench_extract.py
"""

from __future__ import annotations

import json
from pathlib import Path

from bench_parse import (
    median_seconds as median,  # same timing loop; run from benchmarks/
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "zj-2023.txt"
EXPECTED = ROOT / "tests" / "data" / "zj-2023.targets.json"
#: Issue target: extraction adds no more than 50 % to the core parse.
MAX_EXTRA_SHARE = 0.5


def main() -> None:
    from zhenv_parse import parse
    from zhenv_parse.extract import extract
    from zhenv_parse.normalize import normalize
    from zhenv_parse.quality import score
    from zhenv_parse.segment import segment

    text = SAMPLE.read_text(encoding="utf-8")
    notice = parse(SAMPLE)
    targets, quantities = score(notice, json.loads(EXPECTED.read_text(encoding="utf-8")))
    for name, result in (("targets", targets), ("quantities", quantities)):
        print(f"{name:<11} expected {result.expected:3d} found {result.found:3d} correct "
              f"{result.correct:3d}  precision {result.precision:6.1%}  recall {result.recall:6.1%}")

    def core() -> None:
        segment(normalize(text))

    def core_and_extract() -> None:
        norm = normalize(text)
        segments = segment(norm)
        items = [item for chapter in segments.chapters for item in chapter.items]
        sections = [section for chapter in segments.chapters for section in chapter.sections]
        extract(norm, segments.goals, items, sections, segments.meta.plan_year)

    core_and_extract()  # warm-up (cn2an import, pattern caches)
    base, full = median(core), median(core_and_extract)
    extra = (full - base) / base
    print(f"core parse {base * 1e3:.2f} ms, with extraction {full * 1e3:.2f} ms: "
          f"+{extra:.0%} (target <= {MAX_EXTRA_SHARE:.0%}: {'met' if extra <= MAX_EXTRA_SHARE else 'MISSED'})")


if __name__ == "__main__":
    main()
