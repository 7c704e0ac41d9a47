"""A minimal task used to test the session runner independently of the real tasks.

Each block has five trials; the simulated player answers correctly when the
level is at or below its ability. ``FakeSimulator.abort_at`` makes the
player end the session (as Escape would) at a given (block, trial).
It declares its metrics, columns and curves like any task, so it is also the
fourth task that proves a task is one folder (tests/test_fourth_task.py).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from cogtrain.adaptive import Staircase, StaircaseSettings
from cogtrain.errors import SessionAborted
from cogtrain.task import Block, Column, Curve, Metric, TaskSession, TaskSettings, TaskSpec

TRIALS = 5


class FakeSettings(TaskSettings):
    blocks: int = 3
    staircase: StaircaseSettings = StaircaseSettings(start=2, floor=1, ceiling=9)


class FakeSession(TaskSession):
    def __init__(self, ctx, settings, carried, snapshot=None):
        super().__init__(ctx, settings, carried, snapshot)
        self.stair = (Staircase.restore(snapshot["stair"], settings.staircase) if snapshot
                      else Staircase.from_settings(settings.staircase, carried))

    def blocks(self):
        return [Block(0, practice=True, label="practice")] + [Block(b) for b in range(1, self.settings.blocks + 1)]

    def run_block(self, block, player, log, rng):
        for trial in range(1, TRIALS + 1):
            stimulus = int(rng.integers(0, 100))
            onset, correct = player.trial(block.number, trial, self.stair.level)
            log.write({"block": block.number, "trial": trial, "onset_s": onset, "rt_s": 0.5,
                       "response": "x", "correct": correct, "practice": block.practice,
                       "level": self.stair.level, "stimulus": stimulus})
            if not block.practice:
                self.stair.update(correct)

    def carried_state(self):
        return {"level": self.stair.level}

    def snapshot(self):
        return {"stair": self.stair.to_dict()}


class FakeSimulator:
    abort_at: tuple[int, int] | None = None  # (block, trial) at which the participant ends the session

    def __init__(self, frontend, settings):
        self.frontend, self.settings = frontend, settings

    def trial(self, block, trial, level):
        if self.abort_at == (block, trial):
            raise SessionAborted("test abort")
        onset = self.frontend.clock.advance(1.0)
        return onset, level <= self.frontend.model.ability("fake")


def metrics(df: pd.DataFrame) -> pd.DataFrame:
    """Proportion correct and mean level of each session's scored trials."""
    keys = ["participant", "session"]
    wide = df.groupby(keys).agg(accuracy=("correct", "mean"), mean_level=("level", "mean")).reset_index()
    long = wide.melt(id_vars=keys, var_name="metric", value_name="value").assign(task="fake")
    return long[keys + ["task", "metric", "value"]]


def curves(df: pd.DataFrame) -> pd.DataFrame:
    """The level of each block."""
    out = df.groupby(["participant", "session", "block"], as_index=False)["level"].first()
    out = out.rename(columns={"block": "x", "level": "value"}).assign(task="fake", curve="level")
    return out[["participant", "session", "task", "curve", "x", "value"]]


SPEC = TaskSpec(
    name="fake", title="Fake", domain="test_task", settings_model=FakeSettings,
    defaults=Path(__file__).with_name("data") / "fake_defaults.yaml",
    log_columns=lambda s: ["level", "stimulus"], session=FakeSession, view="tests.fake_task:FakeSimulator",
    simulator="tests.fake_task:FakeSimulator", compute_metrics=metrics, compute_curves=curves, sim_ability=4,
    metrics=(Metric("accuracy", "Proportion correct", "proportion", "higher", "Correct trials over scored trials.",
                    composite=True, progress=True),
             Metric("mean_level", "Mean level", "level", "higher", "Mean staircase level of the scored trials.",
                    composite=True, progress=True)),
    columns=(Column("level", "Level", "Staircase level of the trial.", "level"),
             Column("stimulus", "Stimulus", "Random number shown, 0-99.")),
    curves=(Curve("level", "Level by block", "Block", "Level", track="blocks"),))
