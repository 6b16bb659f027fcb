"""The README's first command, run as the README says: ``make demo``.

It must bring the site up on ``DEMO_PORT`` with the emulator in-process, serve a player
page over real HTTP, and serve it again from the pipeline's caches: the second load's
trace has no RiotAPI row and the emulator sees no new request.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers import free_port, port_open

ROOT = Path(__file__).resolve().parent.parent
PLAYER = "/players/na1/Faker/KR1/"


class Demo:
    def __init__(self, process: subprocess.Popen[bytes], port: int, emulator_port: int, log: Path) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}"
        self.port = port
        self.emulator_url = f"http://127.0.0.1:{emulator_port}"
        self.log = log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def emulator_requests(self) -> int:
        return httpx.get(f"{self.emulator_url}/_emulator/stats").json()["total"]


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    port, emulator_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "RIOT_API_KEY")}
    env = {k: v for k, v in env.items() if not k.startswith(("DJANGO_", "PYOT_", "CELERY_"))}
    # A database of its own: the demo must not touch a developer's .demo/db.sqlite3.
    env.update(DEMO_PORT=str(port), DEMO_EMULATOR_PORT=str(emulator_port),
               PYOT_DEMO_SQLITE=str(tmp_path / "demo.sqlite3"))  # fmt: skip
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "demo"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    running = Demo(process, port, emulator_port, log)
    try:
        deadline = time.monotonic() + 240  # a fresh clone installs the venv first
        while not port_open(port):
            if process.poll() is not None:
                pytest.fail(f"make demo exited with {process.returncode}:\n{running.output()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"the demo did not listen on {port}:\n{running.output()[-3000:]}")
            time.sleep(0.2)
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C, as a developer stops it
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                pytest.fail(f"the demo did not stop on Ctrl-C:\n{running.output()[-3000:]}")


def _trace_stores(html: str) -> list[str]:
    return re.findall(r'<tr data-store="([^"]+)">', html)


def test_make_demo_serves_the_site_and_the_second_load_hits_the_caches(demo: Demo):
    with httpx.Client(base_url=demo.url, timeout=30) as http:
        home = http.get("/")
        assert home.status_code == 200 and 'name="riot_id"' in home.text

        first = http.get(PLAYER)
        assert first.status_code == 200, first.text[-2000:]
        assert first.text.count('<tr class="match ') == 10
        assert "RiotAPI" in _trace_stores(first.text)
        requests_after_first = demo.emulator_requests()
        assert requests_after_first == 15 + 7  # Riot's, and the static documents for names and icons

        second = http.get(PLAYER)
        assert second.status_code == 200
        stores = _trace_stores(second.text)
        assert len(stores) == 15 + 7
        assert "RiotAPI" not in stores
        assert set(stores) <= {"Memory", "DjangoCache", "DjangoORM"}
        assert demo.emulator_requests() == requests_after_first

        # The admin works, with its static files served, and the printed credentials log in.
        assert http.get("/static/admin/css/base.css").status_code == 200
        login = http.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        admin = http.post(
            "/admin/login/?next=/admin/",
            data={"username": "admin", "password": "pyot-demo", "csrfmiddlewaretoken": token},
            follow_redirects=True,
        )
        assert admin.status_code == 200 and "Site administration" in admin.text

    printed = demo.output()
    # Each step is announced, in order, before the banner (no silent minute).
    steps = ["==> starting the Riot API emulator", "==> migrating the database", "pyot_django demo on"]
    assert all(step in printed for step in steps)
    assert [printed.index(step) for step in steps] == sorted(printed.index(step) for step in steps)
    assert "would be ignored" not in printed and "Traceback" not in printed
    assert f"http://127.0.0.1:{demo.port}/" in printed
    assert "password 'pyot-demo'" in printed


def test_make_demo_stops_cleanly_on_ctrl_c(demo: Demo):
    os.killpg(demo.process.pid, signal.SIGINT)
    demo.process.wait(timeout=20)
    assert not port_open(demo.port)
    assert not port_open(int(demo.emulator_url.rsplit(":", 1)[1]))  # the emulator thread stopped too


def test_make_demo_on_a_taken_port_says_how_to_pick_another_before_any_banner(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYOT_", "DEMO_"))}
        env.update(DEMO_PORT=str(port), PYOT_DEMO_SQLITE=str(tmp_path / "demo.sqlite3"))
        result = subprocess.run(["make", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and f"DEMO_PORT={port + 1} make demo" in result.stderr
    assert "pyot_django demo on" not in result.stdout and "Traceback" not in result.stderr
    assert "Riot API emulator" not in result.stdout and not (tmp_path / "demo.sqlite3").exists()  # nothing started


def test_make_demo_installs_only_what_the_demo_needs():
    import configparser

    makefile = (ROOT / "Makefile").read_text()
    demo_rule = makefile.split("$(DEMO_STAMP): setup.cfg pyproject.toml", 1)[1].split("\n\n", 1)[0]
    assert 'pip install --quiet ".[demo]"' in demo_rule and "[test]" not in demo_rule
    assert all(line.lstrip("\t").startswith("@") for line in demo_rule.strip().splitlines())  # steps, not commands
    assert demo_rule.count('echo "==> [') == 3
    extras = configparser.ConfigParser()
    extras.read(ROOT / "setup.cfg")
    demo = extras["options.extras_require"]["demo"]
    for tool in ("pytest", "playwright", "psycopg", "ruff", "mkdocs"):
        assert tool not in demo
