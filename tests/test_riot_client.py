"""The Riot client layer (``pyot_django.riot.http``): errors that explain themselves, deadlines,
keyless use for static data, and the limiter slot never leaked."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from pyot_django.exceptions import NotFound, RateLimited, ServerError, Timeout
from pyot_django.riot.deadline import deadline_scope
from pyot_django.riot.http import HttpClient, Secret
from pyot_django.riot.retry import parse_error_handling
from tests.helpers import (
    API_KEY,
    CACHE_STORES,
    lenient_riot_emulator_config,  # noqa: F401  lenient: about deadlines and cancellation; its made-up ids ("slow", "p0"…) are not what it tests
    make_pipeline,
    riot_store,
)


def pipeline_for(emulator: Any, *caches: dict, **options: Any) -> Any:
    return make_pipeline(*caches, riot_store(emulator.base_url, **options))


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (404, "NotFound: Riot answered 404 for match-v5.getMatch on americas"),
        (400, "BadRequest: Riot answered 400 for match-v5.getMatch on americas"),
        (503, "ServerError: Riot answered 503 for match-v5.getMatch on americas"),
        ({"status": 429, "retry_after": 0, "type": "method", "times": 4},
         "RateLimited: Riot answered 429 for match-v5.getMatch on americas"),
        ({"fault": "timeout", "times": 3}, "Timeout: No answer from Riot in time"),
        ({"fault": "reset", "times": 3}, "ServerError: No answer from Riot (RemoteProtocolError) for match-v5"),
        ({"fault": "null", "times": 3}, "InvalidResponse: Riot answered 200 with an unusable body for match-v5"),
    ],
)
async def test_every_error_names_operation_server_and_status(emu: Any, entry: Any, expected: str) -> None:
    emu.emulator.script("match-v5.getMatch", [entry] * (4 if isinstance(entry, int) else 1))
    pipeline = pipeline_for(emu, TIMEOUT=0.3, ERROR_HANDLING={s: ("R", [1]) for s in (429, 500, 503, 504)})
    with pytest.raises(Exception) as info:
        await pipeline.fetch("match-v5.getMatch", "americas", matchId="NA1_1")
    text = f"{type(info.value).__name__}: {info.value}"
    assert text.startswith(expected), text
    assert "americas" in text and "match-v5.getMatch" in text and API_KEY not in text
    error = info.value
    assert (error.method, error.server) == ("match-v5.getMatch", "americas")
    assert error.status == {404: 404, 400: 400, 503: 503}.get(entry if isinstance(entry, int) else 0, error.status)


async def test_a_per_call_deadline_cuts_a_slow_attempt(emu: Any) -> None:
    emu.emulator.script("summoner-v4.getByPUUID", [{"status": 200, "delay": 3}])
    pipeline = pipeline_for(emu, CACHE_STORES["memory"], TIMEOUT=10)
    started = time.monotonic()
    with pytest.raises(Timeout) as info:
        with deadline_scope(0.5):
            await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID="slow")
    assert 0.45 <= time.monotonic() - started < 1.5
    assert info.value.cause == "deadline"
    assert not await pipeline.contains(pipeline.token("summoner-v4.getByPUUID", "na1", encryptedPUUID="slow"))


async def test_the_store_deadline_and_the_callers_tightest_wins(emu: Any) -> None:
    emu.emulator.script("summoner-v4.getByPUUID", [{"status": 200, "delay": 3}] * 2)
    pipeline = pipeline_for(emu, TIMEOUT=10, DEADLINE=0.4)
    for outer in (None, 5.0):  # a looser caller deadline does not loosen the store's
        started = time.monotonic()
        with pytest.raises(Timeout), deadline_scope(outer):
            await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID="slow")
        assert time.monotonic() - started < 1.2


async def test_a_backoff_past_the_deadline_raises_at_once_with_retry_after(emu: Any) -> None:
    emu.emulator.script("summoner-v4.getByPUUID", [503, 503])
    pipeline = pipeline_for(emu, DEADLINE=1, ERROR_HANDLING={503: ("E", [5, 2])})
    started = time.monotonic()
    with pytest.raises(ServerError) as info:
        await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID="x")
    assert time.monotonic() - started < 0.8
    assert info.value.status == 503 and info.value.retry_after == 5
    assert emu.emulator.stats()["total"] == 1


async def test_no_deadline_is_patient(emu: Any) -> None:
    emu.emulator.script("summoner-v4.getByPUUID", [{"status": 429, "retry_after": 1, "type": "method"}])
    pipeline = pipeline_for(emu, ERROR_HANDLING={429: ("R", [1])})
    started = time.monotonic()
    assert (await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID="x"))["puuid"] == "x"
    assert 0.95 <= time.monotonic() - started < 3


async def test_deadline_refusals_leave_the_limiter_whole(emu: Any) -> None:
    """Many callers refused by the limiter under a deadline: none leaks a slot or a probe hold."""
    emu.emulator.script("summoner-v4.getByPUUID", [{"status": 429, "retry_after": 1, "type": "method"}])
    pipeline = pipeline_for(emu, DEADLINE=0.3, ERROR_HANDLING={429: ("T", [])})
    with pytest.raises(RateLimited):
        await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID="first")
    results = await asyncio.gather(
        *(pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=f"p{n}") for n in range(20)),
        return_exceptions=True,
    )
    assert all(isinstance(r, RateLimited) and r.cause == "deadline" for r in results)
    await asyncio.sleep(1.2)
    values = await asyncio.gather(
        *(pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=f"p{n}") for n in range(10))
    )
    assert [v["puuid"] for v in values] == [f"p{n}" for n in range(10)]


async def test_cancelled_calls_leak_no_slot(emu: Any) -> None:
    emu.emulator.script("summoner-v4.getByPUUID", [{"status": 200, "delay": 5}] * 5)
    pipeline = pipeline_for(emu, TIMEOUT=10)
    tasks = [
        asyncio.create_task(pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=f"c{n}")) for n in range(5)
    ]
    await asyncio.sleep(0.5)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    started = time.monotonic()
    await asyncio.wait_for(pipeline.fetch("account-v1.getByPuuid", "americas", puuid="after"), 3)
    await asyncio.wait_for(pipeline.fetch("lol-status-v4.getPlatformData", "na1"), 3)
    assert time.monotonic() - started < 3


async def _static_server(requests: list[dict[str, str]]) -> asyncio.Server:
    """A minimal static-data host (like Data Dragon): JSON, no key, no rate-limit headers."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        requests.append({k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)})
        body = b'["15.1.1", "15.0.1"]' if b"versions" in head else b'{"status": {"status_code": 404}}'
        status = b"200 OK" if b"versions" in head else b"404 Not Found"
        writer.write(b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\n")
        writer.write(b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body) + body)
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


async def test_the_client_serves_keyless_static_hosts_without_a_limiter() -> None:
    requests: list[dict[str, str]] = []
    server = await _static_server(requests)
    port = server.sockets[0].getsockname()[1]
    client = HttpClient(strategies=parse_error_handling(None), timeout=2)
    try:
        versions = await client.request(
            "GET", f"http://127.0.0.1:{port}/api/versions.json", server="ddragon", method="versions", returns="array"
        )
        assert versions == ["15.1.1", "15.0.1"]
        with pytest.raises(NotFound) as info:
            await client.request("GET", f"http://127.0.0.1:{port}/cdn/x.json", server="ddragon", method="champion")
        assert "404 for champion on ddragon" in str(info.value)
    finally:
        await client.aclose()
        server.close()
        await server.wait_closed()
    assert len(requests) == 2 and all("x-riot-token" not in headers for headers in requests)


def test_secret_is_masked_and_unpicklable() -> None:
    import pickle

    secret = Secret(API_KEY + "\n")
    assert API_KEY not in repr(secret) and API_KEY not in str(secret) and API_KEY not in f"{secret}"
    assert secret.header_list()[0] == (b"X-Riot-Token", API_KEY.encode())  # stripped
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_errors_survive_copy_and_pickle_unchanged() -> None:
    import copy
    import pickle

    from pyot_django.exceptions import InvalidResponse

    for error in (
        RateLimited("slow down", method="match-v5.getMatch", server="europe", retry_after=3),
        Timeout(cause="ConnectTimeout", method="match-v5.getMatch", server="europe"),
        InvalidResponse("null instead of data", method="match-v5.getMatch", server="europe"),
    ):
        for twin in (copy.copy(error), pickle.loads(pickle.dumps(error))):
            assert type(twin) is type(error) and str(twin) == str(error)
            assert (twin.server, twin.method, twin.retry_after, twin.cause) == (
                error.server, error.method, error.retry_after, error.cause)
