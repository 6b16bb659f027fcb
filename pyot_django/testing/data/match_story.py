"""What happened in a LoL match, event by event: the one model getMatch and getTimeline both read.

The story is drawn first -- every kill (killer, victim, assists), every building and epic monster,
each participant's XP and gold minute by minute -- and both answers are derived from it, so every
aggregate a timeline implies matches the match: kills = ``CHAMPION_KILL`` events, sum(champLevel - 1)
= ``LEVEL_UP`` events, towers + inhibitors = ``BUILDING_KILL`` events, and XP and gold only grow.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from functools import lru_cache

from ._core import rng
from .match_core import MatchCore

FRAME_MS = 60_000
# Riot's cumulative XP needed to reach level n+1 (index 0 = level 1).
XP_FOR_LEVEL = (
    0,
    280,
    660,
    1140,
    1720,
    2400,
    3180,
    4060,
    5040,
    6120,
    7300,
    8580,
    9960,
    11440,
    13020,
    14700,
    16480,
    18360,
)
DRAKES = (
    ("FIRE_DRAGON", "Infernal"),
    ("WATER_DRAGON", "Ocean"),
    ("AIR_DRAGON", "Cloud"),
    ("EARTH_DRAGON", "Mountain"),
    ("HEXTECH_DRAGON", "Hextech"),
    ("CHEMTECH_DRAGON", "Chemtech"),
)
SR_LANES = ("TOP_LANE", "MID_LANE", "BOT_LANE")
# A lane falls in this order; the nexus turrets only once an inhibitor is down.
LANE_ORDER = (
    ("TOWER_BUILDING", "OUTER_TURRET"),
    ("TOWER_BUILDING", "INNER_TURRET"),
    ("TOWER_BUILDING", "BASE_TURRET"),
    ("INHIBITOR_BUILDING", ""),
)
ARAM_LANE_ORDER = (("TOWER_BUILDING", "OUTER_TURRET"), ("TOWER_BUILDING", "INNER_TURRET"), ("INHIBITOR_BUILDING", ""))
NEXUS_TURRET = ("TOWER_BUILDING", "NEXUS_TURRET")
KAYN = 141
# XP per minute by position (support least), before a per-player factor.
XP_RATE = {"TOP": 580, "JUNGLE": 540, "MIDDLE": 590, "BOTTOM": 520, "UTILITY": 370, "": 640}
GOLD_RATE = {"TOP": 420, "JUNGLE": 400, "MIDDLE": 430, "BOTTOM": 450, "UTILITY": 270, "": 520}


@dataclass(frozen=True, slots=True)
class Kill:
    t: int
    killer: int
    victim: int
    assists: tuple[int, ...]
    multi: int  # the killer's multikill length at this kill (1 = a single kill)
    streak: int  # the killer's kills since their last death, before this one
    bounty: int
    shutdown: int


@dataclass(frozen=True, slots=True)
class Building:
    t: int
    killer: int
    assists: tuple[int, ...]
    team_id: int  # the team that OWNED the building (as in Riot's BUILDING_KILL)
    building_type: str
    lane: str
    tower_type: str  # "" for an inhibitor


@dataclass(frozen=True, slots=True)
class Monster:
    t: int
    killer: int
    assists: tuple[int, ...]
    killer_team: int
    monster_type: str
    sub_type: str  # "" when Riot sends none


@dataclass(frozen=True, slots=True)
class Story:
    frame_times: tuple[int, ...]  # ms; the last one is the game's end
    kills: tuple[Kill, ...]
    buildings: tuple[Building, ...]
    monsters: tuple[Monster, ...]
    soul: tuple[int, int, str] | None  # (t, teamId, name)
    transforms: tuple[tuple[int, int, str], ...]  # (t, participantId, transformType)
    xp: dict[int, tuple[int, ...]]  # participantId -> xp at each frame time
    gold: dict[int, tuple[int, ...]]  # participantId -> totalGold at each frame time
    level_ups: tuple[tuple[int, int, int], ...]  # (t, participantId, new level)

    @property
    def end_ms(self) -> int:
        return self.frame_times[-1]


def level_for(xp: int) -> int:
    level = 1
    for need in XP_FOR_LEVEL[1:]:
        if xp < need:
            break
        level += 1
    return level


def team_of(core: MatchCore, pid: int) -> int:
    return core.players[pid - 1].team_id


def side_of(core: MatchCore, pid: int) -> int:
    """Who fights whom: the team on the Rift, the subteam in Arena."""
    p = core.players[pid - 1]
    return p.subteam or p.team_id


def _frame_times(r: random.Random, end_ms: int) -> tuple[int, ...]:
    times = [0]
    minute = 1
    while minute * FRAME_MS < end_ms:
        # Frames land a little late (the server's tick), but never past the game's end.
        times.append(min(minute * FRAME_MS + r.randint(0, 60 * minute), end_ms - 1))
        minute += 1
    times.append(end_ms)
    return tuple(times)


def _pick_assists(r: random.Random, allies: list[int], most: int) -> tuple[int, ...]:
    n = min(len(allies), r.choices((0, 1, 2, 3, 4), (33, 28, 30, 6, 3))[0], most)
    return tuple(sorted(r.sample(allies, n)))


def _kills(r: random.Random, core: MatchCore, end_ms: int) -> tuple[Kill, ...]:
    minutes = end_ms / FRAME_MS
    per_minute = {"ARAM": 2.6, "URF": 3.2, "CHERRY": 3.8}.get(core.game_mode, 1.6)
    count = max(1, int(minutes * per_minute * r.uniform(0.6, 1.3)))
    first = 75_000 if core.game_mode == "CHERRY" else 150_000
    stamps = sorted(r.randint(first, end_ms - 1_000) for _ in range(count))
    pids = [p.participant_id for p in core.players]
    carry = {pid: r.uniform(0.5, 2.0) * (0.5 if core.players[pid - 1].position == "UTILITY" else 1) for pid in pids}
    streak: dict[int, int] = {}
    last_kill: dict[int, tuple[int, int]] = {}  # killer -> (t, multikill length)
    out = []
    for t in stamps:
        killer = r.choices(pids, [carry[p] for p in pids])[0]
        side = side_of(core, killer)
        enemies = [p for p in pids if side_of(core, p) != side]
        allies = [p for p in pids if side_of(core, p) == side and p != killer]
        victim = r.choice(enemies)
        previous = last_kill.get(killer)
        multi = previous[1] + 1 if previous and t - previous[0] <= 10_000 and previous[1] < 5 else 1
        last_kill[killer] = (t, multi)
        victim_streak = streak.get(victim, 0)
        out.append(
            Kill(
                t=t,
                killer=killer,
                victim=victim,
                assists=_pick_assists(r, allies, 4),
                multi=multi,
                streak=streak.get(killer, 0),
                bounty=300 if victim_streak < 2 else 300 + 100 * min(victim_streak, 6),
                shutdown=0 if victim_streak < 3 else 150 * min(victim_streak - 2, 5),
            )
        )
        streak[killer] = streak.get(killer, 0) + 1
        streak[victim] = 0
    return tuple(out)


def _buildings(r: random.Random, core: MatchCore, end_ms: int) -> tuple[Building, ...]:
    if core.game_mode == "CHERRY":
        return ()
    aram = core.game_mode == "ARAM"
    lanes = ("MID_LANE",) if aram else SR_LANES
    order = ARAM_LANE_ORDER if aram else LANE_ORDER
    loser = 300 - core.winner
    plans: list[tuple[int, tuple[str, str, str]]] = []  # (attacking team, (type, lane, tower))
    for attacker in (core.winner, loser):
        progress = dict.fromkeys(lanes, 0)
        wanted = r.randint(5, 10) if attacker == core.winner else r.randint(0, 5)
        if aram:
            wanted = r.randint(3, 5) if attacker == core.winner else r.randint(0, 2)
        for _ in range(wanted):
            open_lanes = [lane for lane in lanes if progress[lane] < len(order)]
            if attacker == loser:  # the losing side never gets past the base turrets
                open_lanes = [lane for lane in open_lanes if progress[lane] < len(order) - 1]
            if not open_lanes:
                break
            lane = r.choice(open_lanes)
            kind, tower = order[progress[lane]]
            progress[lane] += 1
            plans.append((attacker, (kind, lane, tower)))
        if attacker == core.winner:
            # The winner ends the game: one lane all the way down, then the two nexus turrets.
            lane = max(lanes, key=lambda name: progress[name])
            while progress[lane] < len(order):
                kind, tower = order[progress[lane]]
                progress[lane] += 1
                plans.append((attacker, (kind, lane, tower)))
            plans.extend((attacker, (NEXUS_TURRET[0], "MID_LANE", NEXUS_TURRET[1])) for _ in range(2))
    # Timestamps keep each attacker's own order (outer before inner before ...).
    out = []
    for attacker in (core.winner, loser):
        mine = [plan for team, plan in plans if team == attacker]
        start = 240_000 if aram else 480_000
        stamps = sorted(r.randint(start, end_ms - 20_000) for _ in mine)
        for t, (kind, lane, tower) in zip(stamps, mine, strict=True):
            pids = [p.participant_id for p in core.players if p.team_id == attacker]
            killer = r.choice(pids)
            assists = _pick_assists(r, [p for p in pids if p != killer], 3)
            out.append(Building(t, killer, assists, 300 - attacker, kind, lane, tower))
    out.sort(key=lambda b: b.t)
    return tuple(out)


def _monsters(
    r: random.Random, core: MatchCore, end_ms: int
) -> tuple[tuple[Monster, ...], tuple[int, int, str] | None]:
    if core.game_mode != "CLASSIC":
        return (), None
    junglers = {team: [p.participant_id for p in core.players if p.team_id == team] for team in (100, 200)}
    out: list[Monster] = []

    def take(t: int, monster: str, sub: str, favour: float = 0.5) -> int:
        team = core.winner if r.random() < favour else 300 - core.winner
        pids = junglers[team]
        killer = pids[1] if r.random() < 0.7 else r.choice(pids)
        assists = _pick_assists(r, [p for p in pids if p != killer], 3)
        out.append(Monster(t, killer, assists, team, monster, sub))
        return team

    drake_type, soul_name = r.choice(DRAKES)
    taken = {100: 0, 200: 0}
    soul = None
    t = 300_000 + r.randint(0, 60_000)
    first = r.choice(DRAKES)[0]
    while t < end_ms - 30_000:
        if soul is None:
            sub = first if not any(taken.values()) else drake_type if sum(taken.values()) >= 2 else r.choice(DRAKES)[0]
            team = take(t, "DRAGON", sub, 0.6)
            taken[team] += 1
            if taken[team] == 4:
                soul = (t + r.randint(10, 400), team, soul_name)
        else:
            take(t, "DRAGON", "ELDER_DRAGON", 0.7)
        t += 300_000 + r.randint(0, 60_000)
    for _ in range(r.choice((0, 3, 3, 6))):  # void grubs come in threes
        if end_ms > 600_000:
            take(r.randint(300_000, min(end_ms, 840_000)), "HORDE", "")
    if end_ms > 1_000_000 and r.random() < 0.7:
        take(r.randint(900_000, min(end_ms - 10_000, 1_140_000)), "RIFTHERALD", "")
    if end_ms > 1_300_000 and r.random() < 0.5:
        take(r.randint(1_200_000, end_ms - 10_000), "ATAKHAN", "")
    baron_t = 1_250_000
    while baron_t < end_ms - 20_000 and r.random() < 0.55:
        take(r.randint(baron_t, end_ms - 10_000), "BARON_NASHOR", "", 0.75)
        baron_t += 360_000
    out.sort(key=lambda m: m.t)
    return tuple(out), soul


def _curves(
    r: random.Random, core: MatchCore, times: tuple[int, ...], kills: tuple[Kill, ...]
) -> tuple[dict[int, tuple[int, ...]], dict[int, tuple[int, ...]], tuple[tuple[int, int, int], ...]]:
    """XP and gold per participant at every frame, and the level-ups their XP implies."""
    boost = {"ARAM": 1.25, "URF": 1.9, "CHERRY": 2.4}.get(core.game_mode, 1.0)
    start_gold = {"ARAM": 1400, "CHERRY": 1600}.get(core.game_mode, 500)
    xp: dict[int, tuple[int, ...]] = {}
    gold: dict[int, tuple[int, ...]] = {}
    level_ups: list[tuple[int, int, int]] = []
    for p in core.players:
        pid = p.participant_id
        xp_rate = XP_RATE.get(p.position, 640) * boost * r.uniform(0.8, 1.2)
        gold_rate = GOLD_RATE.get(p.position, 520) * boost * r.uniform(0.85, 1.15)
        my_kills = [k.t for k in kills if k.killer == pid]
        my_assists = [k.t for k in kills if pid in k.assists]
        xs, gs = [0], [start_gold]
        for before, now in itertools.pairwise(times):
            span = (now - before) / FRAME_MS
            ramp = 0.55 if before < FRAME_MS else 1.0  # the first minute is the walk to lane
            takedowns = sum(before < t <= now for t in my_kills) + 0.5 * sum(before < t <= now for t in my_assists)
            xs.append(xs[-1] + int(span * ramp * xp_rate * r.uniform(0.75, 1.25) + 150 * takedowns))
            bounty = 300 * sum(before < t <= now for t in my_kills) + 120 * sum(before < t <= now for t in my_assists)
            gs.append(gs[-1] + int(span * ramp * gold_rate * r.uniform(0.7, 1.3)) + bounty)
        xp[pid], gold[pid] = tuple(xs), tuple(gs)
        level = 1
        for i in range(1, len(times)):
            reached = level_for(xs[i])
            while level < reached:
                level += 1
                # Interpolate the moment the threshold was crossed inside this frame.
                need = XP_FOR_LEVEL[level - 1]
                share = (need - xs[i - 1]) / max(1, xs[i] - xs[i - 1])
                level_ups.append((times[i - 1] + int(share * (times[i] - times[i - 1])), pid, level))
    level_ups.sort()
    return xp, gold, tuple(level_ups)


@lru_cache(maxsize=1024)
def story(core: MatchCore) -> Story:
    r = rng("story", core.match_id)
    end_ms = core.duration_s * 1000 + r.randint(0, 999)
    times = _frame_times(r, end_ms)
    kills = _kills(r, core, end_ms)
    buildings = _buildings(r, core, end_ms)
    monsters, soul = _monsters(r, core, end_ms)
    xp, gold, level_ups = _curves(r, core, times, kills)
    transforms = tuple(
        (r.randint(600_000, max(600_001, end_ms - 60_000)), p.participant_id, r.choice(("SLAYER", "ASSASSIN")))
        for p in core.players
        if p.champion_id == KAYN and end_ms > 700_000 and core.game_mode == "CLASSIC"
    )
    return Story(times, kills, buildings, monsters, soul, transforms, xp, gold, level_ups)


def final_level(s: Story, pid: int) -> int:
    return min(18, level_for(s.xp[pid][-1]))
