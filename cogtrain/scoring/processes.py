"""Score batches of participants (and write tables) on this computer's cores, one worker process per core.

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
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, TypeVar

from cogtrain.errors import CogtrainError
from cogtrain.scoring.cache import StudyCache
from cogtrain.scoring.engine import Batch, Runner, score_batch
from cogtrain.task import TaskSpec

T = TypeVar("T")
R = TypeVar("R")

#: What the workers do: set in the parent before the workers are forked.
_work: tuple[Callable[[Any], Any], list[Any]] | None = None


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True where worker processes can be forked safely (Linux)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def forked_map(function: Callable[[T], R], items: Iterable[T], jobs: int) -> Iterator[R]:
    """Yield ``function(item)`` for every item, computed by up to ``jobs`` forked worker processes.

    The workers see the parent's memory as it is at the fork, so neither
    ``function`` nor the items are copied to them; only the results come back.
    With fewer than 2 jobs or items, or without ``fork``, the items are done in
    this process instead. Results come in the order they are done.

    Raises
    ------
    CogtrainError
        If a worker process died, e.g. killed for lack of memory.
    """
    global _work
    items = list(items)
    if jobs < 2 or len(items) < 2 or not can_fork():
        yield from map(function, items)
        return
    _work = (function, items)
    # Objects that exist at the fork are left alone by the workers' garbage collector, which would
    # otherwise scan them, and copy every page it touches, again and again (see gc.freeze).
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(items)), mp_context=multiprocessing.get_context("fork")
                                 ) as pool:
            pending = {pool.submit(_do, index) for index in range(len(items))}
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
    except BrokenProcessPool:
        raise CogtrainError("a worker process stopped before it finished (killed, or out of memory?); "
                            "run again with --jobs 1 to use one process") from None
    finally:
        gc.unfreeze()
        _work = None


def _do(index: int) -> Any:
    """Do item ``index`` in a worker, with what the parent set before forking it."""
    assert _work is not None, "worker started without work"
    function, items = _work
    return function(items[index])


def process_runner(jobs: int) -> Runner:
    """A batch runner that scores batches in ``jobs`` forked worker processes (see :func:`forked_map`).

    Returns
    -------
    callable
        ``run(data_dir, batches, tasks, cache)`` yielding each batch's result as it completes.
    """

    def run(data_dir: Path, batches: list[Batch], tasks: Mapping[str, TaskSpec], cache: StudyCache | None):
        return forked_map(partial(score_batch, Path(data_dir), tasks=tasks, cache=cache), batches, jobs)

    return run
