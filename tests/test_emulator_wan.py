"""The emulator's WAN option: a one-way delay before counting and another before answering."""

from __future__ import annotations

import time

import httpx

from tests.helpers import lenient_riot_emulator_config  # noqa: F401  lenient: this suite is about what it measures, not Riot's id rules; its made-up ids are not what it tests

KEY = {"X-Riot-Token": "RGAPI-test"}
SUMMONER = "/na1/lol/summoner/v4/summoners/by-puuid/p-wan"


def test_both_ways_are_delayed_and_the_answer_counts_when_it_leaves(emu, http: httpx.Client) -> None:
    http.post("/_emulator/config", json={"wan_delay": [0.1, 0.1], "enforce_limits": False}).raise_for_status()
    started = time.time()
    answer = http.get(SUMMONER, headers=KEY)
    took = time.time() - started
    assert answer.status_code == 200
    assert 0.2 <= took < 5, took
    stats = emu.emulator.stats()
    # Recorded after the way back: at least the two delays after the request left.
    assert stats["last_success_at"] - started >= 0.2
    assert emu.emulator.config.wan_delay == (0.1, 0.1)


def test_a_rate_limited_answer_takes_the_way_back_too(emu, http: httpx.Client) -> None:
    emu.emulator.configure(wan_delay=0.1, app_limits="1:10")
    assert http.get(SUMMONER, headers=KEY).status_code == 200
    started = time.time()
    assert http.get(SUMMONER, headers=KEY).status_code == 429
    assert time.time() - started >= 0.2


def test_off_by_default(emu, http: httpx.Client) -> None:
    assert emu.emulator.config.wan_delay == 0.0
    assert emu.emulator._wan is None  # no sleep at all on the default path
    assert http.get(SUMMONER, headers=KEY).status_code == 200
