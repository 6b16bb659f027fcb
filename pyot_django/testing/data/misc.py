"""The small families: champion rotation, clash, lol-challenges, riftbound content."""

from __future__ import annotations

from ._core import ANCHOR_MS, Handler, Request, check_not_found, q_int, rng, seed_int, uuid_from
from .ids import platform_of, player
from .lol_static import CHAMPION_IDS

LEVELS = ("IRON", "BRONZE", "SILVER", "GOLD", "PLATINUM", "DIAMOND", "MASTER", "GRANDMASTER", "CHALLENGER")
CHALLENGE_IDS = (
    0,
    1,
    2,
    3,
    4,
    5,
    101000,
    101001,
    101101,
    101102,
    101103,
    101104,
    101105,
    101106,
    101107,
    101108,
    101200,
    101201,
    101202,
    101203,
    101204,
    101205,
    101206,
    101300,
    101301,
    101302,
    101303,
    101304,
    101305,
    101306,
    101307,
    101308,
    103000,
    103001,
)
CATEGORIES = ("COLLECTION", "EXPERTISE", "IMAGINATION", "TEAMWORK", "VETERANCY")
POSITIONS = ("TOP", "JUNGLE", "MIDDLE", "BOTTOM", "UTILITY")


def champion_rotation(req: Request) -> object:
    r = rng("rotation", platform_of(req.server))
    return {
        "maxNewPlayerLevel": 10,
        "freeChampionIds": sorted(r.sample(CHAMPION_IDS, 20)),
        "freeChampionIdsForNewPlayers": sorted(r.sample(CHAMPION_IDS, 20)),
    }


# ---- clash ----


def _tournament(tid: int) -> dict[str, object]:
    r = rng("clash-tournament", tid)
    start = ANCHOR_MS + r.randint(1, 20) * 86_400_000
    return {
        "id": tid,
        "themeId": r.randint(1, 40),
        "nameKey": r.choice(("bilgewater", "ionia", "shurima")),
        "nameKeySecondary": f"day_{r.randint(1, 4)}",
        "schedule": [
            {"id": tid * 10 + 1, "registrationTime": start - 4 * 86_400_000, "startTime": start, "cancelled": False}
        ],
    }


def _team_id(seed: object) -> str:
    return uuid_from("clash-team", seed)


def clash_players(req: Request) -> object:
    check_not_found(req.path)
    puuid = req.path["puuid"]
    r = rng("clash-player", puuid)
    if r.random() < 0.5:
        return []
    return [
        {
            "puuid": puuid,
            "teamId": _team_id(puuid),
            "position": r.choice(POSITIONS),
            "role": r.choice(("CAPTAIN", "MEMBER")),
        }
    ]


def clash_team(req: Request) -> object:
    check_not_found(req.path)
    team_id = req.path["teamId"]
    r = rng("clash-team", team_id)
    members = [player(("clash", team_id, i), req.key_id)[0] for i in range(5)]
    return {
        "id": team_id,
        "tournamentId": 2000 + seed_int("ct", team_id) % 50,
        "name": f"Team {team_id[:6]}",
        "iconId": r.randint(1, 80),
        "tier": r.randint(1, 4),
        "captain": members[0],
        "abbreviation": team_id[:3].upper(),
        "players": [
            {"puuid": pu, "position": POSITIONS[i], "role": "CAPTAIN" if i == 0 else "MEMBER"}
            for i, pu in enumerate(members)
        ],
    }


def clash_tournaments(req: Request) -> object:
    return [_tournament(2000 + i) for i in range(rng("clash", req.server).randint(1, 4))]


def clash_tournament_by_team(req: Request) -> object:
    check_not_found(req.path)
    return _tournament(2000 + seed_int("ct", req.path["teamId"]) % 50)


def clash_tournament_by_id(req: Request) -> object:
    check_not_found(req.path)
    try:
        return _tournament(int(req.path["tournamentId"]))
    except ValueError:
        return _tournament(2000)


# ---- lol-challenges ----


def _config(cid: int) -> dict[str, object]:
    r = rng("challenge", cid)
    base = r.choice((1, 5, 10, 50, 100))
    return {
        "id": cid,
        "localizedNames": {
            "en_US": {
                "name": f"Challenge {cid}",
                "shortDescription": "Do the thing",
                "description": "Do the thing, many times",
            }
        },
        "state": "ENABLED",
        "leaderboard": cid > 100_000 and r.random() < 0.4,
        "thresholds": {lvl: float(base * (i + 1) ** 2) for i, lvl in enumerate(LEVELS)},
    }


def challenge_percentiles(cid: int) -> dict[str, float]:
    r = rng("percentile", cid)
    p = 1.0
    out = {"NONE": 1.0}
    for lvl in LEVELS:
        p *= r.uniform(0.2, 0.8)
        out[lvl] = round(p, 6)
    return out


def _cid(req: Request) -> int:
    try:
        return int(req.path["challengeId"])
    except ValueError:
        return 0


def all_configs(req: Request) -> object:
    return [_config(c) for c in CHALLENGE_IDS]


def one_config(req: Request) -> object:
    check_not_found(req.path)
    return _config(_cid(req))


def all_percentiles(req: Request) -> object:
    return {str(c): challenge_percentiles(c) for c in CHALLENGE_IDS}


def one_percentiles(req: Request) -> object:
    check_not_found(req.path)
    return challenge_percentiles(_cid(req))


def leaderboards(req: Request) -> object:
    check_not_found(req.path)
    cid, level = _cid(req), req.path["level"]
    limit = q_int(req.query, "limit", 200, 1, 200 if level.upper() != "MASTER" else 1000)
    r = rng("chal-ladder", cid, level, req.server)
    value = 100_000.0
    rows = []
    for i in range(limit):
        value -= r.uniform(0, 200)
        rows.append({"puuid": player(("chal", cid, level, i), req.key_id)[0], "value": round(value), "position": i + 1})
    return rows


def player_data(req: Request) -> object:
    check_not_found(req.path)
    puuid = req.path["puuid"]
    r = rng("chal-player", puuid)

    def points(level: str, cap: int) -> dict[str, object]:
        return {"level": level, "current": r.randint(0, cap), "max": cap, "percentile": round(r.random(), 4)}

    return {
        "challenges": [
            {
                "challengeId": c,
                "percentile": round(r.random(), 4),
                "level": r.choice(LEVELS[:6]),
                "value": float(r.randint(0, 500)),
                "achievedTime": ANCHOR_MS - r.randrange(10**10),
            }
            for c in CHALLENGE_IDS
            if r.random() < 0.7
        ],
        "preferences": {
            "bannerAccent": "2",
            "title": str(r.randint(0, 999999)),
            "challengeIds": r.sample(CHALLENGE_IDS, 3),
            "crestBorder": "1",
            "prestigeCrestBorderLevel": r.randint(0, 5),
        },
        "totalPoints": points(r.choice(LEVELS[:6]), 20_000),
        "categoryPoints": {c: points(r.choice(LEVELS[:6]), 5_000) for c in CATEGORIES},
    }


# ---- riftbound ----


def riftbound(req: Request) -> object:
    r = rng("riftbound")
    factions = ("Fury", "Calm", "Mind", "Body", "Chaos", "Order")
    sets = []
    for s, set_name in (("OGN", "Origins"), ("OGS", "Proving Grounds")):
        cards = []
        for n in range(1, 41):
            cards.append(
                {
                    "id": f"{s}-{n:03d}",
                    "collectorNumber": n,
                    "set": s,
                    "name": f"{set_name} Card {n}",
                    "description": "Deal 2 to a unit.",
                    "type": r.choice(("Unit", "Spell", "Gear", "Champion")),
                    "rarity": r.choice(("Common", "Uncommon", "Rare", "Epic")),
                    "faction": r.choice(factions),
                    "stats": {
                        "energy": r.randint(0, 7),
                        "might": r.randint(0, 8),
                        "cost": r.randint(0, 7),
                        "power": r.randint(0, 3),
                    },
                    "keywords": r.sample(("Accelerate", "Assault", "Deflect", "Ganking", "Shield", "Tank"), 2),
                    "art": {
                        "thumbnailURL": f"https://cdn.example.com/riftbound/{s}-{n:03d}-thumb.png",
                        "fullURL": f"https://cdn.example.com/riftbound/{s}-{n:03d}.png",
                        "artist": "Riot Artist",
                    },
                    "flavorText": "",
                    "tags": [],
                }
            )
        sets.append({"id": s, "name": set_name, "cards": cards})
    return {"game": "riftbound", "version": "1.0.0", "lastUpdated": "2025-06-01T00:00:00.000Z", "sets": sets}


HANDLERS: dict[str, Handler] = {
    "champion-v3.getChampionInfo": Handler(champion_rotation, cache=32),
    "clash-v1.getPlayersByPUUID": Handler(clash_players, cache=1024),
    "clash-v1.getTeamById": Handler(clash_team),
    "clash-v1.getTournaments": Handler(clash_tournaments, cache=32),
    "clash-v1.getTournamentByTeam": Handler(clash_tournament_by_team),
    "clash-v1.getTournamentById": Handler(clash_tournament_by_id),
    "lol-challenges-v1.getAllChallengeConfigs": Handler(all_configs, cache=8),
    "lol-challenges-v1.getChallengeConfigs": Handler(one_config),
    "lol-challenges-v1.getAllChallengePercentiles": Handler(all_percentiles, cache=8),
    "lol-challenges-v1.getChallengePercentiles": Handler(one_percentiles),
    "lol-challenges-v1.getChallengeLeaderboards": Handler(leaderboards, cache=64),
    "lol-challenges-v1.getPlayerData": Handler(player_data, cache=1024),
    "riftbound-content-v1.getContent": Handler(riftbound, cache=8),
}
