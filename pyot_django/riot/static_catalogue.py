"""The static-data operations: Data Dragon, CommunityDragon, Meraki and valorant-api.com.

Not Riot API operations (``ENDPOINTS`` stays the reference's 82): each family is
served by its own service store (``DDragon``, ``CDragon``, ``MerakiCDN``,
``ValorantContent``), and ``RiotAPI`` answers ``NotFindable`` for them so a token
walks on to the store that serves it. Paths are relative to the store's
``BASE_URL``; their routing value is always ``"global"``. ``{version}`` takes a
patch (``14.23.1`` for Data Dragon, ``14.23`` for CommunityDragon) or ``latest``;
``{locale}`` is the source's own spelling (``en_US``; CommunityDragon ``default``
or ``en_gb``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pyot_django.riot.endpoint import Endpoint, QueryParam
from pyot_django.riot.routing import STATIC

__all__ = ["STATIC_ENDPOINTS", "STATIC_FAMILIES", "StaticEndpoint", "static_endpoints_for_game"]

_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class StaticEndpoint(Endpoint):
    """A static-data operation; ``games`` are the pipelines that serve it."""

    games: frozenset[str] = frozenset()
    response_annotation: str = "dict[str, Any]"  # the type typed_fetch declares for its answer

    def __repr__(self) -> str:
        return f"<StaticEndpoint {self.operation_id} {self.path}>"


def _query(spec: str) -> QueryParam:
    name, _, type_ = spec.partition(":")
    return QueryParam(name, type_ or "string")


def _family(family: str, games: str, ops: tuple[tuple[str, ...], ...]) -> list[StaticEndpoint]:
    endpoints = []
    for name, path, *rest in ops:
        response = rest[0] if rest else "dict[str, Any]"
        queries = rest[1].split() if len(rest) > 1 else []
        endpoints.append(
            StaticEndpoint(
                operation_id=f"{family}.{name}",
                http_method="GET",
                path=path,
                route=STATIC,
                game=games.split()[0],
                path_params=tuple(dict.fromkeys(_PARAM.findall(path))),  # LoR repeats {set} and {locale}
                query_params=MappingProxyType({q.partition(":")[0]: _query(q) for q in queries}),
                games=frozenset(games.split()),
                response_annotation=response,
                returns="array" if response.startswith("list[") else "object",  # what HttpClient accepts
            )
        )
    return endpoints


_LIST = "list[dict[str, Any]]"
_DD = "/cdn/{version}/data/{locale}"
_CD = "/{version}/plugins/rcp-be-lol-game-data/global/{locale}/v1"
_VAL_LANG = "language"

# fmt: off
_FAMILIES: tuple[list[StaticEndpoint], ...] = (
    _family("ddragon", "lol tft", (
        ("versions", "/api/versions.json", "list[str]"),
        ("languages", "/cdn/languages.json", "list[str]"),
        ("champions", _DD + "/champion.json"),
        ("championFull", _DD + "/championFull.json"),
        ("champion", _DD + "/champion/{championKey}.json"),
        ("items", _DD + "/item.json"),
        ("runesReforged", _DD + "/runesReforged.json", _LIST),
        ("summonerSpells", _DD + "/summoner.json"),
        ("profileIcons", _DD + "/profileicon.json"),
        ("maps", _DD + "/map.json"),
        ("tftChampions", _DD + "/tft-champion.json"),
        ("tftItems", _DD + "/tft-item.json"),
        ("tftTraits", _DD + "/tft-trait.json"),
        ("tftAugments", _DD + "/tft-augments.json"),
    )),
    # Legends of Runeterra's Data Dragon lives on another host (the DDragon store's LOR_BASE_URL).
    _family("ddragon", "lor", (
        ("lorSet", "/{version}/set{set}/{locale}/data/set{set}-{locale}.json", _LIST),
        ("lorCore", "/{version}/core/{locale}/data/globals-{locale}.json"),
    )),
    _family("cdragon", "lol", (
        ("championSummary", _CD + "/champion-summary.json", _LIST),
        ("champion", _CD + "/champions/{championId}.json"),
        ("items", _CD + "/items.json", _LIST),
        ("perks", _CD + "/perks.json", _LIST),
        ("perkStyles", _CD + "/perkstyles.json"),
        ("queues", _CD + "/queues.json", _LIST),
        ("summonerSpells", _CD + "/summoner-spells.json", _LIST),
        ("profileIcons", _CD + "/profile-icons.json", _LIST),
        ("skins", _CD + "/skins.json"),
        ("maps", _CD + "/maps.json", _LIST),
    )),
    _family("cdragon", "tft lol", (
        ("tft", "/{version}/cdragon/tft/{locale}.json"),
    )),
    _family("meraki", "lol", (
        ("champions", "/latest/en-US/champions.json"),
        ("champion", "/latest/en-US/champions/{championKey}.json"),
        ("items", "/latest/en-US/items.json"),
        ("item", "/latest/en-US/items/{itemId}.json"),
        ("championRates", "/latest/en-US/championrates.json"),
        ("patches", "/patches.json"),
    )),
    _family("valorant", "val", (
        ("version", "/v1/version"),
        ("agents", "/v1/agents", "dict[str, Any]", f"{_VAL_LANG} isPlayableCharacter:bool"),
        ("agent", "/v1/agents/{agentUuid}", "dict[str, Any]", _VAL_LANG),
        ("maps", "/v1/maps", "dict[str, Any]", _VAL_LANG),
        ("map", "/v1/maps/{mapUuid}", "dict[str, Any]", _VAL_LANG),
        ("weapons", "/v1/weapons", "dict[str, Any]", _VAL_LANG),
        ("weapon", "/v1/weapons/{weaponUuid}", "dict[str, Any]", _VAL_LANG),
        ("buddies", "/v1/buddies", "dict[str, Any]", _VAL_LANG),
        ("bundles", "/v1/bundles", "dict[str, Any]", _VAL_LANG),
        ("ceremonies", "/v1/ceremonies", "dict[str, Any]", _VAL_LANG),
        ("competitiveTiers", "/v1/competitivetiers", "dict[str, Any]", _VAL_LANG),
        ("contentTiers", "/v1/contenttiers", "dict[str, Any]", _VAL_LANG),
        ("contracts", "/v1/contracts", "dict[str, Any]", _VAL_LANG),
        ("currencies", "/v1/currencies", "dict[str, Any]", _VAL_LANG),
        ("events", "/v1/events", "dict[str, Any]", _VAL_LANG),
        ("gameModes", "/v1/gamemodes", "dict[str, Any]", _VAL_LANG),
        ("gear", "/v1/gear", "dict[str, Any]", _VAL_LANG),
        ("levelBorders", "/v1/levelborders", "dict[str, Any]", _VAL_LANG),
        ("playerCards", "/v1/playercards", "dict[str, Any]", _VAL_LANG),
        ("playerTitles", "/v1/playertitles", "dict[str, Any]", _VAL_LANG),
        ("seasons", "/v1/seasons", "dict[str, Any]", _VAL_LANG),
        ("sprays", "/v1/sprays", "dict[str, Any]", _VAL_LANG),
        ("themes", "/v1/themes", "dict[str, Any]", _VAL_LANG),
    )),
)
# fmt: on

STATIC_ENDPOINTS: Mapping[str, StaticEndpoint] = MappingProxyType(
    {endpoint.operation_id: endpoint for family in _FAMILIES for endpoint in family}
)
# The store that serves each family (the prefix of its operation ids).
STATIC_FAMILIES: Mapping[str, str] = MappingProxyType(
    {"ddragon": "DDragon", "cdragon": "CDragon", "meraki": "MerakiCDN", "valorant": "ValorantContent"}
)


def _for_game(game: str) -> Mapping[str, StaticEndpoint]:
    return MappingProxyType({oid: ep for oid, ep in STATIC_ENDPOINTS.items() if game in ep.games})


_BY_GAME = {game: _for_game(game) for game in ("lol", "tft", "lor", "val")}
_NONE: Mapping[str, StaticEndpoint] = MappingProxyType({})


def static_endpoints_for_game(game: str) -> Mapping[str, StaticEndpoint]:
    """The static-data operations a pipeline of ``game`` can serve (empty for other games)."""
    return _BY_GAME.get(game, _NONE)
