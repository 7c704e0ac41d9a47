"""Problem generation: exact difficulty, no repeats while possible, filters, fixed sets."""
import numpy as np
import pytest

from cogtrain.tasks.tower.generator import ProblemGenerator
from cogtrain.tasks.tower.puzzle import Puzzle
from tower_reference import bfs


@pytest.mark.parametrize("puzzle", [Puzzle.tower_of_london(), Puzzle.tower_of_hanoi(3),
                                    Puzzle.tower_of_hanoi(5)])
def test_every_generated_problem_has_the_requested_independent_bfs_distance(puzzle):
    gen = ProblemGenerator(puzzle)
    rng = np.random.default_rng(3)
    for level in range(1, gen.space.diameter + 1):
        for _ in range(3):
            p = gen.draw(level, rng)
            start, goal = puzzle.format_state(p.start), puzzle.format_state(p.goal)
            assert p.min_moves == level == bfs(start, puzzle.kind, list(puzzle.capacities))[goal]
            assert p.problem_id == f"{puzzle.key}:{start}:{goal}"


def test_draw_is_reproducible_from_the_seed():
    gen = ProblemGenerator(Puzzle.tower_of_london())
    a = [gen.draw(5, np.random.default_rng(9)).problem_id for _ in range(3)]
    b = [gen.draw(5, np.random.default_rng(9)).problem_id for _ in range(3)]
    assert a == b


def test_no_repeat_until_the_level_is_exhausted_then_not_this_session_first():
    gen = ProblemGenerator(Puzzle.tower_of_london())
    rng = np.random.default_rng(1)
    n = len(gen.candidates(8))  # 66 ordered pairs 8 moves apart
    assert n == 66
    used: set[str] = set()
    for _ in range(n):
        pid = gen.draw(8, rng, used).problem_id
        assert pid not in used
        used.add(pid)
    recent = set(list(used)[:60])
    for _ in range(6):
        pid = gen.draw(8, rng, used, recent).problem_id
        assert pid not in recent
        recent.add(pid)
    assert gen.draw(8, rng, used, recent).problem_id in used  # everything seen: any is allowed


def test_goal_type_and_optimal_path_filters():
    gen = ProblemGenerator(Puzzle.tower_of_london(), goal_types=["tower"], max_optimal_paths=1)
    rng = np.random.default_rng(2)
    for level in (2, 4, 6):
        p = gen.draw(level, rng)
        assert p.goal_type == "tower" and p.optimal_paths == 1
    flat = ProblemGenerator(Puzzle.tower_of_london(), goal_types=["flat"])
    assert all(flat.space.configurations[g] == "flat" for _, g in flat.candidates(5))


def test_filters_that_leave_nothing_are_reported():
    gen = ProblemGenerator(Puzzle.tower_of_london(), goal_types=["flat"], max_optimal_paths=1)
    assert [m for m in range(1, 9) if not gen.has_problem(m)] == [8]  # every 8-move problem has 2+ paths
    with pytest.raises(ValueError, match="no tol3-321 problem"):
        gen.draw(8, np.random.default_rng(0))


def test_fixed_problems_are_checked():
    gen = ProblemGenerator(Puzzle.tower_of_london())
    p = gen.fixed_problem("RG|B|", "R|GB|", "ex1", 3)
    assert (p.problem_id, p.min_moves, p.optimal_paths) == ("ex1", 3, 1)
    with pytest.raises(ValueError, match="min_moves is 2"):
        gen.fixed_problem("RG|B|", "R|GB|", min_moves=2)
    with pytest.raises(ValueError, match="the start"):
        gen.fixed_problem("RG|B|", "RG|B|")


def test_generation_in_the_largest_space_is_fast_enough_to_run_once_per_problem():
    # Wall time is measured by scripts/bench_tower.py; here only the call pattern is exercised.
    gen = ProblemGenerator(Puzzle.tower_of_hanoi(6))
    p = gen.draw(40, np.random.default_rng(0))
    assert p.min_moves == 40
