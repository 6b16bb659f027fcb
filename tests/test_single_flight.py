"""Single-flight per process and per-lookup deadlines (issue 9).

Concurrent lookups of one cold token from threads (``get_sync``), from threads each
running its own event loop (``async_to_sync(get)``) and from coroutines share one
upstream request, counted at the emulator; every caller gets its own equal copy.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync

from pyot_django.exceptions import NotFound, RateLimited, Timeout
from pyot_django.pipeline import PipelineToken
from pyot_django.riot.deadline import current_deadline
from pyot_django.stores.base import ServiceStore
from tests.helpers import (
    CACHE_STORES,
    FAKE,
    lenient_riot_emulator_config,  # noqa: F401  lenient: single flight is about sharing one request; its made-up ids ("sf-get_sync") are not what it tests
    make_pipeline,
    riot_store,
    summoner_token,
)

pytestmark = pytest.mark.django_db(transaction=True)

SUMMONER = "summoner-v4.getByPUUID"
CALLERS = 50
WALL = 30.0  # generous: the machine is shared; a hang (or 50 serial requests) still fails


def _cold_token(puuid: str) -> PipelineToken:
    return PipelineToken("lol", "na1", SUMMONER, {"encryptedPUUID": puuid}, {})


def _slow_pipeline(emu, label: str):
    # The one upstream answer takes a while, so every caller arrives while it is in flight.
    emu.emulator.script(SUMMONER, [{"delay": 1.0}])
    return make_pipeline(riot_store(emu.base_url))


def _in_threads(count: int, call: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            value = call()
        except BaseException as exc:
            with lock:
                errors.append(exc)
            return
        with lock:
            results.append(value)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WALL)
    assert not any(thread.is_alive() for thread in threads), "a caller hung"
    return results, errors


def _assert_equal_independent_copies(results: list[Any], count: int) -> None:
    assert len(results) == count
    first = results[0]
    assert all(result == first for result in results)
    assert len({id(result) for result in results}) == count  # every caller its own object
    results[0]["puuid"] = "mutated"
    assert all(result["puuid"] != "mutated" for result in results[1:])


def _upstream(emu) -> int:
    return emu.emulator.stats()["by_operation"].get(SUMMONER, 0)


@pytest.mark.parametrize("caller", ["get_sync", "async_to_sync(get)"])
def test_50_threads_share_one_upstream_request(emu, caller):
    # async_to_sync from a plain thread runs each call in an event loop of its own.
    pipeline = _slow_pipeline(emu, caller)
    token = _cold_token(f"sf-{caller}")
    call = pipeline.get_sync if caller == "get_sync" else async_to_sync(pipeline.get)
    started = time.monotonic()
    results, errors = _in_threads(CALLERS, lambda: call(token))
    assert errors == []
    assert _upstream(emu) == 1
    _assert_equal_independent_copies(results, CALLERS)
    assert time.monotonic() - started < WALL


def test_25_threads_and_25_coroutines_share_one_request(emu):
    pipeline = _slow_pipeline(emu, "sf-mix")
    token = _cold_token("sf-mix")
    coroutine_results: list[Any] = []

    async def coroutines() -> None:
        coroutine_results.extend(await asyncio.gather(*(pipeline.get(token) for _ in range(25))))

    loop_thread = threading.Thread(target=lambda: asyncio.run(coroutines()))
    started = time.monotonic()
    loop_thread.start()
    results, errors = _in_threads(25, lambda: pipeline.get_sync(token))
    loop_thread.join(WALL)
    assert not loop_thread.is_alive()
    assert errors == []
    assert _upstream(emu) == 1
    _assert_equal_independent_copies(results + coroutine_results, 50)
    assert time.monotonic() - started < WALL


def test_a_failing_leader_gives_every_follower_its_own_error():
    pipeline = make_pipeline({"BACKEND": FAKE, "DELAY": 0.5})
    token = summoner_token("404-shared")
    results, errors = _in_threads(10, lambda: pipeline.get_sync(token))
    assert results == []
    assert len(errors) == 10 and all(isinstance(error, NotFound) for error in errors)
    assert len({id(error) for error in errors}) == 10
    assert pipeline.stores[0].calls == 1


async def test_a_cancelled_leader_does_not_hang_its_followers():
    pipeline = make_pipeline({"BACKEND": FAKE, "DELAY": 0.5})
    token = summoner_token("cancelled-leader")
    leader = asyncio.ensure_future(pipeline.get(token))
    await asyncio.sleep(0.1)
    follower_in_thread = asyncio.get_running_loop().run_in_executor(None, pipeline.get_sync, token)
    follower = asyncio.ensure_future(pipeline.get(token))
    await asyncio.sleep(0.1)
    leader.cancel()
    started = time.monotonic()
    values = await asyncio.wait_for(asyncio.gather(follower, follower_in_thread), 10)
    assert [value["id"] for value in values] == ["cancelled-leader"] * 2
    assert time.monotonic() - started < 5
    assert pipeline.stores[0].calls == 2  # the cancelled request, then one new leader for both
    with pytest.raises(asyncio.CancelledError):
        await leader


def test_a_follower_waits_at_most_its_own_deadline_and_the_leader_carries_on():
    pipeline = make_pipeline({"BACKEND": FAKE, "DELAY": 1.5})
    token = summoner_token("deadline-follower")
    leader = threading.Thread(target=lambda: leader_result.append(pipeline.get_sync(token)))
    leader_result: list[Any] = []
    leader.start()
    time.sleep(0.2)
    started = time.monotonic()
    with pytest.raises(Timeout, match="in-flight lookup"):
        pipeline.get_sync(token, deadline=0.3)
    with pytest.raises(Timeout):
        async_to_sync(pipeline.get)(token, deadline=0.3)
    assert time.monotonic() - started < 1.4  # both gave up well before the leader's 1.5 s
    leader.join(10)
    assert leader_result and leader_result[0]["id"] == "deadline-follower"
    assert pipeline.stores[0].calls == 1


class _DeadlineProbe(ServiceStore):
    """Records the deadline the service store sees (what RiotAPI reads)."""

    seen: list[float | None] = []

    async def get(self, token, session=None):  # type: ignore[no-untyped-def]
        deadline = current_deadline.get()
        _DeadlineProbe.seen.append(None if deadline is None else deadline.seconds)
        return {"ok": True}


@pytest.mark.parametrize("caller", ["get", "get_sync", "fetch", "fetch_sync"])
def test_the_deadline_reaches_the_service_store(caller):
    _DeadlineProbe.seen = []
    pipeline = make_pipeline(CACHE_STORES["memory"], {"BACKEND": f"{__name__}._DeadlineProbe"})
    if caller.startswith("fetch"):
        call = getattr(pipeline, caller)
        args: tuple[Any, ...] = (SUMMONER, "na1")
        kwargs: dict[str, Any] = {"encryptedPUUID": f"probe-{caller}", "deadline": 2.5}
    else:
        call = getattr(pipeline, caller)
        args, kwargs = (_cold_token(f"probe-{caller}"),), {"deadline": 2.5}
    if caller in ("get", "fetch"):
        async_to_sync(call)(*args, **kwargs)
    else:
        call(*args, **kwargs)
    assert _DeadlineProbe.seen == [2.5]
    assert current_deadline.get() is None  # the scope closed with the lookup


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), True, "2"])
def test_bad_deadlines_are_a_clear_value_error(bad):
    pipeline = make_pipeline({"BACKEND": FAKE})
    token = summoner_token("bad-deadline")
    with pytest.raises(ValueError, match="deadline="):
        pipeline.get_sync(token, deadline=bad)
    with pytest.raises(ValueError, match="deadline="):
        async_to_sync(pipeline.get)(token, deadline=bad)
    assert pipeline.stores[0].calls == 0


class _Impatient(ServiceStore):
    """Takes 0.3 s, then fails with RateLimited when its caller's deadline is short (as RiotAPI does)."""

    calls = 0

    async def get(self, token, session=None):  # type: ignore[no-untyped-def]
        _Impatient.calls += 1
        await asyncio.sleep(0.3)
        deadline = current_deadline.get()
        if deadline is not None and deadline.remaining() < 5:
            error = RateLimited("would wait past the deadline", method=token.method)
            error.retry_after = 5.0
            raise error
        return {"id": token.params["id"]}


def test_a_patient_follower_does_not_inherit_an_impatient_leaders_deadline_failure():
    _Impatient.calls = 0
    pipeline = make_pipeline({"BACKEND": f"{__name__}._Impatient"})
    token = summoner_token("patient")
    leader_errors: list[BaseException] = []

    def impatient_leader() -> None:
        try:
            pipeline.get_sync(token, deadline=1.0)
        except RateLimited as exc:
            leader_errors.append(exc)

    leader = threading.Thread(target=impatient_leader)
    leader.start()
    time.sleep(0.1)
    assert pipeline.get_sync(token) == {"id": "patient"}  # no deadline: it leads a lookup of its own
    leader.join(10)
    assert len(leader_errors) == 1 and leader_errors[0].retry_after == 5.0
    assert _Impatient.calls == 2


async def test_get_sync_on_a_miss_inside_an_event_loop_refuses_instead_of_deadlocking():
    pipeline = make_pipeline({"BACKEND": FAKE, "DELAY": 0.3})
    token = summoner_token("in-loop")
    leader = asyncio.ensure_future(pipeline.get(token))
    await asyncio.sleep(0.05)
    with pytest.raises(RuntimeError, match=r"await pipeline\.get"):
        pipeline.get_sync(token)
    assert (await asyncio.wait_for(leader, 5))["id"] == "in-loop"


def test_followers_get_a_copy_of_the_leaders_error_with_its_attributes_and_no_chain():
    from pyot_django.pipeline.flight import _copy_of

    try:
        try:
            raise OSError("a transport frame that might hold a header")
        except OSError as cause:
            error = RateLimited("slow down", method=SUMMONER)
            error.retry_after = 3.0
            raise error from cause
    except RateLimited as exc:
        raised = exc
        twin = _copy_of(raised)
    assert twin is not raised and type(twin) is RateLimited
    assert str(twin) == str(raised) and twin.status == 429 and twin.retry_after == 3.0
    assert twin.__cause__ is None and twin.__context__ is None and twin.__traceback__ is None
