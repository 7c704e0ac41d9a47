"""A whole study, simulated: enrolment, allocation, visits and training by simulated participants.

Each simulated participant gets starting abilities spread around the study's
simulated abilities and learns at their arm's ``learning_rate`` per training
session (:class:`cogtrain.simulate.ParticipantModel`). What each participant
does next is decided by the study's schedule (:func:`cogtrain.study.schedule.next_due`),
exactly as for real participants; sessions are dated as the plan would
space them (back-dated so that every visit has happened by today).
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from cogtrain.cli import simulated_factory
from cogtrain.registry import all_tasks
from cogtrain.session import SessionRequest, run_session
from cogtrain.study.allocation import AllocationLog
from cogtrain.study.config import Study
from cogtrain.study.enrol import enrol_in_study
from cogtrain.study.schedule import PastSession, next_due

#: Days between the enrolments of consecutive simulated participants.
ENROLMENT_GAP_DAYS = 2
#: Lowest starting ability, as a share of the mean (keeps every simulated ability positive).
MIN_ABILITY_SHARE = 0.3


@dataclass(frozen=True)
class SimulatedParticipant:
    """A simulated participant: ID, strata and starting ability per task."""

    participant: str
    strata: dict[str, str]
    abilities: dict[str, float]


def shortened(study: Study) -> Study:
    """The study with each training dose cut to ``simulation.training_sessions`` (if set)."""
    cap = study.config.simulation.training_sessions
    if cap is None:
        return study
    visits = [v.model_copy(update={"training_before": min(v.training_before, cap)})
              for v in study.config.schedule.visits]
    schedule = study.config.schedule.model_copy(update={"visits": visits})
    return replace(study, config=study.config.model_copy(update={"schedule": schedule}))


def simulated_participants(study: Study, count: int, rng: np.random.Generator) -> list[SimulatedParticipant]:
    """``count`` participants with random strata and starting abilities.

    Starting ability per task = mean × (1 + ``ability_spread`` × z), z standard
    normal, at least :data:`MIN_ABILITY_SHARE` of the mean. The mean is the
    study's ``simulation.ability``, else the training batteries', else the task's default.
    """
    sim = study.config.simulation
    means: dict[str, float] = {name: spec.sim_ability for name, spec in all_tasks().items()}
    for battery in study.arms.values():
        means.update(battery.config.simulation.ability)
    means.update(sim.ability)
    out = []
    for i in range(count):
        strata = {factor: str(rng.choice(levels)) for factor, levels in study.config.allocation.strata.items()}
        abilities = {task: max(MIN_ABILITY_SHARE * mean, mean * (1 + sim.ability_spread * rng.standard_normal()))
                     for task, mean in sorted(means.items())}
        out.append(SimulatedParticipant(f"S{i + 1:03d}", strata, abilities))
    return out


def simulate_study(study: Study, data_dir: Path, learning: bool = True, today: date | None = None,
                   say: Callable[[str], None] = lambda line: None) -> list[str]:
    """Enrol simulated participants until every arm has ``participants_per_arm``, and run their schedules.

    Allocation runs in enrolment order; the participants' sessions then run in
    parallel processes (one per core).

    Parameters
    ----------
    study : Study
        The loaded study (its ``simulation`` section sets the simulated participants).
    data_dir : Path
        Data folder to write (allocation log, participant records, sessions).
    learning : bool, optional
        False: nobody learns, whatever the arms' learning rates (the null study).
    today : date, optional
        The last possible session date (default: today).
    say : callable, optional
        Receives one progress line per participant.

    Returns
    -------
    list of str
        The participant IDs, in enrolment order.
    """
    study = shortened(study)
    sim = study.config.simulation
    rng = np.random.default_rng(sim.seed)
    today = today or datetime.now(timezone.utc).date()
    per_arm = {arm: 0 for arm in study.arms}
    span = _study_days(study)
    pool = iter(simulated_participants(study, 10 * sim.participants_per_arm * len(study.arms) + 10, rng))
    AllocationLog(data_dir).create_seed(sim.seed)  # a simulated study is allocated reproducibly
    jobs: list[tuple] = []
    while min(per_arm.values()) < sim.participants_per_arm:
        person = next(pool)
        start = today - timedelta(days=span + ENROLMENT_GAP_DAYS * (4 * sim.participants_per_arm - len(jobs)))
        allocation = enrol_in_study(study, data_dir, person.participant, person.strata,
                                    now=datetime.combine(start, time(9), timezone.utc))
        per_arm[allocation.arm] += 1
        rate = sim.learning_rate.get(allocation.arm, 0.0) if learning else 0.0
        jobs.append((study, data_dir, person, allocation.arm, allocation.task_order, rate, start))
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool_:
            counts = list(pool_.map(_run_schedule, *zip(*jobs)))
    else:
        counts = [_run_schedule(*job) for job in jobs]
    for (_, _, person, arm, *_), sessions in zip(jobs, counts):
        say(f"{person.participant}: {study.arm_label(arm)}, {sessions} sessions")
    return [job[2].participant for job in jobs]


def _study_days(study: Study) -> int:
    """Days from baseline to the last visit's window end (upper bound of one participant's study)."""
    last = study.config.schedule.visits[-1]
    return last.day + last.window[1] + 1


def _run_schedule(study: Study, data_dir: Path, person: SimulatedParticipant, arm: str, order: list[str],
                  learning_rate: float, start: date) -> int:
    """Run every session the schedule asks of one participant; return how many."""
    per_week = study.arms[arm].config.plan.sessions_per_week
    past: list[PastSession] = []
    day = float(0)
    while True:
        when = start + timedelta(days=int(day))
        due = next_due(study, arm, past, when)
        if due.kind == "done":
            return len(past)
        if due.kind == "wait":
            visit = next(v for v in study.config.schedule.visits if v.name == due.visit)
            baseline = past[0].day
            day = float((baseline + timedelta(days=visit.day) - start).days)
            continue
        number = len(past) + 1
        practice = sum(1 for s in past if s.visit is None)
        factory = simulated_factory(due.battery, person.abilities,
                                    start_wall=lambda _: datetime.combine(when, time(10), timezone.utc),
                                    learning_rate=learning_rate, practice=practice)
        request = SessionRequest(participant=person.participant, data_dir=data_dir, session=number,
                                 seed=int(np.random.SeedSequence([study.config.simulation.seed, number,
                                                                  int(person.participant[1:])])
                                          .generate_state(1)[0] >> 1),
                                 task_order=None if due.visit else tuple(order), arm=arm, visit=due.visit)
        outcome = run_session(due.battery, request, factory)
        past.append(PastSession(outcome.session, when, due.visit))
        day += 1.0 if due.visit else 7.0 / per_week
