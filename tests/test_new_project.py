"""A user's first hour, as a test: a fresh ``startproject`` with the documented pieces pasted in.

The project gets the quick start's settings (django-redis cache, RedisLimiter, the ORM store,
no ``RIOT_API_KEY``), the README's two views, the documented ``conftest.py`` and the docs'
view tests. Its suite must pass three runs in a row (Redis keeps what a run leaves behind),
then in random order, then on two pytest-xdist workers sharing that Redis; Django's own runner
passes with the ``TestCase`` mixin; and its ``runserver``, with no key, answers a player
lookup from the in-process emulator and says the data is fake.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis
from django.conf import settings

from tests.doc_blocks import block
from tests.helpers import free_port

BIN = Path(sys.executable).parent
URLS = """
from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("players/<str:platform>/<str:game_name>/<str:tag_line>/", views.player),
    path("matches/<str:match_id>/", views.match),
]
"""


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("newproject")
    redis_url = f"{settings.REDIS_URL}/5"
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        client.flushdb()  # a clean start; the runs below must clean up after themselves
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is not answering at {redis_url}: {exc}", pytrace=False)
    finally:
        client.close()
    env = {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "HOME": str(root),
        "REDIS_URL": redis_url,
        "PYTHONDONTWRITEBYTECODE": "1",
    }  # no RIOT_API_KEY, no DJANGO_SETTINGS_MODULE of ours
    made = _run([str(BIN / "django-admin"), "startproject", "mysite", str(root)], root, env)
    assert made.returncode == 0, made.stderr
    site = root / "mysite"
    with (site / "settings.py").open("a") as out:
        out.write("\n\n# -- pasted from the pyot_django quick start --\n" + block("settings"))
    (site / "views.py").write_text(block("async-view") + "\n\n" + block("sync-view"))
    (site / "urls.py").write_text(URLS)
    (site / "tests.py").write_text(block("testcase-mixin"))
    (root / "conftest.py").write_text(block("conftest"))
    (root / "test_views.py").write_text(block("isolated-tests"))
    (root / "pytest.ini").write_text("[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\n")
    return root, env


def _pytest(project: tuple[Path, dict[str, str]], *args: str) -> str:
    root, env = project
    result = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], root, env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return result.stdout


def test_the_suite_passes_run_after_run_in_any_order_and_in_parallel(project):
    started = time.monotonic()
    for _ in range(3):
        assert "3 passed" in _pytest(project, "-p", "no:randomly")
    shuffled = _pytest(project, "-p", "randomly", "-vv")
    assert "randomly-seed" in shuffled and "3 passed" in shuffled
    parallel = _pytest(project, "-n", "2", "-vv")
    assert "3 passed" in parallel and "[gw0]" in parallel and "[gw1]" in parallel
    assert time.monotonic() - started < 240


def test_djangos_runner_passes_with_the_mixin(project):
    root, env = project
    result = _run([sys.executable, "manage.py", "test", "mysite", "-v", "2"], root, env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "test_player_page" in result.stderr and "OK" in result.stderr


def test_runserver_answers_a_player_lookup_without_a_key(project):
    root, env = project
    assert "RIOT_API_KEY" not in env
    migrated = _run([sys.executable, "manage.py", "migrate", "-v", "0"], root, env)
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    log = root / "runserver.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/players/na1/Faker/KR1/", timeout=30)
                break
            except httpx.TransportError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        assert response.status_code == 200, response.text[:500]
        data = json.loads(response.content)
        assert data["level"] > 0 and len(data["matches"]) == 10
        assert httpx.get(f"http://127.0.0.1:{port}/players/na1/404nobody/NA1/", timeout=30).status_code == 404
        assert httpx.get(f"http://127.0.0.1:{port}/players/xx9/Faker/KR1/", timeout=30).status_code == 400
        assert httpx.get(f"http://127.0.0.1:{port}/matches/NA1_5389898818/", timeout=30).status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/matches/bogus/", timeout=30).status_code == 400
    finally:
        server.terminate()
        server.wait(timeout=20)
    output = log.read_text()
    assert "pyot_django.W010" in output  # runserver's system checks say the data is fake
    assert "FAKE Riot data" in output  # and so does the log when the emulator starts


def test_no_entries_are_left_behind_in_redis(project):
    # After the suites above: every test cleared its own namespace on the way out.
    client = redis.Redis.from_url(project[1]["REDIS_URL"], socket_connect_timeout=2)
    try:
        leftovers = [key for key in client.scan_iter(match="*pyot-test-*") if b":rl:" not in key]
    finally:
        client.close()
    assert leftovers == []
    os.environ.get("PYTEST_XDIST_WORKER")  # (our own suite does not run under xdist)
