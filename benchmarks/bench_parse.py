"""Parse speed of the sample: median in-process parse time, its ratio to a plain read of the
file, and CLI start-up. Ratios are measured in one run; no thresholds are asserted here.

    python benchmarks/bench_parse.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "zj-2023.txt"
ROUNDS = 50
#: Targets from the issue: parse under 20 ms after warm-up, `--help` under 0.4 s.
PARSE_TARGET_S = 0.020
STARTUP_TARGET_S = 0.4


def median_seconds(function: object, rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    from zhenv_parse import parse

    parse(SAMPLE)  # warm-up: imports, numeral converter, pattern caches
    read = median_seconds(lambda: SAMPLE.read_text(encoding="utf-8"))
    parsed = median_seconds(lambda: parse(SAMPLE))
    to_json = median_seconds(lambda: parse(SAMPLE).to_json())
    startups = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "zhenv_parse.cli", "--help"], check=True,
                       capture_output=True)
        startups.append(time.perf_counter() - start)
    startup = statistics.median(startups)
    print(f"sample: {SAMPLE.stat().st_size / 1024:.1f} KiB")
    print(f"plain read         {read * 1e3:8.3f} ms")
    print(f"parse()            {parsed * 1e3:8.3f} ms  ratio to read {parsed / read:8.1f}x  "
          f"target {PARSE_TARGET_S * 1e3:.0f} ms: {'met' if parsed < PARSE_TARGET_S else 'MISSED'}")
    print(f"parse() + to_json  {to_json * 1e3:8.3f} ms")
    print(f"CLI --help         {startup * 1e3:8.1f} ms  target {STARTUP_TARGET_S * 1e3:.0f} ms: "
          f"{'met' if startup < STARTUP_TARGET_S else 'MISSED'}")


if __name__ == "__main__":
    main()
