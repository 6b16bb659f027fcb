"""Riot's rate-limit model in the emulator: the windows exactly (with a fake clock) and over HTTP."""

from __future__ import annotations

import time

import httpx

from pyot_django.testing import EmulatorConfig, RunningEmulator
from pyot_django.testing.ratelimits import RateLimiter
from tests.helpers import puuid

KEY = {"X-Riot-Token": "RGAPI-test"}
SUMMONER = f"/na1/lol/summoner/v4/summoners/by-puuid/{puuid('p-1')}"  # Riot's 78-char shape
MATCH = "/americas/lol/match/v5/matches/NA1_1"


def limiter(**options: object) -> RateLimiter:
    return RateLimiter(EmulatorConfig().replace(**options))


def header(decision_headers: list[tuple[bytes, bytes]], name: bytes) -> str:
    return dict(decision_headers)[name].decode()


def test_fixed_window_opens_at_first_request_and_closes_after_its_length() -> None:
    rl = limiter(app_limits="3:10", method_limits="100:10")
    assert [rl.hit("k", "na1", "op", t).admitted for t in (100.0, 101.0, 102.0)] == [True, True, True]
    blocked = rl.hit("k", "na1", "op", 105.0)
    assert not blocked.admitted
    assert blocked.limit_type == "application"
    assert blocked.retry_after == 5  # the window opened at 100 closes at 110
    assert header(blocked.headers, b"x-app-rate-limit-count") == "3:10"
    late = rl.hit("k", "na1", "op", 109.2)
    assert late.retry_after == 1  # 0.8 s rounded up
    # Fixed, not sliding: at 110 a new window opens even though requests came at 101 and 102.
    fresh = rl.hit("k", "na1", "op", 110.0)
    assert fresh.admitted
    assert header(fresh.headers, b"x-app-rate-limit-count") == "1:10"


def test_rejected_requests_count_in_no_window() -> None:
    rl = limiter(app_limits="2:10,100:100", method_limits="50:100")
    rl.hit("k", "na1", "op", 0.0)
    rl.hit("k", "na1", "op", 0.1)
    for t in (1.0, 2.0, 3.0):
        assert not rl.hit("k", "na1", "op", t).admitted
    after = rl.hit("k", "na1", "op", 10.0)
    assert header(after.headers, b"x-app-rate-limit-count") == "1:10,3:100"
    assert header(after.headers, b"x-method-rate-limit-count") == "3:100"


def test_method_limit_and_its_scope() -> None:
    rl = limiter(app_limits="100:10", method_limits="100:10", method_limits_by_operation={"slow": "2:5"})
    assert rl.hit("k", "na1", "slow", 0.0).admitted
    assert rl.hit("k", "na1", "slow", 1.0).admitted
    blocked = rl.hit("k", "na1", "slow", 2.0)
    assert (blocked.admitted, blocked.limit_type, blocked.retry_after) == (False, "method", 3)
    assert header(blocked.headers, b"x-method-rate-limit") == "2:5"
    # Other operations, servers and keys have their own method scopes.
    assert rl.hit("k", "na1", "fast", 2.0).admitted
    assert rl.hit("k", "euw1", "slow", 2.0).admitted
    assert rl.hit("other", "na1", "slow", 2.0).admitted
    # The blocked method request did not count in the app window either.
    assert header(rl.hit("k", "na1", "fast", 2.5).headers, b"x-app-rate-limit-count") == "4:10"


def test_application_blocks_before_method() -> None:
    rl = limiter(app_limits="1:10", method_limits="1:20")
    rl.hit("k", "na1", "op", 0.0)
    blocked = rl.hit("k", "na1", "op", 1.0)
    assert (blocked.limit_type, blocked.retry_after) == ("application", 9)


def test_retry_after_is_the_longest_blocking_window() -> None:
    rl = limiter(app_limits="1:2,1:30", method_limits="100:10")
    rl.hit("k", "na1", "op", 0.0)
    assert rl.hit("k", "na1", "op", 1.0).retry_after == 29


def test_not_enforced_still_counts() -> None:
    rl = limiter(app_limits="1:10", enforce_limits=False)
    decisions = [rl.hit("k", "na1", "op", t) for t in (0.0, 1.0, 2.0)]
    assert all(d.admitted for d in decisions)
    assert header(decisions[-1].headers, b"x-app-rate-limit-count") == "3:10"


def test_preseed() -> None:
    rl = limiter(
        app_limits="20:1,100:120",
        preseed={"app": {"na1": [18, 95]}, "method": {"na1": {"op": [1999]}}},
    )
    first = rl.hit("k", "na1", "op", 0.0)
    assert header(first.headers, b"x-app-rate-limit-count") == "19:1,96:120"
    assert header(first.headers, b"x-method-rate-limit-count") == "2000:10"
    blocked = rl.hit("k", "na1", "op", 0.5)
    assert blocked.limit_type == "method"
    # Other servers start empty.
    assert header(rl.hit("k", "euw1", "op", 0.0).headers, b"x-app-rate-limit-count") == "1:1,1:120"


def test_peek_does_not_count() -> None:
    rl = limiter(app_limits="5:10")
    rl.hit("k", "na1", "op", 0.0)
    assert header(rl.peek("k", "na1", "op", 1.0), b"x-app-rate-limit-count") == "1:10"
    assert header(rl.peek("k", "na1", "op", 11.0), b"x-app-rate-limit-count") == "0:10"
    assert header(rl.peek("new", "na1", "op", 1.0), b"x-app-rate-limit-count") == "0:10"


# -- over HTTP ---------------------------------------------------------------------------------


def test_default_headers(emu: RunningEmulator, http: httpx.Client) -> None:
    response = http.get(SUMMONER, headers=KEY)
    assert response.headers["x-app-rate-limit"] == "20:1,100:120"
    assert response.headers["x-app-rate-limit-count"] == "1:1,1:120"
    # Method limits vary per operation like real captures (summoner-v4: 2000 per minute).
    assert response.headers["x-method-rate-limit"] == "2000:60"
    assert response.headers["x-method-rate-limit-count"] == "1:60"
    response = http.get(MATCH, headers=KEY)  # another routing value: another app scope
    assert response.headers["x-app-rate-limit-count"] == "1:1,1:120"


def test_application_429_over_http(emu: RunningEmulator, http: httpx.Client) -> None:
    # A long window so a slow machine cannot see it close mid-test.
    emu.emulator.configure(app_limits="3:30,100:120")
    statuses = [http.get(SUMMONER, headers=KEY).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    blocked = http.get(SUMMONER, headers=KEY)
    assert blocked.status_code == 429
    assert blocked.headers["x-rate-limit-type"] == "application"
    assert 28 <= int(blocked.headers["retry-after"]) <= 30
    assert blocked.headers["x-app-rate-limit-count"] == "3:30,3:120"
    assert blocked.json() == {"status": {"message": "Rate limit exceeded", "status_code": 429}}
    # Another key is a separate application scope.
    assert http.get(SUMMONER, headers={"X-Riot-Token": "other"}).status_code == 200
    stats = emu.emulator.stats()
    assert stats["rate_limited"]["application"] == 1
    assert stats["by_status"]["summoner-v4.getByPUUID"] == {"200": 4, "429": 1}


def test_method_429_over_http(emu: RunningEmulator, http: httpx.Client) -> None:
    emu.emulator.configure(method_limits_by_operation={"match-v5.getMatch": "2:30"})
    assert http.get(MATCH, headers=KEY).status_code == 200
    assert http.get(MATCH, headers=KEY).status_code == 200
    blocked = http.get(MATCH, headers=KEY)
    assert blocked.status_code == 429
    assert blocked.headers["x-rate-limit-type"] == "method"
    assert blocked.headers["x-method-rate-limit"] == "2:30"
    assert 28 <= int(blocked.headers["retry-after"]) <= 30
    assert http.get(SUMMONER, headers=KEY).status_code == 200  # other methods are not blocked
    assert emu.emulator.stats()["rate_limited"]["method"] == 1


def test_window_reopens_after_retry_after(emu: RunningEmulator, http: httpx.Client) -> None:
    emu.emulator.configure(app_limits="2:1")
    assert http.get(SUMMONER, headers=KEY).status_code == 200
    assert http.get(SUMMONER, headers=KEY).status_code == 200
    blocked = http.get(SUMMONER, headers=KEY)
    if blocked.status_code == 429:  # on a slow machine the 1 s window may already have closed
        assert blocked.headers["retry-after"] == "1"
        time.sleep(1.05)
    assert http.get(SUMMONER, headers=KEY).status_code == 200


def test_preseed_over_http(emu: RunningEmulator, http: httpx.Client) -> None:
    emu.emulator.configure(app_limits="20:30,100:120", preseed={"app": {"na1": [18, 95]}})
    first = http.get(SUMMONER, headers=KEY)
    assert first.headers["x-app-rate-limit-count"] == "19:30,96:120"
    assert http.get(SUMMONER, headers=KEY).status_code == 200
    assert http.get(SUMMONER, headers=KEY).status_code == 429


def test_limits_off_still_send_headers(emu: RunningEmulator, http: httpx.Client) -> None:
    emu.emulator.configure(app_limits="1:30", enforce_limits=False)
    responses = [http.get(SUMMONER, headers=KEY) for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 5
    assert responses[-1].headers["x-app-rate-limit-count"] == "5:30"
    # Turning enforcement back on keeps the open windows.
    emu.emulator.configure(enforce_limits=True)
    assert http.get(SUMMONER, headers=KEY).status_code == 429


def test_every_error_carries_the_headers(emu: RunningEmulator, http: httpx.Client) -> None:
    emu.emulator.script("*", [500, 503, {"status": 429, "retry_after": None}])
    for _ in range(3):
        response = http.get(SUMMONER, headers=KEY)
        assert response.status_code >= 400
        assert response.headers["x-app-rate-limit-count"]
        assert response.headers["x-method-rate-limit-count"]
