"""What Riot accepts, per operation: routing values, RSO auth, and the rules ids and values obey.

Written from the public Riot API reference (``x-platforms-available``, ``security``, parameter
enums and documented ranges); ``tests/reference/test_emulator_fidelity.py`` compares this module with
the reference, so it cannot drift silently. The reference itself is never read at runtime.

``SERVED_ON`` (the routing values Riot answers each operation on) is built from
``pyot_django.riot.served_on``, the table the RiotAPI store's ``check_server`` uses too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from pyot_django.riot import ENDPOINTS, Endpoint
from pyot_django.riot.served_on import RSO_OPERATIONS, served_on

__all__ = ["RSO_OPERATIONS", "SERVED_ON", "check_request"]

# The table itself lives with the client (riot/served_on.py): one source for both sides.
SERVED_ON: Mapping[str, frozenset[str]] = MappingProxyType({op: served_on(ep) for op, ep in ENDPOINTS.items()})

_TIERS_LOW = ("DIAMOND", "EMERALD", "PLATINUM", "GOLD", "SILVER", "BRONZE", "IRON")
_DIVISIONS = ("I", "II", "III", "IV")
_LOL_QUEUES = ("RANKED_SOLO_5x5", "RANKED_FLEX_SR", "RANKED_FLEX_TT")
_TFT_QUEUES = ("RANKED_TFT", "RANKED_TFT_DOUBLE_UP")
_MATCH_TYPES = ("ranked", "normal", "tourney", "tutorial")
_PLATFORM_TYPES = ("playstation", "xbox")
_CHALLENGE_LEVELS = (
    "NONE", "IRON", "BRONZE", "SILVER", "GOLD", "PLATINUM", "DIAMOND", "MASTER", "GRANDMASTER", "CHALLENGER",
    "HIGHEST_NOT_LEADERBOARD_ONLY", "HIGHEST", "LOWEST",
)  # fmt: skip
_VAL_QUEUES = (
    "competitive", "unrated", "spikerush", "tournamentmode", "deathmatch", "onefa", "ggteam", "hurm",
    "swiftplay", "dodgeball", "skirmish1v1", "skirmish2v2",
)  # fmt: skip
_VAL_CONSOLE_QUEUES = (
    "console_unrated", "console_swiftplay", "console_hurm", "console_deathmatch", "console_competitive",
)  # fmt: skip

# (operation, parameter) -> the values Riot accepts; anything else is a 400.
ENUMS: Mapping[tuple[str, str], tuple[str, ...]] = MappingProxyType(
    {
        ("account-v1.getActiveShard", "game"): ("val", "lor", "2xko"),
        ("account-v1.getActiveRegion", "game"): ("lol", "tft"),
        ("league-exp-v4.getLeagueEntries", "queue"): ("RANKED_SOLO_5x5", "RANKED_TFT", *_LOL_QUEUES[1:]),
        ("league-exp-v4.getLeagueEntries", "tier"): ("CHALLENGER", "GRANDMASTER", "MASTER", *_TIERS_LOW),
        ("league-exp-v4.getLeagueEntries", "division"): _DIVISIONS,
        ("league-v4.getChallengerLeague", "queue"): _LOL_QUEUES,
        ("league-v4.getGrandmasterLeague", "queue"): _LOL_QUEUES,
        ("league-v4.getMasterLeague", "queue"): _LOL_QUEUES,
        ("league-v4.getLeagueEntries", "queue"): _LOL_QUEUES,
        ("league-v4.getLeagueEntries", "tier"): _TIERS_LOW,
        ("league-v4.getLeagueEntries", "division"): _DIVISIONS,
        ("lol-challenges-v1.getChallengeLeaderboards", "level"): _CHALLENGE_LEVELS,
        ("lol-rso-match-v1.getMatchIds", "type"): _MATCH_TYPES,
        ("match-v5.getMatchIdsByPUUID", "type"): _MATCH_TYPES,
        ("tft-league-v1.getChallengerLeague", "queue"): _TFT_QUEUES,
        ("tft-league-v1.getGrandmasterLeague", "queue"): _TFT_QUEUES,
        ("tft-league-v1.getMasterLeague", "queue"): _TFT_QUEUES,
        ("tft-league-v1.getLeagueEntries", "queue"): _TFT_QUEUES,
        ("tft-league-v1.getLeagueEntries", "tier"): _TIERS_LOW,
        ("tft-league-v1.getLeagueEntries", "division"): _DIVISIONS,
        ("tft-league-v1.getTopRatedLadder", "queue"): ("RANKED_TFT_TURBO",),
        ("val-console-match-v1.getMatchlist", "platformType"): _PLATFORM_TYPES,
        ("val-console-match-v1.getRecent", "queue"): _VAL_CONSOLE_QUEUES,
        ("val-console-ranked-v1.getLeaderboard", "platformType"): _PLATFORM_TYPES,
        ("val-match-v1.getRecent", "queue"): _VAL_QUEUES,
    }
)

# (operation, query parameter) -> (lowest, highest) accepted, from the reference's descriptions
# ("Valid values: 0 to 100", "max 1000", "Start index", "Starts with page 1"); none where it is silent.
RANGES: Mapping[tuple[str, str], tuple[int, int]] = MappingProxyType(
    {
        ("match-v5.getMatchIdsByPUUID", "count"): (0, 100),
        ("match-v5.getMatchIdsByPUUID", "start"): (0, 2**31 - 1),
        ("lol-rso-match-v1.getMatchIds", "count"): (0, 100),
        ("lol-rso-match-v1.getMatchIds", "start"): (0, 2**31 - 1),
        ("tft-match-v1.getMatchIdsByPUUID", "start"): (0, 2**31 - 1),
        ("league-v4.getLeagueEntries", "page"): (1, 2**31 - 1),
        ("league-exp-v4.getLeagueEntries", "page"): (1, 2**31 - 1),
        ("tft-league-v1.getLeagueEntries", "page"): (1, 2**31 - 1),
        ("tournament-v5.createTournamentCode", "count"): (1, 1000),
        ("tournament-stub-v5.createTournamentCode", "count"): (1, 1000),
        ("val-console-ranked-v1.getLeaderboard", "size"): (1, 200),
        ("val-ranked-v1.getLeaderboard", "size"): (1, 200),
    }
)

PUUID_LENGTH = 78  # every encrypted PUUID Riot hands out
_PUUID_PARAMS = frozenset({"puuid", "encryptedPUUID"})
_PUUID = re.compile(r"^[A-Za-z0-9_-]{78}$")
# LoL and TFT match ids: PLATFORM_gameId. The platform must belong to the region asked.
_MATCH_ID = re.compile(r"^([A-Za-z]+[0-9]*)_([0-9]{1,19})$")
_MATCH_ID_FAMILIES = frozenset({"match-v5", "lol-rso-match-v1", "tft-match-v1"})
_REGION_PLATFORMS = {
    "americas": frozenset({"NA1", "BR1", "LA1", "LA2"}),
    "europe": frozenset({"EUW1", "EUN1", "TR1", "RU", "ME1"}),
    "asia": frozenset({"KR", "JP1"}),
    "sea": frozenset({"OC1", "SG2", "TW2", "VN2"}),
}
_INT_PATH_PARAMS = frozenset({"championId", "challengeId", "tournamentId"})
_INT = re.compile(r"^-?[0-9]{1,19}$")


def check_request(
    endpoint: Endpoint, server: str, params: Mapping[str, str], query: Mapping[str, list[str]]
) -> tuple[int, str] | None:
    """(status, message) when Riot would refuse these values, else None.

    ``server`` is already lower case. Values asking for the emulator's documented 404
    (``notfound``/``404…``) pass, so tests can still ask for a 404 with any id.
    """
    from pyot_django.testing.app import is_not_found_value

    operation = endpoint.operation_id
    for name, value in params.items():
        if is_not_found_value(value):
            continue
        allowed = ENUMS.get((operation, name))
        if allowed is not None and value not in allowed:
            return 400, f"Bad request - {name} {value!r} is not one of {', '.join(allowed)}"
        if name in _PUUID_PARAMS and not _PUUID.match(value):
            return 400, f"Bad Request - Exception decrypting {value}"
        if name in _INT_PATH_PARAMS and not _INT.match(value):
            return 400, f"Bad request - path parameter {name} must be an integer"
        if name == "matchId" and endpoint.family in _MATCH_ID_FAMILIES:
            problem = _check_match_id(value, server)
            if problem:
                return problem
    for name, values in query.items():
        allowed = ENUMS.get((operation, name))
        if allowed is not None and any(v not in allowed for v in values):
            return 400, f"Bad request - query parameter {name} must be one of {', '.join(allowed)}"
        bounds = RANGES.get((operation, name))
        if bounds is not None:
            for v in values:
                if _INT.match(v) and not bounds[0] <= int(v) <= bounds[1]:
                    return 400, f"Bad request - query parameter {name} must be between {bounds[0]} and {bounds[1]}"
    return None


def _check_match_id(value: str, server: str) -> tuple[int, str] | None:
    found = _MATCH_ID.match(value)
    if found is None:
        return 400, f"Bad request - {value!r} is not a match id (PLATFORM_gameId, e.g. NA1_5245486208)"
    platforms = _REGION_PLATFORMS.get(server)
    if platforms is not None and found.group(1).upper() not in platforms:
        # Riot keeps a match on its region's cluster only: asked elsewhere, there is nothing.
        return 404, "Data not found - match file not found"
    return None
