"""Tests that read the Riot API reference (``../shared/riotapi/`` beside the checkout).

They form their own group: the README's test command leaves them out (a user's fresh
clone has no ``../shared``), ``make test-reference`` (and so ``.ci/run``) runs them,
and there a missing reference fails loudly instead of testing less.
``PYOT_RIOT_REFERENCE`` names another folder holding ``openapi-3.0.0.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]


def reference_dir() -> Path:
    """The reference folder, or a test failure that says where it was looked for."""
    folder = Path(os.environ.get("PYOT_RIOT_REFERENCE") or CHECKOUT.parent / "shared" / "riotapi")
    if not (folder / "openapi-3.0.0.json").is_file():
        pytest.fail(
            f"the Riot API reference is missing: no openapi-3.0.0.json in {folder}. These tests need "
            "../shared/riotapi beside the checkout, or PYOT_RIOT_REFERENCE=/path/to/riotapi.",
            pytrace=False,
        )
    return folder


@pytest.fixture(scope="session")
def riot_reference() -> Path:
    return reference_dir()


@pytest.fixture(scope="session")
def openapi(riot_reference: Path) -> dict[str, Any]:
    with open(riot_reference / "openapi-3.0.0.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def reference_examples(riot_reference: Path) -> Path:
    return riot_reference / "examples"
