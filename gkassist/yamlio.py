"""YAML loading with the fast C loader when available."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


def parse_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader)


M = TypeVar("M", bound=BaseModel)


class DataFileError(ValueError):
    """A data file in rules/ (a layout, a rule, a vocabulary) that does not load: the message
    names the file and what is wrong, for whoever maintains it."""


def load_model(path: Path, model: type[M]) -> M:
    """A data file from rules/ validated into its strict model; errors name the file for the maintainer."""
    try:
        return model.model_validate(load_yaml(path))
    except DataFileError:
        raise
    except Exception as exc:
        raise DataFileError(f"invalid data file {path}: {exc}") from exc
