"""Loading a player's page and a match through the ``lol`` pipeline.

These are plain async functions over ``pipelines["lol"].fetch``: the async player
view awaits them, the sync match view and the Celery tasks call them through
``async_to_sync``. Every lookup goes Memory → cache → ORM → Riot API.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pyot_django import static_data
from pyot_django.exceptions import NotFound
from pyot_django.pipeline import pipelines

from .riot import RiotId, region_of

__all__ = [
    "MatchPage",
    "MatchRow",
    "Player",
    "load_match",
    "load_match_page",
    "load_player",
    "match_ids_of",
    "participant_rows",
    "resolve_account",
]

RECENT_MATCHES = 10
TOP_MASTERIES = 5


@dataclass(frozen=True)
class MatchRow:
    """One line of a player's match history."""

    match_id: str
    champion: str
    champion_icon: str
    kills: int
    deaths: int
    assists: int
    win: bool
    mode: str
    minutes: int
    played_at: datetime

    @property
    def kda(self) -> str:
        return f"{(self.kills + self.assists) / max(self.deaths, 1):.2f}"


@dataclass(frozen=True)
class Player:
    account: dict[str, Any]
    platform: str
    region: str
    summoner: dict[str, Any]
    ranked: list[dict[str, Any]]
    masteries: list[dict[str, Any]]  # Riot's entries plus "champion" (name) and "champion_icon"
    matches: list[MatchRow]
    profile_icon: str


@dataclass(frozen=True)
class MatchPage:
    match: dict[str, Any]
    queue: str  # "Ranked Solo/Duo" rather than the game mode "CLASSIC"
    participants: list[dict[str, Any]]


async def resolve_account(riot_id: RiotId, region: str) -> dict[str, Any]:
    """The account (``puuid``, ``gameName``, ``tagLine``) of a Riot id; ``NotFound`` if Riot has none."""
    return await pipelines["lol"].fetch(
        "account-v1.getByRiotId", region, gameName=riot_id.game_name, tagLine=riot_id.tag_line
    )


async def match_ids_of(puuid: str, region: str, count: int = RECENT_MATCHES) -> list[str]:
    return await pipelines["lol"].fetch(
        "match-v5.getMatchIdsByPUUID", region, puuid=puuid, queries={"start": 0, "count": count}
    )


async def load_match(match_id: str, region: str) -> dict[str, Any]:
    return await pipelines["lol"].fetch("match-v5.getMatch", region, matchId=match_id)


async def load_match_page(match_id: str, region: str) -> MatchPage:
    """The match and the static data to show it: champion, item, rune and spell names and icons."""
    match, names = await asyncio.gather(load_match(match_id, region), static_data.index(pipelines["lol"]))
    return MatchPage(match, _queue_name(names, match["info"]), participant_rows(match, names))


def _queue_name(names: static_data.StaticIndex, info: dict[str, Any]) -> str:
    try:
        return str(names.queue(info["queueId"])["description"])
    except NotFound:  # a queue newer than the static data: show what Riot said
        return str(info.get("gameMode", ""))


async def load_player(riot_id: RiotId, platform: str) -> Player:
    """Everything the player page shows: 1 account lookup, then 4 (and the static data), then 10 matches."""
    region = region_of(platform)
    lol = pipelines["lol"]
    account = await resolve_account(riot_id, region)
    puuid = account["puuid"]
    summoner, ranked, masteries, match_ids, names = await asyncio.gather(
        lol.fetch("summoner-v4.getByPUUID", platform, encryptedPUUID=puuid),
        lol.fetch("league-v4.getLeagueEntriesByPUUID", platform, encryptedPUUID=puuid),
        lol.fetch(
            "champion-mastery-v4.getTopChampionMasteriesByPUUID",
            platform,
            encryptedPUUID=puuid,
            queries={"count": TOP_MASTERIES},
        ),
        match_ids_of(puuid, region),
        static_data.index(lol),
    )
    matches = await asyncio.gather(*(load_match(match_id, region) for match_id in match_ids))
    rows = [row for match in matches if (row := _row_for(match, puuid, names)) is not None]
    named = [{**m, **_champion(names, m["championId"])} for m in masteries]
    icon = names.profile_icon_url(summoner["profileIconId"])
    return Player(account, platform, region, summoner, ranked, named, rows, icon)


def _champion(names: static_data.StaticIndex, champion_id: int) -> dict[str, str]:
    try:
        return {"champion": names.champion(champion_id)["name"], "champion_icon": names.champion_icon_url(champion_id)}
    except NotFound:  # a champion newer than the static data
        return {"champion": f"#{champion_id}", "champion_icon": ""}


def _row_for(match: dict[str, Any], puuid: str, names: static_data.StaticIndex) -> MatchRow | None:
    info = match["info"]
    me = next((p for p in info["participants"] if p["puuid"] == puuid), None)
    if me is None:  # Riot lists a match the player is not in: nothing to show for it
        return None
    champion = _champion(names, me["championId"])
    return MatchRow(
        match_id=match["metadata"]["matchId"],
        champion=champion["champion"],
        champion_icon=champion["champion_icon"],
        kills=me["kills"],
        deaths=me["deaths"],
        assists=me["assists"],
        win=me["win"],
        mode=_queue_name(names, info),
        minutes=round(info.get("gameDuration", 0) / 60),
        played_at=datetime.fromtimestamp(info["gameCreation"] / 1000, tz=UTC),
    )


def participant_rows(match: dict[str, Any], names: static_data.StaticIndex) -> list[dict[str, Any]]:
    """The match page's table: one dict per participant, ordered by team."""
    platform = match["info"].get("platformId", "").lower()
    rows = []
    for p in sorted(match["info"]["participants"], key=lambda p: p.get("teamId", 0)):
        rows.append(
            {
                "name": p.get("riotIdGameName", ""),
                "tag": p.get("riotIdTagline", ""),
                "platform": platform,
                **_champion(names, p["championId"]),
                "spells": _icons(names.summoner_spell, names.summoner_spell_icon_url,
                                 (p["summoner1Id"], p["summoner2Id"])),
                "runes": _icons(names.rune, names.rune_icon_url,
                                [style["selections"][0]["perk"] if i == 0 else style["style"]
                                 for i, style in enumerate(p["perks"]["styles"])]),
                "items": _icons(names.item, names.item_icon_url, [p[f"item{slot}"] for slot in range(7)]),
                "team": "Blue" if p.get("teamId") == 100 else "Red",
                "kills": p["kills"],
                "deaths": p["deaths"],
                "assists": p["assists"],
                "cs": p.get("totalMinionsKilled", 0) + p.get("neutralMinionsKilled", 0),
                "gold": p.get("goldEarned", 0),
                "win": p["win"],
            }
        )
    return rows


def _icons(entry: Any, icon_url: Any, ids: Any) -> list[dict[str, str]]:
    # Empty item slots are 0; ids newer than the static data are skipped rather than broken.
    icons = []
    for some_id in ids:
        try:
            icons.append({"name": str(entry(some_id)["name"]), "icon": str(icon_url(some_id))})
        except NotFound:
            continue
    return icons
