"""League of Legends static data as Data Dragon, CommunityDragon and Meraki shape it.

Built from the same constants the emulator's Riot data draws from
(``testing/data/lol_static.py``): every champion, item, rune, summoner spell,
queue and profile icon a generated match, mastery or summoner names resolves here.
"""

from __future__ import annotations

import functools
from typing import Any

from pyot_django.testing.data.lol_static import (
    BOOTS,
    CHAMPIONS,
    COMPONENTS,
    GAME_VERSIONS,
    LEGENDARY_ITEMS,
    QUEUES,
    RUNE_TREES,
    STARTERS,
    STAT_PERKS,
    TRINKETS,
)
from pyot_django.testing.data.timeline import CONSUMABLES

from .names import (
    QUEUE_NAMES,
    RUNE_STYLE_NAMES,
    SPELLS,
    champion_name,
    champion_title,
    item_name,
    rune_name,
)

__all__ = ["ITEM_IDS", "PROFILE_ICON_IDS", "RUNE_IDS", "VERSIONS", "cdragon", "ddragon", "meraki"]


# Data Dragon versions, newest first: "15.13.694.2051" is patch 15.13, Data Dragon "15.13.1".
def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


VERSIONS: tuple[str, ...] = tuple(
    ".".join(version.split(".")[:2]) + ".1" for version in sorted(GAME_VERSIONS, key=_version_key, reverse=True)
)
# Every item the match and timeline data can hold: the timeline buys consumables (elixirs) too.
ITEM_IDS: tuple[int, ...] = tuple(sorted({*LEGENDARY_ITEMS, *BOOTS, *COMPONENTS, *STARTERS, *TRINKETS, *CONSUMABLES}))
RUNE_IDS: tuple[int, ...] = tuple(sorted({rune for tree in RUNE_TREES.values() for row in tree for rune in row}))
STAT_PERK_IDS: tuple[int, ...] = tuple(sorted({perk for row in STAT_PERKS for perk in row}))
# The summoner generator draws icons from 0-28 and 500-6900.
PROFILE_ICON_IDS: tuple[int, ...] = (*range(29), *range(500, 6901))
_TAGS = ("Fighter", "Mage", "Assassin", "Marksman", "Support", "Tank")
_MAPS = {11: "Summoner's Rift", 12: "Howling Abyss", 30: "Rings of Wrath"}


def _image(full: str, group: str) -> dict[str, Any]:
    return {"full": full, "sprite": f"{group}0.png", "group": group, "x": 0, "y": 0, "w": 48, "h": 48}


def _champion(champion_id: int, key: str, version: str, full: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "version": version,
        "id": key,
        "key": str(champion_id),
        "name": champion_name(key),
        "title": champion_title(champion_id),
        "blurb": f"{champion_name(key)} is a champion of the emulator.",
        "info": {
            "attack": champion_id % 10,
            "defense": (champion_id // 3) % 10,
            "magic": (champion_id // 7) % 10,
            "difficulty": champion_id % 10,
        },
        "image": _image(f"{key}.png", "champion"),
        "tags": [_TAGS[champion_id % len(_TAGS)]],
        "partype": "Mana",
        "stats": {"hp": 600 + champion_id % 100, "movespeed": 335, "attackrange": 125 + (champion_id % 4) * 150},
    }
    if full:
        entry["skins"] = [{"id": str(champion_id * 1000), "num": 0, "name": "default", "chromas": False}]
        entry["lore"] = entry["blurb"]
        entry["spells"] = [
            {"id": f"{key}{slot}", "name": f"{champion_name(key)} {slot}", "image": _image(f"{key}{slot}.png", "spell")}
            for slot in "QWER"
        ]
        entry["passive"] = {"name": f"{champion_name(key)}'s passive", "image": _image(f"{key}_P.png", "passive")}
    return entry


@functools.lru_cache(maxsize=256)
def ddragon(operation: str, version: str, locale: str, extra: str = "") -> Any:
    """The Data Dragon file of ``operation`` (``extra``: a champion key)."""
    header = {"type": operation, "format": "standAloneComplex", "version": version}
    if operation == "champions":
        return {
            **header,
            "type": "champion",
            "data": {key: _champion(cid, key, version, False) for cid, key in CHAMPIONS},
        }
    if operation == "championFull":
        return {
            **header,
            "type": "champion",
            "keys": {str(cid): key for cid, key in CHAMPIONS},
            "data": {key: _champion(cid, key, version, True) for cid, key in CHAMPIONS},
        }
    if operation == "champion":
        found = [(cid, key) for cid, key in CHAMPIONS if key == extra]
        if not found:
            return None
        return {**header, "type": "champion", "data": {extra: _champion(found[0][0], extra, version, True)}}
    if operation == "items":
        return {
            "type": "item",
            "version": version,
            "basic": {},
            "groups": [],
            "tree": [],
            "data": {str(item): _ddragon_item(item) for item in ITEM_IDS},
        }
    if operation == "runesReforged":
        return [_ddragon_style(style, tree) for style, tree in RUNE_TREES.items()]
    if operation == "summonerSpells":
        return {
            "type": "summoner",
            "version": version,
            "data": {
                key: {
                    "id": key,
                    "name": name,
                    "key": str(spell_id),
                    "description": f"{name}.",
                    "cooldown": [cooldown],
                    "summonerLevel": 1,
                    "modes": ["CLASSIC", "ARAM"],
                    "image": _image(f"{key}.png", "spell"),
                }
                for spell_id, (key, name, cooldown) in SPELLS.items()
            },
        }
    if operation == "profileIcons":
        return {
            "type": "profileicon",
            "version": version,
            "data": {str(i): {"id": i, "image": _image(f"{i}.png", "profileicon")} for i in PROFILE_ICON_IDS},
        }
    if operation == "maps":
        return {
            "type": "map",
            "version": version,
            "data": {
                str(map_id): {"MapName": name, "MapId": str(map_id), "image": _image(f"map{map_id}.png", "map")}
                for map_id, name in _MAPS.items()
            },
        }
    return None


def _ddragon_item(item: int) -> dict[str, Any]:
    total = 300 + (item * 37) % 3000
    return {
        "name": item_name(item),
        "description": f"<mainText>{item_name(item)}</mainText>",
        "plaintext": "An item of the emulator.",
        "image": _image(f"{item}.png", "item"),
        "gold": {"base": total // 3, "total": total, "sell": int(total * 0.7), "purchasable": True},
        "tags": [],
        "maps": {"11": True, "12": True},
    }


def _rune_icon(rune_id: int) -> str:
    return f"perk-images/Styles/{rune_id}.png"


def _ddragon_style(style: int, tree: tuple[tuple[int, ...], ...]) -> dict[str, Any]:
    name = RUNE_STYLE_NAMES[style]
    return {
        "id": style,
        "key": name,
        "name": name,
        "icon": _rune_icon(style),
        "slots": [
            {
                "runes": [
                    {
                        "id": rune,
                        "key": rune_name(rune).replace(" ", ""),
                        "name": rune_name(rune),
                        "icon": _rune_icon(rune),
                        "shortDesc": f"{rune_name(rune)}.",
                        "longDesc": f"{rune_name(rune)}.",
                    }
                    for rune in row
                ]
            }
            for row in tree
        ],
    }


_CD_ASSETS = "/lol-game-data/assets"


@functools.lru_cache(maxsize=256)
def cdragon(operation: str, version: str, locale: str, extra: str = "") -> Any:
    """The CommunityDragon file of ``operation`` (``extra``: a champion id)."""
    if operation == "championSummary":
        return [
            {
                "id": -1,
                "name": "None",
                "alias": "None",
                "squarePortraitPath": f"{_CD_ASSETS}/v1/champion-icons/-1.png",
                "roles": [],
            }
        ] + [_cd_champion(cid, key, False) for cid, key in CHAMPIONS]
    if operation == "champion":
        found = [(cid, key) for cid, key in CHAMPIONS if str(cid) == extra]
        return _cd_champion(*found[0], True) if found else None
    if operation == "items":
        return [
            {
                "id": item,
                "name": item_name(item),
                "description": "",
                "active": False,
                "inStore": True,
                "from": [],
                "to": [],
                "categories": [],
                "maxStacks": 1,
                "requiredChampion": "",
                "requiredAlly": "",
                "requiredBuffCurrencyName": "",
                "requiredBuffCurrencyCost": 0,
                "specialRecipe": 0,
                "isEnchantment": False,
                "price": 300,
                "priceTotal": 300 + (item * 37) % 3000,
                "iconPath": f"{_CD_ASSETS}/ASSETS/Items/Icons2D/{item}.png",
            }
            for item in ITEM_IDS
        ]
    if operation == "perks":
        return [
            {
                "id": perk,
                "name": rune_name(perk),
                "majorChangePatchVersion": "",
                "tooltip": "",
                "shortDesc": f"{rune_name(perk)}.",
                "longDesc": f"{rune_name(perk)}.",
                "recommendationDescriptor": "",
                "iconPath": f"{_CD_ASSETS}/v1/perk-images/Styles/{perk}.png",
                "endOfGameStatDescs": [],
            }
            for perk in (*RUNE_IDS, *STAT_PERK_IDS)
        ]
    if operation == "perkStyles":
        return {
            "schemaVersion": 2,
            "styles": [
                {
                    "id": style,
                    "name": RUNE_STYLE_NAMES[style],
                    "tooltip": "",
                    "iconPath": f"{_CD_ASSETS}/v1/perk-images/Styles/{style}.png",
                    "slots": [
                        {
                            "type": "kKeyStone" if i == 0 else "kMixedRegularSplashable",
                            "slotLabel": "",
                            "perks": list(row),
                        }
                        for i, row in enumerate(tree)
                    ],
                }
                for style, tree in RUNE_TREES.items()
            ],
        }
    if operation == "queues":
        return [
            {
                "id": queue,
                "name": QUEUE_NAMES[queue],
                "shortName": QUEUE_NAMES[queue],
                "description": QUEUE_NAMES[queue],
                "detailedDescription": "",
                "gameSelectModeGroup": mode,
                "gameSelectCategory": "kPvP",
                "gameSelectPriority": 0,
                "isSkillTreeQueue": False,
                "hidePlayerPosition": False,
                "mapId": map_id,
                "gameMode": mode,
                "gameType": game_type,
            }
            for queue, (map_id, mode, game_type) in QUEUES.items()
        ]
    if operation == "summonerSpells":
        return [
            {
                "id": spell_id,
                "name": name,
                "description": f"{name}.",
                "summonerLevel": 1,
                "cooldown": cooldown,
                "gameModes": ["CLASSIC", "ARAM"],
                "iconPath": f"{_CD_ASSETS}/DATA/Spells/Icons2D/{key}.png",
            }
            for spell_id, (key, name, cooldown) in SPELLS.items()
        ]
    if operation == "profileIcons":
        return [{"id": i, "iconPath": f"{_CD_ASSETS}/v1/profile-icons/{i}.png"} for i in PROFILE_ICON_IDS]
    if operation == "skins":
        return {
            str(cid * 1000): {
                "id": cid * 1000,
                "isBase": True,
                "name": champion_name(key),
                "splashPath": f"{_CD_ASSETS}/v1/champion-splashes/{cid}/{cid * 1000}.png",
            }
            for cid, key in CHAMPIONS
        }
    if operation == "maps":
        return [{"id": map_id, "name": name, "mapStringId": f"SR{map_id}"} for map_id, name in _MAPS.items()]
    return None


def _cd_champion(champion_id: int, key: str, full: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": champion_id,
        "name": champion_name(key),
        "alias": key,
        "squarePortraitPath": f"{_CD_ASSETS}/v1/champion-icons/{champion_id}.png",
        "roles": [_TAGS[champion_id % len(_TAGS)].lower()],
    }
    if full:
        entry.update(
            title=champion_title(champion_id),
            shortBio=f"{champion_name(key)} of the emulator.",
            skins=[{"id": champion_id * 1000, "isBase": True, "name": champion_name(key)}],
            passive={"name": "Passive"},
            spells=[{"spellKey": slot.lower(), "name": f"{key} {slot}"} for slot in "QWER"],
        )
    return entry


@functools.lru_cache(maxsize=64)
def meraki(operation: str, extra: str = "") -> Any:
    """Meraki Analytics' file of ``operation`` (``extra``: a champion key or an item id)."""
    if operation == "champions":
        return {key: _meraki_champion(cid, key) for cid, key in CHAMPIONS}
    if operation == "champion":
        found = [(cid, key) for cid, key in CHAMPIONS if key == extra]
        return _meraki_champion(*found[0]) if found else None
    if operation == "items":
        return {str(item): _meraki_item(item) for item in ITEM_IDS}
    if operation == "item":
        return _meraki_item(int(extra)) if extra.isdigit() and int(extra) in ITEM_IDS else None
    if operation == "championRates":
        return {
            "patch": VERSIONS[0].rsplit(".", 1)[0],
            "data": {
                str(cid): {
                    position: {"playRate": round(((cid * 7 + i * 13) % 100) / 10, 3)}
                    for i, position in enumerate(("TOP", "JUNGLE", "MIDDLE", "BOTTOM", "UTILITY"))
                }
                for cid, _ in CHAMPIONS
            },
        }
    if operation == "patches":
        return {
            "patches": [
                {"name": v.rsplit(".", 1)[0], "start": 1_750_000_000 - i * 1_209_600, "season": 15}
                for i, v in enumerate(VERSIONS)
            ],
            "shifts": {},
        }
    return None


def _meraki_champion(champion_id: int, key: str) -> dict[str, Any]:
    return {
        "id": champion_id,
        "key": key,
        "name": champion_name(key),
        "title": champion_title(champion_id),
        "fullName": "",
        "icon": f"champion-icons/{champion_id}.png",
        "resource": "MANA",
        "attackType": "MELEE" if champion_id % 2 else "RANGED",
        "adaptiveType": "PHYSICAL_DAMAGE",
        "roles": [_TAGS[champion_id % len(_TAGS)].upper()],
        "abilities": {},
        "stats": {},
    }


def _meraki_item(item: int) -> dict[str, Any]:
    return {
        "id": item,
        "name": item_name(item),
        "icon": f"items/{item}.png",
        "tier": 3 if item in LEGENDARY_ITEMS else 1,
        "shop": {"prices": {"total": 300 + (item * 37) % 3000}, "purchasable": True},
        "stats": {},
    }
