"""account-v1: Riot ids <-> PUUIDs, active shards and regions."""

from __future__ import annotations

from ._core import DataNotFound, Handler, Request, check_not_found, seed_int
from .ids import ACCOUNTS, VAL_SHARDS, me_puuid, mint_puuid, riot_id_of


def by_riot_id(req: Request) -> object:
    game_name, tag_line = req.path["gameName"], req.path["tagLine"]
    check_not_found(req.path)  # a gameName starting with 404 is covered here too
    puuid = mint_puuid(game_name, tag_line, req.key_id)
    if ACCOUNTS.get((req.key_id, puuid)) is None:
        ACCOUNTS.remember((req.key_id, puuid), (game_name, tag_line))
    name, tag = riot_id_of(puuid, req.key_id)
    return {"puuid": puuid, "gameName": name, "tagLine": tag}


def _registered(req: Request) -> object:
    """Context for caching: a puuid's answer changes once a Riot id gets registered for it."""
    return ACCOUNTS.get((req.key_id, req.path.get("puuid", "")))


def by_puuid(req: Request) -> object:
    check_not_found(req.path)
    puuid = req.path["puuid"]
    name, tag = riot_id_of(puuid, req.key_id)
    return {"puuid": puuid, "gameName": name, "tagLine": tag}


def by_access_token(req: Request) -> object:
    puuid = me_puuid(req.key_id)
    name, tag = riot_id_of(puuid, req.key_id)
    return {"puuid": puuid, "gameName": name, "tagLine": tag}


def _shard(game: str, puuid: str) -> str:
    game = game.lower()
    if game == "val":
        return VAL_SHARDS[seed_int("shard", puuid) % len(VAL_SHARDS)]
    if game == "lor":
        return ("americas", "europe", "sea")[seed_int("shard", puuid) % 3]
    raise DataNotFound(f"Data not found - no active shard for game {game!r}")


def active_shard(req: Request) -> object:
    check_not_found(req.path)
    puuid, game = req.path["puuid"], req.path["game"]
    return {"puuid": puuid, "game": game, "activeShard": _shard(game, puuid)}


def active_region(req: Request) -> object:
    check_not_found(req.path)
    puuid, game = req.path["puuid"], req.path["game"]
    if game.lower() not in ("lol", "tft"):
        raise DataNotFound(f"Data not found - no active region for game {game!r}")
    platforms = ("na1", "euw1", "kr", "eun1", "br1", "jp1", "oc1", "la1", "la2", "tr1")
    return {"puuid": puuid, "game": game, "region": platforms[seed_int("region", puuid) % len(platforms)]}


HANDLERS: dict[str, Handler] = {
    # by-riot-id registers the account as a side effect: run it every time (it is cheap).
    "account-v1.getByRiotId": Handler(by_riot_id, cache=0),
    "account-v1.getByPuuid": Handler(by_puuid, cache=4096, context=_registered),
    "account-v1.getByAccessToken": Handler(by_access_token, cache=0),
    "account-v1.getActiveShard": Handler(active_shard),
    "account-v1.getActiveRegion": Handler(active_region),
}
