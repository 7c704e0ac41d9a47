"""Symbol-digit metrics against hand-computed values and an independent recomputation.

The reference below walks the rows one by one with the statistics module; it
shares no code with ``metrics.py``. The hand-built cases cover time-outs, a
wrong key, an item cut short by the end of the 90 s, an empty block and a
session with practice rows only.
"""
import math
import statistics

import pandas as pd
import pytest

from cogtrain.tasks.symbol_digit.metrics import ALWAYS, curves, metrics

#: Reported only where they have a value (an assessment block, a motor block, training blocks, recall items).
OPTIONAL = {"correct_per_90s", "motor_rt_s", "processing_time_s", "mean_level", "incidental_recall"}

COLUMNS = ["participant", "session", "block", "trial", "practice", "item_type", "mode", "level", "correct",
           "rt_s", "shown_s"]


def row(session, block, item_type, correct, rt, shown, mode="training", level=None, practice=0, trial=1):
    return dict(zip(COLUMNS, ["P1", session, block, trial, practice, item_type, mode, level, correct, rt, shown]))


def reference(rows: list[dict]) -> dict[tuple, dict[str, float]]:
    """Every metric of every session, computed row by row."""
    out: dict[tuple, dict[str, float]] = {}
    for key in sorted({(r["participant"], r["session"]) for r in rows}):
        mine = [r for r in rows if (r["participant"], r["session"]) == key and not r["practice"]]
        if not mine:
            continue
        sym = [r for r in mine if r["item_type"] == "symbol"]
        judged = [r for r in sym if r["correct"] is not None]
        right = [r for r in judged if r["correct"] == 1]
        rts = [r["rt_s"] for r in right]
        motor = [r["rt_s"] for r in mine if r["item_type"] == "digit" and r["correct"] == 1]
        shown = sum(r["shown_s"] for r in sym)
        m = {
            "correct_per_minute": 60 * len(right) / shown if shown else math.nan,
            "accuracy": len(right) / len(judged) if judged else math.nan,
            "median_rt_correct_s": statistics.median(rts) if rts else math.nan,
            "rt_cv": statistics.stdev(rts) / statistics.mean(rts) if len(rts) > 1 else math.nan,
            "motor_rt_s": statistics.median(motor) if motor else math.nan,
        }
        m["processing_time_s"] = m["median_rt_correct_s"] - m["motor_rt_s"]
        assessment = [r for r in right if r["mode"] == "assessment"]
        blocks = {r["block"] for r in sym if r["mode"] == "assessment"}
        if blocks:
            m["correct_per_90s"] = len(assessment) / len(blocks)
        levels = {}
        for r in sym:
            if r["mode"] == "training":
                levels.setdefault(r["block"], r["level"])
        if levels:
            m["mean_level"] = statistics.mean(levels.values())
        recall = [r for r in mine if r["item_type"] == "recall"]
        if recall:
            m["incidental_recall"] = sum(r["correct"] == 1 for r in recall) / len(recall)
        out[key] = {name: v for name, v in m.items() if name not in OPTIONAL or not math.isnan(v)}
    return out


def as_dict(table: pd.DataFrame) -> dict[tuple, dict[str, float]]:
    found: dict[tuple, dict[str, float]] = {}
    for r in table.itertuples():
        found.setdefault((r.participant, r.session), {})[r.metric] = r.value
    return found


def assert_same(found, expected):
    assert found.keys() == expected.keys()
    for key in expected:
        assert found[key].keys() == expected[key].keys(), key
        for name, value in expected[key].items():
            got = found[key][name]
            assert (math.isnan(got) and math.isnan(value)) or got == pytest.approx(value), (key, name)


#: Session 1 (training): a motor block, two training blocks at levels 3 and 4 with a
#: time-out and a wrong key, practice rows that must not count, and incidental items.
#: Session 2 (assessment): the 90-s block whose last item was cut short, no motor block.
#: Session 3: a training block whose every item timed out (no right answer).
CASE = [
    row(1, 0, "symbol", 0, 3.0, 3.0, practice=1),
    row(1, 0, "symbol", 1, 0.1, 0.1, practice=1, trial=2),
    row(1, 1, "digit", 1, 0.50, 0.50), row(1, 1, "digit", 1, 0.70, 0.70, trial=2),
    row(1, 1, "digit", 0, 0.40, 0.40, trial=3), row(1, 1, "digit", 1, 0.60, 0.60, trial=4),
    row(1, 2, "symbol", 1, 1.2, 1.2, level=3), row(1, 2, "symbol", 0, None, 4.2, level=3, trial=2),
    row(1, 2, "symbol", 1, 1.8, 1.8, level=3, trial=3),
    row(1, 3, "symbol", 0, 0.9, 0.9, level=4), row(1, 3, "symbol", 1, 1.5, 1.5, level=4, trial=2),
    row(1, 4, "recall", 1, 2.0, 2.0), row(1, 4, "recall", 0, 3.0, 3.0, trial=2),
    row(1, 4, "recall", 1, 2.5, 2.5, trial=3),
    row(2, 1, "symbol", 1, 1.0, 1.0, mode="assessment"),
    row(2, 1, "symbol", 1, 2.0, 2.0, mode="assessment", trial=2),
    row(2, 1, "symbol", 0, 1.5, 1.5, mode="assessment", trial=3),
    row(2, 1, "symbol", None, None, 0.7, mode="assessment", trial=4),
    row(3, 1, "symbol", 0, None, 2.0, level=5), row(3, 1, "symbol", 0, None, 2.0, level=5, trial=2),
    row(4, 0, "symbol", 1, 1.0, 1.0, practice=1),
]


def test_hand_computed_session_one():
    m = as_dict(metrics(pd.DataFrame(CASE)))[("P1", 1)]
    # right symbols: 1.2, 1.8, 1.5 of 5 judged; shown 1.2 + 4.2 + 1.8 + 0.9 + 1.5 = 9.6 s
    assert m["accuracy"] == pytest.approx(3 / 5)
    assert m["correct_per_minute"] == pytest.approx(60 * 3 / 9.6)
    assert m["median_rt_correct_s"] == pytest.approx(1.5)
    assert m["rt_cv"] == pytest.approx(0.3 / 1.5)  # SD (n-1) of 1.2, 1.5, 1.8 is 0.3
    assert m["motor_rt_s"] == pytest.approx(0.6)  # right digits 0.5, 0.7, 0.6
    assert m["processing_time_s"] == pytest.approx(0.9)
    assert m["mean_level"] == pytest.approx(3.5)
    assert m["incidental_recall"] == pytest.approx(2 / 3)
    assert "correct_per_90s" not in m


def test_assessment_cut_short_item_counts_only_its_time():
    m = as_dict(metrics(pd.DataFrame(CASE)))[("P1", 2)]
    assert m["correct_per_90s"] == 2
    assert m["accuracy"] == pytest.approx(2 / 3)
    assert m["correct_per_minute"] == pytest.approx(60 * 2 / 5.2)
    assert "motor_rt_s" not in m and "processing_time_s" not in m  # no motor block
    assert "mean_level" not in m


def test_a_block_of_time_outs_has_no_speed_but_a_zero_accuracy():
    m = as_dict(metrics(pd.DataFrame(CASE)))[("P1", 3)]
    assert m["accuracy"] == 0 and m["correct_per_minute"] == 0
    assert math.isnan(m["median_rt_correct_s"]) and math.isnan(m["rt_cv"])
    assert m["mean_level"] == 5


def test_equal_to_the_row_by_row_reference():
    found = as_dict(metrics(pd.DataFrame(CASE)))
    assert_same(found, reference(CASE))
    assert ("P1", 4) not in found  # practice only: nothing to score


def test_always_reported_metrics_come_for_every_session():
    assert set(ALWAYS) == {"correct_per_minute", "accuracy", "median_rt_correct_s", "rt_cv"}
    table = metrics(pd.DataFrame(CASE))
    for _, group in table.groupby("session"):
        assert set(ALWAYS) <= set(group["metric"])


def test_values_read_back_from_a_csv(tmp_path):
    """Columns as scoring reads them: 0/1 numbers and empty cells."""
    path = tmp_path / "rows.csv"
    pd.DataFrame(CASE).to_csv(path, index=False)
    assert_same(as_dict(metrics(pd.read_csv(path))), reference(CASE))


def test_no_rows_gives_an_empty_table():
    assert metrics(pd.DataFrame(columns=COLUMNS)).empty
    assert curves(pd.DataFrame(columns=COLUMNS)).empty


def test_curves_per_block():
    c = curves(pd.DataFrame(CASE))
    level = c[(c["curve"] == "speed_level") & (c["session"] == 1)]
    assert level[["x", "value"]].values.tolist() == [[2, 3.0], [3, 4.0]]
    rt = c[(c["curve"] == "median_rt_correct_s") & (c["session"] == 1)].set_index("x")["value"]
    assert rt[2] == pytest.approx(1.5) and rt[3] == pytest.approx(1.5)
    assessment = c[(c["session"] == 2)]
    assert set(assessment["curve"]) == {"median_rt_correct_s"}
    assert assessment["value"].iloc[0] == pytest.approx(1.5)
    assert c[c["session"] == 3]["curve"].tolist() == ["speed_level"]  # no right answer: no RT point
