"""pytest fixtures for the Riot emulator and isolated pipelines.

In a ``conftest.py``::

    import pytest

    pytest_plugins = ["pyot_django.testing.pytest_plugin"]

    @pytest.fixture(autouse=True)
    def _pyot(riot_pipelines):
        # Every test: RiotAPI stores on the emulator, empty caches, fresh rate limiters.
        return riot_pipelines

    def test_a_dripping_upstream(riot_emulator):
        riot_emulator.emulator.script("*", [{"fault": "drip_body", "interval": 1.5, "times": 3}])
        ...  # every hostile answer is listed in pyot_django.testing.faults


``riot_emulator_server`` (session) serves one emulator for the whole run, built from
``riot_emulator_config`` (session; defaults to ``EmulatorConfig()``, which is strict like Riot:
400/401/404 on malformed ids, unserved routing values and RSO calls without a Bearer token;
override it in a conftest or a test module to return ``EmulatorConfig(strict=False)`` for the
lenient mode that invents data for any id); ``riot_emulator`` (function) hands it over with stats,
windows, scripts and config reset to that config. ``riot_pipelines`` (function) also isolates ``settings.PYOT``
on it (see :mod:`pyot_django.testing.isolation`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Literal, TypeVar

from pyot_django.testing.config import EmulatorConfig
from pyot_django.testing.isolation import IsolatedPipelines, isolated_pipelines
from pyot_django.testing.runner import RunningEmulator, serve_emulator

__all__ = ["riot_emulator", "riot_emulator_config", "riot_emulator_server", "riot_pipelines"]

if TYPE_CHECKING:
    # pytest belongs to the project's test suite, not to pyot_django's dependencies: this module
    # type-checks without it. pytest finds a fixture by name; to a checker it stays the function.
    _Fixture = TypeVar("_Fixture", bound=Callable[..., object])

    def fixture(*, scope: Literal["session", "function"] = "function") -> Callable[[_Fixture], _Fixture]: ...

else:
    from pytest import fixture


@fixture(scope="session")
def riot_emulator_config() -> EmulatorConfig:
    """The emulator's config: strict like Riot. Override the fixture (session scope) in a conftest
    or a test module to change it, e.g. ``EmulatorConfig(strict=False)`` for the lenient mode."""
    return EmulatorConfig()


@fixture(scope="session")
def riot_emulator_server(riot_emulator_config: EmulatorConfig) -> Iterator[RunningEmulator]:
    with serve_emulator(riot_emulator_config) as running:
        yield running


@fixture()
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


@fixture()
def riot_pipelines(riot_emulator: RunningEmulator, settings: object) -> Iterator[IsolatedPipelines]:
    """``settings.PYOT`` on the emulator, with this test's own empty caches and limiters.

    The settings change through pytest-django's ``settings``, so they are undone in order
    with the test's own changes (a test may still set ``settings.PYOT`` itself).
    """
    with isolated_pipelines(riot_emulator, settings_fixture=settings) as isolated:
        yield isolated


def _changes(current: EmulatorConfig, wanted: EmulatorConfig) -> dict[str, object]:
    return {
        name: getattr(wanted, name)
        for name in current.__dataclass_fields__
        if getattr(wanted, name) != getattr(current, name)
    }
