"""The trial log: fixed header, every row on disk at once, safe reopening after a crash."""
import csv

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cogtrain.errors import CogtrainError
from cogtrain.triallog import COMMON_COLUMNS, TrialLog, csv_line, format_cell

FIXED = {"participant": "P1", "session": 1, "task": "t", "run": 1}


def rows(path):
    with open(path, newline="") as fh:
        return list(csv.reader(fh))


def test_header_is_fixed_and_rows_are_readable_while_open(tmp_path):
    path = tmp_path / "t.csv"
    log = TrialLog(path, ["extra"], FIXED)
    assert rows(path) == [list(COMMON_COLUMNS) + ["extra"]]
    log.write({"block": 1, "trial": 1, "correct": True, "extra": "a,b"})
    written = rows(path)  # read by another handle before close: already flushed
    assert written[1][:5] == ["P1", "1", "t", "1", "1"] and written[1][-1] == "a,b"
    assert written[1][COMMON_COLUMNS.index("correct")] == "1"
    assert written[1][COMMON_COLUMNS.index("rt_s")] == ""
    log.close()


def test_undeclared_column_is_refused(tmp_path):
    with TrialLog(tmp_path / "t.csv", [], FIXED) as log, pytest.raises(KeyError, match="undeclared"):
        log.write({"surprise": 1})


def test_reopen_appends_and_drops_a_cut_line(tmp_path):
    path = tmp_path / "t.csv"
    with TrialLog(path, ["x"], FIXED) as log:
        log.write({"trial": 1})
    with open(path, "a") as fh:
        fh.write("P1,1,t,1,2,0.5")  # a row cut short by a crash
    with TrialLog(path, ["x"], {**FIXED, "run": 2}) as log:
        log.write({"trial": 3})
    lines = rows(path)
    assert len(lines) == 3  # the cut row (never fully written) is gone, not left with missing fields
    assert lines[2][COMMON_COLUMNS.index("trial")] == "3" and lines[2][COMMON_COLUMNS.index("run")] == "2"


def test_reopen_with_other_columns_is_an_error(tmp_path):
    path = tmp_path / "t.csv"
    TrialLog(path, ["x"], FIXED).close()
    with pytest.raises(CogtrainError, match="header"):
        TrialLog(path, ["y"], FIXED)


@pytest.mark.parametrize("value, text", [
    (None, ""), (float("nan"), ""), (True, "1"), (False, "0"), (0.5, "0.5"), (2.0, "2"),
    (1 / 3, "0.333333"), (12, "12"), ("x", "x"),
])
def test_cell_format(value, text):
    assert format_cell(value) == text


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(TEXT, min_size=1, max_size=4))
def test_any_text_round_trips_through_pandas(tmp_path, cells):
    """Control characters (CR, LF, tab, NUL, ...), quotes and commas come back exactly; "" is the missing value."""
    path = tmp_path / "t.csv"
    path.unlink(missing_ok=True)
    with TrialLog(path, ["text"], FIXED) as log:
        for trial, text in enumerate(cells, 1):
            log.write({"trial": trial, "response": text, "text": text})
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert back["response"].tolist() == cells and back["text"].tolist() == cells
    assert back["trial"].tolist() == [str(t) for t in range(1, len(cells) + 1)]


@pytest.mark.parametrize("cells, line", [
    (["a", "b,c"], 'a,"b,c"\n'), (["x\ry"], '"x\ry"\n'), (["x\ny"], '"x\ny"\n'), (['say "hi"'], '"say ""hi"""\n'),
    (["tab\there", "nul\0"], "tab\there,nul\0\n"), (["", " "], ", \n"),
])
def test_csv_line_quotes_exactly_what_breaks_a_record(cells, line):
    assert csv_line(cells) == line
