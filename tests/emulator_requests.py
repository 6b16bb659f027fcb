"""A request Riot would accept for every operation, for tests that run the emulator strict.

Unlike the made-up ids of tests/test_emulator_http.py ("p-1"), these pass ``rules.check_request``:
real-length PUUIDs (minted the way the emulator mints them), match ids of the region asked, enum
values, and an RSO Bearer token for the operations that need one.
"""

from __future__ import annotations

from pyot_django.riot import ENDPOINTS, Endpoint, build_path, encode_query
from pyot_django.testing.data import DataNotFound, generate
from pyot_django.testing.data._core import key_id
from pyot_django.testing.data.ids import mint_puuid
from pyot_django.testing.rules import RSO_OPERATIONS, SERVED_ON

__all__ = ["API_KEY", "STRICT_REQUESTS", "headers_for", "puuid_of", "strict_request", "strict_values"]

API_KEY = "RGAPI-fidelity-00000000-0000-0000-0000-000000000000"
SERVER_FOR_ROUTE = {"platform": "na1", "regional": "americas", "val-platform": "na"}
_SAMPLES = {
    "gameName": "Hide on bush",
    "tagLine": "KR1",
    "championId": "157",
    "teamId": "team-1",
    "tournamentId": "1",
    "leagueId": "league-1",
    "challengeId": "101000",
    "level": "MASTER",
    "matchId": "NA1_5245486208",
    "tournamentCode": "NA-CODE",
    "actId": "act-1",
}
_OVERRIDES = {
    ("tft-league-v1.getTopRatedLadder", "queue"): "RANKED_TFT_TURBO",
    ("val-match-v1.getRecent", "queue"): "competitive",
    ("val-console-match-v1.getRecent", "queue"): "console_competitive",
    ("lor-match-v1.getMatch", "matchId"): "0b9c1e3e-0000-4000-8000-000000000001",
    ("val-match-v1.getMatch", "matchId"): "0b9c1e3e-0000-4000-8000-000000000002",
    ("val-console-match-v1.getMatch", "matchId"): "0b9c1e3e-0000-4000-8000-000000000003",
    ("account-v1.getActiveShard", "game"): "val",
    ("account-v1.getActiveRegion", "game"): "lol",
    ("tft-match-v1.getMatch", "matchId"): "EUW1_7288129746",
}
_QUERY_SAMPLES = {"tournamentId": 1, "platformType": "playstation"}
_PATH_ENUM_SAMPLES = {"queue": "RANKED_SOLO_5x5", "tier": "DIAMOND", "division": "I"}


def puuid_of(game_name: str, tag_line: str = "NA1", api_key: str = API_KEY) -> str:
    """The PUUID account-v1 answers for this Riot id under this key."""
    return mint_puuid(game_name, tag_line, key_id(api_key))


def _in_game(operation: str, server: str) -> str:
    for n in range(300):
        candidate = puuid_of(f"spectated{n}")
        try:
            generate(operation, server, {"encryptedPUUID": candidate}, {}, None, API_KEY)
        except DataNotFound:
            continue
        return candidate
    raise AssertionError(f"no PUUID in game for {operation}")


def headers_for(endpoint: Endpoint) -> dict[str, str]:
    headers = {"X-Riot-Token": API_KEY}
    if endpoint.operation_id in RSO_OPERATIONS:
        headers["Authorization"] = "Bearer rso-access-token-of-the-player"
    return headers


def strict_request(endpoint: Endpoint) -> tuple[str, str, list[tuple[str, str]], object]:
    """(server, path, query, body) of a request Riot would answer with a 200."""
    server, params, query, body = strict_values(endpoint)
    return server, build_path(endpoint, params), encode_query(query), body


def strict_values(endpoint: Endpoint) -> tuple[str, dict[str, str], dict[str, object], object]:
    """(server, path parameters, required query parameters, body) Riot would answer with a 200."""
    server = SERVER_FOR_ROUTE[endpoint.route]
    if server not in SERVED_ON[endpoint.operation_id]:
        server = sorted(SERVED_ON[endpoint.operation_id])[0]
    if endpoint.operation_id.startswith("tft-match-v1."):
        server = "europe"
    params: dict[str, str] = {}
    for name in endpoint.path_params:
        value = _OVERRIDES.get((endpoint.operation_id, name))
        if value is None and name in ("puuid", "encryptedPUUID"):
            value = puuid_of("Hide on bush", "KR1")
        if value is None:
            value = _PATH_ENUM_SAMPLES.get(name) or _SAMPLES[name]
        params[name] = value
    if endpoint.family.startswith("spectator"):
        params["encryptedPUUID"] = _in_game(endpoint.operation_id, server)
    query = {name: _QUERY_SAMPLES[name] for name, spec in endpoint.query_params.items() if spec.required}
    body = {} if endpoint.has_body else None
    return server, params, query, body


STRICT_REQUESTS = {op: strict_request(ep) for op, ep in ENDPOINTS.items()}
