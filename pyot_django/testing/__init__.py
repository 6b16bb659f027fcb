"""A local Riot API emulator for tests, demos, benchmarks and users' own test suites.

``serve_emulator()`` runs it in this process on a free port; ``serve_emulator_process()``
in another process; ``manage.py pyot_emulator --port N`` in the foreground; and
``pyot_django.testing.pytest_plugin`` provides the ``riot_emulator`` fixture.
"""

from pyot_django.testing.app import Emulator, is_not_found_value
from pyot_django.testing.config import EmulatorConfig, format_limits, parse_limits
from pyot_django.testing.runner import (
    EmulatorProcess,
    RunningEmulator,
    serve_emulator,
    serve_emulator_process,
)

__all__ = [
    "Emulator",
    "EmulatorConfig",
    "EmulatorProcess",
    "RunningEmulator",
    "format_limits",
    "is_not_found_value",
    "parse_limits",
    "serve_emulator",
    "serve_emulator_process",
]
