"""Benchmark ``cogtrain score`` on a synthetic study of about a million trial rows.

A few sessions of the full battery are simulated with the real command line
(``cogtrain run configs/ms_training.yaml --simulate``); their logs are then
copied to many participants and sessions with rewritten participant and
session columns, so every file follows the contract and every task's real
metrics run. The script times reading, scoring and writing the tables
(``score_study`` without reports), the HTML reports of every participant (and again, when
nothing changed), and, on the same
recall rows, our serial-position and lag-CRP curves against psifr's
``merge_free_recall`` + ``spc`` + ``lag_crp``.

Usage::

    .venv/bin/python scripts/bench_scoring.py [--participants 200] [--sessions 20] [--rows 1000000]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cogtrain.registry import all_tasks
from cogtrain.scoring.compute import compute_scores
from cogtrain.tasks.recall.export import psifr_table
from cogtrain.scoring.read import read_study
from cogtrain.scoring.report import write_reports
from cogtrain.scoring.study import score_study

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_ID = "T1"


def simulate_templates(folder: Path, sessions: int) -> list[Path]:
    """Run the real simulated battery ``sessions`` times for one participant."""
    for _ in range(sessions):
        subprocess.run([sys.executable, "-m", "cogtrain", "run", str(ROOT / "configs" / "ms_training.yaml"),
                        "--participant", TEMPLATE_ID, "--simulate", "--data", str(folder)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return sorted((folder / f"sub-{TEMPLATE_ID}").glob("ses-*"))


def synthesise(templates: list[Path], out: Path, participants: int, sessions: int) -> int:
    """Copy template sessions to ``participants`` × ``sessions`` folders; return the number of trial rows."""
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
    return rows


def time_curves(data: Path) -> None:
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
    print(f"recall rows scored: {len(rows):,}; psifr long-format rows: {len(table):,}")
    print(f"ours  (spc + pfr + lag_crp per session, from trial rows): {ours_s:7.2f} s "
          f"({len(ours):,} curve points)")
    print(f"psifr (merge_free_recall + spc + lag_crp, per session):    {psifr_s:7.2f} s "
          f"({len(spc) + len(crp):,} points; conversion to its format {convert_s:.2f} s not counted)")
    print(f"ratio psifr / ours: {psifr_s / ours_s:.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=None,
                        help="participants (default: enough for --rows with --sessions)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rows", type=int, default=1_000_000, help="target number of trial rows")
    parser.add_argument("--templates", type=int, default=4, help="simulated sessions to copy from")
    parser.add_argument("--keep", type=Path, default=None, help="write the study here and keep it")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cogtrain-bench-"))
    clock = time.perf_counter()
    templates = simulate_templates(work / "templates", args.templates)
    per_session = synthesise(templates, work / "probe", 1, 1) or 1
    participants = args.participants or math.ceil(args.rows / (per_session * args.sessions))
    data = args.keep or work / "data"
    rows = synthesise(templates, data, participants, args.sessions)
    print(f"synthesised {participants} participants x {args.sessions} sessions = {rows:,} trial rows "
          f"in {data} ({time.perf_counter() - clock:.1f} s, {args.templates} simulated template sessions)")

    result = score_study(data, work / "scores", progress=False, reports=False)
    t = result.timings
    print(f"score_study without reports: read {t['read_s']:.2f} s, score {t['score_s']:.2f} s, "
          f"write tables {t['tables_s']:.2f} s; total {sum(t.values()):.2f} s")
    print(f"warnings: {len(result.warnings)}")

    tasks = all_tasks()
    study = read_study(data, tasks)
    scores = compute_scores(study, tasks)
    folder = work / "scores" / "report"
    clock = time.perf_counter()
    write_reports(scores, tasks, study.warnings, folder, progress=False)
    each = (time.perf_counter() - clock) / participants
    clock = time.perf_counter()
    write_reports(scores, tasks, study.warnings, folder, progress=False)
    again = time.perf_counter() - clock
    print(f"HTML reports for all {participants} participants: {each:.3f} s per participant "
          f"({each * participants:.1f} s); again with nothing changed: {again:.1f} s (pages reused)")
    time_curves(data)
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
