"""Progress of a batch: a rich progress bar on a terminal, plain periodic lines otherwise (logs,
CI), so that a long run is never silent and never floods a log file."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import TextIO

from .batch import Progress, Record

#: Ends a progress display (clears the bar).
Stop = Callable[[], None]
#: Seconds between two plain progress lines.
PLAIN_INTERVAL = 5.0


def progress_for(stream: TextIO | None = None) -> tuple[Progress, Stop]:
    """A progress display for `stream` (standard error by default) and a function ending it."""
    stream = stream or sys.stderr
    if stream.isatty():
        return _rich(stream)
    return _plain(stream)


def _rich(stream: TextIO) -> tuple[Progress, Stop]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bar

    bar = Bar(TextColumn("converting"), BarColumn(), MofNCompleteColumn(),
              TextColumn("{task.fields[failed]} failed"), TimeRemainingColumn(),
              console=Console(file=stream), transient=True)
    task_id = bar.add_task("convert", total=None, failed=0)
    failed = 0

    def start(total: int) -> None:
        bar.update(task_id, total=total)
        bar.start()

    def advance(record: Record) -> None:
        nonlocal failed
        failed += record.status == "failed"
        bar.update(task_id, advance=1, failed=failed)

    return Progress(start, advance), bar.stop


def _plain(stream: TextIO) -> tuple[Progress, Stop]:
    counts: Counter[str] = Counter()
    state = {"total": 0, "started": time.monotonic(), "last": time.monotonic()}

    def line() -> None:
        done = sum(counts.values())
        elapsed = time.monotonic() - state["started"]
        share = 100 * done / state["total"] if state["total"] else 100.0
        stream.write(f"progress: {done}/{int(state['total'])} ({share:.0f}%), "
                     f"{counts['failed']} failed, {done / max(elapsed, 1e-9):.1f} files/s\n")
        stream.flush()

    def start(total: int) -> None:
        state["total"] = total

    def advance(record: Record) -> None:
        counts[record.status] += 1
        now = time.monotonic()
        if now - state["last"] >= PLAIN_INTERVAL:
            state["last"] = now
            line()

    return Progress(start, advance), lambda: None
