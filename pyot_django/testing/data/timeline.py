"""match-v5 (and lol-rso-match-v1) ``getTimeline``: one frame a minute, ~250-900 KB of JSON.

Built on the same MatchCore as getMatch, so participants, duration, game id and winner agree.
"""

from __future__ import annotations

import random

from ._core import Handler, Request, check_not_found, rng
from .lol_static import BOOTS, COMPONENTS, LEGENDARY_ITEMS, STARTERS
from .match import core_for, match_context
from .match_core import MatchCore

FRAME_MS = 60_000
WARDS = ("YELLOW_TRINKET", "CONTROL_WARD", "SIGHT_WARD", "BLUE_TRINKET")
LANES = ("TOP_LANE", "MID_LANE", "BOT_LANE")
TOWERS = ("OUTER_TURRET", "INNER_TURRET", "BASE_TURRET", "NEXUS_TURRET")
MONSTERS = (
    ("DRAGON", "FIRE_DRAGON"),
    ("DRAGON", "OCEAN_DRAGON"),
    ("DRAGON", "CHEMTECH_DRAGON"),
    ("HORDE", ""),
    ("RIFTHERALD", ""),
    ("BARON_NASHOR", ""),
    ("ATAKHAN", ""),
)
SPELL_SUFFIXES = ("basicattack", "basicattack2", "q", "w", "e", "r", "passive")


def _position(r: random.Random) -> dict[str, int]:
    return {"x": r.randint(300, 14500), "y": r.randint(300, 14500)}


def _frame_participant(r: random.Random, pid: int, minute: int) -> dict[str, object]:
    level = min(18, 1 + minute * 2 // 3)
    gold = 500 + minute * r.randint(280, 480)
    dmg = minute * r.randint(600, 1500)
    champ_dmg = dmg // r.randint(4, 9)
    taken = minute * r.randint(300, 900)
    health_max = 600 + level * r.randint(80, 120)
    return {
        "championStats": {
            "abilityHaste": r.choice((0, 0, 10, 20, 35)),
            "abilityPower": r.randint(0, 40 * level),
            "armor": 30 + level * r.randint(3, 6),
            "armorPen": 0,
            "armorPenPercent": 0,
            "attackDamage": 55 + level * r.randint(2, 8),
            "attackSpeed": r.randint(100, 200),
            "bonusArmorPenPercent": 0,
            "bonusMagicPenPercent": 0,
            "ccReduction": r.choice((0, 0, 30)),
            "cooldownReduction": 0,
            "health": r.randint(0, health_max),
            "healthMax": health_max,
            "healthRegen": r.randint(5, 40),
            "lifesteal": r.choice((0, 0, 10)),
            "magicPen": 0,
            "magicPenPercent": 0,
            "magicResist": 30 + level * 2,
            "movementSpeed": r.randint(335, 480),
            "omnivamp": 0,
            "physicalVamp": 0,
            "power": r.randint(0, 300 + level * 60),
            "powerMax": 300 + level * 60,
            "powerRegen": r.randint(5, 30),
            "spellVamp": 0,
        },
        "currentGold": r.randint(0, 1500),
        "damageStats": {
            "magicDamageDone": dmg // 2,
            "magicDamageDoneToChampions": champ_dmg // 2,
            "magicDamageTaken": taken // 2,
            "physicalDamageDone": dmg // 2 - dmg // 20,
            "physicalDamageDoneToChampions": champ_dmg // 2,
            "physicalDamageTaken": taken // 2,
            "totalDamageDone": dmg,
            "totalDamageDoneToChampions": champ_dmg,
            "totalDamageTaken": taken,
            "trueDamageDone": dmg // 20,
            "trueDamageDoneToChampions": 0,
            "trueDamageTaken": 0,
        },
        "goldPerSecond": 0,
        "jungleMinionsKilled": minute * r.randint(0, 5) if pid in (2, 7) else r.randint(0, 4),
        "level": level,
        "minionsKilled": minute * r.randint(0, 8),
        "participantId": pid,
        "position": _position(r),
        "timeEnemySpentControlled": minute * r.randint(0, 9000),
        "totalGold": gold,
        "xp": int(level * level * 55 + r.randint(0, 300)),
    }


def _damage_list(r: random.Random, core: MatchCore, attackers: list[int]) -> list[dict[str, object]]:
    out = []
    for pid in attackers:
        name = core.players[pid - 1].champion_name
        for _ in range(r.randint(2, 5)):
            suffix = r.choice(SPELL_SUFFIXES)
            basic = suffix.startswith("basic")
            physical = r.randint(0, 400)
            out.append(
                {
                    "basic": basic,
                    "magicDamage": 0 if basic else r.randint(0, 300),
                    "name": name,
                    "participantId": pid,
                    "physicalDamage": physical,
                    "spellName": f"{name.lower()}{suffix}",
                    "spellSlot": 64 if basic else r.choice((0, 1, 2, 3, 63)),
                    "trueDamage": r.choice((0, 0, r.randint(10, 120))),
                    "type": "OTHER",
                }
            )
    return out


def _kill(r: random.Random, core: MatchCore, t: int, streaks: dict[int, int]) -> list[dict[str, object]]:
    killer = r.randint(1, 10)
    enemies = [p for p in range(1, 11) if (p > 5) != (killer > 5)]
    allies = [p for p in range(1, 11) if (p > 5) == (killer > 5) and p != killer]
    victim = r.choice(enemies)
    assists = sorted(r.sample(allies, r.randint(0, 3)))
    streaks[killer] = streaks.get(killer, 0) + 1
    streaks[victim] = 0
    dealt = _damage_list(r, core, [victim])
    received = _damage_list(r, core, [killer, *assists])
    pos = _position(r)
    events: list[dict[str, object]] = [
        {
            "assistingParticipantIds": assists,
            "bounty": r.choice((300, 300, 400, 150, 700)),
            "killStreakLength": streaks[killer] - 1,
            "killerId": killer,
            "position": pos,
            "shutdownBounty": r.choice((0, 0, 0, 150, 300)),
            "timestamp": t,
            "type": "CHAMPION_KILL",
            "victimDamageDealt": dealt,
            "victimDamageReceived": received,
            "victimId": victim,
            "victimTeamfightDamageDealt": dealt,
            "victimTeamfightDamageReceived": received,
        }
    ]
    if r.random() < 0.15:
        events.append(
            {
                "killType": "KILL_MULTI",
                "killerId": killer,
                "multiKillLength": 2,
                "position": pos,
                "timestamp": t + 1,
                "type": "CHAMPION_SPECIAL_KILL",
            }
        )
    return events


def _minor_event(r: random.Random, t: int, minute: int) -> dict[str, object]:
    pid = r.randint(1, 10)
    roll = r.random()
    if roll < 0.3:
        pool = STARTERS if minute < 2 else r.choice((COMPONENTS, COMPONENTS, LEGENDARY_ITEMS, BOOTS))
        return {"itemId": r.choice(pool), "participantId": pid, "timestamp": t, "type": "ITEM_PURCHASED"}
    if roll < 0.55:
        return {"itemId": r.choice(COMPONENTS), "participantId": pid, "timestamp": t, "type": "ITEM_DESTROYED"}
    if roll < 0.7:
        return {"creatorId": pid, "timestamp": t, "type": "WARD_PLACED", "wardType": r.choice(WARDS)}
    if roll < 0.78:
        return {"killerId": pid, "timestamp": t, "type": "WARD_KILL", "wardType": r.choice(WARDS)}
    if roll < 0.9:
        return {
            "levelUpType": "NORMAL",
            "participantId": pid,
            "skillSlot": r.randint(1, 4),
            "timestamp": t,
            "type": "SKILL_LEVEL_UP",
        }
    if roll < 0.97:
        return {"level": min(18, 2 + minute // 2), "participantId": pid, "timestamp": t, "type": "LEVEL_UP"}
    return {"itemId": r.choice(COMPONENTS), "participantId": pid, "timestamp": t, "type": "ITEM_SOLD"}


def _objective(r: random.Random, t: int, minute: int) -> dict[str, object]:
    killer = r.randint(1, 10)
    if minute < 14 and r.random() < 0.5:
        return {
            "killerId": killer,
            "laneType": r.choice(LANES),
            "position": _position(r),
            "teamId": 200 if killer <= 5 else 100,
            "timestamp": t,
            "type": "TURRET_PLATE_DESTROYED",
        }
    if r.random() < 0.5:
        return {
            "assistingParticipantIds": [],
            "bounty": 0,
            "buildingType": "TOWER_BUILDING",
            "killerId": killer,
            "laneType": r.choice(LANES),
            "position": _position(r),
            "teamId": 200 if killer <= 5 else 100,
            "timestamp": t,
            "towerType": r.choice(TOWERS),
            "type": "BUILDING_KILL",
        }
    monster, sub = r.choice(MONSTERS)
    event: dict[str, object] = {
        "assistingParticipantIds": [],
        "bounty": 0,
        "killerId": killer,
        "killerTeamId": 100 if killer <= 5 else 200,
        "monsterType": monster,
        "position": _position(r),
        "timestamp": t,
        "type": "ELITE_MONSTER_KILL",
    }
    if sub:
        event["monsterSubType"] = sub
    return event


def build_timeline(core: MatchCore) -> dict[str, object]:
    r = rng("timeline", core.match_id)
    end_ms = core.duration_s * 1000 + r.randint(0, 999)
    streaks: dict[int, int] = {}
    frames = []
    minutes = end_ms // FRAME_MS + 1  # a frame per minute, plus the closing frame at the end
    for minute in range(minutes + 1):
        ts = min(minute * FRAME_MS + (r.randint(0, 400) if minute else 0), end_ms)
        start = (minute - 1) * FRAME_MS
        events: list[dict[str, object]] = []
        if minute == 0:
            events.append({"realTimestamp": core.start_ms, "timestamp": 0, "type": "PAUSE_END"})
        else:
            n_minor = r.randint(18, 40)
            stamps = sorted(r.randint(max(0, start), ts) for _ in range(n_minor + 4))
            for t in stamps[:n_minor]:
                events.append(_minor_event(r, t, minute))
            for t in stamps[n_minor : n_minor + r.randint(0, 3)]:
                events.extend(_kill(r, core, t, streaks) if minute > 2 else [])
            if r.random() < 0.35 and minute > 4:
                events.append(_objective(r, stamps[-1], minute))
            events.sort(key=lambda e: int(e["timestamp"]))  # type: ignore[call-overload]
        if minute == minutes:
            events.append(
                {
                    "gameId": core.game_id,
                    "realTimestamp": core.end_ms,
                    "timestamp": end_ms,
                    "type": "GAME_END",
                    "winningTeam": core.winner,
                }
            )
        frames.append(
            {
                "events": events,
                "participantFrames": {
                    str(p.participant_id): _frame_participant(r, p.participant_id, minute) for p in core.players
                },
                "timestamp": ts,
            }
        )
    puuids = [p.puuid for p in core.players]
    return {
        "metadata": {"dataVersion": "2", "matchId": core.match_id, "participants": puuids},
        "info": {
            "endOfGameResult": "GameComplete",
            "frameInterval": FRAME_MS,
            "frames": frames,
            "gameId": core.game_id,
            "participants": [{"participantId": i + 1, "puuid": pu} for i, pu in enumerate(puuids)],
        },
    }


def get_timeline(req: Request) -> object:
    check_not_found(req.path)
    return build_timeline(core_for(req))


HANDLERS: dict[str, Handler] = {
    "match-v5.getTimeline": Handler(get_timeline, cache=48, context=match_context),
    "lol-rso-match-v1.getTimeline": Handler(get_timeline, cache=16, context=match_context),
}
