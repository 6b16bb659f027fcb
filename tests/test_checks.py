"""One test per system check id, and one through `manage.py check`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings

FAKE = {"BACKEND": "tests.fakes.FakeService"}
MEMORY = {"BACKEND": "pyot_django.stores.Memory"}


def run_checks(pyot) -> list[checks.CheckMessage]:
    with override_settings(PYOT=pyot):
        return checks.run_checks(tags=["pyot_django"])


def ids(pyot) -> list[str]:
    return [message.id for message in run_checks(pyot)]


def only(pyot, check_id: str) -> checks.CheckMessage:
    messages = run_checks(pyot)
    assert [m.id for m in messages] == [f"pyot_django.{check_id}"], messages
    assert messages[0].hint
    return messages[0]


def test_valid_settings_pass():
    pyot = {
        "lol": {
            "STORES": [
                dict(MEMORY, MAX_ENTRIES=100, EXPIRATIONS={"*": 60, "match-v5.getMatch": -1}),
                {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "locmem"},
                {"BACKEND": "pyot_django.stores.DjangoORM", "EXPIRATIONS": {"league-v4": timedelta(minutes=2)}},
                FAKE,
            ]
        },
        "TFT": {"STORES": [FAKE]},
    }
    assert run_checks(pyot) == []


def test_E001_pyot_not_a_dict():
    message = only(["lol"], "E001")
    assert message.level == checks.ERROR
    assert "PYOT" in message.msg


def test_E002_pipeline_name_not_a_game():
    assert "PYOT['league']" in only({"league": {"STORES": [FAKE]}}, "E002").msg


@pytest.mark.parametrize("pipeline", [{}, {"STORES": []}, {"STORES": "x"}, "not a dict"])
def test_E003_pipeline_without_stores(pipeline):
    assert "PYOT['lol']['STORES']" in only({"lol": pipeline}, "E003").msg


@pytest.mark.parametrize("store", [{"ALIAS": "default"}, "pyot_django.stores.Memory"])
def test_E004_store_without_backend(store):
    assert "PYOT['lol']['STORES'][0]" in only({"lol": {"STORES": [store, FAKE]}}, "E004").msg


@pytest.mark.parametrize("backend", ["pyot_django.stores.Nope", "nowhere.Store", 42])
def test_E005_backend_does_not_import(backend):
    message = only({"lol": {"STORES": [{"BACKEND": backend}, FAKE]}}, "E005")
    assert "PYOT['lol']['STORES'][0]['BACKEND']" in message.msg


@pytest.mark.parametrize("backend", ["collections.OrderedDict", "pyot_django.stores.base.CacheStore"])
def test_E006_backend_is_not_a_store(backend):
    only({"lol": {"STORES": [{"BACKEND": backend}, FAKE]}}, "E006")


def test_E007_unknown_option():
    message = only({"lol": {"STORES": [dict(MEMORY, MAX_ENTRYS=5), FAKE]}}, "E007")
    assert "PYOT['lol']['STORES'][0]['MAX_ENTRYS']" in message.msg
    assert "MAX_ENTRIES" in message.hint


def test_E008_cache_alias_missing():
    message = only({"lol": {"STORES": [{"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "nope"}, FAKE]}}, "E008")
    assert "PYOT['lol']['STORES'][0]['ALIAS']" in message.msg
    assert "locmem" in message.hint


@pytest.mark.parametrize("value", [-5, 1.5, "60", None, timedelta(seconds=-3)])
def test_E009_bad_expiration_value(value):
    message = only({"lol": {"STORES": [dict(MEMORY, EXPIRATIONS={"*": 60, "match-v5.getMatch": value}), FAKE]}}, "E009")
    assert "PYOT['lol']['STORES'][0]['EXPIRATIONS']['match-v5.getMatch']" in message.msg


def test_E009_expirations_not_a_dict():
    only({"lol": {"STORES": [dict(MEMORY, EXPIRATIONS=[60]), FAKE]}}, "E009")


def test_E010_expiration_key_not_a_method_of_the_game():
    message = only({"lol": {"STORES": [dict(MEMORY, EXPIRATIONS={"match-v5.getMatchh": 60}), FAKE]}}, "E010")
    assert "match-v5.getMatch" in message.hint
    # A TFT operation is not a method of the lol game.
    only({"lol": {"STORES": [dict(MEMORY, EXPIRATIONS={"tft-match-v1.getMatch": 60}), FAKE]}}, "E010")


def test_E011_bad_max_entries():
    only({"lol": {"STORES": [dict(MEMORY, MAX_ENTRIES=0), FAKE]}}, "E011")


@pytest.mark.parametrize("model", ["pyot_django.Pipeline", "nope.Model", "auth.User", "x"])
def test_E012_orm_model_not_a_concrete_entry_model(model):
    only({"lol": {"STORES": [{"BACKEND": "pyot_django.stores.DjangoORM", "MODEL": model}, FAKE]}}, "E012")


def test_W001_service_store_not_last():
    message = only({"lol": {"STORES": [FAKE, MEMORY]}}, "W001")
    assert message.level == checks.WARNING


def test_W002_cache_store_that_caches_nothing():
    message = only({"lol": {"STORES": [dict(MEMORY, EXPIRATIONS={"*": 0}), FAKE]}}, "W002")
    assert message.level == checks.WARNING


def test_manage_py_check_reports_the_exact_key():
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tests.settings_bad_pyot")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "pyot_django.E008" in result.stderr
    assert "PYOT['lol']['STORES'][0]['ALIAS']" in result.stderr
    ok = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env=dict(os.environ, DJANGO_SETTINGS_MODULE="tests.settings"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr


RIOT = {"BACKEND": "pyot_django.stores.RiotAPI", "API_KEY": "RGAPI-test-checks"}


def riot(**options):
    return {"lol": {"STORES": [MEMORY, {**RIOT, **options}]}}


def test_riot_store_with_defaults_passes():
    assert run_checks(riot()) == []


@pytest.mark.parametrize("key", [None, "", "   ", 42])
def test_E013_riot_store_without_api_key(key):
    options = {**RIOT, "API_KEY": key}
    if key is None:
        del options["API_KEY"]
    message = only({"lol": {"STORES": [MEMORY, options]}}, "E013")
    assert "PYOT['lol']['STORES'][1]['API_KEY']" in message.msg
    assert "environment" in message.hint


@pytest.mark.parametrize("url", ["https://na1.api.riotgames.com", "ftp://{server}.x", 5])
def test_E014_bad_base_url(url):
    only(riot(BASE_URL=url), "E014")


@pytest.mark.parametrize("timeout", [0, -1, "10", True])
def test_E015_bad_timeout(timeout):
    only(riot(TIMEOUT=timeout), "E015")


@pytest.mark.parametrize(
    "handling", [[503], {"503": ("E", [1, 3])}, {503: ("X", [])}, {503: ("R", [1.5])}, {200: ("T", [])}]
)
def test_E016_bad_error_handling(handling):
    only(riot(ERROR_HANDLING=handling), "E016")


def test_E017_bad_log_level():
    only(riot(LOG_LEVEL="LOUD"), "E017")


@pytest.mark.parametrize(
    "limiter",
    [
        {"BACKEND": "pyot_django.limiters.Nope"},
        {"BACKEND": "pyot_django.limiters.RedisLimiter"},  # no LOCATION
        {"LIMITING_SHARE": 0},
        {"PACING": "sideways"},
        {"LIMITNG_SHARE": 0.5},
    ],
)
def test_E018_rate_limiter_cannot_be_built(limiter):
    message = only(riot(RATE_LIMITER=limiter), "E018")
    assert "PYOT['lol']['STORES'][1]['RATE_LIMITER']" in message.msg


def test_W001_counts_every_entry_after_the_service_store_broken_ones_included():
    broken = {"NO_BACKEND": True}
    message = next(
        m for m in run_checks({"lol": {"STORES": [FAKE, MEMORY, broken, MEMORY, broken]}}) if m.id == "pyot_django.W001"
    )
    assert "the 4 store(s) after it" in message.msg


@pytest.mark.parametrize(
    ("pipeline", "key", "hint"),
    [
        ({"STORES": [FAKE], "EXPIRATIONS": {"*": 60}}, "PYOT['lol']['EXPIRATIONS']", "is a store option"),
        ({"STORES": [FAKE], "stores": []}, "PYOT['lol']['stores']", "Did you mean 'STORES'?"),
        ({"STORES": [FAKE], "COLOUR": 1}, "PYOT['lol']['COLOUR']", "A pipeline takes only 'STORES'"),
    ],
)
def test_E025_unknown_pipeline_key_names_it_and_the_nearest_valid_one(pipeline, key, hint):
    message = only({"lol": pipeline}, "E025")
    assert message.level == checks.ERROR
    assert key in message.msg
    assert hint in message.hint


def test_E025_STORE_instead_of_STORES_is_named_beside_E003():
    messages = run_checks({"lol": {"STORE": [FAKE]}})
    assert sorted(m.id for m in messages) == ["pyot_django.E003", "pyot_django.E025"]
    typo = next(m for m in messages if m.id == "pyot_django.E025")
    assert "'STORE'" in typo.msg and "Did you mean 'STORES'?" in typo.hint


def test_E026_task_lock_cache_names_no_cache():
    with override_settings(PYOT_TASK_LOCK_CACHE="nope"):
        message = only({"lol": {"STORES": [FAKE]}}, "E026")
    assert message.level == checks.ERROR
    assert "PYOT_TASK_LOCK_CACHE" in message.msg and "'nope'" in message.msg
    with override_settings(PYOT_TASK_LOCK_CACHE="redis"):
        assert run_checks({"lol": {"STORES": [FAKE]}}) == []


@pytest.mark.parametrize("size", [0, -5, 1.5, "4MB", True])
def test_E027_bad_max_value_size(size):
    message = only({"lol": {"STORES": [dict(MEMORY, MAX_VALUE_SIZE=size), FAKE]}}, "E027")
    assert "PYOT['lol']['STORES'][0]['MAX_VALUE_SIZE']" in message.msg


def test_max_value_size_none_means_no_limit():
    assert run_checks({"lol": {"STORES": [dict(MEMORY, MAX_VALUE_SIZE=None), FAKE]}}) == []


def test_W005_pipeline_without_a_service_store():
    message = only({"lol": {"STORES": [MEMORY]}}, "W005")
    assert message.level == checks.WARNING
    assert "NotFound" in message.msg


def _redis_alias(**options):
    return {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": options}


def test_W006_django_redis_alias_with_ignore_exceptions():
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "quiet": _redis_alias(IGNORE_EXCEPTIONS=True, SOCKET_TIMEOUT=1, SOCKET_CONNECT_TIMEOUT=1),
    }
    with override_settings(CACHES=caches):
        message = only(
            {"lol": {"STORES": [{"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "quiet"}, FAKE]}}, "W006"
        )
    assert "IGNORE_EXCEPTIONS" in message.msg and "outage" in message.msg


def test_W007_django_redis_alias_without_socket_timeouts():
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "patient": _redis_alias(SOCKET_TIMEOUT=1),
    }
    with override_settings(CACHES=caches):
        message = only(
            {"lol": {"STORES": [{"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "patient"}, FAKE]}}, "W007"
        )
    assert "SOCKET_CONNECT_TIMEOUT" in message.msg and "SOCKET_TIMEOUT" not in message.msg.replace("SOCKET_CONNECT", "")
