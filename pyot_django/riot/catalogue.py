"""Every operation of the Riot API reference, keyed by Riot's operation id.

Written from the public reference (82 operations); the reference file itself is
never read at runtime. Removed endpoints (match-v4, summoner by name, anything by
summoner id) are deliberately absent. Each family names the game whose pipeline
serves it; ``account-v1`` is shared by every game (game "riot").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from types import MappingProxyType

from pyot_django.exceptions import NotFindable
from pyot_django.riot.endpoint import Endpoint, QueryParam
from pyot_django.riot.routing import PLATFORM, REGIONAL, VAL_PLATFORM

__all__ = ["ENDPOINTS", "GAMES", "endpoints_for_game", "get_endpoint"]

# An operation as written below: (name, HTTP method, path relative to the family's prefix[, queries]).
# Queries are spelled "name[:type][[]][!]": type defaults to string, "[]" marks a list (repeated
# keys), "!" a required parameter. E.g. "tournamentId:int! count:int".
_Op = tuple[str, ...]

_PARAM = re.compile(r"\{(\w+)\}")
_QUERY = re.compile(r"^(\w+)(?::(\w+))?(\[\])?(!)?$")


def _queries(spec: str) -> dict[str, QueryParam]:
    params = {}
    for word in spec.split():
        match = _QUERY.match(word)
        if match is None:  # pragma: no cover - a typo in the table below
            raise ValueError(f"bad query spec {word!r}")
        name, type_, is_list, required = match.groups()
        params[name] = QueryParam(name, type_ or "string", required=bool(required), is_list=bool(is_list))
    return params


# What each operation's 2xx body is when it is not a JSON object, read once from the
# reference's response schemas (tests/reference checks this table against it).
_RETURNS: dict[str, str] = {
    **dict.fromkeys(
        (
            "champion-mastery-v4.getAllChampionMasteriesByPUUID",
            "champion-mastery-v4.getTopChampionMasteriesByPUUID",
            "clash-v1.getPlayersByPUUID",
            "clash-v1.getTournaments",
            "league-exp-v4.getLeagueEntries",
            "league-v4.getLeagueEntriesByPUUID",
            "league-v4.getLeagueEntries",
            "lol-challenges-v1.getAllChallengeConfigs",
            "lol-challenges-v1.getChallengeLeaderboards",
            "lol-rso-match-v1.getMatchIds",
            "lor-deck-v1.getDecks",
            "lor-inventory-v1.getCards",
            "lor-match-v1.getMatchIdsByPUUID",
            "match-v5.getMatchIdsByPUUID",
            "tft-league-v1.getLeagueEntriesByPUUID",
            "tft-league-v1.getLeagueEntries",
            "tft-league-v1.getTopRatedLadder",
            "tft-match-v1.getMatchIdsByPUUID",
            "tournament-stub-v5.createTournamentCode",
            "tournament-v5.createTournamentCode",
            "tournament-v5.getGames",
        ),
        "array",
    ),
    **dict.fromkeys(
        (
            "champion-mastery-v4.getChampionMasteryScoreByPUUID",
            "tournament-stub-v5.registerProviderData",
            "tournament-stub-v5.registerTournament",
            "tournament-v5.registerProviderData",
            "tournament-v5.registerTournament",
        ),
        "integer",
    ),
    "lor-deck-v1.createDeck": "string",
    "tournament-v5.updateCode": "none",
}


def _family(family: str, game: str, route: str, prefix: str, ops: tuple[_Op, ...]) -> list[Endpoint]:
    endpoints = []
    for name, method, rel, *spec in ops:
        path = prefix + rel
        endpoints.append(
            Endpoint(
                operation_id=f"{family}.{name}",
                http_method=method,
                path=path,
                route=route,
                game=game,
                path_params=tuple(_PARAM.findall(path)),
                query_params=MappingProxyType(_queries(spec[0] if spec else "")),
                has_body=method in ("POST", "PUT"),
                returns=_RETURNS.get(f"{family}.{name}", "object"),
            )
        )
    return endpoints


# fmt: off
_FAMILIES: tuple[list[Endpoint], ...] = (
    _family("account-v1", "riot", REGIONAL, "/riot/account/v1", (
        ("getByPuuid", "GET", "/accounts/by-puuid/{puuid}"),
        ("getByRiotId", "GET", "/accounts/by-riot-id/{gameName}/{tagLine}"),
        ("getByAccessToken", "GET", "/accounts/me"),
        ("getActiveShard", "GET", "/active-shards/by-game/{game}/by-puuid/{puuid}"),
        ("getActiveRegion", "GET", "/region/by-game/{game}/by-puuid/{puuid}"),
    )),
    _family("champion-mastery-v4", "lol", PLATFORM, "/lol/champion-mastery/v4", (
        ("getAllChampionMasteriesByPUUID", "GET", "/champion-masteries/by-puuid/{encryptedPUUID}"),
        ("getChampionMasteryByPUUID", "GET",
         "/champion-masteries/by-puuid/{encryptedPUUID}/by-champion/{championId}"),
        ("getTopChampionMasteriesByPUUID", "GET", "/champion-masteries/by-puuid/{encryptedPUUID}/top",
         "count:int"),
        ("getChampionMasteryScoreByPUUID", "GET", "/scores/by-puuid/{encryptedPUUID}"),
    )),
    _family("champion-v3", "lol", PLATFORM, "/lol/platform/v3", (
        ("getChampionInfo", "GET", "/champion-rotations"),
    )),
    _family("clash-v1", "lol", PLATFORM, "/lol/clash/v1", (
        ("getPlayersByPUUID", "GET", "/players/by-puuid/{puuid}"),
        ("getTeamById", "GET", "/teams/{teamId}"),
        ("getTournaments", "GET", "/tournaments"),
        ("getTournamentByTeam", "GET", "/tournaments/by-team/{teamId}"),
        ("getTournamentById", "GET", "/tournaments/{tournamentId}"),
    )),
    _family("league-exp-v4", "lol", PLATFORM, "/lol/league-exp/v4", (
        ("getLeagueEntries", "GET", "/entries/{queue}/{tier}/{division}", "page:int"),
    )),
    _family("league-v4", "lol", PLATFORM, "/lol/league/v4", (
        ("getChallengerLeague", "GET", "/challengerleagues/by-queue/{queue}"),
        ("getLeagueEntriesByPUUID", "GET", "/entries/by-puuid/{encryptedPUUID}"),
        ("getLeagueEntries", "GET", "/entries/{queue}/{tier}/{division}", "page:int"),
        ("getGrandmasterLeague", "GET", "/grandmasterleagues/by-queue/{queue}"),
        ("getLeagueById", "GET", "/leagues/{leagueId}"),
        ("getMasterLeague", "GET", "/masterleagues/by-queue/{queue}"),
    )),
    _family("lol-challenges-v1", "lol", PLATFORM, "/lol/challenges/v1", (
        ("getAllChallengeConfigs", "GET", "/challenges/config"),
        ("getAllChallengePercentiles", "GET", "/challenges/percentiles"),
        ("getChallengeConfigs", "GET", "/challenges/{challengeId}/config"),
        ("getChallengeLeaderboards", "GET", "/challenges/{challengeId}/leaderboards/by-level/{level}",
         "limit:int"),
        ("getChallengePercentiles", "GET", "/challenges/{challengeId}/percentiles"),
        ("getPlayerData", "GET", "/player-data/{puuid}"),
    )),
    _family("lol-rso-match-v1", "lol", REGIONAL, "/lol/rso-match/v1", (
        ("getMatchIds", "GET", "/matches/ids",
         "count:int start:int type queue:int endTime:int startTime:int"),
        ("getMatch", "GET", "/matches/{matchId}"),
        ("getTimeline", "GET", "/matches/{matchId}/timeline"),
    )),
    _family("lol-status-v4", "lol", PLATFORM, "/lol/status/v4", (
        ("getPlatformData", "GET", "/platform-data"),
    )),
    _family("lor-deck-v1", "lor", REGIONAL, "/lor/deck/v1", (
        ("getDecks", "GET", "/decks/me"),
        ("createDeck", "POST", "/decks/me"),
    )),
    _family("lor-inventory-v1", "lor", REGIONAL, "/lor/inventory/v1", (
        ("getCards", "GET", "/cards/me"),
    )),
    _family("lor-match-v1", "lor", REGIONAL, "/lor/match/v1", (
        ("getMatchIdsByPUUID", "GET", "/matches/by-puuid/{puuid}/ids"),
        ("getMatch", "GET", "/matches/{matchId}"),
    )),
    _family("lor-ranked-v1", "lor", REGIONAL, "/lor/ranked/v1", (
        ("getLeaderboards", "GET", "/leaderboards"),
    )),
    _family("lor-status-v1", "lor", REGIONAL, "/lor/status/v1", (
        ("getPlatformData", "GET", "/platform-data"),
    )),
    _family("match-v5", "lol", REGIONAL, "/lol/match/v5", (
        ("getMatchIdsByPUUID", "GET", "/matches/by-puuid/{puuid}/ids",
         "startTime:int endTime:int queue:int type start:int count:int"),
        ("getReplay", "GET", "/matches/by-puuid/{puuid}/replays"),
        ("getMatch", "GET", "/matches/{matchId}"),
        ("getTimeline", "GET", "/matches/{matchId}/timeline"),
    )),
    _family("riftbound-content-v1", "riftbound", REGIONAL, "/riftbound/content/v1", (
        ("getContent", "GET", "/contents", "locale"),
    )),
    _family("spectator-tft-v5", "tft", PLATFORM, "/lol/spectator/tft", (
        ("getCurrentGameInfoByPuuid", "GET", "/v5/active-games/by-puuid/{encryptedPUUID}"),
    )),
    _family("spectator-v5", "lol", PLATFORM, "/lol/spectator/v5", (
        ("getCurrentGameInfoByPuuid", "GET", "/active-games/by-summoner/{encryptedPUUID}"),
    )),
    _family("summoner-v4", "lol", PLATFORM, "/lol/summoner/v4", (
        ("getByPUUID", "GET", "/summoners/by-puuid/{encryptedPUUID}"),
        ("getByAccessToken", "GET", "/summoners/me"),
    )),
    _family("tft-league-v1", "tft", PLATFORM, "/tft/league/v1", (
        ("getLeagueEntriesByPUUID", "GET", "/by-puuid/{puuid}"),
        ("getChallengerLeague", "GET", "/challenger", "queue"),
        ("getLeagueEntries", "GET", "/entries/{tier}/{division}", "queue page:int"),
        ("getGrandmasterLeague", "GET", "/grandmaster", "queue"),
        ("getLeagueById", "GET", "/leagues/{leagueId}"),
        ("getMasterLeague", "GET", "/master", "queue"),
        ("getTopRatedLadder", "GET", "/rated-ladders/{queue}/top"),
    )),
    _family("tft-match-v1", "tft", REGIONAL, "/tft/match/v1", (
        ("getMatchIdsByPUUID", "GET", "/matches/by-puuid/{puuid}/ids",
         "start:int endTime:int startTime:int count:int"),
        ("getMatch", "GET", "/matches/{matchId}"),
    )),
    _family("tft-status-v1", "tft", PLATFORM, "/tft/status/v1", (
        ("getPlatformData", "GET", "/platform-data"),
    )),
    _family("tft-summoner-v1", "tft", PLATFORM, "/tft/summoner/v1", (
        ("getByPUUID", "GET", "/summoners/by-puuid/{encryptedPUUID}"),
        ("getByAccessToken", "GET", "/summoners/me"),
    )),
    _family("tournament-stub-v5", "lol", REGIONAL, "/lol/tournament-stub/v5", (
        ("createTournamentCode", "POST", "/codes", "count:int tournamentId:int!"),
        ("getTournamentCode", "GET", "/codes/{tournamentCode}"),
        ("getLobbyEventsByCode", "GET", "/lobby-events/by-code/{tournamentCode}"),
        ("registerProviderData", "POST", "/providers"),
        ("registerTournament", "POST", "/tournaments"),
    )),
    _family("tournament-v5", "lol", REGIONAL, "/lol/tournament/v5", (
        ("createTournamentCode", "POST", "/codes", "tournamentId:int! count:int"),
        ("getTournamentCode", "GET", "/codes/{tournamentCode}"),
        ("updateCode", "PUT", "/codes/{tournamentCode}"),
        ("getGames", "GET", "/games/by-code/{tournamentCode}"),
        ("getLobbyEventsByCode", "GET", "/lobby-events/by-code/{tournamentCode}"),
        ("registerProviderData", "POST", "/providers"),
        ("registerTournament", "POST", "/tournaments"),
    )),
    _family("val-console-match-v1", "val", VAL_PLATFORM, "/val/match/console", (
        ("getMatch", "GET", "/v1/matches/{matchId}"),
        ("getMatchlist", "GET", "/v1/matchlists/by-puuid/{puuid}", "platformType!"),
        ("getRecent", "GET", "/v1/recent-matches/by-queue/{queue}"),
    )),
    _family("val-console-ranked-v1", "val", VAL_PLATFORM, "/val/console/ranked", (
        ("getLeaderboard", "GET", "/v1/leaderboards/by-act/{actId}", "platformType! startIndex:int size:int"),
    )),
    _family("val-content-v1", "val", VAL_PLATFORM, "/val/content/v1", (
        ("getContent", "GET", "/contents", "locale"),
    )),
    _family("val-match-v1", "val", VAL_PLATFORM, "/val/match/v1", (
        ("getMatch", "GET", "/matches/{matchId}"),
        ("getMatchlist", "GET", "/matchlists/by-puuid/{puuid}"),
        ("getRecent", "GET", "/recent-matches/by-queue/{queue}"),
    )),
    _family("val-ranked-v1", "val", VAL_PLATFORM, "/val/ranked/v1", (
        ("getLeaderboard", "GET", "/leaderboards/by-act/{actId}", "size:int startIndex:int"),
    )),
    _family("val-status-v1", "val", VAL_PLATFORM, "/val/status/v1", (
        ("getPlatformData", "GET", "/platform-data"),
    )),
)
# fmt: on

ENDPOINTS: Mapping[str, Endpoint] = MappingProxyType(
    {endpoint.operation_id: endpoint for family in _FAMILIES for endpoint in family}
)

GAMES = ("riot", "lol", "tft", "lor", "val", "riftbound")


def _for_game(game: str) -> Mapping[str, Endpoint]:
    # Every game's pipeline also resolves Riot accounts (account-v1, game "riot").
    wanted = {"riot", game}
    return MappingProxyType({oid: ep for oid, ep in ENDPOINTS.items() if ep.game in wanted})


_BY_GAME: dict[str, Mapping[str, Endpoint]] = {game: _for_game(game) for game in GAMES}


def endpoints_for_game(game: str) -> Mapping[str, Endpoint]:
    """The operations a pipeline of ``game`` serves: the game's own plus ``account-v1``."""
    try:
        return _BY_GAME[game]
    except KeyError:
        known = ", ".join(GAMES)
        raise NotFindable(f"unknown game {game!r}; pipelines are named after a game: {known}") from None


def get_endpoint(game: str, operation_id: str) -> Endpoint:
    """The operation ``operation_id`` of ``game``, or ``NotFindable`` explaining why not."""
    endpoint = endpoints_for_game(game).get(operation_id)
    if endpoint is not None:
        return endpoint
    raise NotFindable(_explain_unknown(game, operation_id))


def _explain_unknown(game: str, operation_id: object) -> str:
    if not isinstance(operation_id, str):
        return f"operation ids are strings like 'match-v5.getMatch', got {operation_id!r}"
    other = ENDPOINTS.get(operation_id)
    if other is not None:
        return (
            f"{operation_id} is a {other.game} operation; a {game!r} pipeline serves {game} "
            f"and account-v1 operations only"
        )
    message = f"unknown operation {operation_id!r} for game {game!r}"
    close = _close_matches(operation_id, endpoints_for_game(game))
    if close:
        message += f"; did you mean {' or '.join(repr(name) for name in close)}?"
    return message


def _close_matches(operation_id: str, candidates: Mapping[str, Endpoint]) -> list[str]:
    # Compare case-insensitively (getByPuuid vs getByPUUID) but suggest the real spelling.
    lowered = {name.lower(): name for name in candidates}
    hits = difflib.get_close_matches(operation_id.lower(), lowered, n=3, cutoff=0.75)
    return [lowered[hit] for hit in hits]
