"""Legends of Runeterra: decks, inventory, matches, the ranked leaderboard."""

from __future__ import annotations

from ._core import ANCHOR_MS, Handler, Request, b64id, check_not_found, iso_utc, rng, uuid_from
from .ids import me_puuid, player, region_of

FACTIONS = (
    "faction_Demacia_Name",
    "faction_Freljord_Name",
    "faction_Ionia_Name",
    "faction_Noxus_Name",
    "faction_Piltover_Name",
    "faction_ShadowIsles_Name",
    "faction_Bilgewater_Name",
    "faction_Targon_Name",
    "faction_Shurima_Name",
    "faction_BandleCity_Name",
    "faction_Jhin_Name",
)
SETS = ("01", "02", "03", "04", "05", "06")
REGION_CODES = ("DE", "FR", "IO", "NX", "PZ", "SI", "BW", "MT", "SH", "BC")


def deck_code(*seed: object) -> str:
    """Looks like a deck code (base32, ~40-60 chars); not decodable, nobody here decodes it."""
    r = rng("deckcode", *seed)
    return "CE" + "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(r.randint(40, 60)))


def decks(req: Request) -> object:
    puuid = me_puuid(req.key_id)
    r = rng("decks", puuid)
    return [
        {"id": uuid_from("deck", puuid, i), "name": f"Deck {i + 1}", "code": deck_code(puuid, i)}
        for i in range(r.randint(1, 8))
    ]


def create_deck(req: Request) -> object:
    body = req.body if isinstance(req.body, dict) else {}
    return uuid_from("newdeck", me_puuid(req.key_id), body.get("name", ""), body.get("code", ""))


def cards(req: Request) -> object:
    r = rng("cards", me_puuid(req.key_id))
    picked = sorted({f"{r.choice(SETS)}{r.choice(REGION_CODES)}{r.randint(1, 60):03d}" for _ in range(120)})
    return [{"code": code, "count": str(r.randint(1, 3))} for code in picked]


def match_ids(req: Request) -> object:
    check_not_found(req.path)
    puuid = req.path["puuid"]
    r = rng("lor-ids", puuid)
    return [uuid_from("lor-match", puuid, i) for i in range(r.randint(0, 20))]


def get_match(req: Request) -> object:
    check_not_found(req.path)
    match_id = req.path["matchId"]
    r = rng("lor-match", match_id)
    puuids = [player(("lor", match_id, i), req.key_id)[0] for i in range(2)]
    winner = r.randrange(2)
    return {
        "metadata": {"data_version": "2", "match_id": match_id, "participants": puuids},
        "info": {
            "game_mode": "Constructed",
            "game_type": r.choice(("Ranked", "Normal")),
            "game_start_time_utc": iso_utc(ANCHOR_MS - r.randrange(90 * 86_400_000)),
            "game_version": "live-green-5-10-21",
            "game_format": r.choice(("standard", "eternal")),
            "players": [
                {
                    "puuid": pu,
                    "deck_id": uuid_from("deck", pu, 0),
                    "deck_code": deck_code(pu, 0),
                    "factions": r.sample(FACTIONS, 2),
                    "game_outcome": "win" if i == winner else "loss",
                    "order_of_play": i,
                }
                for i, pu in enumerate(puuids)
            ],
            "total_turn_count": r.randint(8, 40),
        },
    }


def leaderboards(req: Request) -> object:
    region = region_of(req.server)
    r = rng("lor-ladder", region)
    players = []
    lp = 1500
    for i in range(200):
        lp -= r.randint(0, 6)
        players.append({"name": f"Player{b64id(6, region, i)}", "rank": i, "lp": max(lp, 0)})
    return {"players": players}


HANDLERS: dict[str, Handler] = {
    "lor-deck-v1.getDecks": Handler(decks),
    "lor-deck-v1.createDeck": Handler(create_deck),
    "lor-inventory-v1.getCards": Handler(cards),
    "lor-match-v1.getMatchIdsByPUUID": Handler(match_ids, cache=1024),
    "lor-match-v1.getMatch": Handler(get_match, cache=1024),
    "lor-ranked-v1.getLeaderboards": Handler(leaderboards, cache=16),
}
