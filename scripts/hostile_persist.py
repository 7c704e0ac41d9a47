#!/usr/bin/env python
"""Hostile and odd inputs to the files a session reads and writes, each through the real command line.

Usage::

    .venv/bin/python scripts/hostile_persist.py            # every case, a table per class
    .venv/bin/python scripts/hostile_persist.py --verbose  # and each case's message

Each case prepares a data folder (usually: one finished session of a short
n-back battery, or one left unfinished), damages one thing (the participant
lock, a file that is not a regular file, ``state.json``, ``session.json``, a
command-line value or a config key), then runs ``cogtrain run ... --simulate``
(or ``--resume``, or ``validate``) in its own process with a time limit.

A case passes when it ends as its class requires: a **clear error** (exit
status 1 or 2, one line, no traceback, naming the file or the argument) or a
**recovery** (exit status 0, the session complete, and, where something was
repaired, a note saying so). A hang (over the time limit), a traceback, a
multi-line error or an unexpected outcome counts as a failure. Figures
printed per class: attempts, clear errors, correct recoveries, failures.
Exit status 1 if any case failed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
SMALL = """name: short n-back
tasks:
  - task: nback
    settings: {blocks: 2, mode: single, practice: {enabled: false}}
breaks: {between_tasks: false, fatigue_rating: false}
"""
TIMEOUT_S = 60


@dataclass
class Case:
    """One hostile input: its class, name, how to set it up and the outcome that counts as handled."""

    klass: str
    name: str
    prepare: Callable[[Path], list[str]]  # damages the folder, returns the cogtrain arguments
    expect: str  # "error" or "recover"
    mention: str = ""  # text the error line (or a note) must contain


def cogtrain(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The real command line, in its own process."""
    return subprocess.run([sys.executable, "-m", "cogtrain", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=TIMEOUT_S)


def run_args(work: Path, *extra: str, config: str = "battery.yaml") -> list[str]:
    return ["run", str(work / config), "--participant", "P1", "--simulate", "--data", str(work / "data"), *extra]


# --------------------------------------------------------------------------- starting points
def finished(work: Path) -> Path:
    """One finished session; returns the participant folder."""
    cogtrain(run_args(work, "--seed", "3"), work)
    return work / "data" / "sub-P1"


def unfinished(work: Path) -> Path:
    """One session whose second block never ran (as after Escape); returns its session.json."""
    sub = finished(work)
    record = sub / "ses-001" / "session.json"
    data = json.loads(record.read_text())
    data["status"], data["ended"] = "aborted", None
    data["progress"]["done"] = data["progress"]["done"][:1]
    record.write_text(json.dumps(data))
    return record


def edit_json(path: Path, change: Callable[[dict], None]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


# --------------------------------------------------------------------------- the cases
def lock_cases() -> list[Case]:
    def lock(content: str | None, kind: str = "file"):
        def prepare(work: Path) -> list[str]:
            sub = finished(work)
            path = sub / ".lock"
            if kind == "fifo":
                os.mkfifo(path)
            elif kind == "dir":
                path.mkdir()
            else:
                path.write_text(content)
            return run_args(work)
        return prepare

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    other = json.dumps({"host": "studylaptop7", "pid": 4242, "locked": "2026-11-30T10:00:00+00:00", "token": "x"})
    alive = json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "token": "x"})
    return [
        Case("2 locks", "empty lock", lock(""), "error", ".lock"),
        Case("2 locks", "lock '0'", lock("0"), "recover"),
        Case("2 locks", "lock '-1'", lock("-1"), "recover"),
        Case("2 locks", "lock of a 20-digit PID", lock("9" * 20), "recover"),
        Case("2 locks", "lock of PID 2^40", lock(str(2**40)), "recover"),
        Case("2 locks", "lock of a process that ended", lock(dead.stdout.strip()), "recover"),
        Case("2 locks", "lock of another computer", lock(other), "error", "studylaptop7"),
        Case("2 locks", "lock of a running process", lock(alive), "error", "another cogtrain session is running"),
        Case("2 locks", "garbage lock", lock("\x00garbage\n"), "error", "not a cogtrain lock"),
        Case("2 locks", "lock of 100 kB", lock("1" * 100_000), "error", ".lock"),
        Case("2 locks", "lock that is a FIFO", lock(None, "fifo"), "error", "named pipe"),
        Case("2 locks", "lock that is a folder", lock(None, "dir"), "error", "is a folder"),
    ]


def special_file_cases() -> list[Case]:
    def special(kind: str, target: str):
        def prepare(work: Path) -> list[str]:
            if target in ("state", "session"):
                record = unfinished(work)
                path = record.parent.parent / "state.json" if target == "state" else record
            else:
                path = work / (f"{target}.tsv" if target == "pool" else f"{target}.yaml")
            path.unlink(missing_ok=True)
            if kind == "fifo":
                os.mkfifo(path)
            elif kind == "dir":
                path.mkdir()
            elif kind == "device":
                path.symlink_to("/dev/zero")
            elif kind == "huge":
                with open(path, "wb") as fh:
                    fh.truncate(20 * 1024**3)  # sparse: 20 GB claimed
            if target == "config":
                return run_args(work, config="config.yaml")
            if target == "profile":
                return run_args(work, "--profile", str(path))
            if target == "pool":
                (work / "recall.yaml").write_text(
                    f"name: r\ntasks:\n  - task: recall\n    settings: {{pool: {path}}}\n")
                return run_args(work, config="recall.yaml")
            return run_args(work, "--resume")
        return prepare

    says = {"fifo": "named pipe", "device": "is a device", "dir": "folder", "huge": "bytes"}
    cases = []
    for target in ("config", "profile", "pool", "state", "session"):
        for kind in ("fifo", "device", "dir", "huge"):
            if target == "state":  # the session records hold the levels: state.json is rebuilt from them
                expect, mention = "recover", "rebuilt from the session records"
            elif target == "pool":  # refused when the battery is checked (not a file) or when read (size)
                expect, mention = "error", "pool.tsv"
            else:
                expect, mention = "error", says[kind]
            cases.append(Case("4 not regular files", f"{target} is a {kind}", special(kind, target), expect,
                              mention))
    return cases


def state_cases() -> list[Case]:
    def state(text: str | bytes):
        def prepare(work: Path) -> list[str]:
            path = finished(work) / "state.json"
            path.write_bytes(text if isinstance(text, bytes) else text.encode())
            return run_args(work)
        return prepare

    def state_alone(text: str):
        def prepare(work: Path) -> list[str]:
            sub = finished(work)
            shutil.rmtree(sub / "ses-001")  # no session record to rebuild from
            (sub / "state.json").write_text(text)
            return run_args(work)
        return prepare

    def level(value: str):
        return state('{"participant": "P1", "tasks": {"nback": {"level": %s}}, "commits": {"nback": 2}}' % value)

    rebuilt = "rebuilt from the session records"
    return [
        Case("5 state.json", "root is a list", state("[1, 2]"), "recover", rebuilt),
        Case("5 state.json", "root is a string", state('"x"'), "recover", rebuilt),
        Case("5 state.json", "tasks missing", state('{"participant": "P1"}'), "recover", rebuilt),
        Case("5 state.json", "tasks is a number", state('{"tasks": 3}'), "recover", rebuilt),
        Case("5 state.json", "task entry is a list", state('{"tasks": {"nback": [3]}}'), "recover", rebuilt),
        Case("5 state.json", "level NaN", level("NaN"), "recover", rebuilt),
        Case("5 state.json", "level Infinity", level("Infinity"), "recover", rebuilt),
        Case("5 state.json", "level 1e400", level("1e400"), "recover", rebuilt),
        Case("5 state.json", "level of 5000 digits", level("9" * 5000), "recover", rebuilt),
        Case("5 state.json", "truncated JSON", state('{"tasks": {"nb'), "recover", rebuilt),
        Case("5 state.json", "not UTF-8", state(b"\xff\xfe{}"), "recover", rebuilt),
        Case("5 state.json", "commits garbage", state('{"tasks": {}, "commits": [1]}'), "recover", rebuilt),
        Case("5 state.json", "level 10^29 (clamped)", level("1" + "0" * 29), "recover"),
        Case("5 state.json", "level -5 (clamped)", level("-5"), "recover"),
        Case("5 state.json", "level as text", level('"3"'), "error", "tasks.nback"),
        Case("5 state.json", "level true", level("true"), "error", "tasks.nback"),
        Case("5 state.json", "unknown task entry", state(
            '{"tasks": {"nback": {"level": 2}, "ghost": {"level": 1}}, "commits": {"nback": 2}}'), "recover"),
        Case("5 state.json", "damaged, no record to rebuild from", state_alone("[1]"), "error",
             "delete it to start every task"),
        Case("5 state.json", "level NaN, no record to rebuild from", state_alone(
            '{"tasks": {"nback": {"level": NaN}}}'), "error", "tasks.nback.level"),
    ]


def record_cases() -> list[Case]:
    def record(change: Callable[[dict], None] | str):
        def prepare(work: Path) -> list[str]:
            path = unfinished(work)
            if isinstance(change, str):
                path.write_text(change)
            else:
                edit_json(path, change)
            return run_args(work, "--resume")
        return prepare

    def setter(key: str, value):
        def change(data: dict) -> None:
            *parents, last = key.split(".")
            for part in parents:
                data = data[part]
            if value is KeyError:
                del data[last]
            else:
                data[last] = value
        return change

    fix = "session record is damaged"
    return [
        Case("5 session.json", "root is a list", record("[]"), "error", "not a session record"),
        Case("5 session.json", "seed NaN", record('{"seed": NaN}'), "error", "key seed"),
        Case("5 session.json", "seed of 5000 digits", record('{"seed": %s}' % ("7" * 5000)), "error", "key seed"),
        Case("5 session.json", "seed 1e400", record('{"seed": 1e400}'), "error", "key seed"),
        Case("5 session.json", "seed as text", record(setter("seed", "7")), "error", fix),
        Case("5 session.json", "seed negative", record(setter("seed", -1)), "error", fix),
        Case("5 session.json", "progress missing", record(setter("progress", KeyError)), "error", fix),
        Case("5 session.json", "done not a list", record(setter("progress.done", "nback:1")), "error", fix),
        Case("5 session.json", "done names an unknown task", record(setter("progress.done", ["ghost:1"])),
             "error", fix),
        Case("5 session.json", "snapshot of an unknown task", record(setter("progress.snapshots", {"ghost": {}})),
             "error", fix),
        Case("5 session.json", "snapshot level as text", record(
            lambda d: d["progress"]["snapshots"]["nback"]["staircase"].update(level="x")), "error", "snapshots.nback"),
        Case("5 session.json", "snapshot level 10^20 (clamped)", record(
            lambda d: d["progress"]["snapshots"]["nback"]["staircase"].update(level=10**20, ceiling=10**20)),
             "recover"),
        Case("5 session.json", "task order unknown task", record(setter("task_order", ["ghost"])), "error", fix),
        Case("5 session.json", "runs not a list", record(setter("runs", 3)), "error", fix),
        Case("5 session.json", "duration negative", record(setter("duration_s", -1)), "error", fix),
        Case("5 session.json", "duration 1e300", record(setter("duration_s", 1e300)), "error", fix),
        Case("5 session.json", "started 31 February", record(setter("started", "2026-02-31T10:00:00")), "error",
             fix),
        Case("5 session.json", "started in year 9999", record(setter("started", "9999-01-01T00:00:00+00:00")),
             "error", fix),
        Case("5 session.json", "carried_start missing", record(setter("carried_start", KeyError)), "error", fix),
        Case("5 session.json", "status unknown", record(setter("status", "paused")), "error", fix),
        Case("8 resume identity", "participant field edited", record(setter("participant", "SOMEONE")), "recover",
             "using participant P1 from the folder name"),
        Case("8 resume identity", "session field edited", record(setter("session", 42)), "recover",
             "using session number 1 from the folder name"),
    ]


def small_cases() -> list[Case]:
    def config(text: str, command: str = "validate"):
        def prepare(work: Path) -> list[str]:
            (work / "c.yaml").write_text(text)
            return ["validate", str(work / "c.yaml")] if command == "validate" else run_args(work, config="c.yaml")
        return prepare

    def args(*extra: str, data: bool = True):
        def prepare(work: Path) -> list[str]:
            base = ["run", str(work / "battery.yaml"), "--simulate"]
            return base + list(extra) + (["--data", str(work / "data")] if data else [])
        return prepare

    nback = "name: t\ntasks:\n  - task: nback\n    settings: {%s}\n"
    return [
        Case("10 small", "blocks: true", config(nback % "blocks: true"), "error", "yes/no value"),
        Case("10 small", "continue key is the quit key", config("name: t\nkeys: {continue: [escape]}\n"
                                                             "tasks:\n  - task: nback\n"), "error", "own key"),
        Case("10 small", "response key is escape", config(nback % "keys: {letter: escape}"), "error", "own key"),
        Case("10 small", "negative simulated ability", config(
            "name: t\ntasks:\n  - task: nback\nsimulation: {ability: {nback: -2}}\n"), "error", "ability.nback"),
        Case("10 small", "letter ß", config(nback % "letters: [B, C, D, F, G, ß]"), "error", "upper case"),
        Case("10 small", "session number in Arabic-Indic digits", args("--participant", "P1", "--session", "٣"),
             "error", "digits 0-9"),
        Case("10 small", "session number in full-width digits", args("--participant", "P1", "--session", "１"),
             "error", "digits 0-9"),
        Case("10 small", "--data ''", args("--participant", "P1", "--data", "", data=False), "error",
             "empty folder name"),
        Case("10 small", "--resume with nothing to resume", args("--participant", "P1", "--resume"), "error",
             "no session to resume"),
        Case("10 small", "participant CON", args("--participant", "CON"), "error", "Windows reserves"),
        Case("10 small", "participant nul", args("--participant", "nul"), "error", "Windows reserves"),
        Case("10 small", "participant COM1", args("--participant", "COM1"), "error", "Windows reserves"),
    ]


def all_cases() -> list[Case]:
    return lock_cases() + special_file_cases() + state_cases() + record_cases() + small_cases()


# --------------------------------------------------------------------------- checking
def judge(case: Case, proc: subprocess.CompletedProcess | None, work: Path) -> tuple[str, str]:
    """("error" | "recover" | "FAIL", what happened)."""
    if proc is None:
        return "FAIL", f"no answer within {TIMEOUT_S} s"
    err = proc.stderr.strip()
    if "Traceback" in err:
        return "FAIL", "traceback: " + err.splitlines()[-1]
    if case.expect == "error":
        lines = err.splitlines()
        if proc.returncode not in (1, 2):
            return "FAIL", f"exit {proc.returncode}, expected a clear error"
        if len(lines) != 1 or case.mention not in err:
            return "FAIL", f"message {err!r}"
        created = [p for p in (work / "data").rglob("*")] if case.klass.startswith("10") else []
        if created:
            return "FAIL", f"created {created[0]}"
        return "error", err
    if proc.returncode != 0:
        return "FAIL", f"exit {proc.returncode}: {err[-300:]}"
    if case.mention and case.mention not in err:
        return "FAIL", f"no note saying {case.mention!r}: {err!r}"
    state = json.loads((work / "data" / "sub-P1" / "state.json").read_text())
    level = state["tasks"]["nback"]["level"]
    if not (isinstance(level, int) and 1 <= level <= 9):
        return "FAIL", f"nback level {level!r} after the run"
    if (work / "data" / "sub-P1" / ".lock").exists():
        return "FAIL", "lock left behind"
    return "recover", (err or "completed") + f" (nback level {level})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print each case's message")
    parser.add_argument("--only", help="run the cases whose class starts with this text")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="cogtrain-hostile-"))
    counts: dict[str, dict[str, int]] = {}
    failed = []
    try:
        for i, case in enumerate(c for c in all_cases() if not args.only or c.klass.startswith(args.only)):
            work = root / f"case{i:03d}"
            work.mkdir()
            (work / "battery.yaml").write_text(SMALL)
            try:
                proc = cogtrain(case.prepare(work), work)
            except subprocess.TimeoutExpired:
                proc = None
            outcome, detail = judge(case, proc, work)
            tally = counts.setdefault(case.klass, {"attempts": 0, "error": 0, "recover": 0, "FAIL": 0})
            tally["attempts"] += 1
            tally[outcome] += 1
            if outcome == "FAIL":
                failed.append(f"{case.klass} / {case.name}: {detail}")
            if args.verbose or outcome == "FAIL":
                print(f"[{outcome:7s}] {case.klass} / {case.name}: {detail}", flush=True)
            shutil.rmtree(work, ignore_errors=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print()
    print(f"{'class':22s} {'attempts':>8s} {'clear errors':>13s} {'recoveries':>11s} {'failures':>9s}")
    for klass, t in counts.items():
        print(f"{klass:22s} {t['attempts']:8d} {t['error']:13d} {t['recover']:11d} {t['FAIL']:9d}")
    total = {k: sum(t[k] for t in counts.values()) for k in ("attempts", "error", "recover", "FAIL")}
    print(f"{'all':22s} {total['attempts']:8d} {total['error']:13d} {total['recover']:11d} {total['FAIL']:9d}")
    print("PASS" if not failed else "FAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
