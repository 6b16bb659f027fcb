"""Structured log lines, the ``extra`` fields of the 429 warning, and a broken subscriber."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from pyot_django.observe import events
from pyot_django.observe.conf import read_config
from pyot_django.pipeline import pipelines
from tests.helpers import lenient_riot_emulator_config  # noqa: F401  lenient: this suite is about what it measures, not Riot's id rules; its made-up ids are not what it tests
from tests.ops_support import emulated_riot_store

METHOD = "summoner-v4.getByPUUID"


@pytest.fixture
def pipeline(emu):
    riot = {**emulated_riot_store(emu.base_url), "ERROR_HANDLING": {429: ("E", [0.01, 2])}}
    stores = [{"BACKEND": "pyot_django.stores.Memory"}, riot]
    with override_settings(
        PYOT={"lol": {"STORES": stores}}, PYOT_OBSERVE={"METRICS": False, "FLEET": False, "LOG_LOOKUPS": True}
    ):
        yield pipelines["lol"]
    pipelines.reset()


def test_one_debug_line_per_lookup_with_the_fields_as_extra(pipeline, caplog, emu):
    emu.emulator.script(METHOD, [{"status": 429, "retry_after": 0, "type": "method"}])
    with caplog.at_level(logging.DEBUG):
        pipeline.fetch_sync(METHOD, "na1", encryptedPUUID="logs")
        pipeline.fetch_sync(METHOD, "na1", encryptedPUUID="logs")
    lines = [r for r in caplog.records if r.name == "pyot_django.lookups"]
    assert [(r.store, r.outcome, r.store_index) for r in lines] == [("RiotAPI", "fetched", 1), ("Memory", "hit", 0)]
    for record in lines:
        assert (record.pipeline, record.operation, record.server, record.shared) == ("lol", METHOD, "na1", False)
        assert "logs" in record.key and record.duration_ms >= 0
    (warning,) = [r for r in caplog.records if r.name == "pyot_django.riot" and r.levelno == logging.WARNING]
    assert (warning.pipeline, warning.operation, warning.server, warning.status) == ("lol", METHOD, "na1", 429)


def test_a_failing_subscriber_is_logged_once_and_never_fails_the_lookup(pipeline, caplog, monkeypatch):
    class Broken(events.Subscriber):
        def lookup_done(self, *args):
            raise RuntimeError("broken subscriber")

    events.subscribers()
    monkeypatch.setitem(events._state.handlers, "lookup_done", (Broken().lookup_done,))
    monkeypatch.setattr(events._state, "errors", set())
    with caplog.at_level(logging.ERROR, logger="pyot_django.observe"):
        for _ in range(3):
            assert pipeline.fetch_sync(METHOD, "na1", encryptedPUUID="broken")["puuid"] == "broken"
    assert len([r for r in caplog.records if "broken" in r.getMessage() or r.exc_info]) == 1


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ({"FLUSH": 1}, "unknown key"),
        ({"FLEET": "memcached://x"}, "PYOT_OBSERVE['FLEET']"),
        ({"FLEET_FLUSH_SECONDS": 0}, "PYOT_OBSERVE['FLEET_FLUSH_SECONDS']"),
        ({"METRICS_TOKEN": "short"}, "PYOT_OBSERVE['METRICS_TOKEN']"),
        ({"FLEET_KEY_PREFIX": "a b"}, "PYOT_OBSERVE['FLEET_KEY_PREFIX']"),
    ],
)
def test_bad_settings_name_the_key(setting, named):
    with override_settings(PYOT_OBSERVE=setting), pytest.raises(ImproperlyConfigured, match=named.replace("[", r"\[")):
        read_config()
