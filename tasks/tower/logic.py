"""Session logic of the tower task: which problems, in what order, how the level adapts.

Difficulty is the problem's minimum number of moves. A 2-down/1-up staircase
(:mod:`cogtrain.adaptive`) raises it by one move after two consecutive
problems solved in the minimum number of moves and lowers it after one that
was not (unsolved, or solved with extra moves); the level and the ids of the
problems already seen are carried to the next session.

Logged ``correct`` is ``solved`` (the goal was reached); ``solved_in_min``
says it was reached in the minimum number of moves, which is what the
staircase and ``prop_min_moves`` use. ``rt_s`` is the planning time and
``response`` the move sequence.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

import numpy as np

from cogtrain.adaptive import Staircase
from cogtrain.task import Block, TaskContext, TaskSession
from cogtrain.tasks.tower.attempt import Attempt, TowerTrial
from cogtrain.tasks.tower.config import TowerSettings
from cogtrain.tasks.tower.generator import Problem, ProblemGenerator
from cogtrain.tasks.tower.puzzle import format_moves
from cogtrain.triallog import TrialLog

#: Task-specific log columns (the contract columns of docs/data-format.md first, then extras).
COLUMNS: tuple[str, ...] = (
    "puzzle", "problem_id", "start_state", "goal_state", "min_moves", "moves", "move_sequence",
    "solved", "planning_time_s", "execution_time_s", "rule_violations",
    "problem_type", "level", "solved_in_min", "excess_moves", "end_reason", "total_time_s",
    "plan_confirm_s", "move_times_s", "violation_sequence", "guide_errors", "yoked_to",
    "optimal_paths", "start_type", "goal_type",
)


def columns(settings: TowerSettings) -> list[str]:
    """Log columns of the tower task (the same for every setting)."""
    return list(COLUMNS)


class TowerPlayer(Protocol):
    """What the session logic asks of a player (window view or simulated participant)."""

    def play(self, trial: TowerTrial, attempt: Attempt) -> None:
        """Present ``trial`` and report the participant's actions to ``attempt`` until it ends."""


def _seconds(t: float | None, since: float | None) -> float | None:
    return None if t is None or since is None else t - since


def trial_row(trial: TowerTrial, attempt: Attempt, level: int | None = None,
              yoked_to: int | None = None) -> dict[str, Any]:
    """The log row of a finished attempt (without block and trial numbers)."""
    problem, puzzle, onset = trial.problem, trial.puzzle, attempt.onset
    solved = attempt.solved
    planning = _seconds(attempt.first_action, onset)
    return {
        "onset_s": onset, "rt_s": planning, "response": format_moves(attempt.moves),
        "correct": solved, "practice": trial.practice,
        "puzzle": puzzle.kind, "problem_id": problem.problem_id,
        "start_state": puzzle.format_state(problem.start), "goal_state": puzzle.format_state(problem.goal),
        "min_moves": problem.min_moves, "moves": len(attempt.moves),
        "move_sequence": format_moves(attempt.moves), "solved": solved,
        "planning_time_s": planning, "execution_time_s": _seconds(attempt.end_time, attempt.first_action),
        "rule_violations": len(attempt.violations),
        "problem_type": trial.problem_type, "level": level,
        "solved_in_min": solved and len(attempt.moves) == problem.min_moves,
        "excess_moves": len(attempt.moves) - problem.min_moves if solved else None,
        "end_reason": attempt.end_reason, "total_time_s": _seconds(attempt.end_time, onset),
        "plan_confirm_s": _seconds(attempt.plan_confirmed, onset),
        "move_times_s": ";".join(f"{t - onset:.3f}" for t in attempt.move_times),
        "violation_sequence": format_moves(attempt.violations),
        "guide_errors": attempt.guide_errors if trial.problem_type == "motor" else None,
        "yoked_to": yoked_to, "optimal_paths": problem.optimal_paths,
        "start_type": problem.start_type, "goal_type": problem.goal_type,
    }


class TowerSession(TaskSession):
    """One session of the tower task (see :class:`cogtrain.task.TaskSession`)."""

    def __init__(self, ctx: TaskContext, settings: TowerSettings, carried: dict | None,
                 snapshot: dict | None = None):
        super().__init__(ctx, settings, carried, snapshot)
        self.generator = ProblemGenerator.for_settings(settings)
        self.puzzle = self.generator.puzzle
        same_puzzle = self.carried.get("puzzle") == self.puzzle.key
        self.staircase = Staircase.from_settings(settings.staircase, self.carried if same_puzzle else None)
        self.used: list[str] = list(self.carried.get("used_problems", []))
        self.session_used: list[str] = []
        self.results: dict[int, list[bool]] = {}
        if snapshot:
            self.staircase = Staircase.restore(snapshot["staircase"], settings.staircase)
            self.used = list(snapshot["used_problems"])
            self.session_used = list(snapshot["session_problems"])
            self.results = {int(k): v for k, v in snapshot["results"].items()}
        self.fixed = [self.generator.fixed_problem(p.start, p.goal, p.id, p.min_moves)
                      for p in settings.problems]

    # -- plan ------------------------------------------------------------------
    def blocks(self) -> list[Block]:
        """Optional practice block (number 0), then the main blocks 1..n."""
        practice = [Block(0, practice=True, label="practice")] if self.settings.practice_problems else []
        return practice + [Block(b) for b in range(1, self.settings.blocks + 1)]

    def instructions(self) -> list[str]:
        """The configured pages, or a plain explanation of this puzzle and its keys."""
        if self.settings.instructions:
            return list(self.settings.instructions)
        keys, catalogue = self.settings.keys, self.ctx.catalogue
        text = catalogue.text
        if self.puzzle.kind == "tol":
            name, rule = text("tower.name_london"), text("tower.rule_london")
        else:
            name, rule = text("tower.name_hanoi"), text("tower.rule_hanoi")
        pages = [
            text("tower.goal_page", name=name, rule=rule),
            text("tower.how_page", keys=", ".join(catalogue.key_label(k) for k in keys.pegs),
                 key=catalogue.key_label(keys.give_up), button=text("tower.skip_button")),
        ]
        if self.settings.plan_first:
            pages.append(text("tower.plan_page", key=catalogue.key_label(keys.plan_done)))
        if self.settings.motor_control:
            pages.append(text("tower.copy_page"))
        return pages

    def _trial(self, problem: Problem, practice: bool, number: int, problems: int) -> TowerTrial:
        s = self.settings
        return TowerTrial(self.puzzle, problem, practice=practice, time_limit_s=s.time_limit_s,
                          move_limit=s.move_limit, plan_first=s.plan_first, feedback=s.feedback,
                          number=number, problems=problems)

    def _problem_count(self, block: Block) -> int:
        """How many problems ``block`` presents (their yoked copies not counted)."""
        if block.practice:
            return self.settings.practice_problems
        return len(self.fixed) or self.settings.problems_per_block

    def _motor_trial(self, plan: TowerTrial, attempt: Attempt, rng: np.random.Generator) -> TowerTrial:
        """A yoked copy of a plan problem: its own moves if solved, else a shortest solution.

        Its ``min_moves`` is the number of moves to copy, its one "optimal path" the copy.
        """
        problem = plan.problem
        guide = (tuple(attempt.moves) if attempt.solved
                 else tuple(self.generator.space.optimal_path(problem.start, problem.goal, rng)))
        # either way the guide ends at the plan problem's goal
        copy = replace(problem, problem_id=f"{problem.problem_id}#motor", min_moves=len(guide), optimal_paths=1)
        return TowerTrial(self.puzzle, copy, problem_type="motor", guide=guide, practice=plan.practice,
                          time_limit_s=None, move_limit=None, plan_first=False, feedback=False,
                          number=plan.number, problems=plan.problems)

    def _problems(self, block: Block, rng: np.random.Generator):
        """Yield each problem of a block; adaptive draws read the level when the previous one ended."""
        if block.practice:
            for _ in range(self.settings.practice_problems):
                yield self.generator.draw(self.settings.practice_min_moves, rng)
        elif self.fixed:
            yield from self.fixed
        else:
            for _ in range(self.settings.problems_per_block):
                yield self.generator.draw(self.staircase.level, rng, set(self.used), set(self.session_used))

    # -- run -------------------------------------------------------------------
    def run_block(self, block: Block, player: TowerPlayer, log: TrialLog, rng: np.random.Generator) -> None:
        """Present the block's problems (and their yoked copies) and log one row each."""
        adaptive = not block.practice and not self.fixed
        outcomes: list[bool] = []
        row_number = 0
        count = self._problem_count(block)
        for number, problem in enumerate(self._problems(block, rng), start=1):
            level = self.staircase.level if adaptive else None
            trial = self._trial(problem, block.practice, number, count)
            attempt = self._play(player, trial)
            row_number += 1
            log.write({"block": block.number, "trial": row_number, **trial_row(trial, attempt, level)})
            plan_row = row_number
            outcomes.append(attempt.solved)
            if not block.practice:
                self._remember(problem.problem_id)
            if adaptive:
                self.staircase.update(attempt.solved and len(attempt.moves) == problem.min_moves)
            if self.settings.motor_control:
                motor = self._motor_trial(trial, attempt, rng)
                copy = self._play(player, motor)
                row_number += 1
                log.write({"block": block.number, "trial": row_number,
                           **trial_row(motor, copy, level, yoked_to=plan_row)})
        self.results[block.number] = outcomes

    @staticmethod
    def _play(player: TowerPlayer, trial: TowerTrial) -> Attempt:
        attempt = Attempt(trial)
        player.play(trial, attempt)
        if not attempt.finished or attempt.onset is None:
            raise RuntimeError(f"{type(player).__name__}.play returned before the problem ended")
        return attempt

    def _remember(self, problem_id: str) -> None:
        self.session_used.append(problem_id)
        if problem_id not in self.used:
            self.used.append(problem_id)

    def block_feedback(self, block: Block) -> str | None:
        """How many problems were solved in the block."""
        outcomes = self.results.get(block.number)
        if not outcomes:
            return None
        return self.ctx.catalogue.text("tower.solved", solved=sum(outcomes), n=len(outcomes))

    # -- state -----------------------------------------------------------------
    def carried_state(self) -> dict:
        """The puzzle, the level reached and the problems seen so far, for the next session."""
        return {"puzzle": self.puzzle.key, "level": self.staircase.level,
                "used_problems": list(self.used)}

    def snapshot(self) -> dict:
        """Progress within the session, for ``--resume``."""
        return {"staircase": self.staircase.to_dict(), "used_problems": list(self.used),
                "session_problems": list(self.session_used),
                "results": {str(k): v for k, v in self.results.items()}}
