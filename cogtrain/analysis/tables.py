"""The tables of the group analysis, each a tidy DataFrame computed from :class:`StudyData`.

Flow and adherence, training trajectories and their mixed model, assessment
outcomes (change from baseline, Hedges' g, group × time model), reliable
change responders and dose-response.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from scipy import stats

from cogtrain.analysis.data import StudyData
from cogtrain.analysis.stats import MixedFit, fit_mixed, hedges_g, mean_ci, sample_reliability
from cogtrain.registry import all_tasks
from cogtrain.scoring.labels import metric_info
from cogtrain.task import DIRECTION_TEXT
from cogtrain.task import Metric
from cogtrain.scoring.reliable import RCI_CRITICAL, reliable_change_index

TRAINED, TRANSFER = "trained", "untrained (transfer)"


def split_metric(name: str) -> tuple[str, str]:
    """``"nback.dprime"`` → ``("nback", "dprime")``."""
    task, _, metric = name.partition(".")
    return task, metric


def metric(name: str) -> Metric:
    """The declaration of ``"task.metric"`` (label, unit, direction)."""
    return metric_info(all_tasks(), *split_metric(name))


def direction(name: str) -> int:
    """+1 higher is better, -1 lower is better, 0 neither, for ``"task.metric"``."""
    return metric(name).sign


def direction_text(name: str) -> str:
    """The direction of ``"task.metric"`` in words."""
    return DIRECTION_TEXT[metric(name).direction]


def training_metrics(data: StudyData) -> list[str]:
    """Configured trajectory metrics, else the first metric of each trained task."""
    return data.study.config.analysis.training or _first_metrics(data, trained_tasks(data))


def outcome_metrics(data: StudyData) -> list[str]:
    """Configured outcome metrics, else the first metric of each assessment task."""
    return data.study.config.analysis.outcomes or _first_metrics(data, data.study.assessment.task_names)


def _first_metrics(data: StudyData, tasks: list[str]) -> list[str]:
    present = data.scores[["task", "metric"]].drop_duplicates()
    out = []
    for task in tasks:
        metrics = present.loc[present["task"] == task, "metric"].tolist()
        if metrics:
            out.append(f"{task}.{metrics[0]}")
    return out


def trained_tasks(data: StudyData) -> list[str]:
    """Tasks any arm trains."""
    return sorted({task for battery in data.study.arms.values() for task in battery.task_names})


def outcome_kind(data: StudyData, name: str) -> str:
    """Whether the outcome's task is trained by some arm or untrained (transfer)."""
    return TRAINED if split_metric(name)[0] in trained_tasks(data) else TRANSFER


def _select(scores: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    keys = scores["task"] + "." + scores["metric"]
    return scores[keys.isin(names)].assign(measure=keys[keys.isin(names)])


def flow(data: StudyData) -> pd.DataFrame:
    """CONSORT-style flow per arm: allocated, each visit attended, training started and completed, withdrawn.

    Returns
    -------
    pandas.DataFrame
        arm, step, n (steps in the order of a CONSORT diagram).
    """
    study = data.study
    dose = study.config.schedule.training_sessions
    visits = [v.name for v in study.config.schedule.visits]
    sessions = data.sessions[data.sessions["status"] == "complete"]
    trained = sessions.groupby("participant")["training_number"].max()
    withdrawn = set(data.withdrawals["participant"])
    rows = []
    for arm in study.arms:
        members = set(data.allocations.loc[data.allocations["arm"] == arm, "participant"])
        done = trained.reindex(sorted(members)).fillna(0)
        attended = {v: set(sessions.loc[sessions["visit"] == v, "participant"]) & members for v in visits}
        steps = [("allocated", len(members)),
                 (f"{visits[0]} visit attended", len(attended[visits[0]])),
                 ("started training (1 or more sessions)", int((done >= 1).sum())),
                 (f"completed the training dose ({dose} sessions)", int((done >= dose).sum()) if dose else 0)]
        steps += [(f"{v} visit attended", len(attended[v])) for v in visits[1:]]
        steps.append(("withdrawn", len(members & withdrawn)))
        rows += [{"arm": arm, "step": step, "n": n} for step, n in steps]
    return pd.DataFrame(rows)


def adherence(data: StudyData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training dose per participant and its summary per arm.

    Returns
    -------
    tuple of pandas.DataFrame
        Per participant: participant, arm, training_sessions (complete),
        planned_sessions, pct_of_dose, training_minutes (all training
        sessions, aborted ones included). Per arm: arm, n, mean and SD of
        sessions, of percent of dose and of minutes.
    """
    dose = data.study.config.schedule.training_sessions
    training = data.sessions[data.sessions["visit"] == ""]
    per = data.allocations[["participant", "arm"]].copy()
    complete = training[training["status"] == "complete"].groupby("participant").size()
    minutes = training.groupby("participant")["minutes"].sum(min_count=1)
    per["training_sessions"] = per["participant"].map(complete).fillna(0).astype(int)
    per["planned_sessions"] = dose
    per["pct_of_dose"] = 100 * per["training_sessions"] / dose if dose else math.nan
    per["training_minutes"] = per["participant"].map(minutes).fillna(0.0)
    summary = per.groupby("arm", sort=False).agg(
        n=("participant", "size"),
        sessions_mean=("training_sessions", "mean"), sessions_sd=("training_sessions", "std"),
        pct_of_dose_mean=("pct_of_dose", "mean"), pct_of_dose_sd=("pct_of_dose", "std"),
        minutes_mean=("training_minutes", "mean"), minutes_sd=("training_minutes", "std")).reset_index()
    return per, summary


def trajectories(data: StudyData) -> pd.DataFrame:
    """Mean with 95 % CI per arm, metric and training session.

    Returns
    -------
    pandas.DataFrame
        measure, arm, training_session, n, mean, sd, ci_low, ci_high, direction.
    """
    scores = _select(data.scores.dropna(subset=["training_number", "value"]), training_metrics(data))
    rows = []
    for (measure, arm, number), group in scores.groupby(["measure", "arm", "training_number"], sort=True):
        n, mean, sd, low, high = mean_ci(group["value"].to_numpy())
        rows.append({"measure": measure, "arm": arm, "training_session": int(number), "n": n, "mean": mean,
                     "sd": sd, "ci_low": low, "ci_high": high, "direction": direction_text(measure)})
    return pd.DataFrame(rows, columns=["measure", "arm", "training_session", "n", "mean", "sd", "ci_low",
                                       "ci_high", "direction"])


def training_models(data: StudyData) -> dict[str, MixedFit]:
    """Per trajectory metric: value ~ session * arm, random intercept and slope per participant.

    ``session`` counts complete training sessions from 0 (the first), so the
    arm terms compare arms at the first session and the interaction terms
    compare slopes (change per session) with the reference arm.
    """
    ref = data.study.reference_arm
    scores = _select(data.scores.dropna(subset=["training_number", "value"]), training_metrics(data))
    models = {}
    for measure, group in scores.groupby("measure", sort=True):
        frame = group.assign(session=group["training_number"] - 1)[["participant", "arm", "session", "value"]]
        if frame["arm"].nunique() < 2 or frame["session"].nunique() < 2:
            continue
        models[measure] = fit_mixed(frame, f"value ~ session * C(arm, Treatment({ref!r}))", "~session")
    return models


def outcome_values(data: StudyData) -> pd.DataFrame:
    """Outcome values per participant and visit, with change from baseline.

    Returns
    -------
    pandas.DataFrame
        participant, arm, measure, visit, value, baseline, change, kind, visit_number.
    """
    visits = [v.name for v in data.study.config.schedule.visits]
    scores = _select(data.scores[data.scores["visit"] != ""], outcome_metrics(data)).dropna(subset=["value"])
    scores = scores.drop_duplicates(["participant", "measure", "visit"], keep="last")
    baseline = scores[scores["visit"] == visits[0]].set_index(["participant", "measure"])["value"]
    out = scores[["participant", "arm", "measure", "visit", "value"]].copy()
    out["baseline"] = [baseline.get((p, m), math.nan) for p, m in zip(out["participant"], out["measure"])]
    out["change"] = out["value"] - out["baseline"]
    out["kind"] = out["measure"].map(lambda m: outcome_kind(data, m))
    out["visit_number"] = out["visit"].map({v: i + 1 for i, v in enumerate(visits)})
    return out.sort_values(["measure", "visit_number", "arm", "participant"], ignore_index=True)


def outcome_summary(values: pd.DataFrame) -> pd.DataFrame:
    """Per measure, visit and arm: n, mean value and mean change from baseline, each with its 95 % CI."""
    rows = []
    for (measure, visit, arm), group in values.groupby(["measure", "visit", "arm"], sort=False):
        n, mean, _, low, high = mean_ci(group["value"].to_numpy())
        n_change, change, sd_change, c_low, c_high = mean_ci(group["change"].to_numpy())
        rows.append({"measure": measure, "kind": group["kind"].iloc[0], "visit": visit, "arm": arm, "n": n,
                     "mean": mean, "ci_low": low, "ci_high": high, "n_change": n_change, "change_mean": change,
                     "change_sd": sd_change, "change_ci_low": c_low, "change_ci_high": c_high,
                     "direction": direction_text(measure)})
    return pd.DataFrame(rows)


def effect_sizes(data: StudyData, values: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Between-arm difference in change from baseline at each later visit: each arm against the reference.

    ``difference`` and ``g`` are arm minus reference; ``favours`` reads them
    with the measure's direction and names neither arm when the CI of g
    includes 0.
    """
    ref = data.study.reference_arm
    visits = [v.name for v in data.study.config.schedule.visits][1:]
    rows = []
    for measure in values["measure"].unique():
        for visit in visits:
            own = values[(values["measure"] == measure) & (values["visit"] == visit)]
            for arm in data.study.arms:
                if arm == ref:
                    continue
                effect = hedges_g(own.loc[own["arm"] == arm, "change"].to_numpy(),
                                  own.loc[own["arm"] == ref, "change"].to_numpy())
                rows.append({"measure": measure, "kind": outcome_kind(data, measure), "visit": visit, "arm": arm,
                             "reference": ref, **effect.__dict__, "direction": direction_text(measure),
                             "favours": _favours(effect.g, effect.g_ci_low, effect.g_ci_high, direction(measure),
                                                 labels[arm], labels[ref])})
    return pd.DataFrame(rows)


def _favours(g: float, low: float, high: float, better: int, arm: str, ref: str) -> str:
    if not np.isfinite(g):
        return "not estimable (fewer than 2 per arm)"
    if low <= 0 <= high:
        return "neither (95% CI of g includes 0)"
    if better == 0:
        return "no better direction defined"
    return arm if g * better > 0 else ref


def outcome_models(data: StudyData, values: pd.DataFrame) -> dict[str, MixedFit]:
    """Per outcome: value ~ visit * arm with a random intercept per participant (group × time)."""
    ref = data.study.reference_arm
    baseline = data.study.config.schedule.visits[0].name
    models = {}
    for measure, group in values.groupby("measure", sort=False):
        if group["arm"].nunique() < 2 or group["visit"].nunique() < 2:
            continue
        frame = group[["participant", "arm", "visit", "value"]]
        models[measure] = fit_mixed(frame, f"value ~ C(visit, Treatment({baseline!r})) * "
                                           f"C(arm, Treatment({ref!r}))", None)
    return models


def responders(data: StudyData, values: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reliable change (Jacobson & Truax RCI) of each participant from baseline to each later visit.

    The reference SD and test-retest reliability come from the study's
    ``reliable_change`` setting when given; otherwise they are sample-based:
    the SD of every participant's baseline and the Pearson correlation of
    baseline and the visit in the reference (control) arm.

    Returns
    -------
    tuple of pandas.DataFrame
        Per participant (participant, arm, measure, visit, change, rci,
        classification, reference_sd, reliability, rci_reference) and per arm
        (measure, visit, arm, n, improved, no_reliable_change, declined,
        pct_improved, rci_reference).
    """
    configured = data.study.config.reliable_change.root
    ref_arm = data.study.reference_arm
    per_rows = []
    for (measure, visit), group in values[values["visit"] != data.study.config.schedule.visits[0].name] \
            .groupby(["measure", "visit"], sort=False):
        group = group.dropna(subset=["change"])
        if measure in configured:
            value = configured[measure]
            sd, r, practice = value.sd, value.reliability, value.practice_effect or 0.0
            source = f"published: {value.source}"
        else:
            sd = float(np.std(group["baseline"].dropna().to_numpy(), ddof=1)) if group["baseline"].notna().sum() > 1 \
                else math.nan
            control = group[group["arm"] == ref_arm]
            r, practice = sample_reliability(control["baseline"].to_numpy(), control["value"].to_numpy()), 0.0
            source = (f"sample-based: SD of baselines (n={group['baseline'].notna().sum()}), test-retest r of "
                      f"the {ref_arm} arm, baseline to {visit} (n={len(control)})")
        usable = np.isfinite(sd) and sd > 0 and np.isfinite(r) and 0 <= r < 1
        rci = reliable_change_index(group["baseline"], group["value"], sd, r, practice) if usable \
            else np.full(len(group), math.nan)
        better = direction(measure)
        for (_, row), value_rci in zip(group.iterrows(), np.atleast_1d(rci)):
            per_rows.append({"participant": row["participant"], "arm": row["arm"], "measure": measure,
                             "visit": visit, "change": row["change"], "rci": value_rci,
                             "classification": _classify(value_rci, better), "reference_sd": sd,
                             "reliability": r, "rci_reference": source if usable else
                             f"{source}; RCI not computed (SD {sd:.3g}, r {r:.3g}: needs SD > 0 and 0 <= r < 1)"})
    per = pd.DataFrame(per_rows, columns=["participant", "arm", "measure", "visit", "change", "rci",
                                          "classification", "reference_sd", "reliability", "rci_reference"])
    summary = []
    for (measure, visit, arm), group in per.groupby(["measure", "visit", "arm"], sort=False):
        counts = group["classification"].value_counts()
        n = int(group["rci"].notna().sum())
        improved = int(counts.get("improved", 0))
        shown = (lambda count: count) if n else (lambda count: math.nan)  # no RCI: no counts, not zeros
        summary.append({"measure": measure, "visit": visit, "arm": arm, "n": n, "improved": shown(improved),
                        "no_reliable_change": shown(int(counts.get("no reliable change", 0))),
                        "declined": shown(int(counts.get("declined", 0))),
                        "changed_no_direction": shown(int(counts.get("changed", 0))),
                        "pct_improved": 100 * improved / n if n else math.nan,
                        "rci_reference": group["rci_reference"].iloc[0]})
    counts = ["improved", "no_reliable_change", "declined", "changed_no_direction"]
    summary_table = pd.DataFrame(summary, columns=["measure", "visit", "arm", "n", *counts, "pct_improved",
                                                   "rci_reference"])
    return per, summary_table.astype({column: "Int64" for column in counts})


def _classify(rci: float, better: int) -> str:
    if not np.isfinite(rci):
        return "not computed"
    if abs(rci) <= RCI_CRITICAL:
        return "no reliable change"
    if better == 0:
        return "changed"
    return "improved" if rci * better > 0 else "declined"


def dose_response(data: StudyData, values: pd.DataFrame, per_participant: pd.DataFrame) -> tuple[pd.DataFrame,
                                                                                                 pd.DataFrame]:
    """Minutes of training against change from baseline at the second visit, per arm (Spearman's rho).

    Returns
    -------
    tuple of pandas.DataFrame
        Points (participant, arm, measure, training_minutes, change) and per
        measure and arm: n, rho, p.
    """
    visit = data.study.config.schedule.visits[1].name if len(data.study.config.schedule.visits) > 1 else None
    points = values[values["visit"] == visit].dropna(subset=["change"])
    points = points.merge(per_participant[["participant", "training_minutes"]], on="participant", how="left")
    points = points[["participant", "arm", "measure", "visit", "training_minutes", "change"]]
    rows = []
    for (measure, arm), group in points.groupby(["measure", "arm"], sort=False):
        n = len(group)
        if n >= 3 and group["training_minutes"].nunique() > 1 and group["change"].nunique() > 1:
            result = stats.spearmanr(group["training_minutes"], group["change"])
            rho, p = float(result.statistic), float(result.pvalue)
        else:
            rho = p = math.nan
        rows.append({"measure": measure, "arm": arm, "visit": visit, "n": n, "spearman_rho": rho, "p": p})
    return points.reset_index(drop=True), pd.DataFrame(rows)


def model_table(models: dict[str, MixedFit], labels: dict[str, str]) -> pd.DataFrame:
    """Every model's fixed effects in one tidy table, with readable term names."""
    parts = []
    for measure, fit in models.items():
        table = fit.table.assign(measure=measure, term_label=fit.table["term"].map(lambda t: term_label(t, labels)),
                                 formula=fit.formula, random_effects=fit.random, n_participants=fit.n_participants,
                                 n_observations=fit.n_observations, converged=fit.converged, note=fit.note)
        parts.append(table)
    columns = ["measure", "term", "term_label", "estimate", "se", "ci_low", "ci_high", "p", "formula",
               "random_effects", "n_participants", "n_observations", "converged", "note"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


_FACTOR = re.compile(r"C\((\w+), Treatment\('([^']*)'\)\)\[T\.([^\]]+)\]")


def term_label(term: str, labels: dict[str, str]) -> str:
    """A model term in words, e.g. ``session:C(arm, Treatment('control'))[T.training]`` →
    ``session × arm (Adaptive training vs Active control)``.
    """
    def factor(match: re.Match) -> str:
        name, reference, level = match.groups()
        return f"{name} ({labels.get(level, level)} vs {labels.get(reference, reference)})"

    return _FACTOR.sub(factor, term).replace(":", " × ")
