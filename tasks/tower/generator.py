"""Problems: start/goal pairs of a requested minimum-move count, drawn without repeats.

A problem's id names its space and states (``tol3-321:RGB||:R|GB|``), so the
ids a participant has seen can be carried in ``state.json`` and avoided in
later sessions as long as unseen problems of the requested difficulty remain.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cogtrain.tasks.tower.puzzle import Puzzle, State
from cogtrain.tasks.tower.space import UNREACHABLE, ProblemSpace, problem_space


@dataclass(frozen=True)
class Problem:
    """One start/goal pair with its difficulty measures.

    Attributes
    ----------
    problem_id : str
    start, goal : State
    min_moves : int
        Minimum number of moves (breadth-first distance).
    optimal_paths : int
        Number of distinct shortest solutions.
    start_type, goal_type : str
        Shape of the start and goal (``tower``/``partial``/``flat``).
    """

    problem_id: str
    start: State
    goal: State
    min_moves: int
    optimal_paths: int
    start_type: str
    goal_type: str


class ProblemGenerator:
    """Draws problems from a puzzle's cached problem space.

    Parameters
    ----------
    puzzle : Puzzle
    goal_types : sequence of str
        Allowed goal shapes (``tower``, ``partial``, ``flat``); empty allows all.
    max_optimal_paths : int or None
        Keep only problems with at most this many shortest solutions.
    """

    def __init__(self, puzzle: Puzzle, goal_types: Sequence[str] = (), max_optimal_paths: int | None = None):
        self.space: ProblemSpace = problem_space(puzzle)
        self.max_optimal_paths = max_optimal_paths
        configs = self.space.configurations
        self._goal_ok = np.isin(configs, list(goal_types)) if goal_types else np.ones(len(configs), bool)
        self._candidates: dict[int, np.ndarray] = {}

    @classmethod
    def for_settings(cls, settings: Any) -> "ProblemGenerator":
        """The generator described by a task's settings (``TowerSettings``)."""
        return cls(settings.make_puzzle(), settings.goal_types, settings.max_optimal_paths)

    @property
    def puzzle(self) -> Puzzle:
        """The puzzle problems are drawn from."""
        return self.space.puzzle

    def problem_id(self, start: State, goal: State) -> str:
        """Stable id of a start/goal pair, e.g. ``tol3-321:RGB||:R|GB|``."""
        fmt = self.puzzle.format_state
        return f"{self.puzzle.key}:{fmt(start)}:{fmt(goal)}"

    def candidates(self, min_moves: int) -> np.ndarray:
        """Index pairs (start, goal), shape (k, 2), at distance ``min_moves`` with an allowed goal."""
        if min_moves not in self._candidates:
            pairs = np.argwhere(self.space.distances == min_moves)
            self._candidates[min_moves] = pairs[self._goal_ok[pairs[:, 1]]]
        return self._candidates[min_moves]

    def _paths_ok(self, start: int, goal: int) -> bool:
        if self.max_optimal_paths is None:
            return True
        space = self.space
        return space.n_optimal_paths(space.states[start], space.states[goal]) <= self.max_optimal_paths

    def has_problem(self, min_moves: int) -> bool:
        """Whether any problem passes the filters at this minimum-move count."""
        return any(self._paths_ok(s, g) for s, g in self.candidates(min_moves))

    def make(self, start: State, goal: State, problem_id: str | None = None) -> Problem:
        """Describe the problem ``start`` → ``goal``."""
        space = self.space
        return Problem(
            problem_id=problem_id or self.problem_id(start, goal),
            start=start, goal=goal, min_moves=space.distance(start, goal),
            optimal_paths=space.n_optimal_paths(start, goal),
            start_type=self.puzzle.configuration(start), goal_type=self.puzzle.configuration(goal))

    def fixed_problem(self, start: str, goal: str, problem_id: str | None = None,
                      min_moves: int | None = None) -> Problem:
        """A problem given in state notation (e.g. from a published set), checked.

        Raises
        ------
        ValueError
            For an unparseable state, identical start and goal, an unreachable
            goal, or a stated ``min_moves`` that differs from the computed one.
        """
        begin, end = self.puzzle.parse_state(start), self.puzzle.parse_state(goal)
        distance = self.space.distance(begin, end)
        if distance == 0 or distance == UNREACHABLE:
            raise ValueError(f"problem {start!r} -> {goal!r}: goal is "
                             f"{'the start' if distance == 0 else 'unreachable'}; expected a solvable problem")
        if min_moves is not None and min_moves != distance:
            raise ValueError(f"problem {start!r} -> {goal!r}: min_moves is {min_moves}, "
                             f"the shortest solution has {distance} moves")
        return self.make(begin, end, problem_id)

    def draw(self, min_moves: int, rng: np.random.Generator, used: Collection[str] = (),
             recent: Collection[str] = ()) -> Problem:
        """Draw a problem needing exactly ``min_moves`` moves.

        Unseen problems come first; when every problem of that difficulty was
        used in an earlier session, one not used in ``recent`` (this session)
        is taken, and only then any.

        Parameters
        ----------
        min_moves : int
        rng : numpy.random.Generator
        used : collection of str
            Ids seen in any session.
        recent : collection of str
            Ids seen in this session (a subset of ``used`` or not).

        Raises
        ------
        ValueError
            When no problem of that difficulty passes the filters.
        """
        pairs = self.candidates(min_moves)
        best: tuple[int, int, int] | None = None
        for k in rng.permutation(len(pairs)):
            start, goal = int(pairs[k, 0]), int(pairs[k, 1])
            pid = self.problem_id(self.space.states[start], self.space.states[goal])
            tier = 2 if pid in recent else 1 if pid in used else 0
            if (best is None or tier < best[0]) and self._paths_ok(start, goal):
                best = (tier, start, goal)
                if tier == 0:
                    break
        if best is None:
            raise ValueError(f"no {self.puzzle.key} problem needs {min_moves} minimum moves "
                             "with the configured filters")
        return self.make(self.space.states[best[1]], self.space.states[best[2]])
