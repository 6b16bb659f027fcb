"""pytest fixtures for the Riot emulator.

In a ``conftest.py``::

    pytest_plugins = ["pyot_django.testing.pytest_plugin"]

    def test_summoner(riot_emulator):
        riot_emulator.emulator.script("summoner-v4.getByPUUID", [503, 200])
        ...  # point the RiotAPI store's BASE_URL at riot_emulator.base_url

    def test_a_dripping_upstream(riot_emulator):
        riot_emulator.emulator.script("*", [{"fault": "drip_body", "interval": 1.5, "times": 3}])
        ...  # every hostile answer is listed in pyot_django.testing.faults


``riot_emulator_server`` (session) serves one emulator for the whole run, built from
``riot_emulator_config`` (session; defaults to ``EmulatorConfig()``, which is strict like Riot:
400/401/404 on malformed ids, unserved routing values and RSO calls without a Bearer token;
override it in a conftest or a test module to return ``EmulatorConfig(strict=False)`` for the
lenient mode that invents data for any id); ``riot_emulator`` (function) hands it over with stats,
windows, scripts and config reset to that config.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pyot_django.testing.config import EmulatorConfig
from pyot_django.testing.runner import RunningEmulator, serve_emulator

__all__ = ["riot_emulator", "riot_emulator_config", "riot_emulator_server"]


@pytest.fixture(scope="session")
def riot_emulator_config() -> EmulatorConfig:
    """The emulator's config: strict like Riot. Override the fixture (session scope) in a conftest
    or a test module to change it, e.g. ``EmulatorConfig(strict=False)`` for the lenient mode."""
    return EmulatorConfig()


@pytest.fixture(scope="session")
def riot_emulator_server(riot_emulator_config: EmulatorConfig) -> Iterator[RunningEmulator]:
    with serve_emulator(riot_emulator_config) as running:
        yield running


@pytest.fixture
def riot_emulator(
    riot_emulator_server: RunningEmulator, riot_emulator_config: EmulatorConfig
) -> Iterator[RunningEmulator]:
    emulator = riot_emulator_server.emulator
    emulator.reset(config=True)
    # The server is shared by the session: a module that overrides riot_emulator_config (e.g. the
    # lenient mode) gets its config applied here, for its tests only.
    if riot_emulator_config != emulator.config:
        emulator.configure(**_changes(emulator.config, riot_emulator_config))
    yield riot_emulator_server


def _changes(current: EmulatorConfig, wanted: EmulatorConfig) -> dict[str, object]:
    return {
        name: getattr(wanted, name)
        for name in current.__dataclass_fields__
        if getattr(wanted, name) != getattr(current, name)
    }
