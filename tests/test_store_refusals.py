"""Nothing that is not data is cached, and a value a store cannot hold never puts it out of service."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import caches
from django.db import connection

from pyot_django.stores.base import DEFAULT_MAX_VALUE_SIZE, ServiceStore, ValueRefused
from tests.helpers import CACHE_STORES, make_pipeline, summoner_token

pytestmark = pytest.mark.django_db(transaction=True)

KINDS = ["memory", "locmem", "redis", "orm"]


class _Answers(ServiceStore):
    """Answers what the token's id asks for: None, a big blob, a NUL string, or a small dict."""

    OPTIONS = ServiceStore.OPTIONS | {"IDENTITY"}
    calls = 0

    async def get(self, token, session=None):  # type: ignore[no-untyped-def]
        _Answers.calls += 1
        wanted = token.params["id"]
        if wanted.startswith("none"):
            return None
        if wanted.startswith("big"):
            return {"blob": "x" * 5000}
        if wanted.startswith("nul"):
            return {"name": "a\u0000b"}
        return {"id": wanted}


ANSWERS = {"BACKEND": f"{__name__}._Answers"}


@pytest.fixture(autouse=True)
def _clean(redis_cache):
    caches["locmem"].clear()
    _Answers.calls = 0


def _assert_in_service(pipeline) -> None:
    assert [health.failing for health in pipeline.health[:-1]] == [False] * (len(pipeline.stores) - 1)
    assert all(health.sink_errors == 0 and health.errors == 0 for health in pipeline.health)


async def test_none_is_returned_but_never_cached_and_no_store_is_put_out_of_service():
    pipeline = make_pipeline(*(CACHE_STORES[kind] for kind in KINDS), ANSWERS)
    empty = summoner_token("none-1")
    assert await pipeline.get(empty) is None
    assert not await pipeline.contains(empty)
    for store in pipeline.stores[:-1]:
        assert not await store.contains(empty)
    await pipeline.set(empty, None)  # the explicit sink refuses it too
    assert not await pipeline.contains(empty)
    _assert_in_service(pipeline)
    # The next token is cached by every store at once: nobody is cooling down.
    good = summoner_token("good-1")
    await pipeline.get(good)
    for store in pipeline.stores[:-1]:
        assert await store.contains(good), store


async def test_the_orm_store_itself_refuses_none():
    pipeline = make_pipeline(CACHE_STORES["orm"], ANSWERS)
    with pytest.raises(ValueRefused):
        await pipeline.stores[0].set(summoner_token("none-direct"), None)


@pytest.mark.parametrize("kind", KINDS)
async def test_values_over_max_value_size_are_refused_logged_once_and_passed_on(kind, caplog):
    pipeline = make_pipeline(dict(CACHE_STORES[kind], MAX_VALUE_SIZE=1000), ANSWERS)
    store, health = pipeline.stores[0], pipeline.health[0]
    caplog.set_level(logging.DEBUG, logger="pyot_django.pipeline")
    for n in range(3):
        value = await pipeline.get(summoner_token(f"big-{n}"))
        assert value == {"blob": "x" * 5000}
        assert not await store.contains(summoner_token(f"big-{n}"))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "refused" in r.getMessage()]
    assert len(warnings) == 1
    assert "MAX_VALUE_SIZE of 1000 bytes" in warnings[0].getMessage()
    assert health.refusals == 3 and not health.failing
    small = summoner_token("small-1")
    await pipeline.get(small)
    assert await store.contains(small)  # the store kept working for the next token


def test_the_default_size_limit_fits_a_timeline():
    assert DEFAULT_MAX_VALUE_SIZE == 4 * 1024 * 1024  # a match timeline is up to ~0.9 MB


async def test_a_value_the_database_cannot_hold_is_refused_for_that_token_only():
    pipeline = make_pipeline(CACHE_STORES["orm"], ANSWERS)
    token = summoner_token("nul-1")
    assert await pipeline.get(token) == {"name": "a\u0000b"}
    if connection.vendor == "postgresql":
        # jsonb cannot hold U+0000: a DataError for this row, not a broken database.
        assert not await pipeline.stores[0].contains(token)
        assert pipeline.health[0].refusals == 1
    else:
        assert await pipeline.stores[0].contains(token)
    _assert_in_service(pipeline)
    good = summoner_token("good-2")
    await pipeline.get(good)
    assert await pipeline.stores[0].contains(good)
