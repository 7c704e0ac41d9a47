#!/usr/bin/env python
"""Timing accuracy of a real n-back block in a PsychoPy window: frames, stimulus durations, RTs, launch.

Usage::

    xvfb-run -a -s "-screen 0 1280x1024x24" .venv/bin/python scripts/bench_timing.py      # no display
    .venv/bin/python scripts/bench_timing.py --trials 40                                  # a real display

What it measures (see docs/timing.md for how to read the figures):

* frames: intervals between flips recorded by PsychoPy (``win.recordFrameIntervals``,
  ``win.frameIntervals``, ``win.nDroppedFrames``), and the Python work per frame
  (from the return of one flip to the call of the next);
* stimulus durations: flips showing each stimulus, counted, against the frames
  requested, and the time from its first flip to the first flip without it;
* the RT pipeline, twice per trial: a key press injected through PsychoPy's
  keyboard device at a known time (``frontend.keys.schedule``, the software path:
  view, key reader, scoring, log) on the position key, and a real X key event sent
  by a second process (``xdotool``, its true send time recorded) on the letter
  key; each logged RT is compared with the RT the send time implies;
* launch: from starting ``cogtrain run ... --windowed`` to its first frame on
  screen (the first screenshot file appearing);
* start launch: from starting ``cogtrain start ID --windowed`` to the first frame
  of its start screen (its screenshot file appearing: it is saved from the back
  buffer just before that frame's flip), cold and warm. *Cold* runs with an empty
  ``PYTHONPYCACHEPREFIX``, so every module (cogtrain, PsychoPy, numpy, pydantic ...)
  is compiled from source as on a first run without byte-code; the operating
  system's file cache cannot be dropped without root, so files may still be in
  memory. *Warm* runs the command as a user does, with the installed byte-code. The
  machine's load average is printed with the figures: on a shared machine they grow with it.

The block is the task's own (``tasks/nback``: its logic, view and log) in dual
mode with Jaeggi et al.'s (2008) 500 ms stimulus and 2500 ms interval, converted
to frames at the frame rate the window measured when it opened.
"""
from __future__ import annotations

import argparse
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
POSITION_KEY, LETTER_KEY = "a", "l"


@dataclass
class FrameLog:
    """Per flip: when it was called and returned (monotonic s), its session time, and the trial shown."""

    called: list[float] = field(default_factory=list)
    returned: list[float] = field(default_factory=list)
    session: list[float] = field(default_factory=list)
    stimulus: list[int | None] = field(default_factory=list)  # trial number while its stimulus is drawn


class XSender(threading.Thread):
    """Sends real X key events through one ``xdotool -`` process, recording each true send time."""

    def __init__(self):
        super().__init__(daemon=True)
        self.proc = subprocess.Popen(["xdotool", "-"], stdin=subprocess.PIPE, text=True)
        self.jobs: queue.Queue = queue.Queue()
        self.sent: dict[int, float] = {}  # trial -> monotonic time the command was written

    def run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            trial, at, key = job
            while (wait := at - time.monotonic()) > 0:
                time.sleep(min(wait, 0.002))
            self.sent[trial] = time.monotonic()
            self.proc.stdin.write(f"key {key}\n")
            self.proc.stdin.flush()

    def stop(self) -> None:
        """Finish the queued presses and close xdotool."""
        self.jobs.put(None)
        self.join()
        self.proc.stdin.close()
        self.proc.wait()


def session_offset(clock) -> float:
    """``time.monotonic() - clock.now()``, the best of 200 back-to-back samples."""
    best = None
    for _ in range(200):
        a = time.monotonic()
        s = clock.now()
        b = time.monotonic()
        if best is None or b - a < best[0]:
            best = (b - a, (a + b) / 2 - s)
    return best[1]


def instrument(frontend, view, frames: FrameLog, on_onset) -> None:
    """Record every flip of ``frontend`` and which stimulus ``view`` drew before it."""
    draw, flip = view._draw, frontend.flip
    shown: list[int | None] = [None]

    def recorded_draw(trial):
        shown[0] = None if trial is None else trial.number
        return draw(trial)

    def recorded_flip() -> float:
        frames.called.append(time.monotonic())
        t = flip()
        frames.returned.append(time.monotonic())
        frames.session.append(t)
        frames.stimulus.append(shown[0])
        if shown[0] is not None and (len(frames.stimulus) == 1 or frames.stimulus[-2] != shown[0]):
            on_onset(shown[0], t)
        shown[0] = None
        return t

    view._draw, frontend.flip = recorded_draw, recorded_flip


def run_block(args: argparse.Namespace, out: Path) -> dict:
    """Run one n-back block in a window; return the raw measurements."""
    from cogtrain import window
    from cogtrain.config import DisplaySettings, KeySettings, deep_merge
    from cogtrain.registry import get_task
    from cogtrain.session import block_rng
    from cogtrain.task import TaskContext
    from cogtrain.triallog import TrialLog
    from cogtrain.window import WindowFrontend
    from cogtrain.yamlio import load_yaml_mapping

    if args.backend:  # the window's key reader asks PsychoPy for this keyboard backend
        make_keyboard = window.keyboard.Keyboard
        window.keyboard.Keyboard = lambda **kw: make_keyboard(backend=args.backend, **kw)

    frontend = WindowFrontend(DisplaySettings(fullscreen=args.fullscreen, size=tuple(args.size)), KeySettings(),
                              windowed=not args.fullscreen)
    rate = frontend.frame_rate
    spec = get_task("nback")
    settings = spec.settings_model.model_validate(deep_merge(load_yaml_mapping(spec.defaults), {
        "mode": "dual", "blocks": 1, "trials_per_block": args.trials, "practice": {"enabled": False},
        "stimulus_frames": max(1, round(0.5 * rate)), "isi_frames": max(1, round(2.5 * rate)),
        "keys": {"position": POSITION_KEY, "letter": LETTER_KEY}, "level": {"start": 2}}))
    task_session = spec.session(TaskContext(participant="BENCH", session=1, clock=frontend.clock, seed=args.seed),
                   settings, None, None)
    block = next(b for b in task_session.blocks() if not b.practice)
    view = frontend.make_player(spec, settings)
    frames, injected = FrameLog(), {}
    rng = np.random.default_rng(args.seed)
    sender = XSender() if shutil.which("xdotool") and not args.no_xdotool else None
    offset = session_offset(frontend.clock)

    def on_onset(trial: int, onset: float) -> None:
        injected[trial] = onset + float(rng.uniform(0.25, 1.5))
        frontend.keys.schedule(POSITION_KEY, injected[trial])
        if sender is not None:
            sender.jobs.put((trial, onset + float(rng.uniform(0.25, 1.5)) + offset, LETTER_KEY))

    instrument(frontend, view, frames, on_onset)
    if sender is not None:
        sender.start()
    frontend.win.frameIntervals = []
    with TrialLog(out / "nback.csv", spec.log_columns(settings), fixed={"participant": "BENCH", "session": 1,
                                                                    "task": "nback", "run": 1}) as log:
        task_session.run_block(block, view, log, block_rng(args.seed, "nback", block.number))
    if sender is not None:
        sender.stop()
    result = {"rate": rate, "settings": settings, "frames": frames, "injected": injected,
              "sent": {t: s - offset for t, s in (sender.sent if sender else {}).items()},
              "intervals": list(frontend.win.frameIntervals), "dropped": frontend.win.nDroppedFrames,
              "backend": frontend.keys.backend, "log": pd.read_csv(out / "nback.csv"),
              "frame_period": frontend.win.monitorFramePeriod}
    frontend.close()
    return result


def launch_times(runs: int, work: Path) -> list[float]:
    """Seconds from starting ``cogtrain run --windowed`` to its first frame (first screenshot saved)."""
    times = []
    for i in range(runs):
        shots = work / f"launch{i}"
        cmd = [sys.executable, "-m", "cogtrain", "run", str(REPO / "configs" / "ms_training.yaml"),
               "--participant", "LAUNCH", "--windowed", "--data", str(work / f"data{i}"), "--screenshots", str(shots)]
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not any(shots.glob("*.png")) and proc.poll() is None:
            time.sleep(0.002)
        times.append(time.monotonic() - start)
        proc.send_signal(signal.SIGTERM)
        proc.wait()
    return times


def start_launch_times(runs: int, work: Path) -> tuple[list[float], list[float]]:
    """Seconds from ``cogtrain start`` to the first frame of its start screen: cold runs and warm runs."""
    data = work / "start-data"
    subprocess.run([sys.executable, "-m", "cogtrain", "enrol", "LAUNCH", "--battery",
                    str(REPO / "configs" / "ms_training.yaml"), "--data", str(data)],
                   check=True, stdout=subprocess.DEVNULL)
    machine = work / "machine.yaml"
    machine.write_text("{}\n")  # fixes nothing: the user's own set-up file is not read
    env = {**os.environ, "COGTRAIN_MACHINE": str(machine)}
    cold, warm = [], []
    for i in range(runs):
        for kind, times in (("cold", cold), ("warm", warm)):
            shots = work / f"start-{kind}{i}"
            run_env = {**env, "PYTHONPYCACHEPREFIX": str(work / f"pycache-{i}")} if kind == "cold" else env
            cmd = [sys.executable, "-m", "cogtrain", "start", "LAUNCH", "--windowed", "--data", str(data),
                   "--screenshots", str(shots)]
            begin = time.monotonic()
            proc = subprocess.Popen(cmd, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while not any(shots.glob("*start.png")) and proc.poll() is None:
                time.sleep(0.002)
            times.append(time.monotonic() - begin)
            proc.terminate()
            proc.wait()
    return cold, warm


def pct(values, q: float) -> float:
    """Percentile ``q`` (0-100) of ``values``."""
    return float(np.percentile(values, q)) if len(values) else float("nan")


def report_start(cold: list[float], warm: list[float]) -> None:
    """Print the start-screen launch figures."""
    print(f"load average (1, 5, 15 min): {', '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    for kind, times in (("cold (no byte-code)", cold), ("warm", warm)):
        print(f"start to first frame of the start screen, {kind}, {len(times)} runs: median "
              f"{statistics.median(times):.2f} s, min {min(times):.2f}, max {max(times):.2f} s "
              f"({', '.join(f'{t:.2f}' for t in times)})")


def report(r: dict, launches: list[float], environment: str) -> None:
    """Print every figure."""
    s, f = r["settings"], r["frames"]
    ms = 1000.0
    intervals = np.array(r["intervals"]) * ms
    work = (np.array(f.called[1:]) - np.array(f.returned[:-1])) * ms
    print(f"environment: {environment}")
    print(f"keyboard backend: {r['backend']}   frame rate measured at open: {r['rate']:.1f} Hz "
          f"(PsychoPy's nominal frame period {r['frame_period'] * ms:.2f} ms)")
    print(f"\nframes ({len(intervals)} intervals over {len(r['log'])} trials)")
    print(f"  interval   median {np.median(intervals):7.3f} ms   p99 {pct(intervals, 99):7.3f} ms   "
          f"max {intervals.max():7.3f} ms   sd {intervals.std():.3f} ms")
    print(f"  dropped frames (win.nDroppedFrames): {r['dropped']}")
    print(f"  Python work per frame   p50 {pct(work, 50):6.3f} ms   p99 {pct(work, 99):6.3f} ms")
    counts, durations = [], []
    stim = np.array([-1 if x is None else x for x in f.stimulus])
    session = np.array(f.session)
    for trial in np.unique(stim[stim > 0]):
        idx = np.flatnonzero(stim == trial)
        counts.append(len(idx))
        if idx[-1] + 1 < len(session):
            durations.append((session[idx[-1] + 1] - session[idx[0]]) * ms)
    requested = s.stimulus_frames
    print(f"\nstimulus durations (requested {requested} frames = {requested / r['rate'] * ms:.0f} ms at the measured rate)")
    print(f"  flips per stimulus: {sorted(set(counts))}  "
          f"({sum(c == requested for c in counts)}/{len(counts)} exactly as requested)")
    print(f"  first flip to first flip without it: median {np.median(durations):.1f} ms, "
          f"min {min(durations):.1f}, max {max(durations):.1f} ms")
    log = r["log"].set_index("trial")
    print("\nRT pipeline (logged RT minus the RT implied by the press time; positive = logged late)")
    for label, presses, column in (("injected via keyboard device", r["injected"], "position_rt_s"),
                                   ("real X events via xdotool", r["sent"], "letter_rt_s")):
        errors, missing = [], 0
        for trial, t in presses.items():
            onset = log.loc[trial, "onset_s"]
            logged = log.loc[trial, column]
            if pd.isna(logged):
                missing += 1
                continue
            errors.append((logged - (t - onset)) * ms)
        if not presses:
            print(f"  {label}: not measured (xdotool missing or --no-xdotool)")
            continue
        e = np.array(errors)
        if not len(e):
            print(f"  {label}: n=0, missing {missing}: no press reached the log")
            continue
        print(f"  {label}: n={len(e)}, missing {missing}; offset mean {e.mean():.3f} ms, "
              f"sd {e.std():.3f} ms, min {e.min():.3f}, max {e.max():.3f} ms")
    onsets = np.array([log.loc[t, "onset_s"] for t in r["injected"]])
    flips = np.array([session[np.flatnonzero(stim == t)[0]] for t in r["injected"]])
    print(f"  logged onset_s vs the stimulus's first flip: max |difference| {np.abs(onsets - flips).max() * ms:.3f} ms")
    if launches:
        print(f"\nlaunch to first frame (cogtrain run --windowed, {len(launches)} runs): median "
              f"{statistics.median(launches):.2f} s, min {min(launches):.2f}, max {max(launches):.2f} s")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=30, help="trials in the n-back block (>= 13)")
    parser.add_argument("--size", type=int, nargs=2, default=[1280, 800], metavar=("W", "H"))
    parser.add_argument("--fullscreen", action="store_true")
    parser.add_argument("--launches", type=int, default=3, help="launch-time runs of 'run' (0: skip)")
    parser.add_argument("--start-launches", type=int, default=5,
                        help="cold and warm launch-time runs of 'start' each (0: skip)")
    parser.add_argument("--launch-only", action="store_true", help="measure the launches only (no n-back block)")
    parser.add_argument("--no-xdotool", action="store_true", help="skip the real X key events")
    parser.add_argument("--backend", choices=["ptb", "event"],
                        help="keyboard backend (default: PsychoPy's choice, ptb when psychtoolbox imports)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--environment", default="", help="label printed with the figures (e.g. 'Xvfb, llvmpipe')")
    args = parser.parse_args(argv)
    environment = args.environment or _environment()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result = None if args.launch_only else run_block(args, work)
        launches = launch_times(args.launches, work) if args.launches else []
        cold, warm = start_launch_times(args.start_launches, work) if args.start_launches else ([], [])
    if result is not None:
        report(result, launches, environment)
    else:
        print(f"environment: {environment}")
        if launches:
            print(f"launch to first frame (cogtrain run --windowed, {len(launches)} runs): median "
                  f"{statistics.median(launches):.2f} s, min {min(launches):.2f}, max {max(launches):.2f} s")
    if cold:
        report_start(cold, warm)
    return 0


def _environment() -> str:
    """A short description of the display (Xvfb is named, since its timing is not a monitor's)."""
    display = os.environ.get("DISPLAY", "")
    xvfb = subprocess.run(["pgrep", "-f", f"Xvfb {display}"], capture_output=True).returncode == 0 if display else False
    return f"DISPLAY={display} ({'Xvfb virtual screen: no vsync, software GL' if xvfb else 'a real X display'})"


if __name__ == "__main__":
    sys.exit(main())
