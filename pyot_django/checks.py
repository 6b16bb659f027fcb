"""System checks for ``settings.PYOT`` (ids ``pyot_django.E###`` and ``pyot_django.W###``).

Every id is listed, with its meaning, in the README. The checks only read
settings and import store classes; they open no connection.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from .conf import config_problems, settings_problems

__all__ = ["check_pyot_settings"]


@checks.register("pyot_django")
def check_pyot_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for problem in [*config_problems(), *settings_problems()]:
        level = checks.Error if problem.check_id.startswith("E") else checks.Warning
        messages.append(
            level(f"{problem.key}: {problem.message}", hint=problem.hint, id=f"pyot_django.{problem.check_id}")
        )
    return messages
