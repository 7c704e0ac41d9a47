"""Forked worker processes: every item done once, errors and dead workers reported."""
from __future__ import annotations

import os

import pytest

from cogtrain.errors import CogtrainError
from cogtrain.scoring.processes import can_fork, forked_map

pytestmark = pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")


def test_workers_see_the_parents_memory_and_send_back_results():
    shared = {i: i * i for i in range(50)}  # never pickled: the workers see it through the fork
    parent = os.getpid()
    results = list(forked_map(lambda i: (shared[i], os.getpid() != parent), range(50), jobs=2))
    assert sorted(value for value, _ in results) == sorted(shared.values())
    assert all(elsewhere for _, elsewhere in results)


def test_one_job_or_one_item_stays_in_this_process():
    parent = os.getpid()
    assert list(forked_map(lambda i: os.getpid(), range(3), jobs=1)) == [parent] * 3
    assert list(forked_map(lambda i: os.getpid(), [0], jobs=4)) == [parent]


def test_an_error_in_a_worker_reaches_the_caller():
    def fail(i):
        raise ValueError(f"item {i} is odd")

    with pytest.raises(ValueError, match="is odd"):
        list(forked_map(fail, range(4), jobs=2))


def test_a_dead_worker_is_one_clear_error():
    with pytest.raises(CogtrainError, match="a worker process stopped before it finished"):
        list(forked_map(lambda i: os._exit(9), range(4), jobs=2))
