#!/usr/bin/env python
"""Run a battery in a real PsychoPy window with scripted key presses and save every distinct screen.

Usage (no display needed)::

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshot_tour.py \\
        configs/ms_training.yaml --out shots/ [--profile FILE] [--preset high_contrast] [--size 1280 1024]
    .venv/bin/python scripts/check_contrast.py shots/

Every frame drawn is measured (:mod:`cogtrain.layoutview`) and the screens that
do not fit are written to ``layout.json`` beside the screenshots
(``scripts/check_contrast.py`` fails a screenshot whose screen is clipped);
``--check-layout`` lists them and fails the tour; ``scripts/check_layout.py`` runs
the tour at every size and look.

The battery runs with its own display settings in a 1920x1080 window (so sizes
read as on a 1080p screen; ``--size`` for other shapes), shortened to one block per task (a tour profile:
fewer trials and problems, a 30 s delay before the delayed recall) — the screens are
the same as in a full session. A key policy answers every screen by its name
(the name passed to ``frontend.screenshot_once``): the continue key on messages,
a rating on the fatigue scale, Escape once (then "carry on"), peg keys (some of them illegal moves) and then
"give up" on tower problems, typed words and the done key in recall, presses
in n-back, the key of 1 on symbol-digit items. Keys go through ``frontend.keys.schedule`` into PsychoPy's keyboard
device, exactly as the timing tests use it.
"""
from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from pathlib import Path

import yaml

from cogtrain.cli import window_factory
from cogtrain.config import PRESETS, deep_merge, load_battery
from cogtrain.errors import CogtrainError
from cogtrain.session import SessionRequest, run_session

#: Shortens a session to one block of each task; display settings are left alone.
TOUR_PROFILE = {
    "display": {"fullscreen": False, "allow_unmeasured_refresh": True},
    "breaks": {"min_duration_s": 0},
    "task_settings": {
        "nback": {"blocks": 1, "trials_per_block": 13, "practice": {"trials": 6}},
        "tower": {"problems_per_block": 2, "practice_problems": 1},
        "recall": {"lists": 1, "practice_length": 0, "distractor": {"duration_s": 2},
                   "delayed": {"min_delay_s": 30}, "recall": {"time_limit_s": 20}},
        "symbol_digit": {"training": {"blocks": 1, "items_per_block": 5}, "practice": {"items": 2},
                         "motor_control": {"items": 5}, "incidental": {"enabled": True}},
    },
}

#: Seconds between the scripted key presses (the screens get a few frames each).
KEY_GAP_S = 0.12


class KeyPolicy:
    """Chooses the next key press from the name of the screen on view."""

    def __init__(self, battery):
        self.continue_key = battery.config.keys.continue_[0]
        self.settings = battery.task_settings
        self.screen = ""
        self.count = itertools.count()
        self.typed: dict[str, int] = {}
        self.quit_tried = False

    def keys_for(self, screen: str) -> list[str]:
        """The keys to press now on ``screen``."""
        n = next(self.count)
        if screen.startswith("instructions") and not self.quit_tried:
            self.quit_tried = True
            return ["escape"]  # shows the quit confirmation, answered "n" below
        if screen.startswith("tower_") and not screen.endswith("outcome"):
            tower = self.settings["tower"].keys
            pegs = list(tower.pegs)
            moves = [pegs[0], pegs[2], pegs[1], pegs[2], pegs[0], pegs[1], pegs[2], pegs[0]]
            return [moves[n % len(moves)]] if n % 12 else [tower.give_up, tower.give_up]  # skip asks once
        if screen.startswith("recall_typing"):
            done = self.settings["recall"].recall.done_key
            self.typed[screen] = self.typed.get(screen, 0) + 1
            return [*"house", "return", *"gardn", "return", done, done] if self.typed[screen] == 1 else [done]
        if screen == "recall_distractor":
            return ["1", "2", "return"]
        if screen.startswith("symbol_digit_"):
            return [self.settings["symbol_digit"].keys.digits[0]]  # 1 is in every key
        if screen.startswith("nback_"):
            keys = self.settings["nback"].keys
            return [keys.position if n % 2 else keys.letter]
        if screen == "fatigue":
            return ["right", self.continue_key]
        if screen.startswith("checkin_"):
            return ["1", self.continue_key]  # a rating of 1, or the first answer of a choice
        if screen == "confirm_quit":
            return ["n"]
        return [self.continue_key]


def instrument(frontend, policy: KeyPolicy) -> None:
    """Make ``frontend`` schedule the policy's keys whenever none are pending.

    The hook is the key reader's release of scheduled presses, which every key
    read goes through (task views, generic screens and the quit confirmation).
    """
    shoot, release = frontend.screenshot_once, frontend.keys._release_due

    def screenshot_once(name: str) -> None:
        policy.screen = name
        shoot(name)

    def release_due() -> None:
        if not frontend.keys._scheduled and policy.screen:
            t = frontend.clock.now()
            for i, key in enumerate(policy.keys_for(policy.screen)):
                frontend.keys.schedule(key, t + KEY_GAP_S * (i + 1))
        release()

    frontend.screenshot_once, frontend.keys._release_due = screenshot_once, release_due


def main(argv: list[str] | None = None) -> int:
    """Run the tour; print the screenshots written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG screenshots")
    parser.add_argument("--profile", type=Path, help="a participant profile applied before the tour's own")
    parser.add_argument("--preset", choices=sorted(PRESETS))
    parser.add_argument("--size", type=int, nargs=2, metavar=("WIDTH", "HEIGHT"), default=[1920, 1080],
                        help="window size in pixels (default 1920 1080; the X screen must be as large)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check-layout", action="store_true",
                        help="check that every screen fits the window; exit 1 if one does not")
    args = parser.parse_args(argv)
    mine = (yaml.safe_load(args.profile.read_text(encoding="utf-8")) or {}) if args.profile else {}
    profile = deep_merge(mine, TOUR_PROFILE)
    profile["display"] = {**profile["display"], "size": args.size}
    if args.preset:
        profile["display"] = {**profile["display"], "preset": args.preset}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tour_profile.yaml"
        path.write_text(yaml.safe_dump(profile), encoding="utf-8")
        try:
            battery = load_battery(args.config, profile=path)
        except CogtrainError as exc:
            print(f"screenshot_tour: {exc}", file=sys.stderr)
            return 2
        policy = KeyPolicy(battery)
        make = window_factory(battery, windowed=True, screenshots=args.out)
        probes = []

        def factory(seed: int, start_s: float, session: int):
            frontend = make(seed, start_s, session)
            instrument(frontend, policy)
            probes.append(frontend.layout_probe)
            return frontend

        outcome = run_session(battery, SessionRequest(participant="TOUR", data_dir=Path(tmp) / "data",
                                                      seed=args.seed), factory)
    shots = sorted(args.out.glob("*.png"))
    print(f"session {outcome.status}; {len(shots)} screenshots in {args.out}:")
    for shot in shots:
        print(f"  {shot.name}")
    problems = [line for probe in probes for line in probe.report()]
    if args.check_layout:
        screens = sorted({s for probe in probes for s in probe.screens})
        print(f"layout: {len(screens)} screens checked, {len(problems)} problem(s)")
        for line in problems:
            print(f"  LAYOUT {line}")
    return 0 if outcome.status == "complete" and not (args.check_layout and problems) else 1


if __name__ == "__main__":
    sys.exit(main())
