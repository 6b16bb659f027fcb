"""``LowerCaseHeaders``: an answer's headers as a plain ``dict`` whose names are lower case.

Both transports produce it (h1 lowers each name as it parses; httpx's ``Headers`` iterate
lower-cased), so readers downstream — the limiter's :func:`~pyot_django.limiters.headers.read_feedback`
on every answer — can look names up directly instead of copying the dict to lower them.
"""

from __future__ import annotations

__all__ = ["LowerCaseHeaders"]


class LowerCaseHeaders(dict[str, str]):
    """A ``dict`` of header names (lower case) to values; see the module docstring."""

    __slots__ = ()
