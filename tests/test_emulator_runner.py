"""The three ways to run the emulator: management command, context manager / fixture, separate process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx

from pyot_django.testing import serve_emulator, serve_emulator_process
from tests.helpers import free_port, puuid

ROOT = Path(__file__).resolve().parent.parent
KEY = {"X-Riot-Token": "RGAPI-test"}
SUMMONER = f"/na1/lol/summoner/v4/summoners/by-puuid/{puuid('p-1')}"  # Riot's 78-char shape


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, process.communicate()
        try:
            httpx.get(f"{url}/_emulator/stats")
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the emulator did not come up"
            time.sleep(0.1)


def test_context_manager_starts_and_stops() -> None:
    with serve_emulator(app_limits="5:30") as running:
        response = httpx.get(running.url + SUMMONER, headers=KEY)
        assert response.status_code == 200
        assert response.headers["x-app-rate-limit"] == "5:30"
        url = running.url
    try:
        httpx.get(url + SUMMONER, headers=KEY, timeout=2)
    except httpx.TransportError:
        pass
    else:
        raise AssertionError("the emulator still answers after the context exited")


def test_management_command_serves() -> None:
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "manage.py", "pyot_emulator", "--port", str(port), "--app-limits", "3:30",
               "--method-limits", "100:10", "--latency", "0.01"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, process)
        response = httpx.get(url + SUMMONER, headers=KEY)
        assert response.status_code == 200
        assert response.headers["x-app-rate-limit"] == "3:30"
        assert response.headers["x-method-rate-limit"] == "100:10"
        assert httpx.get(url + SUMMONER).status_code == 401
        config = httpx.get(f"{url}/_emulator/config").json()
        assert config["latency"] == 0.01 and config["enforce_limits"] is True
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=20)
    assert b"Riot API emulator on http://127.0.0.1:" in out


def test_management_command_no_limits() -> None:
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "manage.py", "pyot_emulator", "--port", str(port), "--no-limits",
               "--app-limits", "1:30"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, process)
        statuses = [httpx.get(url + SUMMONER, headers=KEY).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
    finally:
        process.terminate()
        process.communicate(timeout=20)


def test_separate_process() -> None:
    with serve_emulator_process(args=["--app-limits", "2:30"]) as emulator:
        assert emulator.base_url == f"{emulator.url}/{{server}}"
        assert httpx.get(emulator.url + SUMMONER, headers=KEY).status_code == 200
        assert httpx.get(emulator.url + SUMMONER, headers=KEY).status_code == 200
        assert httpx.get(emulator.url + SUMMONER, headers=KEY).status_code == 429
        assert emulator.stats()["rate_limited"]["application"] == 1
        emulator.configure(enforce_limits=False)
        assert httpx.get(emulator.url + SUMMONER, headers=KEY).status_code == 200
        emulator.reset(config=True)
        assert emulator.stats()["total"] == 0
        process = emulator.process
    assert process.poll() is not None


def test_pytest_plugin(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["pyot_django.testing.pytest_plugin"]\n')
    (tmp_path / "test_uses_plugin.py").write_text(
        textwrap.dedent(
            """
            import httpx

            PATH = "/na1/lol/summoner/v4/summoners/by-puuid/" + "p-1".ljust(78, "_")

            def test_first(riot_emulator, riot_emulator_server):
                assert riot_emulator is riot_emulator_server
                riot_emulator.emulator.configure(app_limits="1:60")
                riot_emulator.emulator.script("*", [503])
                assert httpx.get(riot_emulator.url + PATH, headers={"X-Riot-Token": "k"}).status_code == 503

            def test_second_starts_clean(riot_emulator):
                assert riot_emulator.emulator.stats()["total"] == 0
                assert riot_emulator.emulator.config.app_limits == ((20, 1), (100, 120))
                url = riot_emulator.base_url.format(server="na1") + PATH[4:]
                assert httpx.get(url, headers={"X-Riot-Token": "k"}).status_code == 200

            def test_strict_like_riot_by_default(riot_emulator):
                made_up = riot_emulator.url + "/na1/lol/summoner/v4/summoners/by-puuid/p-1"
                assert httpx.get(made_up, headers={"X-Riot-Token": "k"}).status_code == 400
            """
        )
    )
    # A module opting into the lenient mode gets it for its tests only, on the same session server.
    (tmp_path / "test_lenient_module.py").write_text(
        textwrap.dedent(
            """
            import httpx
            import pytest

            from pyot_django.testing import EmulatorConfig

            @pytest.fixture(scope="session")
            def riot_emulator_config():
                return EmulatorConfig(strict=False)

            def test_made_up_ids_are_served(riot_emulator):
                made_up = riot_emulator.url + "/na1/lol/summoner/v4/summoners/by-puuid/p-1"
                assert httpx.get(made_up, headers={"X-Riot-Token": "k"}).status_code == 200
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:django", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert b"4 passed" in result.stdout
