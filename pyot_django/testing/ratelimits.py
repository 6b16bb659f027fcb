"""Riot's rate-limit model, as the emulator enforces it (benchmarks simulate the same).

Scopes: the *application* scope is (API key, routing value); the *method* scope is
(API key, routing value, operation). Each scope has one or more windows written
``limit:seconds`` (``20:1,100:120``).

Windows are FIXED, not sliding: a window opens at the first request counted while
no window is open, and closes ``seconds`` later; the next counted request opens a
new one at count 0. A request is admitted only if every application window and
every method window of its scopes has room (count < limit); an admitted request then
counts 1 in all of them. A rejected (429) request counts in none. With
``enforce_limits=False`` every request is admitted and counted.

A 429 names the scope that blocked (``application`` first, then ``method``) and
carries ``Retry-After``: the whole seconds, rounded up, until the last blocking
window of that scope closes. The count headers give each window's count after the
request (0 for a window that is not open).

Method limits differ per operation at Riot and are not published; ``METHOD_LIMITS`` holds
defaults shaped like real captures (``1000:60`` for account-v1 by Riot id, ``2000:60`` for
summoner-v4, ``250:10`` for the heavy league pages ...). Precedence, per operation:
``method_limits_by_operation`` from the config, else a ``method_limits`` the config changed from
its default (one limit for every operation, as tests and benchmarks set it), else this table,
else the default ``2000:10``.

Preseeding: when a scope is first used, its windows open with the configured counts
(``{"app": {"na1": [18, 95]}}``), so tests can start next to a limit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pyot_django.testing.config import DEFAULT_METHOD_LIMITS, EmulatorConfig, Limits, format_limits, parse_limits

__all__ = ["METHOD_LIMITS", "Decision", "RateLimiter", "method_limits_for"]

# fmt: off
METHOD_LIMITS: dict[str, Limits] = {op: parse_limits(spec) for op, spec in {
    "account-v1.getByRiotId": "1000:60",
    "account-v1.getByPuuid": "1000:60",
    "account-v1.getActiveShard": "20000:10,1200000:600",
    "account-v1.getActiveRegion": "20000:10,1200000:600",
    "account-v1.getByAccessToken": "20000:10,1200000:600",
    "summoner-v4.getByPUUID": "2000:60",
    "summoner-v4.getByAccessToken": "20000:10,1200000:600",
    "tft-summoner-v1.getByPUUID": "2000:60",
    "champion-mastery-v4.getAllChampionMasteriesByPUUID": "20000:10,1200000:600",
    "champion-mastery-v4.getChampionMasteryByPUUID": "20000:10,1200000:600",
    "champion-mastery-v4.getTopChampionMasteriesByPUUID": "20000:10,1200000:600",
    "champion-mastery-v4.getChampionMasteryScoreByPUUID": "20000:10,1200000:600",
    "champion-v3.getChampionInfo": "250:10,5000:600",
    "league-v4.getLeagueEntriesByPUUID": "20000:10,1200000:600",
    "league-v4.getLeagueEntries": "250:10",
    "league-exp-v4.getLeagueEntries": "250:10",
    "league-v4.getChallengerLeague": "250:10",
    "league-v4.getGrandmasterLeague": "250:10",
    "league-v4.getMasterLeague": "250:10",
    "league-v4.getLeagueById": "500:10",
    "tft-league-v1.getLeagueEntries": "250:10",
    "tft-league-v1.getChallengerLeague": "250:10",
    "tft-league-v1.getGrandmasterLeague": "250:10",
    "tft-league-v1.getMasterLeague": "250:10",
    "tft-league-v1.getTopRatedLadder": "250:10",
    "match-v5.getMatch": "2000:10",
    "match-v5.getTimeline": "2000:10",
    "match-v5.getMatchIdsByPUUID": "2000:10",
    "tft-match-v1.getMatch": "250:10",
    "tft-match-v1.getMatchIdsByPUUID": "600:10",
    "spectator-v5.getCurrentGameInfoByPuuid": "20000:10,1200000:600",
    "spectator-tft-v5.getCurrentGameInfoByPuuid": "20000:10,1200000:600",
    "lol-status-v4.getPlatformData": "20000:10,1200000:600",
    "tft-status-v1.getPlatformData": "20000:10,1200000:600",
    "clash-v1.getTournaments": "200:60",
    "clash-v1.getTeamById": "200:60",
    "lol-challenges-v1.getPlayerData": "2000:60",
    "val-match-v1.getMatch": "250:10",
    "val-match-v1.getMatchlist": "250:10",
    "lor-match-v1.getMatch": "250:10,500:600",
    "lor-ranked-v1.getLeaderboards": "250:10,5000:600",
}.items()}
# fmt: on


def method_limits_for(config: EmulatorConfig, operation: str) -> Limits:
    """The method limits ``operation`` answers with under ``config`` (precedence: module docstring)."""
    configured = config.method_limits_by_operation.get(operation)
    if configured is not None:
        return configured
    if config.method_limits != DEFAULT_METHOD_LIMITS:
        return config.method_limits
    return METHOD_LIMITS.get(operation, DEFAULT_METHOD_LIMITS)


class _Window:
    __slots__ = ("count", "end", "limit", "seconds")

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.end = -math.inf  # closed: the next counted request opens it
        self.count = 0

    def current(self, now: float) -> int:
        return self.count if now < self.end else 0


@dataclass(frozen=True, slots=True)
class Decision:
    admitted: bool
    headers: list[tuple[bytes, bytes]]  # the four X-*-Rate-Limit(-Count) headers
    limit_type: str | None = None  # "application" or "method" when not admitted
    retry_after: int | None = None


class RateLimiter:
    """Fixed-window counters per scope. Not thread-safe: the emulator holds its lock around it."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.configure(config)

    def configure(self, config: EmulatorConfig) -> None:
        """Adopt new limits; open windows are dropped since they may no longer match."""
        self._config = config
        self._app: dict[tuple[str, str], list[_Window]] = {}
        self._method: dict[tuple[str, str, str], list[_Window]] = {}
        self._app_header = format_limits(config.app_limits).encode()
        self._method_headers: dict[str, bytes] = {}

    def reset(self) -> None:
        self.configure(self._config)

    def hit(self, key: str, server: str, operation: str, now: float) -> Decision:
        """Count a request if every window has room (always, when limits are not enforced)."""
        app = self._app_windows(key, server, now)
        method = self._method_windows(key, server, operation, now)
        if self._config.enforce_limits:
            for scope, windows in (("application", app), ("method", method)):
                blocking = [w for w in windows if now < w.end and w.count >= w.limit]
                if blocking:
                    retry = max(math.ceil(w.end - now) for w in blocking)
                    return Decision(False, self._headers(app, method, operation, now), scope, max(retry, 1))
        for window in (*app, *method):
            if now >= window.end:
                window.end = now + window.seconds
                window.count = 0
            window.count += 1
        return Decision(True, self._headers(app, method, operation, now))

    def peek(self, key: str, server: str, operation: str, now: float) -> list[tuple[bytes, bytes]]:
        """The headers for a response that is not counted (auth and routing errors)."""
        app = self._app.get((key, server)) or self._fresh(self._config.app_limits)
        method = self._method.get((key, server, operation)) or self._fresh(method_limits_for(self._config, operation))
        return self._headers(app, method, operation, now)

    def _app_windows(self, key: str, server: str, now: float) -> list[_Window]:
        windows = self._app.get((key, server))
        if windows is None:
            windows = self._fresh(self._config.app_limits)
            self._seed(windows, self._config.preseed.get("app", {}).get(server), now)
            self._app[(key, server)] = windows
        return windows

    def _method_windows(self, key: str, server: str, operation: str, now: float) -> list[_Window]:
        windows = self._method.get((key, server, operation))
        if windows is None:
            windows = self._fresh(method_limits_for(self._config, operation))
            by_server = self._config.preseed.get("method", {}).get(server) or {}
            self._seed(windows, by_server.get(operation), now)
            self._method[(key, server, operation)] = windows
        return windows

    @staticmethod
    def _fresh(limits: Limits) -> list[_Window]:
        return [_Window(limit, seconds) for limit, seconds in limits]

    @staticmethod
    def _seed(windows: list[_Window], counts: Sequence[int] | None, now: float) -> None:
        for window, count in zip(windows, counts or (), strict=False):
            if count:
                window.end = now + window.seconds
                window.count = int(count)

    def _headers(
        self, app: list[_Window], method: list[_Window], operation: str, now: float
    ) -> list[tuple[bytes, bytes]]:
        method_header = self._method_headers.get(operation)
        if method_header is None:
            method_header = format_limits(method_limits_for(self._config, operation)).encode()
            self._method_headers[operation] = method_header
        return [
            (b"x-app-rate-limit", self._app_header),
            (b"x-app-rate-limit-count", _counts(app, now)),
            (b"x-method-rate-limit", method_header),
            (b"x-method-rate-limit-count", _counts(method, now)),
        ]


def _counts(windows: list[_Window], now: float) -> bytes:
    return ",".join(f"{w.current(now)}:{w.seconds:g}" for w in windows).encode()
