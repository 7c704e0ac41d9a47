"""Simulated recall sessions shared by the recall tests (driven like the session runner drives them)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cogtrain.simulate import ParticipantModel, SimClock, SimulatedFrontend
from cogtrain.task import TaskContext
from cogtrain.tasks.recall import TASK
from cogtrain.tasks.recall.config import RecallSettings
from cogtrain.triallog import TrialLog


def simulate_sessions(folder: Path, settings: RecallSettings, participant: str = "P3", sessions: int = 3,
                      ability: float = 10.0, seed: int = 0) -> tuple[pd.DataFrame, list[dict]]:
    """Run ``sessions`` sessions of the recall task with the simulated participant.

    Returns the concatenated ``recall.csv`` rows and the carried state after each session.
    """
    carried, states, frames = None, [], []
    for session in range(1, sessions + 1):
        frontend = SimulatedFrontend(ParticipantModel({"recall": ability}, np.random.default_rng([seed, session])),
                                     SimClock())
        task_session = TASK.session(TaskContext(participant, session, frontend.clock, seed), settings, carried)
        player = frontend.make_player(TASK, settings)
        path = folder / f"sub-{participant}" / f"ses-{session:03d}" / "recall.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        fixed = {"participant": participant, "session": session, "task": "recall", "run": 1}
        with TrialLog(path, TASK.log_columns(settings), fixed) as log:
            for block in sorted(task_session.blocks(), key=lambda b: b.deferred):
                task_session.run_block(block, player, log, np.random.default_rng([seed, session, block.number]))
        carried = task_session.carried_state()
        states.append(carried)
        frames.append(pd.read_csv(path))
    return pd.concat(frames, ignore_index=True), states


@pytest.fixture
def run_sessions():
    """The :func:`simulate_sessions` helper."""
    return simulate_sessions


@pytest.fixture(scope="session")
def learning_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, list[dict]]:
    """Three sessions: 3 lists x 2 learning trials, delayed recall and recognition."""
    settings = RecallSettings(lists=3, learning_trials=2, recognition={"enabled": True})
    return simulate_sessions(tmp_path_factory.mktemp("learning"), settings, sessions=3)


@pytest.fixture(scope="session")
def many_lists_data(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """Two participants, 4 sessions of 4 single-trial lists with adaptive length."""
    settings = RecallSettings(lists=4)
    folder = tmp_path_factory.mktemp("many")
    a, _ = simulate_sessions(folder, settings, participant="A1", sessions=4, ability=8.0, seed=1)
    b, _ = simulate_sessions(folder, settings, participant="B2", sessions=4, ability=14.0, seed=2)
    return pd.concat([a, b], ignore_index=True)
