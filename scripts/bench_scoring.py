"""Benchmark ``cogtrain score`` on a synthetic study of about a million trial rows.

A few sessions of the full battery are simulated with the real command line
(``cogtrain run configs/ms_training.yaml --simulate``); their logs are then
copied to many participants and sessions with rewritten participant and
session columns, so every file follows the contract and every task's real
metrics run. The script times ``cogtrain score`` with the columnar cache: from an empty cache,
and again after one new session is added to the scored study (the plain
pandas path, the whole folder in memory, is timed beside them); and the real
command line on a large study (default 20 M rows, 1,000 participants) with its
peak memory (docs/scaling.md); the HTML reports of every participant (and again, when
nothing changed); and, on
the same recall rows, our serial-position and lag-CRP curves against psifr's
``merge_free_recall`` + ``spc`` + ``lag_crp``.

Usage::

    .venv/bin/python scripts/bench_scoring.py [--rows 1000000] [--sessions 20] [--big-participants 1000]
        [--big-rows 20000000] [--big-workers 2]

The figures are printed side by side at the end, each with its target and the
load of the machine when it was measured.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, TypeVar

import pandas as pd

from cogtrain.registry import all_tasks
from cogtrain.scoring.compute import compute_scores
from cogtrain.tasks.recall.export import psifr_table
from cogtrain.scoring.read import read_study
from cogtrain.scoring.report import write_reports
from cogtrain.scoring.processes import available_cores
from cogtrain.scoring.study import score_study, write_tables

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")
TEMPLATE_ID = "T1"


def simulate_templates(folder: Path, sessions: int) -> list[Path]:
    """Run the real simulated battery ``sessions`` times for one participant."""
    for _ in range(sessions):
        subprocess.run([sys.executable, "-m", "cogtrain", "run", str(ROOT / "configs" / "ms_training.yaml"),
                        "--participant", TEMPLATE_ID, "--simulate", "--data", str(folder)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return sorted((folder / f"sub-{TEMPLATE_ID}").glob("ses-*"))


def synthesise(templates: list[Path], out: Path, participants: int, sessions: int) -> int:
    """Copy template sessions to ``participants`` × ``sessions`` folders; return the number of trial rows.

    The files are flushed to disk before returning, so that writing them back does not
    take processor time from what is timed next (they stay in the OS file cache).
    """
    logs = []
    for number, folder in enumerate(templates, start=1):
        files = {p.name: b"\n" + p.read_bytes().split(b"\n", 1)[1] for p in folder.glob("*.csv")}
        headers = {p.name: p.read_bytes().split(b"\n", 1)[0] for p in folder.glob("*.csv")}
        meta = json.loads((folder / "session.json").read_text())
        logs.append((number, files, headers, meta))
    start = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    rows = 0
    for p in range(1, participants + 1):
        participant = f"B{p:04d}"
        for s in range(1, sessions + 1):
            number, files, headers, meta = logs[(p + s) % len(logs)]
            folder = out / f"sub-{participant}" / f"ses-{s:03d}"
            folder.mkdir(parents=True)
            old, new = f"\n{TEMPLATE_ID},{number},".encode(), f"\n{participant},{s},".encode()
            for name, body in files.items():
                text = body.replace(old, new)
                rows += text.count(new)
                (folder / name).write_bytes(headers[name] + text)
            began = start + timedelta(days=3.5 * (s - 1), minutes=p)
            duration = meta.get("duration_s") or 1800
            (folder / "session.json").write_text(json.dumps({
                **meta, "participant": participant, "session": s, "started": began.isoformat(),
                "ended": (began + timedelta(seconds=duration)).isoformat()}))
    os.sync()
    return rows


def time_curves(data: Path, figures: Figures) -> None:
    """Our recall curves against psifr's on the same scored recall rows."""
    from psifr import fr

    tasks = all_tasks()
    study = read_study(data, {"recall": tasks["recall"]})
    rows = study.scored_rows("recall")
    clock = time.perf_counter()
    ours = tasks["recall"].compute_curves(rows)
    ours_s = time.perf_counter() - clock
    clock = time.perf_counter()
    table = psifr_table(rows)
    # One psifr subject per session, so psifr computes per-session curves as ours does.
    table["subject"] = table["subject"] + "-" + table["session"].astype(str)
    convert_s = time.perf_counter() - clock
    clock = time.perf_counter()
    merged = fr.merge_free_recall(table, list_keys=["session", "phase"])
    spc = fr.spc(merged)
    crp = fr.lag_crp(merged)
    psifr_s = time.perf_counter() - clock
    print(f"recall rows scored: {len(rows):,}; psifr long-format rows: {len(table):,}; ours {len(ours):,} curve "
          f"points, psifr {len(spc) + len(crp):,} (its conversion to psifr's format, {convert_s:.2f} s, not "
          "counted)", flush=True)
    figures.append(("recall curves: psifr merge_free_recall + spc + lag_crp / ours, same rows",
                    f"{psifr_s:.2f} s / {ours_s:.2f} s = {psifr_s / ours_s:.1f}x", ">= 10x", busy()))


def add_session(data: Path, template: Path, participant: str) -> int:
    """Give ``participant`` one more session, a copy of ``template``; return its number."""
    person = data / f"sub-{participant}"
    number = max(int(f.name[4:]) for f in person.glob("ses-*")) + 1
    folder = person / f"ses-{number:03d}"
    shutil.copytree(template, folder)
    for log in folder.glob("*.csv"):
        head, body = log.read_bytes().split(b"\n", 1)
        lines = [b",".join([participant.encode(), str(number).encode(), *line.split(b",")[2:]])
                 for line in body.splitlines()]
        log.write_bytes(head + b"\n" + b"\n".join(lines) + b"\n")
    return number


def busy() -> str:
    """Load averages of the machine (1 and 5 minutes) against its cores."""
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f} on {os.cpu_count()} cores"


#: Each figure: what, measured, target, load of the machine when measured.
Figures = list[tuple[str, str, str, str]]


def time_scoring(data: Path, work: Path, template: Path, rows: int, figures: Figures) -> None:
    """Cold-cache and one-new-session scoring with the cache, and the plain pandas path."""
    cache = work / "cache"
    all_tasks()  # import the tasks' modules before timing
    jobs = available_cores()  # as `cogtrain score` does
    result, wall, cpu = timed(lambda: score_study(data, work / "cold", progress=False, reports=False, cache=cache,
                                                  jobs=jobs))
    figures.append((f"score {rows:,} rows, empty cache (read + score + write tables), {jobs} worker processes",
                    f"{wall:.2f} s, CPU {cpu:.2f} s [read+score {result.timings['read_score_s']:.2f}, tables "
                    f"{result.timings['tables_s']:.2f}]", "< 3 s", busy()))
    participant = sorted(p.name[4:] for p in data.glob("sub-*"))[len(list(data.glob("sub-*"))) // 2]
    number = add_session(data, template, participant)
    result, wall, cpu = timed(lambda: score_study(data, work / "warm", progress=False, reports=False, cache=cache,
                                                  jobs=jobs))
    figures.append((f"score again after adding session {number} of {participant} (cache of the scored study)",
                    f"{wall:.2f} s, CPU {cpu:.2f} s [read+score {result.timings['read_score_s']:.2f}, tables "
                    f"{result.timings['tables_s']:.2f}]", "< 1 s", busy()))
    tasks = all_tasks()
    _, wall, cpu = timed(lambda: write_tables(compute_scores(read_study(data, tasks), tasks), work / "plain"))
    figures.append(("plain pandas path (whole folder in memory, no cache), for comparison",
                    f"{wall:.2f} s, CPU {cpu:.2f} s", "", busy()))
    figures.append(("tables after the new session equal the plain path's (numbers to 1e-12 relative)",
                    str(same_tables(work / "warm", work / "plain")), "True", ""))


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    """``work()``, its wall time and the CPU time of this process and its worker processes (s)."""
    clock, cpu = time.perf_counter(), _cpu()
    result = work()
    return result, time.perf_counter() - clock, _cpu() - cpu


def _cpu() -> float:
    """CPU seconds of this process and of its ended child processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def same_tables(left: Path, right: Path) -> bool:
    """True if the score tables in two folders are equal (numbers to 1e-12 relative)."""
    for name in ("session_scores.csv", "participant_summary.csv", "curves.csv", "sessions.csv", "adherence.csv",
                 "composite_components.csv", "events.csv"):
        frames = [pd.read_csv(folder / name, dtype={"participant": str}, keep_default_na=False, na_values=[""])
                  for folder in (left, right)]
        try:
            pd.testing.assert_frame_equal(*frames, check_exact=False, rtol=1e-12, atol=0)
        except AssertionError:
            return False
    return True


def time_big(templates: list[Path], work: Path, participants: int, sessions: int, workers: int,
             figures: Figures) -> None:
    """The real command line on a large study: wall time and peak memory of that process alone.

    With ``workers``, the same again on a local Dask cluster of that many workers.
    """
    clock = time.perf_counter()
    data = work / "big"
    rows = synthesise(templates, data, participants, sessions)
    print(f"synthesised {participants} participants x {sessions} sessions = {rows:,} trial rows "
          f"({time.perf_counter() - clock:.0f} s)", flush=True)
    for spread in [[], ["--workers", str(workers)]] if workers else [[]]:
        shutil.rmtree(work / "big-cache", ignore_errors=True)
        score_big(data, work, rows, participants, spread, figures)
    shutil.rmtree(data)


def score_big(data: Path, work: Path, rows: int, participants: int, spread: list[str], figures: Figures) -> None:
    """Time one ``cogtrain score`` of the large study from an empty cache, with the peak memory of its processes."""
    command = [sys.executable, "-m", "cogtrain", "score", str(data), "--out", str(work / "big-scores"),
               "--no-report", "--cache", str(work / "big-cache"), *spread]
    before = busy()
    clock = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    peak = peak_tree_memory(process)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - clock
    if status:
        raise SystemExit(f"{' '.join(command)} failed (status {status})")
    cpu = usage.ru_utime + usage.ru_stime
    name = " ".join(["cogtrain score", *spread])
    figures.append((f"{name} of {rows:,} rows ({participants:,} participants), empty cache",
                    f"{wall:.1f} s (CPU {cpu:.0f} s, its worker processes included)", "< 60 s",
                    f"before {before}, after {busy()}"))
    figures.append(("  peak memory of that process and its worker processes together (PSS, sampled every 0.1 s)",
                    f"{peak / 2**20:,.0f} MB (peak RSS of the largest single process {usage.ru_maxrss / 1024:,.0f} MB)",
                    "< 4,096 MB", ""))
    print(f"  command: python {' '.join(command[1:])}", flush=True)


def peak_tree_memory(process: subprocess.Popen) -> int:
    """Largest memory in use by ``process`` and its descendants together until it ends (bytes).

    Each process's proportional set size (PSS) is summed: a page shared by forked
    processes counts once in all, where summing their resident sizes (RSS) would count it
    in each. The ended process is left unreaped (``WNOWAIT``), for :func:`os.wait4` to read
    its usage.
    """
    import psutil

    root = psutil.Process(process.pid)
    peak = 0
    while os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        total = 0
        for member in tree:
            try:
                total += member.memory_full_info().pss
            except psutil.NoSuchProcess:
                pass
        peak = max(peak, total)
        time.sleep(0.1)
    return peak


def time_reports(data: Path, work: Path, figures: Figures) -> None:
    """HTML reports of every participant, then again with nothing changed."""
    tasks = all_tasks()
    study = read_study(data, tasks)
    scores = compute_scores(study, tasks)
    participants = scores.sessions["participant"].nunique()
    folder = work / "scores" / "report"
    clock = time.perf_counter()
    write_reports(scores, tasks, study.warnings, folder, progress=False)
    each = (time.perf_counter() - clock) / participants
    figures.append((f"HTML reports of all {participants} participants", f"{each:.3f} s per participant "
                    f"({each * participants:.1f} s)", "<= 0.3 s per participant", busy()))
    clock = time.perf_counter()
    write_reports(scores, tasks, study.warnings, folder, progress=False)
    figures.append(("  again with nothing changed (pages reused)", f"{time.perf_counter() - clock:.1f} s", "",
                    busy()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=None,
                        help="participants (default: enough for --rows with --sessions)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rows", type=int, default=1_000_000, help="target number of trial rows")
    parser.add_argument("--templates", type=int, default=4, help="simulated sessions to copy from")
    parser.add_argument("--big-participants", type=int, default=1000, help="participants of the large study")
    parser.add_argument("--big-rows", type=int, default=20_000_000,
                        help="target trial rows of the large study (0: skip it)")
    parser.add_argument("--big-workers", type=int, default=0,
                        help="also score the large study on a local Dask cluster of this many workers")
    parser.add_argument("--keep", type=Path, default=None, help="write the study here and keep it")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cogtrain-bench-"))
    print(f"machine: load {busy()}; every figure is wall time on this machine, OS file cache warm", flush=True)
    clock = time.perf_counter()
    templates = simulate_templates(work / "templates", args.templates)
    per_session = synthesise(templates, work / "probe", 1, 1) or 1
    participants = args.participants or math.ceil(args.rows / (per_session * args.sessions))
    data = args.keep or work / "data"
    rows = synthesise(templates, data, participants, args.sessions)
    print(f"synthesised {participants} participants x {args.sessions} sessions = {rows:,} trial rows "
          f"in {data} ({time.perf_counter() - clock:.1f} s, {args.templates} simulated template sessions)",
          flush=True)
    figures: Figures = []
    time_scoring(data, work, templates[0], rows, figures)
    time_reports(data, work, figures)
    time_curves(data, figures)
    if args.big_rows:
        big_sessions = math.ceil(args.big_rows / (per_session * args.big_participants))
        time_big(templates, work, args.big_participants, big_sessions, args.big_workers, figures)
    shutil.rmtree(work)
    print_figures(figures)
    return 0


def print_figures(figures: Figures) -> None:
    """The figures side by side: what, measured, target, load (1/5-minute averages) when measured."""
    header = ("what", "measured", "target", "load (1/5 min)")
    widths = [max(len(row[i]) for row in [header, *figures]) for i in range(4)]
    for row in [header, tuple("-" * w for w in widths), *figures]:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


if __name__ == "__main__":
    raise SystemExit(main())
