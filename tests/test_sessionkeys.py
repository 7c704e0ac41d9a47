"""Integer session keys agree with pandas' own sorting and grouping of the text columns."""
import numpy as np
import pandas as pd

from cogtrain.sessionkeys import lex_order, session_ids, sorted_groups, stable_order, with_keys


def _rows(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"participant": rng.choice(["P10", "P2", "Ä1", "b"], 60), "session": rng.integers(1, 5, 60),
                         "metric": rng.choice(["z", "a", None], 60), "x": rng.integers(0, 3, 60)})


def test_session_numbers_follow_groupby_order_sorted_or_not():
    for rows in (_rows(1), _rows(2).sort_values(["participant", "session"], kind="stable")):
        kept, ids, keys = session_ids(rows)
        groups = rows.groupby(["participant", "session"], sort=True).ngroup().to_numpy()
        assert kept is rows and ids.tolist() == groups.tolist()
        assert keys.equals(rows.groupby(["participant", "session"], sort=True).size().index.to_frame(index=False))
        assert with_keys(keys, ids).equals(rows[["participant", "session"]].reset_index(drop=True))


def test_rows_without_participant_or_session_are_left_out_as_groupby_leaves_them_out():
    rows = pd.DataFrame({"participant": ["A", None, "A", "B"], "session": [1.0, 1.0, np.nan, 2.0]})
    kept, ids, keys = session_ids(rows)
    assert kept.index.tolist() == [0, 3] and ids.tolist() == [0, 1]
    assert keys.values.tolist() == [["A", 1.0], ["B", 2.0]]


def test_stable_order_and_groups_equal_a_stable_sort_and_groupby():
    rows = _rows(3)
    columns = ["participant", "metric", "x"]
    expected = rows.sort_values(columns, kind="stable").index.to_numpy()
    assert stable_order(rows, columns).tolist() == expected.tolist()
    order, group = sorted_groups(rows, ["participant", "metric"], "x")
    assert order.tolist() == expected.tolist()
    ngroup = rows.groupby(["participant", "metric"], sort=True, dropna=False).ngroup().to_numpy()
    assert group.tolist() == ngroup[order].tolist()


def test_lex_order_equals_lexsort_whether_the_keys_fit_one_number_or_not():
    rng = np.random.default_rng(4)
    small = [rng.integers(-3, 3, 50), rng.integers(0, 2, 50), rng.integers(0, 9, 50)]
    wide = [rng.choice([0, 2**40], 50), rng.choice([-(2**30), 2**30], 50), rng.integers(0, 9, 50)]
    for keys in (small, wide):
        assert lex_order(keys).tolist() == np.lexsort(keys[::-1]).tolist()
    assert lex_order([np.array([], dtype=int)]).tolist() == []
