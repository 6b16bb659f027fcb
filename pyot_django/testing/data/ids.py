"""Identities: routing values, PUUIDs minted per API key, Riot ids, and the bounded registries
that let an id handed out by one endpoint resolve at another."""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from typing import Generic, TypeVar

from ._core import b64id, rng

PLATFORMS_BY_REGION: dict[str, tuple[str, ...]] = {
    "americas": ("NA1", "BR1", "LA1", "LA2"),
    "europe": ("EUW1", "EUN1", "TR1", "RU", "ME1"),
    "asia": ("KR", "JP1"),
    "sea": ("OC1", "SG2", "TW2", "VN2"),
}
REGION_OF_PLATFORM: dict[str, str] = {p: r for r, ps in PLATFORMS_BY_REGION.items() for p in ps}
# The tag Riot gives an account by default, per home platform.
DEFAULT_TAG: dict[str, str] = {
    "NA1": "NA1",
    "BR1": "BR1",
    "LA1": "LAN",
    "LA2": "LAS",
    "EUW1": "EUW",
    "EUN1": "EUNE",
    "TR1": "TR1",
    "RU": "RU1",
    "ME1": "ME1",
    "KR": "KR1",
    "JP1": "JP1",
    "OC1": "OCE",
    "SG2": "SG2",
    "TW2": "TW2",
    "VN2": "VN2",
}
VAL_SHARDS = ("ap", "br", "eu", "kr", "latam", "na")

K = TypeVar("K")
V = TypeVar("V")


class BoundedRegistry(Generic[K, V]):
    """An insertion-ordered map that forgets its oldest entries past ``maxsize``.

    Bounded because a long benchmark mints millions of ids; forgetting only degrades an old id to
    its generated fallback, it never breaks a request.
    """

    def __init__(self, maxsize: int) -> None:
        self._data: OrderedDict[K, V] = OrderedDict()
        self._maxsize = maxsize

    def remember(self, key: K, value: V) -> None:
        data = self._data
        if key in data:
            data[key] = value
            return
        data[key] = value
        if len(data) > self._maxsize:
            data.popitem(last=False)

    def get(self, key: K) -> V | None:
        return self._data.get(key)

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


# (key_id, puuid) -> (gameName, tagLine) as first seen: getByPuuid answers with the caller's casing.
ACCOUNTS: BoundedRegistry[tuple[str, str], tuple[str, str]] = BoundedRegistry(200_000)


def platform_of(server: str) -> str:
    """The platform a request's server stands for (a region stands for its first platform)."""
    up = server.upper()
    if up in REGION_OF_PLATFORM:
        return up
    return PLATFORMS_BY_REGION.get(server.lower(), ("NA1",))[0]


def region_of(server: str) -> str:
    low = server.lower()
    if low in PLATFORMS_BY_REGION:
        return low
    return REGION_OF_PLATFORM.get(server.upper(), "americas")


def home_platform(puuid: str, region: str) -> str:
    """Where a player's matches are played, within the region asked: mostly the main platform,
    because most of a region's players are on it."""
    platforms = PLATFORMS_BY_REGION.get(region, ("NA1",))
    r = rng("home", puuid)
    return platforms[0] if r.random() < 0.6 else r.choice(platforms)


@lru_cache(maxsize=65_536)
def mint_puuid(game_name: str, tag_line: str, key: str) -> str:
    """Riot ids are case-insensitive and PUUIDs are encrypted per API key: fold case, mix the key."""
    return b64id(78, "puuid", game_name.casefold(), tag_line.casefold(), key)


def summoner_id(puuid: str) -> str:
    return b64id(47, "summoner", puuid)


_ONSETS = ("k", "z", "v", "m", "t", "r", "s", "d", "n", "l", "sh", "th", "dr", "gr", "br", "y", "x")
_NUCLEI = ("a", "e", "i", "o", "u", "ae", "ia", "y", "ou")
_SUFFIXES = ("", "", "", "", "x", "99", "7", " TTV", "zz", "otp", " jr", "123", "gg")


def generated_riot_id(*seed: object) -> tuple[str, str]:
    """A plausible ``gameName#tagLine`` for a player nobody asked for by name."""
    r = rng("riotid", *seed)
    name = "".join(r.choice(_ONSETS) + r.choice(_NUCLEI) for _ in range(r.randint(2, 4)))
    name = (name.capitalize() + r.choice(_SUFFIXES))[:16]
    if r.random() < 0.5:
        tag = r.choice(tuple(DEFAULT_TAG.values()))
    else:
        tag = "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(r.randint(3, 5)))
    return name, tag


def player(seed: tuple[object, ...], key: str) -> tuple[str, str, str]:
    """A generated player as (puuid, gameName, tagLine), registered so account-v1 can name it.

    The identity comes from ``seed`` alone and the PUUID from that identity plus the key: two keys
    see the same person under two PUUIDs, exactly as at Riot.
    """
    name, tag = generated_riot_id(*seed)
    puuid = mint_puuid(name, tag, key)
    ACCOUNTS.remember((key, puuid), (name, tag))
    return puuid, name, tag


def riot_id_of(puuid: str, key: str) -> tuple[str, str]:
    """The Riot id behind a PUUID: the registered one, else one generated from the PUUID."""
    known = ACCOUNTS.get((key, puuid))
    return known if known is not None else generated_riot_id("unknown", puuid)


def me_puuid(key: str) -> str:
    """The "me" of ``/me`` endpoints: we never see the RSO token, so the key stands in for it."""
    puuid, _, _ = player(("me",), key)
    return puuid
