"""Exceptions raised by pyot_django.

``NotFound`` and ``NotFindable`` steer the pipeline (a store that answers either
passes the token on); the Riot HTTP errors carry ``.status`` and the operation id
so callers can branch on them. No exception message ever contains an API key.
"""

from __future__ import annotations

__all__ = [
    "BadRequest",
    "Forbidden",
    "ImproperlyConfiguredPipeline",
    "MethodNotAllowed",
    "NotFindable",
    "NotFound",
    "ParameterError",
    "PyotError",
    "RateLimited",
    "RiotError",
    "RoutingError",
    "ServerError",
    "Timeout",
    "Unauthorized",
    "UnsupportedMediaType",
    "error_for_status",
]


class PyotError(Exception):
    """Base class of every error pyot_django raises on purpose."""


class ImproperlyConfiguredPipeline(PyotError):
    """``settings.PYOT`` describes something that cannot be built."""


class NotFound(PyotError):
    """The object does not exist (a cache miss, or Riot answered 404)."""

    status = 404

    def __init__(self, message: str = "not found", *, method: str | None = None) -> None:
        super().__init__(message)
        self.method = method


class NotFindable(PyotError):
    """This store cannot look the token up at all (e.g. an operation it does not serve)."""


class RoutingError(PyotError, ValueError):
    """A token's server does not fit its operation's routing (raised before any request)."""


class ParameterError(PyotError, TypeError):
    """Path or query parameters do not match the operation (raised before any request)."""


class RiotError(PyotError):
    """An HTTP error answered by the Riot API (or its emulator)."""

    status: int = 0

    def __init__(self, message: str = "", *, status: int | None = None, method: str | None = None) -> None:
        if status is not None:
            self.status = status
        self.method = method
        text = message or self.__class__.__name__
        if method:
            text = f"{text} ({self.status} on {method})"
        super().__init__(text)


class BadRequest(RiotError):
    status = 400


class Unauthorized(RiotError):
    status = 401


class Forbidden(RiotError):
    status = 403


class MethodNotAllowed(RiotError):
    status = 405


class UnsupportedMediaType(RiotError):
    status = 415


class RateLimited(RiotError):
    """Riot kept answering 429; ``retry_after`` is its last ``Retry-After`` in seconds, if any."""

    status = 429
    retry_after: float | None = None


class ServerError(RiotError):
    status = 500


class Timeout(RiotError):
    """No answer in time (or the connection failed) after every retry."""

    status = 504


_BY_STATUS: dict[int, type[RiotError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    405: MethodNotAllowed,
    415: UnsupportedMediaType,
    429: RateLimited,
}


def error_for_status(status: int, message: str = "", *, method: str | None = None) -> PyotError:
    """Build the exception that matches an HTTP status (404 gives ``NotFound``)."""
    if status == 404:
        return NotFound(message or "Riot answered 404", method=method)
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else RiotError
    return cls(message, status=status, method=method)
