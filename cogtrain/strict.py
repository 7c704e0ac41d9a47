"""The base of the settings models of tasks: a key the model does not know is an error."""
from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from cogtrain.timing import one_unit


class StrictModel(BaseModel):
    """A pydantic model that rejects unknown keys, so a misspelt config key is reported, not ignored.

    A duration (fields ``X_ms`` and ``X_frames``, see :mod:`cogtrain.timing`) is given in one unit.
    A yes/no value (``true``) is never taken as the number 1 (pydantic would accept it).
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _one_unit_per_duration(cls, data: Any) -> Any:
        return one_unit(data, cls.model_fields)

    @model_validator(mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                key = field.alias if field.alias in data else name
                if isinstance(data.get(key), bool) and _numeric(field.annotation):
                    raise ValueError(f"{key}: {str(data[key]).lower()} is a yes/no value; expected a number")
        return data


def _numeric(annotation: Any) -> bool:
    """Whether a field's type is a number (int or float, possibly optional or annotated)."""
    if annotation in (int, float):
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _numeric(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return bool(args) and all(_numeric(a) for a in args)
    return False
