"""The routing helpers a view needs, exported from ``pyot_django.riot``."""

from __future__ import annotations

import pytest

from pyot_django import riot
from pyot_django.exceptions import NotFindable, RoutingError


def test_every_platform_has_a_match_region_and_an_account_region():
    assert set(riot.PLATFORM_REGIONS) == set(riot.PLATFORMS)
    for platform in riot.PLATFORMS:
        assert riot.region_of(platform) in riot.REGIONS
        assert riot.account_region_of(platform) in riot.ACCOUNT_REGIONS
    assert riot.region_of("EUW1") == "europe" and riot.region_of(" kr ") == "asia"
    assert riot.region_of("oc1") == "sea" and riot.account_region_of("oc1") == "asia"


@pytest.mark.parametrize("bad", ["xx1", "americas", "", None, 3])
def test_an_unknown_platform_is_a_routing_error_a_view_can_answer_400(bad):
    with pytest.raises(RoutingError) as failure:
        riot.region_of(bad)
    assert isinstance(failure.value, ValueError) and "platform" in str(failure.value)


def test_match_ids_name_their_platform_and_region():
    assert riot.platform_of_match("EUW1_6543210") == "euw1"
    assert riot.region_of_match("NA1_5389898818") == "americas"
    for bad in ("bogus", "NA1_", "NA1_abc", "XX1_123", 5):
        with pytest.raises(RoutingError):
            riot.region_of_match(bad)


def test_routing_values_per_operation_are_what_the_store_accepts():
    from pyot_django.riot import check_server, get_endpoint

    for operation, game in (("summoner-v4.getByPUUID", "lol"), ("match-v5.getMatch", "lol"),
                            ("val-match-v1.getMatch", "val"), ("account-v1.getByRiotId", None)):  # fmt: skip
        values = riot.routing_values(operation, game)
        endpoint = get_endpoint(game or "riot", operation)
        for server in values:
            check_server(endpoint, server)  # accepted
    assert riot.routing_values("summoner-v4.getByPUUID") == riot.PLATFORMS
    assert riot.routing_values("match-v5.getMatch") == riot.REGIONS
    with pytest.raises(NotFindable):
        riot.routing_values("match-v5.getMach")
    with pytest.raises(NotFindable):
        riot.routing_values("val-match-v1.getMatch", "lol")  # not a lol operation


def test_the_testproject_uses_them():
    from testproject import riot as site

    assert site.region_of is riot.region_of and site.PLATFORMS is riot.PLATFORM_REGIONS
