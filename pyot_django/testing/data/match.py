"""match-v5 (and lol-rso-match-v1) ``getMatch``: a full MatchDto, ~70 KB of JSON."""

from __future__ import annotations

import random

from ._core import Handler, Request, as_number, check_not_found, rng
from .ids import summoner_id
from .lol_static import (
    BOOTS,
    CHAMPION_IDS,
    COMPONENTS,
    LANE_OF,
    LEGENDARY_ITEMS,
    ROLE_OF,
    RUNE_TREES,
    SPELL_BY_POSITION,
    STAT_PERKS,
    TRINKETS,
)
from .match_challenges import NOT_IN_ARENA, challenges
from .match_core import MatchCore, Player, match_core, owner_of
from .match_story import Story, final_level, story, team_of
from .summoner import summoner

# Arena augment ids as real matches carry them (small integers; the catalogue is Community Dragon's).
ARENA_AUGMENTS = tuple(range(1, 210))
PING_KINDS = (
    "allInPings",
    "assistMePings",
    "basicPings",
    "commandPings",
    "dangerPings",
    "enemyMissingPings",
    "enemyVisionPings",
    "getBackPings",
    "holdPings",
    "needVisionPings",
    "onMyWayPings",
    "pushPings",
    "retreatPings",
    "visionClearedPings",
)


def _headline(r: random.Random, p: Player, core: MatchCore, st: Story) -> dict[str, int]:
    """The numbers everything else is derived from: counts from the story, volumes drawn here."""
    minutes = core.duration_s / 60
    support = p.position == "UTILITY"
    jungle = p.position == "JUNGLE"
    pid = p.participant_id
    kills = [k for k in st.kills if k.killer == pid]
    cs_rate = 0 if support else r.uniform(5.0, 8.5) if not jungle else r.uniform(0.5, 1.5)
    towers = [b for b in st.buildings if b.building_type == "TOWER_BUILDING"]
    inhibitors = [b for b in st.buildings if b.building_type == "INHIBITOR_BUILDING"]
    sprees, run, longest = 0, 0, 0
    for k in st.kills:  # a spree is 2+ kills without dying, as Riot counts killingSprees
        if k.killer == pid:
            run += 1
            longest = max(longest, run)
        elif k.victim == pid:
            sprees += run >= 2
            run = 0
    sprees += run >= 2
    return {
        "kills": len(kills),
        "deaths": sum(k.victim == pid for k in st.kills),
        "assists": sum(pid in k.assists for k in st.kills),
        "damage_to_champions": int(minutes * r.uniform(300, 1400)),
        "damage_taken": int(minutes * r.uniform(400, 1300)),
        "gold": st.gold[pid][-1],
        "xp": st.xp[pid][-1],
        "level": final_level(st, pid),
        "cs": int(minutes * cs_rate),
        "jungle_cs": int(minutes * r.uniform(4.5, 6.5)) if jungle else r.randint(0, 12),
        "vision": int(minutes * r.uniform(0.2, 2.5 if support else 1.2)),
        "killing_sprees": sprees,
        "largest_spree": longest if longest >= 2 else 0,
        "multikills": sum(k.multi == 2 for k in kills),
        "double": sum(k.multi == 2 for k in kills),
        "triple": sum(k.multi == 3 for k in kills),
        "quadra": sum(k.multi == 4 for k in kills),
        "penta": sum(k.multi == 5 for k in kills),
        "largest_multi": max((k.multi for k in kills), default=0),
        "turret_kills": sum(b.killer == pid for b in towers),
        "turret_takedowns": sum(b.killer == pid or pid in b.assists for b in towers),
        "turrets_lost": sum(b.team_id == p.team_id for b in towers),
        "inhibitor_kills": sum(b.killer == pid for b in inhibitors),
        "inhibitor_takedowns": sum(b.killer == pid or pid in b.assists for b in inhibitors),
        "inhibitors_lost": sum(b.team_id == p.team_id for b in inhibitors),
        "dragon_kills": sum(m.killer == pid and m.monster_type == "DRAGON" for m in st.monsters),
        "baron_kills": sum(m.killer == pid and m.monster_type == "BARON_NASHOR" for m in st.monsters),
    }


def _items(r: random.Random) -> tuple[list[int], list[int]]:
    legendaries = r.sample(LEGENDARY_ITEMS, r.randint(1, 5))
    slots = [*legendaries, r.choice(BOOTS)]
    while len(slots) < 6:
        slots.append(r.choice((0, *COMPONENTS)))
    r.shuffle(slots)
    return [*slots, r.choice(TRINKETS)], legendaries


def _perks(r: random.Random) -> dict[str, object]:
    primary, secondary = r.sample(sorted(RUNE_TREES), 2)
    prim_rows = RUNE_TREES[primary]
    sec_rows = r.sample(RUNE_TREES[secondary][1:], 2)

    def sel(perk: int) -> dict[str, int]:
        return {"perk": perk, "var1": r.randint(0, 2000), "var2": r.randint(0, 30), "var3": 0}

    offense, flex, defense = (r.choice(row) for row in STAT_PERKS)
    return {
        "statPerks": {"defense": defense, "flex": flex, "offense": offense},
        "styles": [
            {"description": "primaryStyle", "selections": [sel(r.choice(row)) for row in prim_rows], "style": primary},
            {"description": "subStyle", "selections": [sel(r.choice(row)) for row in sec_rows], "style": secondary},
        ],
    }


def _participant(core: MatchCore, st: Story, p: Player, s: dict[str, int], team: dict[str, int]) -> dict[str, object]:
    r = rng("participant", core.match_id, p.participant_id)
    duration = core.duration_s
    win = p.team_id == core.winner
    arena = core.game_mode == "CHERRY"
    items, legendaries = _items(r)
    spells = SPELL_BY_POSITION.get(p.position) or tuple(r.sample((4, 32, 14, 3, 7, 6, 21), 2))
    magic_share = r.random()
    dmg_champ = s["damage_to_champions"]
    true_champ = int(dmg_champ * r.uniform(0, 0.1))
    magic_champ = int((dmg_champ - true_champ) * magic_share)
    total_dealt = dmg_champ * r.randint(3, 9)
    true_dealt = int(total_dealt * r.uniform(0.02, 0.15))
    magic_dealt = int((total_dealt - true_dealt) * magic_share)
    taken = s["damage_taken"]
    true_taken = int(taken * r.uniform(0, 0.08))
    magic_taken = int((taken - true_taken) * r.uniform(0.2, 0.6))
    level = s["level"]
    first_blood = st.kills[0] if st.kills else None
    first_tower = next((b for b in st.buildings if b.building_type == "TOWER_BUILDING"), None)
    pid = p.participant_id
    last = st.buildings[-1] if st.buildings and st.buildings[-1].team_id != core.winner else None
    score = {f"playerScore{i}": 0 for i in range(12)}
    idx = 1 if p.position == "JUNGLE" else 4 if p.position == "UTILITY" else 0
    out: dict[str, object] = {
        "PlayerBehavior": {"PlayerBehavior_IsHeroInCombat": 0},
        **{f"PlayerScore{i}": 0 for i in range(12)},
        "assists": s["assists"],
        "baronKills": s["baron_kills"],
        "challenges": _challenges(r, core, p, s, team, legendaries, idx),
        "champExperience": s["xp"],
        "champLevel": level,
        "championId": p.champion_id,
        "championName": p.champion_name,
        "championTransform": next(
            ({"SLAYER": 1, "ASSASSIN": 2}[kind] for _, who, kind in st.transforms if who == pid), 0
        ),
        "consumablesPurchased": r.randint(0, 12),
        "damageDealtToBuildings": r.randint(0, 12000),
        "damageDealtToEpicMonsters": r.randint(0, 30000 if idx == 1 else 4000),
        "damageDealtToObjectives": r.randint(0, 40000),
        "damageDealtToTurrets": r.randint(0, 12000),
        "damageSelfMitigated": int(taken * r.uniform(0.3, 1.5)),
        "deaths": s["deaths"],
        "detectorWardsPlaced": r.randint(0, 6),
        "doubleKills": s["double"],
        "dragonKills": s["dragon_kills"],
        "eligibleForProgression": True,
        "firstBloodAssist": first_blood is not None and pid in first_blood.assists,
        "firstBloodKill": first_blood is not None and first_blood.killer == pid,
        "firstTowerAssist": first_tower is not None and pid in first_tower.assists,
        "firstTowerKill": first_tower is not None and first_tower.killer == pid,
        "gameEndedInEarlySurrender": False,
        "gameEndedInSurrender": duration < 1500 and r.random() < 0.5,
        "goldEarned": s["gold"],
        "goldSpent": int(s["gold"] * r.uniform(0.85, 1.0)),
        "individualPosition": p.position or "Invalid",
        "inhibitorKills": s["inhibitor_kills"],
        "inhibitorTakedowns": s["inhibitor_takedowns"],
        "inhibitorsLost": s["inhibitors_lost"],
        **{f"item{i}": item for i, item in enumerate(items)},
        "itemsPurchased": r.randint(8, 30),
        "killingSprees": s["killing_sprees"],
        "kills": s["kills"],
        "lane": LANE_OF.get(p.position, "NONE"),
        "largestCriticalStrike": r.choice((0, 0, r.randint(200, 1500))),
        "largestKillingSpree": s["largest_spree"],
        "largestMultiKill": s["largest_multi"],
        "longestTimeSpentLiving": r.randint(120, min(duration, 1400)),
        "magicDamageDealt": magic_dealt,
        "magicDamageDealtToChampions": magic_champ,
        "magicDamageTaken": magic_taken,
        "missions": score,
        "neutralMinionsKilled": s["jungle_cs"],
        "nexusKills": int(last is not None and last.killer == pid),
        "nexusLost": int(not win and not arena),
        "nexusTakedowns": int(last is not None and (last.killer == pid or pid in last.assists)),
        "objectivesStolen": 0,
        "objectivesStolenAssists": 0,
        "participantId": p.participant_id,
        "pentaKills": s["penta"],
        "perks": _perks(r),
        "physicalDamageDealt": total_dealt - true_dealt - magic_dealt,
        "physicalDamageDealtToChampions": dmg_champ - true_champ - magic_champ,
        "physicalDamageTaken": taken - true_taken - magic_taken,
        "placement": p.placement,
        **{f"playerAugment{i}": (r.choice(ARENA_AUGMENTS) if arena and i <= 4 else 0) for i in range(1, 7)},
        "playerSubteamId": p.subteam,
        "profileIcon": summoner(p.puuid)["profileIconId"],
        "puuid": p.puuid,
        "quadraKills": s["quadra"],
        "riotIdGameName": p.game_name,
        "riotIdTagline": p.tag_line,
        "role": ROLE_OF.get(p.position, "SUPPORT" if r.random() < 0.5 else "SOLO"),
        "roleBoundItem": r.choice(BOOTS),
        "sightWardsBoughtInGame": 0,
        **{f"spell{i}Casts": r.randint(20, 300) if i < 4 else r.randint(3, 25) for i in range(1, 5)},
        "subteamPlacement": p.placement,
        "summoner1Casts": r.randint(1, 8),
        "summoner1Id": spells[0],
        "summoner2Casts": r.randint(1, 8),
        "summoner2Id": spells[1],
        "summonerId": summoner_id(p.puuid),
        "summonerLevel": summoner(p.puuid)["summonerLevel"],
        "summonerName": "",
        "teamEarlySurrendered": False,
        "teamId": p.team_id,
        "teamPosition": p.position,
        "timeCCingOthers": r.randint(0, 80),
        "timePlayed": duration,
        "totalAllyJungleMinionsKilled": s["jungle_cs"] if idx == 1 else 0,
        "totalDamageDealt": total_dealt,
        "totalDamageDealtToChampions": dmg_champ,
        "totalDamageShieldedOnTeammates": r.randint(0, 8000) if idx == 4 else 0,
        "totalDamageTaken": taken,
        "totalEnemyJungleMinionsKilled": r.randint(0, 20) if idx == 1 else 0,
        "totalHeal": r.randint(500, 20000),
        "totalHealsOnTeammates": r.randint(0, 6000) if idx == 4 else 0,
        "totalMinionsKilled": s["cs"],
        "totalTimeCCDealt": r.randint(0, 900),
        "totalTimeSpentDead": s["deaths"] * r.randint(15, 45),
        "totalUnitsHealed": r.randint(1, 5),
        "tripleKills": s["triple"],
        "trueDamageDealt": true_dealt,
        "trueDamageDealtToChampions": true_champ,
        "trueDamageTaken": true_taken,
        "turretKills": s["turret_kills"],
        "turretTakedowns": s["turret_takedowns"],
        "turretsLost": s["turrets_lost"],
        "unrealKills": 0,
        "visionScore": s["vision"],
        "visionWardsBoughtInGame": r.randint(0, 6),
        "wardsKilled": r.randint(0, 15),
        "wardsPlaced": r.randint(2, 40),
        "win": win,
    }
    for kind in PING_KINDS:
        out[kind] = int(r.expovariate(1 / 2))
    return out


def _challenges(
    r: random.Random,
    core: MatchCore,
    p: Player,
    s: dict[str, int],
    team: dict[str, int],
    legendaries: list[int],
    idx: int,
) -> dict[str, object]:
    out = challenges(r, s, team, core.duration_s, legendaries, idx)
    if core.game_mode == "CHERRY":
        return {k: v for k, v in out.items() if k not in NOT_IN_ARENA}
    if p.position == "UTILITY":
        out["fasterSupportQuestCompletion"] = r.randint(0, 1)
    if r.random() < 0.3:
        out["teleportTakedowns"] = r.randint(0, 3)
    return out


def _mark_highest(participants: list[dict[str, object]], arena: bool) -> None:
    """Riot flags the game's top player in three stats (the key is absent for everyone else)."""
    for flag, stat in (
        ("highestChampionDamage", "totalDamageDealtToChampions"),
        ("highestCrowdControlScore", "timeCCingOthers"),
        *(() if arena else (("highestWardKills", "wardsKilled"),)),
    ):
        top = max(participants, key=lambda p: as_number(p[stat]))
        challenges = top["challenges"]
        assert isinstance(challenges, dict)  # every participant has a challenges dict
        challenges[flag] = 1


def _team(core: MatchCore, st: Story, team_id: int, kills: int, r: random.Random) -> dict[str, object]:
    win = team_id == core.winner
    arena = core.game_mode == "CHERRY"
    if core.game_mode == "CLASSIC" or (arena and team_id == 100):
        picks = r.sample(CHAMPION_IDS, 16 if arena else 5)
        bans = [{"championId": c, "pickTurn": t + (1 if team_id == 100 else 6)} for t, c in enumerate(picks)]
    else:
        bans = []
    monsters = [m for m in st.monsters if m.killer_team == team_id]
    taken = [b for b in st.buildings if b.team_id != team_id]

    def obj(kind: str) -> dict[str, object]:
        # "first": this team took the first one of the game.
        every = [m.killer_team for m in st.monsters if m.monster_type == kind]
        return {"first": bool(every) and every[0] == team_id, "kills": every.count(team_id)}

    def building_obj(kind: str) -> dict[str, object]:
        every = [b.team_id != team_id for b in st.buildings if b.building_type == kind]
        return {"first": bool(every) and every[0], "kills": sum(every)}

    first_kill = st.kills[0] if st.kills else None
    return {
        "bans": bans,
        "feats": {
            "EPIC_MONSTER_KILL": {"featState": min(3, len(monsters))},
            "FIRST_BLOOD": {"featState": 0 if arena else r.randint(0, 3)},
            "FIRST_TURRET": {"featState": min(3, len(taken))},
        },
        "objectives": {
            "atakhan": obj("ATAKHAN"),
            "baron": obj("BARON_NASHOR"),
            "champion": {
                "first": first_kill is not None and team_of(core, first_kill.killer) == team_id,
                "kills": kills,
            },
            "dragon": obj("DRAGON"),
            "horde": obj("HORDE"),
            "inhibitor": building_obj("INHIBITOR_BUILDING"),
            "riftHerald": obj("RIFTHERALD"),
            "tower": building_obj("TOWER_BUILDING"),
        },
        "teamId": team_id,
        "win": win,
    }


def build_match(core: MatchCore) -> dict[str, object]:
    st = story(core)
    heads = [_headline(rng("headline", core.match_id, p.participant_id), p, core, st) for p in core.players]
    totals: dict[int, dict[str, int]] = {}
    for team_id in (100, 200):
        members = [h for p, h in zip(core.players, heads, strict=True) if p.team_id == team_id]
        totals[team_id] = {k: sum(h[k] for h in members) for k in ("kills", "damage_to_champions", "damage_taken")}
    r = rng("teams", core.match_id)
    participants = [_participant(core, st, p, h, totals[p.team_id]) for p, h in zip(core.players, heads, strict=True)]
    _mark_highest(participants, core.game_mode == "CHERRY")
    if core.game_mode == "CHERRY":
        # Arena: Riot reports every kill on team 100 and a placeholder team 0 (as real Arena matches do).
        every_kill = totals[100]["kills"] + totals[200]["kills"]
        teams = [_team(core, st, 100, every_kill, r), {**_team(core, st, 200, 0, r), "teamId": 0, "win": False}]
    else:
        teams = [_team(core, st, 100, totals[100]["kills"], r), _team(core, st, 200, totals[200]["kills"], r)]
    return {
        "metadata": {
            "dataVersion": "2",
            "matchId": core.match_id,
            "participants": [p.puuid for p in core.players],
        },
        "info": {
            "endOfGameResult": "GameComplete",
            "gameCreation": core.creation_ms,
            "gameDuration": core.duration_s,
            "gameEndTimestamp": core.end_ms,
            "gameId": core.game_id,
            "gameMode": core.game_mode,
            "gameName": f"teambuilder-match-{core.game_id}",
            "gameStartTimestamp": core.start_ms,
            "gameType": core.game_type,
            "gameVersion": core.version,
            "mapId": core.map_id,
            "participants": participants,
            "platformId": core.platform,
            "queueId": core.queue,
            "teams": teams,
            "tournamentCode": "",
        },
    }


def core_for(req: Request) -> MatchCore:
    match_id = req.path["matchId"]
    return match_core(match_id, req.server.lower(), req.key_id, owner_of(match_id, req.key_id))


def get_match(req: Request) -> object:
    check_not_found(req.path)
    return build_match(core_for(req))


def match_context(req: Request) -> object:
    """A match's answer depends on whether (and by whom) its id was listed."""
    return owner_of(req.path.get("matchId", ""), req.key_id)


HANDLERS: dict[str, Handler] = {
    "match-v5.getMatch": Handler(get_match, cache=512, context=match_context),
    "lol-rso-match-v1.getMatch": Handler(get_match, cache=128, context=match_context),
}
