"""Session logic with a scripted player: exact rows, staircase steps, carried state, resume."""
import json

import numpy as np
import pandas as pd
import pytest

from cogtrain.simulate import SimClock
from cogtrain.task import Block, TaskContext
from cogtrain.tasks.tower.config import TowerSettings
from cogtrain.tasks.tower.logic import COLUMNS, TowerSession, columns
from cogtrain.tasks.tower.space import problem_space
from cogtrain.triallog import TrialLog


class ScriptedPlayer:
    """Solves optimally or wastes two moves first, following a script; 2 s planning, 1 s per move."""

    def __init__(self, clock: SimClock, script: list[str]):
        self.clock, self.script = clock, list(script)

    def play(self, trial, attempt):
        attempt.begin(self.clock.now())
        if trial.problem_type == "motor":
            moves = list(trial.guide)
        else:
            plan = self.script.pop(0)
            if plan == "skip":
                attempt.give_up(self.clock.advance(5.0))
                return
            start, goal = trial.problem.start, trial.problem.goal
            detour = [] if plan == "optimal" else self._detour(trial.puzzle, start)
            moves = detour + problem_space(trial.puzzle).optimal_path(start, goal)
        self.clock.advance(2.0)
        for move in moves:
            picked = self.clock.now()
            attempt.try_move(*move, picked, self.clock.advance(1.0))

    @staticmethod
    def _detour(puzzle, state):
        move, _ = puzzle.successors(state)[0]
        return [move, (move[1], move[0])]


def run_blocks(settings, tmp_path, script, carried=None, blocks=None):
    clock = SimClock()
    task_session = TowerSession(TaskContext("P1", 1, clock, 0), settings, carried)
    player = ScriptedPlayer(clock, script)
    path = tmp_path / "tower.csv"
    with TrialLog(path, columns(settings), {"participant": "P1", "session": 1, "task": "tower", "run": 1}) as log:
        for block in blocks or task_session.blocks():
            task_session.run_block(block, player, log, np.random.default_rng(block.number))
    return task_session, pd.read_csv(path)


def test_columns_start_with_the_file_contract():
    assert COLUMNS[:11] == ("puzzle", "problem_id", "start_state", "goal_state", "min_moves", "moves",
                            "move_sequence", "solved", "planning_time_s", "execution_time_s", "rule_violations")
    assert len(set(COLUMNS)) == len(COLUMNS)


def test_rows_timing_and_staircase(tmp_path):
    settings = TowerSettings(practice_problems=1, problems_per_block=5)
    script = ["optimal", "optimal", "optimal", "detour", "optimal", "skip"]
    task_session, log = run_blocks(settings, tmp_path, script)
    practice, main = log[log.block == 0], log[log.block == 1]
    assert practice["practice"].tolist() == [1] and practice["min_moves"].tolist() == [2]
    assert practice["level"].isna().all()
    # level 3, 3 (two solved in minimum: up), 4, 4 -> detour fails: down to 3, then optimal, then skip
    assert main["level"].tolist() == [3, 3, 4, 3, 3] and main["min_moves"].tolist() == [3, 3, 4, 3, 3]
    assert task_session.staircase.level == 2
    first = main.iloc[0]
    assert first["planning_time_s"] == pytest.approx(2.0) and first["rt_s"] == pytest.approx(2.0)
    assert first["execution_time_s"] == pytest.approx(3.0) and first["total_time_s"] == pytest.approx(5.0)
    assert first["move_times_s"] == "3.000;4.000;5.000" and first["response"] == first["move_sequence"]
    detour = main.iloc[2]
    assert (detour["moves"], detour["solved"], detour["solved_in_min"], detour["excess_moves"]) == (6, 1, 0, 2)
    skipped = main.iloc[4]
    assert (skipped["solved"], skipped["correct"], skipped["end_reason"], skipped["moves"]) == (0, 0, "gave_up", 0)
    assert pd.isna(skipped["planning_time_s"]) and pd.isna(skipped["rt_s"]) and pd.isna(skipped["response"])
    assert (main["onset_s"].diff().dropna() > 0).all() and (main["problem_type"] == "plan").all()


def test_motor_copies_follow_each_plan_problem(tmp_path):
    settings = TowerSettings(practice_problems=0, problems_per_block=2, motor_control=True)
    _, log = run_blocks(settings, tmp_path, ["detour", "skip"])
    assert log["problem_type"].tolist() == ["plan", "motor", "plan", "motor"]
    assert log["trial"].tolist() == [1, 2, 3, 4] and log["yoked_to"].tolist()[1::2] == [1, 3]
    plan, copy = log.iloc[0], log.iloc[1]
    assert copy["move_sequence"] == plan["move_sequence"] and copy["goal_state"] == plan["goal_state"]
    assert copy["problem_id"] == plan["problem_id"] + "#motor" and copy["min_moves"] == plan["moves"]
    skipped_copy = log.iloc[3]  # an unsolved problem is copied along a shortest solution
    assert skipped_copy["moves"] == log.iloc[2]["min_moves"] and skipped_copy["solved"] == 1


def test_fixed_problem_set_is_shown_in_order_without_adaptation(tmp_path):
    problems = [{"start": "RGB||", "goal": "R|G|B"}, {"start": "RG|B|", "goal": "R|GB|", "id": "p2"}]
    settings = TowerSettings(problems=problems, blocks=2, practice_problems=0)
    task_session, log = run_blocks(settings, tmp_path, ["optimal"] * 4)
    assert log["problem_id"].tolist() == ["tol3-321:RGB||:R|G|B", "p2"] * 2
    assert log["level"].isna().all() and task_session.staircase.level == settings.staircase.start


def test_a_run_restored_from_its_snapshot_draws_the_same_next_problems(tmp_path):
    settings = TowerSettings(blocks=2, problems_per_block=3)
    first, _ = run_blocks(settings, tmp_path, ["optimal", "detour", "optimal"] * 3)
    snapshot = json.loads(json.dumps(first.snapshot()))
    resumed = TowerSession(TaskContext("P1", 1, SimClock(), 0), settings, None, snapshot)
    assert resumed.staircase == first.staircase and resumed.used == first.used
    assert resumed.carried_state() == first.carried_state()
    assert resumed.block_feedback(Block(1)) == first.block_feedback(Block(1))
    draws = [[p.problem_id for p in session._problems(Block(3), np.random.default_rng(8))]
             for session in (first, resumed)]
    assert draws[0] == draws[1] and not set(draws[0]) & set(first.used)


def test_carried_state_and_its_use_in_the_next_session(tmp_path):
    task_session, log = run_blocks(TowerSettings(problems_per_block=4), tmp_path, ["optimal"] * 6)
    carried = task_session.carried_state()
    assert carried["puzzle"] == "tol3-321" and carried["level"] == task_session.staircase.level == 5
    assert carried["used_problems"] == log.loc[log.practice == 0, "problem_id"].tolist()
    ctx = TaskContext("P1", 2, SimClock(), 1)
    assert TowerSession(ctx, TowerSettings(), carried).staircase.level == 5
    other = TowerSession(ctx, TowerSettings(), {**carried, "puzzle": "hanoi4"})
    assert other.staircase.level == TowerSettings().staircase.start


@pytest.mark.parametrize("script, text", [(["skip"], "You solved 0 of 1 problem."),
                                          (["optimal"], "You solved 1 of 1 problem.")])
def test_block_feedback_of_one_problem_is_singular(tmp_path, script, text):
    settings = TowerSettings(problems_per_block=1, practice_problems=0)
    task_session, _ = run_blocks(settings, tmp_path, script)
    assert task_session.block_feedback(Block(1)).startswith(text)


def test_block_feedback_and_instructions(tmp_path):
    task_session, _ = run_blocks(TowerSettings(problems_per_block=3), tmp_path,
                                 ["optimal", "optimal", "skip", "optimal", "optimal"])
    assert task_session.block_feedback(Block(1)).startswith("You solved 2 of 3 problems.")
    assert task_session.block_feedback(Block(7)) is None
    pages = TowerSession(TaskContext("P1", 1, SimClock(), 0), TowerSettings(plan_first=True, motor_control=True),
                         None).instructions()
    assert len(pages) == 4 and "1, 2, 3" in pages[1] and "SPACE" in pages[2]
    custom = TowerSettings(instructions=["Hello"])
    assert TowerSession(TaskContext("P1", 1, SimClock(), 0), custom, None).instructions() == ["Hello"]
