"""Gather a study's data for group analysis: allocations, withdrawals, sessions and scores by arm.

Arms come from the allocation log (``DATA/allocation/allocation.json``), the
authority on who is in which arm; visits from each session's ``session.json``.
Only complete sessions count as sessions done and are scored in trajectories
and outcomes; minutes are active task time (waits and breaks left out) of
every session, aborted ones included, as in the individual reports.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from cogtrain.enrolment import load_enrolment
from cogtrain.registry import all_tasks
from cogtrain.scoring.compute import compute_scores
from cogtrain.scoring.read import read_study
from cogtrain.study.allocation import AllocationLog
from cogtrain.study.config import Study

@dataclass
class StudyData:
    """A study's data, by arm.

    Attributes
    ----------
    study : Study
        The loaded study file.
    allocations : pandas.DataFrame
        The allocation log, one row per participant (the seed is never read into it).
    withdrawals : pandas.DataFrame
        participant, withdrawn (date), reason.
    sessions : pandas.DataFrame
        One row per session: participant, arm, session, visit ("" for training),
        status, started, frontend, minutes (active task time), training_number (1, 2, ... over complete
        training sessions; NaN otherwise).
    scores : pandas.DataFrame
        Scores of complete sessions: participant, arm, session, visit,
        training_number, task, metric, value.
    warnings : list of str
        Problems met while reading.
    """

    study: Study
    allocations: pd.DataFrame
    withdrawals: pd.DataFrame
    sessions: pd.DataFrame
    scores: pd.DataFrame
    warnings: list[str]


def load_study_data(data_dir: Path, study: Study) -> StudyData:
    """Read and score every session of the study's data folder and attach arms and visits.

    Raises
    ------
    CogtrainError
        If the folder has no allocation log or no sessions.
    """
    from cogtrain.errors import CogtrainError

    log = AllocationLog(data_dir)
    allocations = pd.DataFrame([asdict(a) for a in log.entries()])
    if allocations.empty:
        raise CogtrainError(f"{log.log_path}: no allocations; enrol participants with "
                            f"'cogtrain enrol ID --study {study.path}' first")
    unknown_arms = sorted(set(allocations["arm"]) - set(study.arms))
    if unknown_arms:
        raise CogtrainError(f"{log.log_path}: arms {unknown_arms} are not arms of {study.path}; "
                            "is this the study's data folder?")
    tasks = all_tasks()
    read = read_study(Path(data_dir), tasks)
    scores = compute_scores(read, tasks)
    warnings = list(read.warnings)
    arm_of = dict(zip(allocations["participant"], allocations["arm"]))
    sessions = _sessions(read.sessions, scores.sessions, arm_of, warnings)
    keys = sessions[["participant", "session", "arm", "visit", "training_number", "status"]]
    scored = scores.session_scores.merge(keys, on=["participant", "session"], how="inner")
    scored = scored[scored["status"] == "complete"].drop(columns="status").reset_index(drop=True)
    return StudyData(study, allocations, _withdrawals(Path(data_dir), allocations["participant"]),
                     sessions, scored, warnings)


def _sessions(meta: pd.DataFrame, table: pd.DataFrame, arm_of: dict[str, str], warnings: list[str]) -> pd.DataFrame:
    out = meta[["participant", "session", "visit", "arm", "status", "started", "frontend"]].copy()
    out["minutes"] = table["active_minutes"].to_numpy()
    outside = sorted(set(out["participant"]) - set(arm_of))
    if outside:
        warnings.append(f"participant(s) {', '.join(outside)} have sessions but no allocation; left out")
    out = out[out["participant"].isin(arm_of)].copy()
    logged = out["participant"].map(arm_of)
    differ = out[(out["arm"] != "") & (out["arm"] != logged)]
    for row in differ.itertuples():
        warnings.append(f"sub-{row.participant}/ses-{row.session:03d}: session.json names arm {row.arm!r}, "
                        f"the allocation log {logged[row.Index]!r}; the allocation log is used")
    out["arm"] = logged
    out = out.sort_values(["participant", "session"], ignore_index=True)
    training = (out["visit"] == "") & (out["status"] == "complete")
    out["training_number"] = training.groupby(out["participant"]).cumsum().where(training)
    return out


def _withdrawals(data_dir: Path, participants: pd.Series) -> pd.DataFrame:
    """Date and reason of every allocated participant whose record says they withdrew."""
    rows = []
    for participant in participants:
        record = load_enrolment(data_dir, participant)
        withdrawn = record.data.get("withdrawn") if record else None
        if withdrawn:
            rows.append({"participant": participant, "withdrawn": str(withdrawn.get("date", "")),
                         "reason": str(withdrawn.get("reason", ""))})
    return pd.DataFrame(rows, columns=["participant", "withdrawn", "reason"])
