"""What the symbol-digit task reports and logs: metrics, log columns and curves (docs/data-format.md).

How each metric is computed, with its literature, is in :mod:`.metrics`. The processing-speed
composite is led by the adaptive level alone: in training the speed scores move with the level
itself (a shorter deadline turns slow answers into time-outs and leaves only fast right answers),
so they would pull the composite against the progress the level shows.
"""
from __future__ import annotations

from cogtrain.task import Column, Curve, Metric

METRICS: tuple[Metric, ...] = (
    Metric("correct_per_90s", "Correct in 90 s (SDMT-style)", "count", "higher",
           "Symbols answered right in the fixed 90-s assessment block, the SDMT score (Smith, 1982; "
           "c-SDMT, Akbar et al., 2011).", only_when="the session is an assessment (mode: assessment)"),
    Metric("correct_per_minute", "Correct per minute", "count per minute", "higher",
           "60 x symbols answered right / seconds symbols were on screen (in training it falls as the "
           "deadline shortens: time-outs count as wrong).", progress=True),
    Metric("accuracy", "Accuracy", "proportion", "higher",
           "Symbols answered right over symbols answered or timed out (items cut short by the end of "
           "the 90 s are left out)."),
    Metric("median_rt_correct_s", "Median time to a right answer", "s", "lower",
           "Median response time of the symbols answered right."),
    Metric("rt_cv", "Response-time variability", "coefficient of variation", "lower",
           "SD (n - 1) over mean of the right answers' response times: intra-individual variability "
           "(Hultsch et al., 2002; raised in MS, Bodling et al., 2012); empty with fewer than two."),
    Metric("motor_rt_s", "Motor response time", "s", "lower",
           "Median response time of right answers in the motor-control block (digit to the same digit).",
           only_when="the motor-control block is on"),
    Metric("processing_time_s", "Processing time", "s", "lower",
           "Median right-answer time with symbols minus the motor response time (after the PST, "
           "Rao et al., 2017).", only_when="the motor-control block is on"),
    Metric("mean_level", "Mean symbol-digit level", "level", "higher",
           "Mean adaptive level of the training blocks (key size, then time per symbol).",
           composite=True, progress=True, only_when="the session trains (mode: training)"),
    Metric("incidental_recall", "Incidental recall", "proportion", "higher",
           "Share of the key's symbols whose digit was given right without the key, after the blocks.",
           only_when="incidental learning is on"),
)

COLUMNS: tuple[Column, ...] = (
    Column("item_type", "Item type", "What was shown.",
           levels={"symbol": "a symbol, answered with its digit from the key",
                   "digit": "a digit, answered with the same digit (motor control)",
                   "recall": "a symbol without the key (incidental learning)"}),
    Column("mode", "Mode", "The session's mode.",
           levels={"training": "adaptive training blocks", "assessment": "one fixed 90-s block"}),
    Column("level", "Level", "Adaptive level of the training block; empty outside training blocks.", "level"),
    Column("pairs", "Key size", "Symbol-digit pairs in the key shown; empty without a key.", "pairs"),
    Column("deadline_s", "Deadline", "Time allowed for the item; empty: no deadline.", "s"),
    Column("stimulus", "Stimulus", "Name of the symbol shown (see tasks/symbol_digit/glyphs.py), or the digit."),
    Column("answer", "Right answer", "The digit that answers the item."),
    Column("input", "Input", "How the answer was given; empty without an answer.",
           levels={"key": "a key press", "click": "a click on an on-screen button"}),
    Column("end", "End", "What ended the item.",
           levels={"response": "an answer", "time_out": "the item's deadline or time limit",
                   "block_time": "the end of the 90-s block (the item is not scored)"}),
    Column("shown_s", "Time on screen", "From the onset to the answer, or to the flip that removed the item.", "s"),
    Column("pairing", "Form", "The session's symbol-digit pairing, digit=symbol for 1 to 9."),
)

CURVES: tuple[Curve, ...] = (
    Curve("speed_level", "Symbol-digit level by block", "Block", "Level", track="blocks"),
    Curve("median_rt_correct_s", "Median right-answer time by block", "Block", "Median time (s)"),
)
