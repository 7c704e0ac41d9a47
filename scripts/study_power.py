"""How often the group analysis finds an effect: simulated studies with and without learning.

Runs REPS simulated studies of a study file (default: the small study of the tests, 10 per arm,
baseline, 8 training sessions, post) with learning in the adaptive arm, and REPS without any
learning, each with another simulation seed (so another allocation and other participants). For
each, it records whether the 95 % CI of the arm × session interaction of every trajectory
measure, and of Hedges' g at the second visit of every outcome, excludes 0. Without learning
that should happen in about 5 % of studies (the false-positive rate); with learning, as often as
the design has power.

    .venv/bin/python scripts/study_power.py [--study FILE] [--reps 20]

The simulated sessions are thrown away, so their trial rows are not fsync'd (that only costs time).
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from cogtrain.analysis import tables
from cogtrain.analysis.data import load_study_data
from cogtrain.study.config import load_study
from cogtrain.study.simulate import shortened, simulate_study

REPO = Path(__file__).resolve().parent.parent


def one_study(study, seed: int, learning: bool, folder: Path) -> list[dict]:
    """Simulate and analyse one study; one row per measure: does its 95 % CI exclude 0?"""
    simulation = study.config.simulation.model_copy(update={"seed": seed})
    study = replace(study, config=study.config.model_copy(update={"simulation": simulation}))
    data_dir = folder / f"{'learning' if learning else 'null'}-{seed}"
    simulate_study(study, data_dir, learning=learning)
    data = load_study_data(data_dir, study)
    rows = []
    for measure, fit in tables.training_models(data).items():
        for _, term in fit.table[fit.table["term"].str.contains(":")].iterrows():
            rows.append({"learning": learning, "seed": seed, "what": f"session x arm: {measure}",
                         "estimate": term["estimate"], "excludes_0": not term["ci_low"] <= 0 <= term["ci_high"]})
    values = tables.outcome_values(data)
    effects = tables.effect_sizes(data, values, {arm: arm for arm in study.arms})
    second = study.config.schedule.visits[1].name
    for _, effect in effects[effects["visit"] == second].iterrows():
        rows.append({"learning": learning, "seed": seed, "what": f"Hedges' g at {second}: {effect['measure']}",
                     "estimate": effect["g"], "excludes_0": not effect["g_ci_low"] <= 0 <= effect["g_ci_high"]})
    shutil.rmtree(data_dir)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, default=REPO / "tests" / "data" / "study" / "study.yaml")
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    os.fsync = lambda fd: None  # throwaway data: durability is not what is measured here
    study = shortened(load_study(args.study))
    clock = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(1, args.reps + 1):
            for learning in (True, False):
                rows += one_study(study, seed, learning, Path(tmp))
            print(f"study {seed} of {args.reps} with and without learning done "
                  f"({time.perf_counter() - clock:.0f} s)", flush=True)
    table = pd.DataFrame(rows)
    summary = table.groupby(["learning", "what"]).agg(studies=("seed", "size"),
                                                      ci_excludes_0=("excludes_0", "sum"),
                                                      mean_estimate=("estimate", "mean"))
    summary["rate"] = summary["ci_excludes_0"] / summary["studies"]
    print(f"\n{args.study}: {args.reps} simulated studies with learning, {args.reps} without")
    print(summary.to_string(float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
