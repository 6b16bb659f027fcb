"""VALORANT: matches (PC and console), match lists, recent matches, leaderboards, content."""

from __future__ import annotations

import random

from ._core import ANCHOR_MS, Handler, Request, check_not_found, q_int, q_str, rng, uuid_from
from .ids import player

MAPS = (
    "/Game/Maps/Ascent/Ascent",
    "/Game/Maps/Bonsai/Bonsai",
    "/Game/Maps/Duality/Duality",
    "/Game/Maps/Triad/Triad",
    "/Game/Maps/Port/Port",
    "/Game/Maps/Jam/Jam",
    "/Game/Maps/Pitt/Pitt",
)
AGENTS = (
    "Jett",
    "Phoenix",
    "Sage",
    "Sova",
    "Brimstone",
    "Viper",
    "Cypher",
    "Reyna",
    "Killjoy",
    "Omen",
    "Raze",
    "Skye",
    "Yoru",
    "Astra",
    "KAYO",
    "Chamber",
    "Neon",
    "Fade",
    "Harbor",
    "Gekko",
    "Clove",
)
WEAPONS = ("Vandal", "Phantom", "Operator", "Sheriff", "Spectre", "Ghost", "Classic", "Guardian")
QUEUES = ("competitive", "unrated", "swiftplay", "spikerush", "deathmatch")
ACT_NAMES = ("EPISODE 9", "ACT I", "ACT II", "ACT III", "EPISODE 10", "ACT I")
LOCALE_KEYS = (
    "ar-AE",
    "de-DE",
    "en-GB",
    "en-US",
    "es-ES",
    "es-MX",
    "fr-FR",
    "id-ID",
    "it-IT",
    "ja-JP",
    "ko-KR",
    "pl-PL",
    "pt-BR",
    "ru-RU",
    "th-TH",
    "tr-TR",
    "vi-VN",
    "zh-CN",
    "zh-TW",
)


def _loc(r: random.Random) -> dict[str, int]:
    return {"x": r.randint(-8000, 8000), "y": r.randint(-8000, 8000)}


def _round(r: random.Random, n: int, puuids: list[str], console: bool) -> dict[str, object]:
    winner = r.choice(("Red", "Blue"))
    planted = r.random() < 0.5
    stats = []
    for pu in puuids:
        kills = []
        for _ in range(r.choice((0, 0, 0, 1, 1, 2))):
            victim = r.choice([p for p in puuids if p != pu])
            t = r.randint(5_000, 100_000)
            kills.append(
                {
                    "timeSinceGameStartMillis": n * 110_000 + t,
                    "timeSinceRoundStartMillis": t,
                    "killer": pu,
                    "victim": victim,
                    "victimLocation": _loc(r),
                    "assistants": [],
                    "playerLocations": [],
                    "finishingDamage": {
                        "damageType": "Weapon",
                        "damageItem": uuid_from("weapon", r.choice(WEAPONS)),
                        "isSecondaryFireMode": False,
                    },
                }
            )
        stats.append(
            {
                "puuid": pu,
                "kills": kills,
                "damage": [
                    {
                        "receiver": k["victim"],
                        "damage": r.randint(100, 160),
                        "legshots": 0,
                        "bodyshots": r.randint(0, 3),
                        "headshots": r.randint(0, 2),
                    }
                    for k in kills
                ],
                "score": 200 * len(kills) + r.randint(0, 150),
                "economy": {
                    "loadoutValue": r.randint(800, 5500),
                    "weapon": uuid_from("weapon", r.choice(WEAPONS)),
                    "armor": uuid_from("armor", r.randint(0, 1)),
                    "remaining": r.randint(0, 6000),
                    "spent": r.randint(0, 5000),
                },
                "ability": {},
            }
        )
    out: dict[str, object] = {
        "roundNum": n,
        "roundResult": "Eliminated" if not planted else r.choice(("Bomb detonated", "Bomb defused")),
        "roundCeremony": "CeremonyDefault",
        "winningTeam": winner,
        "plantRoundTime": r.randint(20_000, 80_000) if planted else 0,
        "plantLocation": _loc(r) if planted else {"x": 0, "y": 0},
        "plantSite": r.choice("ABC") if planted else "",
        "defuseRoundTime": 0,
        "defuseLocation": {"x": 0, "y": 0},
        "playerStats": stats,
        "roundResultCode": "Elimination" if not planted else "Detonate",
    }
    if planted:
        out["bombPlanter"] = r.choice(puuids)
    if not console:
        out["winningTeamRole"] = r.choice(("Attacker", "Defender"))
    return out


def get_match(req: Request) -> object:
    check_not_found(req.path)
    match_id = req.path["matchId"]
    console = req.operation.startswith("val-console")
    r = rng("val-match", match_id)
    queue = r.choice(QUEUES)
    n_rounds = r.randint(13, 24)
    red_won = r.randint(0, 1)
    players = []
    puuids = []
    for i in range(10):
        pu, name, tag = player(("val", match_id, i), req.key_id)
        puuids.append(pu)
        kills, deaths = r.randint(3, 30), r.randint(5, 25)
        entry: dict[str, object] = {
            "puuid": pu,
            "gameName": name,
            "tagLine": tag,
            "teamId": "Red" if i < 5 else "Blue",
            "partyId": uuid_from("party", match_id, i // 2),
            "characterId": uuid_from("agent", r.choice(AGENTS)),
            "stats": {
                "score": kills * 200 + r.randint(0, 3000),
                "roundsPlayed": n_rounds,
                "kills": kills,
                "deaths": deaths,
                "assists": r.randint(0, 15),
                "playtimeMillis": n_rounds * 100_000,
                "abilityCasts": {
                    "grenadeCasts": r.randint(0, 30),
                    "ability1Casts": r.randint(0, 30),
                    "ability2Casts": r.randint(0, 30),
                    "ultimateCasts": r.randint(0, 6),
                },
            },
            "competitiveTier": r.randint(3, 27) if queue == "competitive" else 0,
            "playerCard": uuid_from("card", pu),
            "playerTitle": uuid_from("title", pu),
        }
        if not console:
            entry["isObserver"] = False
            entry["accountLevel"] = r.randint(20, 500)
        players.append(entry)
    info: dict[str, object] = {
        "matchId": match_id,
        "mapId": r.choice(MAPS),
        "gameLengthMillis": n_rounds * 105_000,
        "gameStartMillis": ANCHOR_MS - r.randrange(60 * 86_400_000),
        "provisioningFlowId": "Matchmaking",
        "isCompleted": True,
        "customGameName": "",
        "queueId": queue,
        "gameMode": "/Game/GameModes/Bomb/BombGameMode.BombGameMode_C",
        "isRanked": queue == "competitive",
        "seasonId": uuid_from("act", 0),
    }
    if not console:
        info.update(
            {"gameVersion": "release-10.11-shipping-9-3488585", "region": req.server.lower(), "premierMatchInfo": {}}
        )
    won = max(13, n_rounds - 11)
    return {
        "matchInfo": info,
        "players": players,
        "coaches": [],
        "teams": [
            {"teamId": t, "won": w, "roundsPlayed": n_rounds, "roundsWon": won if w else n_rounds - won, "numPoints": 0}
            for t, w in (("Red", bool(red_won)), ("Blue", not red_won))
        ],
        "roundResults": [_round(r, n, puuids, console) for n in range(n_rounds)],
    }


def matchlist(req: Request) -> object:
    check_not_found(req.path)
    puuid = req.path["puuid"]
    r = rng("val-list", puuid)
    t = ANCHOR_MS
    history = []
    for i in range(r.randint(0, 30)):
        t -= r.randint(1, 48) * 1_800_000
        history.append(
            {"matchId": uuid_from("val-match", puuid, i), "gameStartTimeMillis": t, "queueId": r.choice(QUEUES)}
        )
    return {"puuid": puuid, "history": history}


def recent(req: Request) -> object:
    check_not_found(req.path)
    queue = req.path["queue"]
    r = rng("val-recent", req.server, queue)
    return {"currentTime": ANCHOR_MS, "matchIds": [uuid_from("val-recent", queue, r.random()) for _ in range(50)]}


def leaderboard(req: Request) -> object:
    check_not_found(req.path)
    act = req.path["actId"]
    size = q_int(req.query, "size", 200, 1, 200)
    start = q_int(req.query, "startIndex", 0, 0, 15_000)
    total = 15_000
    console = req.operation.startswith("val-console")
    players = []
    for i in range(start, min(total, start + size)):
        pu, name, tag = player(("val-ladder", req.server, act, i), req.key_id)
        r = rng("val-ladder", act, i)
        row: dict[str, object] = {
            "puuid": pu,
            "gameName": name,
            "tagLine": tag,
            "leaderboardRank": i + 1,
            "rankedRating": max(0, 1200 - i // 10),
            "numberOfWins": r.randint(50, 400),
        }
        if not console:
            row.update(
                {"competitiveTier": 27 if i < 500 else 26 if i < 2000 else 25, "prefix": "", "premierRosterType": ""}
            )
        players.append(row)
    out: dict[str, object] = {"shard": req.server.lower(), "actId": act, "totalPlayers": total, "players": players}
    if console:
        out["query"] = q_str(req.query, "platformType", "playstation")
    else:
        out.update(
            {
                "immortalStartingPage": 1,
                "immortalStartingIndex": 1,
                "topTierRRThreshold": 700,
                "startIndex": start,
                "tierDetails": {
                    "27": {"rankedRatingThreshold": 700, "startingPage": 1, "startingIndex": 1},
                    "26": {"rankedRatingThreshold": 400, "startingPage": 3, "startingIndex": 501},
                    "25": {"rankedRatingThreshold": 0, "startingPage": 10, "startingIndex": 2001},
                },
            }
        )
    return out


def _item(kind: str, name: str, localized: bool) -> dict[str, object]:
    item: dict[str, object] = {"name": name, "id": uuid_from(kind, name).upper(), "assetName": f"{kind}_{name}"}
    if localized:
        item["localizedNames"] = dict.fromkeys(LOCALE_KEYS, name)
    return item


def content(req: Request) -> object:
    localized = q_str(req.query, "locale") is None  # without a locale Riot sends every translation
    out: dict[str, object] = {"version": "release-10.11"}
    out["characters"] = [_item("agent", a, localized) for a in AGENTS]
    out["maps"] = [_item("map", m.rsplit("/", 1)[-1], localized) for m in MAPS]
    for kind in (
        "chromas",
        "skins",
        "skinLevels",
        "equips",
        "gameModes",
        "sprays",
        "sprayLevels",
        "charms",
        "charmLevels",
        "playerCards",
        "playerTitles",
        "ceremonies",
        "totems",
    ):
        out[kind] = [_item(kind, f"{kind}{i}", localized) for i in range(8)]
    # Acts carry no assetName (unlike the other items), but a type and their episode's id.
    acts: list[dict[str, object]] = []
    for i, n in enumerate(ACT_NAMES):
        act = {k: v for k, v in _item("act", f"{n}-{i}", localized).items() if k != "assetName"}
        act.update({"name": n, "isActive": i == len(ACT_NAMES) - 1, "id": uuid_from("act", i), "type": "act"})
        act["parentId"] = uuid_from("episode", i // 3)
        acts.append(act)
    out["acts"] = acts
    return out


HANDLERS: dict[str, Handler] = {}
for _prefix in ("val-match-v1", "val-console-match-v1"):
    HANDLERS.update(
        {
            f"{_prefix}.getMatch": Handler(get_match, cache=512),
            f"{_prefix}.getMatchlist": Handler(matchlist, cache=1024),
            f"{_prefix}.getRecent": Handler(recent, cache=64),
        }
    )
HANDLERS["val-ranked-v1.getLeaderboard"] = Handler(leaderboard, cache=64)
HANDLERS["val-console-ranked-v1.getLeaderboard"] = Handler(leaderboard, cache=64)
HANDLERS["val-content-v1.getContent"] = Handler(content, cache=16)
