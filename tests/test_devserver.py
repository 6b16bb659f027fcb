"""No-key development: ``"BASE_URL": "emulator"``, its checks, and the emulator extra's errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from pyot_django import devserver
from pyot_django.conf import config_problems
from pyot_django.pipeline import pipelines

ROOT = Path(__file__).resolve().parent.parent
EMULATED = {"lol": {"STORES": [{"BACKEND": "pyot_django.stores.RiotAPI", "API_KEY": "x", "BASE_URL": "emulator"}]}}


def _ids(messages) -> set[str]:
    return {message.id for message in messages}


def test_emulator_base_url_is_valid_and_needs_no_real_key():
    assert [p.check_id for p in config_problems(EMULATED)] == []


def test_check_warns_w010_in_debug_and_w011_without(settings):
    settings.PYOT = EMULATED
    settings.DEBUG = True
    assert {"pyot_django.W010"} <= _ids(run_checks()) and "pyot_django.W011" not in _ids(run_checks())
    settings.DEBUG = False
    messages = [m for m in run_checks() if m.id.startswith("pyot_django.W01")]
    assert _ids(messages) == {"pyot_django.W011"}
    assert "PYOT['lol']['STORES'][0]['BASE_URL']" in messages[0].msg and "FAKE" in messages[0].msg


def test_no_emulator_no_warning(settings):
    settings.PYOT = {"lol": {"STORES": [{"BACKEND": "pyot_django.stores.RiotAPI", "API_KEY": "RGAPI-x"}]}}
    assert not {"pyot_django.W010", "pyot_django.W011"} & _ids(run_checks())


def test_emulator_starts_lazily_in_process_and_answers(settings, caplog):
    settings.PYOT = EMULATED
    lol = pipelines["lol"]
    store = lol.stores[0]
    running = devserver.process_emulator()
    assert store.base_url == running.base_url and running.host == "127.0.0.1" and running.port > 0
    account = async_to_sync(lol.fetch)("account-v1.getByRiotId", "americas", gameName="Faker", tagLine="KR1")
    assert account["gameName"] == "Faker"
    async_to_sync(lol.aclose)()


def test_the_start_is_announced_loudly():
    script = (
        "import logging, django; from django.conf import settings; "
        "settings.configure(INSTALLED_APPS=['pyot_django'], PYOT={'lol': {'STORES': [{'BACKEND': "
        "'pyot_django.stores.RiotAPI', 'API_KEY': 'emulator', 'BASE_URL': 'emulator'}]}}); django.setup(); "
        "from pyot_django.pipeline import pipelines; print(pipelines['lol'].stores[0].base_url)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("http://127.0.0.1:")
    assert "FAKE Riot data" in result.stderr and "RIOT_API_KEY" in result.stderr


def test_missing_uvicorn_is_one_line_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn → ImportError
    with pytest.raises(ImproperlyConfigured, match=r'pip install "pyot_django\[emulator\]"'):
        devserver.require_uvicorn()


def test_pyot_emulator_command_without_uvicorn_fails_before_the_banner(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    with pytest.raises(CommandError) as failure:
        call_command("pyot_emulator", "--port", "0")
    assert str(failure.value) == 'The Riot API emulator needs uvicorn: pip install "pyot_django[emulator]"'
    assert "\n" not in str(failure.value)
    assert "Riot API emulator on" not in capsys.readouterr().out


def test_python_m_testing_without_uvicorn_fails_in_one_line():
    blocker = "import sys; sys.modules['uvicorn'] = None; from pyot_django.testing.runner import main; main([])"
    result = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.strip() == 'The Riot API emulator needs uvicorn: pip install "pyot_django[emulator]"'
    assert result.stdout == ""
