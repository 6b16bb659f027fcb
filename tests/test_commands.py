"""pyot_clear, pyot_expire, pyot_pipelines and pyot_get through call_command (and one real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pyot_django import operations as ops
from pyot_django.models import PyotEntry
from pyot_django.pipeline import pipelines
from tests.helpers import puuid as riot_puuid
from tests.ops_support import (
    FAKE_KEY,
    METHOD,
    emulated_riot_store,
    ops_settings,
    summoner,
    token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops_config():
    with ops_settings() as config:
        yield config


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, no_color=True)
    return out.getvalue(), err.getvalue()


def fail(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return caught.value


def run_allowing_failure(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command(*args, stdout=out, stderr=err, no_color=True)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def riot_ops_config(riot_emulator):
    with ops_settings(riot=emulated_riot_store(riot_emulator.base_url)) as config:
        yield config


def _fill(*puuids: str) -> None:
    for puuid in puuids:
        ops.fetch_token(*summoner(puuid))


@pytest.mark.parametrize("command", ["pyot_clear", "pyot_expire"])
def test_maintenance_commands_succeed(ops_config, command):
    _fill("a")
    out, _ = run(command, "lol")
    verb = "Cleared" if command == "pyot_clear" else "Expired"
    assert f"{verb} pipeline 'lol'" in out
    assert "[0] Memory" in out and "[3] FakeService" in out and "skipped" in out
    assert "Done in" in out


def test_clear_empties_the_pipeline(ops_config):
    _fill("a", "b")
    out, _ = run("pyot_clear", "lol")
    assert "6 entries removed" in out
    assert not ops.lookup_token(*summoner("a")).found


@pytest.mark.parametrize("command", ["pyot_clear", "pyot_expire", "pyot_pipelines"])
def test_unknown_name_lists_the_configured_ones(ops_config, command):
    error = fail(command, "lol", "nope")
    assert "'nope'" in str(error) and "Configured: lol, tft" in str(error)
    assert error.returncode == 2


@pytest.mark.parametrize("command", ["pyot_clear", "pyot_expire"])
def test_all_covers_every_pipeline(ops_config, command):
    out, _ = run(command, "--all")
    assert "pipeline 'lol'" in out and "pipeline 'tft'" in out


@pytest.mark.parametrize("command", ["pyot_clear", "pyot_expire"])
def test_names_or_all_is_required_and_not_both(ops_config, command):
    assert fail(command).returncode == 2
    assert "not both" in str(fail(command, "lol", "--all"))


def test_clear_store_option_touches_one_store(ops_config):
    _fill("a")
    out, _ = run("pyot_clear", "lol", "--store", "1")
    assert "[1] DjangoCache" in out and "[0] Memory" not in out
    assert [s.held for s in ops.lookup_token(*summoner("a")).stores] == [True, False, True, None]
    error = fail("pyot_clear", "lol", "--store", "3")
    assert "service store" in str(error) and error.returncode == 2
    assert "has no store 7" in str(fail("pyot_expire", "lol", "--store", "7"))


def test_expire_store_option_and_json(ops_config):
    orm = pipelines["lol"].stores[2]
    now = timezone.now()
    PyotEntry.objects.bulk_create(
        PyotEntry(
            pipeline="lol",
            server="na1",
            method=METHOD,
            key=orm.key_for(token(f"e{n}")),
            value={},
            expires_at=now + timedelta(seconds=-1 if n < 3 else 60),
        )
        for n in range(5)
    )
    out, _ = run("pyot_expire", "lol", "--store", "2", "--json")
    data = json.loads(out)
    assert data["action"] == "expire" and data["ok"] is True
    assert data["pipelines"][0]["stores"] == [
        {**data["pipelines"][0]["stores"][0], "index": 2, "name": "DjangoORM", "removed": 3, "error": None}
    ]
    assert PyotEntry.objects.count() == 2


def test_clear_json_is_parseable(ops_config):
    _fill("a")
    data = json.loads(run("pyot_clear", "--all", "--json")[0])
    assert [p["pipeline"] for p in data["pipelines"]] == ["lol", "tft"]
    assert data["pipelines"][0]["removed"] == 3


def test_a_failing_store_makes_the_command_fail_after_doing_the_rest():
    down = {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis_down"}
    with ops_settings(extra_lol=[down]):
        _fill("a")
        error = fail("pyot_clear", "lol")
        assert error.returncode == 1 and "lol[3] DjangoCache" in str(error)
        assert not ops.lookup_token(*summoner("a")).found


@pytest.mark.django_db(transaction=True)  # the probes run in threads of their own
def test_pipelines_human_readable(ops_config):
    _fill("a")
    out, _ = run("pyot_pipelines")
    assert out.index("lol") < out.index("tft")
    lines = out.splitlines()
    assert any("[0] cache" in line and "Memory" in line for line in lines)
    assert any("[2] cache" in line and "DjangoORM" in line and "pyot_django.PyotEntry" in line for line in lines)
    assert any("[3] service" in line and "FakeService" in line for line in lines)
    # A live probe, not this process's counters: the Redis SCAN and the ORM count see the entry.
    assert out.count("reachable: yes") == 6 and "hits" not in out and "misses" not in out
    assert "entries: 1 (SCAN of this pipeline's keys)" in out and "entries: 1 (rows of this pipeline)" in out
    assert "entries: in-process only" in out


@pytest.mark.django_db(transaction=True)  # the probes run in threads of their own
def test_pipelines_json_parsed_back(ops_config):
    _fill("a")
    data = json.loads(run("pyot_pipelines", "--json")[0])
    assert [p["name"] for p in data] == ["lol", "tft"]
    stores = data[0]["stores"]
    assert [s["name"] for s in stores] == ["Memory", "DjangoCache", "DjangoORM", "FakeService"]
    assert data[0]["ok"] is True and all(s["reachable"] and s["error"] is None for s in stores)
    assert [s["entries"] for s in stores] == [None, 1, 1, None]
    assert stores[0]["entries_note"].startswith("in-process only") and "health" not in stores[0]
    only = json.loads(run("pyot_pipelines", "tft", "--json")[0])
    assert [p["name"] for p in only] == ["tft"]


@pytest.mark.django_db(transaction=True)  # the probes run in threads of their own
def test_pipelines_in_a_fresh_process_reports_a_dead_cache_and_counts_redis():
    # Another process filled Redis (here: this one); the command sees it through SCAN, and
    # a dead DjangoCache is reported unreachable with its error, within the timeout.
    down = {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis_down"}
    with ops_settings(extra_lol=[down]):
        _fill("a")
        _fill("b")
        pipelines.reset()  # a fresh process: its own counters would all be 0
        error = fail("pyot_pipelines", "lol", "--json", "--timeout", "2")
        assert error.returncode == 1 and "unreachable" in str(error)
        out, _ = run_allowing_failure("pyot_pipelines", "lol", "--json", "--timeout", "2")
        (lol,) = json.loads(out)
        assert lol["ok"] is False
        cache, orm, dead = lol["stores"][1], lol["stores"][2], lol["stores"][3]
        assert cache["entries"] == 2 and cache["reachable"] and orm["entries"] == 2
        assert dead["reachable"] is False and "ConnectionError" in dead["error"] and dead["entries"] is None
        assert dead["milliseconds"] < 2500


def test_pipelines_scan_count_stops_at_the_cap(ops_config, monkeypatch):
    from pyot_django.operations import probe

    monkeypatch.setattr(probe, "COUNT_CAP", 2)
    for name in "abc":
        _fill(name)
    out, _ = run("pyot_pipelines", "lol")
    assert "entries: ≥2 (SCAN of this pipeline's keys)" in out


def test_pipelines_never_shows_the_key_only_its_identity(riot_ops_config):
    from pyot_django.stores.riotapi import key_identity

    out, _ = run("pyot_pipelines")
    assert FAKE_KEY[-4:] not in out and "api_key" not in out
    assert f"key_identity: {key_identity(FAKE_KEY)}" in out


def test_pyot_get_prints_json_and_the_supplying_store(ops_config):
    out, err = run("pyot_get", "lol", "na1", METHOD, "encryptedPUUID=abc")
    assert json.loads(out)["method"] == METHOD
    assert "Supplied by store 3 (FakeService) of pipeline 'lol'" in err
    assert f"key: {token('abc').stringify}" in err
    out, err = run("pyot_get", "lol", "na1", METHOD, "encryptedPUUID=abc", "--compact")
    assert "\n" not in out.strip() and json.loads(out)["server"] == "na1"
    assert "Supplied by store 0 (Memory)" in err


def test_pyot_get_with_queries(ops_config):
    out, err = run(
        "pyot_get",
        "lol",
        "europe",
        "match-v5.getMatchIdsByPUUID",
        "puuid=p",
        "--query",
        "count=5",
        "--query",
        "start=0",
    )
    assert json.loads(out)["server"] == "europe"
    assert "?count=5&start=0" in err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("nope", "na1", METHOD, "encryptedPUUID=a"), "Unknown pipeline 'nope'"),
        (("lol", "na1", "summoner-v4.getByPuuid", "encryptedPUUID=a"), "did you mean 'summoner-v4.getByPUUID'"),
        (("lol", "europe", METHOD, "encryptedPUUID=a"), "routed by platform"),
        (("lol", "na1", METHOD, "puuid=a"), "encryptedPUUID"),
        (("lol", "na1", METHOD, "encryptedPUUID"), "Expected key=value"),
        (("lol", "na1", METHOD, "encryptedPUUID=a", "--query", "count=1"), "count"),
    ],
)
def test_pyot_get_bad_input_is_a_usage_error(ops_config, args, fragment):
    error = fail("pyot_get", *args)
    assert fragment in str(error)
    assert error.returncode == 2


def test_pyot_get_against_the_emulator_and_a_404_exits_1():
    from pyot_django.testing import serve_emulator

    with serve_emulator() as emulator:
        riot = emulated_riot_store(emulator.base_url)
        with ops_settings(riot=riot):
            out, err = run("pyot_get", "lol", "na1", METHOD, f"encryptedPUUID={riot_puuid('someone')}")
            assert json.loads(out) and "Supplied by store 3 (RiotAPI)" in err
            assert FAKE_KEY not in out + err
            error = fail("pyot_get", "lol", "na1", METHOD, "encryptedPUUID=404-gone")
            assert error.returncode == 1 and "Not found" in str(error)


def test_exit_codes_from_a_real_manage_py(tmp_path: Path):
    """The return codes reach the shell (call_command raises instead of exiting)."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(root)}

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "django", *args], cwd=root, env=env, capture_output=True, text=True, timeout=60
        )

    # tests.settings configures no pipelines: --all succeeds with a warning, a name is unknown.
    done = manage("pyot_clear", "--all")
    assert done.returncode == 0, done.stderr
    assert "No pipelines configured" in done.stdout
    unknown = manage("pyot_expire", "lol")
    assert unknown.returncode == 2
    assert "CommandError: Unknown pipeline 'lol'. Configured: none" in unknown.stderr
    assert manage("pyot_pipelines", "--json").stdout.strip() == "[]"


def test_pipelines_command_in_its_own_process_counts_redis_and_names_the_dead_cache(tmp_path, riot_emulator):
    # What an operator runs: a fresh process that never served a lookup. The entries were
    # written by this (another) process; the command finds them through Redis, and reports
    # the dead cache with its error instead of "errors 0".
    from django.conf import settings

    prefix = f"probe{os.getpid()}"
    (tmp_path / "probe_settings.py").write_text(
        "from tests.settings import *  # noqa\n"
        f"CACHES = {{**CACHES, 'probe': {{**CACHES['redis'], 'KEY_PREFIX': {prefix!r}}}}}\n"
        "PYOT = {'lol': {'STORES': [\n"
        "    {'BACKEND': 'pyot_django.stores.Memory'},\n"
        "    {'BACKEND': 'pyot_django.stores.DjangoCache', 'ALIAS': 'probe'},\n"
        "    {'BACKEND': 'pyot_django.stores.DjangoCache', 'ALIAS': 'redis_down'},\n"
        f"    {{'BACKEND': 'pyot_django.stores.RiotAPI', 'API_KEY': {FAKE_KEY!r},\n"
        f"     'BASE_URL': {riot_emulator.base_url!r}}},\n"
        "]}}\n"
    )
    import redis

    from pyot_django.stores.riotapi import key_identity

    # django-redis's key layout: "<KEY_PREFIX>:<version>:<key>"; the values do not matter here.
    writer = redis.Redis.from_url(f"{settings.REDIS_URL}/1", socket_connect_timeout=2)
    identity = key_identity(FAKE_KEY)
    for n in range(3):
        writer.set(f"{prefix}:1:pyot:lol@{identity}:entry{n}", b"x")
    writer.set(f"{prefix}:1:pyot:tft@x:not-this-pipeline", b"x")
    writer.set(f"{prefix}:1:pyot:lol@00000000:another-api-key", b"x")  # this pipeline, another key
    try:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "probe_settings",
               "PYTHONPATH": f"{tmp_path}{os.pathsep}{Path(__file__).resolve().parent.parent}"}  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "django", "pyot_pipelines", "--json", "--timeout", "2"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        for key in writer.scan_iter(match=f"{prefix}:*"):
            writer.delete(key)
        writer.close()
    assert result.returncode == 1, result.stderr
    (lol,) = json.loads(result.stdout)
    memory, cache, dead, riot = lol["stores"]
    assert cache["reachable"] and cache["entries"] == 3  # the other process's entries, this pipeline and key's only
    assert memory["entries"] is None and "in-process" in memory["entries_note"]
    assert not dead["reachable"] and "ConnectionError" in dead["error"]
    assert riot["reachable"] and riot["details"]["key_identity"] == identity
    assert FAKE_KEY not in result.stdout + result.stderr and FAKE_KEY[-4:] not in result.stdout
