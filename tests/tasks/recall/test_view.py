"""The recall view in a real PsychoPy window (Xvfb), typing words with injected key presses."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cogtrain.task import Block, TaskContext
from cogtrain.tasks.recall import TASK
from cogtrain.tasks.recall.config import RecallSettings
from cogtrain.tasks.recall.editor import LineEditor
from cogtrain.tasks.recall.pool import load_pool
from cogtrain.tasks.recall.scoring import RecallScorer
from cogtrain.triallog import TrialLog


def test_line_editor_assembles_keys_with_backspace_and_limit() -> None:
    ed = LineEditor(max_length=4)
    for key in ["d", "o", "g", "x", "backspace", "s", "y", "z", "return", "f1"]:
        ed.press(key)
    assert ed.text == "dogs" and ed.take() == "dogs" and ed.text == ""
    for key in ["i", "c", "e", "space", "minus"]:
        ed.press(key)
    assert ed.text == "ice "


def keys_for(text: str) -> list[str]:
    """Key names that type ``text`` (letters, then Enter)."""
    return [{" ": "space", "-": "minus"}.get(c, c) for c in text] + ["return"]


@pytest.mark.gui
def test_practice_list_typed_in_a_real_window(window, tmp_path: Path) -> None:
    from cogtrain.tasks.recall.view import RecallView

    typed: list[str] = []

    class ScriptedView(RecallView):
        """The real view; when recall starts, key presses are scheduled on the keyboard device."""

        def recall(self, cue, on_entry):
            first, second = cue.studied[0], cue.studied[1]
            swapped = second[:-2] + second[-1] + second[-2]         # last two letters transposed
            typed.extend([first, swapped, "dog"])
            names = keys_for(first) + keys_for(swapped) + ["d", "o", "g", "x", "backspace", "return"]
            t = self.fe.clock.now() + 0.3
            for name in names + [cue.done_key, cue.done_key]:
                self.fe.keys.schedule(name, t)
                t += 0.04
            super().recall(cue, on_entry)

    settings = RecallSettings(practice_length=4, distractor={"duration_s": 1.0},
                              study={"word_frames": 20, "isi_frames": 5})
    task_session = TASK.session(TaskContext("G1", 1, window.clock, 1), settings, None)
    view = ScriptedView(window, settings)
    path = tmp_path / "recall.csv"
    fixed = {"participant": "G1", "session": 1, "task": "recall", "run": 1}
    with TrialLog(path, TASK.log_columns(settings), fixed) as log:
        task_session.run_block(Block(0, practice=True, label="practice"), view, log, np.random.default_rng(5))
    df = pd.read_csv(path)
    study = df.loc[df["trial_type"].eq("study")]
    recall = df.loc[df["trial_type"].eq("recall")]
    assert len(study) == 4 and list(recall["raw_response"]) == typed
    scorer = RecallScorer(list(study["item"]), 0, {}, load_pool("en").lexicon, 2)
    assert list(recall["scoring_rule"]) == [scorer.score(t).rule for t in typed]
    assert recall["scoring_rule"].iloc[0] == "exact"
    assert (recall["rt_s"] > 0).all() and recall["onset_s"].is_monotonic_increasing
    shots = sorted(p.name for p in window.screenshots.glob("*.png"))
    assert any("recall_study" in s for s in shots) and any("recall_typing_immediate" in s for s in shots)

    # a representative typing screen, for people to look at
    entered = ["table", "tabel", "dog", "piano", "cherries"]
    view.draw_recall("Type the words you remember, one at a time, each followed by ENTER.",
                     "elefan", entered, view.recall_status(entered, 150.0, False, "tab"))
    window.win.getMovieFrame(buffer="back")
    out = tmp_path / "recall_typing.png"
    window.win.saveMovieFrames(str(out))
    window.win.movieFrames = []
    window.flip()
    assert out.stat().st_size > 5000


@pytest.mark.gui
def test_recognition_and_waiting_screens(window) -> None:
    from cogtrain.tasks.recall.view import RecallView

    settings = RecallSettings(recognition={"enabled": True, "time_limit_s": 2.0})
    view = RecallView(window, settings)
    pressed = window.clock.now() + 0.2
    window.keys.schedule("y", pressed)
    old = view.recognise("piano", 1, 24)
    # RT from the flip that showed the word (0 if the press came before that flip on a busy machine)
    assert (old.response, old.key) == ("old", "y")
    assert old.rt_s == pytest.approx(max(0.0, pressed - old.onset_s), abs=1e-9)
    window.keys.schedule("n", window.clock.now() + 0.2)
    assert view.recognise("zebra", 2, 24).response == "new"
    late = view.recognise("cloud", 3, 24)                     # no key: the time limit ends the probe
    assert late.response is None and late.rt_s is None
    start = window.clock.now()
    window.keys.schedule("space", start + 0.1)  # too early: the rest lasts its minimum
    window.keys.schedule("space", start + 0.8)  # then the participant starts when ready
    view.wait_until(start + 0.5, "Time for a rest.")
    assert window.clock.now() >= start + 0.8
    shots = sorted(p.name for p in window.screenshots.glob("*.png"))
    assert any("recall_recognition" in s for s in shots) and any("recall_wait" in s for s in shots)


@pytest.mark.gui
@pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool is not installed")
def test_typing_with_real_x_key_events(window) -> None:
    """xdotool types through the X server (XTEST), as a keyboard would."""
    from cogtrain.tasks.recall.logic import RecallCue
    from cogtrain.tasks.recall.view import RecallView

    view = RecallView(window, RecallSettings())
    cue = RecallCue(list_number=1, phase="immediate", prompt="Type the words", time_limit_s=20.0,
                    done_key="tab", max_entry_length=30, studied=("cat",), other_lists=(), learning_trial=1)
    wid = str(window.win.winHandle._window)
    typist = subprocess.Popen(
        ["bash", "-c", f"sleep 0.8; xdotool windowfocus --sync {wid}; xdotool type --delay 60 'cat'; "
                       "xdotool key Return; xdotool key Tab; xdotool type --delay 60 'dogs'; xdotool key BackSpace Tab Tab"])
    entries: list[tuple[str, float]] = []
    try:
        view.recall(cue, lambda text, t: entries.append((text, t)))
    finally:
        typist.wait(timeout=10)
    # a single Tab only asks; typing goes on; the last word is entered by the finishing Tab Tab
    assert [e[0] for e in entries] == ["cat", "dog"] and entries[0][1] < entries[1][1]
