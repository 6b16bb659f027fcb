"""The Riot API emulator: a pure ASGI application (no framework; uvicorn only serves it).

Requests are ``/{server}/<riot path>``, e.g. ``GET /na1/lol/summoner/v4/summoners/by-puuid/X``,
with the key in ``X-Riot-Token`` or the ``api_key`` query parameter (the reference's two security
schemes). The server is case-insensitive, like a host name (``/NA1/``, ``/AMERICAS/``). A request
goes through, in order:

1. routing: unknown path → 404, wrong HTTP method → 405, a server the operation is not served on
   (``rules.SERVED_ON``: ``sea`` for account-v1, ``europe`` for tournaments) → 400;
   (with ``config.strict`` off: any routing value of the operation's kind);
2. auth: no key → 401, a key not in ``config.api_keys`` → 403; the RSO operations
   (``rules.RSO_OPERATIONS``: ``accounts/me`` ...) also need ``Authorization: Bearer <token>`` → 401;
3. rate limits (see ``ratelimits``) → 429 ``application`` / ``method``;
4. query/body checks → 400 / 415, then Riot's rules for ids and values (``rules.check_request``:
   PUUID length, match id platform ↔ region, enum values, ``count`` ranges) → 400 / 404
   (step 1's narrowing, 2's RSO rule and 4's id rules only with ``config.strict=True``);
5. a script entry or random fault (see ``faults``), then ``config.latency``;
6. **404 on request**: any path parameter equal to ``notfound`` or starting with ``404``
   (case-insensitive) answers 404, as does ``DataNotFound`` from the data module;
7. data from ``pyot_django.testing.data.generate``.

Every response carries Riot's four rate-limit headers (steps 1-2 show the counts without
counting); error bodies are Riot's ``{"status": {"message": ..., "status_code": N}}``.

Control endpoints (never counted, no key needed): ``GET /_emulator/stats``,
``POST /_emulator/reset`` (``{"config": true}`` also restores the initial config),
``GET|POST /_emulator/config``, ``POST /_emulator/script`` (``{"operation": "*",
"responses": [503, 200]}``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs

import orjson

from pyot_django.riot import ROUTING_VALUES, Endpoint
from pyot_django.testing import heap, playback
from pyot_django.testing.config import EmulatorConfig
from pyot_django.testing.faults import PAYLOAD_FAULTS, Action, Faults
from pyot_django.testing.ratelimits import RateLimiter
from pyot_django.testing.router import Router
from pyot_django.testing.rules import RSO_OPERATIONS, SERVED_ON, check_request
from pyot_django.testing.stats import Stats, arrived_in
from pyot_django.testing.wan import wan_for

__all__ = ["Emulator", "is_not_found_value"]

logger = logging.getLogger("pyot_django.testing")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

_JSON = (b"content-type", b"application/json;charset=utf-8")
_MESSAGES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Data not found",
    405: "Method not allowed",
    415: "Unsupported media type",
    429: "Rate limit exceeded",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}
_ROUTER = Router()  # compiled once per process
# Changing one of these drops the open rate-limit windows (they may no longer match).
_LIMIT_OPTIONS = frozenset({"app_limits", "method_limits", "method_limits_by_operation", "preseed"})


def is_not_found_value(value: str) -> bool:
    """The documented way to ask for a 404: a path parameter ``notfound`` or starting with ``404``."""
    lowered = value.lower()
    return lowered == "notfound" or lowered.startswith("404")


def _error_body(status: int, message: str | None = None) -> bytes:
    text = message or _MESSAGES.get(status, "Error")
    return orjson.dumps({"status": {"message": text, "status_code": status}})


def _load_data() -> tuple[Callable[..., bytes], type[BaseException]]:
    """(function answering JSON bytes, its not-found exception) from the data module."""
    from pyot_django.testing import data

    # Cached bytes: no decode/encode round trip per request.
    return data.generate_bytes, data.DataNotFound


class Emulator:
    """The ASGI app. Thread-safe control methods: tests call them from outside the server's loop."""

    def __init__(self, config: EmulatorConfig | None = None, *, settle_heap: bool = False, **options: Any) -> None:
        """``settle_heap``: the emulator owns its process; settle the heap at each reset (heap.py)."""
        base = config or EmulatorConfig()
        self._settle_heap = settle_heap
        self._initial = base.replace(**options) if options else base
        self._lock = threading.Lock()
        self.config = self._initial
        self._limiter = RateLimiter(self.config)
        self._faults = Faults(self.config)
        self._wan = wan_for(self.config)  # hook: WAN delays (wan.py)
        self._stats = Stats(self.config.log_size)
        self._generate, self._not_found = _load_data()

    # -- control (Python side; the HTTP control endpoints call the same) -------------------

    def configure(self, **changes: Any) -> EmulatorConfig:
        """Change options at runtime; changing any limit option drops the open windows."""
        with self._lock:
            config = self.config.replace(**changes)
            self._apply(config, limits_changed=bool(_LIMIT_OPTIONS.intersection(changes)))
            return config

    def reset(self, *, config: bool = False) -> None:
        """Forget stats, rate-limit windows and scripts (and with ``config=True``, config changes)."""
        with self._lock:
            if config:
                self._apply(self._initial, limits_changed=True)
            self._limiter.reset()
            self._faults.reset()
            self._stats.reset(self.config.log_size)
        if self._settle_heap:  # a run starts here: no full collection of old objects inside it
            heap.settle()

    def script(self, operation: str, responses: Iterable[int | Mapping[str, Any]]) -> None:
        """Queue answers for the next requests of ``operation`` (or ``"*"``); see ``faults``."""
        with self._lock:
            self._faults.script(operation, responses)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            snapshot = self._stats.snapshot()
            snapshot["scripts_pending"] = self._faults.pending()
            return snapshot

    def _apply(self, config: EmulatorConfig, *, limits_changed: bool) -> None:
        self.config = config
        if limits_changed:
            self._limiter.configure(config)
        else:
            self._limiter._config = config  # keep the open windows (e.g. toggling enforce_limits)
        self._faults.configure(config)
        self._wan = wan_for(config)  # hook: WAN delays (wan.py)

    # -- ASGI ------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            arrived_in(self._stats)
            path: str = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
            if path.startswith("/_emulator/"):
                await self._control(scope, path, receive, send)
            elif path.startswith("/_static/"):  # Data Dragon, CommunityDragon, Meraki, valorant-api
                from pyot_django.testing.static import serve_static

                await serve_static(self, scope, path, receive, send)
            else:
                await self._riot(scope, path, receive, send)
        elif scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    async def _riot(self, scope: Scope, path: str, receive: Receive, send: Send) -> None:
        segments = path.split("/")
        server = segments[1].lower() if len(segments) > 1 else ""  # host names ignore case
        key, content_type, bearer = "", None, False
        for name, value in scope["headers"]:
            if name == b"x-riot-token":
                key = value.decode("latin-1")
            elif name == b"content-type":
                content_type = value
            elif name == b"authorization":
                bearer = value[:7].lower() == b"bearer " and bool(value[7:].strip())
        raw_query: bytes = scope["query_string"]
        query: dict[str, list[str]] = parse_qs(raw_query.decode("latin-1")) if raw_query else {}
        # The key may come as ?api_key= (the reference's other security scheme); it never reaches
        # the data generators, their caches or the stats.
        query_key = query.pop("api_key", None)
        if not key and query_key:
            key = query_key[0]
        matched = _ROUTER.match(segments[2:])
        method = scope["method"]

        if matched is None:
            return await self._refuse(send, key, server, None, 404, "Resource not found")
        by_method, params = matched
        endpoint = by_method.get(method)
        if endpoint is None:
            return await self._refuse(send, key, server, None, 405)
        operation = endpoint.operation_id
        strict = self.config.strict
        served_on = SERVED_ON[operation] if strict else SERVED_ON[operation] | ROUTING_VALUES[endpoint.route]
        if server not in served_on:
            served = ", ".join(sorted(served_on))
            message = f"Bad request - {operation} is not served on {server!r} (served on: {served})"
            return await self._refuse(send, key, server, operation, 400, message)
        rso = strict and operation in RSO_OPERATIONS
        if rso and not bearer:
            message = f"Unauthorized - {operation} needs the player's RSO token: Authorization: Bearer <token>"
            return await self._refuse(send, key, server, operation, 401, message)
        if not key and not rso:  # the reference's RSO operations need the token only, no key
            return await self._refuse(send, key, server, operation, 401, "Unauthorized")
        accepted = self.config.api_keys
        if key and accepted is not None and key not in accepted:
            return await self._refuse(send, key, server, operation, 403, "Forbidden")

        action: Action | None = None
        latency = 0.0
        if self._wan is not None:  # hook: the way to Riot's edge, before it counts (wan.py)
            await self._wan.way_out()
        with self._lock:
            decision = self._limiter.hit(key, server, operation, time.monotonic())
            if decision.admitted:
                action = self._faults.next_action(operation)
                latency = self._faults.latency()
            else:
                self._stats.record(server, operation, 429, limit_type=decision.limit_type)
        headers = decision.headers
        if not decision.admitted:
            assert decision.limit_type is not None  # a refusal always names the limit it hit
            headers = [*headers, (b"x-rate-limit-type", decision.limit_type.encode())]
            headers.append((b"retry-after", str(decision.retry_after).encode()))
            if self._wan is not None:  # hook: the way back (wan.py)
                await self._wan.way_back()
            return await self._send(send, 429, _error_body(429), headers)

        body: object | None = None
        if endpoint.has_body:
            raw = await _read_body(receive)
            if content_type is None or not content_type.startswith(b"application/json"):
                return await self._answer(send, server, operation, 415, _error_body(415), headers)
            try:
                body = orjson.loads(raw) if raw else None
            except orjson.JSONDecodeError:
                error = _error_body(400, "Bad request - the body is not JSON")
                return await self._answer(send, server, operation, 400, error, headers)
        problem = _check_query(endpoint, query)
        if problem:
            return await self._answer(send, server, operation, 400, _error_body(400, problem), headers)
        refused = check_request(endpoint, server, params, query) if strict else None
        if refused is not None:
            status, message = refused
            return await self._answer(send, server, operation, status, _error_body(status, message), headers)

        if action is not None and action.delay:
            latency += action.delay
        if latency:
            await asyncio.sleep(latency)
        if action is not None:
            if action.fault in PAYLOAD_FAULTS:
                args = (send, server, endpoint, params, query, body, key, headers)
                return await self._data(*args, fault=action, receive=receive)
            if action.fault is not None or action.status != 200 or action.has_body:
                return await self._act(send, receive, server, operation, action, headers)
        await self._data(send, server, endpoint, params, query, body, key, headers)

    async def _data(
        self,
        send: Send,
        server: str,
        endpoint: Endpoint,
        params: dict[str, str],
        query: dict[str, list[str]],
        body: object | None,
        key: str,
        headers: Headers,
        fault: Action | None = None,
        receive: Receive | None = None,
    ) -> None:
        operation = endpoint.operation_id
        if any(is_not_found_value(value) for value in params.values()):
            return await self._answer(send, server, operation, 404, _error_body(404), headers)
        try:
            payload = self._generate(operation, server, params, query, body, key)
        except self._not_found as exc:  # its message becomes Riot's status.message
            return await self._answer(send, server, operation, 404, _error_body(404, str(exc) or None), headers)
        except Exception:
            logger.exception("emulator data for %s failed", operation)
            return await self._answer(send, server, operation, 500, _error_body(500), headers)
        if fault is not None:
            return await self._play(send, receive, server, operation, fault, playback.body_for(fault, payload), headers)
        await self._answer(send, server, operation, 200, payload, headers)

    async def _play(
        self,
        send: Send,
        receive: Receive | None,
        server: str,
        operation: str,
        action: Action,
        body: bytes,
        headers: Headers,
    ) -> None:
        """A payload fault (``faults.PAYLOAD_FAULTS``) with its body already shaped."""
        kind = action.fault
        if kind in ("malformed", "wrong_type"):
            return await self._answer(send, server, operation, 200, body, headers, fault=kind)
        with self._lock:
            self._stats.record(server, operation, 0 if kind == "reset_body" else 200, fault=kind)
        cap = self.config.timeout_cap
        if kind == "reset_body":
            return await playback.reset_mid_body(send, headers, body)
        if kind == "drip_body":
            assert receive is not None
            return await playback.drip_body(send, receive, headers, body, action.interval, cap)
        if not await playback.drip_head(send, headers, body, action.interval, cap):
            message = "drip_headers needs uvicorn (the raw connection)"
            await self._send(send, 501, _error_body(501, message), headers)

    async def _act(
        self, send: Send, receive: Receive, server: str, operation: str, action: Action, headers: Headers
    ) -> None:
        if action.fault == "timeout":
            with self._lock:
                self._stats.record(server, operation, 0, fault="timeout")
            await _hang(receive, self.config.timeout_cap)
            return await self._send(send, 504, _error_body(504), headers)
        if action.fault == "reset":
            with self._lock:
                self._stats.record(server, operation, 0, fault="reset")
            # Promise a body and never send it: every ASGI server then drops the connection,
            # and the client sees a transport error instead of a response.
            headers = [_JSON, (b"content-length", b"4096")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            return
        if action.fault in ("empty", "null"):
            empty = b"" if action.fault == "empty" else b"null"
            return await self._answer(send, server, operation, 200, empty, headers, fault=action.fault)
        if action.fault == "oversized":
            with self._lock:
                self._stats.record(server, operation, 200, fault="oversized")
            return await playback.oversized(send, receive, headers, action, self.config.timeout_cap)
        status = action.status
        extra = list(headers)
        limit_type = None
        if status == 429:
            limit_type = action.limit_type
            if limit_type:
                extra.append((b"x-rate-limit-type", limit_type.encode()))
        if action.retry_after is not None:  # on any status: Riot sends it on 503 too
            extra.append((b"retry-after", action.retry_after.encode("latin-1")))
        if action.raw is not None:
            body = action.raw
        else:
            body = orjson.dumps(action.body) if action.has_body else _error_body(status)
        await self._answer(send, server, operation, status, body, extra, limit_type=limit_type)

    async def _refuse(
        self,
        send: Send,
        key: str,
        server: str,
        operation: str | None,
        status: int,
        message: str | None = None,
    ) -> None:
        with self._lock:
            headers = self._limiter.peek(key, server, operation or "", time.monotonic())
            self._stats.record(server, operation, status)
        await self._send(send, status, _error_body(status, message), headers)

    async def _answer(
        self,
        send: Send,
        server: str,
        operation: str,
        status: int,
        body: bytes,
        headers: Headers,
        *,
        limit_type: str | None = None,
        fault: str | None = None,
    ) -> None:
        if self._wan is not None:  # hook: the way back, before the answer counts as seen (wan.py)
            await self._wan.way_back()
        with self._lock:
            self._stats.record(server, operation, status, limit_type=limit_type, fault=fault)
        await self._send(send, status, body, headers)

    @staticmethod
    async def _send(send: Send, status: int, body: bytes, headers: Headers) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [_JSON, (b"content-length", str(len(body)).encode()), *headers],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _control(self, scope: Scope, path: str, receive: Receive, send: Send) -> None:
        from pyot_django.testing.control import handle_control

        status, payload = await handle_control(self, scope["method"], path, await _read_body(receive))
        await self._send(send, status, orjson.dumps(payload), [])


def _check_query(endpoint: Endpoint, query: dict[str, list[str]]) -> str | None:
    # Riot ignores unknown query parameters but rejects missing required ones and bad numbers.
    for name, spec in endpoint.query_params.items():
        values = query.get(name)
        if values is None:
            if spec.required:
                return f"Bad request - Missing required query parameter {name}"
        elif spec.type == "int" and not all(v.lstrip("-").isdigit() for v in values):
            return f"Bad request - query parameter {name} must be an integer"
    return None


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _hang(receive: Receive, cap: float) -> None:
    """Wait until the client disconnects (or ``cap`` seconds): the timeout fault."""
    try:
        async with asyncio.timeout(cap):
            while (await receive())["type"] != "http.disconnect":
                pass
    except TimeoutError:
        pass
