"""The simulated participant of the tower task (no display, simulated clock).

On a planning problem it finds a shortest solution with probability

    p(m) = 1 / (1 + (1 - T) / T · exp((m - ability) / SLOPE)),   T = 1/√2,

unless it lapses; ``m`` is the minimum number of moves. At ``m = ability``
(``--sim-ability tower=LEVEL``) it is at threshold in the sense of the
task's 2-down/1-up staircase, which converges on p = 1/√2 ≈ 70.7 % (Levitt,
1971), so the level settles at the ability (as the n-back observer does). Otherwise it wanders: it mixes shortest-path moves with other
legal ones (starting with a detour), now and then tries an illegal move, and
gives up after ``PATIENCE_FACTOR × min_moves + PATIENCE_EXTRA`` moves if the
problem has no tighter limit. 
Times come from the participant model (log-normal): planning time grows with
the minimum number of moves; each move takes a pick-up and a put-down time.
The clock only advances; nothing sleeps.
"""
from __future__ import annotations

import math
from typing import Any

from cogtrain.tasks.tower.attempt import Attempt, TowerTrial
from cogtrain.tasks.tower.puzzle import Move
from cogtrain.tasks.tower.space import problem_space

THRESHOLD = 2 ** -0.5
"""Success probability at which a 2-down/1-up staircase converges (Levitt, 1971)."""
SLOPE = 0.6
"""Spread of the psychometric function in moves (one move harder: 71 % -> 31 %)."""
PATIENCE_FACTOR, PATIENCE_EXTRA = 2, 6
ON_PATH = 0.6
"""Probability that a wandering move is a shortest-path move."""
ILLEGAL_TRY = 0.08
"""Probability of trying an illegal move before a wandering move."""


class TowerSimulator:
    """Plays tower problems for the simulated participant (implements ``TowerPlayer``).

    Parameters
    ----------
    frontend : cogtrain.simulate.SimulatedFrontend
        Gives the simulated clock, the model and the random generator.
    settings : TowerSettings
    """

    def __init__(self, frontend: Any, settings: Any):
        self.frontend = frontend
        self.settings = settings
        self.clock = frontend.clock
        self.model = frontend.model
        self.rng = frontend.rng

    def p_optimal(self, min_moves: int) -> float:
        """Probability of finding a shortest solution of ``min_moves`` moves."""
        odds_against = (1 - THRESHOLD) / THRESHOLD * math.exp((min_moves - self.model.ability("tower")) / SLOPE)
        return 1.0 / (1.0 + odds_against)

    def play(self, trial: TowerTrial, attempt: Attempt) -> None:
        """Solve, copy or wander through one problem, reporting every action to ``attempt``."""
        attempt.begin(self.clock.now())
        problem = trial.problem
        if trial.problem_type == "motor":
            self.clock.advance(self.model.rt(scale=1.0))
            for move in trial.guide:
                self._move(attempt, move, think=0.4)
        else:
            self.clock.advance(self.model.rt(scale=1.5 + 0.6 * problem.min_moves))
            if trial.plan_first:
                attempt.confirm_plan(self.clock.now())
                self.clock.advance(self.model.rt(scale=0.5))
            if not self.model.lapse() and self.rng.random() < self.p_optimal(problem.min_moves):
                space = problem_space(trial.puzzle)
                for move in space.optimal_path(problem.start, problem.goal, self.rng):
                    self._move(attempt, move, think=0.6)
            else:
                self._wander(trial, attempt)
        if not attempt.finished:
            attempt.give_up(self.clock.now())
        if trial.feedback:
            self.clock.advance(self.model.rt(scale=2.0))

    def _move(self, attempt: Attempt, move: Move, think: float) -> None:
        """Pick up after ``think`` (scaled RT) and put down one move-time later."""
        if attempt.finished:
            return
        if attempt.moves or attempt.violations:
            self.clock.advance(self.model.rt(scale=think))
        picked = self.clock.now()
        attempt.try_move(*move, picked, self.clock.advance(self.model.rt(scale=0.9)))

    def _wander(self, trial: TowerTrial, attempt: Attempt) -> None:
        space = problem_space(trial.puzzle)
        goal = trial.problem.goal
        patience = trial.move_limit or PATIENCE_FACTOR * trial.problem.min_moves + PATIENCE_EXTRA
        while not attempt.finished and len(attempt.moves) < patience:
            if self.rng.random() < ILLEGAL_TRY:
                illegal = [(a, b) for a in range(trial.puzzle.n_pegs) for b in range(trial.puzzle.n_pegs)
                           if trial.puzzle.illegal_reason(attempt.state, (a, b)) in ("peg full",
                                                                                      "larger on smaller")]
                if illegal:
                    self._move(attempt, illegal[int(self.rng.integers(len(illegal)))], think=1.0)
            best = space.optimal_moves(attempt.state, goal)
            others = [m for m, _ in space.neighbours[space.index[attempt.state]] if m not in best]
            detour = others and (not attempt.moves or self.rng.random() >= ON_PATH)
            options = others if detour else best
            self._move(attempt, options[int(self.rng.integers(len(options)))], think=1.0)
