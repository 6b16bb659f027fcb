"""Riot API failures as clear error pages, for sync and async views alike.

``@riot_errors(not_found="No player {riot_id} …")`` turns the exceptions a lookup can
raise into a page with the right status: never a stack trace, never the API key.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pyot_django.exceptions import (
    Forbidden,
    NotFound,
    ParameterError,
    RateLimited,
    RiotError,
    RoutingError,
    ServerError,
    Timeout,
    Unauthorized,
)

from .riot import RiotIdError

__all__ = ["PageError", "error_page", "riot_errors"]

logger = logging.getLogger("testproject")

# How long to suggest waiting when Riot gave no Retry-After we could pass on.
DEFAULT_RETRY_SECONDS = 10


class PageError(Exception):
    """An error a view raises on purpose, shown as a page with ``status``."""

    def __init__(self, status: int, title: str, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message
        self.retry_after = retry_after


def _page_error(exc: Exception, not_found: str) -> PageError | None:
    # Order matters: Timeout is a RiotError, RateLimited too.
    if isinstance(exc, PageError):
        return exc
    if isinstance(exc, NotFound):
        return PageError(404, "Not found", not_found)
    if isinstance(exc, (RoutingError, RiotIdError)):
        return PageError(400, "Bad request", str(exc))
    if isinstance(exc, ParameterError):
        return PageError(400, "Bad request", "That address does not name valid Riot API parameters.")
    if isinstance(exc, RateLimited):
        wait = int(getattr(exc, "retry_after", None) or DEFAULT_RETRY_SECONDS)
        return PageError(
            429, "Rate limited", f"Riot is rate limiting this site; try again in {wait} seconds.", retry_after=wait
        )
    if isinstance(exc, (Timeout, ServerError)):
        return PageError(503, "Riot API unreachable", "Riot API unreachable: no good answer in time. Try again soon.")
    if isinstance(exc, (Unauthorized, Forbidden)):
        return PageError(503, "Riot API refused the key", "The Riot API refused this site's API key (expired?).")
    if isinstance(exc, RiotError):
        return PageError(502, "Riot API error", f"The Riot API answered an error ({exc.status}).")
    return None


def error_page(request: HttpRequest, error: PageError) -> HttpResponse:
    response = render(request, "testproject/error.html", {"error": error}, status=error.status)
    if error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    return response


def riot_errors(not_found: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a view; ``not_found`` is formatted with the view's URL keyword arguments."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        def handle(request: HttpRequest, exc: Exception, kwargs: dict[str, Any]) -> HttpResponse | None:
            error = _page_error(exc, not_found.format(**kwargs))
            if error is None:
                return None  # not a Riot failure: a bug, for Django's own 500 handling
            logger.info("%s %s: %s", request.method, request.path, type(exc).__name__)
            return error_page(request, error)

        if iscoroutinefunction(view):

            @functools.wraps(view)
            async def async_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                try:
                    return await view(request, *args, **kwargs)
                except Exception as exc:
                    response = handle(request, exc, kwargs)
                    if response is None:
                        raise
                    return response

            return markcoroutinefunction(async_view)

        @functools.wraps(view)
        def sync_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except Exception as exc:
                response = handle(request, exc, kwargs)
                if response is None:
                    raise
                return response

        return sync_view

    return decorate
