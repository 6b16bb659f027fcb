"""spectator-v5 and spectator-tft-v5: a deterministic ~30% of PUUIDs are in a game right now."""

from __future__ import annotations

from ._core import ANCHOR_MS, DataNotFound, Handler, Request, b64id, check_not_found, rng, seed_int
from .ids import platform_of, player, riot_id_of
from .lol_static import CHAMPION_IDS, RUNE_TREES, SPELL_BY_POSITION
from .summoner import summoner

IN_GAME_PERCENT = 30
NOT_IN_GAME = "Data not found - spectator game info isn't found"


def in_game(puuid: str) -> bool:
    return seed_int("spectating", puuid) % 100 < IN_GAME_PERCENT


def _game(req: Request, tft: bool) -> dict[str, object]:
    check_not_found(req.path)
    puuid = req.path["encryptedPUUID"]
    if not in_game(puuid):
        raise DataNotFound(NOT_IN_GAME)
    platform = platform_of(req.server)
    # The game is seeded by the player (keyless parts only) so it stays put between polls.
    r = rng("spectate", puuid, tft)
    game_id = 5_300_000_000 + r.randrange(100_000_000)
    count = 8 if tft else 10
    me_slot = r.randrange(count)
    participants = []
    champions = r.sample(CHAMPION_IDS, count)
    for i in range(count):
        if i == me_slot:
            pu = puuid
            name, tag = riot_id_of(puuid, req.key_id)
        else:
            pu, name, tag = player(("spectate", game_id, i), req.key_id)
        entry: dict[str, object] = {
            "puuid": pu,
            "teamId": 100 if tft or i < 5 else 200,
            "riotId": f"{name}#{tag}",
            "profileIconId": summoner(pu)["profileIconId"],
            "championId": -1 if tft else champions[i],
            "spell1Id": 0 if tft else 4,
            "spell2Id": 0 if tft else SPELL_BY_POSITION[("TOP", "JUNGLE", "MIDDLE", "BOTTOM", "UTILITY")[i % 5]][1],
            "gameCustomizationObjects": [],
        }
        if not tft:
            style, sub = r.sample(sorted(RUNE_TREES), 2)
            entry["bot"] = False
            entry["perks"] = {
                "perkIds": [r.choice(row) for row in RUNE_TREES[style]]
                + [r.choice(row) for row in RUNE_TREES[sub][1:3]]
                + [5008, 5008, 5001],
                "perkStyle": style,
                "perkSubStyle": sub,
            }
        participants.append(entry)
    length = r.randint(60, 1800)
    return {
        "gameId": game_id,
        "mapId": 22 if tft else 11,
        "gameMode": "TFT" if tft else "CLASSIC",
        "gameType": "MATCHED",
        "gameQueueConfigId": 1100 if tft else 420,
        "participants": participants,
        "observers": {"encryptionKey": b64id(32, "observer", game_id)},
        "platformId": platform,
        "bannedChampions": []
        if tft
        else [
            {"championId": c, "teamId": 100 if t < 5 else 200, "pickTurn": t + 1}
            for t, c in enumerate(r.sample(CHAMPION_IDS, 10))
        ],
        "gameStartTime": ANCHOR_MS - length * 1000,
        "gameLength": length,
    }


def lol_game(req: Request) -> object:
    return _game(req, tft=False)


def tft_game(req: Request) -> object:
    return _game(req, tft=True)


HANDLERS: dict[str, Handler] = {
    "spectator-v5.getCurrentGameInfoByPuuid": Handler(lol_game, cache=2048),
    "spectator-tft-v5.getCurrentGameInfoByPuuid": Handler(tft_game, cache=2048),
}
