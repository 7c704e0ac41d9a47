"""A simulated two-arm study, analysed: learning only in the adaptive arm is found; no learning, nothing is."""
import html
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from cogtrain.cli import main

INTERACTION = "session:C(arm, Treatment('control'))[T.training]"
POST_X_ARM = "C(visit, Treatment('baseline'))[T.post]:C(arm, Treatment('control'))[T.training]"


def table(study: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(study / "analysis" / name)


def test_the_simulated_study_has_the_planned_shape(learning_study):
    flow = table(learning_study, "flow.csv").pivot(index="step", columns="arm", values="n")
    assert (flow.loc["allocated"] >= 10).all()
    for step in ("baseline visit attended", "completed the training dose (8 sessions)", "post visit attended"):
        assert (flow.loc[step] == flow.loc["allocated"]).all()
    sessions = table(learning_study, "study_sessions.csv")
    per = sessions.groupby("participant").agg(n=("session", "size"), visits=("visit", lambda v: v.dropna().tolist()))
    assert (per["n"] == 10).all() and all(v == ["baseline", "post"] for v in per["visits"])
    allocation = json.loads((learning_study / "data" / "allocation" / "allocation.json").read_text())
    assert len(allocation["allocations"]) == flow.loc["allocated"].sum()
    records = [json.loads(p.read_text()) for p in sorted((learning_study / "data").glob("sub-*/ses-*/session.json"))]
    assert {r["arm"] for r in records} == {"training", "control"}


def test_learning_gives_a_positive_arm_by_session_interaction(learning_study):
    models = table(learning_study, "training_models.csv").set_index(["measure", "term"])
    row = models.loc[("nback.mean_n_level", INTERACTION)]
    assert row["estimate"] > 0 and row["ci_low"] > 0 and row["p"] < 0.05
    assert row["formula"] == "value ~ session * C(arm, Treatment('control'))"


def test_learning_gives_an_arm_difference_at_post_in_the_right_direction(learning_study):
    effects = table(learning_study, "effect_sizes.csv").set_index(["measure", "visit"])
    for measure in ("nback.dprime", "nback.accuracy"):
        row = effects.loc[(measure, "post")]
        assert row["g"] > 0 and row["g_ci_low"] > 0 and row["favours"] == "Adaptive training"
    models = table(learning_study, "outcome_models.csv").set_index(["measure", "term"])
    assert models.loc[("nback.dprime", POST_X_ARM), "ci_low"] > 0


def test_no_learning_finds_nothing_beyond_chance(null_study):
    models = table(null_study, "training_models.csv").set_index(["measure", "term"])
    row = models.loc[("nback.mean_n_level", INTERACTION)]
    assert row["ci_low"] < 0 < row["ci_high"]
    effects = table(null_study, "effect_sizes.csv")
    assert ((effects["g_ci_low"] < 0) & (effects["g_ci_high"] > 0)).all()
    assert (effects["favours"] == "neither (95% CI of g includes 0)").all()
    outcome_models = table(null_study, "outcome_models.csv").set_index(["measure", "term"])
    assert outcome_models.loc[("nback.dprime", POST_X_ARM), "p"] > 0.05


def test_training_model_equals_a_statsmodels_fit_of_the_tidy_scores(learning_study):
    sessions = table(learning_study, "study_sessions.csv")
    scores = pd.concat(pd.read_csv(p) for p in (learning_study / "data").glob("sub-*/ses-*/nback.csv"))
    scores = scores[scores["practice"] == 0]
    level = scores.groupby(["participant", "session", "block"])["n_level"].first() \
        .groupby(["participant", "session"]).mean().rename("value").reset_index()
    level["participant"] = level["participant"].astype(str)
    data = level.merge(sessions[sessions["training_number"].notna()], on=["participant", "session"])
    data["session"] = data["training_number"] - 1
    fit = smf.mixedlm("value ~ session * C(arm, Treatment('control'))", data, groups=data["participant"],
                      re_formula="~session").fit(reml=True)
    ours = table(learning_study, "training_models.csv")
    ours = ours[ours["measure"] == "nback.mean_n_level"].set_index("term")
    if ours["note"].isna().all():
        assert ours.loc[fit.fe_params.index, "estimate"].to_numpy() == pytest.approx(fit.fe_params.to_numpy(), abs=1e-6)
    else:  # the analysis fell back to random intercepts and says so
        fit = smf.mixedlm("value ~ session * C(arm, Treatment('control'))", data,
                          groups=data["participant"]).fit(reml=True)
        assert ours.loc[fit.fe_params.index, "estimate"].to_numpy() == pytest.approx(fit.fe_params.to_numpy(), abs=1e-6)
    assert ours.loc[fit.fe_params.index, "p"].to_numpy() == pytest.approx(fit.pvalues.loc[fit.fe_params.index]
                                                                          .to_numpy(), abs=1e-6)


def test_effect_size_equals_a_hand_computation_from_the_outcome_table(learning_study):
    values = table(learning_study, "outcomes.csv")
    post = values[(values["measure"] == "nback.dprime") & (values["visit"] == "post")]
    a = post.loc[post["arm"] == "training", "change"].to_numpy()
    b = post.loc[post["arm"] == "control", "change"].to_numpy()
    pooled = np.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
    d = (a.mean() - b.mean()) / pooled
    g = d * (1 - 3 / (4 * (len(a) + len(b)) - 9))
    effects = table(learning_study, "effect_sizes.csv").set_index(["measure", "visit"])
    assert effects.loc[("nback.dprime", "post"), "g"] == pytest.approx(g)


def test_sample_based_rci_equals_a_hand_computation(learning_study):
    values = table(learning_study, "outcomes.csv")
    post = values[(values["measure"] == "nback.accuracy") & (values["visit"] == "post")]
    sd = post["baseline"].std(ddof=1)
    control = post[post["arm"] == "control"]
    r = np.corrcoef(control["baseline"], control["value"])[0, 1]
    expected = (post["value"] - post["baseline"]) / np.sqrt(2 * (sd * np.sqrt(1 - r)) ** 2)
    responders = table(learning_study, "responders.csv")
    ours = responders[(responders["measure"] == "nback.accuracy") & (responders["visit"] == "post")]
    assert ours["rci"].to_numpy() == pytest.approx(expected.to_numpy())
    assert ours["rci_reference"].str.startswith("sample-based").all()
    summary = table(learning_study, "responder_summary.csv")
    assert set(summary.columns) >= {"improved", "no_reliable_change", "declined", "pct_improved"}


def test_the_group_report_says_what_it_shows(learning_study):
    page = html.unescape((learning_study / "analysis" / "group_report.html").read_text())
    for text in ("these are not real people's results", "Hedges' g", "higher is better", "sample-based",
                 "value ~ session * C(arm, Treatment('control'))", "random intercept", "not an effect of the dose",
                 "Assessment outcomes: untrained tasks (transfer)", "Adaptive training", "Active control"):
        assert text in page, text
    assert ">nan<" not in page.lower()  # missing values are empty cells, never "nan"
    figures = sorted(p.name for p in (learning_study / "analysis" / "figures").glob("*.png"))
    assert "trajectory_nback.mean_n_level.png" in figures and "outcome_nback.dprime.png" in figures


def test_analyze_reproduces_the_demo_from_the_study_file_it_wrote(learning_study, tmp_path, capsys):
    assert main(["analyze", str(learning_study / "data"), "--study", str(learning_study / "study.yaml"),
                 "--out", str(tmp_path)]) == 0
    assert "group report:" in capsys.readouterr().out
    assert table(learning_study, "effect_sizes.csv").equals(pd.read_csv(tmp_path / "effect_sizes.csv"))


def test_analyze_without_allocations_says_how_to_enrol(tmp_path, capsys):
    (tmp_path / "data" / "sub-P1" / "ses-001").mkdir(parents=True)
    study = Path(__file__).resolve().parent.parent / "data" / "study" / "study.yaml"
    assert main(["analyze", str(tmp_path / "data"), "--study", str(study), "--out", str(tmp_path / "o")]) == 1
    assert "no allocations; enrol participants with 'cogtrain enrol ID --study" in capsys.readouterr().err


def test_withdrawals_count_in_the_flow(learning_copy, tmp_path):
    participant = sorted(p.name[4:] for p in (learning_copy / "data").glob("sub-*"))[0]
    assert main(["participant", participant, "--withdraw", "--reason", "fatigue",
                 "--data", str(learning_copy / "data")]) == 0
    assert main(["analyze", str(learning_copy / "data"), "--study", str(learning_copy / "study.yaml"),
                 "--out", str(tmp_path / "out")]) == 0
    flow = (tmp_path / "out" / "flow.csv").read_text()
    assert ",withdrawn,1" in flow
    assert "fatigue" in (tmp_path / "out" / "withdrawals.csv").read_text()


@pytest.fixture
def learning_copy(learning_study, tmp_path):
    shutil.copytree(learning_study, tmp_path / "copy", ignore=shutil.ignore_patterns("analysis"))
    return tmp_path / "copy"
