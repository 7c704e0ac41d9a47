"""Score batches of participants on a Dask cluster (``cogtrain score --workers N`` or ``--scheduler ADDRESS``).

Each batch is read and scored by a worker with the same function as on one
machine (:func:`cogtrain.scoring.engine.score_batch`), so the tables are the
same. Workers read the trial logs themselves: on a remote cluster the data
folder must be at the same path on every worker (see docs/scaling.md).
"""
from __future__ import annotations

import logging
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from cogtrain.errors import CogtrainError
from cogtrain.scoring.cache import StudyCache
from cogtrain.scoring.engine import Batch, Runner, score_batch
from cogtrain.task import TaskSpec

#: Seconds to wait for a remote scheduler before giving up.
CONNECT_TIMEOUT_S = 20


@contextmanager
def dask_runner(*, scheduler: str | None = None, workers: int | None = None) -> Iterator[tuple[Runner, int]]:
    """Connect to a Dask scheduler, or start a local cluster, and yield a batch runner and its worker threads.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler, e.g. ``tcp://10.0.0.5:8786``.
    workers : int, optional
        Start a local cluster of this many single-threaded worker processes.

    Yields
    ------
    tuple
        ``run(data_dir, batches, tasks, cache)`` yielding each batch's result as it completes. The
        workers of a local cluster use and fill the cache; a remote cluster's workers may not see
        its folder, so they read every session and the scores they send back are stored by the caller. Then the
        number of threads of the cluster's workers (at least 1).

    Raises
    ------
    CogtrainError
        If the scheduler cannot be reached.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        else:
            # A local cluster is ours: its workers' start and stop messages (e.g. a busy worker killed
            # after a few seconds at shutdown) are not the user's concern; errors still show.
            # Its scheduler's small HTTP server (on 127.0.0.1) moves to a free port when 8787 is taken.
            logging.getLogger("distributed").setLevel(logging.ERROR)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
                cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
    except (OSError, TimeoutError, ValueError) as exc:  # ValueError: not an address
        raise CogtrainError(f"cannot reach Dask scheduler {scheduler!r}: {exc} "
                            "(expected an address such as tcp://host:8786)") from None

    def run(data_dir: Path, batches: list[Batch], tasks: Mapping[str, TaskSpec], cache: StudyCache | None):
        shared = cache if cluster is not None else None
        futures = [client.submit(score_batch, Path(data_dir), batch, dict(tasks), shared, pure=False)
                   for batch in batches]
        for future in as_completed(futures):
            yield future.result()

    try:
        yield run, max(sum(client.nthreads().values()), 1)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

