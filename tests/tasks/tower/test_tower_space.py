"""The problem space against published sizes and an independent BFS."""
import itertools

import numpy as np
import pytest

from cogtrain.tasks.tower.puzzle import Puzzle
from cogtrain.tasks.tower.space import problem_space
from tower_reference import bfs, neighbours


def test_tol_321_space_matches_the_literature():
    # 36 states, 54 edges (108 directed moves), diameter 8: Berg & Byrd (2002); Kaller et al. (2004).
    space = problem_space(Puzzle.tower_of_london())
    assert space.n_states == 36
    assert sum(len(nb) for nb in space.neighbours) == 108
    assert space.diameter == 8
    assert 2 <= min(len(nb) for nb in space.neighbours) and max(len(nb) for nb in space.neighbours) == 4


@pytest.mark.parametrize("disks", [3, 4, 5, 6])
def test_hanoi_has_3_to_the_n_states_and_2_to_the_n_minus_1_moves_end_to_end(disks):
    puzzle = Puzzle.tower_of_hanoi(disks)
    space = problem_space(puzzle)
    tower = "".join(str(d) for d in range(disks, 0, -1))
    assert space.n_states == 3 ** disks
    assert space.distance(puzzle.parse_state(f"{tower}||"), puzzle.parse_state(f"||{tower}")) == 2 ** disks - 1
    assert space.diameter == 2 ** disks - 1


@pytest.mark.parametrize("puzzle", [Puzzle.tower_of_london(), Puzzle.tower_of_hanoi(4),
                                    Puzzle.tower_of_london(4, (2, 2, 2)), Puzzle.tower_of_london(3, (1, 1, 1, 1))])
def test_distance_table_equals_an_independent_bfs(puzzle):
    space = problem_space(puzzle)
    texts = [puzzle.format_state(s) for s in space.states]
    assert len(set(texts)) == len(texts)
    for i, text in enumerate(texts):
        dist = bfs(text, puzzle.kind, list(puzzle.capacities))
        expected = np.array([dist.get(t, -1) for t in texts])
        np.testing.assert_array_equal(space.distances[i], expected)


def _count_paths(start, goal, length, kind, caps):
    """Count move sequences of exactly ``length`` moves from start to goal (brute force)."""
    frontier = {start: 1}
    for _ in range(length):
        nxt = {}
        for state, n in frontier.items():
            for s in neighbours(state, kind, caps):
                nxt[s] = nxt.get(s, 0) + n
        frontier = nxt
    return frontier.get(goal, 0)


def test_optimal_path_counts_and_paths():
    puzzle = Puzzle.tower_of_london()
    space = problem_space(puzzle)
    rng = np.random.default_rng(0)
    for start, goal in itertools.islice(itertools.product(space.states, repeat=2), 0, None, 7):
        d = space.distance(start, goal)
        caps = list(puzzle.capacities)
        fs, fg = puzzle.format_state(start), puzzle.format_state(goal)
        assert space.n_optimal_paths(start, goal) == _count_paths(fs, fg, d, "tol", caps)
        path = space.optimal_path(start, goal, rng)
        state = start
        for move in path:
            state = puzzle.apply(state, move)
        assert len(path) == d and state == goal


def test_space_is_cached():
    assert problem_space(Puzzle.tower_of_hanoi(6)) is problem_space(Puzzle.tower_of_hanoi(6))
