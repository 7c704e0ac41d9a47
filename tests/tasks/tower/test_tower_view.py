"""The tower view in a real PsychoPy window, solved by injected keys and by real (xdotool) clicks."""
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from cogtrain.tasks.tower.attempt import Attempt, TowerTrial
from cogtrain.tasks.tower.config import TowerSettings
from cogtrain.tasks.tower.generator import ProblemGenerator

pytestmark = pytest.mark.gui


def play(window, settings, start, goal, **trial_kw):
    from cogtrain.tasks.tower.view import TowerView

    view = TowerView(window, settings)
    gen = ProblemGenerator.for_settings(settings)
    trial = TowerTrial(gen.puzzle, gen.fixed_problem(start, goal), **trial_kw)
    attempt = Attempt(trial)
    return view, trial, attempt


def keep_shots(window, name, tmp_path_factory):
    out = tmp_path_factory.getbasetemp() / "tower_shots" / name
    out.mkdir(parents=True, exist_ok=True)
    for png in window.screenshots.glob("*.png"):
        shutil.copy(png, out / png.name)
    return sorted(p.name for p in out.glob("*.png"))


def test_solving_by_keys_with_a_refused_move(window, tmp_path_factory):
    settings = TowerSettings()
    view, trial, attempt = play(window, settings, "RG|B|", "R|GB|")
    now = window.clock.now()
    # G is lifted from peg 1, refused on the full peg 3, and stays in hand: "2" alone puts it on peg 2
    for dt, key in [(0.4, "2"), (0.8, "3"), (1.2, "1"), (1.6, "3"), (2.4, "2"),
                    (2.8, "3"), (3.2, "2"), (4.0, "space")]:
        window.keys.schedule(key, now + dt)
    view.play(trial, attempt)
    assert attempt.solved and attempt.moves == [(1, 2), (0, 1), (2, 1)]
    assert attempt.violations == [(0, 2)]
    assert attempt.first_action == pytest.approx(now + 0.4, abs=0.02)
    assert attempt.move_times[-1] == pytest.approx(now + 3.2, abs=0.02)
    shots = keep_shots(window, "keys", tmp_path_factory)
    assert any("tower_plan_selected" in s for s in shots) and any("refused" in s for s in shots)
    assert any("outcome" in s for s in shots)


def test_skip_asks_once_and_any_other_move_carries_on(window):
    view, trial, attempt = play(window, TowerSettings(), "RG|B|", "R|GB|", number=3, problems=8)
    now = window.clock.now()
    for dt, key in [(0.3, "s"), (0.6, "2"), (0.9, "3"), (1.2, "s"), (1.5, "s"), (2.0, "space")]:
        window.keys.schedule(key, now + dt)
    view.play(trial, attempt)
    assert attempt.end_reason == "gave_up" and attempt.moves == [(1, 2)]  # the first S only asked
    assert "Problem 3 of 8" in view.status.text
    assert any("tower_plan_skip" in p.name for p in window.screenshots.glob("*.png"))


def test_solving_hanoi_by_mouse_clicks(window, tmp_path_factory):
    if not shutil.which("xdotool"):
        pytest.skip("xdotool not installed")
    settings = TowerSettings(puzzle="hanoi", disks=3, staircase={"start": 3, "floor": 2, "ceiling": 7})
    view, trial, attempt = play(window, settings, "32|1|", "3|21|")
    win = window.win
    width, height = win.size
    work = view.layout.work

    def pixel(peg):
        x, y = work.piece_pos(peg, 0)
        return int(width / 2 + x * height), int(height / 2 - y * height)

    wid = win.winHandle._window
    commands = []
    for peg in [1, 2, 0, 2, 1, 2, 1]:  # the refused move (0, 2) leaves disk 2 in hand for (0, 1)
        x, y = pixel(peg)
        commands.append(f"xdotool mousemove --window {wid} {x} {y} click 1; sleep 0.35")
    commands.append(f"sleep 0.5; xdotool mousemove --window {wid} {width // 2} {height // 2} click 1")
    driver = subprocess.Popen(["bash", "-c", "sleep 0.8; " + "; ".join(commands)])
    try:
        view.play(trial, attempt)
    finally:
        driver.wait(timeout=20)
    assert attempt.solved and attempt.moves == [(1, 2), (0, 1), (2, 1)]
    assert attempt.violations == [(0, 2)]
    keep_shots(window, "mouse", tmp_path_factory)


def test_plan_first_and_motor_copy_screens(window, tmp_path_factory):
    settings = TowerSettings(plan_first=True)
    view, trial, attempt = play(window, settings, "RG|B|", "R|GB|", plan_first=True, time_limit_s=60,
                                move_limit=10)
    now = window.clock.now()
    for dt, key in [(0.3, "2"), (0.9, "space"), (1.3, "2"), (1.6, "3"), (2.0, "s"), (2.3, "s"), (2.9, "space")]:
        window.keys.schedule(key, now + dt)
    view.play(trial, attempt)
    assert attempt.end_reason == "gave_up" and attempt.moves == [(1, 2)]
    assert attempt.plan_confirmed == pytest.approx(now + 0.9, abs=0.02)
    gen = ProblemGenerator.for_settings(settings)
    copy = TowerTrial(gen.puzzle, gen.fixed_problem("RG|B|", "R|GB|"), problem_type="motor",
                      guide=((1, 2), (0, 1), (2, 1)), feedback=False)
    motor = Attempt(copy)
    now = window.clock.now()
    for dt, key in [(0.3, "2"), (0.6, "3"), (0.9, "1"), (1.2, "2"), (1.5, "3"), (1.8, "2")]:
        window.keys.schedule(key, now + dt)
    view.play(copy, motor)
    assert motor.solved and motor.guide_errors == 0
    shots = keep_shots(window, "plan_motor", tmp_path_factory)
    assert any("planning" in s for s in shots) and any("tower_motor" in s for s in shots)


def test_square_screen_fits_hanoi_6(tmp_path, tmp_path_factory):
    from cogtrain.config import DisplaySettings, KeySettings
    from cogtrain.tasks.tower.layout import MIN_TARGET
    from cogtrain.window import WindowFrontend

    frontend = WindowFrontend(DisplaySettings(fullscreen=False, size=(1024, 1024)), KeySettings(),
                              windowed=True, screenshots=tmp_path)
    try:
        settings = TowerSettings(puzzle="hanoi", disks=6, staircase={"start": 7, "floor": 3, "ceiling": 63})
        view, trial, attempt = play(frontend, settings, "654321||", "6|5|4321")
        work = view.layout.work
        assert min(work.piece, work.column) >= MIN_TARGET
        now = frontend.clock.now()
        for dt, key in [(0.3, "1"), (0.6, "3"), (1.0, "s"), (1.3, "s"), (1.8, "space")]:
            frontend.keys.schedule(key, now + dt)
        view.play(trial, attempt)
        assert attempt.end_reason == "gave_up" and attempt.moves == [(0, 2)]
        assert keep_shots(frontend, "square_hanoi6", tmp_path_factory)
    finally:
        frontend.close()


#: 16:9, 16:10 and 5:4 windows.
WINDOWS = [(1920, 1080), (1280, 800), (1280, 1024)]
#: The tower.yaml problems (practice, a move limit) and Hanoi 6 with every status part.
SIZE_SETTINGS = {"tol": {"practice_problems": 2, "move_limit": 20},
                 "hanoi6": {"puzzle": "hanoi", "disks": 6, "staircase": {"start": 7, "floor": 3, "ceiling": 63},
                            "move_limit": 200, "time_limit_s": 600, "plan_first": True, "motor_control": True}}


@pytest.fixture(scope="module", params=WINDOWS, ids=lambda size: f"{size[0]}x{size[1]}")
def sized_window(request, tmp_path_factory):
    """A window of each shape (the X screen may be smaller: only text sizes are measured)."""
    from cogtrain.config import DisplaySettings, KeySettings
    from cogtrain.window import WindowFrontend

    frontend = WindowFrontend(DisplaySettings(fullscreen=False, size=request.param), KeySettings(), windowed=True,
                              screenshots=tmp_path_factory.mktemp("sized"))
    yield frontend
    frontend.close()


@pytest.mark.parametrize("puzzle", sorted(SIZE_SETTINGS))
@pytest.mark.parametrize("text_height, language", [(0.04, "en"), (0.05, "en"), (0.065, "en"), (0.08, "en"),
                                                   (0.08, "de")])
def test_rendered_text_stays_in_its_band_at_every_text_height(sized_window, text_height, language, puzzle):
    """The layout reserves lines by estimate; here the text PsychoPy draws is measured against them.

    German, whose words are longest among the shipped languages, at the largest text.
    """
    from cogtrain.tasks.tower.layout import FRAME_PAD, wrap_parts
    from cogtrain.tasks.tower.view import STATUS_SEPARATOR, TowerView
    from cogtrain.text import load

    normal, english = sized_window.display, sized_window.catalogue
    sized_window.display = normal.model_copy(update={"text_height": text_height})
    sized_window.catalogue = load(language)
    try:
        view = TowerView(sized_window, TowerSettings(**SIZE_SETTINGS[puzzle]))
    finally:
        sized_window.display, sized_window.catalogue = normal, english
    width, height = sized_window.win.size
    half, layout = width / height / 2, view.layout

    def box(stim):
        w, h = (v / height for v in stim.boundingBox)
        return stim.pos[0] - w / 2, stim.pos[1] - h / 2, stim.pos[0] + w / 2, stim.pos[1] + h / 2

    def inside(stim, band, left=-half, right=half):
        x0, y0, x1, y1 = box(stim)
        return left <= x0 and x1 <= right and band.bottom - 1e-3 <= y0 and y1 <= band.top + 1e-3

    view.status.text = "\n".join(wrap_parts(view._widest_status_parts(), STATUS_SEPARATOR, layout.text_width,
                                            layout.status_height))
    assert inside(view.status, layout.status), view.status.text
    for text in view._messages():
        view.message.text = text
        assert inside(view.message, layout.message), text
    for number in view.peg_numbers:
        assert number.height == pytest.approx(0.8 * text_height) and inside(number, layout.peg_numbers)
    g, w = layout.goal, layout.work
    if view.settings.motor_control:
        view.goal_label.text = view.copy_text
    assert inside(view.goal_label, layout.goal_label, g.left - FRAME_PAD, g.left + g.width + FRAME_PAD)
    assert inside(view.work_label, layout.work_label, w.left, w.left + w.width)
    assert layout.peg_numbers.top < w.bottom and layout.goal_label.bottom > g.bottom + g.height + FRAME_PAD
    assert layout.status.bottom > layout.goal_label.top and layout.message.top < layout.peg_numbers.bottom
    button = view.skip.pos[1] + view.skip.size[1] / 2
    assert button < layout.message.bottom and view.skip.pos[1] - view.skip.size[1] / 2 >= -0.5


SHORT_BATTERY = """
name: tower window check
display: {fullscreen: false, size: [1280, 800], allow_unmeasured_refresh: true}  # Xvfb has no vsync
breaks: {between_tasks: false, fatigue_rating: false}
tasks:
  - task: tower
    settings: {practice_problems: 1, problems_per_block: 2, move_limit: 20}
"""


def test_a_windowed_session_through_the_runner(write_config, tmp_path):
    """``cogtrain run --windowed --screenshots``: a participant who skips every problem by keys."""
    if not shutil.which("xdotool"):
        pytest.skip("xdotool not installed")
    config = write_config(SHORT_BATTERY)
    shots, data = tmp_path / "shots", tmp_path / "data"
    session = subprocess.Popen([sys.executable, "-m", "cogtrain", "run", str(config), "--participant", "W1",
                                "--windowed", "--screenshots", str(shots), "--data", str(data)],
                               env=os.environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):  # press Skip then Space until the session ends (instructions need Space)
            try:
                session.wait(timeout=0.3)
                break
            except subprocess.TimeoutExpired:
                subprocess.run(["xdotool", "key", "s", "s", "space"], check=False)
    finally:
        if session.poll() is None:
            session.kill()
    output = session.stdout.read().decode()
    assert session.returncode == 0, output
    log = pd.read_csv(data / "sub-W1" / "ses-001" / "tower.csv")
    assert len(log) == 3 and set(log["end_reason"]) == {"gave_up"} and (log["solved"] == 0).all()
    names = {p.name.split("_", 1)[1] for p in shots.glob("*.png")}
    assert {"instructions_tower_1.png", "tower_plan.png", "tower_plan_outcome.png"} <= names
