"""match-v5 (and lol-rso-match-v1) ``getTimeline``: one frame a minute, ~250-900 KB of JSON.

Rendered from the same Story as getMatch (``match_story``), so every count a timeline implies
(kills, level-ups, buildings, monsters) is the match's own, and XP and gold frames only grow.
"""

from __future__ import annotations

import random

from ._core import Handler, Request, as_int, check_not_found, rng
from .lol_static import BOOTS, COMPONENTS, LEGENDARY_ITEMS, STARTERS
from .match import core_for, match_context
from .match_core import MatchCore
from .match_story import FRAME_MS, Building, Kill, Monster, Story, level_for, story

WARDS = ("YELLOW_TRINKET", "CONTROL_WARD", "SIGHT_WARD", "BLUE_TRINKET", "UNDEFINED")
LANES = ("TOP_LANE", "MID_LANE", "BOT_LANE")
CONSUMABLES = (2003, 2003, 2055, 2031, 2138, 2139, 2140)  # potions, control ward, elixirs
SPELL_SUFFIXES = ("basicattack", "basicattack2", "q", "w", "e", "r", "passive")


def _position(r: random.Random) -> dict[str, int]:
    return {"x": r.randint(300, 14500), "y": r.randint(300, 14500)}


def _frame_participant(r: random.Random, core: MatchCore, st: Story, pid: int, i: int) -> dict[str, object]:
    xp = st.xp[pid][i]
    level = level_for(xp)
    gold = st.gold[pid][i]
    minute = st.frame_times[i] / FRAME_MS
    # Damage only grows: a per-player rate times the time played (seeded per player, not per frame).
    pr = rng("frame-rates", core.match_id, pid)
    dmg = int(minute * pr.randint(600, 1500))
    champ_dmg = dmg // pr.randint(4, 9)
    taken = int(minute * pr.randint(300, 900))
    cs_rate, jungle_rate = pr.randint(0, 8), pr.randint(0, 5)
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
        "currentGold": min(gold, r.randint(0, 1500)),
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
        "jungleMinionsKilled": int(minute * jungle_rate),
        "level": level,
        "minionsKilled": int(minute * cs_rate),
        "participantId": pid,
        "position": _position(r),
        "timeEnemySpentControlled": int(minute * pr.randint(0, 9000)),
        "totalGold": gold,
        "xp": xp,
    }


def _damage_list(r: random.Random, core: MatchCore, attackers: list[int], n: int) -> list[dict[str, object]]:
    out = []
    for j in range(n):
        pid = attackers[j % len(attackers)]
        name = core.players[pid - 1].champion_name
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


def _kill_events(r: random.Random, core: MatchCore, k: Kill) -> list[dict[str, object]]:
    dealt = _damage_list(r, core, [k.victim], r.randint(2, 6))
    received = _damage_list(r, core, [k.killer, *k.assists], r.randint(6, 14))
    pos = _position(r)
    event: dict[str, object] = {"bounty": k.bounty, "killStreakLength": k.streak, "killerId": k.killer}
    if k.assists:  # Riot leaves the key out rather than send an empty list
        event = {"assistingParticipantIds": list(k.assists), **event}
    event.update(
        {
            "position": pos,
            "shutdownBounty": k.shutdown,
            "timestamp": k.t,
            "type": "CHAMPION_KILL",
            "victimDamageDealt": dealt,
            "victimDamageReceived": received,
            "victimId": k.victim,
            "victimTeamfightDamageDealt": dealt + _damage_list(r, core, [k.victim], r.randint(0, 3)),
            "victimTeamfightDamageReceived": received + _damage_list(r, core, [k.killer], r.randint(0, 3)),
        }
    )
    events = [event]
    if k.multi >= 2:
        events.append(
            {
                "killType": "KILL_MULTI",
                "killerId": k.killer,
                "multiKillLength": k.multi,
                "position": pos,
                "timestamp": k.t,
                "type": "CHAMPION_SPECIAL_KILL",
            }
        )
    return events


def _building_event(r: random.Random, b: Building) -> dict[str, object]:
    event: dict[str, object] = {}
    if b.assists:
        event["assistingParticipantIds"] = list(b.assists)
    event.update(
        {
            "bounty": r.choice((0, 0, 250, 275)),
            "buildingType": b.building_type,
            "killerId": b.killer,
            "laneType": b.lane,
            "position": _position(r),
            "teamId": b.team_id,
            "timestamp": b.t,
        }
    )
    if b.tower_type:
        event["towerType"] = b.tower_type
    event["type"] = "BUILDING_KILL"
    return event


def _monster_event(r: random.Random, m: Monster) -> dict[str, object]:
    event: dict[str, object] = {}
    if m.assists:
        event["assistingParticipantIds"] = list(m.assists)
    event.update({"bounty": 0, "killerId": m.killer, "killerTeamId": m.killer_team})
    if m.sub_type:
        event["monsterSubType"] = m.sub_type
    event.update(
        {"monsterType": m.monster_type, "position": _position(r), "timestamp": m.t, "type": "ELITE_MONSTER_KILL"}
    )
    return event


def _minor_events(r: random.Random, core: MatchCore, st: Story) -> list[dict[str, object]]:
    """Shopping, wards, skill points and plates: what fills a real timeline between the fights."""
    end = st.end_ms
    out: list[dict[str, object]] = []
    for p in core.players:
        pid = p.participant_id
        for t in (r.randint(1_000, 20_000), r.randint(1_000, 20_000)):
            out.append({"itemId": r.choice(STARTERS), "participantId": pid, "timestamp": t, "type": "ITEM_PURCHASED"})
        for _ in range(int(end / 60_000 * r.uniform(0.6, 1.0))):
            t = r.randint(60_000, end - 1)
            pool = r.choice((COMPONENTS, COMPONENTS, LEGENDARY_ITEMS, BOOTS))
            item = r.choice(pool)
            out.append({"itemId": item, "participantId": pid, "timestamp": t, "type": "ITEM_PURCHASED"})
            if r.random() < 0.03:  # bought by mistake and undone a moment later
                out.append(
                    {
                        "afterId": 0,
                        "beforeId": item,
                        "goldGain": r.choice((300, 350, 400, 450, 800, 875, 1100, 1300)),
                        "participantId": pid,
                        "timestamp": t + r.randint(500, 4_000),
                        "type": "ITEM_UNDO",
                    }
                )
            elif pool is COMPONENTS and r.random() < 0.85:  # built into something else later
                out.append(
                    {
                        "itemId": item,
                        "participantId": pid,
                        "timestamp": min(end - 1, t + r.randint(30_000, 400_000)),
                        "type": "ITEM_DESTROYED",
                    }
                )
        # Potions and control wards: bought, then used up (most of a real timeline's ITEM_DESTROYED).
        for _ in range(int(end / 60_000 * r.uniform(0.3, 0.7))):
            t = r.randint(20_000, end - 1)
            item = r.choice(CONSUMABLES)
            out.append({"itemId": item, "participantId": pid, "timestamp": t, "type": "ITEM_PURCHASED"})
            used = min(end - 1, t + r.randint(20_000, 300_000))
            out.append({"itemId": item, "participantId": pid, "timestamp": used, "type": "ITEM_DESTROYED"})
        if r.random() < 0.6:
            out.append(
                {
                    "itemId": r.choice(STARTERS),
                    "participantId": pid,
                    "timestamp": r.randint(400_000, end - 1),
                    "type": "ITEM_SOLD",
                }
            )
        if core.game_mode == "CHERRY":
            continue
        for _ in range(int(end / 60_000 * r.uniform(0.3, 0.9))):
            ward = r.choices(WARDS, (41, 29, 64, 8, 8))[0]
            out.append(
                {"creatorId": pid, "timestamp": r.randint(60_000, end - 1), "type": "WARD_PLACED", "wardType": ward}
            )
        for _ in range(int(end / 60_000 * r.uniform(0.05, 0.3))):
            ward = r.choices(WARDS[:4], (41, 29, 64, 8))[0]
            out.append(
                {"killerId": pid, "timestamp": r.randint(120_000, end - 1), "type": "WARD_KILL", "wardType": ward}
            )
    for t, pid, level in st.level_ups:
        out.append({"level": level, "participantId": pid, "timestamp": t, "type": "LEVEL_UP"})
        if level <= 18:  # a skill point each level, spent a moment later
            slot = 4 if level in (6, 11, 16) else r.randint(1, 3)
            out.append(
                {
                    "levelUpType": "NORMAL",
                    "participantId": pid,
                    "skillSlot": slot,
                    "timestamp": min(end - 1, t + r.randint(200, 20_000)),
                    "type": "SKILL_LEVEL_UP",
                }
            )
    for p in core.players:  # the first skill point, at level 1
        out.append(
            {
                "levelUpType": "NORMAL",
                "participantId": p.participant_id,
                "skillSlot": r.randint(1, 3),
                "timestamp": r.randint(1_000, 60_000),
                "type": "SKILL_LEVEL_UP",
            }
        )
    if core.game_mode == "CLASSIC":
        for _ in range(r.randint(8, 20)):
            killer = r.choice(core.players)
            out.append(
                {
                    "killerId": killer.participant_id,
                    "laneType": r.choice(LANES),
                    "position": _position(r),
                    "teamId": 300 - killer.team_id,
                    "timestamp": r.randint(300_000, min(end - 1, 840_000)),
                    "type": "TURRET_PLATE_DESTROYED",
                }
            )
    for t, pid, kind in st.transforms:
        out.append({"participantId": pid, "timestamp": t, "transformType": kind, "type": "CHAMPION_TRANSFORM"})
    if st.soul is not None:
        t, team, name = st.soul
        out.append({"name": name, "teamId": team, "timestamp": t, "type": "DRAGON_SOUL_GIVEN"})
    return out


def build_timeline(core: MatchCore) -> dict[str, object]:
    st = story(core)
    r = rng("timeline", core.match_id)
    events: list[dict[str, object]] = []
    for k in st.kills:
        events.extend(_kill_events(r, core, k))
    events.extend(_building_event(r, b) for b in st.buildings)
    events.extend(_monster_event(r, m) for m in st.monsters)
    events.extend(_minor_events(r, core, st))
    events.sort(key=lambda e: as_int(e["timestamp"]))
    times = st.frame_times
    # Each event goes to the frame whose minute it happened in (the frame stamped after it).
    buckets: list[list[dict[str, object]]] = [[] for _ in times]
    buckets[0].append({"realTimestamp": core.start_ms, "timestamp": 0, "type": "PAUSE_END"})
    frame = 1
    for event in events:
        t = as_int(event["timestamp"])
        while frame < len(times) - 1 and t >= times[frame]:
            frame += 1
        buckets[frame].append(event)
    buckets[-1].append(
        {
            "gameId": core.game_id,
            "realTimestamp": core.end_ms,
            "timestamp": st.end_ms,
            "type": "GAME_END",
            "winningTeam": core.winner,
        }
    )
    frames = []
    for i, ts in enumerate(times):
        frames.append(
            {
                "events": buckets[i],
                "participantFrames": {
                    str(p.participant_id): _frame_participant(r, core, st, p.participant_id, i) for p in core.players
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
