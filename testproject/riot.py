"""Riot ids and routing values as the site's forms and URLs use them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PLATFORMS", "REGIONS", "RiotId", "RiotIdError", "parse_riot_id", "region_of"]

# League platform → the regional routing value its account and match data live under.
PLATFORMS: dict[str, str] = {
    "na1": "americas", "br1": "americas", "la1": "americas", "la2": "americas",
    "euw1": "europe", "eun1": "europe", "tr1": "europe", "ru": "europe", "me1": "europe",
    "kr": "asia", "jp1": "asia",
    "oc1": "sea", "sg2": "sea", "tw2": "sea", "vn2": "sea",
}  # fmt: skip
REGIONS = ("americas", "europe", "asia", "sea")


class RiotIdError(ValueError):
    """Input that is not a ``gameName#tagLine`` Riot id."""


@dataclass(frozen=True)
class RiotId:
    game_name: str
    tag_line: str

    def __str__(self) -> str:
        return f"{self.game_name}#{self.tag_line}"


def parse_riot_id(text: str) -> RiotId:
    """``"Faker#KR1"`` → ``RiotId("Faker", "KR1")``; Riot's lengths: name 3-16, tag 3-5."""
    name, sep, tag = text.strip().rpartition("#")
    name, tag = name.strip(), tag.strip()
    if not sep or not name or not tag:
        raise RiotIdError("A Riot id looks like gameName#tagLine, e.g. Faker#KR1.")
    if not 3 <= len(name) <= 16 or not 3 <= len(tag) <= 5 or "/" in name + tag:
        raise RiotIdError("A Riot id has a 3-16 character name and a 3-5 character tag, without '/'.")
    return RiotId(name, tag)


def region_of(platform: str) -> str:
    """The regional routing value of a platform; ``KeyError`` for an unknown platform."""
    return PLATFORMS[platform]
