"""The Riot emulator over real HTTP on loopback: operations, routing, auth, headers, control."""

from __future__ import annotations

import httpx
import pytest

from pyot_django.riot import ENDPOINTS, Endpoint, build_path, encode_query
from pyot_django.riot.served_on import RSO_OPERATIONS
from pyot_django.testing import RunningEmulator
from tests.helpers import puuid

KEY = {"X-Riot-Token": "RGAPI-test"}
SERVER_FOR_ROUTE = {"platform": "na1", "regional": "americas", "val-platform": "na"}
# Simple, plausible values for every path parameter name of the catalogue.
PUUID_P1 = puuid("p-1")  # Riot's 78-char shape: the emulator is strict by default
SAMPLES = {
    "puuid": PUUID_P1,
    "encryptedPUUID": PUUID_P1,
    "gameName": "Hide on bush",
    "tagLine": "KR1",
    "game": "val",
    "championId": "157",
    "teamId": "team-1",
    "tournamentId": "1",
    "queue": "RANKED_SOLO_5x5",
    "tier": "DIAMOND",
    "division": "I",
    "leagueId": "league-1",
    "challengeId": "101000",
    "level": "MASTER",
    "matchId": "NA1_123",
    "tournamentCode": "NA-CODE",
    "actId": "act-1",
}
QUERY_SAMPLES = {"tournamentId": 1, "platformType": "playstation"}
OVERRIDES = {
    ("tft-league-v1.getTopRatedLadder", "queue"): "RANKED_TFT_TURBO",
    ("tft-league-v1.getLeagueEntries", "tier"): "DIAMOND",
    ("tft-match-v1.getMatch", "matchId"): "NA1_123",
    ("val-match-v1.getRecent", "queue"): "competitive",
    ("val-console-match-v1.getRecent", "queue"): "console_competitive",
    ("lor-match-v1.getMatch", "matchId"): "0b9c1e3e-0000-4000-8000-000000000001",
    ("account-v1.getActiveShard", "game"): "val",
    ("account-v1.getActiveRegion", "game"): "lol",
}


def in_game_puuid(operation: str, server: str) -> str:
    # The data module puts a deterministic share of PUUIDs in a live game; find one.
    from pyot_django.testing.data import DataNotFound, generate

    for n in range(200):
        try:
            generate(operation, server, {"encryptedPUUID": puuid(f"p-{n}")}, {}, None, KEY["X-Riot-Token"])
        except DataNotFound:
            continue
        return puuid(f"p-{n}")
    raise AssertionError(f"no PUUID in game for {operation}")


def request_for(endpoint: Endpoint) -> tuple[str, str, list[tuple[str, str]], object]:
    server = SERVER_FOR_ROUTE[endpoint.route]
    params = {name: OVERRIDES.get((endpoint.operation_id, name), SAMPLES[name]) for name in endpoint.path_params}
    if endpoint.family.startswith("spectator"):
        params["encryptedPUUID"] = in_game_puuid(endpoint.operation_id, server)
    query = {name: QUERY_SAMPLES[name] for name, spec in endpoint.query_params.items() if spec.required}
    body = {} if endpoint.has_body else None
    return server, build_path(endpoint, params), encode_query(query), body


def error_of(response: httpx.Response) -> dict[str, object]:
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    body = response.json()
    assert set(body) == {"status"} and set(body["status"]) == {"message", "status_code"}
    assert body["status"]["status_code"] == response.status_code
    return body["status"]


def assert_rate_headers(response: httpx.Response) -> None:
    for name in ("x-app-rate-limit", "x-app-rate-limit-count", "x-method-rate-limit", "x-method-rate-limit-count"):
        assert name in response.headers, name


def test_urls(emu: RunningEmulator) -> None:
    assert emu.url == f"http://127.0.0.1:{emu.port}"
    assert emu.base_url == f"http://127.0.0.1:{emu.port}/{{server}}"
    assert emu.base_url.format(server="na1") == f"{emu.url}/na1"


@pytest.mark.parametrize("operation", sorted(ENDPOINTS))
def test_every_operation_answers(emu: RunningEmulator, http: httpx.Client, operation: str) -> None:
    endpoint = ENDPOINTS[operation]
    server, path, query, body = request_for(endpoint)
    # RSO operations also need the player's token (the emulator is strict like Riot by default).
    headers = {**KEY, "Authorization": "Bearer rso-test-token"} if operation in RSO_OPERATIONS else KEY
    response = http.request(endpoint.http_method, f"/{server}{path}", params=query, json=body, headers=headers)
    assert response.status_code == 200, (operation, response.text[:300])
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    if endpoint.http_method == "PUT":
        assert response.content == b""  # Riot answers updateCode with an empty 200
    else:
        response.json()
    assert_rate_headers(response)
    assert emu.emulator.stats()["by_status"] == {operation: {"200": 1}}


def test_awkward_riot_ids_arrive_decoded(emu: RunningEmulator, http: httpx.Client) -> None:
    endpoint = ENDPOINTS["account-v1.getByRiotId"]
    path = build_path(endpoint, {"gameName": "a/b 명예", "tagLine": "x y"})
    response = http.get(f"/americas{path}", headers=KEY)
    assert response.status_code == 200
    assert response.json()["gameName"] == "a/b 명예"
    assert response.json()["tagLine"] == "x y"


@pytest.mark.parametrize(
    ("server", "path"),
    [
        ("americas", f"/lol/summoner/v4/summoners/by-puuid/{PUUID_P1}"),
        ("na1", "/lol/match/v5/matches/NA1_1"),
        ("na1", "/val/content/v1/contents"),
        ("xx", f"/lol/summoner/v4/summoners/by-puuid/{PUUID_P1}"),
    ],
)
def test_routing_mismatch_is_400(emu: RunningEmulator, http: httpx.Client, server: str, path: str) -> None:
    response = http.get(f"/{server}{path}", headers=KEY)
    assert response.status_code == 400
    assert "Bad request" in error_of(response)["message"]  # type: ignore[operator]
    assert_rate_headers(response)
    assert emu.emulator.stats()["rate_limited"]["application"] == 0


def test_unknown_path_and_method(emu: RunningEmulator, http: httpx.Client) -> None:
    response = http.get("/na1/lol/summoner/v4/summoners/by-name/Faker", headers=KEY)
    assert response.status_code == 404
    error_of(response)
    assert_rate_headers(response)
    response = http.delete(f"/na1/lol/summoner/v4/summoners/by-puuid/{PUUID_P1}", headers=KEY)
    assert response.status_code == 405
    error_of(response)


def test_missing_key_is_401_and_wrong_key_403(emu: RunningEmulator, http: httpx.Client) -> None:
    path = f"/na1/lol/summoner/v4/summoners/by-puuid/{PUUID_P1}"
    response = http.get(path)
    assert response.status_code == 401
    error_of(response)
    assert_rate_headers(response)
    assert http.get(path, headers={"X-Riot-Token": ""}).status_code == 401
    assert http.get(path, headers={"X-Riot-Token": "anything"}).status_code == 200  # api_keys=None

    emu.emulator.configure(api_keys=["good"])
    response = http.get(path, headers={"X-Riot-Token": "bad"})
    assert response.status_code == 403
    error_of(response)
    assert_rate_headers(response)
    assert http.get(path, headers={"X-Riot-Token": "good"}).status_code == 200
    # Refused requests do not count against the limits.
    assert response.headers["x-app-rate-limit-count"] == "0:1,0:120"


def test_query_and_body_checks(emu: RunningEmulator, http: httpx.Client) -> None:
    code = "/americas/lol/tournament/v5/codes"
    assert http.post(code, json={}, headers=KEY).status_code == 400  # tournamentId is required
    assert http.post(code, params={"tournamentId": "x"}, json={}, headers=KEY).status_code == 400
    as_json = KEY | {"Content-Type": "application/json"}
    assert http.post(code, params={"tournamentId": 1}, content=b"{", headers=as_json).status_code == 400
    as_text = KEY | {"Content-Type": "text/plain"}
    assert http.post(code, params={"tournamentId": 1}, content=b"{}", headers=as_text).status_code == 415
    ok = http.post(code, params={"tournamentId": 1, "count": 2}, json={"mapType": "SUMMONERS_RIFT"}, headers=KEY)
    assert ok.status_code == 200
    # Repeated keys and unknown parameters are accepted, as at Riot.
    ids = f"/americas/lol/match/v5/matches/by-puuid/{PUUID_P1}/ids"
    assert http.get(ids, params=[("count", "5"), ("foo", "1"), ("foo", "2")], headers=KEY).status_code == 200


@pytest.mark.parametrize("value", ["404", "404-anything", "notfound", "NotFound"])
def test_404_on_request(emu: RunningEmulator, http: httpx.Client, value: str) -> None:
    response = http.get(f"/na1/lol/summoner/v4/summoners/by-puuid/{value}", headers=KEY)
    assert response.status_code == 404
    error_of(response)
    assert_rate_headers(response)
    # 404s count against the limits (summoner-v4's method limit is per minute, as at Riot).
    assert response.headers["x-app-rate-limit-count"] == "1:1,1:120"
    assert response.headers["x-method-rate-limit-count"] == "1:60"


def test_stats(emu: RunningEmulator, http: httpx.Client) -> None:
    assert http.get("/_emulator/stats").json()["total"] == 0
    summoner = f"/na1/lol/summoner/v4/summoners/by-puuid/{PUUID_P1}"
    http.get(summoner, headers=KEY)
    http.get(summoner, headers=KEY)
    http.get("/na1/lol/summoner/v4/summoners/by-puuid/notfound", headers=KEY)
    http.get(summoner)
    stats = http.get("/_emulator/stats").json()
    assert stats == emu.emulator.stats()
    assert stats["total"] == 4
    assert stats["by_operation"] == {"summoner-v4.getByPUUID": 4}
    assert stats["by_status"] == {"summoner-v4.getByPUUID": {"200": 2, "404": 1, "401": 1}}
    assert stats["statuses"] == {"200": 2, "404": 1, "401": 1}
    assert stats["rate_limited"] == {"application": 0, "method": 0, "service": 0}
    assert stats["first_request_at"] <= stats["last_success_at"]
    assert [entry["status"] for entry in stats["log"]] == [200, 200, 404, 401]
    assert {entry["server"] for entry in stats["log"]} == {"na1"}
    assert stats["log"][0]["operation"] == "summoner-v4.getByPUUID"


def test_reset_and_config_endpoints(emu: RunningEmulator, http: httpx.Client) -> None:
    summoner = f"/na1/lol/summoner/v4/summoners/by-puuid/{PUUID_P1}"
    http.get(summoner, headers=KEY)
    config = http.post("/_emulator/config", json={"app_limits": "1:60", "latency": 0.0}).json()
    assert config["app_limits"] == "1:60"
    assert emu.emulator.config.app_limits == ((1, 60),)
    assert http.get("/_emulator/config").json()["app_limits"] == "1:60"
    assert http.get(summoner, headers=KEY).status_code == 200  # limits changed: windows dropped
    assert http.get(summoner, headers=KEY).status_code == 429
    assert http.post("/_emulator/config", json={"no_such_option": 1}).status_code == 400

    assert http.post("/_emulator/reset").json() == {"reset": True}
    assert http.get("/_emulator/stats").json()["total"] == 0
    assert emu.emulator.config.app_limits == ((1, 60),)  # a plain reset keeps the config
    assert http.get(summoner, headers=KEY).status_code == 200  # windows reset
    http.post("/_emulator/reset", json={"config": True})
    assert emu.emulator.config.app_limits == ((20, 1), (100, 120))


def test_script_endpoint(emu: RunningEmulator, http: httpx.Client) -> None:
    response = http.post("/_emulator/script", json={"operation": "*", "responses": [503, {"status": 200}]})
    assert response.json() == {"scripts_pending": {"*": 2}}
    summoner = f"/na1/lol/summoner/v4/summoners/by-puuid/{PUUID_P1}"
    assert [http.get(summoner, headers=KEY).status_code for _ in range(3)] == [503, 200, 200]
    assert http.post("/_emulator/script", json={"responses": [{"fault": "nope"}]}).status_code == 400
    assert http.get("/_emulator/nothing").status_code == 404
