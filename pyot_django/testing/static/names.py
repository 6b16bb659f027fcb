"""Display names for the ids the emulator's Riot data uses (``testing/data/lol_static.py``).

Champion names follow from their Data Dragon keys (``TwistedFate`` → ``Twisted Fate``)
with the few that do not; items and minor runes get invented but stable names.
"""

from __future__ import annotations

import re

from pyot_django.testing.data.lol_static import QUEUES, RUNE_TREES

__all__ = [
    "QUEUE_NAMES",
    "RUNE_STYLE_NAMES",
    "SPELLS",
    "STAT_PERK_NAMES",
    "champion_name",
    "champion_title",
    "item_name",
    "rune_name",
]

_CHAMPION_NAMES = {
    "MonkeyKing": "Wukong",
    "Chogath": "Cho'Gath",
    "KogMaw": "Kog'Maw",
    "Khazix": "Kha'Zix",
    "Velkoz": "Vel'Koz",
    "Kaisa": "Kai'Sa",
    "Leblanc": "LeBlanc",
    "DrMundo": "Dr. Mundo",
    "JarvanIV": "Jarvan IV",
    "Nunu": "Nunu & Willump",
    "RekSai": "Rek'Sai",
    "Belveth": "Bel'Veth",
    "KSante": "K'Sante",
    "FiddleSticks": "Fiddlesticks",
    "Renata": "Renata Glasc",
}
_TITLES = ("the Wanderer", "the Unbroken", "the Wild Flame", "of the Deep", "the Bright Blade", "the Quiet Storm")
_WORDS_A = ("Amber", "Blood", "Storm", "Iron", "Void", "Sun", "Frost", "Shadow", "Ruby", "Ember", "Spirit", "Night")
_WORDS_B = ("Edge", "Aegis", "Crown", "Talisman", "Reaver", "Mantle", "Bulwark", "Lantern", "Scepter", "Relic")

RUNE_STYLE_NAMES = {8000: "Precision", 8100: "Domination", 8200: "Sorcery", 8300: "Inspiration", 8400: "Resolve"}
_KEYSTONES = {
    8005: "Press the Attack",
    8008: "Lethal Tempo",
    8021: "Fleet Footwork",
    8010: "Conqueror",
    8112: "Electrocute",
    8128: "Dark Harvest",
    9923: "Hail of Blades",
    8214: "Summon Aery",
    8229: "Arcane Comet",
    8230: "Phase Rush",
    8351: "Glacial Augment",
    8360: "Unsealed Spellbook",
    8369: "First Strike",
    8437: "Grasp of the Undying",
    8439: "Aftershock",
    8465: "Guardian",
}
STAT_PERK_NAMES = {
    5001: "Health Scaling",
    5005: "Attack Speed",
    5007: "Ability Haste",
    5008: "Adaptive Force",
    5010: "Move Speed",
    5011: "Health",
    5013: "Tenacity and Slow Resist",
}
# id -> (Data Dragon key, name, cooldown seconds)
SPELLS: dict[int, tuple[str, str, int]] = {
    1: ("SummonerBoost", "Cleanse", 210),
    3: ("SummonerExhaust", "Exhaust", 240),
    4: ("SummonerFlash", "Flash", 300),
    6: ("SummonerHaste", "Ghost", 240),
    7: ("SummonerHeal", "Heal", 240),
    11: ("SummonerSmite", "Smite", 15),
    12: ("SummonerTeleport", "Teleport", 360),
    14: ("SummonerDot", "Ignite", 180),
    21: ("SummonerBarrier", "Barrier", 180),
    32: ("SummonerSnowball", "Mark", 80),  # ARAM's, drawn by testing/data/match.py
}
_QUEUE_NAMES = {
    0: "Custom",
    400: "Draft Pick",
    420: "Ranked Solo/Duo",
    430: "Blind Pick",
    440: "Ranked Flex",
    450: "ARAM",
    490: "Quickplay",
    900: "ARURF",
    1700: "Arena",
    1900: "Pick URF",
}
QUEUE_NAMES = {queue: _QUEUE_NAMES.get(queue, f"Queue {queue}") for queue in QUEUES}


def champion_name(key: str) -> str:
    return _CHAMPION_NAMES.get(key) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key)


def champion_title(champion_id: int) -> str:
    return _TITLES[champion_id % len(_TITLES)]


def item_name(item_id: int) -> str:
    return f"{_WORDS_A[item_id % len(_WORDS_A)]} {_WORDS_B[(item_id // 7) % len(_WORDS_B)]}"


def rune_name(rune_id: int) -> str:
    if rune_id in _KEYSTONES:
        return _KEYSTONES[rune_id]
    if rune_id in STAT_PERK_NAMES:
        return STAT_PERK_NAMES[rune_id]
    style = next(
        (name for style, name in RUNE_STYLE_NAMES.items() if any(rune_id in row for row in RUNE_TREES[style])), ""
    )
    return f"{style} {_WORDS_B[rune_id % len(_WORDS_B)]}".strip()
