"""``riot_pipelines`` / ``isolated_pipelines``: each test worker its own caches and limiter keys."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings

from pyot_django.pipeline import pipelines
from pyot_django.riot.http import key_identity
from pyot_django.testing.isolation import isolated_config, isolated_pipelines, worker_api_key, worker_salt

USER_PYOT = {
    "lol": {
        "STORES": [
            {"BACKEND": "pyot_django.stores.Memory"},
            {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis"},
            {
                "BACKEND": "pyot_django.stores.RiotAPI",
                "API_KEY": "RGAPI-would-be-real",
                "RATE_LIMITER": {"BACKEND": "pyot_django.limiters.RedisLimiter", "LOCATION": f"{settings.REDIS_URL}/1"},
            },
        ]
    }
}


def _fetch_account() -> None:
    async_to_sync(pipelines["lol"].fetch)("account-v1.getByRiotId", "americas", gameName="Faker", tagLine="KR1")


def test_config_points_riotapi_at_the_emulator_with_a_worker_key_and_limiter_prefix():
    config = isolated_config(USER_PYOT, "http://127.0.0.1:1/{server}", "gw3")
    riot = config["lol"]["STORES"][2]
    assert riot["BASE_URL"] == "http://127.0.0.1:1/{server}"
    assert riot["API_KEY"] != "RGAPI-would-be-real" and riot["API_KEY"].endswith("gw3")
    assert riot["RATE_LIMITER"]["KEY_PREFIX"] == "pyot:rl:test-gw3"
    assert USER_PYOT["lol"]["STORES"][2]["API_KEY"] == "RGAPI-would-be-real"  # a copy


def test_worker_salt_follows_xdist(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    assert worker_salt() == "gw1"
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert worker_salt() == "main"


@pytest.mark.usefixtures("redis_url")
def test_two_workers_never_see_or_clear_each_others_entries(settings, riot_emulator):
    settings.PYOT = USER_PYOT
    client_keys = lambda: {k.decode() for k in caches_client().scan_iter(match="*test-gw*")}  # noqa: E731

    with isolated_pipelines(riot_emulator, salt="gw0"):
        _fetch_account()
        # The rebuilt registry binds each pipeline's namespace once, from this worker's key.
        namespace = f"lol@{key_identity(worker_api_key('gw0'))}"
        assert pipelines["lol"].namespace == namespace and pipelines["lol"].stores[1].key_prefix == f"pyot:{namespace}:"
        gw0 = client_keys()
        assert any("pyot-test-gw0" in key and "pyot:lol@" in key for key in gw0)
        assert any("pyot:rl:test-gw0" in key for key in gw0)  # the limiter's own keys
        with isolated_pipelines(riot_emulator, salt="gw1"):  # another worker, meanwhile
            _fetch_account()  # not from gw0's cache: a request of its own
            assert pipelines["lol"].namespace == f"lol@{key_identity(worker_api_key('gw1'))}" != namespace
            assert riot_emulator.emulator.stats()["total"] == 2
        # (Nested here, gw1 salts gw0's settings: "…test-gw0:test-gw1…" is gw1's.)
        assert {key for key in client_keys() if "gw0" in key and "gw1" not in key} == gw0  # gw1 cleared its own
    assert not [key for key in client_keys() if ":lol@" in key]  # each cleared its cache on exit
    assert settings.PYOT["lol"]["STORES"][2]["API_KEY"] == "RGAPI-would-be-real"  # restored


def caches_client():
    from django.core.cache import caches

    return caches["redis"].client.get_client()


@pytest.fixture
def user_settings(settings):
    settings.PYOT = USER_PYOT  # as a user's settings.py would have it


def test_fixture_isolates_the_users_settings(user_settings, riot_pipelines, settings):
    riot = settings.PYOT["lol"]["STORES"][2]
    assert riot["BASE_URL"] == riot_pipelines.server.base_url and riot["API_KEY"] == riot_pipelines.api_key
    assert settings.CACHES["redis"]["KEY_PREFIX"] == "pyot-test-main"
    assert pipelines["lol"].stores[2].base_url == riot_pipelines.server.base_url
