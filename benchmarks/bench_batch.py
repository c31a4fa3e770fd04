"""Batch conversion speed: a corpus of varied notices made from the sample, converted by
`zhenv-parse convert` with `--jobs 1` and `--jobs 2`; prints documents per second, the ratio,
and the batch's per-document cost against in-process `parse()`. Measured in one run; no
thresholds are asserted (targets from the issue: ≥ 1.7x with 2 jobs, per-doc cost ≤ 1.2x).

    python benchmarks/bench_batch.py [--docs 500] [--pdfs 50]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "zj-2023.txt"
DOCS = 500
#: Of the corpus, this many are PDFs (when the PDF reader is installed).
PDFS = 50
#: Each timing is the best of this many runs, to damp noise from a shared machine.
ROUNDS = 3
SPEED_UP_TARGET = 1.7
OVERHEAD_TARGET = 1.2
_NUMBER = re.compile(r"(?<![0-9.〔])([1-9][0-9]{0,2})(?=\s*(?:个|家|场|项|%))")


def variant(text: str, number: int) -> str:
    """The sample with its own serial number, year and figures, so every output differs."""
    year = 2015 + number % 10
    text = text.replace("浙环发〔2023〕1号", f"浙环发〔{year}〕{number}号").replace("2023", str(year))
    counter = iter(range(1, 1_000_000))
    return _NUMBER.sub(lambda m: str(int(m.group(1)) + (number * next(counter)) % 97), text)


def build_corpus(root: Path, docs: int, pdfs: int) -> tuple[list[Path], int]:
    """`docs` varied notices: the last `pdfs` of them set as PDFs under root/pdf when the PDF
    reader and the test PDF producer are there, the rest as text under root/text/YEAR.
    Returns the text paths and the number of PDFs made."""
    text = SAMPLE.read_text(encoding="utf-8")
    producer = _pdf_producer()
    pdfs = min(pdfs, docs) if producer is not None else 0
    paths = []
    for number in range(1, docs + 1):
        content = variant(text, number)
        if number > docs - pdfs and producer is not None:
            path = root / "pdf" / f"notice-{number:04}.pdf"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(producer(content))
            continue
        path = root / "text" / f"{2015 + number % 10}" / f"notice-{number:04}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        paths.append(path)
    return paths, pdfs


def _pdf_producer() -> Callable[[str], bytes] | None:
    from zhenv_parse.readers import SUPPORTED_SUFFIXES

    if ".pdf" not in SUPPORTED_SUFFIXES:
        return None
    sys.path.insert(0, str(SAMPLE.parent.parent))
    try:
        from tests import pdf_factory
    except ImportError:
        return None
    return lambda text: pdf_factory.reportlab_pdf(pdf_factory.blocks_from_text(text))


def cli_seconds(corpus: Path, out: Path, jobs_list: tuple[int, ...]) -> dict[int, float]:
    """Wall time of `zhenv-parse convert` (start-up included) per `--jobs`, best of ROUNDS,
    the job counts alternating so that a busy machine biases none of them."""
    best = {jobs: float("inf") for jobs in jobs_list}
    for round_no in range(ROUNDS):
        for jobs in jobs_list:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "zhenv_parse.cli", "convert", str(corpus),
                            "--out", str(out / f"jobs{jobs}-{round_no}"), "--jobs", str(jobs)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            best[jobs] = min(best[jobs], time.perf_counter() - start)
    return best


def best_of(function: Callable[[], object], rounds: int = ROUNDS) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def _write_all(folder: Path, data: bytes, count: int) -> None:
    from zhenv_parse.export import atomic_write_bytes

    for number in range(count):
        atomic_write_bytes(folder / f"{number}.json", data)


def in_process_seconds(paths: list[Path], out: Path) -> dict[str, float]:
    """Per-document seconds of warm `parse()` alone, of its parts that a batch adds (JSON
    rendering, an atomic durable write), and of `convert(jobs=1)` in this process. The
    measurements alternate, best of ROUNDS, so that a busy machine biases none of them."""
    from zhenv_parse import parse
    from zhenv_parse.batch import convert

    notice = parse(paths[0])
    data = notice.to_json().encode("utf-8")
    timings: dict[str, float] = {}
    for round_no in range(ROUNDS):
        target = out / f"in-process-{round_no}"
        steps: dict[str, Callable[[], object]] = {
            "parse": lambda: [parse(path) for path in paths],
            "to_json": lambda: [notice.to_json() for _ in paths],
            "write": lambda: _write_all(out / "w", data, len(paths)),
            "convert": partial(convert, [str(paths[0].parent.parent)], target, jobs=1),
        }
        for name, step in steps.items():
            seconds = best_of(step, 1) / len(paths)
            timings[name] = min(timings.get(name, seconds), seconds)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=DOCS, help="notices in all")
    parser.add_argument("--pdfs", type=int, default=PDFS, help="of them set as PDFs")
    arguments = parser.parse_args()
    docs = arguments.docs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths, pdfs = build_corpus(root / "corpus", docs, arguments.pdfs)
        distinct = len({p.read_text(encoding="utf-8") for p in paths})
        print(f"corpus: {len(paths)} text notices ({distinct} distinct) + {pdfs} PDFs, "
              f"{sum(p.stat().st_size for p in (root / 'corpus').rglob('*.*')) / 1e6:.1f} MB; "
              f"cores: {os.cpu_count()}")
        each = in_process_seconds(paths, root / "out")  # text inputs only
        one, two = cli_seconds(root / "corpus", root / "out", (1, 2)).values()
    for name, label in [("parse", "parse()"), ("to_json", "  + notice.to_json()"),
                        ("write", "  + atomic write (fsync)"), ("convert", "convert(jobs=1)")]:
        print(f"in-process {label:<25} {each[name] * 1e3:7.2f} ms/doc")
    print(f"per-doc cost of the batch vs parse(): {each['convert'] / each['parse']:.2f}x "
          f"(target ≤ {OVERHEAD_TARGET}x)")
    print(f"CLI --jobs 1: {docs / one:7.1f} docs/s ({one:.2f} s, start-up included)")
    print(f"CLI --jobs 2: {docs / two:7.1f} docs/s ({two:.2f} s)")
    print(f"speed-up with 2 jobs: {one / two:.2f}x (target ≥ {SPEED_UP_TARGET}x)")


if __name__ == "__main__":
    main()
