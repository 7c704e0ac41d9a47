"""Tower of London and Tower of Hanoi: planning problems of adaptive minimum-move difficulty."""
from __future__ import annotations

from pathlib import Path

from cogtrain.task import TaskSpec
from cogtrain.tasks.tower.config import TowerSettings
from cogtrain.tasks.tower.logic import TowerRun, columns
from cogtrain.tasks.tower.metrics import METRIC_NAMES, curves, metrics

TASK = TaskSpec(
    name="tower",
    title="Tower of London / Tower of Hanoi",
    domain="planning",
    settings_model=TowerSettings,
    defaults=Path(__file__).with_name("defaults.yaml"),
    columns=columns,
    run=TowerRun,
    view="cogtrain.tasks.tower.view:TowerView",
    simulator="cogtrain.tasks.tower.simulate:TowerSimulator",
    metrics=metrics,
    curves=curves,
    metric_names=METRIC_NAMES,
    sim_ability=4.0,
)
