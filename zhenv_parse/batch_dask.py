"""Run a batch on Dask distributed: the same per-file function as the local pool, scheduled by
an existing engine. Needs the optional extra: ``pip install 'zhenv-parse[dask]'``.

Workers read inputs and write outputs at the paths the client sees, so on a real cluster the
input and output folders must be on a file system every worker mounts at the same path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed

from .batch import BatchError, Record, Sink, Task, convert_one, warm_up

#: `--scheduler` value that starts a LocalCluster on this machine instead of connecting.
LOCAL = "local"
#: How long to wait for the scheduler to answer before giving up.
CONNECT_TIMEOUT = "20s"
#: Times Dask retries a task whose worker died, before it is failed.
RETRIES = 1


def run_dask(tasks: Sequence[Task], scheduler: str, sink: Sink, *, workers: int) -> None:
    """Map :func:`convert_one` over `tasks` on the cluster at `scheduler` (an address such as
    `tcp://10.0.0.5:8786`, or `local` for a LocalCluster of `workers` processes)."""
    if not tasks:
        return
    cluster = (LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
               if scheduler == LOCAL else None)
    try:
        client = Client(cluster if cluster is not None else scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, ValueError) as error:
        raise BatchError(f"cannot connect to the Dask scheduler {scheduler}: {error}") from None
    try:
        client.register_plugin(WarmUp(tasks[0].formats), name="zhenv-parse-warm-up")
        _collect(client, tasks, sink)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _collect(client: Client, tasks: Sequence[Task], sink: Sink) -> None:
    futures = client.map(convert_one, list(tasks), pure=False, retries=RETRIES)
    by_key = {future.key: task for future, task in zip(futures, tasks, strict=True)}
    completed = as_completed(futures)
    for future in completed:
        task = by_key[future.key]
        if not sink(_record(future, task)):
            for other in futures:
                other.cancel()
            return


def _record(future: Future, task: Task) -> Record:
    if future.status == "finished":
        record = future.result()
        assert isinstance(record, Record)
        return record
    error = future.exception() if future.status == "error" else future.status
    return Record(task.source, "failed", parser=task.parser, error={
        "code": "worker-died",
        "message": f"{task.source}: the Dask task did not finish: {error}"})


class WarmUp(WorkerPlugin):  # type: ignore[misc]
    """Loads the parser's heavy state once per worker, when the worker joins."""

    def __init__(self, formats: tuple[str, ...]) -> None:
        self.formats = formats

    def setup(self, worker: Any) -> None:
        warm_up(self.formats)
