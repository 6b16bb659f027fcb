"""Small builders shared by the tests."""

from __future__ import annotations

import re
import socket
from typing import Any

import pytest

from pyot_django.pipeline import Pipeline, PipelineToken, build_pipelines
from pyot_django.testing import EmulatorConfig

FAKE = "tests.fakes.FakeService"

# Recognisable fake keys: the suite asserts they never reach a log line, page or message.
API_KEY = "RGAPI-test-secretkey-0001-do-not-log"
OTHER_API_KEY = "RGAPI-test-secretkey-0002-do-not-log"
SECRET_KEYS = (API_KEY, OTHER_API_KEY)


def riot_store(base_url: str, api_key: str = API_KEY, **options: Any) -> dict[str, Any]:
    """A RiotAPI store entry pointed at the emulator (fast retries unless told otherwise)."""
    store: dict[str, Any] = {
        "BACKEND": "pyot_django.stores.RiotAPI",
        "API_KEY": api_key,
        "BASE_URL": base_url,
        "TIMEOUT": 2,
        "ERROR_HANDLING": {
            429: ("E", [0.05, 3]),
            500: ("R", [2]),
            502: ("E", [0.05, 2]),
            503: ("E", [0.05, 3]),
            504: ("E", [0.05, 2]),
        },
    }
    store.update(options)
    return store


CACHE_STORES: dict[str, dict[str, Any]] = {
    "memory": {"BACKEND": "pyot_django.stores.Memory"},
    "locmem": {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "locmem"},
    "redis": {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis"},
    "orm": {"BACKEND": "pyot_django.stores.DjangoORM"},
    "orm_custom": {"BACKEND": "pyot_django.stores.DjangoORM", "MODEL": "testapp.MatchEntry"},
}


def make_pipeline(*stores: dict[str, Any], name: str = "lol") -> Pipeline:
    return build_pipelines({name: {"STORES": list(stores)}})[name]


def summoner_token(puuid: str = "p1", server: str = "na1") -> PipelineToken:
    return PipelineToken("lol", server, "summoner-v4.getByPUUID", {"id": puuid}, {})


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released: a small race, fine here)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    """Whether something accepts connections on this loopback port."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def puuid(name: str = "p1") -> str:
    """A PUUID of Riot's shape (78 chars of [A-Za-z0-9_-]) that still reads as ``name``: the
    emulator, strict like Riot by default, answers 400 to anything shorter."""
    if len(name) > 78:
        raise ValueError("a PUUID has 78 characters")
    return re.sub(r"[^A-Za-z0-9_-]", "-", name).ljust(78, "_")


def match_id(game_id: int = 1, platform: str = "NA1") -> str:
    """A match id of Riot's shape, ``PLATFORM_gameId`` (served on the platform's region)."""
    return f"{platform.upper()}_{game_id}"


@pytest.fixture(scope="session", name="riot_emulator_config")
def lenient_riot_emulator_config() -> EmulatorConfig:
    """The emulator's lenient mode, for a module that imports this fixture (with its reason):
    any id and routing value of the operation's kind is served, as before strict became the
    default. For suites about something other than Riot's id rules (faults, deadlines, secrets)
    whose made-up ids (``"x"``, ``"p-1"``) are not what they test."""
    return EmulatorConfig(strict=False)
