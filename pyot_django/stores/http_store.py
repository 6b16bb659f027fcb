"""``HttpServiceStore``: a service store whose HTTP work is an :class:`~pyot_django.riot.http.HttpClient`'s.

``RiotAPI`` and the static-data stores share it, so the options that bound a request
(``TIMEOUT``, ``ERROR_HANDLING``, ``RATE_LIMITER``, ``DEADLINE``, ``MAX_RETRY_AFTER``,
``MAX_RESPONSE_SIZE``) are read, checked (same check ids) and described in one place;
each store adds only what differs: its key, its default limiter and body size, its URLs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from ..riot.http import DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_MAX_RETRY_AFTER, DEFAULT_TIMEOUT, HttpClient
from ..riot.retry import parse_error_handling
from .base import OptionProblem, ServiceStore, StoreContext
from .riotapi_options import handling_problems, number_problems

if TYPE_CHECKING:
    from ..riot.http import Secret

__all__ = ["HttpServiceStore"]


class HttpServiceStore(ServiceStore):
    """Reads the client options into ``self.client``; subclasses call ``build_client`` once."""

    OPTIONS = ServiceStore.OPTIONS | {
        "TIMEOUT",
        "ERROR_HANDLING",
        "RATE_LIMITER",
        "DEADLINE",
        "MAX_RETRY_AFTER",
        "MAX_RESPONSE_SIZE",
    }
    DEFAULT_RATE_LIMITER: ClassVar[Any] = None
    """``RATE_LIMITER`` when absent: ``None`` is off, ``{}`` a ``MemoryLimiter``."""
    DEFAULT_MAX_RESPONSE_SIZE: ClassVar[int] = DEFAULT_MAX_RESPONSE_SIZE

    client: HttpClient

    def build_client(
        self,
        options: Mapping[str, Any],
        context: StoreContext,
        *,
        secret: Secret | None = None,
        log_level: int = logging.DEBUG,
        logger: logging.Logger | None = None,
        limiter_scope: str | None = None,
    ) -> HttpClient:
        """The store's client from its (already checked) options."""
        return HttpClient(
            strategies=parse_error_handling(options.get("ERROR_HANDLING")),
            secret=secret,
            limiter=_build_limiter(
                options.get("RATE_LIMITER", self.DEFAULT_RATE_LIMITER), f"{context.path}['RATE_LIMITER']"
            ),
            timeout=float(options.get("TIMEOUT", DEFAULT_TIMEOUT)),
            deadline=options.get("DEADLINE"),
            max_response_size=options.get("MAX_RESPONSE_SIZE", self.DEFAULT_MAX_RESPONSE_SIZE),
            max_retry_after=options.get("MAX_RETRY_AFTER", DEFAULT_MAX_RETRY_AFTER),
            log_level=log_level,
            logger=logger,
            limiter_scope=limiter_scope,
            label=context.pipeline,  # observe: fields (issue 13): metrics and log lines name the pipeline
        )

    @classmethod
    def client_option_problems(cls, options: Mapping[str, Any], path: str) -> list[OptionProblem]:
        """The client options' problems, under RiotAPI's ids (subclasses add them to theirs)."""
        problems = number_problems(options, path, default_size=cls.DEFAULT_MAX_RESPONSE_SIZE)
        problems += handling_problems(options, path)
        limiter = options.get("RATE_LIMITER", cls.DEFAULT_RATE_LIMITER)
        if limiter is not None:
            problem = limiter_problem(limiter, f"{path}['RATE_LIMITER']")
            if problem:
                problems.append(problem)
        return problems

    # What the store exposes of its client (tests, the admin page, benchmarks).
    @property
    def limiter(self) -> Any:
        return self.client.limiter

    @property
    def timeout(self) -> float:
        return self.client.timeout

    @property
    def strategies(self) -> Any:
        return self.client.strategies

    @property
    def log_level(self) -> int:
        return self.client.log_level

    @property
    def _clients(self) -> Any:
        return self.client.pools

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info.update(
            timeout=self.timeout,
            deadline=self.client.deadline,
            max_response_size=self.client.max_response_size,
            max_retry_after=self.client.retry_after.cap,
            limiter=type(self.limiter).__name__ if self.limiter is not None else "off",
        )
        return info

    async def aclose(self) -> None:
        await self.client.aclose()


def _build_limiter(config: Any, path: str) -> Any:
    if config is None:
        return None  # off: static CDNs by default; RiotAPI only for local emulators and benchmarks
    from ..limiters import build_limiter

    return build_limiter(config, setting_path=path)


def limiter_problem(config: Any, path: str) -> OptionProblem | None:
    """E018 when ``config`` cannot build a limiter (building one opens no connection)."""
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
