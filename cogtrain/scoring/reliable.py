"""Reliable Change Index settings (battery key ``reliable_change``) and formula.

A battery config may hold, for any ``"task.metric"``, the reference values the
RCI needs::

    reliable_change:
      <task>.<metric>:       # e.g. a task's mean level (cogtrain codebook lists the metrics)
        sd: 0.8              # between-person SD of the metric in a reference sample
        reliability: 0.75    # test-retest reliability r_xx of the metric
        practice_effect: 0.3 # optional: mean retest gain without intervention
        source: "Author et al. (year), table 2"

No defaults are shipped: published test-retest values exist for the clinical
versions of these tasks, not for this battery's adaptive metrics, and reusing
them would give a false sense of precision. A study sets its own values, e.g.
from its control group or a pilot test-retest sample.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from pydantic import Field, RootModel, ValidationError, field_validator

from cogtrain.errors import ConfigError
from cogtrain.strict import StrictModel

#: |RCI| above this is a reliable change at p < .05, two-tailed (Jacobson & Truax, 1991).
RCI_CRITICAL = 1.96


class ReferenceValues(StrictModel):
    """Reference values of one metric for the Reliable Change Index."""

    sd: float = Field(gt=0, description="Between-person SD of the metric in the reference sample.")
    reliability: float = Field(ge=0, lt=1, description="Test-retest reliability r_xx.")
    practice_effect: float | None = Field(
        default=None, description="Mean retest gain without intervention (Chelune et al., 1993).")
    source: str = Field(min_length=1, description="Citation of the reference values.")


class ReliableChangeSettings(RootModel[dict[str, ReferenceValues]]):
    """The ``reliable_change`` key of a battery: ``"task.metric"`` → reference values."""

    root: dict[str, ReferenceValues] = {}

    @field_validator("root")
    @classmethod
    def _task_dot_metric(cls, value: dict[str, ReferenceValues]) -> dict[str, ReferenceValues]:
        for key in value:
            task, dot, metric = key.partition(".")
            if not (task and dot and metric):
                raise ValueError(f"key {key!r} must be 'task.metric': a task's name, a dot and one of its "
                                 "metric names")
        return value


def parse_reliable_change(raw: object, where: str) -> dict[str, ReferenceValues]:
    """Validate a ``reliable_change`` mapping (None or missing: empty).

    Parameters
    ----------
    raw : object
        The mapping as loaded from YAML or session.json.
    where : str
        File named in error messages.

    Returns
    -------
    dict of str to ReferenceValues
        Reference values by ``"task.metric"``.

    Raises
    ------
    ConfigError
        Naming the file, key, value and what was expected.
    """
    if raw is None:
        return {}
    try:
        return ReliableChangeSettings.model_validate(raw).root
    except ValidationError as exc:
        raise ConfigError([
            f"{where}: reliable_change.{'.'.join(str(p) for p in err['loc']) or '(root)'}: "
            f"{err['msg']} (got {err.get('input')!r})"
            for err in exc.errors()
        ]) from None


def standard_error_of_difference(sd: ArrayLike, reliability: ArrayLike) -> np.ndarray:
    """S_diff = sqrt(2 * SE^2) with SE = SD * sqrt(1 - r_xx) (Jacobson & Truax, 1991, p. 14).

    Parameters
    ----------
    sd : float or array
        Reference between-person standard deviation.
    reliability : float or array
        Test-retest reliability r_xx.

    Returns
    -------
    numpy.ndarray
        Standard error of the difference between two scores.
    """
    standard_error = np.asarray(sd, dtype=float) * np.sqrt(1.0 - np.asarray(reliability, dtype=float))
    return np.sqrt(2.0 * standard_error**2)


def reliable_change_index(first: ArrayLike, last: ArrayLike, sd: ArrayLike, reliability: ArrayLike,
                          practice_effect: ArrayLike = 0.0) -> np.ndarray:
    """Reliable Change Index of ``last`` versus ``first`` (elementwise).

    Jacobson & Truax (1991): RCI = (x2 - x1) / S_diff. With a practice effect,
    the practice-adjusted form of Chelune, Naugle, Lüders, Sedlak & Awad (1993):
    RCI = ((x2 - x1) - practice_effect) / S_diff.

    Parameters
    ----------
    first, last : float or array
        Scores at the first and last session.
    sd, reliability : float or array
        Reference SD and test-retest reliability.
    practice_effect : float or array, optional
        Mean retest gain without intervention (0: Jacobson & Truax form).

    Returns
    -------
    numpy.ndarray
        The RCI; |RCI| > 1.96 is a reliable change (p < .05, two-tailed).
    """
    gain = np.asarray(last, dtype=float) - np.asarray(first, dtype=float)
    return (gain - np.asarray(practice_effect, dtype=float)) / standard_error_of_difference(sd, reliability)


def rci_variant(ref: ReferenceValues) -> str:
    """Name of the RCI form used for ``ref``."""
    return "chelune1993_practice_adjusted" if ref.practice_effect is not None else "jacobson_truax1991"

