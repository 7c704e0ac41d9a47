"""The base of the settings models of tasks: a key the model does not know is an error."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from cogtrain.timing import one_unit


class StrictModel(BaseModel):
    """A pydantic model that rejects unknown keys, so a misspelt config key is reported, not ignored.

    A duration (fields ``X_ms`` and ``X_frames``, see :mod:`cogtrain.timing`) is given in one unit.
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _one_unit_per_duration(cls, data: Any) -> Any:
        return one_unit(data, cls.model_fields)
