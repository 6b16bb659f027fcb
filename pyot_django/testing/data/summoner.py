"""summoner-v4 and tft-summoner-v1: a summoner is a pure function of its PUUID."""

from __future__ import annotations

from ._core import ANCHOR_MS, Handler, Request, check_not_found, rng
from .ids import me_puuid


def summoner(puuid: str) -> dict[str, object]:
    r = rng("summoner", puuid)
    # Levels are long-tailed: most accounts sit between 30 and 400.
    level = min(2500, int(r.lognormvariate(5.0, 0.7)) + 30)
    icon = r.choice((r.randint(0, 28), r.randint(500, 6900)))
    return {
        "puuid": puuid,
        "profileIconId": icon,
        "revisionDate": ANCHOR_MS - r.randint(0, 30 * 86_400_000),
        "summonerLevel": level,
    }


def by_puuid(req: Request) -> object:
    check_not_found(req.path)
    return summoner(req.path["encryptedPUUID"])


def by_access_token(req: Request) -> object:
    return summoner(me_puuid(req.key_id))


HANDLERS: dict[str, Handler] = {
    "summoner-v4.getByPUUID": Handler(by_puuid, cache=4096),
    "summoner-v4.getByAccessToken": Handler(by_access_token),
    "tft-summoner-v1.getByPUUID": Handler(by_puuid, cache=4096),
    "tft-summoner-v1.getByAccessToken": Handler(by_access_token),
}
