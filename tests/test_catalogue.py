"""The endpoint catalogue: coverage, routing kinds, game partition, parameter handling."""

from __future__ import annotations

import dataclasses

import pytest

from pyot_django.exceptions import NotFindable, ParameterError, RoutingError
from pyot_django.riot import (
    ENDPOINTS,
    PLATFORMS,
    REGIONS,
    VAL_PLATFORMS,
    build_path,
    check_query,
    check_server,
    encode_query,
    endpoints_for_game,
    get_endpoint,
)


def family_of(operation_id: str) -> str:
    return operation_id.partition(".")[0]


def test_every_reference_operation_is_there() -> None:
    assert len(ENDPOINTS) == 82
    families = {family_of(op) for op in ENDPOINTS}
    assert len(families) == 31
    for op, endpoint in ENDPOINTS.items():
        assert endpoint.operation_id == op
        assert endpoint.http_method in ("GET", "POST", "PUT")
        assert endpoint.path.startswith("/")
        assert endpoint.has_body == (endpoint.http_method != "GET")


def test_removed_endpoints_are_absent() -> None:
    assert not any(family_of(op) == "match-v4" for op in ENDPOINTS)
    assert "summoner-v4.getBySummonerName" not in ENDPOINTS
    assert not any("by-summoner-id" in e.path or "by-name" in e.path for e in ENDPOINTS.values())
    assert not any("{encryptedSummonerId}" in e.path for e in ENDPOINTS.values())


def test_well_known_operations() -> None:
    match = ENDPOINTS["match-v5.getMatch"]
    assert (match.http_method, match.path, match.route, match.game) == (
        "GET",
        "/lol/match/v5/matches/{matchId}",
        "regional",
        "lol",
    )
    riot_id = ENDPOINTS["account-v1.getByRiotId"]
    assert riot_id.path_params == ("gameName", "tagLine")  # path order, not the reference's order
    ids = ENDPOINTS["match-v5.getMatchIdsByPUUID"].query_params
    assert set(ids) == {"startTime", "endTime", "queue", "type", "start", "count"}
    assert ids["count"].type == "int" and not ids["count"].required
    assert ids["type"].type == "string"
    code = ENDPOINTS["tournament-v5.createTournamentCode"]
    assert code.http_method == "POST" and code.has_body and code.query_params["tournamentId"].required
    assert ENDPOINTS["tournament-v5.updateCode"].http_method == "PUT"


def test_endpoints_are_immutable_and_hashable() -> None:
    endpoint = ENDPOINTS["summoner-v4.getByPUUID"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        endpoint.path = "/x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        endpoint.query_params["x"] = None  # type: ignore[index]
    assert len({endpoint, ENDPOINTS["summoner-v4.getByPUUID"]}) == 1


@pytest.mark.parametrize(
    ("family", "route"),
    [
        ("account-v1", "regional"),
        ("champion-mastery-v4", "platform"),
        ("champion-v3", "platform"),
        ("clash-v1", "platform"),
        ("league-v4", "platform"),
        ("league-exp-v4", "platform"),
        ("lol-challenges-v1", "platform"),
        ("lol-rso-match-v1", "regional"),
        ("lol-status-v4", "platform"),
        ("lor-match-v1", "regional"),
        ("match-v5", "regional"),
        ("riftbound-content-v1", "regional"),
        ("spectator-v5", "platform"),
        ("spectator-tft-v5", "platform"),
        ("summoner-v4", "platform"),
        ("tft-league-v1", "platform"),
        ("tft-match-v1", "regional"),
        ("tournament-v5", "regional"),
        ("tournament-stub-v5", "regional"),
        ("val-match-v1", "val-platform"),
        ("val-console-ranked-v1", "val-platform"),
    ],
)
def test_routing_kind_per_family(family: str, route: str) -> None:
    members = [e for op, e in ENDPOINTS.items() if family_of(op) == family]
    assert members
    assert {e.route for e in members} == {route}


def test_game_partition() -> None:
    games = {e.game for e in ENDPOINTS.values()}
    assert games == {"riot", "lol", "tft", "lor", "val", "riftbound"}
    expected = {
        "riot": {"account-v1"},
        "tft": {
            "spectator-tft-v5",
            "tft-league-v1",
            "tft-match-v1",
            "tft-status-v1",
            "tft-summoner-v1",
        },
        "riftbound": {"riftbound-content-v1"},
    }
    for game, families in expected.items():
        assert {family_of(op) for op, e in ENDPOINTS.items() if e.game == game} == families
    assert all(family_of(op).startswith("lor-") for op, e in ENDPOINTS.items() if e.game == "lor")
    assert all(family_of(op).startswith("val-") for op, e in ENDPOINTS.items() if e.game == "val")
    lol = {family_of(op) for op, e in ENDPOINTS.items() if e.game == "lol"}
    assert lol == {
        "champion-mastery-v4",
        "champion-v3",
        "clash-v1",
        "league-exp-v4",
        "league-v4",
        "lol-challenges-v1",
        "lol-rso-match-v1",
        "lol-status-v4",
        "match-v5",
        "spectator-v5",
        "summoner-v4",
        "tournament-stub-v5",
        "tournament-v5",
    }


@pytest.mark.parametrize("game", ["lol", "tft", "lor", "val", "riftbound"])
def test_each_game_serves_its_own_and_account(game: str) -> None:
    served = endpoints_for_game(game)
    accounts = {op for op in ENDPOINTS if family_of(op) == "account-v1"}
    assert accounts <= set(served)
    assert {e.game for e in served.values()} == {game, "riot"}
    assert len(served) == len(accounts) + sum(e.game == game for e in ENDPOINTS.values())


def test_riot_game_serves_accounts_only() -> None:
    assert {family_of(op) for op in endpoints_for_game("riot")} == {"account-v1"}


def test_get_endpoint() -> None:
    assert get_endpoint("lol", "match-v5.getMatch") is ENDPOINTS["match-v5.getMatch"]
    assert get_endpoint("val", "account-v1.getByPuuid").game == "riot"


def test_get_endpoint_other_game_is_not_findable() -> None:
    with pytest.raises(NotFindable, match=r"match-v5\.getMatch is a lol operation.*'tft'"):
        get_endpoint("tft", "match-v5.getMatch")
    with pytest.raises(NotFindable):
        get_endpoint("riot", "summoner-v4.getByPUUID")


def test_get_endpoint_suggests_close_names() -> None:
    suggestion = r"'summoner-v4\.getByPuuid'.*'lol'.*did you mean 'summoner-v4\.getByPUUID'"
    with pytest.raises(NotFindable, match=suggestion):
        get_endpoint("lol", "summoner-v4.getByPuuid")
    with pytest.raises(NotFindable, match=r"did you mean 'match-v5.getMatch'"):
        get_endpoint("lol", "match-v5.getMach")
    with pytest.raises(NotFindable, match=r"unknown operation 'match-v4.getMatch'"):
        get_endpoint("lol", "match-v4.getMatch")


def test_unknown_game() -> None:
    with pytest.raises(NotFindable, match="unknown game 'wow'"):
        endpoints_for_game("wow")


def test_routing_values() -> None:
    assert PLATFORMS == (
        "br1",
        "eun1",
        "euw1",
        "jp1",
        "kr",
        "la1",
        "la2",
        "me1",
        "na1",
        "oc1",
        "ru",
        "sg2",
        "tr1",
        "tw2",
        "vn2",
    )
    assert REGIONS == ("americas", "asia", "europe", "sea")
    assert VAL_PLATFORMS == ("ap", "br", "eu", "kr", "latam", "na", "esports")


def test_check_server_accepts_its_kind() -> None:
    for platform in PLATFORMS:
        assert check_server(ENDPOINTS["summoner-v4.getByPUUID"], platform) == platform
    for region in REGIONS:
        assert check_server(ENDPOINTS["match-v5.getMatch"], region) == region
    for shard in VAL_PLATFORMS:
        assert check_server(ENDPOINTS["val-content-v1.getContent"], shard) == shard


@pytest.mark.parametrize(
    ("operation", "server"),
    [
        ("lol-status-v4.getPlatformData", "pbe1"),
        ("lol-challenges-v1.getAllChallengeConfigs", "pbe1"),
        ("tft-status-v1.getPlatformData", "pbe1"),
        ("lor-match-v1.getMatch", "apac"),
        ("tft-match-v1.getMatch", "esports"),
        ("tft-match-v1.getMatch", "esportseu"),
    ],
)
def test_check_server_accepts_what_riot_serves_beyond_the_kind(operation: str, server: str) -> None:
    """The emulator answers these (testing/rules.SERVED_ON); the client must let them through."""
    assert check_server(ENDPOINTS[operation], server) == server


@pytest.mark.parametrize(("server", "lower"), [("NA1", "na1"), ("Kr", "kr")])
def test_check_server_ignores_case_and_returns_lower_case(server: str, lower: str) -> None:
    """Host names ignore case; the lower-case form is what the cache key and the URL use."""
    assert check_server(ENDPOINTS["summoner-v4.getByPUUID"], server) == lower
    assert check_server(ENDPOINTS["account-v1.getByRiotId"], "AMERICAS") == "americas"


@pytest.mark.parametrize(
    ("operation", "server", "message"),
    [
        (
            "summoner-v4.getByPUUID",
            "americas",
            r"summoner-v4\.getByPUUID is routed by platform, served on br1, .*'americas' is a regional value",
        ),
        (
            "match-v5.getMatch",
            "na1",
            r"match-v5\.getMatch is routed by regional, served on americas.*'na1' is a platform value",
        ),
        ("val-content-v1.getContent", "na1", r"routed by VALORANT platform, .*'na1' is a platform value"),
        ("account-v1.getByRiotId", "sea", r"served on americas, asia, europe; Riot does not serve it on 'sea'"),
        ("tournament-v5.getTournamentCode", "europe", r"served on americas; Riot does not serve it on 'europe'"),
        ("lol-status-v4.getPlatformData", "tw2", r"Riot does not serve it on 'tw2'"),
        ("summoner-v4.getByPUUID", "pbe1", r"'pbe1' is not a Riot routing value"),
        ("summoner-v4.getByPUUID", "xx9", r"'xx9' is not a Riot routing value"),
        ("summoner-v4.getByPUUID", "na", r"'na' is a VALORANT platform value"),
    ],
)
def test_check_server_errors(operation: str, server: str, message: str) -> None:
    with pytest.raises(RoutingError, match=message):
        check_server(ENDPOINTS[operation], server)


def test_build_path_encodes_each_parameter() -> None:
    riot_id = ENDPOINTS["account-v1.getByRiotId"]
    assert (
        build_path(riot_id, {"tagLine": "KR1", "gameName": "Hide on bush"})
        == "/riot/account/v1/accounts/by-riot-id/Hide%20on%20bush/KR1"
    )
    assert build_path(riot_id, {"gameName": "명예", "tagLine": "a/b"}) == (
        "/riot/account/v1/accounts/by-riot-id/%EB%AA%85%EC%98%88/a%2Fb"
    )
    assert build_path(riot_id, {"gameName": "50%?#&", "tagLine": "x+y"}) == (
        "/riot/account/v1/accounts/by-riot-id/50%25%3F%23%26/x%2By"
    )
    mastery = ENDPOINTS["champion-mastery-v4.getChampionMasteryByPUUID"]
    path = build_path(mastery, {"encryptedPUUID": "p", "championId": 157})
    assert path.endswith("/by-puuid/p/by-champion/157")
    assert build_path(ENDPOINTS["lol-status-v4.getPlatformData"], {}) == "/lol/status/v4/platform-data"


def test_build_path_errors() -> None:
    riot_id = ENDPOINTS["account-v1.getByRiotId"]
    with pytest.raises(ParameterError, match=r"missing path parameter.*'tagLine'"):
        build_path(riot_id, {"gameName": "x"})
    misspelled = r"unknown path parameter 'gamename' \(did you mean 'gameName'\?\)"
    with pytest.raises(ParameterError, match=misspelled):
        build_path(riot_id, {"gamename": "x", "tagLine": "y"})
    with pytest.raises(ParameterError, match="unknown path parameter 'region'"):
        build_path(riot_id, {"gameName": "x", "tagLine": "y", "region": "z"})
    with pytest.raises(ParameterError, match=r"missing path parameter.*'matchId'"):
        build_path(ENDPOINTS["match-v5.getMatch"], {"matchId": None})
    with pytest.raises(ParameterError, match="its path parameters are: none"):
        build_path(ENDPOINTS["lol-status-v4.getPlatformData"], {"x": 1})


def test_check_query() -> None:
    ids = ENDPOINTS["match-v5.getMatchIdsByPUUID"]
    check_query(ids, {})
    check_query(ids, {"count": 20, "queue": 420, "type": None})
    with pytest.raises(ParameterError, match="unknown query parameter 'cout' \\(did you mean 'count'\\?\\)"):
        check_query(ids, {"cout": 20})
    with pytest.raises(ParameterError, match="takes a single value"):
        check_query(ids, {"count": [1, 2]})
    code = ENDPOINTS["tournament-v5.createTournamentCode"]
    with pytest.raises(ParameterError, match=r"missing query parameter.*'tournamentId'"):
        check_query(code, {"count": 3})
    check_query(code, {"tournamentId": 1})


def test_encode_query() -> None:
    assert encode_query({"a": [1, 2], "b": True, "c": None, "d": "x y", "e": (3,)}) == [
        ("a", "1"),
        ("a", "2"),
        ("b", "true"),
        ("d", "x y"),
        ("e", "3"),
    ]
    assert encode_query({}) == []
