"""The same batch on Dask distributed: a small LocalCluster reached over TCP, as a real
scheduler would be, gives the same outputs and manifest as the local process pool."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from zhenv_parse.cli import main

from .test_batch import make_corpus, manifest, output_files

distributed = pytest.importorskip("distributed", reason="needs the dask extra")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One in-process worker thread behind a TCP scheduler: small and fast to start."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield str(cluster.scheduler_address)


def _convert(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["convert", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_a_dask_cluster_gives_the_same_batch(tmp_path: Path, scheduler: str) -> None:
    assert scheduler.startswith("tcp://")
    inputs = tmp_path / "in"
    make_corpus(inputs, ["a.txt", "sub/b.txt", "sub/c.txt"])
    (inputs / "empty.txt").write_bytes(b"")
    local, dask = tmp_path / "local", tmp_path / "dask"

    local_code, _ = _convert(str(inputs), "--out", str(local), "--jobs", "1")
    code, output = _convert(str(inputs), "--out", str(dask), "--scheduler", scheduler)

    assert (code, local_code) == (1, 1)  # the empty file failed on both
    assert "converted 3, skipped 0, unchanged 0, failed 1" in output
    assert sorted(output_files(dask)) == ["a.json", "sub/b.json", "sub/c.json"]
    assert output_files(dask) == output_files(local)
    assert [{k: v for k, v in r.items() if k != "seconds"} for r in manifest(dask)] == \
        [{k: v for k, v in r.items() if k != "seconds"} for r in manifest(local)]
    error = json.loads((dask / "errors.jsonl").read_text("utf-8"))
    assert error["error"]["code"] == "empty-input"

    code, output = _convert(str(inputs), "--out", str(dask), "--scheduler", scheduler)
    assert "converted 0, skipped 0, unchanged 3, failed 1" in output


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", ["a.txt"])
    code, output = _convert(str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                            "--scheduler", "nonsense://nowhere")
    assert code == 1 and "cannot connect to the Dask scheduler nonsense://nowhere" in output
