"""``cogtrain run configs/recall.yaml --participant P3 --simulate`` over several sessions, then scoring."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cogtrain.cli import main
from cogtrain.tasks.recall import TASK
from cogtrain.tasks.recall.logic import COLUMNS
from cogtrain.tasks.recall.scoring import RULES
from cogtrain.triallog import COMMON_COLUMNS

CONFIG = Path(__file__).resolve().parents[3] / "configs" / "recall.yaml"
SESSIONS = 3


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    for _ in range(SESSIONS):
        assert main(["run", str(CONFIG), "--participant", "P3", "--simulate", "--data", str(data),
                     "--sim-ability", "recall=9"]) == 0
    return data


def _logs(data_dir: Path) -> pd.DataFrame:
    paths = sorted(data_dir.glob("sub-P3/ses-*/recall.csv"))
    assert len(paths) == SESSIONS
    return pd.concat([pd.read_csv(p, keep_default_na=False, na_values=[""]) for p in paths], ignore_index=True)


def test_logs_follow_the_file_contract(data_dir: Path) -> None:
    df = _logs(data_dir)
    assert list(df.columns) == list(COMMON_COLUMNS) + list(COLUMNS)
    assert set(df["phase"]) == {"immediate", "delayed"} and set(df["trial_type"]) == {"study", "recall"}
    recall = df.loc[df["test"].eq("recall") & df["trial_type"].eq("recall")]
    assert set(recall["scoring_rule"]) <= set(RULES)
    assert recall["raw_response"].notna().all() and df["position"].ge(1).all()
    study = df.loc[df["trial_type"].eq("study")]
    assert study["scoring_rule"].isna().all() and study["phase"].eq("immediate").all()
    # list numbers: each study set once per session; a delayed recall names a studied list
    sets = study.groupby(["session", "list"])["learning_trial"].nunique()
    assert (sets == 1).all()
    delayed = df.loc[df["phase"].eq("delayed") & df["test"].eq("recall")]
    assert set(zip(delayed["session"], delayed["list"])) <= set(sets.index)
    assert delayed["delay_s"].ge(300).all()
    recognition = df.loc[df["test"].eq("recognition")]
    assert set(recognition["probe"]) == {"old", "new"} and recognition["scoring_rule"].isna().all()
    assert recognition["trial_type"].eq("recall").all() and recognition["phase"].eq("delayed").all()


def test_rows_in_time_order_and_delayed_block_last(data_dir: Path) -> None:
    df = _logs(data_dir)
    for _, ses in df.groupby("session"):
        assert ses["trial"].groupby(ses["block"]).apply(lambda t: t.is_monotonic_increasing).all()
        assert ses["block"].is_monotonic_increasing
        assert ses.loc[ses["phase"].eq("delayed"), "block"].min() == ses["block"].max()


def test_state_carries_used_words_and_list_length(data_dir: Path) -> None:
    state = json.loads((data_dir / "sub-P3" / "state.json").read_text())["tasks"]["recall"]
    df = _logs(data_dir)
    shown = df.loc[df["trial_type"].eq("study") | df["test"].eq("recognition"), "item"]
    per_session = df.loc[df["trial_type"].eq("study")].drop_duplicates(["session", "item"])
    assert not per_session.duplicated("item").any()          # no word in two sessions
    assert set(shown) <= set(state["used_words"]) and state["pool_cycle"] == 0
    assert 6 <= state["level"] <= 24


def test_scoring_reports_every_metric_for_every_session(data_dir: Path, tmp_path: Path) -> None:
    assert main(["score", str(data_dir), "--out", str(tmp_path)]) == 0
    scores = pd.read_csv(tmp_path / "session_scores.csv")
    recall = scores.loc[scores["task"].eq("recall")]
    table = recall.pivot_table(index="session", columns="metric", values="value")
    wanted = set(TASK.metric_names) | {"learning_slope", "recognition_hit_rate", "recognition_fa_rate",
                                       "recognition_dprime"}
    assert wanted <= set(table.columns) and len(table) == SESSIONS
    assert table[list(wanted)].notna().all().all()
    curves = pd.read_csv(tmp_path / "curves.csv")
    assert {"spc", "pfr", "lag_crp"} <= set(curves.loc[curves["task"].eq("recall"), "curve"])


def test_psifr_export_runs_psifr(data_dir: Path, tmp_path: Path) -> None:
    fr = pytest.importorskip("psifr.fr")
    assert main(["export", str(data_dir), "--format", "psifr", "--out", str(tmp_path)]) == 0
    table = pd.read_csv(next(tmp_path.glob("*psifr*.csv")))
    assert not table.duplicated(["subject", "list", "trial_type", "position"]).any()
    merged = fr.merge_free_recall(table)
    assert 0 < fr.spc(merged)["recall"].mean() < 1
