"""Kill ``cogtrain score`` at random moments and check that its outputs are never mixed or partial.

Usage::

    python scripts/kill_score.py [--kills 20] [--participants 3] [--sessions 2] [--seed 1] [--no-report]
                                 [--config configs/ms_training.yaml] [--work DIR]

A simulated study is scored once without interruption (the reference). The
output folder of each attempt first holds the tables of an *earlier* run (of
another study); ``cogtrain score`` is then started on it and killed with
SIGKILL after a random delay. Afterwards every table must be absent, byte for
byte the earlier run's, or byte for byte the reference, and the earlier and
new tables must never be found together. A final uninterrupted run on the
same folder must then equal the reference. Prints the counts; exit 1 on any
failure.
"""
from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "configs" / "ms_training.yaml"
#: Files of ``cogtrain score`` compared byte for byte, besides the HTML reports (figures in SVG are not
#: byte-stable: matplotlib writes fresh ids into them).
TABLES = ("session_scores.csv", "participant_summary.csv", "curves.csv", "sessions.csv", "adherence.csv",
          "composite_components.csv", "warnings.txt")


def cogtrain(*args: object) -> list[str]:
    """Command line of ``python -m cogtrain ARGS``."""
    return [sys.executable, "-m", "cogtrain", *map(str, args)]


def simulate(config: Path, data: Path, participants: int, sessions: int, first_seed: int) -> None:
    """Simulated sessions of the battery ``config`` for ``participants`` participants."""
    for p in range(participants):
        for s in range(sessions):
            subprocess.run(cogtrain("run", config, "--participant", f"K{p + 1}", "--simulate", "--data", data,
                                    "--seed", first_seed + 100 * p + s), check=True, capture_output=True)


def snapshot(out: Path, names: tuple[str, ...] = TABLES) -> dict[str, bytes | None]:
    """Bytes of each table and HTML report in ``out`` (None when absent)."""
    names = tuple(sorted({*names, *(str(p.relative_to(out)) for p in out.glob("report/*.html"))}))
    return {name: (out / name).read_bytes() if (out / name).is_file() else None for name in names}


def classify(found: dict[str, bytes | None], old: dict[str, bytes | None], new: dict[str, bytes | None]) -> str:
    """``old``, ``new``, ``none``, ``old-partial``, ``new-partial``, or ``BAD: ...`` for a mix or a torn file.

    A file only one run writes (a participant's report) counts when it is found: it must not be found
    beside the other run's files; its absence tells nothing.
    """
    kinds = set()
    for name, content in found.items():
        if content is None:
            if new[name] is not None and old[name] is not None:  # both runs write it: a file is missing
                kinds.add("absent")
        elif content == new[name] == old[name]:
            continue  # the same in both runs (e.g. a table with a header only): tells nothing
        elif content == new[name]:
            kinds.add("new")
        elif content == old[name]:
            kinds.add("old")
        else:
            return f"BAD: {name} is neither the earlier nor the new table"
    if {"old", "new"} <= kinds:
        return "BAD: earlier and new tables mixed"
    if kinds == {"absent"}:
        return "none"
    which = "new" if "new" in kinds else "old"
    return which if "absent" not in kinds else f"{which}-partial"


def run(kills: int, participants: int, sessions: int, seed: int, work: Path, no_report: bool,
        config: Path = CONFIG) -> dict[str, int]:
    """Prepare the study, kill ``score`` ``kills`` times, and return the outcome counts."""
    data, earlier = work / "data", work / "earlier-data"
    simulate(config, data, participants, sessions, seed)
    simulate(config, earlier, 1, 1, seed + 7)
    extra = ["--no-report"] if no_report else []
    old_out, ref_out = work / "old", work / "ref"
    subprocess.run(cogtrain("score", earlier, "--out", old_out, *extra), check=True, capture_output=True)
    clock = time.perf_counter()
    subprocess.run(cogtrain("score", data, "--out", ref_out, *extra), check=True, capture_output=True)
    full_s = time.perf_counter() - clock
    old, new = snapshot(old_out), snapshot(ref_out)
    names = tuple(sorted({*old, *new}))
    old, new = snapshot(old_out, names), snapshot(ref_out, names)
    rng = random.Random(seed)
    counts: dict[str, int] = {"attempts": 0, "killed": 0, "finished_first": 0}
    for attempt in range(kills):
        out = work / f"out{attempt}"
        shutil.copytree(old_out, out)
        proc = subprocess.Popen(cogtrain("score", data, "--out", out, *extra),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, 1.1 * full_s))
        counts["attempts"] += 1
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            counts["killed"] += 1
        else:
            counts["finished_first"] += 1
        proc.wait()
        outcome = classify(snapshot(out, names), old, new)
        counts[outcome] = counts.get(outcome, 0) + 1
        again = subprocess.run(cogtrain("score", data, "--out", out, *extra), capture_output=True, text=True)
        if again.returncode:
            print(f"attempt {attempt}: the next score failed: {again.stderr.strip()[-2000:]}", file=sys.stderr)
        recovered = snapshot(out, names) == new and not list(out.glob(".cogtrain-staging-*"))
        counts["recovered"] = counts.get("recovered", 0) + recovered
        shutil.rmtree(out)
    counts["uninterrupted_run_s"] = round(full_s, 2)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--participants", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-report", action="store_true", help="score tables only (faster)")
    parser.add_argument("--config", type=Path, default=CONFIG, help="battery simulated (default: the full one)")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kill_score-"))
    try:
        counts = run(args.kills, args.participants, args.sessions, args.seed, work, args.no_report, args.config)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    for key, value in counts.items():
        print(f"{key}: {value}")
    bad = sum(v for k, v in counts.items() if k.startswith("BAD"))
    failed = bad or counts.get("recovered", 0) != counts["attempts"]
    print("FAIL" if failed else "OK: every table absent, the earlier run's or the new run's; never mixed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
