"""tournament-v5 and tournament-stub-v5: providers, tournaments, codes, games, lobby events.

POSTs answer what Riot answers (an id, a list of codes); the PUT answers ``None`` (empty 200).
"""

from __future__ import annotations

from ._core import ANCHOR_MS, Handler, Request, check_not_found, q_int, q_str, rng, seed_int
from .ids import player


def _body(req: Request) -> dict[str, object]:
    return req.body if isinstance(req.body, dict) else {}


def register_provider(req: Request) -> object:
    body = _body(req)
    return 1 + seed_int("provider", req.key_id, body.get("region"), body.get("url")) % 100_000


def register_tournament(req: Request) -> object:
    body = _body(req)
    return 1 + seed_int("tournament", req.key_id, body.get("providerId"), body.get("name")) % 10_000_000


def tournament_code(tournament_id: object, i: int) -> str:
    """``NA04a7b-…``-looking codes: region-ish prefix, then hex."""
    h = f"{seed_int('code', tournament_id, i):032x}"
    return f"NA{h[:4]}-{h[4:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def create_codes(req: Request) -> object:
    count = q_int(req.query, "count", 1, 1, 1000)
    tournament_id = q_str(req.query, "tournamentId", "0")
    return [tournament_code(tournament_id, i) for i in range(count)]


def get_code(req: Request) -> object:
    check_not_found(req.path)
    code = req.path["tournamentCode"]
    r = rng("tcode", code)
    participants = [player(("tcode", code, i), req.key_id)[0] for i in range(10)]
    out: dict[str, object] = {
        "code": code,
        "id": r.randint(1, 10_000_000),
        "providerId": r.randint(1, 100_000),
        "tournamentId": r.randint(1, 10_000_000),
        "region": "NA",
        "map": "SUMMONERS_RIFT",
        "teamSize": 5,
        "pickType": r.choice(("TOURNAMENT_DRAFT", "DRAFT_MODE", "BLIND_PICK")),
        "lobbyName": f"lobby-{r.randint(1000, 9999)}",
        "password": f"{r.getrandbits(48):012x}",
        "metaData": "",
        "participants": participants,
    }
    if not req.operation.startswith("tournament-stub"):
        out["spectators"] = "LOBBYONLY"
    return out


def update_code(req: Request) -> object:
    check_not_found(req.path)
    return None


def games(req: Request) -> object:
    check_not_found(req.path)
    code = req.path["tournamentCode"]
    r = rng("tgames", code)
    puuids = [player(("tcode", code, i), req.key_id)[0] for i in range(10)]
    return [
        {
            "gameId": 5_000_000_000 + r.randrange(400_000_000),
            "gameMap": 11,
            "gameMode": "CLASSIC",
            "gameName": f"tournament-{code}",
            "gameType": "CUSTOM_GAME",
            "region": "NA1",
            "shortCode": code,
            "startTime": ANCHOR_MS - r.randrange(30 * 86_400_000),
            "metaData": "",
            "winningTeam": [{"puuid": p} for p in puuids[:5]],
            "losingTeam": [{"puuid": p} for p in puuids[5:]],
        }
    ]


def lobby_events(req: Request) -> object:
    check_not_found(req.path)
    code = req.path["tournamentCode"]
    r = rng("lobby", code)
    t = ANCHOR_MS - r.randrange(86_400_000)
    events = []
    for i in range(r.randint(2, 10)):
        t += r.randint(1000, 60_000)
        events.append(
            {
                "timestamp": str(t),
                "eventType": "PlayerJoinedGameEvent",
                "puuid": player(("tcode", code, i), req.key_id)[0],
            }
        )
    return {"eventList": events}


HANDLERS: dict[str, Handler] = {}
for _family in ("tournament-v5", "tournament-stub-v5"):
    HANDLERS.update(
        {
            f"{_family}.registerProviderData": Handler(register_provider, cache=0),
            f"{_family}.registerTournament": Handler(register_tournament, cache=0),
            f"{_family}.createTournamentCode": Handler(create_codes, cache=0),
            f"{_family}.getTournamentCode": Handler(get_code),
            f"{_family}.getLobbyEventsByCode": Handler(lobby_events),
        }
    )
HANDLERS["tournament-v5.updateCode"] = Handler(update_code, cache=0)
HANDLERS["tournament-v5.getGames"] = Handler(games)
