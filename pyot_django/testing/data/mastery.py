"""champion-mastery-v4: a player's masteries, a long tail sorted by points."""

from __future__ import annotations

import random
from functools import lru_cache

from ._core import ANCHOR_MS, Handler, Request, as_int, check_not_found, q_int, rng
from .lol_static import CHAMPION_IDS

GRADES = ("S+", "S", "S-", "A+", "A", "A-", "B+", "B", "C")


def _points_for_level(level: int) -> int:
    """Cumulative points to reach ``level`` (the post-2024 curve: 1800, 6000, 12600, +11000/level
    past 5, roughly)."""
    table = (0, 0, 1800, 6000, 12600, 21600, 32700, 43800, 54900, 66000, 77100)
    return table[level] if level < len(table) else 77100 + (level - 10) * 11000


def _level_for_points(points: int) -> int:
    level = 1
    while _points_for_level(level + 1) <= points:
        level += 1
    return level


def mastery(puuid: str, champion_id: int, points: int, r: random.Random) -> dict[str, object]:
    level = _level_for_points(points)
    since = points - _points_for_level(level)
    until = max(0, _points_for_level(level + 1) - points)
    return {
        "puuid": puuid,
        "championId": champion_id,
        "championLevel": level,
        "championPoints": points,
        "lastPlayTime": ANCHOR_MS - int(r.expovariate(1 / (40 * 86_400_000))),
        "championPointsSinceLastLevel": since,
        "championPointsUntilNextLevel": until,
        "markRequiredForNextLevel": 2 if level >= 10 else 1 if level >= 4 else 0,
        "tokensEarned": r.randint(0, 2) if level >= 4 else 0,
        "championSeasonMilestone": r.randint(0, 3),
        "milestoneGrades": sorted(r.choices(GRADES, k=r.randint(0, 3))) if level >= 4 else [],
        "nextSeasonMilestone": {
            "requireGradeCounts": {"A-": 1} if level < 5 else {"B-": 1, "C-": 4},
            "rewardMarks": 1,
            "bonus": False,
            "totalGamesRequires": 1 if level < 5 else 5,
        },
    }


@lru_cache(maxsize=2048)
def _masteries(puuid: str) -> tuple[dict[str, object], ...]:
    r = rng("mastery", puuid)
    count = r.randint(15, min(140, len(CHAMPION_IDS)))
    champions = r.sample(CHAMPION_IDS, count)
    # Pareto-ish points: a main or two with hundreds of thousands, then a long tail.
    rows = [
        mastery(puuid, c, int(200 + 900_000 / (i + 1) ** 1.6 * r.uniform(0.6, 1.4)), r) for i, c in enumerate(champions)
    ]
    rows.sort(key=lambda m: -as_int(m["championPoints"]))
    return tuple(rows)


def all_masteries(req: Request) -> object:
    check_not_found(req.path)
    return list(_masteries(req.path["encryptedPUUID"]))


def top_masteries(req: Request) -> object:
    check_not_found(req.path)
    count = q_int(req.query, "count", 3, 1, 200)
    return list(_masteries(req.path["encryptedPUUID"])[:count])


def by_champion(req: Request) -> object:
    """Played champions come from the list; an unplayed one answers a fresh level-1 entry rather
    than 404, so a catalogue-wide smoke test with any champion id gets a 200."""
    check_not_found(req.path)
    puuid = req.path["encryptedPUUID"]
    try:
        champion = int(req.path["championId"])
    except ValueError:
        champion = 1
    for row in _masteries(puuid):
        if row["championId"] == champion:
            return row
    return mastery(puuid, champion, rng("unplayed", puuid, champion).randint(0, 1500), rng(puuid, champion))


def score(req: Request) -> object:
    check_not_found(req.path)
    return sum(as_int(m["championLevel"]) for m in _masteries(req.path["encryptedPUUID"]))


HANDLERS: dict[str, Handler] = {
    "champion-mastery-v4.getAllChampionMasteriesByPUUID": Handler(all_masteries, cache=1024),
    "champion-mastery-v4.getTopChampionMasteriesByPUUID": Handler(top_masteries, cache=1024),
    "champion-mastery-v4.getChampionMasteryByPUUID": Handler(by_champion, cache=1024),
    "champion-mastery-v4.getChampionMasteryScoreByPUUID": Handler(score, cache=1024),
}
