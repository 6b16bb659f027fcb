"""Small builders shared by the tests."""

from __future__ import annotations

from typing import Any

from pyot_django.pipeline import Pipeline, PipelineToken, build_pipelines

FAKE = "tests.fakes.FakeService"

CACHE_STORES: dict[str, dict[str, Any]] = {
    "memory": {"BACKEND": "pyot_django.stores.Memory"},
    "locmem": {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "locmem"},
    "redis": {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis"},
    "orm": {"BACKEND": "pyot_django.stores.DjangoORM"},
    "orm_custom": {"BACKEND": "pyot_django.stores.DjangoORM", "MODEL": "testapp.MatchEntry"},
}


def make_pipeline(*stores: dict[str, Any], name: str = "lol") -> Pipeline:
    return build_pipelines({name: {"STORES": list(stores)}})[name]


def summoner_token(puuid: str = "p1", server: str = "na1") -> PipelineToken:
    return PipelineToken("lol", server, "summoner-v4.getByPUUID", {"id": puuid}, {})
