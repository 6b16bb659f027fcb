"""TFT, Legends of Runeterra and VALORANT static data, from the emulator's own game constants."""

from __future__ import annotations

import functools
from typing import Any

from pyot_django.testing.data._core import uuid_from
from pyot_django.testing.data.lor import REGION_CODES, SETS
from pyot_django.testing.data.tft import AUGMENTS, ITEMS, SET_NUMBER, TRAITS, UNITS
from pyot_django.testing.data.val import AGENTS, MAPS, WEAPONS

from .names import champion_name

__all__ = ["ddragon_tft", "lor_core", "lor_set", "tft_cdragon", "valorant"]

_LOR_CARDS_PER_REGION = 60  # lor-inventory-v1 draws card numbers 1-60 of each set and region


def _words(name: str) -> str:
    return champion_name(name.rsplit("_", 1)[-1])


@functools.lru_cache(maxsize=64)
def ddragon_tft(operation: str, version: str) -> dict[str, Any]:
    """Data Dragon's TFT files (tft-champion, tft-item, tft-trait, tft-augments)."""
    if operation == "tftChampions":
        data = {
            f"TFT{SET_NUMBER}_{unit}": {
                "id": f"TFT{SET_NUMBER}_{unit}",
                "name": _words(unit),
                "tier": 1 + i % 5,
                "image": {"full": f"TFT{SET_NUMBER}_{unit}.png"},
            }
            for i, unit in enumerate(UNITS)
        }
    elif operation == "tftItems":
        data = {item: {"id": item, "name": _words(item), "image": {"full": f"{item}.png"}} for item in ITEMS}
    elif operation == "tftTraits":
        data = {
            f"TFT{SET_NUMBER}_{t}": {"id": f"TFT{SET_NUMBER}_{t}", "name": t, "image": {"full": f"{t}.png"}}
            for t in TRAITS
        }
    else:
        data = {a: {"id": a, "name": _words(a), "image": {"full": f"{a}.png"}} for a in AUGMENTS}
    return {"type": operation, "version": version, "data": data}


@functools.lru_cache(maxsize=16)
def tft_cdragon() -> dict[str, Any]:
    """CommunityDragon's TFT file: items, and the current set's champions and traits."""
    return {
        "items": [
            {"apiName": item, "name": _words(item), "icon": f"ASSETS/Maps/TFT/Icons/Items/{item}.png"}
            for item in (*ITEMS, *AUGMENTS)
        ],
        "setData": [
            {
                "number": SET_NUMBER,
                "mutator": f"TFTSet{SET_NUMBER}",
                "name": f"Set {SET_NUMBER}",
                "champions": [
                    {"apiName": f"TFT{SET_NUMBER}_{u}", "name": _words(u), "cost": 1 + i % 5}
                    for i, u in enumerate(UNITS)
                ],
                "traits": [{"apiName": f"TFT{SET_NUMBER}_{t}", "name": t} for t in TRAITS],
            }
        ],
        "sets": {str(SET_NUMBER): {"name": f"Set {SET_NUMBER}"}},
    }


@functools.lru_cache(maxsize=32)
def lor_set(set_number: str, locale: str) -> list[dict[str, Any]] | None:
    """One LoR set's cards: every code lor-inventory-v1 can hand out (``01DE001`` …)."""
    code = f"{int(set_number):02d}" if set_number.isdigit() else ""
    if code not in SETS:
        return None
    return [
        {
            "cardCode": f"{code}{region}{n:03d}",
            "name": f"{region} card {n}",
            "region": region,
            "regionRef": region,
            "cost": n % 10,
            "attack": n % 7,
            "health": 1 + n % 8,
            "set": f"Set{int(code)}",
            "rarity": "COMMON",
            "type": "Unit",
            "assets": [{"gameAbsolutePath": f"/lor/{code}{region}{n:03d}.png"}],
        }
        for region in REGION_CODES
        for n in range(1, _LOR_CARDS_PER_REGION + 1)
    ]


def lor_core(locale: str) -> dict[str, Any]:
    return {
        "regions": [{"abbreviation": r, "nameRef": r, "name": r} for r in REGION_CODES],
        "sets": [{"nameRef": f"Set{int(s)}", "name": f"Set {int(s)}"} for s in SETS],
        "keywords": [],
    }


def _val_entry(kind: str, name: str, origin: str) -> dict[str, Any]:
    uuid = uuid_from(kind, name)
    return {
        "uuid": uuid,
        "displayName": name.rsplit("/", 1)[-1],
        "displayIcon": f"{origin}/media/{kind}s/{uuid}/displayicon.png",
    }


@functools.lru_cache(maxsize=64)
def valorant(operation: str, origin: str, extra: str = "") -> Any:
    """valorant-api.com's answer; agent, map and weapon uuids are those the match data uses."""
    if operation in ("agents", "agent"):
        items = [dict(_val_entry("agent", a, origin), isPlayableCharacter=True) for a in AGENTS]
    elif operation in ("maps", "map"):
        items = [dict(_val_entry("map", m, origin), mapUrl=m, uuid=uuid_from("map", m)) for m in MAPS]
    elif operation in ("weapons", "weapon"):
        items = [_val_entry("weapon", w, origin) for w in WEAPONS]
    elif operation == "version":
        return {
            "status": 200,
            "data": {
                "manifestId": "EMULATOR",
                "branch": "release-10.00",
                "version": "10.00",
                "riotClientVersion": "release-10.00-shipping-1",
                "buildDate": "2025-06-01",
            },
        }
    else:
        items = [_val_entry(operation.rstrip("s"), f"{operation} {n}", origin) for n in range(1, 6)]
    if extra:
        found = [item for item in items if item["uuid"] == extra]
        return {"status": 200, "data": found[0]} if found else None
    return {"status": 200, "data": items}
