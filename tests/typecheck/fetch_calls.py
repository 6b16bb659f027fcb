"""Calls of the typed ``fetch`` / ``fetch_sync``, right and wrong: read by mypy, never run.

tests/test_typed_fetch.py runs mypy on this file and compares its errors with the
error comments below, line by line; ``reveal_type`` lines check the
inferred types.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyot_django.pipeline import pipelines
from pyot_django.riot.types import Platform, Region

if not TYPE_CHECKING:
    reveal_type = print


async def right(puuid: str, region: Region, platform: Platform) -> None:
    lol = pipelines["lol"]
    match = await lol.fetch("match-v5.getMatch", "americas", matchId="NA1_1")
    reveal_type(match)  # reveal: TypedDict(pyot_django.riot.types.MatchV5MatchDto,
    reveal_type(match["info"]["participants"][0]["championName"])  # reveal: str
    ids = await lol.fetch("match-v5.getMatchIdsByPUUID", region, puuid=puuid, queries={"count": 5, "queue": 420})
    reveal_type(ids)  # reveal: list[str]
    summoner = lol.fetch_sync("summoner-v4.getByPUUID", platform, encryptedPUUID=puuid, deadline=2.0)
    reveal_type(summoner["summonerLevel"])  # reveal: int
    masteries = await lol.fetch("champion-mastery-v4.getTopChampionMasteriesByPUUID", "euw1", encryptedPUUID=puuid)
    reveal_type(masteries[0]["championId"])  # reveal: int
    versions = await lol.fetch("ddragon.versions", "global")
    reveal_type(versions)  # reveal: list[str]


async def wrong(puuid: str, server: str) -> None:
    lol = pipelines["lol"]
    await lol.fetch("match-v5.getMatch", "na1", matchId="NA1_1")  # error: [call-overload]
    await lol.fetch("match-v5.getMatch", "americas", matchid="NA1_1")  # error: [call-overload]
    await lol.fetch("match-v5.getMatch", "americas")  # error: [call-overload]
    await lol.fetch("match-v5.getMach", "americas", matchId="NA1_1")  # error: [call-overload]
    await lol.fetch("summoner-v4.getByPUUID", server, encryptedPUUID=puuid)  # error: [call-overload]
    await lol.fetch("match-v5.getMatchIdsByPUUID", "europe", puuid=puuid, queries={"sart": 1})  # error: [call-overload]
    lol.fetch_sync("account-v1.getByRiotId", "americas", gamename="Faker", tagLine="KR1")  # error: [call-overload]
    match = await lol.fetch("match-v5.getMatch", "asia", matchId="KR_1")
    match["info"]["gameDuration"].upper()  # error: [attr-defined]
