"""``Secret``: an API key that cannot be printed, logged or rendered by accident.

Django's technical 500 page, its error mails and error trackers render the locals
of every frame of a traceback with ``repr()``. The key therefore lives in one
object whose ``repr``/``str`` are masked, and the raw bytes are produced only as an
argument expression of the transport call (:meth:`header_list`), so no frame of
the project ever holds them in a local.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, NoReturn

__all__ = ["Secret", "key_identity", "key_problem", "mask_keys", "request_headers"]

_ACCEPT = (b"Accept", b"application/json")
_JSON_BODY = (_ACCEPT, (b"Content-Type", b"application/json"))
_NO_BODY = (_ACCEPT,)


def key_identity(api_key: str) -> str:
    """A short, non-reversible name for an API key (8 hex digits of BLAKE2b)."""
    return hashlib.blake2b(api_key.encode(), digest_size=4, person=b"pyot-key").hexdigest()


def key_problem(api_key: object) -> str | None:
    """Why ``api_key`` cannot be sent as a header value, or None.

    Whitespace around a key (a trailing newline from a secrets file) would make the
    header malformed: h11 then refuses it with an error message quoting the key.
    """
    if not isinstance(api_key, str) or not api_key.strip():
        return "must be a non-empty string"
    if api_key != api_key.strip():
        return "has whitespace around it (a trailing newline from a file or an env var?)"
    if any(not char.isprintable() or char.isspace() for char in api_key):
        return "contains whitespace or control characters"
    return None


class Secret:
    """Holds an API key; shows only its identity. Stripped defensively when built.

    ``problem`` is :func:`key_problem` of the value as it was given (before stripping),
    so the settings checks can still name a stray newline once the raw value is gone.
    """

    __slots__ = ("_value", "identity", "problem")

    _value: bytes
    identity: str
    problem: str | None

    def __init__(self, value: str | Secret) -> None:
        if isinstance(value, Secret):  # already masked (settings are masked where they are read)
            self._value, self.identity, self.problem = value._value, value.identity, value.problem
            return
        self.problem = key_problem(value)
        value = value.strip()
        self._value = value.encode("latin-1", "replace")
        self.identity = key_identity(value)

    def header_list(
        self, extra: tuple[tuple[bytes, bytes], ...] = (), name: bytes = b"X-Riot-Token"
    ) -> list[tuple[bytes, bytes]]:
        """The request's headers with the key; call it inside the transport call's arguments."""
        return [(name, self._value), *extra]

    def __repr__(self) -> str:
        return f"<Secret key={self.identity}>"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:  # never pickled into a cache or a task message
        raise TypeError("a Secret cannot be pickled")


def mask_keys(config: Any) -> Any:
    """A copy of a settings structure with every string ``API_KEY`` value wrapped in a :class:`Secret`.

    ``settings.PYOT`` is read through this: every frame that validates or builds the
    pipelines then holds masked keys only, so an error raised while building them (a
    bad option: the technical 500 page, an error mail, a tracker capturing locals)
    cannot render the raw key. Dicts, lists and tuples are copied; anything else is shared.
    """
    if isinstance(config, Mapping):
        return {
            name: Secret(value) if name == "API_KEY" and isinstance(value, str) else mask_keys(value)
            for name, value in config.items()
        }
    if isinstance(config, (list, tuple)):
        return type(config)(mask_keys(value) for value in config)
    return config


def request_headers(secret: Secret | None, json_body: bool) -> list[tuple[bytes, bytes]]:
    """A Riot request's headers (with the key when ``secret``); call it inside the send's arguments."""
    extra = _JSON_BODY if json_body else _NO_BODY
    return secret.header_list(extra) if secret is not None else list(extra)
