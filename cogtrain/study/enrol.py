"""Enrolment in a study: allocate an arm and a task order, and record them."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cogtrain.study.allocation import Allocation, AllocationLog
from cogtrain.study.config import Study


def enrol_in_study(study: Study, data_dir: Path, participant: str, strata: dict[str, str],
                   now: datetime | None = None) -> Allocation:
    """Allocate ``participant`` (stratum from ``strata``) and log the allocation.

    Raises
    ------
    UsageError
        If the participant is already allocated or the strata do not fit the study.
    """
    return AllocationLog(data_dir).allocate(study, participant, strata, now=now)
