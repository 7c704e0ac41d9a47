"""Tower of London and Tower of Hanoi: planning problems of adaptive minimum-move difficulty."""
from __future__ import annotations

from pathlib import Path

from cogtrain.task import TaskSpec
from cogtrain.tasks.tower.config import TowerSettings
from cogtrain.tasks.tower.declarations import COLUMNS, CURVES, METRICS
from cogtrain.tasks.tower.logic import TowerSession, columns
from cogtrain.tasks.tower.metrics import curves, metrics

TASK = TaskSpec(
    name="tower",
    title="Tower of London / Tower of Hanoi",
    domain="planning",
    settings_model=TowerSettings,
    defaults=Path(__file__).with_name("defaults.yaml"),
    log_columns=columns,
    session=TowerSession,
    view="cogtrain.tasks.tower.view:TowerView",
    simulator="cogtrain.tasks.tower.simulate:TowerSimulator",
    compute_metrics=metrics,
    compute_curves=curves,
    metrics=METRICS,
    columns=COLUMNS,
    curves=CURVES,
    sim_ability=4.0,
)
