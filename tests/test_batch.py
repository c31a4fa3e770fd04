"""Batch conversion (`zhenv-parse convert`): mirrored outputs, manifest, resumable reruns, bad
input reported per file, and whole files only, whatever happens to the run."""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from zhenv_parse import Notice, batch, batch_progress, parse
from zhenv_parse.batch import BatchError, Progress, Record, check_formats, convert
from zhenv_parse.cli import main
from zhenv_parse.readers import SUPPORTED_SUFFIXES

from .conftest import SAMPLE

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


def variant(number: int) -> str:
    """The sample with its own serial number and figures, so every output differs."""
    return (SAMPLE_TEXT.replace("浙环发〔2023〕1号", f"浙环发〔2023〕{number}号")
            .replace("村（社区）300个", f"村（社区）{300 + number}个"))


def make_corpus(root: Path, names: list[str]) -> list[Path]:
    paths = []
    for number, name in enumerate(names, 1):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(variant(number), encoding="utf-8")
        paths.append(path)
    return paths


def manifest(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text("utf-8").splitlines()]


def by_source(out: Path) -> dict[str, dict[str, Any]]:
    return {str(record["source"]): record for record in manifest(out)}


def output_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix in {".json", ".xml"}}


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["convert", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_folder_is_mirrored_with_a_manifest(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    make_corpus(inputs, ["zj-2023.txt", "2022/q1.txt", "2022/deep/q2.text"])
    (inputs / "README.md").write_text("not a notice", encoding="utf-8")
    out = tmp_path / "out"

    code, output = run_cli(str(inputs), "--out", str(out), "--jobs", "1")

    assert code == 0
    assert "converted 3, skipped 1, unchanged 0, failed 0" in output
    assert sorted(output_files(out)) == ["2022/deep/q2.json", "2022/q1.json", "zj-2023.json"]
    source = inputs / "2022" / "q1.txt"
    assert (out / "2022" / "q1.json").read_text("utf-8") == parse(source).to_json()
    records = manifest(out)
    assert [r["source"] for r in records] == sorted(r["source"] for r in records)
    record = by_source(out)[str(source)]
    assert record["status"] == "converted"
    assert record["outputs"] == {"json": "2022/q1.json"}
    assert record["counts"]["chapters"] == 10 and record["counts"]["items"] == 33
    assert record["sha256"] and record["parser"] == batch.parser_version()
    skipped = by_source(out)[str(inputs / "README.md")]
    assert skipped["status"] == "skipped" and ".md is not a supported type" in skipped["error"]["message"]
    assert (out / "errors.jsonl").read_text("utf-8") == ""


def test_files_and_globs_are_inputs(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", ["a.txt", "b.txt", "c.txt"])
    out = tmp_path / "out"
    result = convert([str(tmp_path / "in" / "a.txt"), str(tmp_path / "in" / "[bc].txt"),
                      str(tmp_path / "none*.txt")], out, jobs=1)
    assert result.count("converted") == 3 and sorted(output_files(out)) == [
        "a.json", "b.json", "c.json"]
    assert result.unmatched == [str(tmp_path / "none*.txt")]


def test_outputs_are_identical_whatever_the_jobs(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", [f"n{number:02}.txt" for number in range(8)])
    one, two = tmp_path / "one", tmp_path / "two"
    convert([str(tmp_path / "in")], one, jobs=1)
    convert([str(tmp_path / "in")], two, jobs=2)
    files = output_files(one)
    assert len(set(files.values())) == 8  # the variants really differ
    assert files == output_files(two)
    strip = [{k: v for k, v in r.items() if k != "seconds"} for r in manifest(one)]
    assert strip == [{k: v for k, v in r.items() if k != "seconds"} for r in manifest(two)]


def test_rerun_skips_unchanged_inputs_and_force_redoes_them(tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "in", ["a.txt", "b.txt", "c.txt"])
    out = tmp_path / "out"
    convert([str(tmp_path / "in")], out, jobs=1)
    stamp = (out / "a.json").stat().st_mtime_ns
    first = by_source(out)[str(paths[0])]

    again = convert([str(tmp_path / "in")], out, jobs=1)
    assert (again.count("unchanged"), again.count("converted")) == (3, 0)
    assert (out / "a.json").stat().st_mtime_ns == stamp
    kept = by_source(out)[str(paths[0])]
    assert kept["status"] == "unchanged" and kept["counts"]["items"] == 33
    assert (kept["counts"], kept["diagnostics"]) == (first["counts"], first["diagnostics"])

    paths[1].write_text(variant(99), encoding="utf-8")
    changed = convert([str(tmp_path / "in")], out, jobs=1)
    assert [r.source for r in changed.records if r.status == "converted"] == [str(paths[1])]
    assert "浙环发〔2023〕99号" in (out / "b.json").read_text("utf-8")

    forced = convert([str(tmp_path / "in")], out, jobs=1, force=True)
    assert forced.count("converted") == 3


def test_a_new_parser_version_redoes_everything(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", ["a.txt"])
    out = tmp_path / "out"
    convert([str(tmp_path / "in")], out, jobs=1)
    text = (out / "manifest.jsonl").read_text("utf-8")
    (out / "manifest.jsonl").write_text(text.replace(batch.parser_version(), "0.0.1+schema.0.9"),
                                        encoding="utf-8")
    assert convert([str(tmp_path / "in")], out, jobs=1).count("converted") == 1


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    """Unreadable files: tests run as root, whom `chmod 000` does not stop, so a broken link,
    a link loop and a named pipe stand in (test_permission_denied covers the rest)."""
    inputs = tmp_path / "in"
    make_corpus(inputs, ["good.txt"])
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300))
    (inputs / "dangling.txt").symlink_to(inputs / "gone.txt")
    (inputs / "loop.txt").symlink_to(inputs / "loop.txt")
    os.mkfifo(inputs / "pipe.txt")
    (inputs / "prose.txt").write_text("这是一段普通的文字，没有任何公文的结构。", encoding="utf-8")
    out = tmp_path / "out"

    code, output = run_cli(str(inputs), "--out", str(out), "--jobs", "2")

    assert code == 1
    assert "converted 1, skipped 0, unchanged 0, failed 6" in output
    errors = {Path(str(r["source"])).name: r["error"] for r in
              (json.loads(line) for line in (out / "errors.jsonl").read_text("utf-8").splitlines())}
    assert {name: error["code"] for name, error in errors.items()} == {
        "empty.txt": "empty-input", "image.txt": "binary-input", "dangling.txt": "input-not-found",
        "loop.txt": "input-not-found", "pipe.txt": "input-not-found", "prose.txt": "not-a-notice"}
    assert "broken symbolic link" in errors["dangling.txt"]["message"]
    assert "not a regular file" in errors["pipe.txt"]["message"]
    assert f"failed: {inputs / 'empty.txt'}: input is empty [empty-input]" in output
    assert sorted(output_files(out)) == ["good.json"]


def test_pdfs_are_converted_and_unreadable_ones_reported(tmp_path: Path) -> None:
    if ".pdf" not in SUPPORTED_SUFFIXES:
        pytest.skip("no PDF reader in this installation")
    pf = pytest.importorskip("tests.pdf_factory", reason="needs the PDF test producers")
    inputs = tmp_path / "in"
    inputs.mkdir()
    sample_pdf = SAMPLE.with_suffix(".pdf")
    (inputs / "sample.pdf").write_bytes(sample_pdf.read_bytes())
    blocks = pf.blocks_from_text(SAMPLE_TEXT)[:3]
    (inputs / "locked.pdf").write_bytes(pf.reportlab_pdf(blocks, encrypt_password="secret"))
    (inputs / "scan.pdf").write_bytes(pf.scanned_pdf())

    result = convert([str(inputs)], tmp_path / "out", jobs=2)

    assert {Path(r.source).name: (r.error or {}).get("code", r.status) for r in result.records} \
        == {"sample.pdf": "converted", "locked.pdf": "encrypted-pdf", "scan.pdf": "scanned-pdf"}
    assert (tmp_path / "out" / "sample.json").read_text("utf-8") == \
        parse(inputs / "sample.pdf").to_json()
    assert sorted(output_files(tmp_path / "out")) == ["sample.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_permission_denied(tmp_path: Path) -> None:
    locked = make_corpus(tmp_path / "in", ["locked.txt"])[0]
    locked.chmod(0)
    result = convert([str(locked)], tmp_path / "out", jobs=1)
    assert result.records[0].error == {"code": "input-not-found", "message":
                                       f"{locked}: cannot read file: Permission denied"}


def test_colliding_names_are_failed_without_overwriting(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    make_corpus(inputs, ["plan.txt"])
    out = tmp_path / "out"
    convert([str(inputs)], out, jobs=1)
    before = (out / "plan.json").read_bytes()
    make_corpus(tmp_path / "new", ["Plan.TXT", "plan.text"])
    for name in ("Plan.TXT", "plan.text"):
        (tmp_path / "new" / name).rename(inputs / name)

    result = convert([str(inputs)], out, jobs=1)

    # The earlier owner keeps the name, although `Plan.TXT` sorts first.
    assert result.count("unchanged") == 1 and (out / "plan.json").read_bytes() == before
    collided = {Path(r.source).name: r.error for r in result.records if r.status == "failed"}
    assert set(collided) == {"Plan.TXT", "plan.text"}
    assert collided["plan.text"] == {"code": "output-collision", "message":
                                     f"{inputs / 'plan.text'}: its outputs (plan.*) would "
                                     f"overwrite those of {inputs / 'plan.txt'}; rename one of them"}
    assert sorted(output_files(out)) == ["plan.json"]


def test_a_failed_rerun_keeps_the_earlier_output(tmp_path: Path) -> None:
    path = make_corpus(tmp_path / "in", ["a.txt"])[0]
    out = tmp_path / "out"
    convert([str(path)], out, jobs=1)
    before = (out / "a.json").read_bytes()
    path.write_bytes(b"")
    result = convert([str(path)], out, jobs=1)
    assert result.records[0].status == "failed"
    assert (out / "a.json").read_bytes() == before


def test_unwritable_output_is_reported_per_file(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    make_corpus(inputs, ["ok.txt", "sub/blocked.txt", "taken.txt"])
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").write_text("a file where a folder is needed", encoding="utf-8")
    (out / "taken.json").mkdir()  # a folder where the output file goes

    result = convert([str(inputs)], out, jobs=1)

    failed = {Path(r.source).name: r.error or {} for r in result.records if r.status == "failed"}
    assert {name: error["code"] for name, error in failed.items()} == {
        "blocked.txt": "write-failed", "taken.txt": "write-failed"}
    assert f"cannot write {out / 'sub' / 'blocked.json'}" in failed["blocked.txt"]["message"]
    assert (out / "sub").read_text("utf-8") == "a file where a folder is needed"
    assert (out / "ok.json").is_file() and not list(out.rglob("*.tmp"))


def test_an_output_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", ["a.txt"])
    (tmp_path / "out").write_text("keep me", encoding="utf-8")
    code, output = run_cli(str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    assert code == 1 and "is a file, not a folder" in output and "Traceback" not in output
    assert (tmp_path / "out").read_text("utf-8") == "keep me"


def test_fail_fast_stops_at_the_first_failure(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    make_corpus(inputs, ["b.txt", "c.txt", "d.txt"])
    (inputs / "a.txt").write_bytes(b"")
    result = convert([str(inputs)], tmp_path / "out", jobs=1, fail_fast=True)
    assert [(Path(r.source).name, r.status) for r in result.records] == [("a.txt", "failed")]
    assert not result.ok


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(BatchError, match="unknown format 'pdf'; choose from json, xml, akn"):
        check_formats(["pdf"])


def _exporter(name: str) -> Callable[[Notice], bytes] | None:
    spec = batch.FORMATS[name]
    try:
        return getattr(importlib.import_module(spec.module), spec.function, None)
    except ImportError:
        return None


@pytest.mark.parametrize("name", ["xml", "akn"])
def test_xml_formats_when_available_else_a_clear_error(tmp_path: Path, name: str) -> None:
    exporter = _exporter(name)
    if exporter is None:
        code, output = run_cli(str(SAMPLE), "--out", str(tmp_path / "out"), "--format",
                               f"json,{name}")
        assert code == 1 and f"format {name!r} is unavailable" in output
        assert not (tmp_path / "out").exists() or not output_files(tmp_path / "out")
        return
    path = make_corpus(tmp_path / "in", ["a.txt"])[0]
    result = convert([str(path)], tmp_path / "out", formats=[name, "json"], jobs=1)
    suffix = batch.FORMATS[name].suffix
    assert result.records[0].outputs == {"json": "a.json", name: f"a{suffix}"}
    assert (tmp_path / "out" / f"a{suffix}").read_bytes() == exporter(parse(path))


def test_a_killed_worker_costs_no_file(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", [f"n{number:02}.txt" for number in range(16)])
    out = tmp_path / "out"
    killed: list[int] = []

    def kill_a_worker(record: Record) -> None:
        if not killed:
            victim = multiprocessing.active_children()[0]
            os.kill(victim.pid or 0, signal.SIGKILL)
            killed.append(victim.pid or 0)

    result = convert([str(tmp_path / "in")], out, jobs=2, progress=Progress(advance=kill_a_worker))

    assert killed and result.ok and result.count("converted") == 16
    assert len(output_files(out)) == 16 and not list(out.rglob("*.tmp"))


_CONVERT_ONE = batch.convert_one


def _dies_on_poison(task: batch.Task) -> Record:
    """The real per-file function, except that a file named `poison.txt` kills its worker, as
    a file that exhausts memory would."""
    if Path(task.source).name == "poison.txt":
        os.kill(os.getpid(), signal.SIGKILL)
    return _CONVERT_ONE(task)


def test_a_file_that_kills_its_worker_is_failed_alone(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path / "in", [f"n{number:02}.txt" for number in range(9)] + ["poison.txt"])
    monkeypatch.setattr(batch, "convert_one", _dies_on_poison)
    result = convert([str(tmp_path / "in")], tmp_path / "out", jobs=2)
    failed = [(Path(r.source).name, (r.error or {})["code"]) for r in result.records
              if r.status == "failed"]
    assert failed == [("poison.txt", "worker-died")]
    assert result.count("converted") == 9 and len(output_files(tmp_path / "out")) == 9


def _start_cli(inputs: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "zhenv_parse.cli", "convert", str(inputs),
                             "--out", str(out), "--jobs", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)


def _wait_for_progress(out: Path, process: subprocess.Popen[bytes], records: int = 5) -> None:
    journal = out / batch.JOURNAL_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if journal.is_file() and journal.read_text("utf-8").count("\n") >= records:
            return
        time.sleep(0.02)
    pytest.fail("the batch made no progress")


def _all_outputs_whole(out: Path) -> int:
    files = output_files(out)
    for data in files.values():
        json.loads(data)
    return len(files)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_an_interrupted_run_leaves_whole_files_and_resumes(tmp_path: Path,
                                                           stop: signal.Signals) -> None:
    total = 80
    make_corpus(tmp_path / "in", [f"n{number:03}.txt" for number in range(total)])
    out = tmp_path / "out"
    process = _start_cli(tmp_path / "in", out)
    _wait_for_progress(out, process)
    os.killpg(process.pid, stop)  # the whole group, as a terminal's Ctrl-C or `kill -9` does
    process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the batch finished before the signal arrived")
    assert process.returncode == (130 if stop == signal.SIGINT else -signal.SIGKILL)
    written = _all_outputs_whole(out)
    assert 0 < written < total

    resumed = convert([str(tmp_path / "in")], out, jobs=2)

    assert resumed.ok and resumed.count("unchanged") >= 5
    assert resumed.count("unchanged") + resumed.count("converted") == total
    assert _all_outputs_whole(out) == total and not list(out.rglob("*.tmp"))
    assert len(manifest(out)) == total and not (out / batch.JOURNAL_NAME).exists()


def test_progress_is_plain_lines_off_a_terminal(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_progress, "PLAIN_INTERVAL", 0.0)
    make_corpus(tmp_path / "in", ["a.txt", "b.txt"])
    code, output = run_cli(str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert code == 0
    assert "progress: 1/2 (50%), 0 failed" in output and "progress: 2/2 (100%)" in output
    assert output.rstrip().splitlines()[-1].startswith("converted 2, skipped 0, unchanged 0")


def test_progress_is_a_bar_on_a_terminal(tmp_path: Path) -> None:
    class Terminal:
        written = ""

        def write(self, text: str) -> int:
            self.written += text
            return len(text)

        def flush(self) -> None:
            pass

        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    progress, stop = batch_progress.progress_for(terminal)  # type: ignore[arg-type]
    make_corpus(tmp_path / "in", ["a.txt"])
    convert([str(tmp_path / "in")], tmp_path / "out", jobs=1, progress=progress)
    stop()
    assert "converting" in terminal.written and "1/1" in terminal.written
