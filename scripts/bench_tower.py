"""Benchmark the tower problem space and generator; prints figures (no assertions).

For each configured space: size, diameter, the time to build it from scratch
(all states, moves and the all-pairs BFS table; done once per process, then
cached) and the time of one problem draw afterwards, with 500 problem ids
already used (a long training history). Wall time and CPU time (process
time: unaffected by other programs competing for the processor) are shown.

Run: ``.venv/bin/python scripts/bench_tower.py [--repeats N]``
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from cogtrain.tasks.tower.generator import ProblemGenerator
from cogtrain.tasks.tower.puzzle import Puzzle
from cogtrain.tasks.tower.space import problem_space

PUZZLES = [Puzzle.tower_of_london()] + [Puzzle.tower_of_hanoi(n) for n in range(3, 7)]


def _ms(seconds: list[float]) -> str:
    values = sorted(s * 1000 for s in seconds)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return f"median {statistics.median(values):7.2f}  p95 {p95:7.2f}  max {values[-1]:7.2f}"


def bench(puzzle: Puzzle, repeats: int, rng: np.random.Generator) -> None:
    builds, builds_cpu = [], []
    for _ in range(repeats):
        problem_space.cache_clear()
        t, c = time.perf_counter(), time.process_time()
        space = problem_space(puzzle)
        builds.append(time.perf_counter() - t)
        builds_cpu.append(time.process_time() - c)
    gen = ProblemGenerator(puzzle)
    levels = rng.integers(1, space.diameter + 1, size=40 * repeats)
    used = {gen.draw(int(m), rng).problem_id for m in levels[:500]}
    draws = []
    for m in levels:
        t = time.perf_counter()
        gen.draw(int(m), rng, used)
        draws.append(time.perf_counter() - t)
    edges = sum(len(nb) for nb in space.neighbours) // 2
    print(f"{puzzle.key:9s} states {space.n_states:4d}  edges {edges:4d}  diameter {space.diameter:3d}")
    print(f"          build space (cold) ms: wall {_ms(builds)}")
    print(f"                                 cpu  {_ms(builds_cpu)}")
    print(f"          draw problem (warm) ms: wall {_ms(draws)}   ({len(draws)} draws, {len(used)} ids used)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20, help="cold builds per space (default 20)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    for puzzle in PUZZLES:
        bench(puzzle, args.repeats, rng)


if __name__ == "__main__":
    main()
