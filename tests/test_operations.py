"""The operations core (pyot_django.operations) over real stores: Memory, django-redis, the ORM."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from pyot_django import operations as ops
from pyot_django.exceptions import NotFindable, ParameterError, RoutingError
from pyot_django.models import PyotEntry
from pyot_django.pipeline import pipelines
from tests.fakes import FakeService
from tests.helpers import puuid as riot_puuid
from tests.ops_support import (
    FAKE_KEY,
    METHOD,
    emulated_riot_store,
    expired_orm_row,
    ops_settings,
    summoner,
    token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops_config():
    with ops_settings() as config:
        yield config


def _fill(*puuids: str) -> None:
    for puuid in puuids:
        ops.fetch_token(*summoner(puuid))


def test_fetch_sinks_and_reports_the_supplying_store(ops_config):
    first = ops.fetch_token(*summoner("a"))
    assert (first.store_index, first.store_name) == (3, "FakeService")
    assert first.value["method"] == METHOD
    second = ops.fetch_token(*summoner("a"))
    assert (second.store_index, second.store_name) == (0, "Memory")
    assert second.value == first.value
    assert second.key == token("a").stringify


def test_clear_all_removes_every_cache_entry_and_nothing_else(ops_config):
    _fill("a", "b")
    foreign = caches["ops"]
    foreign.set("foreign:keep", 1)
    result = ops.clear_pipelines()
    assert result.ok and result.action == "clear"
    assert [p.pipeline for p in result.pipelines] == ["lol", "tft"]
    lol = result.pipelines[0]
    assert [(s.index, s.name, s.removed) for s in lol.stores[:3]] == [
        (0, "Memory", 2),
        (1, "DjangoCache", 2),
        (2, "DjangoORM", 2),
    ]
    assert lol.stores[3].skipped and lol.stores[3].removed is None
    assert lol.removed == 6
    assert foreign.get("foreign:keep") == 1
    assert not PyotEntry.objects.exists()
    lookup = ops.lookup_token(*summoner("a"))
    assert not lookup.found and not any(state.held for state in lookup.stores)
    # Idempotent: a second clear removes nothing and still succeeds.
    assert ops.clear_pipelines(["lol"]).pipelines[0].removed == 0


def test_clear_one_pipeline_leaves_the_other(ops_config):
    _fill("a")
    ops.fetch_token("tft", "na1", "tft-summoner-v1.getByPUUID", {"encryptedPUUID": "t"})
    result = ops.clear_pipelines("tft")
    assert [p.pipeline for p in result.pipelines] == ["tft"]
    assert ops.lookup_token(*summoner("a")).found


def test_clear_one_store_by_index(ops_config):
    _fill("a")
    result = ops.clear_pipelines(["lol"], store=1)
    assert [(s.index, s.removed) for s in result.pipelines[0].stores] == [(1, 1)]
    held = [state.held for state in ops.lookup_token(*summoner("a")).stores]
    assert held == [True, False, True, None]


def test_expire_drops_only_expired_rows(ops_config):
    orm = pipelines["lol"].stores[2]
    now = timezone.now()
    rows = [
        PyotEntry(
            pipeline="lol",
            server="na1",
            method=METHOD,
            key=orm.key_for(token(f"p{n}")),
            value={"n": n},
            stored_at=now,
            expires_at=now + timedelta(seconds=-5 if n % 2 else 300),
        )
        for n in range(10)
    ]
    rows.append(PyotEntry(pipeline="lol", server="na1", method=METHOD, key=orm.key_for(token("forever")), value={}))
    # Another pipeline's expired row is not ours to drop.
    rows.append(PyotEntry(pipeline="tft", server="na1", method=METHOD, key="x", value={}, expires_at=now))
    PyotEntry.objects.bulk_create(rows)
    result = ops.expire_pipelines(["lol"])
    assert result.pipelines[0].stores[2].removed == 5
    assert PyotEntry.objects.filter(pipeline="lol").count() == 6
    assert not PyotEntry.objects.filter(pipeline="lol", expires_at__lte=timezone.now()).exists()
    assert PyotEntry.objects.filter(pipeline="tft").count() == 1


def test_unknown_names_raise_one_error_listing_the_configured(ops_config):
    _fill("a")
    with pytest.raises(ops.UnknownPipeline) as caught:
        ops.clear_pipelines(["lol", "nope", "val"])
    message = str(caught.value)
    assert "'nope'" in message and "'val'" in message and "Configured: lol, tft" in message
    assert caught.value.unknown == ("nope", "val")
    # Nothing was cleared: the names are checked before any store is touched.
    assert ops.lookup_token(*summoner("a")).found
    with pytest.raises(ops.UnknownPipeline):
        ops.inspect_pipelines("nope")
    with pytest.raises(ops.UnknownPipeline):
        ops.lookup_token("val", "na", "val-content-v1.getContent")


def test_names_are_case_insensitive_and_deduplicated(ops_config):
    result = ops.expire_pipelines(["LOL", "lol"])
    assert [p.pipeline for p in result.pipelines] == ["lol"]


@pytest.mark.parametrize(
    ("names", "store", "fragment"),
    [
        (["lol"], 9, "has no store 9"),
        (["lol"], 3, "service store"),
        (None, 0, "exactly one pipeline"),
        (["lol", "tft"], 0, "exactly one pipeline"),
    ],
)
def test_bad_store_selection(ops_config, names, store, fragment):
    with pytest.raises(ops.InvalidStore, match=fragment):
        ops.clear_pipelines(names, store=store)


def test_inspect_lists_stores_in_order_with_counts_and_health(ops_config):
    _fill("a", "b")
    ops.fetch_token(*summoner("a"))  # a Memory hit
    (lol,) = ops.inspect_pipelines(["lol"])
    assert lol.name == "lol" and lol.namespace.startswith("lol@")
    assert [(s.index, s.name, s.kind) for s in lol.stores] == [
        (0, "Memory", "cache"),
        (1, "DjangoCache", "cache"),
        (2, "DjangoORM", "cache"),
        (3, "FakeService", "service"),
    ]
    memory, cache, orm, service = lol.stores
    assert memory.backend == "pyot_django.stores.memory.Memory"
    assert memory.expirations["*"] == 60
    assert (memory.count, cache.count, orm.count) == (2, None, 2)
    assert cache.location == "ops" and orm.location == "pyot_django.PyotEntry"
    assert memory.health == {"hits": 1, "misses": 2, "errors": 0, "sink_errors": 0, "refusals": 0, "failing": False}
    assert service.health["hits"] == 2
    assert service.expirations is None
    json.dumps([info.as_dict() for info in ops.inspect_pipelines()])  # JSON-ready


def test_lookup_reports_holders_value_and_expiry_without_calling_the_service(ops_config):
    _fill("a")
    service = pipelines["lol"].stores[3]
    assert isinstance(service, FakeService)
    calls = service.calls
    before = timezone.now()
    lookup = ops.lookup_token(*summoner("a"))
    assert service.calls == calls
    assert lookup.found and lookup.source == 0 and lookup.value["method"] == METHOD
    memory, cache, orm, svc = lookup.stores
    assert [memory.held, cache.held, orm.held, svc.held] == [True, True, True, None]
    # Memory 60 s (its EXPIRATIONS), the cache's and the ORM's summoner-v4 default 600 s.
    assert timedelta(seconds=50) < memory.expires_at - before <= timedelta(seconds=61)
    assert timedelta(seconds=590) < cache.expires_at - before <= timedelta(seconds=601)
    assert timedelta(seconds=590) < orm.expires_at - before <= timedelta(seconds=601)
    assert orm.stored_at is not None and orm.stored_at <= timezone.now()
    json.dumps(lookup.as_dict(), default=str)


def test_lookup_of_an_expired_orm_row_says_expired(ops_config):
    expired_orm_row()
    state = ops.lookup_token(*summoner("old")).stores[2]
    assert state.held is False and state.expired and state.expires_at is not None


def test_delete_token_everywhere(ops_config):
    _fill("a", "b")
    deletion = ops.delete_token(*summoner("a"))
    assert deletion.deleted_from == (0, 1, 2) and not deletion.errors
    assert not ops.lookup_token(*summoner("a")).found
    assert ops.lookup_token(*summoner("b")).found
    assert ops.delete_token(*summoner("a")).deleted_from == ()


def test_token_errors_come_from_the_catalogue(ops_config):
    with pytest.raises(NotFindable, match="getByPUUID"):
        ops.lookup_token("lol", "na1", "summoner-v4.getByPuuid", {"encryptedPUUID": "x"})
    with pytest.raises(RoutingError):
        ops.lookup_token("lol", "europe", METHOD, {"encryptedPUUID": "x"})
    with pytest.raises(ParameterError):
        ops.lookup_token("lol", "na1", METHOD, {"puuid": "x"})
    with pytest.raises(ParameterError, match="must be int"):
        ops.lookup_token("lol", "europe", "match-v5.getMatchIdsByPUUID", {"puuid": "x"}, {"count": "lots"})


def test_query_values_are_coerced_to_the_catalogue_types(ops_config):
    result = ops.fetch_token(
        "lol", "europe", "match-v5.getMatchIdsByPUUID", {"puuid": "x"}, ops.parse_pairs(["count=5", "start=0"])
    )
    assert result.key.endswith("?count=5&start=0")


def test_parse_pairs():
    assert ops.parse_pairs(["a=1", " b = x=y ", "", "c=1", "c=2", "c=3"]) == {
        "a": "1",
        "b": " x=y",
        "c": ["1", "2", "3"],
    }
    with pytest.raises(ParameterError, match="key=value"):
        ops.parse_pairs(["novalue"])
    with pytest.raises(ParameterError):
        ops.parse_pairs(["=x"])


def test_a_failing_store_is_reported_and_the_others_still_cleared():
    down = {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis_down"}
    with ops_settings(extra_lol=[down]):
        _fill("a")
        result = ops.clear_pipelines(["lol"])
        assert not result.ok
        stores = result.pipelines[0].stores
        assert stores[3].name == "DjangoCache" and stores[3].error
        assert [s.removed for s in stores[:3]] == [1, 1, 1]
        assert "lol[3] DjangoCache" in result.errors[0]
        (lol,) = ops.inspect_pipelines(["lol"])
        assert lol.stores[3].location == "redis_down"


def test_redact_masks_secret_looking_values():
    data = {"api_key": FAKE_KEY, "nested": [{"password": "hunter22hunter"}], "key_identity": "abc123", "alias": "x"}
    redacted = ops.redact(data)
    # Not even the last characters: only the key identity (a hash) tells keys apart.
    assert redacted["api_key"] == "(hidden)" and FAKE_KEY[-4:] not in str(redacted)
    assert redacted["nested"][0]["password"] == "(hidden)"
    assert redacted["key_identity"] == "abc123" and redacted["alias"] == "x"
    assert ops.mask_secret("…9z8y") == "(hidden)" and ops.mask_secret("short") == "(hidden)"


@pytest.mark.django_db(transaction=True)
async def test_the_async_core_is_the_same_core():
    with ops_settings():
        await ops.afetch_token(*summoner("async"))
        lookup = await ops.alookup_token(*summoner("async"))
        assert lookup.found
        infos = await ops.ainspect_pipelines("lol")
        assert infos[0].stores[2].count == 1
        result = await ops.aclear_pipelines("lol")
        assert result.pipelines[0].removed == 3
        assert (await ops.aexpire_pipelines()).ok
        assert (await ops.adelete_token(*summoner("async"))).deleted_from == ()


def test_riot_api_store_against_the_emulator_key_never_shown():
    from pyot_django.testing import serve_emulator

    with serve_emulator() as emulator:
        riot = emulated_riot_store(emulator.base_url)
        with ops_settings(riot=riot):
            fetched = ops.fetch_token(*summoner(riot_puuid("emulated")))
            assert fetched.store_name == "RiotAPI" and fetched.store_index == 3
            assert fetched.value
            assert ops.lookup_token(*summoner(riot_puuid("emulated"))).source == 0
            dumped = json.dumps([info.as_dict() for info in ops.inspect_pipelines()], ensure_ascii=False)
            assert "SECRETKEYVISIBLE" not in dumped and FAKE_KEY not in dumped
            assert ops.clear_pipelines().ok
