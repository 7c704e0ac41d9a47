"""``cogtrain demo --study``: a simulated study, end to end, then its group analysis."""
from __future__ import annotations

import time
from pathlib import Path

import yaml

from cogtrain.analysis.results import analyze_study
from cogtrain.study.config import Study, load_study
from cogtrain.study.simulate import shortened, simulate_study


def simulated_study_file(study: Study, path: Path) -> Path:
    """Write the study as simulated (shortened dose, absolute battery paths) to ``path``.

    ``cogtrain analyze DATA --study path`` then reproduces the demo's analysis.
    """
    data = study.config.model_dump(mode="json", by_alias=True)
    for name, arm in data["arms"].items():
        arm["battery"] = str((study.path.parent / study.config.arms[name].battery).resolve())
    data["schedule"]["assessment"] = str((study.path.parent / study.config.schedule.assessment).resolve())
    header = (f"# {study.path} as simulated by 'cogtrain demo --study' (training dose as simulated, battery "
              "paths made absolute).\n")
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def study_demo(study_path: Path, out: Path, learning: bool = True) -> int:
    """Simulate the study in ``study_path`` into ``out/data``, analyse it into ``out/analysis`` and say where.

    Returns
    -------
    int
        Exit status (0).
    """
    study = shortened(load_study(study_path))
    sim = study.config.simulation
    out.mkdir(parents=True, exist_ok=True)
    data = out / "data"
    clock = time.perf_counter()
    print(f"simulating {study.config.name}: at least {sim.participants_per_arm} participants per arm, "
          f"{study.config.schedule.training_sessions} training sessions, "
          + ("learning rates " + ", ".join(f"{a} {r:g}" for a, r in sim.learning_rate.items())
             if learning else "no learning in any arm"))
    simulate_study(study, data, learning=learning, say=print)
    print(f"simulated in {time.perf_counter() - clock:.0f} s; data in {data}")
    copy = simulated_study_file(study, out / "study.yaml")
    results, report = analyze_study(data, study, out / "analysis")
    print(f"tables: {', '.join(p.name for p in results.tables)} in {out / 'analysis'}")
    print(f"study file as simulated: {copy}")
    print(f"group report: {report}")
    return 0
