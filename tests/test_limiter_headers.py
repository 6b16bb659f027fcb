"""Parsing Riot's rate-limit headers into the facts both limiters learn from."""

from __future__ import annotations

import httpx
import pytest

from pyot_django.limiters import parse_pairs, parse_retry_after, read_feedback


@pytest.mark.parametrize(("value", "pairs"), [
    ("20:1,100:120", ((20, 1), (100, 120))),
    ("500:10, 30000:600", ((500, 10), (30000, 600))),
    ("2000:10", ((2000, 10),)),
    ("3:1,17:120,1:3600", ((3, 1), (17, 120), (1, 3600))),
    ("", ()),
    (None, ()),
    ("garbage,5:1,7:x,:3,4:0", ((5, 1),)),
])
def test_parse_pairs(value: str | None, pairs: tuple[tuple[int, int], ...]) -> None:
    assert parse_pairs(value) == pairs


@pytest.mark.parametrize(("value", "seconds"), [
    ("7", 7.0), (" 0 ", 0.0), ("1.5", 1.5), (None, None), ("Wed, 21 Oct 2015 07:28:00 GMT", None),
    ("-3", None), ("nan", None),
])
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value) == seconds


def test_read_feedback_is_case_insensitive_for_httpx_and_dicts() -> None:
    raw = {"x-app-rate-limit": "20:1,100:120", "X-App-Rate-Limit-Count": "3:1,17:120",
           "X-METHOD-RATE-LIMIT": "2000:10", "x-method-rate-limit-count": "5:10",
           "X-Rate-Limit-Type": "Application", "Retry-After": "4"}
    for headers in (raw, httpx.Headers(raw)):
        feedback = read_feedback(429, headers)
        app, method = feedback.scopes
        assert app.limits == ((20, 1), (100, 120)) and app.count_for(120) == 17
        assert method.raw == "2000:10" and method.count_for(10) == 5 and method.count_for(1) is None
        assert feedback.limit_type == "application" and feedback.retry_after == 4.0


def test_feedback_without_headers() -> None:
    feedback = read_feedback(500, {})
    assert feedback.scopes[0].raw is None and feedback.limit_type is None and feedback.retry_after is None
    assert feedback.as_json() == {"s": 500, "sc": [{"raw": False, "l": [], "c": []}] * 2, "ty": "", "ra": -1}
