"""Fault injection, as an httpx client sees it: scripts, random faults, latency, timeouts, resets."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from pyot_django.testing import RunningEmulator, serve_emulator
from pyot_django.testing.faults import parse_action

KEY = {"X-Riot-Token": "RGAPI-test"}
SUMMONER = "/na1/lol/summoner/v4/summoners/by-puuid/p-1"
MATCH = "/americas/lol/match/v5/matches/NA1_1"


# Both HTTP implementations uvicorn may pick: transport faults must work on each.
@pytest.fixture(scope="module", params=["h11", "httptools"])
def running(request: pytest.FixtureRequest) -> Iterator[RunningEmulator]:
    with serve_emulator(http=request.param, enforce_limits=False) as server:
        yield server


@pytest.fixture
def emu(running: RunningEmulator) -> RunningEmulator:
    running.emulator.reset(config=True)
    return running


@pytest.fixture
def client(running: RunningEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=running.url, timeout=10) as http:
        yield http


def test_script_in_order_then_normal(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("summoner-v4.getByPUUID", [503, 503, 200])
    statuses = [client.get(SUMMONER, headers=KEY).status_code for _ in range(4)]
    assert statuses == [503, 503, 200, 200]
    response = client.get(SUMMONER, headers=KEY)
    assert response.json()["puuid"] == "p-1"


def test_operation_script_before_wildcard_and_other_operations_untouched(
    emu: RunningEmulator, client: httpx.Client
) -> None:
    emu.emulator.script("*", [502])
    emu.emulator.script("match-v5.getMatch", [504])
    assert client.get(MATCH, headers=KEY).status_code == 504
    assert client.get(MATCH, headers=KEY).status_code == 502
    assert client.get(MATCH, headers=KEY).status_code == 200
    emu.emulator.script("match-v5.getMatch", [500])
    assert client.get(SUMMONER, headers=KEY).status_code == 200
    assert emu.emulator.stats()["scripts_pending"] == {"match-v5.getMatch": 1}


def test_scripted_429_variants(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script(
        "*",
        [
            429,
            {"status": 429, "retry_after": 2, "type": "service"},
            {"status": 429, "retry_after": None},
            {"status": 429, "type": "unknownType", "retry_after": None},
        ],
    )
    responses = [client.get(SUMMONER, headers=KEY) for _ in range(4)]
    assert [r.status_code for r in responses] == [429] * 4
    assert [r.headers.get("x-rate-limit-type") for r in responses] == ["service", "service", "service", "unknownType"]
    assert [r.headers.get("retry-after") for r in responses] == ["1", "2", None, None]
    assert responses[0].json()["status"]["status_code"] == 429
    assert emu.emulator.stats()["rate_limited"] == {"application": 0, "method": 0, "service": 3, "unknownType": 1}


def test_scripted_body_and_delay(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"status": 200, "body": {"custom": True}, "delay": 0.3}, {"status": 404}])
    started = time.monotonic()
    response = client.get(SUMMONER, headers=KEY)
    assert time.monotonic() - started >= 0.3
    assert response.json() == {"custom": True}
    assert client.get(SUMMONER, headers=KEY).status_code == 404


def test_reset_is_a_transport_error(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "reset"}])
    with pytest.raises(httpx.TransportError):
        client.get(SUMMONER, headers=KEY)
    assert client.get(SUMMONER, headers=KEY).status_code == 200  # the next request is served
    stats = emu.emulator.stats()
    assert stats["faults"] == {"reset": 1}
    assert [entry["status"] for entry in stats["log"]] == [0, 200]


def test_malformed_json(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "malformed"}])
    response = client.get(MATCH, headers=KEY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    with pytest.raises(ValueError):
        response.json()
    assert response.content.startswith(b'{"metadata"')
    assert emu.emulator.stats()["faults"] == {"malformed": 1}


def test_timeout_until_the_client_gives_up(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "timeout"}])
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        client.get(SUMMONER, headers=KEY, timeout=0.5)
    assert 0.4 <= time.monotonic() - started < 5
    assert client.get(SUMMONER, headers=KEY).status_code == 200


def test_timeout_is_capped(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.configure(timeout_cap=0.3)
    emu.emulator.script("*", [{"fault": "timeout"}])
    response = client.get(SUMMONER, headers=KEY, timeout=10)
    assert response.status_code == 504


def test_latency(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.configure(latency=0.2)
    started = time.monotonic()
    client.get(SUMMONER, headers=KEY)
    assert time.monotonic() - started >= 0.2
    emu.emulator.configure(latency=(0.1, 0.15))
    started = time.monotonic()
    client.get(SUMMONER, headers=KEY)
    assert time.monotonic() - started >= 0.1


def test_random_faults_are_seeded(emu: RunningEmulator, client: httpx.Client) -> None:
    def run() -> list[int]:
        emu.emulator.reset()
        return [client.get(SUMMONER, headers=KEY).status_code for _ in range(60)]

    emu.emulator.configure(error_rate=0.3, service_429_rate=0.2, seed=7)
    first = run()
    assert first == run()  # same seed, same sequence
    assert set(first) <= {200, 429, 500, 502, 503, 504}
    assert 200 in first and 429 in first and set(first) & {500, 502, 503, 504}
    emu.emulator.configure(seed=8)
    assert run() != first


def test_random_transport_faults(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.configure(reset_rate=0.3, malformed_rate=0.3, seed=3)
    outcomes = set()
    for _ in range(40):
        try:
            response = client.get(SUMMONER, headers=KEY)
        except httpx.TransportError:
            outcomes.add("reset")
            continue
        try:
            response.json()
            outcomes.add("ok")
        except ValueError:
            outcomes.add("malformed")
    assert outcomes == {"ok", "reset", "malformed"}


def test_random_service_429_without_retry_after(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.configure(service_429_rate=1.0, service_429_retry_after=None, service_429_type="unknownType")
    response = client.get(SUMMONER, headers=KEY)
    assert response.status_code == 429
    assert response.headers["x-rate-limit-type"] == "unknownType"
    assert "retry-after" not in response.headers


def test_faults_change_at_runtime_over_http(emu: RunningEmulator, client: httpx.Client) -> None:
    client.post("/_emulator/config", json={"error_rate": 1.0, "error_statuses": [502]}).raise_for_status()
    assert client.get(SUMMONER, headers=KEY).status_code == 502
    client.post("/_emulator/config", json={"error_rate": 0.0}).raise_for_status()
    assert client.get(SUMMONER, headers=KEY).status_code == 200


def test_scripts_wait_behind_auth_and_limits(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [503])
    assert client.get(SUMMONER).status_code == 401  # refused before the script
    assert client.get(SUMMONER, headers=KEY).status_code == 503


def test_bad_script_entries() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        parse_action({"fault": "explode"})
    with pytest.raises(ValueError, match="unknown script entry key"):
        parse_action({"stauts": 500})
    assert parse_action(503).status == 503
