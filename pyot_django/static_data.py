"""What a view needs from static data: names and icons by the ids Riot's payloads carry.

Every lookup goes through the pipeline (``ddragon.*`` / ``cdragon.*`` operations), so
the cache stores keep the documents and the pipeline trace shows them; the icon URLs
follow Data Dragon's and CommunityDragon's conventions on the pipeline's own
``DDragon`` / ``CDragon`` ``BASE_URL`` (the real hosts when none is configured).

One id at a time::

    name = (await static_data.champion(lol, 114))["name"]          # "Fiora"
    url = await static_data.champion_icon_url(lol, 114)
    static_data.queue_sync(lol, 420)["description"]                 # sync twin

For a page that shows many ids, ``await static_data.index(lol)`` fetches the few
documents once (versions, champions, items, runes, summoner spells, queues) and
answers from memory: ``idx.champion(114)``, ``idx.item_icon_url(3031)``.
Unknown ids raise ``NotFound``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from .exceptions import NotFound

if TYPE_CHECKING:
    from .pipeline import Pipeline

__all__ = [
    "StaticIndex",
    "champion",
    "champion_icon_url",
    "champion_icon_url_sync",
    "champion_sync",
    "current_version",
    "current_version_sync",
    "index",
    "index_sync",
    "item",
    "item_icon_url",
    "item_icon_url_sync",
    "item_sync",
    "profile_icon_url",
    "profile_icon_url_sync",
    "queue",
    "queue_sync",
    "rune",
    "rune_icon_url",
    "rune_icon_url_sync",
    "rune_sync",
    "summoner_spell",
    "summoner_spell_icon_url",
    "summoner_spell_icon_url_sync",
    "summoner_spell_sync",
]

DEFAULT_LOCALE = "en_US"
_CDRAGON_ASSETS = "/lol-game-data/assets/"

P = ParamSpec("P")
R = TypeVar("R")


def _sync(function: Callable[P, Awaitable[R]]) -> Callable[P, R]:
    """The sync twin of a helper (for WSGI views, Celery tasks and commands)."""
    from asgiref.sync import async_to_sync

    def twin(*args: P.args, **kwargs: P.kwargs) -> R:
        return async_to_sync(function)(*args, **kwargs)

    twin.__name__ = f"{function.__name__}_sync"
    twin.__doc__ = f"``{function.__name__}`` for sync code."
    return twin


def _base_url(pipeline: Pipeline, store_name: str) -> str:
    from .stores.static import CDragon, DDragon

    wanted = {"DDragon": DDragon, "CDragon": CDragon}[store_name]
    for store in pipeline:
        if isinstance(store, wanted):
            return store.base_url
    return wanted.DEFAULT_BASE_URL


async def current_version(pipeline: Pipeline) -> str:
    """The current Data Dragon version (``ddragon.versions``, cached like any lookup)."""
    versions = await pipeline.fetch("ddragon.versions", "global")
    return versions[0]


async def _ddragon(pipeline: Pipeline, name: str, locale: str, version: str | None) -> tuple[str, Any]:
    version = version or await current_version(pipeline)
    document = await pipeline.get(pipeline.token(f"ddragon.{name}", "global", version=version, locale=locale))
    return version, document


def _champions_by_id(document: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
    return {int(entry["key"]): entry for entry in document["data"].values()}


async def champion(
    pipeline: Pipeline,
    champion_id: int | None = None,
    *,
    key: str | None = None,
    name: str | None = None,
    locale: str = DEFAULT_LOCALE,
    version: str | None = None,
) -> dict[str, Any]:
    """Data Dragon's entry of a champion by id (``114``), key (``"Fiora"``) or name (case-insensitive)."""
    if [champion_id, key, name].count(None) != 2:
        raise TypeError("champion() takes exactly one of champion_id, key= or name=")
    _, document = await _ddragon(pipeline, "champions", locale, version)
    return _find_champion(document, champion_id, key, name)


def _find_champion(
    document: Mapping[str, Any], champion_id: int | None, key: str | None, name: str | None
) -> dict[str, Any]:
    data = document["data"]
    found: dict[str, Any] | None
    if champion_id is not None:
        found = _champions_by_id(document).get(int(champion_id))
    elif key is not None:
        found = data.get(key)
    else:
        lowered = str(name).casefold()
        found = next((entry for entry in data.values() if entry["name"].casefold() == lowered), None)
    if found is None:
        raise NotFound(f"no champion {champion_id or key or name!r} in Data Dragon", method="ddragon.champions")
    return found


async def item(pipeline: Pipeline, item_id: int, *, locale: str = DEFAULT_LOCALE, version: str | None = None) -> Any:
    """Data Dragon's entry of an item (``name``, ``gold``, ``image`` …), with its ``id``."""
    _, document = await _ddragon(pipeline, "items", locale, version)
    return _find_item(document, item_id)


def _find_item(document: Mapping[str, Any], item_id: int) -> dict[str, Any]:
    found = document["data"].get(str(item_id))
    if found is None:
        raise NotFound(f"no item {item_id} in Data Dragon", method="ddragon.items")
    return {"id": int(item_id), **found}


def _runes_by_id(styles: list[Any]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for style in styles:
        found[style["id"]] = {key: value for key, value in style.items() if key != "slots"}
        for slot in style["slots"]:
            for entry in slot["runes"]:
                found[entry["id"]] = entry
    return found


async def rune(pipeline: Pipeline, rune_id: int, *, locale: str = DEFAULT_LOCALE, version: str | None = None) -> Any:
    """A rune or rune style by id: Data Dragon's ``runesReforged``; stat shards from CommunityDragon's perks."""
    _, styles = await _ddragon(pipeline, "runesReforged", locale, version)
    found = _runes_by_id(styles).get(int(rune_id))
    if found is not None:
        return found
    perks = await pipeline.fetch("cdragon.perks", "global", version="latest", locale=_cdragon_locale(locale))
    return _find_perk(perks, rune_id)


def _find_perk(perks: list[Any], rune_id: int) -> dict[str, Any]:
    for perk in perks:
        if perk["id"] == int(rune_id):
            return dict(perk)
    raise NotFound(f"no rune {rune_id} in Data Dragon or CommunityDragon", method="cdragon.perks")


def _cdragon_locale(locale: str) -> str:
    return "default" if locale == DEFAULT_LOCALE else locale.lower()


async def summoner_spell(
    pipeline: Pipeline, spell_id: int, *, locale: str = DEFAULT_LOCALE, version: str | None = None
) -> Any:
    """Data Dragon's entry of a summoner spell by its numeric id (``4`` is Flash)."""
    _, document = await _ddragon(pipeline, "summonerSpells", locale, version)
    return _find_spell(document, spell_id)


def _find_spell(document: Mapping[str, Any], spell_id: int) -> Any:
    for entry in document["data"].values():
        if entry["key"] == str(spell_id):
            return entry
    raise NotFound(f"no summoner spell {spell_id} in Data Dragon", method="ddragon.summonerSpells")


async def queue(pipeline: Pipeline, queue_id: int, *, locale: str = DEFAULT_LOCALE) -> Any:
    """CommunityDragon's queue entry (``name``, ``description`` …) by ``queueId``."""
    queues = await pipeline.fetch("cdragon.queues", "global", version="latest", locale=_cdragon_locale(locale))
    return _find_queue(queues, queue_id)


def _find_queue(queues: list[Any], queue_id: int) -> Any:
    for entry in queues:
        if entry["id"] == int(queue_id):
            return entry
    raise NotFound(f"no queue {queue_id} in CommunityDragon", method="cdragon.queues")


# -- icon URLs ----------------------------------------------------------------------------


def _ddragon_image(pipeline: Pipeline, version: str, group: str, full: str) -> str:
    return f"{_base_url(pipeline, 'DDragon')}/cdn/{version}/img/{group}/{full}"


def cdragon_asset_url(pipeline: Pipeline, path: str, version: str = "latest") -> str:
    """CommunityDragon's URL of a game-data path such as ``/lol-game-data/assets/v1/champion-icons/114.png``."""
    relative = path.removeprefix(_CDRAGON_ASSETS).lower() if path.startswith(_CDRAGON_ASSETS) else path.lstrip("/")
    return f"{_base_url(pipeline, 'CDragon')}/{version}/plugins/rcp-be-lol-game-data/global/default/{relative}"


async def champion_icon_url(pipeline: Pipeline, champion_id: int, *, version: str | None = None) -> str:
    """Data Dragon's square icon of a champion."""
    version = version or await current_version(pipeline)
    entry = await champion(pipeline, champion_id, version=version)
    return _ddragon_image(pipeline, version, "champion", entry["image"]["full"])


async def item_icon_url(pipeline: Pipeline, item_id: int, *, version: str | None = None) -> str:
    version = version or await current_version(pipeline)
    await item(pipeline, item_id, version=version)  # unknown ids raise NotFound
    return _ddragon_image(pipeline, version, "item", f"{item_id}.png")


async def summoner_spell_icon_url(pipeline: Pipeline, spell_id: int, *, version: str | None = None) -> str:
    version = version or await current_version(pipeline)
    entry = await summoner_spell(pipeline, spell_id, version=version)
    return _ddragon_image(pipeline, version, "spell", entry["image"]["full"])


async def rune_icon_url(pipeline: Pipeline, rune_id: int) -> str:
    """Data Dragon's rune icon (``/cdn/img/perk-images/…``); stat shards from CommunityDragon."""
    entry = await rune(pipeline, rune_id)
    if "iconPath" in entry:
        return cdragon_asset_url(pipeline, entry["iconPath"])
    return f"{_base_url(pipeline, 'DDragon')}/cdn/img/{entry['icon']}"


async def profile_icon_url(pipeline: Pipeline, icon_id: int, *, version: str | None = None) -> str:
    version = version or await current_version(pipeline)
    return _ddragon_image(pipeline, version, "profileicon", f"{int(icon_id)}.png")


# -- many ids for one page ----------------------------------------------------------------


@dataclass
class StaticIndex:
    """The documents a match page needs, fetched once; lookups by id answer from memory."""

    pipeline: Pipeline
    version: str
    champions: dict[int, dict[str, Any]]
    items: Mapping[str, Any]
    runes: dict[int, dict[str, Any]]
    spells: Mapping[str, Any]
    queues: list[Any]
    perks: list[Any] = field(default_factory=list)

    def champion(self, champion_id: int) -> dict[str, Any]:
        found = self.champions.get(int(champion_id))
        if found is None:
            raise NotFound(f"no champion {champion_id} in Data Dragon", method="ddragon.champions")
        return found

    def item(self, item_id: int) -> dict[str, Any]:
        return _find_item({"data": self.items}, item_id)

    def rune(self, rune_id: int) -> dict[str, Any]:
        return self.runes.get(int(rune_id)) or _find_perk(self.perks, rune_id)

    def summoner_spell(self, spell_id: int) -> Any:
        return _find_spell({"data": self.spells}, spell_id)

    def queue(self, queue_id: int) -> Any:
        return _find_queue(self.queues, queue_id)

    def champion_icon_url(self, champion_id: int) -> str:
        return _ddragon_image(self.pipeline, self.version, "champion", self.champion(champion_id)["image"]["full"])

    def item_icon_url(self, item_id: int) -> str:
        self.item(item_id)
        return _ddragon_image(self.pipeline, self.version, "item", f"{int(item_id)}.png")

    def summoner_spell_icon_url(self, spell_id: int) -> str:
        return _ddragon_image(self.pipeline, self.version, "spell", self.summoner_spell(spell_id)["image"]["full"])

    def profile_icon_url(self, icon_id: int) -> str:
        return _ddragon_image(self.pipeline, self.version, "profileicon", f"{int(icon_id)}.png")

    def rune_icon_url(self, rune_id: int) -> str:
        entry = self.rune(rune_id)
        if "iconPath" in entry:
            return cdragon_asset_url(self.pipeline, entry["iconPath"])
        return f"{_base_url(self.pipeline, 'DDragon')}/cdn/img/{entry['icon']}"


async def index(pipeline: Pipeline, *, locale: str = DEFAULT_LOCALE, version: str | None = None) -> StaticIndex:
    """Fetch (through the pipeline, in parallel) what ``StaticIndex`` answers from."""
    version = version or await current_version(pipeline)
    cd_locale = _cdragon_locale(locale)
    (_, champions), (_, items), (_, styles), (_, spells), queues, perks = await asyncio.gather(
        _ddragon(pipeline, "champions", locale, version),
        _ddragon(pipeline, "items", locale, version),
        _ddragon(pipeline, "runesReforged", locale, version),
        _ddragon(pipeline, "summonerSpells", locale, version),
        pipeline.fetch("cdragon.queues", "global", version="latest", locale=cd_locale),
        pipeline.fetch("cdragon.perks", "global", version="latest", locale=cd_locale),
    )
    return StaticIndex(
        pipeline,
        version,
        _champions_by_id(champions),
        items["data"],
        _runes_by_id(styles),
        spells["data"],
        queues,
        perks,
    )


current_version_sync = _sync(current_version)
champion_sync = _sync(champion)
item_sync = _sync(item)
rune_sync = _sync(rune)
summoner_spell_sync = _sync(summoner_spell)
queue_sync = _sync(queue)
champion_icon_url_sync = _sync(champion_icon_url)
item_icon_url_sync = _sync(item_icon_url)
summoner_spell_icon_url_sync = _sync(summoner_spell_icon_url)
rune_icon_url_sync = _sync(rune_icon_url)
profile_icon_url_sync = _sync(profile_icon_url)
index_sync = _sync(index)
