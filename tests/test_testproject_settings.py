"""The testproject's settings from the environment, and its eager (broker-less) default."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pyot_django.testing import RunningEmulator
from testproject.env import EMULATOR_API_KEY, EMULATOR_BASE_URL, RIOT_BASE_URL, database_from_url, riot_target
from tests.helpers import API_KEY

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "import json, testproject.settings as s; print(json.dumps({"
    "'db': s.DATABASES['default'], 'cache': s.CACHES['default']['BACKEND'], "
    "'limiter': s.PYOT['lol']['STORES'][3]['RATE_LIMITER']['BACKEND'], "
    "'base_url': s.PYOT['lol']['STORES'][3]['BASE_URL'], 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': s.CELERY_BROKER_URL}))"
)


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYOT_", "CELERY_", "RIOT_"))}
    env = {k: v for k, v in env.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="testproject.settings", **extra)
    return env


def _settings(**env: str) -> dict:
    result = subprocess.run([sys.executable, "-c", SHOW], env=_clean_env(**env), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_database_url_for_postgres_is_parsed_with_escapes_and_options():
    config = database_from_url("postgres://pyot:p%40ss@db.internal:5433/riot?sslmode=require")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("riot", "pyot", "p@ss")
    assert (config["HOST"], config["PORT"]) == ("db.internal", "5433")
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_database_url_for_a_sqlite_file_and_a_bad_scheme():
    assert database_from_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    with pytest.raises(ValueError, match="mysql"):
        database_from_url("mysql://x@y/z")


def test_riot_target_is_the_emulator_without_a_key_and_riot_with_one():
    assert riot_target({}) == (EMULATOR_API_KEY, EMULATOR_BASE_URL)
    assert riot_target({"RIOT_API_KEY": API_KEY}) == (API_KEY, RIOT_BASE_URL)
    assert riot_target({"PYOT_RIOT_BASE_URL": "http://127.0.0.1:9/{server}"})[1] == "http://127.0.0.1:9/{server}"


def test_defaults_are_sqlite_locmem_memory_limiter_and_eager_celery(tmp_path: Path):
    shown = _settings(PYOT_DEMO_SQLITE=str(tmp_path / "db.sqlite3"))
    assert shown["db"]["ENGINE"] == "django.db.backends.sqlite3" and shown["db"]["NAME"].startswith(str(tmp_path))
    assert shown["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert shown["limiter"] == "pyot_django.limiters.MemoryLimiter"
    assert shown["eager"] is True
    assert shown["base_url"] == EMULATOR_BASE_URL


def test_redis_and_database_urls_switch_to_shared_services():
    shown = _settings(REDIS_URL="redis://127.0.0.1:6379/7", DATABASE_URL="postgres://postgres@127.0.0.1:5432/test")
    assert shown["db"]["ENGINE"] == "django.db.backends.postgresql" and shown["db"]["NAME"] == "test"
    assert shown["cache"] == "django_redis.cache.RedisCache"
    assert shown["limiter"] == "pyot_django.limiters.RedisLimiter"
    assert shown["eager"] is False and shown["broker"] == "redis://127.0.0.1:6379/7"


@pytest.mark.parametrize("env", [{}, {"REDIS_URL": "redis://127.0.0.1:6379/7"}])
def test_manage_py_check_passes(tmp_path: Path, env: dict[str, str]):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level=WARNING"],
        cwd=ROOT, env=_clean_env(PYOT_DEMO_SQLITE=str(tmp_path / "db.sqlite3"), **env),
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_crawl_runs_eagerly_without_a_broker(tmp_path: Path, riot_emulator: RunningEmulator):
    env = _clean_env(PYOT_DEMO_SQLITE=str(tmp_path / "db.sqlite3"), PYOT_RIOT_BASE_URL=riot_emulator.base_url)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--verbosity=0"], cwd=ROOT, env=env, check=True)
    result = subprocess.run(
        [*manage, "crawl", "Faker#KR1", "--count=3", "--wait"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert len(summary["match_ids"]) == 3
    assert sorted(item["match_id"] for item in summary["fetched"]) == sorted(summary["match_ids"])
    assert riot_emulator.emulator.stats()["by_operation"]["match-v5.getMatch"] == 3


def test_bad_crawl_input_is_a_command_error(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "manage.py", "crawl", "Faker"],
        cwd=ROOT, env=_clean_env(PYOT_DEMO_SQLITE=str(tmp_path / "db.sqlite3")), capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1 and "gameName#tagLine" in result.stderr
