"""The emulator's static-data sources: ``/_static/{source}/…`` on each source's own URL shapes.

Sources: ``ddragon`` (Data Dragon), ``lor-ddragon`` (dd.b.pvp.net), ``cdragon``
(raw.communitydragon.org), ``meraki`` (cdn.merakianalytics.com/riot/lol/resources)
and ``valorant`` (valorant-api.com). Data paths are the catalogue's
(``STATIC_ENDPOINTS``); image paths (``…/img/champion/Fiora.png``, CommunityDragon's
``…/v1/champion-icons/114.png``, valorant's ``/media/…``) answer a generated PNG.
Data Dragon answers only its listed versions (no ``latest``, as the real one);
CommunityDragon ``latest`` or a listed patch. No key is needed and nothing counts
against the Riot rate limits; scripts (``emulator.script("ddragon.champions", [503])``)
and stats work as for Riot operations, under the routing value ``global``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import orjson

from pyot_django.riot.static_catalogue import STATIC_ENDPOINTS, StaticEndpoint

from . import lol, other
from .png import icon_png

if TYPE_CHECKING:
    from pyot_django.testing.app import Emulator

__all__ = ["PREFIX", "SOURCES", "serve_static"]

PREFIX = "/_static/"
# source -> the catalogue families and operations it serves
SOURCES = {
    "ddragon": "ddragon",
    "lor-ddragon": "ddragon",
    "cdragon": "cdragon",
    "meraki": "meraki",
    "valorant": "valorant",
}
_LOR_OPS = {"ddragon.lorSet", "ddragon.lorCore"}
DDRAGON_LOCALES = frozenset({"en_US", "en_GB", "de_DE", "es_ES", "fr_FR", "ja_JP", "ko_KR", "pt_BR", "zh_CN"})
_CDRAGON_LOCALE = re.compile(r"^(default|[a-z]{2}_[a-z]{2})$")
_IMAGE = re.compile(r"\.(png|jpg)$")
_JSON = (b"content-type", b"application/json;charset=utf-8")


def _compile(endpoint: StaticEndpoint) -> re.Pattern[str]:
    seen: set[str] = set()

    def group(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in seen:
            return f"(?P={name})"  # LoR repeats {set} and {locale}
        seen.add(name)
        return f"(?P<{name}>[^/]+)"

    return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", group, re.escape(endpoint.path)) + "$")


_ROUTES: dict[str, list[tuple[re.Pattern[str], StaticEndpoint]]] = {source: [] for source in SOURCES}
for _endpoint in STATIC_ENDPOINTS.values():
    for _source, _family in SOURCES.items():
        lor = _endpoint.operation_id in _LOR_OPS
        if _endpoint.family == _family and lor == (_source == "lor-ddragon"):
            _ROUTES[_source].append((_compile(_endpoint), _endpoint))


def _cdragon_version(version: str) -> bool:
    return version in ("latest", "pbe") or version in {v.rsplit(".", 1)[0] for v in lol.VERSIONS}


def _payload(source: str, endpoint: StaticEndpoint, params: dict[str, str], query: str, origin: str) -> Any:
    name = endpoint.operation_id.split(".", 1)[1]
    version, locale = params.get("version", ""), params.get("locale", "")
    if source == "ddragon":
        if version not in lol.VERSIONS and name not in ("versions", "languages"):
            return None
        if locale and locale not in DDRAGON_LOCALES:
            return None
        if name == "versions":
            return list(lol.VERSIONS)
        if name == "languages":
            return sorted(DDRAGON_LOCALES)
        if name.startswith("tft"):
            return other.ddragon_tft(name, version)
        return lol.ddragon(name, version, locale, params.get("championKey", ""))
    if source == "lor-ddragon":
        if name == "lorSet":
            return other.lor_set(params["set"], locale)
        return other.lor_core(locale)
    if source == "cdragon":
        if not _cdragon_version(version) or not _CDRAGON_LOCALE.match(locale):
            return None
        if name == "tft":
            return other.tft_cdragon()
        return lol.cdragon(name, version, locale, params.get("championId", ""))
    if source == "meraki":
        return lol.meraki(name, params.get("championKey") or params.get("itemId") or "")
    extra = params.get("agentUuid") or params.get("mapUuid") or params.get("weaponUuid") or ""
    return other.valorant(name, origin, extra)


Send = Callable[[dict[str, Any]], Awaitable[None]]


async def _send(send: Send, status: int, body: bytes, content_type: tuple[bytes, bytes] = _JSON) -> None:
    headers = [content_type, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _not_found() -> bytes:
    return orjson.dumps({"status": {"message": "Not Found", "status_code": 404}})


async def serve_static(
    emulator: Emulator, scope: dict[str, Any], path: str, receive: Callable[[], Awaitable[Any]], send: Send
) -> None:
    """Answer one request under ``/_static/`` (called by the emulator's ASGI entry point)."""
    source, _, rest = path[len(PREFIX) :].partition("/")
    rest = "/" + rest.split("?", 1)[0]
    if source not in SOURCES or scope["method"] != "GET":
        return await _send(send, 404 if source not in SOURCES else 405, _not_found())
    if _IMAGE.search(rest) and (source != "valorant" or rest.startswith("/media/")):
        return await _send(send, 200, icon_png(f"{source}{rest}"), (b"content-type", b"image/png"))
    routed = _route(source, rest)
    if routed is None:
        return await _send(send, 404, _not_found())
    endpoint, params = routed
    operation = endpoint.operation_id
    with emulator._lock:  # the emulator's scripts and random faults apply here as for Riot
        action = emulator._faults.next_action(operation)
    malformed = action is not None and action.fault == "malformed"
    if action is not None and not malformed and (action.fault or action.status != 200 or action.has_body):
        if action.delay:
            await asyncio.sleep(action.delay)
        return await emulator._act(send, receive, "global", operation, action, [])
    host = dict(scope["headers"]).get(b"host", b"127.0.0.1").decode("latin-1")
    origin = f"{scope.get('scheme', 'http')}://{host}{PREFIX}{source}"
    payload = _payload(source, endpoint, params, scope.get("query_string", b"").decode(), origin)
    status = 404 if payload is None else 200
    with emulator._lock:
        emulator._stats.record("global", operation, status, fault="malformed" if malformed else None)
    body = _not_found() if payload is None else orjson.dumps(payload)
    await _send(send, status, body[: len(body) // 2] if malformed else body)


def _route(source: str, path: str) -> tuple[StaticEndpoint, dict[str, str]] | None:
    for pattern, endpoint in _ROUTES[source]:
        match = pattern.match(path)
        if match is not None:
            return endpoint, match.groupdict()
    return None
