"""The simulated participant: n settles near its ability; the CLI writes complete logs."""
import json
import time

import numpy as np
import pandas as pd
import pytest

from cogtrain.cli import main
from cogtrain.session import block_rng
from cogtrain.simulate import ParticipantModel, SimClock, SimulatedFrontend
from cogtrain.task import TaskContext
from cogtrain.tasks.nback import TASK
from cogtrain.tasks.nback.config import NbackSettings
from cogtrain.tasks.nback.logic import NbackSession
from cogtrain.tasks.nback.simulate import NbackSimulator, response_probability
from tests.conftest import CONFIGS


@pytest.fixture
def no_sleep(monkeypatch):
    """The simulation must never wait for real: fail if anything sleeps."""
    def refuse(seconds):
        raise AssertionError(f"time.sleep({seconds}) called during a simulation")
    monkeypatch.setattr(time, "sleep", refuse)


class MemoryLog:
    """Rows kept in memory (the direct simulations need no fsync'd file)."""

    def __init__(self, columns):
        self.columns, self.rows = columns, []

    def write(self, row):
        assert set(row) <= set(self.columns) | {"block", "trial", "onset_s", "rt_s", "response",
                                                "correct", "practice"}
        self.rows.append(dict(row))


def simulate_sessions(ability, sessions, seed=0, settings=None):
    """Run the task logic with the simulator directly; return each session's block levels and rows."""
    settings = settings or NbackSettings()
    carried, levels = None, []
    for number in range(1, sessions + 1):
        model = ParticipantModel({"nback": ability}, np.random.default_rng([seed, number]))
        frontend = SimulatedFrontend(model, SimClock())
        task_session = NbackSession(TaskContext("P1", number, frontend.clock, seed), settings, carried)
        player = NbackSimulator(frontend, settings)
        log, blocks = MemoryLog(TASK.log_columns(settings)), []
        for block in task_session.blocks():
            if not block.practice:
                blocks.append(task_session.staircase.level)
            task_session.run_block(block, player, log, block_rng(seed + number, "nback", block.number))
        carried = task_session.carried_state()
        levels.append(blocks)
    return levels, pd.DataFrame(log.rows)


def test_eight_sessions_at_ability_3_settle_within_one_level(no_sleep):
    levels, _ = simulate_sessions(3, 8)
    last = np.mean([np.mean(s) for s in levels[-4:]])
    assert abs(last - 3) <= 1
    assert levels[0][0] == 2  # level.start
    assert all(abs(n - 3) <= 2 for s in levels[-4:] for n in s)


@pytest.mark.parametrize("ability", [1, 6])
def test_other_abilities_settle_within_one_level(ability):
    levels, _ = simulate_sessions(ability, 8, seed=3)
    assert abs(np.mean([np.mean(s) for s in levels[-4:]]) - ability) <= 1


def test_psychometric_model_is_at_threshold_at_ability():
    # expected errors per modality in a Brain Workshop block at n = ability - 1, ability, ability + 1
    def errors(n, ability=3, lapse=0.03):
        trials = 20 + n * n
        targets, lures = round(0.3 * (trials - n)), round(0.1 * (trials - n))
        plain = trials - targets - lures
        def press(target, lure):
            return (1 - lapse) * response_probability(n, ability, target, lure)
        return targets * (1 - press(True, False)) + lures * press(False, True) + plain * press(False, False)
    assert errors(2) < 3 - 2      # easy: n rises (fewer than 3 errors)
    assert 3 <= errors(3) <= 5    # at ability: inside Jaeggi's stay band
    assert errors(4) > 5 + 2      # hard: n falls (more than 5 errors)


def test_simulated_rts_and_lapses():
    _, df = simulate_sessions(3, 1, settings=NbackSettings(blocks=2))
    rts = df.rt_s.dropna()
    assert len(rts) > 10 and (rts > 0).all() and (rts < 3.0).all()
    assert 0.4 < np.median(rts) < 1.2         # log-normal around the model's 0.65 s median
    assert df.onset_s.diff().dropna().min() >= 3.0 - 1e-9  # 180 frames at 60 Hz per trial


def test_cli_sessions_write_complete_logs_and_settle(tmp_path, no_sleep, capsys):
    data = tmp_path / "data"
    for seed in range(1, 9):
        code = main(["run", str(CONFIGS / "nback.yaml"), "--participant", "P1", "--simulate",
                     "--sim-ability", "nback=3", "--data", str(data), "--seed", str(seed)])
        assert code == 0, capsys.readouterr().err
    files = sorted((data / "sub-P1").glob("ses-*/nback.csv"))
    assert len(files) == 8
    df = pd.concat([pd.read_csv(f, keep_default_na=False, na_values=[""]) for f in files],
                   ignore_index=True)
    settings = NbackSettings()
    assert list(df.columns[-len(TASK.log_columns(settings)):]) == TASK.log_columns(settings)
    always = ["participant", "session", "task", "block", "trial", "onset_s", "correct", "run",
              "practice", "n_level"] + [f"{m}_{f}" for m in ("letter", "position")
                                        for f in ("stimulus", "is_target", "is_lure", "responded")]
    assert df[always].notna().all().all()
    assert (df.response.isna() == df.rt_s.isna()).all()
    for m in ("letter", "position"):
        assert ((df[f"{m}_responded"] == 1) == df[f"{m}_rt_s"].notna()).all()
    assert sorted(df.session.unique()) == list(range(1, 9))
    assert set(df.task) == {"nback"} and set(df.participant) == {"P1"}
    # levels of the last sessions, read back from the files
    main_rows = df[df.practice == 0]
    per_session = main_rows.groupby(["session", "block"]).n_level.first().groupby("session").mean()
    assert abs(per_session.loc[5:8].mean() - 3) <= 1
    state = json.loads((data / "sub-P1" / "state.json").read_text())
    assert abs(state["tasks"]["nback"]["variants"]["dual"]["level"] - 3) <= 2
    # the task's metrics score the CLI's files
    scores = TASK.compute_metrics(df)
    assert len(scores) == 8 * len(TASK.metric_names)
    assert scores.value.notna().all()
