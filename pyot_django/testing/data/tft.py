"""tft-match-v1: match-id lists and ~20 KB matches of eight players."""

from __future__ import annotations

import random

from ._core import ANCHOR_MS, Handler, Request, check_not_found, rng, seed_int, uuid_from
from .ids import PLATFORMS_BY_REGION, REGION_OF_PLATFORM, BoundedRegistry, home_platform, player, region_of, riot_id_of
from .matchlist import list_ids

SET_NUMBER = 14
UNITS = (
    "Alistar",
    "Annie",
    "Aphelios",
    "Brand",
    "Braum",
    "Draven",
    "Elise",
    "Ekko",
    "Fiddlesticks",
    "Garen",
    "Gragas",
    "Graves",
    "Jarvan",
    "Jax",
    "Jinx",
    "Kindred",
    "Kobuko",
    "Leblanc",
    "Mordekaiser",
    "Morgana",
    "Naafiri",
    "Poppy",
    "Rell",
    "Renekton",
    "Rengar",
    "Samira",
    "Senna",
    "Seraphine",
    "Shaco",
    "Sylas",
    "Urgot",
    "Varus",
    "Vayne",
    "Veigar",
    "Vi",
    "Viego",
    "Xayah",
    "Yuumi",
    "Zac",
    "Zeri",
    "Ziggs",
    "Zyra",
)
TRAITS = (
    "Bruiser",
    "Cyberboss",
    "Cypher",
    "Divinicorp",
    "Dynamo",
    "Executioner",
    "Exotech",
    "GodOfSpeed",
    "Marksman",
    "Overlord",
    "Rapidfire",
    "Slayer",
    "Strategist",
    "StreetDemon",
    "Syndicate",
    "Techie",
    "Vanguard",
    "BoomBot",
    "AnimaSquad",
    "Bastion",
)
ITEMS = (
    "TFT_Item_InfinityEdge",
    "TFT_Item_JeweledGauntlet",
    "TFT_Item_BlueBuff",
    "TFT_Item_SpearOfShojin",
    "TFT_Item_ThiefsGloves",
    "TFT_Item_RedBuff",
    "TFT_Item_GargoyleStoneplate",
    "TFT_Item_WarmogsArmor",
    "TFT_Item_DragonsClaw",
    "TFT_Item_GuardianAngel",
    "TFT_Item_Bloodthirster",
    "TFT_Item_GiantSlayer",
    "TFT_Item_RunaansHurricane",
    "TFT_Item_Morellonomicon",
    "TFT_Item_RabadonsDeathcap",
    "TFT_Item_TitansResolve",
    "TFT_Item_UnstableConcoction",
    "TFT_Item_NightHarvester",
)
AUGMENTS = (
    "TFT9_Augment_BestFriends1",
    "TFT6_Augment_TradeSector",
    "TFT14_Augment_MakeshiftArmor",
    "TFT9_Augment_HighRoller",
    "TFT14_Augment_Overencumbered",
    "TFT6_Augment_CyberneticImplants1",
    "TFT14_Augment_ChromeCache",
    "TFT9_Augment_PortableForge",
    "TFT14_Augment_RollingForDays",
)
SPECIES = ("PetStyleTwoJinx", "PetChibiAhri", "PetSilverwing", "PetDowsie", "PetPenguKnight", "PetHauntling")

# (key_id, match id) -> owner puuid, filled by the id lists.
TFT_MATCHES: BoundedRegistry[tuple[str, str], str] = BoundedRegistry(200_000)


def _unit(r: random.Random) -> dict[str, object]:
    return {
        "character_id": f"TFT{SET_NUMBER}_{r.choice(UNITS)}",
        "itemNames": r.sample(ITEMS, r.choice((0, 0, 1, 2, 3, 3))),
        "name": "",
        "rarity": r.choice((0, 1, 2, 4, 6)),
        "tier": r.choice((1, 2, 2, 2, 3)),
    }


# Current captures are on the 16.x patches.
GAME_VERSIONS = (
    "Linux Version 16.1.734.1289 (Jan 07 2026/16:02:51) [PUBLIC] <Releases/16.1>",
    "Linux Version 16.2.738.4415 (Jan 21 2026/17:40:12) [PUBLIC] <Releases/16.2>",
    "Linux Version 16.3.742.2006 (Feb 04 2026/15:11:37) [PUBLIC] <Releases/16.3>",
)


def _skill_tree(r: random.Random, puuid: str, placement: int) -> dict[str, int]:
    """A player's ranked-season progress nodes (uuid -> points) and the two event counters."""
    nodes = {uuid_from("skill-node", i): r.choice((0, r.randint(100, 300))) for i in range(r.randint(4, 7))}
    return {
        **nodes,
        "EventSkill_DemotionProtection": r.choice((0, 0, 1)),
        "EventSkill_PlacementDelta": (5 - placement) * 150 if placement != 5 else 0,
    }


def _participant(r: random.Random, puuid: str, name: str, tag: str, placement: int, length: float) -> dict[str, object]:
    units = [_unit(r) for _ in range(r.randint(6, 10))]
    traits = []
    for trait in r.sample(TRAITS, r.randint(6, 12)):
        total = r.choice((1, 3, 4))
        current = r.randint(0, total)
        traits.append(
            {
                "name": f"TFT{SET_NUMBER}_{trait}",
                "num_units": r.randint(1, 7),
                "style": current and r.choice((1, 2, 3, 4)),
                "tier_current": current,
                "tier_total": total,
            }
        )
    traits.sort(key=lambda t: str(t["name"]))
    return {
        "augments": r.sample(AUGMENTS, 3),
        "companion": {
            "content_ID": uuid_from("companion", puuid),
            "item_ID": r.randint(1, 50_000),
            "skin_ID": r.randint(1, 40),
            "species": r.choice(SPECIES),
        },
        "gold_left": r.randint(0, 60),
        "last_round": 40 - placement * 2 + r.randint(0, 2),
        "level": max(6, 10 - placement // 2),
        "missions": {"PlayerScore2": r.randint(0, 250)},
        "placement": placement,
        "players_eliminated": max(0, r.randint(-2, 3) if placement < 4 else 0),
        "puuid": puuid,
        "riotIdGameName": name,
        "riotIdTagline": tag,
        "skill_tree": _skill_tree(r, puuid, placement),
        "time_eliminated": length - (placement - 1) * r.uniform(60, 180),
        "total_damage_to_players": r.randint(20, 200) // placement,
        "traits": traits,
        "units": units,
        "win": placement <= 4,
    }


def _match(match_id: str, server: str, key: str, owner: str | None) -> dict[str, object]:
    platform, _, number = match_id.partition("_")
    if not (number.isdigit() and platform.upper() in REGION_OF_PLATFORM):
        platform = PLATFORMS_BY_REGION.get(server.lower(), ("NA1",))[0]
        number = str(7_000_000_000 + seed_int("tftgid", match_id) % 1_000_000_000)
    r = rng("tft", match_id)
    length = r.uniform(1500, 2400)
    owner_slot = seed_int("tft-owner", match_id) % 8
    placements = list(range(1, 9))
    r.shuffle(placements)
    participants = []
    for i in range(8):
        if owner is not None and i == owner_slot:
            puuid = owner
            name, tag = riot_id_of(owner, key)
        else:
            puuid, name, tag = player(("tft", match_id, i), key)
        participants.append(_participant(r, puuid, name, tag, placements[i], length))
    creation = ANCHOR_MS - seed_int("tftc", match_id) % (200 * 86_400_000)
    return {
        "metadata": {"data_version": "6", "match_id": match_id, "participants": [p["puuid"] for p in participants]},
        "info": {
            "endOfGameResult": "GameComplete",
            "gameCreation": creation,
            "gameId": int(number),
            "game_datetime": creation + int(length * 1000),
            "game_length": length,
            "game_version": r.choice(GAME_VERSIONS),
            "mapId": 22,
            "participants": participants,
            "queueId": 1100,
            "queue_id": 1100,
            "tft_game_type": "standard",
            "tft_set_core_name": f"TFTSet{SET_NUMBER}",
            "tft_set_number": SET_NUMBER,
        },
    }


def match_ids(req: Request) -> object:
    check_not_found(req.path)
    puuid = req.path["puuid"]
    region = region_of(req.server)
    query = {k: v for k, v in req.query.items() if k in ("start", "count", "startTime", "endTime")}
    ids = list_ids(
        puuid, region, req.key_id, {**query, "queue": ["1100"]}, 7_500_000_000, prefix_for=home_platform(puuid, region)
    )
    for match_id in ids:
        TFT_MATCHES.remember((req.key_id, match_id), puuid)
    return ids


def _owner(req: Request) -> object:
    return TFT_MATCHES.get((req.key_id, req.path.get("matchId", "")))


def get_match(req: Request) -> object:
    check_not_found(req.path)
    match_id = req.path["matchId"]
    return _match(match_id, req.server.lower(), req.key_id, TFT_MATCHES.get((req.key_id, match_id)))


HANDLERS: dict[str, Handler] = {
    "tft-match-v1.getMatchIdsByPUUID": Handler(match_ids, cache=0),
    "tft-match-v1.getMatch": Handler(get_match, cache=512, context=_owner),
}
