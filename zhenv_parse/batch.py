"""Batch conversion: many notices in, one output file per format each, never half-written.

The work is split so that every engine runs the same per-file function:

* :func:`discover` turns INPUT arguments (files, folders, globs) into sources, each with the
  path it mirrors under the output folder; unsupported types are listed as skipped;
* :func:`plan` turns sources into :class:`Task` values, failing inputs whose outputs would
  collide and passing each task the hash it had last time, so the worker can skip it;
* :func:`convert_one` is the per-file function (read, hash, parse, render, write atomically),
  run in a local process pool (:func:`run_pool`) or on Dask (:mod:`zhenv_parse.batch_dask`);
* :func:`convert` ties them together and keeps ``manifest.jsonl`` / ``errors.jsonl``.

Every record is appended to a journal as it arrives, so a run that is interrupted or killed
loses nothing it finished; the next run folds the journal into the manifest and resumes.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import multiprocessing
import os
import re
import signal
import stat
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, replace
from importlib import import_module
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from . import __version__
from .errors import InputNotFoundError, NoticeParseError
from .export import atomic_write_bytes
from .model import SCHEMA_VERSION, Notice
from .readers import SUPPORTED_SUFFIXES

Status = Literal["converted", "unchanged", "skipped", "failed"]
STATUSES: tuple[Status, ...] = ("converted", "skipped", "unchanged", "failed")

MANIFEST_NAME = "manifest.jsonl"
ERRORS_NAME = "errors.jsonl"
#: Records appended as they arrive; folded into the manifest at the end (or by the next run).
JOURNAL_NAME = ".manifest.journal.jsonl"
#: Temporary files that `atomic_write_bytes` leaves behind only when its process is killed.
STALE_TEMPORARY = re.compile(r"^\..+\.tmp$")
#: Tasks in flight per worker: enough to keep workers busy, few enough to stop quickly.
TASKS_IN_FLIGHT_PER_JOB = 4
#: A tiny notice parsed once per worker, so that lazily loaded state is ready before real work.
WARM_UP_TEXT = ("浙江省生态环境厅文件\n\n浙环发〔2023〕1号\n\n2023年全省生态环境保护工作要点\n\n"
                "一、深入推进美丽浙江建设\n\n1. 全面加强生物多样性保护。建成 6 个省级体验地。\n")


class BatchError(Exception):
    """The batch as a whole cannot run (bad output folder, unavailable format)."""


@dataclass(frozen=True)
class OutputFormat:
    """An output format: file suffix and the function (`module:function`) that renders it."""

    name: str
    suffix: str
    module: str
    function: str

    def render(self, notice: Notice) -> bytes:
        rendered = getattr(import_module(self.module), self.function)(notice)
        return rendered.encode("utf-8") if isinstance(rendered, str) else bytes(rendered)


#: Every output format `--format` accepts, in the order outputs are written.
FORMATS: dict[str, OutputFormat] = {
    "json": OutputFormat("json", ".json", "zhenv_parse.export", "to_json"),
    "xml": OutputFormat("xml", ".xml", "zhenv_parse.xml_export", "to_xml"),
    "akn": OutputFormat("akn", ".akn.xml", "zhenv_parse.xml_export", "to_akn"),
}


def parser_version() -> str:
    """What an output depends on besides its input: a change redoes every input."""
    return f"{__version__}+schema.{SCHEMA_VERSION}"


def check_formats(names: Iterable[str]) -> tuple[str, ...]:
    """Validate requested format names, in table order; raise BatchError for unavailable ones."""
    wanted = list(dict.fromkeys(names))
    for name in wanted:
        spec = FORMATS.get(name)
        if spec is None:
            raise BatchError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
        try:
            available = hasattr(import_module(spec.module), spec.function)
        except ImportError:
            available = False
        if not available:
            raise BatchError(f"format {name!r} is unavailable in this installation: "
                             f"{spec.module}.{spec.function} cannot be imported")
    return tuple(name for name in FORMATS if name in wanted)


@dataclass
class Record:
    """One line of ``manifest.jsonl``: what became of one input."""

    source: str
    status: Status
    sha256: str | None = None
    parser: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] | None = None
    diagnostics: int | None = None
    seconds: float = 0.0
    error: dict[str, str] | None = None

    def to_line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True) + "\n"

    @classmethod
    def from_line(cls, line: str) -> Record | None:
        """A record, or None for a line cut short by a kill."""
        try:
            data = json.loads(line)
            return cls(**data) if isinstance(data, dict) else None
        except (ValueError, TypeError):
            return None


def _failed(source: str, code: str, message: str, **known: Any) -> Record:
    return Record(source=source, status="failed", error={"code": code, "message": message},
                  **known)


# --- discovery and planning ---------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """An input file and where it sits in the mirrored tree (with its own suffix)."""

    path: str
    relative: PurePosixPath


def discover(inputs: Sequence[str], *, exclude: Path | None = None
             ) -> tuple[list[Source], list[Source], list[str]]:
    """Sources to convert, sources skipped (unsupported type), and arguments matching nothing.

    A folder's contents mirror under the output folder; a file lands at its top. Symbolic
    links to folders are not followed (no loops); links to files are, broken ones included.
    """
    found: dict[str, Source] = {}
    unmatched: list[str] = []
    for argument in inputs:
        paths = sorted(glob.glob(argument, recursive=True)) if glob.has_magic(argument) \
            else [argument]
        if not paths or not any(os.path.lexists(path) for path in paths):
            unmatched.append(argument)
        for path in paths:
            for source in _expand(path, exclude):
                found.setdefault(source.path, source)
    ordered = sorted(found.values(), key=lambda source: source.path)
    wanted = [source for source in ordered if _is_supported(source.path)]
    skipped = [source for source in ordered if not _is_supported(source.path)]
    return wanted, skipped, unmatched


def _expand(path: str, exclude: Path | None) -> Iterator[Source]:
    path = os.path.normpath(path)
    if not os.path.isdir(path) or os.path.islink(path):
        if os.path.lexists(path):
            yield Source(path, PurePosixPath(os.path.basename(path)))
        return
    excluded = exclude.resolve() if exclude is not None else None
    for folder, subfolders, files in os.walk(path):
        if excluded is not None and Path(folder).resolve() == excluded:
            subfolders.clear()
            continue
        subfolders.sort()
        for name in sorted(files):
            full = os.path.join(folder, name)
            yield Source(full, PurePosixPath(Path(os.path.relpath(full, path)).as_posix()))


def _is_supported(path: str) -> bool:
    return Path(path).suffix.lower() in SUPPORTED_SUFFIXES


@dataclass(frozen=True)
class Task:
    """Everything the per-file function needs; small and picklable, for any engine."""

    source: str
    #: Output path under `out_dir` without its format suffix, e.g. `2023/zj`.
    stem: str
    out_dir: str
    formats: tuple[str, ...]
    parser: str
    #: The input's hash when it was last converted by this parser version, else None.
    previous_sha256: str | None = None

    def output_paths(self) -> dict[str, str]:
        return {name: self.stem + FORMATS[name].suffix for name in self.formats}


def plan(sources: Sequence[Source], out_dir: Path, formats: tuple[str, ...],
         previous: dict[str, Record], *, force: bool) -> tuple[list[Task], list[Record]]:
    """Tasks for `sources`, and failures for sources whose outputs would collide.

    Names are compared case-folded, since the output folder may sit on a case-insensitive
    file system. Of colliding sources, one converted by an earlier run keeps the name (so a
    new file never takes over existing outputs), else the first in path order.
    """
    version = parser_version()
    owners: dict[str, str] = {}
    tasks: list[Task] = []
    collisions: list[Record] = []
    for source in sorted(sources, key=lambda s: (_reusable(previous.get(s.path)) is None, s.path)):
        stem = source.relative.with_suffix("").as_posix()
        owner = owners.setdefault(stem.casefold(), source.path)
        if owner != source.path:
            collisions.append(_failed(
                source.path, "output-collision",
                f"{source.path}: its outputs ({stem}.*) would overwrite those of {owner}; "
                "rename one of them"))
            continue
        task = Task(source.path, stem, str(out_dir), formats, version)
        tasks.append(replace(task, previous_sha256=None if force
                             else _reusable_hash(previous.get(source.path), task)))
    return tasks, collisions


def _reusable(record: Record | None) -> Record | None:
    return record if record is not None and record.status in ("converted", "unchanged") else None


def _reusable_hash(record: Record | None, task: Task) -> str | None:
    record = _reusable(record)
    if record is None or record.parser != task.parser \
            or not set(task.formats) <= set(record.outputs):
        return None
    return record.sha256


# --- the per-file function ------------------------------------------------------------------

_warmed_formats: set[str] = set()


def warm_up(formats: Iterable[str] = ("json",)) -> None:
    """Load the parser's heavy state (and the exporters) once per process, not per file."""
    from .pipeline import parse

    missing = set(formats) - _warmed_formats
    if not missing:
        return
    # A failed warm-up costs nothing but time: the first real file pays for the loading, and
    # reports its own error.
    with contextlib.suppress(Exception):
        notice = parse(WARM_UP_TEXT)
        for name in missing:
            FORMATS[name].render(notice)
    _warmed_formats.update(missing)


def init_pool_worker(formats: tuple[str, ...]) -> None:
    """Process-pool initializer: Ctrl-C is the parent's to handle, so that a worker always
    finishes (or never starts) the file in hand; then warm up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up(formats)


def convert_one(task: Task) -> Record:
    """Convert one input; never raises for a bad input or a failed write."""
    from .pipeline import parse

    started = time.perf_counter()
    outputs = task.output_paths()
    known: dict[str, Any] = {"parser": task.parser}
    try:
        data = read_input(task.source)
        known["sha256"] = hashlib.sha256(data).hexdigest()
        if known["sha256"] == task.previous_sha256 and _outputs_exist(task, outputs):
            return Record(task.source, "unchanged", outputs=outputs,
                          seconds=_since(started), **known)
        notice = parse(Path(task.source))
        rendered = {name: FORMATS[name].render(notice) for name in task.formats}
        _write_outputs(task, outputs, rendered)
    except NoticeParseError as error:
        return _failed(task.source, error.code, str(error), seconds=_since(started), **known)
    except OutputWriteError as error:
        return _failed(task.source, "write-failed", str(error), seconds=_since(started), **known)
    except Exception as error:  # noqa: BLE001 - one bad file never stops the batch
        return _failed(task.source, "internal-error",
                       f"{task.source}: {type(error).__name__}: {error}",
                       seconds=_since(started), **known)
    return Record(task.source, "converted", outputs=outputs, counts=_counts(notice),
                  diagnostics=len(notice.diagnostics), seconds=_since(started), **known)


class OutputWriteError(Exception):
    """An output file could not be written (the old one, if any, is left as it was)."""


def read_input(path: str) -> bytes:
    """The input's bytes, or a typed error. Only regular files are opened: a pipe or a device
    named `*.txt` would block or never end."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputNotFoundError("not a regular file (a folder, pipe or device)", path=path)
        with open(path, "rb") as stream:
            return stream.read()
    except FileNotFoundError:
        raise InputNotFoundError("no such file (or a broken symbolic link)", path=path) from None
    except OSError as error:
        raise InputNotFoundError(f"cannot read file: {error.strerror}", path=path) from None


def _outputs_exist(task: Task, outputs: dict[str, str]) -> bool:
    return all(os.path.isfile(os.path.join(task.out_dir, path)) for path in outputs.values())


def _write_outputs(task: Task, outputs: dict[str, str], rendered: dict[str, bytes]) -> None:
    # Everything is rendered before the first write, so an export error writes nothing.
    for name, relative in outputs.items():
        target = Path(task.out_dir, relative)
        try:
            atomic_write_bytes(target, rendered[name])
        except OSError as error:
            raise OutputWriteError(f"cannot write {target}: {error.strerror or error}") from None


def _counts(notice: Notice) -> dict[str, int]:
    return {"chapters": len(notice.chapters), "items": len(notice.items),
            "targets": sum(len(goal.targets) for goal in notice.goals)}


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 4)


# --- engines ----------------------------------------------------------------------------------

#: Called with each record as it is finished; returns False to stop the batch (`--fail-fast`).
Sink = Callable[[Record], bool]


def run_serial(tasks: Sequence[Task], sink: Sink) -> None:
    """One process, no pool: for `--jobs 1` and for tiny batches."""
    warm_up(tasks[0].formats if tasks else ())
    for task in tasks:
        if not sink(convert_one(task)):
            return


def run_pool(tasks: Sequence[Task], jobs: int, sink: Sink) -> None:
    """A local process pool. A worker that dies (killed, out of memory) breaks the pool: the
    tasks it may have held are retried one at a time in a fresh pool, so that a file that
    kills its worker every time is failed alone and the rest of the batch goes on."""
    pending: deque[Task] = deque(tasks)
    suspects: deque[Task] = deque()
    formats = tasks[0].formats if tasks else ()
    context = multiprocessing.get_context("spawn" if os.name == "nt" else None)
    while pending or suspects:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=init_pool_worker,
                                 initargs=(formats,)) as pool:
            outcome = _drain(pool, pending, suspects, jobs, sink)
        if outcome == "stopped":
            return


def _drain(pool: ProcessPoolExecutor, pending: deque[Task], suspects: deque[Task], jobs: int,
           sink: Sink) -> Literal["done", "stopped", "broken"]:
    in_flight: dict[Future[Record], Task] = {}
    # While a suspect is in flight it is alone, so that a crash names the file that caused it.
    suspect_in_flight = False
    stopping = False
    while True:
        while not stopping and not suspect_in_flight:
            if suspects and not in_flight:
                task, suspect_in_flight = suspects.popleft(), True
            elif pending and not suspects and len(in_flight) < jobs * TASKS_IN_FLIGHT_PER_JOB:
                task = pending.popleft()
            else:
                break
            in_flight[pool.submit(convert_one, task)] = task
        if not in_flight:
            return "stopped" if stopping else "done"
        done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: in_flight[f].source):
            task = in_flight.pop(future)
            try:
                record = future.result()
            except BrokenProcessPool:
                return _on_broken(task, in_flight, suspects, suspect_in_flight, sink)
            suspect_in_flight = False
            if not sink(record):
                stopping = True


def _on_broken(task: Task, in_flight: dict[Future[Record], Task], suspects: deque[Task],
               alone: bool, sink: Sink) -> Literal["stopped", "broken"]:
    if not alone:
        suspects.extend(sorted([task, *in_flight.values()], key=lambda t: t.source))
        return "broken"
    message = (f"{task.source}: the worker process died while converting it "
               "(killed, or out of memory)")
    return "broken" if sink(_failed(task.source, "worker-died", message, parser=task.parser)) \
        else "stopped"


# --- manifest -----------------------------------------------------------------------------

def load_manifest(out_dir: Path) -> dict[str, Record]:
    """Records of earlier runs by source: the manifest, then any journal a killed run left."""
    records: dict[str, Record] = {}
    for name in (MANIFEST_NAME, JOURNAL_NAME):
        try:
            lines = (out_dir / name).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            record = Record.from_line(line)
            if record is not None:
                records[record.source] = record
    return records


class Journal:
    """Appends each record as it arrives, flushed, so a kill loses at most the line in hand."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / JOURNAL_NAME
        try:
            self._stream = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        except OSError as error:
            raise BatchError(f"cannot write to the output folder {out_dir}: "
                             f"{error.strerror or error}") from None

    def write(self, record: Record) -> None:
        try:
            self._stream.write(record.to_line())
            self._stream.flush()
        except OSError as error:
            raise BatchError(f"cannot write {self.path}: {error.strerror or error}") from None

    def close(self) -> None:
        self._stream.close()


def write_manifest(out_dir: Path, records: dict[str, Record]) -> None:
    """Write the manifest and the errors file (sorted by source) atomically; drop the journal."""
    ordered = [records[source] for source in sorted(records)]
    atomic_write_bytes(out_dir / MANIFEST_NAME,
                       "".join(record.to_line() for record in ordered).encode("utf-8"))
    atomic_write_bytes(out_dir / ERRORS_NAME, "".join(
        record.to_line() for record in ordered if record.status == "failed").encode("utf-8"))
    (out_dir / JOURNAL_NAME).unlink(missing_ok=True)


def remove_stale_temporaries(out_dir: Path) -> int:
    """Delete the hidden temporary files a killed writer left; they were never renamed into
    place, so no output is lost. Returns how many were removed."""
    removed = 0
    for folder, _, files in os.walk(out_dir):
        for name in files:
            if STALE_TEMPORARY.match(name) and any(f"{spec.suffix}." in name
                                                   for spec in FORMATS.values()):
                Path(folder, name).unlink(missing_ok=True)
                removed += 1
    return removed


# --- the whole batch ----------------------------------------------------------------------

@dataclass
class BatchResult:
    """What a run did: its records (this run only) and the counts of each status."""

    records: list[Record]
    seconds: float
    manifest: Path
    unmatched: list[str] = field(default_factory=list)
    interrupted: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for record in self.records if record.status == status)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0 and not self.interrupted

    def summary(self) -> str:
        counts = ", ".join(f"{status} {self.count(status)}" for status in STATUSES)
        done = self.count("converted") + self.count("unchanged")
        rate = done / self.seconds if self.seconds > 0 else 0.0
        cut = " (interrupted; rerun to resume)" if self.interrupted else ""
        return f"{counts} in {self.seconds:.2f} s ({rate:.1f} docs/s){cut} → {self.manifest}"


@dataclass
class Progress:
    """Hooks for a progress display: `start(total)` once, `advance(record)` per record."""

    start: Callable[[int], None] = lambda total: None
    advance: Callable[[Record], None] = lambda record: None


def prepare_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise BatchError(f"the output folder {out_dir} is a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BatchError(f"cannot create the output folder {out_dir}: "
                         f"{error.strerror or error}") from None


def convert(inputs: Sequence[str], out_dir: Path, *, formats: Sequence[str] = ("json",),
            jobs: int | None = None, force: bool = False, fail_fast: bool = False,
            scheduler: str | None = None, progress: Progress | None = None) -> BatchResult:
    """Convert every supported input under `inputs` into `out_dir` (see docs/batch.md).

    `jobs` defaults to the machine's cores; `scheduler` (`local` or a `tcp://` address) runs
    the same per-file function on Dask instead. Raises BatchError only when the batch cannot
    run at all; Ctrl-C returns an interrupted result after saving what was finished.
    """
    started = time.perf_counter()
    chosen = check_formats(formats)
    prepare_out_dir(out_dir)
    remove_stale_temporaries(out_dir)
    previous = load_manifest(out_dir)
    sources, skipped, unmatched = discover(inputs, exclude=out_dir)
    tasks, collisions = plan(sources, out_dir, chosen, previous, force=force)
    progress = progress or Progress()
    progress.start(len(sources) + len(skipped))
    records: list[Record] = []
    journal = Journal(out_dir)
    result = BatchResult(records, 0.0, out_dir / MANIFEST_NAME, unmatched)

    def sink(record: Record) -> bool:
        if record.status == "unchanged" and record.source in previous:
            record = _carry_over(previous[record.source], record)
        records.append(record)
        journal.write(record)
        progress.advance(record)
        return not (fail_fast and record.status == "failed")

    try:
        for record in [*collisions, *(_skipped(source) for source in skipped)]:
            sink(record)
        if not (fail_fast and collisions):
            _run(tasks, jobs or available_cores(), scheduler, sink)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        journal.close()
        remove_stale_temporaries(out_dir)  # left by workers killed during this run
        try:
            write_manifest(out_dir, {**previous, **{record.source: record for record in records}})
        except OSError as error:
            raise BatchError(f"cannot write the manifest in {out_dir}: "
                             f"{error.strerror or error}; rerun to resume") from None
    records.sort(key=lambda record: record.source)
    result.seconds = time.perf_counter() - started
    return result


def available_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _run(tasks: list[Task], jobs: int, scheduler: str | None, sink: Sink) -> None:
    if scheduler is not None:
        try:
            from .batch_dask import run_dask
        except ImportError as error:
            raise BatchError(f"--scheduler needs Dask ({error}): "
                             "pip install 'zhenv-parse[dask]'") from None
        run_dask(tasks, scheduler, sink, workers=jobs)
    elif jobs <= 1 or len(tasks) <= 1:
        run_serial(tasks, sink)
    else:
        run_pool(tasks, min(jobs, len(tasks)), sink)


def _carry_over(old: Record, new: Record) -> Record:
    """An unchanged input keeps what its conversion found."""
    return replace(new, counts=old.counts, diagnostics=old.diagnostics)


def _skipped(source: Source) -> Record:
    suffix = Path(source.path).suffix or "(none)"
    supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
    return Record(source.path, "skipped", error={
        "code": "unsupported-type",
        "message": f"{source.path}: {suffix} is not a supported type ({supported})"})
