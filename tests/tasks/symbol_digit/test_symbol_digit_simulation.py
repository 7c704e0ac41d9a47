"""The shipped config through the real CLI with the simulated participant: five sessions, then score."""
import json

import pandas as pd
import pytest

from cogtrain.cli import main
from cogtrain.tasks.symbol_digit import TASK
from cogtrain.tasks.symbol_digit.simulate import recall_probability
from tests.conftest import CONFIGS


def train(data, participant, ability, sessions=5, config=CONFIGS / "symbol_digit.yaml"):
    for session in range(1, sessions + 1):
        assert main(["run", str(config), "--participant", participant, "--data", str(data), "--simulate",
                     "--sim-ability", f"symbol_digit={ability}", "--seed", str(ability * 100 + session)]) == 0


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    data = tmp_path_factory.mktemp("symdigit")
    train(data, "SLOW", 30)
    train(data, "FAST", 80)
    out = data.parent / "scores"
    assert main(["score", str(data), "--out", str(out), "--no-report"]) == 0
    return data, pd.read_csv(out / "session_scores.csv")


def test_every_metric_in_every_session(study):
    _, scores = study
    mine = scores[scores["task"] == "symbol_digit"]
    for (participant, session), group in mine.groupby(["participant", "session"]):
        # training config with incidental learning on: all but the assessment count
        expected = {m.name for m in TASK.metrics} - {"correct_per_90s"}
        assert set(group["metric"]) == expected, (participant, session)
        assert group["value"].notna().all(), (participant, session)


def test_level_moves_with_ability(study):
    data, scores = study
    level = scores[scores["metric"] == "mean_level"].pivot(index="session", columns="participant", values="value")
    assert (level["FAST"].iloc[3:] > level["SLOW"].iloc[3:] + 4).all()  # once both have climbed
    assert level["FAST"].iloc[-1] > level["FAST"].iloc[0]  # carried over and still rising
    states = {p: json.loads((data / f"sub-{p}" / "state.json").read_text())["tasks"]["symbol_digit"]["level"]
              for p in ("SLOW", "FAST")}
    assert states["FAST"] > states["SLOW"]


def test_alternate_forms_differ_across_sessions(study):
    data, _ = study
    pairings = [pd.read_csv(f)["pairing"].iloc[0] for f in sorted((data / "sub-FAST").glob("ses-*/symbol_digit.csv"))]
    assert len(pairings) == 5 and len(set(pairings)) == 5


def test_assessment_count_follows_ability(tmp_path, write_config):
    data = tmp_path / "data"
    config = write_config("name: a\nbreaks: {between_tasks: false, fatigue_rating: false}\n"
                          "tasks: [{task: symbol_digit, settings: {mode: assessment}}]\n")
    for ability in (30, 60):
        train(data, f"A{ability}", ability, sessions=1, config=config)
    assert main(["score", str(data), "--out", str(tmp_path / "out"), "--no-report"]) == 0
    scores = pd.read_csv(tmp_path / "out" / "session_scores.csv").set_index(["participant", "metric"])["value"]
    for ability in (30, 60):  # the ability is the expected count of the 90-s block
        assert scores[(f"A{ability}", "correct_per_90s")] == pytest.approx(ability, rel=0.2)
    assert ("A30", "mean_level") not in scores.index


def test_recall_probability_is_a_probability():
    assert all(0 < recall_probability(a) <= 0.9 for a in (1, 30, 60, 500))
