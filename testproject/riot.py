"""Riot ids and routing values as the site's forms and URLs use them."""

from __future__ import annotations

from dataclasses import dataclass

from pyot_django import riot
from pyot_django.riot import PLATFORM_REGIONS, region_of

__all__ = ["PLATFORMS", "REGIONS", "RiotId", "RiotIdError", "parse_riot_id", "region_of"]

# The routing helpers come from pyot_django.riot; the site only adds Riot id parsing.
PLATFORMS = PLATFORM_REGIONS  # platform → the regional routing value of its matches
REGIONS = riot.REGIONS


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
