"""One attempt at one problem: the rules, limits and timing both players go through.

The window view and the simulated participant only report what the
participant did (when a piece was picked up, where it was put, a skip) to an
:class:`Attempt`; the attempt decides what is allowed, applies legal moves,
counts refused ones and ends the problem. So the rules live here once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cogtrain.tasks.tower.generator import Problem
from cogtrain.tasks.tower.puzzle import Move, Puzzle, State
from cogtrain.text import Catalogue

ProblemType = Literal["plan", "motor"]
EndReason = Literal["solved", "gave_up", "time_limit", "move_limit"]



def refusal_texts(catalogue: Catalogue, plan_key: str) -> dict[str, str]:
    """Short, neutral notes shown when a move is refused (never a penalty sound or red flash), by reason.

    ``plan_key`` is the key that confirms a plan, as named on screen.
    """
    text = catalogue.text
    return {
        "peg full": text("tower.peg_full"),
        "larger on smaller": text("tower.larger_on_smaller"),
        "empty peg": text("tower.empty_peg"),
        "same peg": text("tower.same_peg"),
        "no such peg": text("tower.no_such_peg"),
        "plan first": text("tower.plan_first", key=plan_key, button=text("tower.ready_button")),
        "off guide": text("tower.off_guide"),
    }


@dataclass(frozen=True)
class TowerTrial:
    """What a player needs to present one problem.

    Attributes
    ----------
    puzzle : Puzzle
    problem : Problem
    problem_type : {"plan", "motor"}
        ``motor``: a yoked copy problem; the participant repeats ``guide``
        one move at a time (Owen et al., 1990, Neuropsychologia 28, 1021-1034).
    guide : tuple of Move
        Moves to copy (motor problems only).
    practice : bool
    time_limit_s, move_limit : float or int or None
    plan_first : bool
        Moves are refused until the participant confirms a plan.
    feedback : bool
        Say at the end whether the problem was solved.
    number, problems : int
        Which problem of the block this is, and how many the block has (0: not said).
    """

    puzzle: Puzzle
    problem: Problem
    problem_type: ProblemType = "plan"
    guide: tuple[Move, ...] = ()
    practice: bool = False
    time_limit_s: float | None = None
    move_limit: int | None = None
    plan_first: bool = False
    feedback: bool = True
    number: int = 0
    problems: int = 0


@dataclass
class Attempt:
    """The course of one attempt at a :class:`TowerTrial` (times are session seconds)."""

    trial: TowerTrial
    onset: float | None = None
    state: State = ()
    moves: list[Move] = field(default_factory=list)
    move_times: list[float] = field(default_factory=list)
    violations: list[Move] = field(default_factory=list)
    guide_errors: int = 0
    first_action: float | None = None
    plan_confirmed: float | None = None
    end_time: float | None = None
    end_reason: EndReason | None = None

    def __post_init__(self) -> None:
        self.state = self.trial.problem.start

    # -- what the player reports ---------------------------------------------
    def begin(self, t: float) -> None:
        """The problem appeared on screen at session time ``t``."""
        self.onset = t

    def confirm_plan(self, t: float) -> None:
        """The participant says they have planned (plan_first mode)."""
        if self.plan_confirmed is None and not self.check_time(t):
            self.plan_confirmed = t

    def pick_refusal(self, peg: int) -> str | None:
        """Why the top piece of ``peg`` may not be picked up now (None: it may)."""
        if self.awaiting_plan:
            return "plan first"
        if not 0 <= peg < len(self.state):
            return "no such peg"
        return None if self.state[peg] else "empty peg"

    def try_move(self, src: int, dst: int, t_pick: float, t_drop: float) -> str | None:
        """Attempt a move picked up at ``t_pick`` and put down at ``t_drop``.

        Returns
        -------
        str or None
            None when the move was made (or the attempt had ended), else the
            refusal reason, a key of :func:`refusal_texts`. Rule violations
            (full peg, larger on smaller) are counted; slips such as a
            same-peg click are not.
        """
        if self.finished or self.check_time(t_drop):
            return None
        if self.awaiting_plan:
            return "plan first"
        reason = self.trial.puzzle.illegal_reason(self.state, (src, dst))
        if reason in ("same peg", "empty peg", "no such peg"):
            return reason
        if self.first_action is None:
            self.first_action = t_pick
        if reason:
            self.violations.append((src, dst))
            return reason
        if self.trial.problem_type == "motor" and (src, dst) != self.expected_move:
            self.guide_errors += 1
            return "off guide"
        self.state = self.trial.puzzle.apply(self.state, (src, dst))
        self.moves.append((src, dst))
        self.move_times.append(t_drop)
        if self.state == self.trial.problem.goal:
            self._end(t_drop, "solved")
        elif self.trial.move_limit is not None and len(self.moves) >= self.trial.move_limit:
            self._end(t_drop, "move_limit")
        return None

    def give_up(self, t: float) -> None:
        """The participant skips the problem."""
        if not self.finished and not self.check_time(t):
            self._end(t, "gave_up")

    def check_time(self, t: float) -> bool:
        """End the attempt if the time limit has passed at ``t``; return whether it has ended."""
        limit = self.trial.time_limit_s
        if not self.finished and limit is not None and self.onset is not None and t >= self.onset + limit:
            self._end(self.onset + limit, "time_limit")
        return self.finished

    # -- what the player and the log read -------------------------------------
    @property
    def finished(self) -> bool:
        """Whether the attempt has ended."""
        return self.end_reason is not None

    @property
    def solved(self) -> bool:
        """Whether the goal was reached."""
        return self.end_reason == "solved"

    @property
    def awaiting_plan(self) -> bool:
        """Whether a plan-first problem still waits for the plan (moves are refused until then)."""
        return self.trial.plan_first and self.plan_confirmed is None

    @property
    def expected_move(self) -> Move | None:
        """The next move to copy (motor problems), else None."""
        guide = self.trial.guide
        return guide[len(self.moves)] if len(self.moves) < len(guide) else None

    @property
    def guide_state(self) -> State:
        """Motor problems: the state after the next guided move (shown as the target)."""
        move = self.expected_move
        return self.trial.puzzle.apply(self.state, move) if move else self.state

    def _end(self, t: float, reason: EndReason) -> None:
        self.end_time, self.end_reason = t, reason
