"""Typed, validated settings of the tower task (checked once, when the config loads)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal

from cogtrain.tasks.tower.generator import ProblemGenerator
from cogtrain.tasks.tower.puzzle import BALL_LETTERS, Puzzle
from pydantic import Field, ValidationInfo, field_validator, model_validator

from cogtrain.adaptive import StaircaseSettings
from cogtrain.keynames import KeyName
from cogtrain.strict import StrictModel
from cogtrain.task import TaskSettings

Configuration = Literal["tower", "partial", "flat"]

#: Largest problem space accepted (its distance table has MAX_STATES**2 entries);
#: Hanoi with 6 disks has 729 states, the classic Tower of London 36.
MAX_STATES = 2500


class ProblemSetting(StrictModel):
    """One problem of a fixed (e.g. published) set, in state notation."""

    start: str = Field(description="Start state, e.g. 'RG|B|'.")
    goal: str = Field(description="Goal state, e.g. 'R|GB|'.")
    id: str | None = Field(None, min_length=1, max_length=60,
                           description="Name logged as problem_id (default: derived from the states).")
    min_moves: int | None = Field(None, ge=1, description="If given, checked against the computed minimum.")


class KeySettings(StrictModel):
    """Keys of the tower task (PsychoPy key names)."""

    pegs: list[KeyName] = Field(["1", "2", "3"], min_length=2, max_length=5,
                            description="One key per peg, left to right: press source, then target.")
    give_up: KeyName = Field("s", description="Skip (give up) the current problem.")
    plan_done: KeyName = Field("space", description="'I have planned' key (plan_first mode).")

    @model_validator(mode="after")
    def _distinct(self) -> "KeySettings":
        keys = [*self.pegs, self.give_up, self.plan_done]
        if len(set(keys)) != len(keys):
            raise ValueError(f"keys must all differ, got pegs={self.pegs}, give_up={self.give_up!r}, "
                             f"plan_done={self.plan_done!r}")
        return self


class TowerSettings(TaskSettings):
    """Parameters of the Tower of London / Tower of Hanoi planning task."""

    puzzle: Literal["tol", "hanoi"] = Field("tol", description="Tower of London or Tower of Hanoi.")
    balls: int = Field(3, ge=1, le=len(BALL_LETTERS), description="ToL: number of balls (R G B Y P O).")
    capacities: list[Annotated[int, Field(ge=1, le=len(BALL_LETTERS))]] = Field(
        [3, 2, 1], min_length=2, max_length=5, description="ToL: balls each peg holds, left to right.")
    disks: int = Field(4, ge=3, le=6, description="Hanoi: number of disks (3 pegs).")
    goal_types: list[Configuration] = Field(
        [], description="Allowed goal shapes (tower/partial/flat); empty: any.")
    max_optimal_paths: int | None = Field(
        None, ge=1, description="Only problems with at most this many shortest solutions.")
    practice_problems: int = Field(2, ge=0, le=10, description="Practice problems before the first block.")
    practice_min_moves: int = Field(2, ge=1, description="Minimum moves of practice problems.")
    problems: list[ProblemSetting] = Field(
        [], description="Fixed problem set shown in order in every main block (no adaptation).")
    staircase: StaircaseSettings = Field(
        StaircaseSettings(start=3, floor=2, ceiling=8),
        description="Level = minimum moves; 2 solved-in-minimum up, 1 failure down.")
    blocks: int = Field(1, ge=1, le=20, description="Main blocks per session.")
    problems_per_block: int = Field(10, ge=1, le=100, description="Generated problems per main block.")
    time_limit_s: float | None = Field(None, gt=0, description="Seconds per problem (none: self-paced).")
    move_limit: int | None = Field(None, ge=1, description="Moves per problem before it ends (none: no limit).")
    plan_first: bool = Field(False, description="Participant presses plan_done before the first move.")
    motor_control: bool = Field(
        False, description="After each problem, a yoked copy problem that repeats its moves one at a time.")
    feedback: bool = Field(True, description="Say after each problem whether it was solved.")
    message_ms: float | None = Field(1500.0, gt=0, le=60000, description="Time an 'illegal move' note stays.")
    message_frames: int | None = Field(None, ge=1, le=3600, description="The same in frames (older configs).")
    keys: KeySettings = Field(KeySettings(), description="Peg, skip and plan keys.")

    def variant(self) -> str:
        """``tol`` or ``hanoi``: the level reached carries over within one puzzle."""
        return self.puzzle

    def make_puzzle(self) -> Puzzle:
        """The puzzle these settings describe."""
        return _puzzle(self.model_dump(include={"puzzle", "balls", "capacities", "disks"}))

    @field_validator("capacities")
    @classmethod
    def _room_and_size(cls, capacities: list[int], info: ValidationInfo) -> list[int]:
        if info.data.get("puzzle") != "tol" or "balls" not in info.data:
            return capacities
        balls = info.data["balls"]
        if sum(capacities) <= balls:
            raise ValueError(f"{capacities} leave no free place for {balls} balls; expected a total above {balls}")
        count = Puzzle.tower_of_london(balls, tuple(capacities)).count_states()
        if count > MAX_STATES:
            raise ValueError(f"{capacities} with {balls} balls make {count} states; at most {MAX_STATES} "
                             "are supported (use fewer balls or smaller capacities)")
        return capacities

    @field_validator("problems")
    @classmethod
    def _solvable(cls, problems: list[ProblemSetting], info: ValidationInfo) -> list[ProblemSetting]:
        puzzle = _puzzle(info.data)
        if puzzle is None:
            return problems
        generator = ProblemGenerator(puzzle)
        for i, item in enumerate(problems):
            try:
                generator.fixed_problem(item.start, item.goal, item.id, item.min_moves)
            except ValueError as exc:
                raise ValueError(f"problems[{i}]: {exc}") from None
        return problems

    @field_validator("keys")
    @classmethod
    def _one_key_per_peg(cls, keys: KeySettings, info: ValidationInfo) -> KeySettings:
        puzzle = _puzzle(info.data)
        if puzzle is not None and len(keys.pegs) != puzzle.n_pegs:
            raise ValueError(f"pegs has {len(keys.pegs)} keys ({', '.join(keys.pegs)}); "
                             f"expected one per peg: {puzzle.n_pegs}")
        letters = [key for key in keys.pegs if puzzle is not None and puzzle.kind == "tol"
                   and key.upper() in puzzle.pieces]
        if letters:
            raise ValueError(f"pegs {keys.pegs}: {', '.join(map(repr, letters))} is also the letter on a ball "
                             f"({', '.join(puzzle.pieces)}), so a key would read as a ball; expected peg keys "
                             "that are not ball letters")
        return keys

    @field_validator("practice_min_moves")
    @classmethod
    def _practice_exists(cls, level: int, info: ValidationInfo) -> int:
        if info.data.get("practice_problems"):
            _check_levels([level], info.data)
        return level

    @field_validator("staircase")
    @classmethod
    def _levels_exist(cls, staircase: StaircaseSettings, info: ValidationInfo) -> StaircaseSettings:
        if not info.data.get("problems"):
            _check_levels(range(staircase.floor, staircase.ceiling + 1), info.data)
        return staircase


def _check_levels(levels: Iterable[int], data: dict) -> None:
    """Raise ValueError naming the levels for which no problem passes the filters."""
    puzzle = _puzzle(data)
    if puzzle is None or "goal_types" not in data or "max_optimal_paths" not in data:
        return
    generator = ProblemGenerator(puzzle, data["goal_types"], data["max_optimal_paths"])
    missing = [m for m in levels if not generator.has_problem(m)]
    if missing:
        raise ValueError(f"no {puzzle.key} problem needs {missing} minimum moves with "
                         f"goal_types={data['goal_types']}, max_optimal_paths={data['max_optimal_paths']}; "
                         f"expected levels 1..{generator.space.diameter}")


def _puzzle(data: dict) -> Puzzle | None:
    """The puzzle of (partly validated) settings; None when a field it needs failed validation."""
    if data.get("puzzle") == "hanoi" and "disks" in data:
        return Puzzle.tower_of_hanoi(data["disks"])
    if data.get("puzzle") == "tol" and "balls" in data and "capacities" in data:
        return Puzzle.tower_of_london(data["balls"], tuple(data["capacities"]))
    return None
