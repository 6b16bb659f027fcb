"""The README cannot drift: its code runs and its reference tables match the code.

Every ```python block carries a ``<!-- test: NAME -->`` tag and is executed here
(with nothing but the emulator's BASE_URL substituted where a block talks to Riot); the
option, expiration, error-handling, system-check and command tables are compared with
what the code defines. Changing a block or a table without changing the behaviour it
describes (or the other way round) fails a test.
"""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import redis
from asgiref.sync import async_to_sync, iscoroutinefunction
from django.http import Http404
from django.test import RequestFactory

from pyot_django.conf import config_problems
from pyot_django.pipeline import pipelines
from pyot_django.pipeline.trace import trace_lookups
from pyot_django.testing import RunningEmulator
from tests.helpers import API_KEY

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
TAGGED = re.compile(r"<!-- test: ([\w-]+) -->\n```python\n(.*?)```", re.S)
TESTED = {"settings", "celery-beat", "async-view", "sync-view", "celery-task", "low-level", "emulator"}
REDIS_URL = "redis://127.0.0.1:6379/6"


def block(name: str) -> str:
    found = [code for tag, code in TAGGED.findall(README) if tag == name]
    assert len(found) == 1, f"README has {len(found)} blocks tagged {name!r}"
    return found[0]


def run_block(name: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": f"readme_{name.replace('-', '_')}"}
    exec(compile(block(name), f"README.md[{name}]", "exec"), namespace)
    return namespace


def section(heading: str) -> str:
    start = README.index(heading + "\n")
    rest = README[start + len(heading) + 1 :]
    following = re.search(r"^#{2,3} ", rest, re.M)
    return rest[: following.start()] if following else rest


def table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            rows.append(cells)
    return rows[1:] if rows else rows  # without the header row


def code(cell: str) -> str:
    return cell.strip().strip("`")


@pytest.fixture
def emulator_pipeline(settings, riot_emulator: RunningEmulator) -> RunningEmulator:
    settings.PYOT = {
        "lol": {
            "STORES": [
                {"BACKEND": "pyot_django.stores.Memory"},
                {"BACKEND": "pyot_django.stores.RiotAPI", "API_KEY": API_KEY, "BASE_URL": riot_emulator.base_url},
            ]
        }
    }
    return riot_emulator


# -- every block is tested --------------------------------------------------------------------


def test_every_python_block_is_tagged_and_has_a_test():
    tags = [tag for tag, _ in TAGGED.findall(README)]
    assert README.count("```python\n") == len(tags), "a ```python block in the README has no <!-- test: --> tag"
    assert sorted(tags) == sorted(TESTED)


# -- the blocks run ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_settings_block_configures_a_working_four_store_pipeline(monkeypatch, settings, riot_emulator):
    monkeypatch.setenv("RIOT_API_KEY", API_KEY)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is not answering at {REDIS_URL}: {exc}", pytrace=False)
    client.flushdb()
    ns = run_block("settings")
    assert "pyot_django" in ns["INSTALLED_APPS"]
    assert config_problems(ns["PYOT"]) == []
    riot = ns["PYOT"]["lol"]["STORES"][-1]
    assert "BASE_URL" not in riot and riot["API_KEY"] == API_KEY  # the production form: the real API
    riot["BASE_URL"] = riot_emulator.base_url  # the one substitution
    settings.CACHES = {**settings.CACHES, "default": ns["CACHES"]["default"]}
    settings.PYOT = ns["PYOT"]
    try:
        lol = pipelines["lol"]
        assert [store.name for store in lol] == ["Memory", "DjangoCache", "DjangoORM", "RiotAPI"]
        assert type(lol.stores[-1].limiter).__name__ == "RedisLimiter"
        fetch = async_to_sync(lol.fetch)
        with trace_lookups() as trace:
            fetch("match-v5.getMatch", "americas", matchId="NA1_5389898818")
            fetch("match-v5.getMatch", "americas", matchId="NA1_5389898818")
            fetch("account-v1.getByRiotId", "americas", gameName="Faker", tagLine="KR1")
        assert [r.store_name for r in trace.records] == ["RiotAPI", "Memory", "RiotAPI"]
        from pyot_django.models import PyotEntry

        # The ORM keeps finished matches only ("*": 0), the Redis cache keeps both.
        assert list(PyotEntry.objects.values_list("method", flat=True)) == ["match-v5.getMatch"]
        assert len(client.keys("*pyot:lol@*")) == 2
    finally:
        async_to_sync(pipelines["lol"].aclose)()
        client.flushdb()
        client.close()


def test_celery_beat_block_names_the_real_tasks():
    from celery.schedules import crontab

    from pyot_django import tasks

    schedule = run_block("celery-beat")["CELERY_BEAT_SCHEDULE"]
    assert {entry["task"] for entry in schedule.values()} == {
        tasks.expire_pipelines.name,
        tasks.clear_pipelines.name,
    }
    assert any(isinstance(entry["schedule"], crontab) for entry in schedule.values())
    for entry in schedule.values():
        inspect.signature(tasks.clear_pipelines.run).bind(**entry.get("kwargs", {}))


async def test_async_view_block_answers_from_the_emulator(emulator_pipeline):
    player = run_block("async-view")["player"]
    assert iscoroutinefunction(player)
    response = await player(RequestFactory().get("/"), "americas", "na1", "Faker", "KR1")
    import json

    data = json.loads(response.content)
    assert data["level"] > 0 and len(data["matches"]) == 10
    assert emulator_pipeline.emulator.stats()["total"] == 3


def test_sync_view_block_answers_and_turns_not_found_into_404(emulator_pipeline):
    match = run_block("sync-view")["match"]
    response = match(RequestFactory().get("/"), "americas", "NA1_5389898818")
    assert response.status_code == 200 and b"duration" in response.content
    with pytest.raises(Http404):
        match(RequestFactory().get("/"), "americas", "404_1")


def test_celery_task_block_fetches_every_match_once(emulator_pipeline):
    warm_matches = run_block("celery-task")["warm_matches"]
    assert warm_matches("americas", ["NA1_1001", "NA1_1002", "NA1_1001"]) == 3
    # Concurrent gets of one token share one lookup: two distinct matches, two requests.
    assert emulator_pipeline.emulator.stats()["by_operation"] == {"match-v5.getMatch": 2}


async def test_low_level_block_walks_the_stores_and_maintains_them(emulator_pipeline):
    low_level = run_block("low-level")["low_level"]
    account = await pipelines["lol"].fetch("account-v1.getByRiotId", "americas", gameName="Faker", tagLine="KR1")
    assert await low_level(account["puuid"]) == ["RiotAPI", "Memory"]
    token = pipelines["lol"].token("summoner-v4.getByPUUID", "na1", encryptedPUUID=account["puuid"])
    assert not await pipelines["lol"].contains(token)  # the block ends with clear()


def test_emulator_block_is_a_passing_test_suite(tmp_path: Path):
    conftest, _, test_module = block("emulator").partition("# test_riot.py\n")
    (tmp_path / "conftest.py").write_text(conftest)
    (tmp_path / "test_riot.py").write_text(test_module)
    (tmp_path / "pytest.ini").write_text("[pytest]\nDJANGO_SETTINGS_MODULE = tests.settings\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "3 passed" in result.stdout


# -- the reference tables match the code ----------------------------------------------------------


def test_quick_start_has_exactly_the_two_make_commands():
    quick = section("## Quick start")
    commands = re.findall(r"```sh\n(.*?)```", quick, re.S)
    assert len(commands) == 1
    assert commands[0].strip().splitlines() == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def _documented_options(heading: str) -> dict[str, list[str]]:
    return {code(row[0]): row for row in table_rows(section(heading))}


def test_store_tables_list_exactly_each_stores_options_and_defaults():
    from pyot_django.stores import DjangoCache, DjangoORM, Memory, RiotAPI, orm, riotapi

    for cls in (Memory, DjangoCache, DjangoORM, RiotAPI):
        rows = _documented_options(f"### `pyot_django.stores.{cls.__name__}`")
        assert set(rows) == set(cls.OPTIONS), cls.__name__
        assert rows["BACKEND"][3] == f'`"pyot_django.stores.{cls.__name__}"`'
    memory = _documented_options("### `pyot_django.stores.Memory`")
    assert memory["MAX_ENTRIES"][2] == f"`{Memory.DEFAULT_MAX_ENTRIES:_}`"
    assert _documented_options("### `pyot_django.stores.DjangoORM`")["MODEL"][2] == f'`"{orm.DEFAULT_MODEL}"`'
    riot = _documented_options("### `pyot_django.stores.RiotAPI`")
    assert riot["BASE_URL"][2] == f'`"{riotapi.DEFAULT_BASE_URL}"`'
    assert riot["TIMEOUT"][2] == f"`{riotapi.DEFAULT_TIMEOUT}`"


def test_limiter_tables_list_exactly_each_limiters_options_and_defaults():
    from pyot_django.limiters import MemoryLimiter, RedisLimiter

    text = section("### Rate limiters (`RATE_LIMITER`)")
    memory_part, _, redis_part = text.partition("`pyot_django.limiters.RedisLimiter`")
    for cls, part in ((MemoryLimiter, memory_part), (RedisLimiter, redis_part)):
        rows = {code(row[0]): row for row in table_rows(part)}
        assert set(rows) == set(cls.OPTIONS), cls.__name__
        for name, parameter in inspect.signature(cls.__init__).parameters.items():
            if parameter.default is not inspect.Parameter.empty and parameter.default is not None:
                assert ast.literal_eval(code(rows[name.upper()][2])) == parameter.default, name


def test_expirations_table_is_the_defaults():
    from pyot_django.stores.expirations import DEFAULT_EXPIRATIONS

    rows = table_rows(section("### Expirations"))
    documented = {code(name): int(seconds) for name, seconds in rows}
    assert documented == DEFAULT_EXPIRATIONS
    assert [code(name) for name, _ in rows] == list(DEFAULT_EXPIRATIONS)


def test_error_handling_table_is_the_defaults():
    from pyot_django.riot.retry import DEFAULT_ERROR_HANDLING

    rows = table_rows(section("### Error handling"))
    documented = {int(status): ast.literal_eval(code(strategy)) for status, strategy in rows}
    assert documented == {status: tuple(rule) for status, rule in DEFAULT_ERROR_HANDLING.items()}


def test_every_system_check_id_is_documented_and_no_other():
    in_code: set[str] = set()
    for path in (ROOT / "pyot_django").rglob("*.py"):
        in_code.update(re.findall(r'(?:OptionProblem|Problem)\(\s*"([EW]\d{3})"', path.read_text()))
    documented = {code(row[0]).removeprefix("pyot_django.") for row in table_rows(section("### System checks"))}
    assert in_code and documented == in_code


def test_every_management_command_is_documented():
    commands = {p.stem for p in (ROOT / "pyot_django" / "management" / "commands").glob("pyot_*.py")}
    rows = table_rows(section("## The admin page and the commands"))
    documented = {code(row[0]).split()[0] for row in rows}
    assert documented == commands


def test_reliability_table_names_real_options_and_their_defaults():
    from pyot_django.limiters import RedisLimiter
    from pyot_django.limiters.engine import PAUSE_CAP
    from pyot_django.pipeline.health import COOL_DOWN_SECONDS
    from pyot_django.riot.http.client import DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT
    from pyot_django.riot.http.retry_after import DEFAULT_MAX_RETRY_AFTER
    from pyot_django.stores import DjangoCache, DjangoORM, Memory, RiotAPI
    from pyot_django.stores.base import DEFAULT_MAX_VALUE_SIZE

    owners = {"RiotAPI": RiotAPI, "Memory": Memory, "DjangoCache": DjangoCache, "DjangoORM": DjangoORM}
    owners["RedisLimiter"] = RedisLimiter
    defaults = {
        "one attempt, end to end": DEFAULT_TIMEOUT,
        "a whole lookup": None,
        "`Retry-After`": DEFAULT_MAX_RETRY_AFTER,
        "a limiter pause": PAUSE_CAP,
        "a response body": DEFAULT_MAX_RESPONSE_SIZE,
        "a cached value": DEFAULT_MAX_VALUE_SIZE,
        "a failing cache store": COOL_DOWN_SECONDS,
        "the limiter's Redis down": inspect.signature(RedisLimiter.__init__).parameters["fallback_share"].default,
    }
    rows = {row[0]: row for row in table_rows(section("## Reliability"))}
    for bound, expected in defaults.items():
        assert ast.literal_eval(code(rows[bound][2])) == expected, bound
    for bound, option_cell, *_ in rows.values():
        classes = [owners[name] for name in re.findall(r"`(\w+)`", option_cell) if name in owners]
        options = set(re.findall(r"`([A-Z_]+)`", option_cell))
        for cls in classes:  # every option named exists on every class named beside it
            assert options <= cls.OPTIONS, (bound, cls.__name__)
