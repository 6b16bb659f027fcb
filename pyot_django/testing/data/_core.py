"""Plumbing shared by every generator: the request record, seeding, the 404 rule, query parsing."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache

# A fixed "now" (2025-06-15T12:00:00Z, ms). Generated timestamps hang off it instead of the wall
# clock, so the same request gives the same bytes today and next year.
ANCHOR_MS = 1_750_000_000_000

_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


class DataNotFound(Exception):
    """The emulator answers this request with a 404; the message becomes the body's status.message."""


@dataclass(frozen=True, slots=True)
class Request:
    """One call as the generators see it (what the server parsed off the wire)."""

    operation: str
    server: str
    path: dict[str, str]
    query: dict[str, list[str]]
    body: object | None
    api_key: str

    @property
    def key_id(self) -> str:
        return key_id(self.api_key)


@lru_cache(maxsize=256)
def key_id(api_key: str) -> str:
    """A short one-way digest of the key: enough to separate keys, useless to recover one."""
    return hashlib.blake2b(api_key.encode(), digest_size=8, person=b"pyot-emu-key").hexdigest()


def digest(*parts: object, size: int = 16) -> bytes:
    """Stable across processes and Python versions, unlike ``hash()`` (which is salted per run)."""
    raw = "\x1f".join(str(p) for p in parts).encode()
    return hashlib.blake2b(raw, digest_size=size).digest()


def seed_int(*parts: object, bits: int = 64) -> int:
    return int.from_bytes(digest(*parts, size=(bits + 7) // 8), "big")


def rng(*parts: object) -> random.Random:
    return random.Random(seed_int(*parts, bits=128))


def b64id(length: int, *parts: object) -> str:
    """An opaque base64url id of ``length`` chars (PUUIDs are 78, summoner ids 47 at Riot)."""
    needed = (length * 6 + 7) // 8
    out: list[str] = []
    counter = 0
    while len(out) * 8 < needed:  # blake2b tops out at 64 bytes: chain blocks for longer ids
        out.append(digest(*parts, counter, size=64).hex())
        counter += 1
    value = int("".join(out), 16)
    chars = []
    for _ in range(length):
        chars.append(_B64URL[value & 63])
        value >>= 6
    return "".join(chars)


def uuid_from(*parts: object) -> str:
    h = digest(*parts).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


def is_not_found_value(value: str) -> bool:
    low = value.lower()
    return low.startswith("404") or low == "notfound"


def check_not_found(path: dict[str, str]) -> None:
    """The documented way to ask for a 404: see the package docstring."""
    for name, value in path.items():
        if is_not_found_value(value):
            raise DataNotFound(f"Data not found - no data for {name} {value!r}")


def q_str(query: dict[str, list[str]], name: str, default: str | None = None) -> str | None:
    values = query.get(name)
    return values[0] if values else default


def q_int(query: dict[str, list[str]], name: str, default: int, lo: int, hi: int) -> int:
    """Lenient: a malformed value falls back to the default (the server validates, not us)."""
    raw = q_str(query, name)
    try:
        value = default if raw is None else int(raw)
    except ValueError:
        value = default
    return max(lo, min(hi, value))


def q_opt_int(query: dict[str, list[str]], name: str) -> int | None:
    raw = q_str(query, name)
    try:
        return None if raw is None else int(raw)
    except ValueError:
        return None


def as_int(value: object) -> int:
    """``int(value)`` of a number (or numeric string) read back out of an invented JSON dict."""
    if isinstance(value, (int, float, str)):
        return int(value)
    raise TypeError(f"not a number: {value!r}")


def as_number(value: object) -> float:
    """A stat of an invented JSON dict as a number, for comparing (``max``, sorting)."""
    if isinstance(value, (int, float)):
        return value
    raise TypeError(f"not a number: {value!r}")


def iso_utc(ms: int) -> str:
    """Riot's ISO timestamps (status pages, LoR) from a ms epoch, without touching datetime's tz DB."""
    import datetime as _dt

    stamp = _dt.datetime.fromtimestamp(ms / 1000, tz=_dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


@dataclass(frozen=True, slots=True)
class Handler:
    """How the dispatcher runs one operation.

    ``cache``: how many serialised answers to keep (0: generate every time, for answers that are
    cheap or that register ids as a side effect). ``context``: state outside the request that the
    answer depends on (e.g. the owner registered for a match id); it joins the cache key so a
    cached answer never goes stale when that state changes.
    """

    fn: Callable[[Request], object]
    cache: int = 256
    context: Callable[[Request], Hashable] | None = None
