"""Per-session symbol-digit scores from trial logs, vectorised over participants and sessions.

Symbol items (``item_type == "symbol"``) outside practice give the speed scores;
an item the block's time cut short (``correct`` empty) counts for none of them
except the time on screen:

- ``correct_per_90s``: symbols answered right in the 90-s assessment block (mean
  over such blocks), the score of the Symbol Digit Modalities Test (Smith, 1982)
  and of its computerized versions, the c-SDMT (Akbar et al., 2011, J Neurol
  258(3):373-379) and the Processing Speed Test (Rao et al., 2017, Mult Scler
  23(14):1929-1937, which counts 120 s); the SDMT is the processing-speed test of
  BICAMS (Benedict et al., 2012, BMC Neurol 12:55). Assessment sessions only.
- ``correct_per_minute``: 60 × symbols right / seconds symbols were on screen.
- ``accuracy``: symbols right / symbols answered or timed out.
- ``median_rt_correct_s``: median time to a right answer.
- ``rt_cv``: intra-individual variability, the coefficient of variation (SD with
  n − 1 over the mean) of the right answers' times (Hultsch, MacDonald & Dixon,
  2002, J Gerontol B 57(2):P101-P115); raised in MS (Bodling, Denney & Lynch,
  2012, Neuropsychology 26(3):357-367). Empty with fewer than two right answers.
- ``motor_rt_s``: median time to a right answer in the motor-control block
  (digit → same digit); ``processing_time_s`` = ``median_rt_correct_s`` −
  ``motor_rt_s``, the look-up time beyond the motor response, after the PST's
  separation of processing from motor speed (Rao et al., 2017).
- ``mean_level``: mean adaptive level of the training blocks (training sessions).
- ``incidental_recall``: share of symbols whose digit was given right without the
  key, after the blocks (when incidental learning is on).
"""
from __future__ import annotations

import pandas as pd

from cogtrain.sessionkeys import session_ids, with_keys

from .declarations import METRICS

KEYS = ["participant", "session"]
TASK = "symbol_digit"
#: Seconds of the assessment block (see :data:`cogtrain.tasks.symbol_digit.logic.ASSESSMENT_S`).
SDMT_S = 90.0

#: Every metric, in the order of the declarations.
ORDER: tuple[str, ...] = tuple(m.name for m in METRICS)
#: Reported for every session with scored rows, empty where nothing defines them (e.g. no
#: right answer); the others (declared ``only_when``) only where they have a value.
ALWAYS: tuple[str, ...] = tuple(m.name for m in METRICS if not m.only_when)


#: The log columns the scores read.
COLUMNS = ("participant", "session", "block", "practice", "item_type", "mode", "correct", "rt_s", "shown_s", "level")


def _numbers(df: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(df[column], errors="coerce")


def _rows(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scored rows with numeric columns and their session number ``id``, and the keys of each number.

    Practice is dropped; ``right`` = answered right (0/1), ``judged`` = answered or timed out.
    """
    out = df[[c for c in COLUMNS if c in df]]
    if "practice" in out:
        out = out[_numbers(out, "practice").fillna(0) == 0]
    out, ids, keys = session_ids(out)
    out = out.assign(id=ids)
    correct = _numbers(out, "correct")
    out["judged"] = correct.notna()
    out["right"] = correct.fillna(0).astype(bool)
    for column in ("rt_s", "shown_s", "level"):
        out[column] = _numbers(out, column)
    out["right_rt"] = out["rt_s"].where(out["right"])
    return out, keys


def _session_scores(rows: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """Wide per-session table of :data:`ORDER` (columns absent where undefined), indexed by participant and session."""
    table = pd.DataFrame(index=pd.RangeIndex(len(keys)))
    symbols = rows[rows["item_type"] == "symbol"]
    g = symbols.groupby("id")
    table["correct_per_minute"] = 60 * g["right"].sum() / g["shown_s"].sum().where(lambda s: s > 0)
    table["accuracy"] = g["right"].sum() / g["judged"].sum().where(lambda s: s > 0)
    table["median_rt_correct_s"] = g["right_rt"].median()
    table["rt_cv"] = g["right_rt"].std(ddof=1) / g["right_rt"].mean()
    table["motor_rt_s"] = rows[rows["item_type"] == "digit"].groupby("id")["right_rt"].median()
    table["processing_time_s"] = table["median_rt_correct_s"] - table["motor_rt_s"]
    assessment = symbols[symbols["mode"] == "assessment"].groupby("id")
    table["correct_per_90s"] = assessment["right"].sum() / assessment["block"].nunique()
    training = symbols[symbols["mode"] == "training"]
    table["mean_level"] = training.groupby(["id", "block"])["level"].first().groupby(level="id").mean()
    table["incidental_recall"] = rows[rows["item_type"] == "recall"].groupby("id")["right"].mean()
    return table.set_axis(pd.MultiIndex.from_frame(keys))


def metrics(df: pd.DataFrame) -> pd.DataFrame:
    """Tidy per-session metrics: ``participant, session, task, metric, value``.

    The metrics of :data:`ALWAYS` come for every session with scored rows
    (NaN where undefined, e.g. no right answer); the others only where they
    have a value: ``correct_per_90s`` with an assessment block, ``motor_rt_s``
    and ``processing_time_s`` with the motor-control block, ``mean_level``
    with training blocks, ``incidental_recall`` with incidental items.

    Examples
    --------
    >>> rows = pd.DataFrame({"participant": "P1", "session": 1, "block": [1, 2, 2, 2],
    ...     "item_type": ["digit", "symbol", "symbol", "symbol"], "mode": "training",
    ...     "level": [None, 3, 3, 3], "correct": [1, 1, 0, 1],
    ...     "rt_s": [0.5, 1.0, None, 2.0], "shown_s": [0.5, 1.0, 3.0, 2.0]})
    >>> m = metrics(rows).set_index("metric")["value"]
    >>> float(m["accuracy"]), float(m["correct_per_minute"]), float(m["processing_time_s"]), float(m["mean_level"])
    (0.6666666666666666, 20.0, 1.0, 3.0)
    """
    rows, keys = _rows(df)
    if rows.empty:
        return pd.DataFrame(columns=KEYS + ["task", "metric", "value"])
    table = _session_scores(rows, keys)
    long = table.reset_index().melt(id_vars=KEYS, value_vars=list(ORDER), var_name="metric", value_name="value")
    long = long[long["metric"].isin(ALWAYS) | long["value"].notna()]
    long.insert(2, "task", TASK)
    rank = {name: i for i, name in enumerate(ORDER)}
    long = long.sort_values(KEYS + ["metric"], key=lambda s: s.map(rank) if s.name == "metric" else s)
    long["value"] = long["value"].astype(float)
    return long.reset_index(drop=True)[KEYS + ["task", "metric", "value"]]


def curves(df: pd.DataFrame) -> pd.DataFrame:
    """Per block: ``speed_level`` (the level of training blocks) and ``median_rt_correct_s`` (symbol blocks with a right answer).

    Columns ``participant, session, task, curve, x, value`` with x the block number.
    """
    cols = KEYS + ["task", "curve", "x", "value"]
    rows, keys = _rows(df)
    symbols = rows[rows["item_type"] == "symbol"]
    if symbols.empty:
        return pd.DataFrame(columns=cols)
    by_block = symbols.groupby(["id", "block"])
    parts = [
        by_block["level"].first().dropna().rename("value").reset_index().assign(curve="speed_level"),
        by_block["right_rt"].median().dropna().rename("value").reset_index().assign(curve="median_rt_correct_s"),
    ]
    out = pd.concat(parts, ignore_index=True)
    return with_keys(keys, out["id"].to_numpy(), task=TASK, curve=out["curve"].to_numpy(), x=out["block"].to_numpy(),
                     value=out["value"].to_numpy(dtype=float))
