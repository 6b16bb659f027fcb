"""The catalogue and the emulator cover exactly the reference's operations."""

from __future__ import annotations

from typing import Any

from pyot_django.riot import ENDPOINTS
from pyot_django.testing.data import OPERATIONS

_VERBS = ("get", "post", "put", "delete")


def test_catalogue_and_emulator_cover_the_reference(openapi: dict[str, Any]) -> None:
    reference = {op["operationId"] for item in openapi["paths"].values() for m, op in item.items() if m in _VERBS}
    assert len(reference) == 82
    assert set(ENDPOINTS) == reference
    assert set(OPERATIONS) == reference


def _returns(operation: dict[str, Any]) -> str:
    answer = operation["responses"].get("200", {})
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return "none"
    return "object" if "$ref" in schema else schema["type"]


def test_catalogue_knows_what_each_operation_returns(openapi: dict[str, Any]) -> None:
    for item in openapi["paths"].values():
        for verb, operation in item.items():
            if verb in _VERBS:
                assert ENDPOINTS[operation["operationId"]].returns == _returns(operation), operation["operationId"]
