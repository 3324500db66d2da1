"""The grounding package's shape: the public API, small modules, and claims built without validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

import gkassist.grounding as grounding
from gkassist.examples import load_example
from gkassist.grounding import NumberClaim, classify_report
from gkassist.grounding.claims import new_claim

PACKAGE = Path(grounding.__file__).parent


def test_public_api_is_importable() -> None:
    for name in ("classify_report", "classify_text", "NumberClaim", "format_number_report", "extract_numerals",
                 "load_vocabulary", "KIND_ZH", "Numeral"):
        assert hasattr(grounding, name), name
    from gkassist.grounding.classify import NumberClaim as FromClassify
    from gkassist.grounding.classify import classify_text, describe_cell  # noqa: F401

    assert FromClassify is NumberClaim


MODULES = sorted(PACKAGE.glob("*.py"))


def test_the_modules_are_found() -> None:
    assert len(MODULES) >= 5 and PACKAGE / "__init__.py" in MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_modules_are_small_and_say_their_job(path: Path) -> None:
    text = path.read_text("utf-8")
    assert text.startswith('"""'), path.name
    assert len(text.splitlines()) <= 470, path.name


@pytest.mark.parametrize("name", ["example-2021", "example-2019"])
def test_claims_built_without_validation_equal_validated_ones(name: str) -> None:
    claims = classify_report(load_example(name))
    assert claims
    for claim in claims:
        validated = NumberClaim.model_validate(claim.model_dump())
        assert validated == claim
        assert validated.model_dump_json() == claim.model_dump_json()
        assert claim.model_fields_set <= set(NumberClaim.model_fields)


def test_new_claim_fills_defaults_and_copies_lists() -> None:
    cells = ["表三“（七）总计”行“总计”列"]
    fields: dict[str, object] = {"section": "s1", "section_title": "一、总体情况", "start": 0, "end": 3, "text": "30件",
                                 "value": None, "kind": "matched", "cells": cells}
    claim = new_claim(**fields)
    assert claim == NumberClaim.model_validate(fields)
    assert claim.model_fields_set == set(fields)
    assert claim.cells == cells and claim.cells is not cells
    with pytest.raises(ValidationError):
        claim.kind = "exempt"  # type: ignore[misc]
