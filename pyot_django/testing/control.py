"""The emulator's HTTP control endpoints, for other processes (benchmarks, Celery workers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from pyot_django.testing.app import Emulator

__all__ = ["handle_control"]


async def handle_control(emulator: Emulator, method: str, path: str, raw: bytes) -> tuple[int, Any]:
    """(status, JSON payload) for ``/_emulator/<action>``; errors in Riot's body shape."""
    try:
        data = orjson.loads(raw) if raw else {}
    except orjson.JSONDecodeError:
        return _error(400, "the body is not JSON")
    action = path.removeprefix("/_emulator/").split("?", 1)[0]
    try:
        if action == "stats" and method == "GET":
            return 200, emulator.stats()
        if action == "config" and method == "GET":
            return 200, emulator.config.to_json()
        if action == "config" and method == "POST":
            return 200, emulator.configure(**data).to_json()
        if action == "reset" and method == "POST":
            emulator.reset(config=bool(data.get("config", False)))
            return 200, {"reset": True}
        if action == "script" and method == "POST":
            emulator.script(data.get("operation", "*"), data["responses"])
            return 200, {"scripts_pending": emulator.stats()["scripts_pending"]}
    except (KeyError, TypeError, ValueError) as exc:
        return _error(400, f"{type(exc).__name__}: {exc}")
    return _error(404, f"no control endpoint {method} /_emulator/{action}")


def _error(status: int, message: str) -> tuple[int, Any]:
    return status, {"status": {"message": message, "status_code": status}}
