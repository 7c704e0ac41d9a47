"""Symbol-digit: processing-speed training and a 90-s assessment comparable to the SDMT.

A key of symbol-digit pairs along the top of the screen, one symbol at a time
in the middle; the participant gives its digit. After the Symbol Digit
Modalities Test (Smith, 1982) and its computerized versions, the c-SDMT
(Akbar et al., 2011, J Neurol 258(3):373-379) and the Processing Speed Test
(Rao et al., 2017, Mult Scler 23(14):1929-1937), with original symbols,
alternate forms per session and a motor-control block.
"""
from pathlib import Path

from cogtrain.task import TaskSpec

from .config import SymbolDigitSettings
from .declarations import COLUMNS, CURVES, METRICS
from .logic import SymbolDigitSession, columns
from .metrics import curves, metrics

TASK = TaskSpec(
    name="symbol_digit",
    title="Symbols and numbers",
    domain="processing_speed",
    settings_model=SymbolDigitSettings,
    defaults=Path(__file__).with_name("defaults.yaml"),
    log_columns=columns,
    session=SymbolDigitSession,
    view="cogtrain.tasks.symbol_digit.view:SymbolDigitView",
    simulator="cogtrain.tasks.symbol_digit.simulate:SymbolDigitSimulator",
    compute_metrics=metrics,
    compute_curves=curves,
    metrics=METRICS,
    columns=COLUMNS,
    curves=CURVES,
    sim_ability=50.0,
)
