"""match-v5 (and lol-rso-match-v1) ``getMatch``: a full MatchDto, ~70 KB of JSON."""

from __future__ import annotations

import random

from ._core import Handler, Request, check_not_found, rng
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
from .match_challenges import challenges
from .match_core import MatchCore, Player, match_core, owner_of
from .summoner import summoner

PING_KINDS = (
    "allInPings",
    "assistMePings",
    "baitPings",
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


def _headline(r: random.Random, p: Player, core: MatchCore) -> dict[str, int]:
    """The numbers everything else is derived from, drawn per participant."""
    minutes = core.duration_s / 60
    aram = core.game_mode == "ARAM"
    support = p.position == "UTILITY"
    jungle = p.position == "JUNGLE"
    kills = int(r.expovariate(1 / (9 if aram else 5.5)))
    cs_rate = 0 if support else r.uniform(5.0, 8.5) if not jungle else r.uniform(0.5, 1.5)
    return {
        "kills": kills,
        "deaths": int(r.expovariate(1 / (8 if aram else 5))),
        "assists": int(r.expovariate(1 / (14 if aram else 8 if not support else 12))),
        "damage_to_champions": int(minutes * r.uniform(300, 1400)),
        "damage_taken": int(minutes * r.uniform(400, 1300)),
        "gold": int(minutes * r.uniform(250, 520)),
        "cs": int(minutes * cs_rate),
        "jungle_cs": int(minutes * r.uniform(4.5, 6.5)) if jungle else r.randint(0, 12),
        "vision": int(minutes * r.uniform(0.2, 2.5 if support else 1.2)),
        "killing_sprees": min(kills, r.randint(0, 3)),
        "multikills": min(kills // 2, r.randint(0, 3)),
        "turret_takedowns": r.randint(0, 5),
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


def _participant(
    core: MatchCore, p: Player, s: dict[str, int], team: dict[str, int], first_blood: tuple[int, int]
) -> dict[str, object]:
    r = rng("participant", core.match_id, p.participant_id)
    duration = core.duration_s
    win = p.team_id == core.winner
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
    level = min(18, max(6, int(duration / 110 + r.randint(-2, 2))))
    multi = s["multikills"]
    score = {f"playerScore{i}": 0 for i in range(12)}
    idx = core.players.index(p) % 5
    out: dict[str, object] = {
        "PlayerBehavior": {"PlayerBehavior_IsHeroInCombat": 0},
        **{f"PlayerScore{i}": 0 for i in range(12)},
        "assists": s["assists"],
        "baronKills": r.choice((0, 0, 0, 1)),
        "bountyLevel": r.randint(0, 5),
        "challenges": challenges(r, s, team, duration, legendaries, idx),
        "champExperience": int(level * level * 55 + r.randint(0, 900)),
        "champLevel": level,
        "championId": p.champion_id,
        "championName": p.champion_name,
        "championSkinId": r.choice((0, 0, 1, 2, 5, 13)),
        "championTransform": 0,
        "consumablesPurchased": r.randint(0, 12),
        "damageDealtToBuildings": r.randint(0, 12000),
        "damageDealtToEpicMonsters": r.randint(0, 30000 if idx == 1 else 4000),
        "damageDealtToObjectives": r.randint(0, 40000),
        "damageDealtToTurrets": r.randint(0, 12000),
        "damageSelfMitigated": int(taken * r.uniform(0.3, 1.5)),
        "deaths": s["deaths"],
        "detectorWardsPlaced": r.randint(0, 6),
        "doubleKills": multi,
        "dragonKills": r.randint(0, 4) if idx == 1 else 0,
        "eligibleForProgression": True,
        "firstBloodAssist": first_blood[1] == p.participant_id,
        "firstBloodKill": first_blood[0] == p.participant_id,
        "firstTowerAssist": r.random() < 0.1,
        "firstTowerKill": r.random() < 0.05,
        "gameEndedInEarlySurrender": False,
        "gameEndedInSurrender": duration < 1500 and r.random() < 0.5,
        "goldEarned": s["gold"],
        "goldSpent": int(s["gold"] * r.uniform(0.85, 1.0)),
        "individualPosition": p.position or "Invalid",
        "inhibitorKills": r.choice((0, 0, 1)),
        "inhibitorTakedowns": r.choice((0, 1, 2)),
        "inhibitorsLost": 0 if win else r.randint(1, 3),
        **{f"item{i}": item for i, item in enumerate(items)},
        "itemsPurchased": r.randint(8, 30),
        "killingSprees": s["killing_sprees"],
        "kills": s["kills"],
        "lane": LANE_OF.get(p.position, "NONE"),
        "largestCriticalStrike": r.choice((0, 0, r.randint(200, 1500))),
        "largestKillingSpree": min(s["kills"], r.randint(0, 8)),
        "largestMultiKill": 1 + (multi > 0) + (r.random() < 0.1),
        "longestTimeSpentLiving": r.randint(120, min(duration, 1400)),
        "magicDamageDealt": magic_dealt,
        "magicDamageDealtToChampions": magic_champ,
        "magicDamageTaken": magic_taken,
        "missions": score,
        "neutralMinionsKilled": s["jungle_cs"],
        "nexusKills": int(win and r.random() < 0.2),
        "nexusLost": int(not win),
        "nexusTakedowns": int(win and r.random() < 0.6),
        "objectivesStolen": 0,
        "objectivesStolenAssists": 0,
        "participantId": p.participant_id,
        "pentaKills": int(r.random() < 0.005),
        "perks": _perks(r),
        "physicalDamageDealt": total_dealt - true_dealt - magic_dealt,
        "physicalDamageDealtToChampions": dmg_champ - true_champ - magic_champ,
        "physicalDamageTaken": taken - true_taken - magic_taken,
        "placement": 0,
        **{f"playerAugment{i}": 0 for i in range(1, 7)},
        "playerSubteamId": 0,
        "profileIcon": summoner(p.puuid)["profileIconId"],
        "puuid": p.puuid,
        "quadraKills": int(r.random() < 0.02),
        "riotIdGameName": p.game_name,
        "riotIdTagline": p.tag_line,
        "role": ROLE_OF.get(p.position, "SUPPORT" if r.random() < 0.5 else "SOLO"),
        "roleBoundItem": r.choice(BOOTS),
        "sightWardsBoughtInGame": 0,
        **{f"spell{i}Casts": r.randint(20, 300) if i < 4 else r.randint(3, 25) for i in range(1, 5)},
        "subteamPlacement": 0,
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
        "tripleKills": int(multi > 1 and r.random() < 0.3),
        "trueDamageDealt": true_dealt,
        "trueDamageDealtToChampions": true_champ,
        "trueDamageTaken": true_taken,
        "turretKills": min(s["turret_takedowns"], r.randint(0, 2)),
        "turretTakedowns": s["turret_takedowns"],
        "turretsLost": r.randint(0, 4) if win else r.randint(5, 11),
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


def _team(core: MatchCore, team_id: int, kills: int, r: random.Random) -> dict[str, object]:
    win = team_id == core.winner
    bans = (
        []
        if core.game_mode != "CLASSIC"
        else [
            {"championId": c, "pickTurn": t + (1 if team_id == 100 else 6)}
            for t, c in enumerate(r.sample(CHAMPION_IDS, 5))
        ]
    )

    def obj(kills_: int) -> dict[str, object]:
        return {"first": kills_ > 0 and r.random() < 0.6, "kills": kills_}

    return {
        "bans": bans,
        "feats": {
            "EPIC_MONSTER_KILL": {"featState": r.randint(0, 3)},
            "FIRST_BLOOD": {"featState": r.randint(0, 3)},
            "FIRST_TURRET": {"featState": r.randint(0, 3)},
        },
        "objectives": {
            "atakhan": obj(int(win and r.random() < 0.4)),
            "baron": obj(r.randint(0, 2) if win else r.randint(0, 1)),
            "champion": {"first": r.random() < 0.5, "kills": kills},
            "dragon": obj(r.randint(1, 4) if win else r.randint(0, 2)),
            "horde": obj(r.randint(0, 6)),
            "inhibitor": obj(r.randint(1, 3) if win else r.randint(0, 1)),
            "riftHerald": obj(r.randint(0, 1)),
            "tower": obj(r.randint(6, 11) if win else r.randint(0, 5)),
        },
        "teamId": team_id,
        "win": win,
    }


def build_match(core: MatchCore) -> dict[str, object]:
    heads = [_headline(rng("headline", core.match_id, p.participant_id), p, core) for p in core.players]
    totals: dict[int, dict[str, int]] = {}
    for team_id in (100, 200):
        members = [h for p, h in zip(core.players, heads, strict=True) if p.team_id == team_id]
        totals[team_id] = {k: sum(h[k] for h in members) for k in ("kills", "damage_to_champions", "damage_taken")}
    r = rng("teams", core.match_id)
    first_blood = (r.randint(1, 10), r.randint(1, 10))
    participants = [
        _participant(core, p, h, totals[p.team_id], first_blood) for p, h in zip(core.players, heads, strict=True)
    ]
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
            "gameModeMutators": [],
            "gameName": f"teambuilder-match-{core.game_id}",
            "gameStartTimestamp": core.start_ms,
            "gameType": core.game_type,
            "gameVersion": core.version,
            "mapId": core.map_id,
            "participants": participants,
            "platformId": core.platform,
            "queueId": core.queue,
            "teams": [_team(core, 100, totals[100]["kills"], r), _team(core, 200, totals[200]["kills"], r)],
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
