"""``RiotAPI``: the service store that calls the Riot Games API (or its emulator).

Every call is checked against the catalogue before anything is sent (unknown
operation → ``NotFindable``, wrong routing value → ``RoutingError``, bad
parameters → ``ParameterError``), waits for the rate limiter, and follows the
error-handling strategy of the status it gets (:mod:`pyot_django.riot.retry`).
The API key travels in the ``X-Riot-Token`` header and nowhere else: not in
logs, exception messages, ``repr()``, cache keys or limiter keys; what separates
cached data per key is ``identity``, a short hash.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from ..exceptions import NotFindable, RateLimited, ServerError, Timeout, error_for_status
from ..riot import build_path, check_query, check_server, encode_query, endpoints_for_game
from ..riot.retry import TIMEOUT_STATUS, error_handling_problem, parse_error_handling, strategy_for
from .base import OptionProblem, ServiceStore, StoreContext
from .sessions import LoopClients
from .transport import TIMEOUT_ERRORS, TRANSPORT_ERRORS, Answer, full_url, new_pool, send, send_with_session

if TYPE_CHECKING:
    from ..pipeline.token import PipelineToken

__all__ = ["RiotAPI", "key_identity"]

logger = logging.getLogger("pyot_django.riot")

DEFAULT_BASE_URL = "https://{server}.api.riotgames.com"
DEFAULT_TIMEOUT = 10.0
_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}


def key_identity(api_key: str) -> str:
    """A short, non-reversible name for an API key (8 hex digits of BLAKE2b)."""
    return hashlib.blake2b(api_key.encode(), digest_size=4, person=b"pyot-key").hexdigest()


class RiotAPI(ServiceStore):
    """Fetches from the Riot API; options API_KEY, BASE_URL, TIMEOUT, RATE_LIMITER, ERROR_HANDLING, LOG_LEVEL."""

    OPTIONS = ServiceStore.OPTIONS | {"API_KEY", "BASE_URL", "TIMEOUT", "RATE_LIMITER", "ERROR_HANDLING", "LOG_LEVEL"}

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        super().__init__(options, context)
        problems = [p for p in self.option_problems(options, context.path, context.game) if p.check_id[0] == "E"]
        if problems:
            from ..exceptions import ImproperlyConfiguredPipeline

            raise ImproperlyConfiguredPipeline(f"{problems[0].key}: {problems[0].message} {problems[0].hint}")
        self._api_key: str = options["API_KEY"]
        self._identity = key_identity(self._api_key)
        from ..devserver import resolve_base_url  # "emulator": the in-process emulator

        self.base_url: str = resolve_base_url(options.get("BASE_URL", DEFAULT_BASE_URL))
        self.timeout = float(options.get("TIMEOUT", DEFAULT_TIMEOUT))
        self.strategies = parse_error_handling(options.get("ERROR_HANDLING"))
        level = options.get("LOG_LEVEL", logging.DEBUG)
        self.log_level: int = _LEVELS.get(level, level) if isinstance(level, str) else int(level)
        self.endpoints = endpoints_for_game(context.game)
        self.limiter = self._build_limiter(options.get("RATE_LIMITER", {}), f"{context.path}['RATE_LIMITER']")
        self._clients = LoopClients(new_pool)
        # Prebuilt once: the header list is shared by every request of this store.
        self._headers = [(b"X-Riot-Token", self._api_key.encode()), (b"Accept", b"application/json")]

    @staticmethod
    def _build_limiter(config: Any, path: str) -> Any:
        if config is None:
            return None  # explicitly off: only for local emulators and benchmarks
        from ..limiters import build_limiter

        return build_limiter(config, setting_path=path)

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], path: str, game: str) -> list[OptionProblem]:
        problems = super().option_problems(options, path, game)
        key = options.get("API_KEY")
        if not isinstance(key, str) or not key.strip():
            problems.append(
                OptionProblem(
                    "E013",
                    f"{path}['API_KEY']",
                    "RiotAPI needs an API_KEY (a non-empty string).",
                    'Read it from the environment: "API_KEY": os.environ["RIOT_API_KEY"]; never commit it.',
                )
            )
        base_url = options.get("BASE_URL", DEFAULT_BASE_URL)
        from ..devserver import is_emulator

        if not is_emulator(base_url) and (
            not isinstance(base_url, str)
            or "{server}" not in base_url
            or not base_url.startswith(("http://", "https://"))
        ):
            problems.append(
                OptionProblem(
                    "E014",
                    f"{path}['BASE_URL']",
                    f"BASE_URL must be an http(s) URL containing '{{server}}', not {base_url!r}.",
                    f"Default: {DEFAULT_BASE_URL!r}; 'emulator' for the built-in emulator (no key needed).",
                )
            )
        timeout = options.get("TIMEOUT", DEFAULT_TIMEOUT)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
            problems.append(
                OptionProblem(
                    "E015", f"{path}['TIMEOUT']", f"TIMEOUT must be positive seconds, not {timeout!r}.", "e.g. 10"
                )
            )
        handling = options.get("ERROR_HANDLING", {})
        problem = error_handling_problem(handling)
        if problem:
            problems.append(
                OptionProblem(
                    "E016",
                    f"{path}['ERROR_HANDLING']",
                    f"ERROR_HANDLING {problem}.",
                    'e.g. {503: ("E", [1, 3]), 500: ("R", [2]), 400: ("T", [])}',
                )
            )
        level = options.get("LOG_LEVEL", logging.DEBUG)
        if not (isinstance(level, int) or level in _LEVELS):
            problems.append(
                OptionProblem(
                    "E017", f"{path}['LOG_LEVEL']", f"LOG_LEVEL {level!r} is not a logging level.", "e.g. 'DEBUG' or 10"
                )
            )
        limiter = options.get("RATE_LIMITER", {})
        if limiter is not None:
            problem = _limiter_problem(limiter, f"{path}['RATE_LIMITER']")
            if problem:
                problems.append(problem)
        return problems

    @property
    def identity(self) -> str:
        return self._identity

    def __repr__(self) -> str:
        return f"<RiotAPI {self.context.pipeline} key={self._identity} base={self.base_url}>"

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info.update(
            base_url=self.base_url,
            key_identity=self._identity,  # the key itself is never shown, not even in part
            timeout=self.timeout,
            limiter=type(self.limiter).__name__ if self.limiter is not None else "off",
        )
        return info

    # -- requests ----------------------------------------------------------------------------

    async def get(self, token: PipelineToken, session: httpx.AsyncClient | None = None) -> Any:
        return await self._call("GET", token, None, session)

    async def post(self, token: PipelineToken, body: Any, session: httpx.AsyncClient | None = None) -> Any:
        return await self._call("POST", token, body, session)

    async def put(self, token: PipelineToken, body: Any, session: httpx.AsyncClient | None = None) -> Any:
        return await self._call("PUT", token, body, session)

    def url_for(self, token: PipelineToken) -> str:
        """The URL of ``token`` (checked against the catalogue; raises before any request)."""
        endpoint = self.endpoints.get(token.method)
        if endpoint is None:
            from ..riot import get_endpoint

            get_endpoint(self.context.game, token.method)  # raises NotFindable with suggestions
            raise NotFindable(token.method)
        check_server(endpoint, token.server)
        check_query(endpoint, token.queries)
        return self.base_url.format(server=token.server) + build_path(endpoint, token.params)

    async def _call(self, verb: str, token: PipelineToken, body: Any, session: httpx.AsyncClient | None) -> Any:
        endpoint = self.endpoints.get(token.method)
        if endpoint is None or endpoint.http_method != verb:
            if endpoint is None:
                self.url_for(token)
            raise NotFindable(f"{token.method} is a {endpoint.http_method if endpoint else '?'} operation, not {verb}")
        url = full_url(self.url_for(token), encode_query(token.queries) if token.queries else None)
        content = orjson.dumps(body) if body is not None else None
        method = token.method
        server = token.server
        attempts: dict[int, int] = {}
        while True:
            started = time.perf_counter()
            try:
                answer = await self._send(session, verb, url, content, server, method)
            except TIMEOUT_ERRORS as exc:
                failure: BaseException = Timeout(
                    f"no answer from Riot: {type(exc).__name__}", status=TIMEOUT_STATUS, method=method
                )
                await self._retry_or_raise(TIMEOUT_STATUS, None, attempts, failure, verb, server, method, started)
                continue
            except TRANSPORT_ERRORS as exc:
                failure = ServerError(f"connection failed: {type(exc).__name__}", status=502, method=method)
                await self._retry_or_raise(TIMEOUT_STATUS, None, attempts, failure, verb, server, method, started)
                continue
            status = answer.status
            self._log(verb, server, method, status, started)
            if status < 300:
                if not answer.content:
                    return None
                try:
                    return orjson.loads(answer.content)
                except orjson.JSONDecodeError:
                    failure = ServerError("Riot answered malformed JSON", status=500, method=method)
                    await self._retry_or_raise(500, None, attempts, failure, verb, server, method, started)
                    continue
            failure = error_for_status(status, _riot_message(answer), method=method)
            if status == 404:
                raise failure
            retry_after = _retry_after(answer.headers) if status in (429, 503) else None
            if retry_after is not None and isinstance(failure, RateLimited):
                failure.retry_after = retry_after
            await self._retry_or_raise(status, retry_after, attempts, failure, verb, server, method, started)

    async def _send(
        self,
        session: httpx.AsyncClient | None,
        verb: str,
        url: str,
        content: bytes | None,
        server: str,
        method: str,
    ) -> Answer:
        headers = self._headers
        if content is not None:
            headers = [*headers, (b"Content-Type", b"application/json")]
        limiter = self.limiter
        if limiter is None:
            return await self._request(session, verb, url, content, headers)
        async with limiter.slot(self._identity, server, method) as slot:
            answer = await self._request(session, verb, url, content, headers)
            await slot.record(answer.status, answer.headers)
            return answer

    async def _request(
        self,
        session: httpx.AsyncClient | None,
        verb: str,
        url: str,
        content: bytes | None,
        headers: list[tuple[bytes, bytes]],
    ) -> Answer:
        if session is not None:
            return await send_with_session(session, verb, url, headers, content)
        shard = await self._clients.acquire()
        try:
            return await send(shard.client, verb, url, headers, content, self.timeout)
        finally:
            self._clients.release(shard)

    async def _retry_or_raise(
        self,
        status: int,
        retry_after: float | None,
        attempts: dict[int, int],
        failure: BaseException,
        verb: str,
        server: str,
        method: str,
        started: float,
    ) -> None:
        strategy = strategy_for(self.strategies, status)
        attempt = attempts.get(status, 0)
        if attempt >= strategy.retries:
            raise failure
        attempts[status] = attempt + 1
        delay = strategy.delay(attempt)
        if retry_after is not None:
            delay = max(delay, retry_after)
        logger.warning(
            "%s %s %s: %s; retry %d/%d in %.2f s",
            verb,
            server,
            method,
            failure,
            attempt + 1,
            strategy.retries,
            delay,
        )
        if delay:
            await asyncio.sleep(delay)

    def _log(self, verb: str, server: str, method: str, status: int, started: float) -> None:
        if logger.isEnabledFor(self.log_level):
            logger.log(
                self.log_level,
                "%s %s %s %d %.0f ms",
                verb,
                server,
                method,
                status,
                (time.perf_counter() - started) * 1000,
            )

    async def aclose(self) -> None:
        await self._clients.aclose()
        if self.limiter is not None and hasattr(self.limiter, "aclose"):
            await self.limiter.aclose()


def _limiter_problem(config: Any, path: str) -> OptionProblem | None:
    # Building a limiter opens no connection (they connect lazily), so the check can
    # simply try it and report what it says.
    from ..exceptions import ImproperlyConfiguredPipeline
    from ..limiters import build_limiter

    try:
        build_limiter(config, setting_path=path)
    except (ImproperlyConfiguredPipeline, ImportError, TypeError, ValueError) as exc:
        return OptionProblem(
            "E018",
            path,
            f"RATE_LIMITER cannot be built: {exc}",
            'e.g. {"BACKEND": "pyot_django.limiters.RedisLimiter", "LOCATION": "redis://127.0.0.1:6379/2"}',
        )
    return None


def _retry_after(headers: dict[str, str]) -> float | None:
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _riot_message(answer: Answer) -> str:
    try:
        return str(orjson.loads(answer.content)["status"]["message"])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return f"HTTP {answer.status}"
