import pandas as pd

from cogtrain.scoring.rows import latest_runs, scored_rows


def _rows():
    # block 1 finished in run 1; block 2 cut in run 1 and re-run in run 2; block 0 practice.
    return pd.DataFrame({
        "participant": "P", "session": 1, "task": "t",
        "block": [0, 1, 1, 2, 2, 2, 2],
        "trial": [1, 1, 2, 1, 1, 2, 3],
        "run": [1, 1, 1, 1, 2, 2, 2],
        "practice": [1, 0, 0, 0, 0, 0, 0],
    })


def test_rows_of_a_block_rerun_after_resume_are_superseded():
    assert latest_runs(_rows()).tolist() == [True, True, True, False, True, True, True]


def test_scored_rows_leave_out_practice_and_superseded():
    out = scored_rows(_rows())
    assert list(zip(out["block"], out["run"], out["trial"])) == [(1, 1, 1), (1, 1, 2), (2, 2, 1), (2, 2, 2), (2, 2, 3)]


def test_superseded_is_judged_per_session():
    rows = pd.concat([_rows(), _rows().assign(session=2, run=1)], ignore_index=True)
    assert latest_runs(rows).tolist()[7:] == [True] * 7


def test_rows_of_a_single_run_are_all_latest_and_an_unknown_run_is_not():
    one_run = _rows().assign(run=3)
    assert latest_runs(one_run).tolist() == [True] * 7
    assert latest_runs(one_run.assign(run=[3, 3, 3, 3, None, 3, 3])).tolist() == [True] * 4 + [False] + [True] * 2
