"""Score batches of participants on this computer's cores, one worker process per core.

Reading and scoring a participant is Python work that one process does on one
core, so a study is spread over worker processes that each read and score
whole batches with :func:`cogtrain.scoring.engine.score_batch`, the function
the single process uses: the tables are the same. Workers are started by
``fork`` and so share what the parent has imported and the cache's index
without copying them; where ``fork`` is not available (Windows) or not safe
(macOS), batches are scored in the calling process.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Mapping

from cogtrain.errors import CogtrainError
from cogtrain.scoring.cache import StudyCache
from cogtrain.scoring.engine import Batch, Runner, score_batch
from cogtrain.task import TaskSpec

#: What a worker scores: set in the parent before the workers are forked.
_job: tuple[Path, Mapping[str, TaskSpec], StudyCache | None] | None = None


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True where worker processes can be forked safely (Linux)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def process_runner(jobs: int) -> Runner:
    """A batch runner that scores batches in ``jobs`` forked worker processes.

    Parameters
    ----------
    jobs : int
        Worker processes (at least 2; with fewer, one batch, or without
        ``fork``, batches are scored in this process instead).

    Returns
    -------
    callable
        ``run(data_dir, batches, tasks, cache)`` yielding each batch's result as it completes.

    Raises
    ------
    CogtrainError
        (From the runner) if a worker process died, e.g. killed for lack of memory.
    """

    def run(data_dir: Path, batches: list[Batch], tasks: Mapping[str, TaskSpec], cache: StudyCache | None):
        global _job
        if jobs < 2 or len(batches) < 2 or not can_fork():
            yield from (score_batch(Path(data_dir), batch, tasks, cache) for batch in batches)
            return
        _job = (Path(data_dir), tasks, cache)
        # Objects that exist at the fork are left alone by the workers' garbage collector, which would
        # otherwise scan them, and copy every page it touches, again and again (see gc.freeze).
        gc.freeze()
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=min(jobs, len(batches)), mp_context=context) as pool:
                pending = {pool.submit(_score, batch) for batch in batches}
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        yield future.result()
        except BrokenProcessPool:
            raise CogtrainError(f"a worker process scoring {data_dir} stopped before it finished (killed, or "
                                "out of memory?); score again, with --jobs 1 to use one process") from None
        finally:
            gc.unfreeze()
            _job = None

    return run


def _score(batch: Batch):
    """Score one batch in a worker, with what the parent set before forking it."""
    assert _job is not None, "worker started without a job"
    data_dir, tasks, cache = _job
    return score_batch(data_dir, batch, tasks, cache)
