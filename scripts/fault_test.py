#!/usr/bin/env python
"""Kill simulated sessions at random moments and check that nothing but the trial in progress is lost.

Usage::

    .venv/bin/python scripts/fault_test.py --kills 25                 # configs/ms_training.yaml
    .venv/bin/python scripts/fault_test.py --kills 25 --dilation 0    # kills at full simulation speed
    .venv/bin/python scripts/fault_test.py --targeted                 # one SIGKILL after each saved file
    .venv/bin/python scripts/fault_test.py --targeted --signal term   # the same with SIGTERM

What it does
------------
1. Runs the session once without interruption (the reference) with a fixed seed,
   and checks that it writes exactly the trial logs a plain
   ``cogtrain run CONFIG --simulate`` writes with that seed.
2. For each kill: starts ``cogtrain run CONFIG --participant P --simulate`` in a
   child process, waits a uniformly random time within the reference session's
   measured duration and sends SIGKILL. Then it checks every trial log parses
   with pandas, that its complete rows are exactly the first rows of the
   reference log, that no row whose write had returned is missing, that
   ``session.json`` and ``state.json`` are valid JSON, and that
   ``cogtrain run ... --resume`` (the plain command) completes the session with
   every block of the reference present.

The child is the real command line with three honest instruments, read only by
this script's child wrapper (no production code reads them):

* ``--dilation D``: the simulated participant's clock also sleeps ``D`` real
  seconds per simulated second (default 0.002: a 35-minute session takes ~4 s),
  so kills land at random points of the session rather than during start-up.
* ``--io-delay S``: every trial-log line is written in two halves with a pause
  of ``S`` seconds between them (a torn write, as a power cut or a full disk
  can leave), and every fsync and atomic rename waits ``S`` seconds first, so a
  share of kills lands inside file writes.
* an acknowledgement file: the child appends one line when each trial row's
  write has returned, when a block starts and ends, and on entering and leaving
  a file write, so the kill's phase and the rows already written are known.

Figures printed: kills, corrupt files, missing acknowledged rows, trials lost
per kill (the trial in progress counts as lost), sessions resumed to
completion, and where the kills landed. Exit status 1 if any check fails.

Targeted mode (``--targeted``)
------------------------------
Every atomic JSON write of a session is a persistence point: the session
record at the start, then per block the session record (the commit) and
``state.json``, the fatigue ratings, and the session record at the end. The
reference run counts them; then, for each point, a run of the same command
kills itself (SIGKILL, or SIGTERM with ``--signal term``) right after that
write returns. The plain ``--resume`` (or a plain run, if the kill came
before the session record existed) finishes the session, and ``state.json``'s
levels must equal the uninterrupted run's. The simulated participant draws
each block's responses from that block's seed, so a block run again after
``--resume`` is the same block with the same responses.
"""
from __future__ import annotations

import argparse
import collections
import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from cogtrain.errors import CogtrainError
from cogtrain.files import read_json

REPO = Path(__file__).resolve().parent.parent
PARTICIPANT = "FAULT1"
ACK_ENV, DILATION_ENV, IO_DELAY_ENV = "COGTRAIN_FAULT_ACK", "COGTRAIN_FAULT_DILATION", "COGTRAIN_FAULT_IO_DELAY"
KILL_AT_ENV, KILL_SIGNAL_ENV = "COGTRAIN_FAULT_KILL_AT", "COGTRAIN_FAULT_KILL_SIGNAL"


# --------------------------------------------------------------------------- child side
def child_main(argv: list[str]) -> int:
    """Run ``cogtrain`` with the instruments of the module docstring, then exit with its status."""
    from cogtrain import files, session, simulate, state, triallog
    from cogtrain.cli import main

    ack_fd = os.open(os.environ[ACK_ENV], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    dilation = float(os.environ.get(DILATION_ENV, "0"))
    io_delay = float(os.environ.get(IO_DELAY_ENV, "0"))
    kill_at = int(os.environ.get(KILL_AT_ENV, "0"))
    kill_signal = getattr(signal, os.environ.get(KILL_SIGNAL_ENV, "SIGKILL"))
    writes = [0]

    def ack(text: str) -> None:
        os.write(ack_fd, f"{text}\n".encode())

    advance = simulate.SimClock.advance

    def slow_advance(self, seconds: float) -> float:
        time.sleep(seconds * dilation)
        return advance(self, seconds)

    class TornFile:
        """Writes each text in two halves, flushed, with a pause between them."""

        def __init__(self, fh):
            self._fh = fh

        def write(self, text: str) -> int:
            half = len(text) // 2
            self._fh.write(text[:half])
            self._fh.flush()
            time.sleep(io_delay)
            return half + self._fh.write(text[half:])

        def __getattr__(self, name: str):
            return getattr(self._fh, name)

    log_init, log_write = triallog.TrialLog.__init__, triallog.TrialLog.write

    def torn_init(self, *args, **kwargs) -> None:
        log_init(self, *args, **kwargs)
        self._fh = TornFile(self._fh)

    def acked_write(self, row) -> None:
        ack("phase row")
        log_write(self, row)
        ack(f"row {self.fixed['task']} {row.get('block')}")

    def delayed(function):
        def call(*args, **kwargs):
            time.sleep(io_delay)
            return function(*args, **kwargs)
        return call

    atomic = files.write_json_atomic

    def acked_atomic(path, data) -> None:
        ack("phase json")
        atomic(path, data)
        writes[0] += 1
        ack(f"phase end {Path(path).name}")
        if writes[0] == kill_at:
            os.kill(os.getpid(), kill_signal)

    block_rng, mark_done = session.block_rng, session.SessionRecord.mark_done

    def started_block(seed, task, block):
        ack(f"block {task} {block}")
        return block_rng(seed, task, block)

    def finished_block(self, *args, **kwargs) -> None:
        mark_done(self, *args, **kwargs)
        ack("done")

    simulate.SimClock.advance = slow_advance
    triallog.TrialLog.__init__, triallog.TrialLog.write = torn_init, acked_write
    os.fsync, os.replace = delayed(os.fsync), delayed(os.replace)
    session.write_json_atomic = state.write_json_atomic = acked_atomic
    session.block_rng, session.SessionRecord.mark_done = started_block, finished_block
    ack(f"start {time.monotonic():.6f}")
    return main(argv)


# --------------------------------------------------------------------------- parent side
@dataclass
class Ack:
    """What the child acknowledged before it died."""

    start: float | None = None
    rows: collections.Counter = field(default_factory=collections.Counter)  # per (task, block)
    block: tuple[str, str] | None = None  # the block running (started, not yet recorded as done)
    writing: str | None = None  # "row-write" or "json-write" while inside a write
    saved: bool = False  # a JSON file (session.json first) has been written

    @classmethod
    def read(cls, path: Path) -> Ack:
        """Parse the acknowledgement file (a last line cut short by the kill is ignored)."""
        ack = cls()
        text = path.read_text() if path.exists() else ""
        for line in text.splitlines(keepends=True):
            if not line.endswith("\n"):
                break
            word, *rest = line.split()
            if word == "start":
                ack.start = float(rest[0])
            elif word == "block":
                ack.block = (rest[0], rest[1])
            elif word == "row":
                ack.rows[(rest[0], rest[1])] += 1
                ack.writing = None
            elif word == "phase":
                ack.writing = {"row": "row-write", "json": "json-write", "end": None}[rest[0]]
                ack.saved |= rest[0] == "end"
            elif word == "done":
                ack.block = None
        return ack

    @property
    def phase(self) -> str:
        """Where the kill landed."""
        if self.writing:
            return self.writing
        if self.block:
            return "trial"
        return "between-blocks" if self.saved else "start-up"


def cogtrain_cmd(config: Path, data: Path, seed: int, resume: bool = False) -> list[str]:
    """The plain ``cogtrain run`` arguments of a simulated session."""
    args = ["run", str(config), "--participant", PARTICIPANT, "--simulate", "--data", str(data)]
    return args + (["--resume"] if resume else ["--seed", str(seed)])


def start_child(config: Path, data: Path, seed: int, ack: Path, dilation: float,
                io_delay: float, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start the instrumented command line."""
    env = {**os.environ, ACK_ENV: str(ack), DILATION_ENV: str(dilation), IO_DELAY_ENV: str(io_delay),
           **(extra_env or {})}
    return subprocess.Popen([sys.executable, __file__, "--child", *cogtrain_cmd(config, data, seed)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO)


def wait_for_start(ack: Path, proc: subprocess.Popen) -> float:
    """Block until the child has imported everything and is about to run; return its start time."""
    while True:
        start = Ack.read(ack).start
        if start is not None:
            return start
        if proc.poll() is not None:
            raise SystemExit(f"fault_test: the session did not start: {proc.stderr.read().strip()}")
        time.sleep(0.001)


def session_folder(data: Path) -> Path:
    """The simulated participant's first session folder."""
    return data / f"sub-{PARTICIPANT}" / "ses-001"


def split_lines(path: Path) -> tuple[list[str], str]:
    """Complete lines (with their newline) and the text of a last line cut short ('' if none)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    torn = lines.pop() if lines and not lines[-1].endswith("\n") else ""
    return lines, torn


def csv_problems(path: Path, header: list[str], allow_torn: bool) -> list[str]:
    """Why a trial log is corrupt: does not parse, wrong header, a row of the wrong width."""
    import pandas as pd

    try:
        pd.read_csv(path)
        lines, torn = split_lines(path)
    except Exception as exc:  # noqa: BLE001 - any failure to read is the finding
        return [f"{path.name}: does not parse ({type(exc).__name__}: {exc})"]
    found = []
    rows = list(csv.reader(io.StringIO("".join(lines))))
    if not rows or rows[0] != header:
        found.append(f"{path.name}: header differs from the reference")
    found += [f"{path.name}: line {i + 1} has {len(r)} fields, not {len(header)}"
              for i, r in enumerate(rows) if len(r) != len(header)]
    if torn and not allow_torn:
        found.append(f"{path.name}: last line cut short")
    return found


def json_problems(folder: Path) -> list[str]:
    """session.json and state.json, where present, must be valid JSON."""
    found = []
    for path in (folder / "session.json", folder.parent / "state.json"):
        if path.exists():
            try:
                json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                found.append(f"{path.name}: invalid JSON ({exc})")
    return found


@dataclass
class KillResult:
    """The findings of one kill."""

    at_s: float
    phase: str
    corrupt: list[str]
    not_prefix: list[str]
    missing_acked: int
    lost: int
    redone: int  # rows of the interrupted block, which --resume runs again from its start
    torn: int
    leftover_tmp: int
    outcome: str  # resumed | restarted | finished-before-kill | failed: ...


def block_rows(reference: dict[str, list[str]]) -> collections.Counter:
    """Rows per (task, block) of the reference session."""
    counts: collections.Counter = collections.Counter()
    for lines in reference.values():
        for row in csv.DictReader(io.StringIO("".join(lines))):
            counts[(row["task"], row["block"])] += 1
    return counts


def session_complete(data: Path) -> bool:
    """Whether session.json records the session as complete."""
    try:
        return read_json(session_folder(data) / "session.json").get("status") == "complete"
    except CogtrainError:
        return False  # missing, or invalid (reported by check_kill)


def check_kill(data: Path, ack: Ack, reference: dict[str, list[str]], at_s: float) -> KillResult:
    """Inspect a killed session's files against the reference."""
    folder = session_folder(data)
    corrupt, not_prefix, torn, present = [], [], 0, 0
    for name, ref_lines in reference.items():
        path = folder / name
        if not path.exists():
            continue
        header = next(csv.reader([ref_lines[0]]))
        corrupt += csv_problems(path, header, allow_torn=True)
        lines, cut = split_lines(path)
        torn += bool(cut)
        if lines != ref_lines[:len(lines)]:
            not_prefix.append(name)
        present += max(0, len(lines) - 1)
    corrupt += json_problems(folder)
    acked = sum(ack.rows.values())
    in_progress = int(ack.block is not None and ack.rows[ack.block] < block_rows(reference)[ack.block])
    leftover = len(list(folder.glob(".*.tmp"))) + len(list(folder.parent.glob(".*.tmp"))) if folder.exists() else 0
    return KillResult(at_s=at_s, phase=ack.phase, corrupt=corrupt, not_prefix=not_prefix,
                      missing_acked=max(0, acked - present),
                      lost=max(0, acked + in_progress - present), redone=ack.rows[ack.block] if ack.block else 0,
                      torn=torn, leftover_tmp=leftover, outcome="")


def resume(config: Path, data: Path, seed: int, reference_blocks: list[str],
           reference: dict[str, list[str]]) -> str:
    """Resume with the plain command line and check the completed session."""
    folder = session_folder(data)
    restarted = not (folder / "session.json").exists()
    args = cogtrain_cmd(config, data, seed, resume=not restarted)
    proc = subprocess.run([sys.executable, "-m", "cogtrain", *args], capture_output=True, text=True, cwd=REPO)
    if "Traceback" in proc.stderr or proc.returncode != 0:
        return f"failed: exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
    record = read_json(folder / "session.json")
    if record.get("status") != "complete":
        return f"failed: status {record.get('status')}"
    if sorted(record["progress"]["done"]) != sorted(reference_blocks):
        return "failed: blocks differ from the reference"
    for name, ref_lines in reference.items():
        header = next(csv.reader([ref_lines[0]]))
        problems = csv_problems(folder / name, header, allow_torn=False)
        if problems:
            return f"failed: {problems[0]}"
    return "restarted" if restarted else "resumed"


def run_reference(args: argparse.Namespace, work: Path) -> tuple[dict[str, list[str]], list[str], float]:
    """The uninterrupted session: trial-log lines, finished blocks and session duration (seconds)."""
    data, ack = work / "reference", work / "reference.ack"
    proc = start_child(args.config, data, args.seed, ack, args.dilation, args.io_delay)
    start = wait_for_start(ack, proc)
    _, err = proc.communicate()
    duration = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"fault_test: the reference session failed: {err.strip()}")
    folder = session_folder(data)
    reference = {p.name: split_lines(p)[0] for p in sorted(folder.glob("*.csv"))}
    plain = work / "plain"
    subprocess.run([sys.executable, "-m", "cogtrain", *cogtrain_cmd(args.config, plain, args.seed)],
                   check=True, capture_output=True, cwd=REPO)
    plain_logs = {p.name: split_lines(p)[0] for p in sorted(session_folder(plain).glob("*.csv"))}
    if plain_logs != reference:
        raise SystemExit("fault_test: the instrumented session wrote other trial logs than plain cogtrain run")
    done = read_json(folder / "session.json")["progress"]["done"]
    return reference, done, duration


def run_kills(args: argparse.Namespace, work: Path) -> tuple[list[KillResult], float, dict[str, list[str]]]:
    """The reference run, then every kill; returns the results, the session duration and the reference."""
    reference, blocks, duration = run_reference(args, work)
    rng = random.Random(args.seed)
    results = []
    for k in range(args.kills):
        data, ack_path = work / f"kill{k:03d}", work / f"kill{k:03d}.ack"
        at_s = rng.uniform(0, duration)
        proc = start_child(args.config, data, args.seed, ack_path, args.dilation, args.io_delay)
        start = wait_for_start(ack_path, proc)
        time.sleep(max(0.0, start + at_s - time.monotonic()))
        proc.send_signal(signal.SIGKILL)
        finished = proc.wait() == 0 or session_complete(data)  # killed after the session ended: nothing to resume
        result = check_kill(data, Ack.read(ack_path), reference, at_s)
        result.outcome = "finished-before-kill" if finished else resume(args.config, data, args.seed, blocks,
                                                                          reference)
        results.append(result)
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
        print(f"kill {k + 1:3d}/{args.kills} at {at_s:6.3f} s  {result.phase:18s} rows lost {result.lost}  "
              f"torn lines {result.torn}  corrupt {len(result.corrupt)}  {result.outcome}", flush=True)
    return results, duration, reference


def report(results: list[KillResult], duration: float, reference: dict[str, list[str]]) -> bool:
    """Print the figures; True if every check passed."""
    killed = [r for r in results if r.outcome != "finished-before-kill"]
    resumed = [r for r in killed if r.outcome in ("resumed", "restarted")]
    corrupt = sum(len(r.corrupt) for r in results)
    prefix_fail = sum(bool(r.not_prefix) for r in results)
    missing = sum(r.missing_acked for r in results)
    max_lost = max((r.lost for r in results), default=0)
    phases = collections.Counter(r.phase for r in killed)
    rows = sum(len(v) - 1 for v in reference.values())
    print()
    print(f"reference session: {rows} trial rows in {len(reference)} logs, {duration:.2f} s wall time")
    print(f"kills (SIGKILL during the session)      {len(killed)}"
          + (f"  (+{len(results) - len(killed)} after it had finished)" if len(results) > len(killed) else ""))
    print(f"corrupt files                           {corrupt}")
    print(f"logs not equal to the reference's start {prefix_fail}")
    print(f"acknowledged rows missing               {missing}")
    print(f"max trials lost per kill                {max_lost}  (the trial in progress counts as lost)")
    print(f"max trials run again after --resume     {max((r.redone for r in killed), default=0)}  "
          "(rows of the interrupted block: kept in the log, superseded by the re-run)")
    print(f"kills that tore a trial-log line        {sum(r.torn > 0 for r in killed)}")
    print(f"kills leaving a temporary JSON file     {sum(r.leftover_tmp > 0 for r in killed)}")
    pct = 100.0 * len(resumed) / len(killed) if killed else 100.0
    print(f"resumed to completion                   {len(resumed)}/{len(killed)} ({pct:.0f} %)"
          + (f", {sum(r.outcome == 'restarted' for r in killed)} of them restarted "
             "(killed before session.json existed)" if any(r.outcome == "restarted" for r in killed) else ""))
    print("kill landed in                          " + ", ".join(f"{p}: {n}" for p, n in sorted(phases.items())))
    for r in results:
        for problem in r.corrupt + [f"{n}: rows differ from the reference" for n in r.not_prefix]:
            print(f"  problem (kill at {r.at_s:.3f} s): {problem}")
        if r.outcome.startswith("failed"):
            print(f"  problem (kill at {r.at_s:.3f} s): resume {r.outcome}")
    return corrupt == 0 and prefix_fail == 0 and missing == 0 and max_lost <= 1 and len(resumed) == len(killed)


# --------------------------------------------------------------------------- targeted mode
def persistence_points(ack: Path) -> list[str]:
    """Labels of the atomic writes of a run, in order, from its acknowledgement file."""
    points, where = [], "start"
    for line in ack.read_text().splitlines():
        word, *rest = line.split()
        if word == "block":
            where = f"block {rest[0]} {rest[1]}"
        elif word == "phase" and rest[0] == "end":
            points.append(f"{rest[1]} at {where}")
    if points:
        points[-1] = points[-1].rsplit(" at ", 1)[0] + " at end"
    return points


def levels(data: Path) -> dict[str, object]:
    """The level of each task in the participant's state.json (None where there is none)."""
    tasks = read_json(data / f"sub-{PARTICIPANT}" / "state.json").get("tasks", {})
    return {name: entry.get("level") for name, entry in sorted(tasks.items())}


def run_targeted(args: argparse.Namespace, work: Path) -> bool:
    """One kill right after each persistence point; check the levels after --resume. True if all match."""
    ack = work / "reference.ack"
    proc = start_child(args.config, work / "reference", args.seed, ack, 0.0, 0.0)
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"fault_test: the reference session failed: {err.strip()}")
    reference, points = levels(work / "reference"), persistence_points(ack)
    signame = {"kill": "SIGKILL", "term": "SIGTERM"}[args.signal]
    print(f"reference levels: {reference}; {len(points)} persistence points; {signame} after each")
    failures = 0
    for k, label in enumerate(points, start=1):
        data = work / f"point{k:03d}"
        env = {KILL_AT_ENV: str(k), KILL_SIGNAL_ENV: signame}
        child = start_child(args.config, data, args.seed, work / f"point{k:03d}.ack", 0.0, 0.0, env)
        _, err = child.communicate()
        folder = session_folder(data)
        restarted = not (folder / "session.json").exists()
        complete = session_complete(data)
        after = subprocess.run([sys.executable, "-m", "cogtrain",
                                *cogtrain_cmd(args.config, data, args.seed, resume=not restarted)],
                               capture_output=True, text=True, cwd=REPO)
        problems = []
        if "Traceback" in err + after.stderr:
            problems.append("traceback")
        if complete:  # killed after the last save: --resume has nothing to run, and says so
            if "already complete" not in after.stderr:
                problems.append(f"--resume on a complete session: {after.stderr.strip()[-200:]}")
        elif after.returncode != 0:
            problems.append(f"{'run' if restarted else '--resume'} exit {after.returncode}: "
                            f"{after.stderr.strip()[-200:]}")
        try:
            got = levels(data)
        except CogtrainError as exc:
            got = {}
            problems.append(str(exc))
        if not session_complete(data):
            problems.append("session not complete")
        if got != reference:
            problems.append(f"levels {got}")
        failures += bool(problems)
        how = "already complete" if complete else "restarted" if restarted else "resumed"
        print(f"point {k:2d}/{len(points)} {label:34s} exit {child.returncode:4d}  {how:16s} "
              f"{'ok' if not problems else 'FAIL: ' + '; '.join(problems)}", flush=True)
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
    print()
    print(f"persistence points killed ({signame})        {len(points)}")
    print(f"state.json levels equal to the reference   {len(points) - failures}/{len(points)}")
    return failures == 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options of the fault test."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=REPO / "configs" / "ms_training.yaml")
    parser.add_argument("--kills", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7, help="session seed and kill-time seed")
    parser.add_argument("--dilation", type=float, default=0.002,
                        help="real seconds slept per simulated second (0: full speed)")
    parser.add_argument("--io-delay", type=float, default=0.005,
                        help="pause inside each trial-log line write, before each fsync and rename (s)")
    parser.add_argument("--work", type=Path, help="keep the data here (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep every killed session's data")
    parser.add_argument("--targeted", action="store_true",
                        help="one kill right after each persistence point instead of kills at random times")
    parser.add_argument("--signal", choices=["kill", "term"], default="kill",
                        help="with --targeted: SIGKILL (default) or SIGTERM")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the fault test; exit status 0 if every check passed."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child_main(argv[1:])
    args = parse_args(argv)
    args.config = args.config.resolve()
    work = args.work or Path(tempfile.mkdtemp(prefix="cogtrain-fault-"))
    work.mkdir(parents=True, exist_ok=True)
    args.config = Path(shutil.copy(args.config, work / "battery.yaml"))  # the same file for every run
    try:
        if args.targeted:
            ok = run_targeted(args, work)
        else:
            results, duration, reference = run_kills(args, work)
            ok = report(results, duration, reference)
    finally:
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
