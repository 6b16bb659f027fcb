"""One test per RiotAPI check id added for issue 9 (E019-E024, W003, W004), and E015's new cases."""

from __future__ import annotations

import math

import pytest
from django.core import checks

from tests.helpers import API_KEY
from tests.test_checks import MEMORY, only, run_checks

RIOT = {"BACKEND": "pyot_django.stores.RiotAPI", "API_KEY": API_KEY, "BASE_URL": "http://127.0.0.1:1/{server}"}
KEY = "PYOT['lol']['STORES'][1]"


def riot(**options):
    return {"lol": {"STORES": [MEMORY, {**RIOT, **options}]}}


@pytest.mark.parametrize("timeout", [math.nan, math.inf, -math.inf])
def test_E015_timeout_nan_or_inf(timeout):
    assert f"{KEY}['TIMEOUT']" in only(riot(TIMEOUT=timeout), "E015").msg


@pytest.mark.parametrize(
    ("handling", "bound"),
    [
        ({503: ("E", [math.inf, 3])}, "base"),
        ({503: ("E", [60, 3])}, "base"),
        ({500: ("R", [10**9])}, "retries"),
        ({504: ("E", [10, 8])}, "last backoff"),
    ],
)
def test_E019_unbounded_error_handling(handling, bound):
    message = only(riot(ERROR_HANDLING=handling), "E019")
    assert f"{KEY}['ERROR_HANDLING']" in message.msg and bound in message.msg and "bound" in message.msg


@pytest.mark.parametrize("url", ["http://127.0.0.1:1/{server}/{other}", "https://{server}.x/{0}", "http://{server}/{"])
def test_E020_base_url_with_another_placeholder(url):
    assert f"{KEY}['BASE_URL']" in only(riot(BASE_URL=url), "E020").msg


@pytest.mark.parametrize("key", [API_KEY + "\n", " " + API_KEY, "RGAPI-a b", "RGAPI-\x00x"])
def test_E021_api_key_with_whitespace(key):
    message = only(riot(API_KEY=key), "E021")
    assert f"{KEY}['API_KEY']" in message.msg and ".strip()" in message.hint
    assert key.strip() not in message.msg + message.hint  # never the key itself


@pytest.mark.parametrize("cap", [-1, 901, math.inf, math.nan, "60", True])
def test_E022_bad_max_retry_after(cap):
    assert f"{KEY}['MAX_RETRY_AFTER']" in only(riot(MAX_RETRY_AFTER=cap), "E022").msg


@pytest.mark.parametrize("deadline", [0, -2, math.inf, math.nan, "2", True])
def test_E023_bad_deadline(deadline):
    assert f"{KEY}['DEADLINE']" in only(riot(DEADLINE=deadline), "E023").msg


@pytest.mark.parametrize("size", [0, -1, 2**31, 1.5e6, "16MB", True])
def test_E024_bad_max_response_size(size):
    assert f"{KEY}['MAX_RESPONSE_SIZE']" in only(riot(MAX_RESPONSE_SIZE=size), "E024").msg


def test_W003_max_response_size_below_real_payloads():
    message = only(riot(MAX_RESPONSE_SIZE=100_000), "W003")
    assert message.level == checks.WARNING and "timeline" in message.msg


def test_W004_no_limiter_against_the_real_riot_api():
    options = {k: v for k, v in RIOT.items() if k != "BASE_URL"}
    message = only({"lol": {"STORES": [MEMORY, {**options, "RATE_LIMITER": None}]}}, "W004")
    assert message.level == checks.WARNING and "blacklisted" in message.msg
    assert run_checks(riot(RATE_LIMITER=None)) == []  # an emulator URL: fine


def test_the_new_options_pass_with_good_values():
    assert run_checks(riot(DEADLINE=2.5, MAX_RETRY_AFTER=30, MAX_RESPONSE_SIZE=8 * 1024 * 1024, TIMEOUT=3)) == []
