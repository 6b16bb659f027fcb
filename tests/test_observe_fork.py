"""A forked child (gunicorn, Celery prefork) counts its own lookups and flushes them itself."""

from __future__ import annotations

import os

from django.test import override_settings

from pyot_django.observe.fleet_read import read_fleet
from pyot_django.pipeline import pipelines
from tests.helpers import lenient_riot_emulator_config  # noqa: F401  lenient: this suite is about what it measures, not Riot's id rules; its made-up ids are not what it tests
from tests.observe_support import observe_settings
from tests.test_observe_fleet import prefix  # noqa: F401  (fixture)

METHOD = "summoner-v4.getByPUUID"


def test_parent_and_forked_child_each_count_their_own(emu, prefix):  # noqa: F811
    with override_settings(**observe_settings(emu.base_url, prefix)):
        lol = pipelines["lol"]
        lol.fetch_sync(METHOD, "na1", encryptedPUUID="fork")  # parent: RiotAPI, not yet flushed
        pid = os.fork()
        if pid == 0:  # the child: two Memory hits, then exit like a worker does (atexit flushes)
            code = 0
            try:
                lol.fetch_sync(METHOD, "na1", encryptedPUUID="fork")
                lol.fetch_sync(METHOD, "na1", encryptedPUUID="fork")
            except BaseException:
                code = 1
            finally:
                import atexit

                atexit._run_exitfuncs()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        lol.fetch_sync(METHOD, "na1", encryptedPUUID="fork")  # parent: one more Memory hit
    # leaving the settings closed the parent's counters (flushed); the child flushed at exit
    with override_settings(**observe_settings(emu.base_url, prefix)):
        fleet = read_fleet(["lol"]).pipelines["lol"]
    assert fleet.by_store == {"RiotAPI": 1, "Memory": 3}
