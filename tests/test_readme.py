"""The README and the docs cannot drift: their code runs and their tables match the code.

Every ```python block of README.md and docs/*.md carries a ``<!-- test: NAME -->`` tag and is
executed here or in tests/test_new_project.py (with nothing but the emulator's BASE_URL
substituted where a block talks to Riot); the option, expiration, error-handling,
system-check and command tables of the docs pages are compared with what the code defines.
Changing a block or a table without changing the behaviour it describes (or the other way
round) fails a test.
"""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from asgiref.sync import async_to_sync, iscoroutinefunction
from django.conf import settings as django_settings
from django.http import Http404
from django.test import RequestFactory

from pyot_django.conf import config_problems
from pyot_django.pipeline import pipelines
from pyot_django.pipeline.trace import trace_lookups
from pyot_django.testing import RunningEmulator
from tests.doc_blocks import DOCS, README, ROOT, all_pages, block, run_block, section, table_rows, tagged_blocks
from tests.helpers import API_KEY

TESTED = {
    "settings", "celery-beat", "async-view", "sync-view", "celery-task", "low-level", "emulator",
    "conftest", "isolated-tests", "testcase-mixin", "static-settings", "static-helpers", "typed-fetch",
}  # fmt: skip
# Run by tests/test_new_project.py in a fresh startproject (they need its URLs and settings).
RUN_IN_A_NEW_PROJECT = {"conftest", "isolated-tests", "testcase-mixin"}
REDIS_URL = f"{django_settings.REDIS_URL}/6"
SETTINGS_PAGE = DOCS / "settings.md"
STORES_PAGE = DOCS / "stores.md"
STATIC_PAGE = DOCS / "static-data.md"


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
    tags: set[str] = set()
    for page in all_pages():
        found = [tag for tag, _ in tagged_blocks(page)]
        assert page.read_text().count("```python\n") == len(found), f"an untagged ```python block in {page.name}"
        tags.update(found)
    assert tags == TESTED
    for name in TESTED:
        block(name)  # one code per name, wherever it is repeated


def test_the_readme_repeats_the_quick_starts_settings_views_and_conftest():
    in_readme = {tag for tag, _ in tagged_blocks(README)}
    assert in_readme == {"settings", "async-view", "sync-view", "conftest"}


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
    # With a key, the production form: the real API.
    assert riot["BASE_URL"] == "https://{server}.api.riotgames.com" and riot["API_KEY"] == API_KEY
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


def test_settings_block_without_a_key_uses_the_emulator(monkeypatch):
    monkeypatch.delenv("RIOT_API_KEY", raising=False)
    ns = run_block("settings")
    riot = ns["PYOT"]["lol"]["STORES"][-1]
    assert riot["BASE_URL"] == "emulator" and riot["API_KEY"]
    assert config_problems(ns["PYOT"]) == []  # valid as it is: no KeyError, no E013 / E014


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
    response = await player(RequestFactory().get("/"), "na1", "Faker", "KR1")
    import json

    data = json.loads(response.content)
    assert data["level"] > 0 and len(data["matches"]) == 10
    assert emulator_pipeline.emulator.stats()["total"] == 3


async def test_async_view_block_answers_404_and_400_not_500(emulator_pipeline):
    player = run_block("async-view")["player"]
    with pytest.raises(Http404):
        await player(RequestFactory().get("/"), "na1", "404nobody", "NA1")
    for platform in ("xx1", "americas"):  # not a platform; a region where a platform belongs
        response = await player(RequestFactory().get("/"), platform, "Faker", "KR1")
        assert response.status_code == 400 and platform.encode() in response.content
    assert emulator_pipeline.emulator.stats()["total"] == 1  # bad input sends nothing


def test_sync_view_block_answers_and_turns_not_found_into_404(emulator_pipeline):
    match = run_block("sync-view")["match"]
    response = match(RequestFactory().get("/"), "NA1_5389898818")
    assert response.status_code == 200 and b"duration" in response.content
    emulator_pipeline.emulator.script("match-v5.getMatch", [404])  # Riot: no such match
    with pytest.raises(Http404):
        match(RequestFactory().get("/"), "NA1_1234")
    for bad in ("bogus", "XX1_123", "NA1_abc"):
        assert match(RequestFactory().get("/"), bad).status_code == 400


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


def test_install_lines_name_the_extras_for_production_and_for_development():
    for page in (README, DOCS / "quickstart.md"):
        lines = re.findall(r"^pip install .*$", section(page, "## Install into your own project"), re.M)
        production = [line for line in lines if "production" in line]
        development = [line for line in lines if "development" in line]
        assert len(production) == len(development) == 1, page.name
        assert '"pyot_django[redis,celery]"' in production[0]
        assert "emulator" in development[0] and "pytest-django" in development[0]
    extras = (ROOT / "setup.cfg").read_text()
    for extra in ("redis", "celery", "emulator"):
        assert f"\n{extra} =\n" in extras


def test_the_docs_build_with_warnings_as_errors(tmp_path: Path):
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for page in ("quickstart", "settings", "stores", "static-data", "limiters", "typing", "operations",
                 "observability", "testing", "deployment", "reliability", "changelog"):  # fmt: skip
        assert (tmp_path / "site" / page / "index.html").exists(), page
    assert "Bounds" in (tmp_path / "site" / "reliability" / "index.html").read_text()


def test_quick_start_has_exactly_the_two_make_commands():
    quick = section(README, "## Quick start")
    commands = re.findall(r"```sh\n(.*?)```", quick, re.S)
    assert len(commands) == 1
    assert commands[0].strip().splitlines() == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def _documented_options(heading: str, page: Path = STORES_PAGE) -> dict[str, list[str]]:
    return {code(row[0]): row for row in table_rows(section(page, heading))}


def test_store_tables_list_exactly_each_stores_options_and_defaults():
    from pyot_django.riot.http.client import DEFAULT_TIMEOUT
    from pyot_django.riot.http.retry_after import DEFAULT_MAX_RETRY_AFTER
    from pyot_django.stores import DjangoCache, DjangoORM, Memory, RiotAPI, orm, riotapi
    from pyot_django.stores.base import DEFAULT_MAX_VALUE_SIZE

    for cls in (Memory, DjangoCache, DjangoORM, RiotAPI):
        rows = _documented_options(f"## `pyot_django.stores.{cls.__name__}`")
        assert set(rows) == set(cls.OPTIONS), cls.__name__
        assert rows["BACKEND"][3] == f'`"pyot_django.stores.{cls.__name__}"`'
    memory = _documented_options("## `pyot_django.stores.Memory`")
    assert memory["MAX_ENTRIES"][2] == f"`{Memory.DEFAULT_MAX_ENTRIES:_}`"
    assert _documented_options("## `pyot_django.stores.DjangoORM`")["MODEL"][2] == f'`"{orm.DEFAULT_MODEL}"`'
    riot = _documented_options("## `pyot_django.stores.RiotAPI`")
    assert riot["BASE_URL"][2] == f'`"{riotapi.DEFAULT_BASE_URL}"`'
    assert riot["TIMEOUT"][2] == f"`{DEFAULT_TIMEOUT}`"
    assert riot["MAX_RETRY_AFTER"][2] == f"`{DEFAULT_MAX_RETRY_AFTER}`"
    assert riot["MAX_RESPONSE_SIZE"][2] == f"`{RiotAPI.DEFAULT_MAX_RESPONSE_SIZE:_}`"
    assert riot["DEADLINE"][2].startswith("`None`")
    for cls in (Memory, DjangoCache, DjangoORM):
        sizes = _documented_options(f"## `pyot_django.stores.{cls.__name__}`")["MAX_VALUE_SIZE"]
        assert sizes[2] == f"`{DEFAULT_MAX_VALUE_SIZE:_}`", cls.__name__


def test_static_store_tables_list_exactly_each_stores_options_and_defaults():
    from pyot_django.riot.http.client import DEFAULT_TIMEOUT
    from pyot_django.riot.http.retry_after import DEFAULT_MAX_RETRY_AFTER
    from pyot_django.stores import CDragon, DDragon, MerakiCDN, ValorantContent

    for cls in (DDragon, CDragon, MerakiCDN, ValorantContent):
        static = _documented_options(f"## `pyot_django.stores.{cls.__name__}`", STATIC_PAGE)
        assert set(static) == set(cls.OPTIONS), cls.__name__
        assert static["BACKEND"][3] == f'`"pyot_django.stores.{cls.__name__}"`'
        assert static["BASE_URL"][2] == f'`"{cls.DEFAULT_BASE_URL}"`', cls.__name__
        # The same client as RiotAPI's, with its own body limit and no limiter by default.
        assert static["TIMEOUT"][2] == f"`{DEFAULT_TIMEOUT}`", cls.__name__
        assert static["MAX_RETRY_AFTER"][2] == f"`{DEFAULT_MAX_RETRY_AFTER}`", cls.__name__
        assert static["MAX_RESPONSE_SIZE"][2] == f"`{cls.DEFAULT_MAX_RESPONSE_SIZE:_}`", cls.__name__
        assert cls.DEFAULT_RATE_LIMITER is None and static["RATE_LIMITER"][2] == "`None` (off)", cls.__name__


def test_limiter_tables_list_exactly_each_limiters_options_and_defaults():
    from pyot_django.limiters import MemoryLimiter, RedisLimiter

    text = (DOCS / "limiters.md").read_text()
    memory_part, _, redis_part = text.partition("`pyot_django.limiters.RedisLimiter`")
    for cls, part in ((MemoryLimiter, memory_part), (RedisLimiter, redis_part)):
        rows = {code(row[0]): row for row in table_rows(part)}
        assert set(rows) == set(cls.OPTIONS), cls.__name__
        for name, parameter in inspect.signature(cls.__init__).parameters.items():
            if parameter.default is not inspect.Parameter.empty and parameter.default is not None:
                assert ast.literal_eval(code(rows[name.upper()][2])) == parameter.default, name


def test_expirations_table_is_the_defaults():
    from pyot_django.stores.expirations import DEFAULT_EXPIRATIONS

    rows = table_rows(section(SETTINGS_PAGE, "## Expirations"))
    documented = {code(name): int(seconds) for name, seconds in rows}
    assert documented == DEFAULT_EXPIRATIONS
    assert [code(name) for name, _ in rows] == list(DEFAULT_EXPIRATIONS)


def test_error_handling_table_is_the_defaults():
    from pyot_django.riot.retry import DEFAULT_ERROR_HANDLING

    rows = table_rows(section(SETTINGS_PAGE, "## Error handling"))
    documented = {int(status): ast.literal_eval(code(strategy)) for status, strategy in rows}
    assert documented == {status: tuple(rule) for status, rule in DEFAULT_ERROR_HANDLING.items()}


def test_every_system_check_id_is_documented_and_no_other():
    in_code: set[str] = set()
    for path in (ROOT / "pyot_django").rglob("*.py"):
        text = path.read_text()
        in_code.update(re.findall(r'(?:OptionProblem|Problem)\(\s*"([EW]\d{3})"', text))
        in_code.update(re.findall(r'id="pyot_django\.([EW]\d{3})"', text))
    rows = table_rows(section(SETTINGS_PAGE, "## System checks"))
    documented = {code(row[0]).removeprefix("pyot_django.") for row in rows}
    assert in_code and documented == in_code


def test_every_management_command_is_documented():
    commands = {p.stem for p in (ROOT / "pyot_django" / "management" / "commands").glob("pyot_*.py")}
    rows = table_rows(section(DOCS / "operations.md", "## The admin page and the commands"))
    documented = {code(row[0]).split()[0] for row in rows}
    assert documented == commands


# -- static data and types ------------------------------------------------------------------------


def test_static_settings_block_is_a_valid_configuration(monkeypatch):
    monkeypatch.setenv("RIOT_API_KEY", API_KEY)
    namespace = run_block("static-settings")
    assert config_problems(namespace["PYOT"]) == []


@pytest.mark.django_db(transaction=True)
def test_static_helpers_block_names_a_matchs_champions_and_queue(settings, riot_emulator: RunningEmulator):
    from pyot_django.testing.data import generate

    settings.PYOT = {"lol": {"STORES": [
        {"BACKEND": "pyot_django.stores.Memory"},
        {"BACKEND": "pyot_django.stores.RiotAPI", "API_KEY": API_KEY, "BASE_URL": riot_emulator.base_url},
        *riot_emulator.static_stores(),
    ]}}  # fmt: skip
    namespace = run_block("static-helpers")
    match = generate("match-v5.getMatch", "americas", {"matchId": "NA1_5389898818"}, {}, None, API_KEY)
    labels = async_to_sync(namespace["match_labels"])(match)
    assert len(labels) == 10 and all(name and not name.startswith("#") for _, name in labels)
    assert labels[0][0] != match["info"]["gameMode"]
    assert namespace["fiora_icon"]().endswith("/img/champion/Fiora.png")


@pytest.mark.timeout(600)
def test_typed_fetch_block_has_exactly_the_errors_it_says(tmp_path):
    source = block("typed-fetch")
    (tmp_path / "typed_block.py").write_text(source)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports", "--config-file", "",
         "--cache-dir", str(tmp_path / "cache"), "--no-error-summary", str(tmp_path / "typed_block.py")],
        cwd=ROOT, capture_output=True, text=True, timeout=540,
    )  # fmt: skip
    said = [n for n, line in enumerate(source.splitlines(), start=1) if "# error:" in line]
    found = sorted({int(m) for m in re.findall(r"typed_block\.py:(\d+): error:", result.stdout)})
    assert found == said and len(said) == 3, result.stdout[-2000:]


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
    rows = {row[0]: row for row in table_rows(section(DOCS / "reliability.md", "## Bounds"))}
    for bound, expected in defaults.items():
        assert ast.literal_eval(code(rows[bound][2])) == expected, bound
    # The README's short table repeats some of them: the same option cells, the same defaults.
    in_docs = {option_cell: default for _, option_cell, default, *_ in rows.values() if option_cell != "—"}
    short = table_rows(section(README, "## Reliability"))
    assert short and "(docs/reliability.md)" in section(README, "## Reliability")
    for bound, option_cell, default in short:
        assert in_docs.get(option_cell) == default, bound
    for bound, option_cell, *_ in [*rows.values(), *short]:
        classes = [owners[name] for name in re.findall(r"`(\w+)`", option_cell) if name in owners]
        options = set(re.findall(r"`([A-Z_]+)`", option_cell))
        assert not options or classes, bound
        for cls in classes:  # every option named exists on every class named beside it
            assert options <= cls.OPTIONS, (bound, cls.__name__)
