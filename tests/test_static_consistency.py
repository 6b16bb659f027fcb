"""The emulator's Riot data and its static data agree: every id a match, a timeline or a
mastery list carries resolves through the static stores (over real HTTP) and the helpers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pyot_django import static_data
from pyot_django.exceptions import NotFound
from pyot_django.testing import RunningEmulator
from tests.helpers import (
    CACHE_STORES,
    lenient_riot_emulator_config,  # noqa: F401  lenient: made-up player ids; what it checks is that every id the data holds resolves
)
from tests.test_static_stores import static_pipeline

MATCHES = 200
UNLIMITED = {"app_limits": "100000:1", "method_limits": "100000:1"}


@pytest.mark.timeout(300)
async def test_every_id_of_200_matches_resolves(emu: RunningEmulator) -> None:
    emu.emulator.configure(**UNLIMITED)
    pipeline = static_pipeline(emu, "lol", CACHE_STORES["memory"])
    try:
        match_ids: list[str] = []
        for n in range(40):
            ids = await pipeline.fetch(
                "match-v5.getMatchIdsByPUUID", "americas", puuid=f"consistency-{n}", queries={"count": 20}
            )
            match_ids += [i for i in ids if i not in match_ids]
            if len(match_ids) >= MATCHES:
                break
        match_ids = match_ids[:MATCHES]
        assert len(match_ids) == MATCHES
        gate = asyncio.Semaphore(16)

        async def get_match(match_id: str) -> Any:
            async with gate:
                return await pipeline.fetch("match-v5.getMatch", "americas", matchId=match_id)

        matches = await asyncio.wait_for(asyncio.gather(*(get_match(i) for i in match_ids)), 120)
        idx = await static_data.index(pipeline)
        seen = {"champions": set(), "items": set(), "runes": set(), "spells": set(), "queues": set()}
        for match in matches:
            info = match["info"]
            seen["queues"].add(info["queueId"])
            idx.queue(info["queueId"])
            for team in info["teams"]:
                for ban in team["bans"]:
                    if ban["championId"] != -1:
                        idx.champion(ban["championId"])
            for p in info["participants"]:
                champion = idx.champion(p["championId"])
                assert champion["id"] == p["championName"], (p["championId"], p["championName"])
                seen["champions"].add(p["championId"])
                for slot in range(7):
                    item = p[f"item{slot}"]
                    if item:  # 0 is an empty slot
                        idx.item(item)
                        seen["items"].add(item)
                for spell in (p["summoner1Id"], p["summoner2Id"]):
                    idx.summoner_spell(spell)
                    seen["spells"].add(spell)
                perks = p["perks"]
                for style in perks["styles"]:
                    idx.rune(style["style"])
                    for selection in style["selections"]:
                        idx.rune(selection["perk"])
                        seen["runes"].add(selection["perk"])
                for shard in perks["statPerks"].values():
                    idx.rune(shard)
        # Enough variety that this meant something.
        assert len(seen["champions"]) > 100 and len(seen["items"]) > 50 and len(seen["queues"]) >= 5
        assert len(seen["runes"]) > 40 and len(seen["spells"]) >= 5
        # The one-id helpers agree with the index, and say NotFound for what is not there.
        sample = sorted(seen["champions"])[:3]
        for champion_id in sample:
            assert (await static_data.champion(pipeline, champion_id))["name"] == idx.champion(champion_id)["name"]
            assert await static_data.champion_icon_url(pipeline, champion_id) == idx.champion_icon_url(champion_id)
        assert (await static_data.champion(pipeline, name="fiora"))["key"] == "114"
        assert (await static_data.queue(pipeline, 420))["description"] == "Ranked Solo/Duo"
        with pytest.raises(NotFound):
            idx.item(999_999)
        with pytest.raises(NotFound):
            await static_data.rune(pipeline, 1)
    finally:
        await pipeline.aclose()


@pytest.mark.timeout(300)
async def test_timeline_items_and_masteries_resolve(emu: RunningEmulator) -> None:
    emu.emulator.configure(**UNLIMITED)
    pipeline = static_pipeline(emu, "lol", CACHE_STORES["memory"])
    try:
        idx = await static_data.index(pipeline)
        ids = await pipeline.fetch("match-v5.getMatchIdsByPUUID", "europe", puuid="timeline-1", queries={"count": 5})
        for match_id in ids:
            timeline = await pipeline.fetch("match-v5.getTimeline", "europe", matchId=match_id)
            for frame in timeline["info"]["frames"]:
                for event in frame["events"]:
                    if event.get("itemId"):
                        idx.item(event["itemId"])
        for n in range(20):
            masteries = await pipeline.fetch(
                "champion-mastery-v4.getAllChampionMasteriesByPUUID", "euw1", encryptedPUUID=f"mastery-{n}"
            )
            for mastery in masteries:
                idx.champion(mastery["championId"])
                assert idx.champion_icon_url(mastery["championId"]).endswith(".png")
        summoner = await pipeline.fetch("summoner-v4.getByPUUID", "euw1", encryptedPUUID="icon-1")
        assert (await static_data.profile_icon_url(pipeline, summoner["profileIconId"])).endswith(".png")
        profile_icons = await pipeline.fetch("ddragon.profileIcons", "global", version=idx.version, locale="en_US")
        assert str(summoner["profileIconId"]) in profile_icons["data"]
    finally:
        await pipeline.aclose()


def test_sync_twins(emu: RunningEmulator) -> None:
    pipeline = static_pipeline(emu, "lol", CACHE_STORES["memory"])
    assert static_data.champion_sync(pipeline, 114)["name"] == "Fiora"
    assert static_data.summoner_spell_sync(pipeline, 4)["name"] == "Flash"
    assert static_data.item_sync(pipeline, 3031)["id"] == 3031
    assert static_data.rune_sync(pipeline, 8010)["name"] == "Conqueror"
    assert static_data.rune_sync(pipeline, 5008)["name"] == "Adaptive Force"
    assert static_data.queue_sync(pipeline, 450)["name"] == "ARAM"
    assert static_data.rune_icon_url_sync(pipeline, 8010).endswith("/cdn/img/perk-images/Styles/8010.png")
    assert static_data.index_sync(pipeline).champion(48)["name"] == "Trundle"


def test_the_static_tables_cover_every_constant_the_riot_data_draws_from() -> None:
    from pyot_django.testing.data import lol_static
    from pyot_django.testing.static import lol, names

    assert set(lol_static.SUMMONER_SPELLS) | {s for pair in lol_static.SPELL_BY_POSITION.values() for s in pair} <= set(
        names.SPELLS
    )
    assert set(lol_static.QUEUES) == set(names.QUEUE_NAMES)
    assert {cid for cid, _ in lol_static.CHAMPIONS} == {
        int(c["key"]) for c in lol.ddragon("champions", lol.VERSIONS[0], "en_US")["data"].values()
    }


@pytest.mark.timeout(300)
async def test_tft_lor_and_valorant_ids_resolve(emu: RunningEmulator) -> None:
    emu.emulator.configure(**UNLIMITED)
    tft = static_pipeline(emu, "tft")
    val = static_pipeline(emu, "val")
    lor = static_pipeline(emu, "lor")
    try:
        version = (await tft.fetch("ddragon.versions", "global"))[0]
        units, items, traits, augments = await asyncio.gather(*(
            tft.fetch(operation, "global", version=version, locale="en_US")
            for operation in ("ddragon.tftChampions", "ddragon.tftItems", "ddragon.tftTraits", "ddragon.tftAugments")
        ))  # fmt: skip
        ids = await tft.fetch("tft-match-v1.getMatchIdsByPUUID", "americas", puuid="tft-1", queries={"count": 5})
        for match_id in ids:
            match = await tft.fetch("tft-match-v1.getMatch", "americas", matchId=match_id)
            for p in match["info"]["participants"]:
                assert set(p.get("augments", [])) <= set(augments["data"])
                for unit in p["units"]:
                    assert unit["character_id"] in units["data"]
                    assert set(unit.get("itemNames", [])) <= set(items["data"])
                for trait in p["traits"]:
                    assert trait["name"] in traits["data"]
        agents, maps, weapons = await asyncio.gather(*(
            val.fetch(operation, "global")
            for operation in ("valorant.agents", "valorant.maps", "valorant.weapons")
        ))  # fmt: skip
        agent_ids = {a["uuid"] for a in agents["data"]}
        map_urls = {m["mapUrl"] for m in maps["data"]}
        weapon_ids = {w["uuid"] for w in weapons["data"]}
        matchlist = await val.fetch("val-match-v1.getMatchlist", "na", puuid="val-1")
        for entry in matchlist["history"][:5]:
            match = await val.fetch("val-match-v1.getMatch", "na", matchId=entry["matchId"])
            assert match["matchInfo"]["mapId"] in map_urls
            assert {p["characterId"] for p in match["players"]} <= agent_ids
            for round_result in match["roundResults"]:
                for stats in round_result["playerStats"]:
                    assert stats["economy"]["weapon"] in weapon_ids or not stats["economy"]["weapon"]
        # lor-inventory-v1.getCards is an RSO operation (a player's Bearer token): not sent by RiotAPI.
    finally:
        for pipeline in (tft, val, lor):
            await pipeline.aclose()
