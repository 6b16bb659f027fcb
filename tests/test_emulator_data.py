"""The emulator's data generators: coverage of the catalogue, determinism, shapes, cross-links."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import orjson
import pytest

from pyot_django.testing.data import OPERATIONS, DataNotFound, clear_caches, generate, generate_bytes

KEY = "RGAPI-test-key-one"
OTHER_KEY = "RGAPI-test-key-two"

# Simple parameters per operation: (server, path params, query, body).
_PUUID = "emulator-test-puuid"
_CASES: dict[str, tuple[str, dict[str, str], dict[str, list[str]], object | None]] = {
    "account-v1.getByPuuid": ("americas", {"puuid": _PUUID}, {}, None),
    "account-v1.getByRiotId": ("americas", {"gameName": "Hide on bush", "tagLine": "KR1"}, {}, None),
    "account-v1.getByAccessToken": ("americas", {}, {}, None),
    "account-v1.getActiveShard": ("americas", {"game": "val", "puuid": _PUUID}, {}, None),
    "account-v1.getActiveRegion": ("americas", {"game": "lol", "puuid": _PUUID}, {}, None),
    "champion-mastery-v4.getAllChampionMasteriesByPUUID": ("na1", {"encryptedPUUID": _PUUID}, {}, None),
    "champion-mastery-v4.getChampionMasteryByPUUID": ("na1", {"encryptedPUUID": _PUUID, "championId": "1"}, {}, None),
    "champion-mastery-v4.getTopChampionMasteriesByPUUID": ("na1", {"encryptedPUUID": _PUUID}, {}, None),
    "champion-mastery-v4.getChampionMasteryScoreByPUUID": ("na1", {"encryptedPUUID": _PUUID}, {}, None),
    "champion-v3.getChampionInfo": ("na1", {}, {}, None),
    "clash-v1.getPlayersByPUUID": ("na1", {"puuid": _PUUID}, {}, None),
    "clash-v1.getTeamById": ("na1", {"teamId": "team-1"}, {}, None),
    "clash-v1.getTournaments": ("na1", {}, {}, None),
    "clash-v1.getTournamentByTeam": ("na1", {"teamId": "team-1"}, {}, None),
    "clash-v1.getTournamentById": ("na1", {"tournamentId": "2001"}, {}, None),
    "league-exp-v4.getLeagueEntries": ("na1", {"queue": "RANKED_SOLO_5x5", "tier": "GOLD", "division": "I"}, {}, None),
    "league-v4.getChallengerLeague": ("na1", {"queue": "RANKED_SOLO_5x5"}, {}, None),
    "league-v4.getLeagueEntriesByPUUID": ("na1", {"encryptedPUUID": _PUUID}, {}, None),
    "league-v4.getLeagueEntries": ("na1", {"queue": "RANKED_SOLO_5x5", "tier": "GOLD", "division": "I"}, {}, None),
    "league-v4.getGrandmasterLeague": ("na1", {"queue": "RANKED_SOLO_5x5"}, {}, None),
    "league-v4.getLeagueById": ("na1", {"leagueId": "abc-league"}, {}, None),
    "league-v4.getMasterLeague": ("na1", {"queue": "RANKED_SOLO_5x5"}, {}, None),
    "lol-challenges-v1.getAllChallengeConfigs": ("na1", {}, {}, None),
    "lol-challenges-v1.getAllChallengePercentiles": ("na1", {}, {}, None),
    "lol-challenges-v1.getChallengeConfigs": ("na1", {"challengeId": "101000"}, {}, None),
    "lol-challenges-v1.getChallengeLeaderboards": ("na1", {"challengeId": "101000", "level": "MASTER"}, {}, None),
    "lol-challenges-v1.getChallengePercentiles": ("na1", {"challengeId": "101000"}, {}, None),
    "lol-challenges-v1.getPlayerData": ("na1", {"puuid": _PUUID}, {}, None),
    "lol-rso-match-v1.getMatchIds": ("americas", {}, {}, None),
    "lol-rso-match-v1.getMatch": ("americas", {"matchId": "NA1_5000000001"}, {}, None),
    "lol-rso-match-v1.getTimeline": ("americas", {"matchId": "NA1_5000000001"}, {}, None),
    "lol-status-v4.getPlatformData": ("na1", {}, {}, None),
    "lor-deck-v1.getDecks": ("americas", {}, {}, None),
    "lor-deck-v1.createDeck": ("americas", {}, {}, {"name": "My deck", "code": "CEAAAA"}),
    "lor-inventory-v1.getCards": ("americas", {}, {}, None),
    "lor-match-v1.getMatchIdsByPUUID": ("americas", {"puuid": _PUUID}, {}, None),
    "lor-match-v1.getMatch": ("americas", {"matchId": "lor-match-1"}, {}, None),
    "lor-ranked-v1.getLeaderboards": ("americas", {}, {}, None),
    "lor-status-v1.getPlatformData": ("americas", {}, {}, None),
    "match-v5.getMatchIdsByPUUID": ("americas", {"puuid": _PUUID}, {}, None),
    "match-v5.getReplay": ("americas", {"puuid": _PUUID}, {}, None),
    "match-v5.getMatch": ("americas", {"matchId": "NA1_5000000002"}, {}, None),
    "match-v5.getTimeline": ("americas", {"matchId": "NA1_5000000002"}, {}, None),
    "riftbound-content-v1.getContent": ("americas", {}, {}, None),
    "summoner-v4.getByPUUID": ("na1", {"encryptedPUUID": _PUUID}, {}, None),
    "summoner-v4.getByAccessToken": ("na1", {}, {}, None),
    "tft-league-v1.getLeagueEntriesByPUUID": ("na1", {"puuid": _PUUID}, {}, None),
    "tft-league-v1.getChallengerLeague": ("na1", {}, {}, None),
    "tft-league-v1.getLeagueEntries": ("na1", {"tier": "GOLD", "division": "I"}, {}, None),
    "tft-league-v1.getGrandmasterLeague": ("na1", {}, {}, None),
    "tft-league-v1.getLeagueById": ("na1", {"leagueId": "abc-league"}, {}, None),
    "tft-league-v1.getMasterLeague": ("na1", {}, {}, None),
    "tft-league-v1.getTopRatedLadder": ("na1", {"queue": "RANKED_TFT_TURBO"}, {}, None),
    "tft-match-v1.getMatchIdsByPUUID": ("europe", {"puuid": _PUUID}, {}, None),
    "tft-match-v1.getMatch": ("europe", {"matchId": "EUW1_7288129746"}, {}, None),
    "tft-status-v1.getPlatformData": ("euw1", {}, {}, None),
    "tft-summoner-v1.getByPUUID": ("euw1", {"encryptedPUUID": _PUUID}, {}, None),
    "tft-summoner-v1.getByAccessToken": ("euw1", {}, {}, None),
    "val-console-match-v1.getMatch": ("na", {"matchId": "val-match-1"}, {}, None),
    "val-console-match-v1.getMatchlist": ("na", {"puuid": _PUUID}, {"platformType": ["playstation"]}, None),
    "val-console-match-v1.getRecent": ("na", {"queue": "competitive"}, {}, None),
    "val-console-ranked-v1.getLeaderboard": ("na", {"actId": "act-1"}, {"platformType": ["playstation"]}, None),
    "val-content-v1.getContent": ("na", {}, {}, None),
    "val-match-v1.getMatch": ("na", {"matchId": "val-match-1"}, {}, None),
    "val-match-v1.getMatchlist": ("na", {"puuid": _PUUID}, {}, None),
    "val-match-v1.getRecent": ("na", {"queue": "competitive"}, {}, None),
    "val-ranked-v1.getLeaderboard": ("na", {"actId": "act-1"}, {"size": ["50"]}, None),
    "val-status-v1.getPlatformData": ("na", {}, {}, None),
}
for _family in ("tournament-v5", "tournament-stub-v5"):
    _CASES.update({
        f"{_family}.registerProviderData": ("americas", {}, {}, {"region": "NA", "url": "https://example.com/cb"}),
        f"{_family}.registerTournament": ("americas", {}, {}, {"providerId": 1, "name": "Cup"}),
        f"{_family}.createTournamentCode": ("americas", {}, {"tournamentId": ["7"], "count": ["5"]}, {"teamSize": 5}),
        f"{_family}.getTournamentCode": ("americas", {"tournamentCode": "NA04-abc"}, {}, None),
        f"{_family}.getLobbyEventsByCode": ("americas", {"tournamentCode": "NA04-abc"}, {}, None),
    })
_CASES["tournament-v5.updateCode"] = ("americas", {"tournamentCode": "NA04-abc"}, {}, {"pickType": "BLIND_PICK"})
_CASES["tournament-v5.getGames"] = ("americas", {"tournamentCode": "NA04-abc"}, {}, None)

SPECTATOR_OPS = {"spectator-v5.getCurrentGameInfoByPuuid", "spectator-tft-v5.getCurrentGameInfoByPuuid"}



def _in_game_puuid() -> str:
    for i in range(100):
        puuid = f"spectated-{i}"
        try:
            generate("spectator-v5.getCurrentGameInfoByPuuid", "na1", {"encryptedPUUID": puuid}, {}, None, KEY)
            return puuid
        except DataNotFound:
            continue
    raise AssertionError("nobody in game among 100 puuids")


def _gen(op: str, key: str = KEY) -> object:
    server, path, query, body = _CASES[op]
    return generate(op, server, path, query, body, key)


def test_operations_cover_the_reference() -> None:
    assert len(OPERATIONS) == 82
    assert set(_CASES) | SPECTATOR_OPS == OPERATIONS  # the reference itself: tests/reference/


@pytest.mark.parametrize("op", sorted(_CASES))
def test_every_operation_generates_json(op: str) -> None:
    obj = _gen(op)
    orjson.dumps(obj)  # JSON-serialisable
    json.dumps(obj)  # and with the stdlib too (no orjson-only types)
    if op == "tournament-v5.updateCode":
        assert obj is None
    else:
        assert obj is not None


def test_spectator_roughly_thirty_percent_in_game() -> None:
    hits = 0
    for i in range(1000):
        try:
            game = generate("spectator-v5.getCurrentGameInfoByPuuid", "na1", {"encryptedPUUID": f"p{i}"}, {}, None, KEY)
        except DataNotFound as exc:
            assert "spectator game info isn't found" in str(exc)
            continue
        hits += 1
        assert f"p{i}" in [p["puuid"] for p in game["participants"]]  # type: ignore[index]
    assert 220 <= hits <= 380
    puuid = _in_game_puuid()
    tft = None
    try:
        tft = generate("spectator-tft-v5.getCurrentGameInfoByPuuid", "na1", {"encryptedPUUID": puuid}, {}, None, KEY)
    except DataNotFound:
        pytest.fail("the same puuid is in game for TFT spectator too")
    assert len(tft["participants"]) == 8  # type: ignore[index]


def test_unknown_operation_is_key_error() -> None:
    with pytest.raises(KeyError):
        generate("match-v4.getMatch", "na1", {}, {}, None, KEY)


def test_deterministic_within_and_across_processes() -> None:
    a = generate_bytes("match-v5.getMatch", "americas", {"matchId": "NA1_5111111111"}, {}, None, KEY)
    clear_caches()
    b = generate_bytes("match-v5.getMatch", "americas", {"matchId": "NA1_5111111111"}, {}, None, KEY)
    assert a == b
    # A fresh interpreter with another hash seed: nothing may depend on hash() or the clock.
    code = (
        "import sys; from pyot_django.testing.data import generate_bytes as g; "
        "sys.stdout.buffer.write(g('match-v5.getMatch', 'americas', {'matchId': 'NA1_5111111111'}, {}, None, "
        f"{KEY!r}))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env).stdout
    assert out == a


def test_generate_returns_fresh_copies() -> None:
    first = _gen("summoner-v4.getByPUUID")
    first["summonerLevel"] = -1  # type: ignore[index]
    assert _gen("summoner-v4.getByPUUID")["summonerLevel"] != -1  # type: ignore[index]


def test_match_shape_and_size() -> None:
    sizes = []
    for i in range(20):
        raw = generate_bytes("match-v5.getMatch", "europe", {"matchId": f"EUW1_72000000{i:02d}"}, {}, None, KEY)
        sizes.append(len(raw))
    print(f"match sizes: min {min(sizes)} max {max(sizes)} bytes")
    assert all(60_000 <= s <= 90_000 for s in sizes)
    match = orjson.loads(raw)
    info = match["info"]
    assert match["metadata"]["matchId"] == "EUW1_7200000019"
    assert info["platformId"] == "EUW1" and info["gameId"] == 7200000019
    assert info["gameEndTimestamp"] > info["gameStartTimestamp"] > info["gameCreation"]
    assert len(info["participants"]) == 10 and len(info["teams"]) == 2
    assert [p["puuid"] for p in info["participants"]] == match["metadata"]["participants"]
    p = info["participants"][0]
    for field in ("challenges", "perks", "missions", "riotIdGameName", "riotIdTagline", "championName", "item6",
                  "totalDamageDealtToChampions", "win", "teamPosition", "summoner1Id"):
        assert field in p
    assert len(p["challenges"]) > 100
    assert {t["teamId"] for t in info["teams"]} == {100, 200}
    assert sum(t["win"] for t in info["teams"]) == 1


def test_timeline_matches_match() -> None:
    params = {"matchId": "KR_7100000000"}
    match = generate("match-v5.getMatch", "asia", params, {}, None, KEY)
    raw = generate_bytes("match-v5.getTimeline", "asia", params, {}, None, KEY)
    print(f"timeline size: {len(raw)} bytes")
    assert 250_000 <= len(raw) <= 900_000
    timeline = orjson.loads(raw)
    assert timeline["metadata"]["participants"] == match["metadata"]["participants"]  # type: ignore[index]
    frames = timeline["info"]["frames"]
    assert timeline["info"]["frameInterval"] == 60_000
    assert len(frames[1]["participantFrames"]) == 10
    end = frames[-1]["events"][-1]
    assert end["type"] == "GAME_END"
    assert end["timestamp"] // 1000 == match["info"]["gameDuration"]  # type: ignore[index]
    winner = next(t["teamId"] for t in match["info"]["teams"] if t["win"])  # type: ignore[index]
    assert end["winningTeam"] == winner


def test_riot_id_to_match_chain() -> None:
    account = generate("account-v1.getByRiotId", "americas", {"gameName": "Faker", "tagLine": "KR1"}, {}, None, KEY)
    puuid = account["puuid"]  # type: ignore[index]
    assert len(puuid) == 78
    assert generate("account-v1.getByPuuid", "asia", {"puuid": puuid}, {}, None, KEY) == account
    # case-insensitive Riot ids
    again = generate("account-v1.getByRiotId", "europe", {"gameName": "FAKER", "tagLine": "kr1"}, {}, None, KEY)
    assert again["puuid"] == puuid  # type: ignore[index]
    summoner = generate("summoner-v4.getByPUUID", "kr", {"encryptedPUUID": puuid}, {}, None, KEY)
    assert summoner["puuid"] == puuid  # type: ignore[index]
    ids = generate("match-v5.getMatchIdsByPUUID", "asia", {"puuid": puuid}, {}, None, KEY)
    assert len(ids) == 20 and len(set(ids)) == 20  # type: ignore[arg-type]
    assert all(i.split("_")[0] in ("KR", "JP1") for i in ids)  # type: ignore[union-attr]
    for match_id in ids[:3]:  # type: ignore[index]
        match = generate("match-v5.getMatch", "asia", {"matchId": match_id}, {}, None, KEY)
        assert puuid in match["metadata"]["participants"]  # type: ignore[index]
        me = next(p for p in match["info"]["participants"] if p["puuid"] == puuid)  # type: ignore[index]
        assert (me["riotIdGameName"], me["riotIdTagline"]) == ("Faker", "KR1")
        timeline = generate("match-v5.getTimeline", "asia", {"matchId": match_id}, {}, None, KEY)
        assert puuid in timeline["metadata"]["participants"]  # type: ignore[index]
    # another participant resolves at account-v1 to the name the match shows
    other = match["info"]["participants"][0 if me["participantId"] != 1 else 1]  # type: ignore[index]
    acc = generate("account-v1.getByPuuid", "asia", {"puuid": other["puuid"]}, {}, None, KEY)
    assert acc["gameName"] == other["riotIdGameName"]  # type: ignore[index]
    # TFT: ids listed resolve to matches with the player
    tft_ids = generate("tft-match-v1.getMatchIdsByPUUID", "asia", {"puuid": puuid}, {"count": ["2"]}, None, KEY)
    tft = generate("tft-match-v1.getMatch", "asia", {"matchId": tft_ids[0]}, {}, None, KEY)  # type: ignore[index]
    assert puuid in tft["metadata"]["participants"]  # type: ignore[index]


def test_match_listed_after_being_fetched_picks_up_owner() -> None:
    """A cached anonymous match must not hide the owner registered later."""
    account = generate("account-v1.getByRiotId", "americas", {"gameName": "Late", "tagLine": "NA1"}, {}, None, KEY)
    puuid = account["puuid"]  # type: ignore[index]
    ids = generate("match-v5.getMatchIdsByPUUID", "americas", {"puuid": puuid}, {"count": ["1"]}, None, KEY)
    clear_caches()
    anonymous = generate("match-v5.getMatch", "americas", {"matchId": ids[0]}, {}, None, KEY)  # type: ignore[index]
    assert puuid not in anonymous["metadata"]["participants"]  # type: ignore[index]
    generate("match-v5.getMatchIdsByPUUID", "americas", {"puuid": puuid}, {"count": ["1"]}, None, KEY)
    owned = generate("match-v5.getMatch", "americas", {"matchId": ids[0]}, {}, None, KEY)  # type: ignore[index]
    assert puuid in owned["metadata"]["participants"]  # type: ignore[index]


def test_api_keys_see_different_puuids() -> None:
    params = {"gameName": "Hide on bush", "tagLine": "KR1"}
    a = generate("account-v1.getByRiotId", "asia", params, {}, None, KEY)
    b = generate("account-v1.getByRiotId", "asia", params, {}, None, OTHER_KEY)
    assert a["puuid"] != b["puuid"]  # type: ignore[index]
    # the same match seen by two keys: same game, different (encrypted) puuids
    m1 = generate("match-v5.getMatch", "asia", {"matchId": "KR_7000000001"}, {}, None, KEY)
    m2 = generate("match-v5.getMatch", "asia", {"matchId": "KR_7000000001"}, {}, None, OTHER_KEY)
    assert m1["info"]["gameDuration"] == m2["info"]["gameDuration"]  # type: ignore[index]
    assert set(m1["metadata"]["participants"]).isdisjoint(m2["metadata"]["participants"])  # type: ignore[index]


def test_count_start_and_filters() -> None:
    def ids(**query: str) -> list[str]:
        q = {k: [v] for k, v in query.items()}
        return generate("match-v5.getMatchIdsByPUUID", "americas", {"puuid": "chain"}, q, None, KEY)  # type: ignore[return-value]

    assert len(ids()) == 20
    assert len(ids(count="100")) == 100
    assert len(ids(count="500")) == 100  # Riot's cap
    assert len(ids(count="0")) == 0
    assert ids(start="5", count="5") == ids(count="10")[5:]
    full = ids(count="30")
    assert full == sorted(full, key=lambda m: int(m.split("_")[1]), reverse=True)  # newest first
    for match_id in ids(queue="450", count="3"):
        match = generate("match-v5.getMatch", "americas", {"matchId": match_id}, {}, None, KEY)
        assert match["info"]["queueId"] == 450 and match["info"]["gameMode"] == "ARAM"  # type: ignore[index]
    for match_id in ids(type="ranked", count="3"):
        match = generate("match-v5.getMatch", "americas", {"matchId": match_id}, {}, None, KEY)
        assert match["info"]["queueId"] in (420, 440)  # type: ignore[index]
    end = 1_749_000_000
    windowed = ids(startTime=str(end - 3 * 86_400), endTime=str(end), count="100")
    assert 0 < len(windowed) < 100
    for match_id in windowed[:3]:
        match = generate("match-v5.getMatch", "americas", {"matchId": match_id}, {}, None, KEY)
        assert (end - 3 * 86_400) * 1000 <= match["info"]["gameCreation"] <= end * 1000  # type: ignore[index]
    top = generate("champion-mastery-v4.getTopChampionMasteriesByPUUID", "na1", {"encryptedPUUID": "x"},
                   {"count": ["7"]}, None, KEY)
    assert len(top) == 7  # type: ignore[arg-type]
    points = [m["championPoints"] for m in top]  # type: ignore[union-attr]
    assert points == sorted(points, reverse=True)
    codes = _gen("tournament-v5.createTournamentCode")
    assert len(codes) == 5 and len(set(codes)) == 5  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("op", "server", "path"),
    [
        ("account-v1.getByRiotId", "americas", {"gameName": "404 player", "tagLine": "NA1"}),
        ("account-v1.getByPuuid", "americas", {"puuid": "404abc"}),
        ("summoner-v4.getByPUUID", "na1", {"encryptedPUUID": "NotFound"}),
        ("match-v5.getMatch", "americas", {"matchId": "notfound"}),
        ("match-v5.getMatch", "americas", {"matchId": "404_123"}),
        ("match-v5.getTimeline", "americas", {"matchId": "404"}),
        ("league-v4.getLeagueEntriesByPUUID", "na1", {"encryptedPUUID": "404"}),
        ("tft-match-v1.getMatch", "europe", {"matchId": "NOTFOUND"}),
        ("val-match-v1.getMatch", "na", {"matchId": "404-val"}),
    ],
)
def test_the_404_rule(op: str, server: str, path: dict[str, str]) -> None:
    with pytest.raises(DataNotFound):
        generate(op, server, path, {}, None, KEY)


def test_tft_match_shape() -> None:
    raw = generate_bytes("tft-match-v1.getMatch", "europe", {"matchId": "EUW1_7288129746"}, {}, None, KEY)
    print(f"tft match size: {len(raw)} bytes")
    assert 12_000 <= len(raw) <= 35_000
    match = orjson.loads(raw)
    assert len(match["info"]["participants"]) == 8
    assert sorted(p["placement"] for p in match["info"]["participants"]) == list(range(1, 9))


def test_generation_speed() -> None:
    clear_caches()
    args = ("match-v5.getMatch", "americas", {"matchId": "NA1_5222222222"}, {}, None, KEY)
    t0 = time.perf_counter()
    generate_bytes(*args)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(1000):
        generate_bytes(*args)
    warm = (time.perf_counter() - t0) / 1000
    t0 = time.perf_counter()
    generate_bytes("match-v5.getTimeline", "americas", {"matchId": "NA1_5222222222"}, {}, None, KEY)
    timeline = time.perf_counter() - t0
    print(f"match cold {cold * 1000:.2f} ms, cached {warm * 1e6:.1f} us; timeline cold {timeline * 1000:.2f} ms")
    assert cold < 0.2  # a very loose sanity bound, not a benchmark
