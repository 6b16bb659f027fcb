"""Parameters are validated, not stringified: the URL and the cache key come from one normalised value."""

from __future__ import annotations

import httpx
import pytest

from pyot_django.exceptions import ParameterError, PyotError, RoutingError
from pyot_django.pipeline import PipelineToken
from pyot_django.riot import build_path, encode_query, get_endpoint
from pyot_django.riot.endpoint import QueryParam
from pyot_django.riot.params import normalise_queries
from tests.helpers import make_pipeline, riot_store

SUMMONER = "summoner-v4.getByPUUID"
MATCH_IDS = "match-v5.getMatchIdsByPUUID"


@pytest.mark.parametrize("value", [True, False, b"abc", None, 1.5, ["a"], ("a",), {"a": 1}, "", ".", ".."])
def test_bad_path_values_raise_a_parameter_error_naming_the_parameter(value):
    with pytest.raises(ParameterError) as caught:
        PipelineToken("lol", "na1", SUMMONER, {"encryptedPUUID": value}, {})
    assert "'encryptedPUUID'" in str(caught.value)
    assert isinstance(caught.value, PyotError)


def test_ints_and_odd_strings_are_path_values():
    token = PipelineToken(
        "lol",
        "na1",
        "champion-mastery-v4.getChampionMasteryByPUUID",
        {"encryptedPUUID": "a/b ..", "championId": 266},
        {},
    )
    assert token.params == {"encryptedPUUID": "a/b ..", "championId": "266"}
    path = build_path(get_endpoint("lol", token.method), token.params)
    assert path.endswith("/by-puuid/a%2Fb%20../by-champion/266")


@pytest.mark.parametrize("server", [1, None, b"na1", ["na1"]])
def test_a_server_that_is_not_a_string_is_a_routing_error_not_attribute_error(server):
    with pytest.raises(RoutingError) as caught:
        PipelineToken("lol", server, SUMMONER, {"encryptedPUUID": "p"}, {})
    assert "server" in str(caught.value)


def test_fetch_with_an_int_server_is_a_routing_error():
    lol = make_pipeline(riot_store("http://127.0.0.1:9/{server}"))
    with pytest.raises(RoutingError):
        lol.token(SUMMONER, 1, encryptedPUUID="p")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("queries", "fragment"),
    [
        ({"count": True}, "'count' is of type int, not bool"),
        ({"queue": [420, 440]}, "'queue' takes a single value"),
        ({"start": b"0"}, "'start' must be a str, int or float"),
        ({"start": float("nan")}, "'start' must be a finite number"),
        ({"start": object()}, "'start' must be a str, int or float"),
    ],
)
def test_bad_query_values_raise_naming_the_parameter(queries, fragment):
    with pytest.raises(ParameterError) as caught:
        PipelineToken("lol", "americas", MATCH_IDS, {"puuid": "p"}, queries)
    assert fragment in str(caught.value)


def test_lists_and_bools_where_the_operation_takes_them():
    specs = {"tags": QueryParam("tags", "string", is_list=True), "flag": QueryParam("flag", "bool")}
    assert normalise_queries("x", {"tags": ["b", 1], "flag": True, "gone": None}, specs) == {
        "tags": ("b", "1"),
        "flag": "true",
    }
    with pytest.raises(ParameterError, match="'tags' must be a str"):
        normalise_queries("x", {"tags": [b"b"]}, specs)


def test_url_and_cache_key_come_from_the_same_values():
    # An operation outside the catalogue takes bools generically: True is "true" in both.
    token = PipelineToken("lol", "na1", "custom-v1.thing", {"id": 7}, {"flag": True, "ids": [3, 1]})
    assert token.queries == {"flag": "true", "ids": ("3", "1")}
    assert token.stringify == "lol:na1:custom-v1.thing:id=7?flag=true&ids=3&ids=1"
    url = httpx.URL("http://x/", params=encode_query(token.queries))
    assert url.query == b"flag=true&ids=3&ids=1"
    assert PipelineToken("lol", "na1", "custom-v1.thing", {"id": "7"}, {"flag": "true", "ids": ["3", "1"]}) == token
