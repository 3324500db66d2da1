"""The one strict base of the data and value models: unknown fields are refused, values frozen.

Every policy file in rules/ is validated into models built on it, so a misspelt key is a load
error instead of a silently ignored setting.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
