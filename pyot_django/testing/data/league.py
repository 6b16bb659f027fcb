"""league-v4, league-exp-v4 and tft-league-v1: ranked entries and ladders."""

from __future__ import annotations

import random

from ._core import Handler, Request, as_int, check_not_found, q_int, q_str, rng, seed_int, uuid_from
from .ids import platform_of, player

TIERS = ("IRON", "BRONZE", "SILVER", "GOLD", "PLATINUM", "EMERALD", "DIAMOND", "MASTER", "GRANDMASTER", "CHALLENGER")
APEX = ("MASTER", "GRANDMASTER", "CHALLENGER")
DIVISIONS = ("IV", "III", "II", "I")
# Rough population share per tier: most players are Silver-Emerald.
TIER_WEIGHTS = (8, 18, 20, 20, 14, 11, 6, 1.5, 0.3, 0.1)
LOL_QUEUES = ("RANKED_SOLO_5x5", "RANKED_FLEX_SR")
TFT_QUEUES = ("RANKED_TFT", "RANKED_TFT_DOUBLE_UP", "RANKED_TFT_TURBO")
PAGE_SIZE = 205  # what Riot returns per page of /entries
LAST_PAGE = 40
APEX_SIZE = {"CHALLENGER": 300, "GRANDMASTER": 700, "MASTER": 1200}
RATED_TIERS = ("GRAY", "GREEN", "BLUE", "PURPLE", "ORANGE")


def league_id(platform: str, queue: str, tier: str, bucket: int) -> str:
    return uuid_from("league", platform, queue, tier, bucket)


def _record(r: random.Random) -> dict[str, object]:
    wins = r.randint(1, 400)
    losses = max(0, wins + r.randint(-40, 40))
    return {
        "wins": wins,
        "losses": losses,
        "veteran": r.random() < 0.1,
        "inactive": False,
        "freshBlood": r.random() < 0.15,
        "hotStreak": r.random() < 0.12,
    }


def entry(r: random.Random, puuid: str, platform: str, queue: str, tier: str, rank: str) -> dict[str, object]:
    lp = r.randint(0, 1500) if tier in APEX else r.randint(0, 99)
    return {
        "leagueId": league_id(platform, queue, tier, r.randint(0, 30)),
        "queueType": queue,
        "tier": tier,
        "rank": rank,
        "puuid": puuid,
        "leaguePoints": lp,
        **_record(r),
    }


def entries_for(puuid: str, platform: str, queues: tuple[str, ...]) -> list[dict[str, object]]:
    """0..len(queues) entries: a deterministic subset of the queues the player is ranked in."""
    r = rng("league", puuid)
    out: list[dict[str, object]] = []
    for queue in queues:
        if r.random() < 0.55:
            tier = r.choices(TIERS, TIER_WEIGHTS)[0]
            out.append(entry(r, puuid, platform, queue, tier, "I" if tier in APEX else r.choice(DIVISIONS)))
    return out


def lol_by_puuid(req: Request) -> object:
    check_not_found(req.path)
    return entries_for(req.path["encryptedPUUID"], platform_of(req.server), LOL_QUEUES)


def tft_by_puuid(req: Request) -> object:
    check_not_found(req.path)
    puuid = req.path["puuid"]
    out = entries_for(puuid, platform_of(req.server), TFT_QUEUES)
    for e in out:
        if e["queueType"] == "RANKED_TFT_TURBO":  # Hyper Roll is rated, not tiered
            r = rng("turbo", puuid)
            for k in ("leagueId", "tier", "rank", "leaguePoints", "veteran", "inactive", "freshBlood", "hotStreak"):
                e.pop(k)
            e["ratedTier"] = r.choice(RATED_TIERS)
            e["ratedRating"] = r.randint(0, 5000)
    return out


def _entries_page(req: Request, queue: str, tier: str, division: str) -> list[dict[str, object]]:
    page = q_int(req.query, "page", 1, 1, 10_000)
    if page > LAST_PAGE:
        return []
    platform = platform_of(req.server)
    tier = tier.upper()
    limit = APEX_SIZE[tier] if tier in APEX else LAST_PAGE * PAGE_SIZE
    first = (page - 1) * PAGE_SIZE
    out = []
    for i in range(first, min(first + PAGE_SIZE, limit)):
        puuid, _, _ = player(("ladder", platform, queue, tier, division, i), req.key_id)
        r = rng("entry", platform, queue, tier, division, i)
        out.append(entry(r, puuid, platform, queue, tier, division.upper()))
    return out


def lol_entries(req: Request) -> object:
    check_not_found(req.path)
    p = req.path
    return _entries_page(req, p["queue"], p["tier"], p["division"])


def tft_entries(req: Request) -> object:
    check_not_found(req.path)
    queue = q_str(req.query, "queue", "RANKED_TFT") or "RANKED_TFT"
    return _entries_page(req, queue, req.path["tier"], req.path["division"])


def league_list(platform: str, queue: str, tier: str, key: str, lid: str | None = None) -> dict[str, object]:
    """An apex ladder (or any league by id): one list, sorted by LP as Riot sorts it."""
    lid = lid or league_id(platform, queue, tier, 0)
    apex = tier in APEX
    n = APEX_SIZE[tier] if apex else 200
    items = []
    for i in range(n):
        puuid, _, _ = player(("league", lid, i), key)
        r = rng("item", lid, i)
        base = {"CHALLENGER": 1000, "GRANDMASTER": 600, "MASTER": 0}.get(tier, 0)
        items.append(
            {
                "puuid": puuid,
                "leaguePoints": base + r.randint(0, 700) if apex else r.randint(0, 99),
                "rank": "I" if apex else r.choice(DIVISIONS),
                **_record(r),
            }
        )
    items.sort(key=lambda e: -as_int(e["leaguePoints"]))
    names = ("Sion's Gladiators", "Zed's Shadows", "Jinx's Rockets", "Lux's Duelists", "Ahri's Hunters")
    return {
        "tier": tier,
        "leagueId": lid,
        "queue": queue,
        "name": names[seed_int(lid) % len(names)],
        "entries": items,
    }


def _apex(tier: str, tft: bool) -> Handler:
    def fn(req: Request) -> object:
        check_not_found(req.path)
        default = "RANKED_TFT" if tft else "RANKED_SOLO_5x5"
        queue = req.path.get("queue") or q_str(req.query, "queue", default) or default
        return league_list(platform_of(req.server), queue, tier, req.key_id)

    return Handler(fn, cache=64)


def by_league_id(req: Request) -> object:
    check_not_found(req.path)
    lid = req.path["leagueId"]
    tier = TIERS[seed_int("tier", lid) % 7]  # non-apex: apex ladders have their own endpoints
    queue = "RANKED_TFT" if req.operation.startswith("tft") else "RANKED_SOLO_5x5"
    return league_list(platform_of(req.server), queue, tier, req.key_id, lid)


def top_rated_ladder(req: Request) -> object:
    check_not_found(req.path)
    platform = platform_of(req.server)
    out = []
    for i in range(50):
        puuid, _, _ = player(("rated", platform, req.path["queue"], i), req.key_id)
        r = rng("rated", platform, i)
        out.append(
            {
                "puuid": puuid,
                "ratedTier": "ORANGE",
                "ratedRating": 9000 - i * 37 - r.randint(0, 30),
                "wins": r.randint(50, 900),
                "previousUpdateLadderPosition": max(1, i + 1 + r.randint(-5, 5)),
            }
        )
    return out


HANDLERS: dict[str, Handler] = {
    "league-v4.getLeagueEntriesByPUUID": Handler(lol_by_puuid, cache=4096),
    "league-v4.getLeagueEntries": Handler(lol_entries, cache=128),
    "league-exp-v4.getLeagueEntries": Handler(lol_entries, cache=128),
    "league-v4.getChallengerLeague": _apex("CHALLENGER", tft=False),
    "league-v4.getGrandmasterLeague": _apex("GRANDMASTER", tft=False),
    "league-v4.getMasterLeague": _apex("MASTER", tft=False),
    "league-v4.getLeagueById": Handler(by_league_id, cache=128),
    "tft-league-v1.getLeagueEntriesByPUUID": Handler(tft_by_puuid, cache=4096),
    "tft-league-v1.getLeagueEntries": Handler(tft_entries, cache=128),
    "tft-league-v1.getChallengerLeague": _apex("CHALLENGER", tft=True),
    "tft-league-v1.getGrandmasterLeague": _apex("GRANDMASTER", tft=True),
    "tft-league-v1.getMasterLeague": _apex("MASTER", tft=True),
    "tft-league-v1.getLeagueById": Handler(by_league_id, cache=128),
    "tft-league-v1.getTopRatedLadder": Handler(top_rated_ladder, cache=64),
}
