import pandas as pd
import pytest

from cogtrain.scoring import export_study
from cogtrain.tasks.recall.export import psifr_table

fr = pytest.importorskip("psifr.fr")


def _session(session, words, recalled):
    """One immediate list of ``words`` and its recall events (rule per recalled word)."""
    rows = [dict(trial_type="study", position=i + 1, item=w, raw_response=None, scoring_rule=None)
            for i, w in enumerate(words)]
    rows += [dict(trial_type="recall", position=i + 1, item=w, raw_response=typed, scoring_rule=rule)
             for i, (w, typed, rule) in enumerate(recalled)]
    return pd.DataFrame(rows).assign(participant="P1", session=session, task="recall", block=1, run=1,
                                     practice=0, list=1, phase="immediate", test="recall", onset_s=1.0,
                                     rt_s=None, response=None, correct=None,
                                     trial=lambda d: range(1, len(d) + 1))


def _rows():
    return pd.concat([
        _session(1, ["cat", "pen", "sun"], [("pen", "pen", "exact"), ("cat", "cta", "typo"),
                                            ("fog", "fog", "extra_list_intrusion")]),
        _session(2, ["map", "cup", "owl"], [("owl", "owls", "plural"), ("", "", "invalid"),
                                            ("map", "=map", "exact")]),
    ], ignore_index=True)


def test_lists_are_unique_within_participant_and_psifr_merges():
    table = psifr_table(_rows())
    assert list(table.columns[:7]) == ["subject", "list", "trial_type", "position", "item", "session",
                                       "session_list"]
    assert table.groupby("session")["list"].unique().map(list).to_dict() == {1: [1], 2: [2]}
    assert table["session_list"].unique().tolist() == [1]
    merged = fr.merge_free_recall(table, list_keys=["session"])
    recalls = merged.query("recall")
    assert sorted(recalls.loc[~recalls["intrusion"], "item"]) == ["cat", "map", "owl", "pen"]
    assert recalls.loc[recalls["intrusion"], "item"].tolist() == ["fog"]
    spc = fr.spc(merged)
    assert spc["recall"].tolist() == [1.0, 0.5, 0.5]  # position 1: cat, map; 2: pen; 3: owl


def test_export_writes_csv_with_neutralised_text(tmp_path):
    data = tmp_path / "data" / "sub-P1"
    for session, rows in _rows().groupby("session"):
        folder = data / f"ses-{session:03d}"
        folder.mkdir(parents=True)
        rows.to_csv(folder / "recall.csv", index=False)
    result = export_study(tmp_path / "data", "psifr", tmp_path / "out", progress=False)
    text = (tmp_path / "out" / "recall_psifr.csv").read_text()
    assert "'=map" in text and ",=map" not in text
    assert result.paths == [tmp_path / "out" / "recall_psifr.csv"]
    assert "wrote 11 psifr rows" in result.summary_text
    assert "left out 1 invalid recall entries" in result.summary_text
