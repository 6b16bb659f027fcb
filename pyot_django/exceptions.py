"""Exceptions raised by pyot_django.

``NotFound`` and ``NotFindable`` steer the pipeline (a store that answers either
passes the token on); the Riot HTTP errors carry ``.status``, ``.method`` (the
operation id) and ``.server`` (the routing value) so callers can branch on them, and
their message names all three: ``Riot answered 404 for match-v5.getMatch on
americas``. No exception message ever contains an API key, and an error raised for
a transport failure never chains the third-party exception (whose frames held the
request headers): its ``.cause`` names what happened (``"ConnectTimeout"``).
"""

from __future__ import annotations

__all__ = [
    "BadRequest",
    "Forbidden",
    "ImproperlyConfiguredPipeline",
    "InvalidResponse",
    "MethodNotAllowed",
    "NotFindable",
    "NotFound",
    "ParameterError",
    "PyotError",
    "RSOTokenRequired",
    "RateLimited",
    "ResponseTooLarge",
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

    def __init__(self, message: str = "not found", *, method: str | None = None, server: str | None = None) -> None:
        super().__init__(message)
        self.method = method
        self.server = server


class NotFindable(PyotError):
    """This store cannot look the token up at all (e.g. an operation it does not serve)."""


class RoutingError(PyotError, ValueError):
    """A token's server does not fit its operation's routing (raised before any request)."""


class ParameterError(PyotError, TypeError):
    """Path or query parameters do not match the operation (raised before any request)."""


class RiotError(PyotError):
    """An HTTP error answered by the Riot API (or its emulator), or no usable answer at all.

    ``str()`` reads ``Riot answered 503 for match-v5.getMatch on americas: <Riot's message>``.
    ``retry_after`` is set when the upstream said (or the limiter knows) when to try again;
    ``cause`` is the sanitised name of a transport failure (``"ReadTimeout"``), else None.
    """

    status: int = 0
    retry_after: float | None = None

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        method: str | None = None,
        server: str | None = None,
        cause: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        if status is not None:
            self.status = status
        self.method = method
        self.server = server
        self.cause = cause
        if retry_after is not None:
            self.retry_after = retry_after
        self.detail = message
        super().__init__(self._text(message))

    def __reduce__(self) -> tuple[object, ...]:
        # copy.copy (single-flight followers get a copy) and pickle (Celery results) must
        # not run __init__ again on the finished text: that would prefix it twice.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))

    def _headline(self) -> str:
        return f"Riot answered {self.status}"

    def _text(self, message: str) -> str:
        text = self._headline()
        if self.method:
            text += f" for {self.method}"
        if self.server:
            text += f" on {self.server}"
        if message:
            text += f": {message}"
        return text


def _rebuild(cls: type[RiotError], args: tuple[object, ...], state: dict[str, object]) -> RiotError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class BadRequest(RiotError):
    status = 400


class Unauthorized(RiotError):
    status = 401


class RSOTokenRequired(Unauthorized):
    """An RSO operation (the reference's ``security: rso``, e.g. ``account-v1.getByAccessToken``)
    needs the player's ``Authorization: Bearer`` token, which the RiotAPI store does not send
    yet; raised before any request, so no quota is spent on a certain 401."""

    def _headline(self) -> str:
        return "Not sent"


class Forbidden(RiotError):
    status = 403


class MethodNotAllowed(RiotError):
    status = 405


class UnsupportedMediaType(RiotError):
    status = 415


class RateLimited(RiotError):
    """Riot kept answering 429, or the limiter (or a ``Retry-After``) would make the call wait
    past its deadline; ``retry_after`` says in how many seconds trying again makes sense."""

    status = 429

    def _headline(self) -> str:
        if self.cause == "deadline":
            return "Rate limited before the deadline"
        return super()._headline()


class ServerError(RiotError):
    status = 500

    def _headline(self) -> str:
        if self.cause:
            return f"No answer from Riot ({self.cause})"
        return super()._headline()


class Timeout(RiotError):
    """No answer in time (an attempt's ``TIMEOUT`` or the lookup's deadline) after every retry."""

    status = 504

    def _headline(self) -> str:
        return f"No answer from Riot in time ({self.cause or 'timeout'})"


class InvalidResponse(RiotError):
    """Riot answered 2xx with something that is not data: an empty body, ``null``, invalid
    JSON, or JSON of the wrong type for the operation. Never cached; ``status`` is the
    status it came with."""

    status = 200

    def _headline(self) -> str:
        return f"Riot answered {self.status} with an unusable body"


class ResponseTooLarge(InvalidResponse):
    """The body is larger than ``MAX_RESPONSE_SIZE``: cut off while streaming, never held."""

    def _headline(self) -> str:
        return f"Riot answered {self.status} with a body too large"


_BY_STATUS: dict[int, type[RiotError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    405: MethodNotAllowed,
    415: UnsupportedMediaType,
    429: RateLimited,
}


def error_for_status(
    status: int, message: str = "", *, method: str | None = None, server: str | None = None
) -> PyotError:
    """Build the exception that matches an HTTP status (404 gives ``NotFound``)."""
    if status == 404:
        where = f" for {method}" if method else ""
        where += f" on {server}" if server else ""
        text = f"Riot answered 404{where}" + (f": {message}" if message else "")
        return NotFound(text, method=method, server=server)
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else RiotError
    return cls(message, status=status, method=method, server=server)
