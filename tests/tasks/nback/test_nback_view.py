"""The n-back view in a real window (run under xvfb-run): rows with RTs, and screenshots."""
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cogtrain.task import Block, TaskContext
from cogtrain.tasks.nback import TASK
from cogtrain.tasks.nback.config import NbackSettings
from cogtrain.tasks.nback.logic import NbackSession
from cogtrain.triallog import TrialLog

pytestmark = pytest.mark.gui

PRESS_AFTER_ONSET_S = 0.004


def press_targets_after_onset(window, view, monkeypatch):
    """Inject each target's key through the keyboard device 4 ms after the trial's first flip."""
    pending = []
    real_flip, real_trial = window.flip, view.play

    def flip():
        t = real_flip()
        for key in pending:
            window.keys.schedule(key, t + PRESS_AFTER_ONSET_S)
        pending.clear()
        return t

    def play(trial):
        pending.extend(key for m, key in trial.keys.items() if trial.is_target[m])
        return real_trial(trial)

    monkeypatch.setattr(window, "flip", flip)
    monkeypatch.setattr(view, "play", play)


def run_block(window, settings, tmp_path, monkeypatch, block=None):
    block = block or Block(1)
    task_session = NbackSession(TaskContext("P1", 1, window.clock, 7), settings, None)
    view = window.make_player(TASK, settings)
    press_targets_after_onset(window, view, monkeypatch)
    path = tmp_path / "nback.csv"
    with TrialLog(path, TASK.log_columns(settings), {"participant": "P1", "session": 1, "task": "nback",
                                                   "run": 1}) as log:
        task_session.run_block(block, view, log, np.random.default_rng(7))
    return task_session, pd.read_csv(path, keep_default_na=False, na_values=[""])


def test_dual_block_writes_rows_with_rts_from_the_stimulus_flip(window, tmp_path, monkeypatch):
    settings = NbackSettings(mode="dual", trials_per_block=14, stimulus_frames=20, isi_frames=60,
                             practice={"enabled": False}, blocks=1)
    task_session, df = run_block(window, settings, tmp_path, monkeypatch)
    assert len(df) == 14 and df.trial.tolist() == list(range(1, 15))
    assert (df.correct == 1).all()          # every target pressed, nothing else
    for m in ("position", "letter"):
        targets = df[f"{m}_is_target"] == 1
        assert targets.sum() == 4            # 0.3 of 12 scorable trials
        assert (df.loc[targets, f"{m}_responded"] == 1).all()
        assert df.loc[targets, f"{m}_rt_s"].to_numpy() == pytest.approx(PRESS_AFTER_ONSET_S, abs=1e-6)
        assert df.loc[~targets, f"{m}_rt_s"].isna().all()
    pressed = df.response.notna()
    assert df.loc[pressed, "rt_s"].to_numpy() == pytest.approx(PRESS_AFTER_ONSET_S, abs=1e-6)
    both = (df.position_is_target == 1) & (df.letter_is_target == 1)
    assert (df.loc[both, "response"] == "a+l").all()
    assert df.onset_s.is_monotonic_increasing
    assert task_session.staircase.level == 3          # no errors: Jaeggi rule raises n
    shots = sorted(window.screenshots.glob("*.png"))
    assert [p.name for p in shots] == ["01_nback_dual.png"]
    keep_for_review(shots, "dual")


def bright_box(png: Path):
    """Bounding box (x0, y0, x1, y1) of the light pixels, the image size and its RGB pixels."""
    from PIL import Image

    rgb = np.asarray(Image.open(png).convert("RGB"), dtype=float)
    ys, xs = np.nonzero(rgb.mean(axis=2) > 100)
    return (xs.min(), ys.min(), xs.max(), ys.max()), rgb.shape[:2], rgb


def hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


@pytest.mark.parametrize("modality", ["letter", "position"])
def test_single_mode_screens_are_large_and_high_contrast(window, tmp_path, monkeypatch, modality):
    settings = NbackSettings(mode="single", modality=modality, stimulus_frames=5, isi_frames=5,
                             practice={"enabled": True, "n": 1, "trials": 6, "feedback_frames": 3})
    run_block(window, settings, tmp_path, monkeypatch, block=Block(0, practice=True, label="practice"))
    shots = {p.name: p for p in window.screenshots.glob("*.png")}
    assert set(shots) == {f"01_nback_{modality}_practice.png", "02_nback_trial_feedback.png"}
    (x0, y0, x1, y1), (h, w), rgb = bright_box(shots[f"01_nback_{modality}_practice.png"])
    # every pixel (but anti-aliased edges) is the background, the foreground or the accent
    display = window.display
    near = [np.abs(rgb - hex_rgb(c)).max(axis=2) < 40
            for c in (display.background, display.foreground, display.accent)]
    assert np.mean(np.logical_or.reduce(near)) > 0.99
    if modality == "position":
        assert near[2].sum() > 0.02 * h * w  # the active square, filled with the accent colour
    if modality == "letter":
        assert (y1 - y0) / h > 0.18          # the glyph is about a fifth of the screen tall
    else:
        assert (y1 - y0) / h == pytest.approx(0.75 * (1 - 0.08 / 3), abs=0.02)  # the grid
    keep_for_review(shots.values(), modality)


def keep_for_review(paths, prefix):
    """Copy screenshots where a person can look at them after the task_session."""
    out = Path(tempfile.gettempdir()) / "cogtrain_nback_screenshots"
    out.mkdir(exist_ok=True)
    for path in paths:
        shutil.copy(path, out / f"{prefix}_{path.name}")
