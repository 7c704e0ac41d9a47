"""The base of the settings models of tasks: a key the model does not know is an error."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """A pydantic model that rejects unknown keys, so a misspelt config key is reported, not ignored."""

    model_config = ConfigDict(extra="forbid")
