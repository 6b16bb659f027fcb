"""Reading the testproject's environment: DATABASE_URL, REDIS_URL and the Riot API target.

Kept apart from ``settings.py`` so it can be unit-tested and so settings stay declarative.
No new dependency: a database URL is parsed with ``urllib.parse``.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["EMULATOR_BASE_URL", "RIOT_BASE_URL", "database_from_url", "riot_target", "static_data_urls"]

RIOT_BASE_URL = "https://{server}.api.riotgames.com"
# Where ``manage.py pyot_emulator`` listens by default: without a key and without the demo
# runner, ``runserver`` talks to a separately started emulator instead of the real API.
EMULATOR_BASE_URL = "http://127.0.0.1:8765/{server}"
# A recognisable fake key for the emulator (it accepts any non-empty key).
EMULATOR_API_KEY = "RGAPI-demo-emulator-key-not-secret"

_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


def database_from_url(url: str) -> dict[str, Any]:
    """``postgres://user:password@host:port/name?sslmode=require`` → a ``DATABASES`` entry.

    SQLite is accepted too (handy for several local workers): ``sqlite:////absolute/path``,
    ``sqlite:///relative/path``, as in dj-database-url.
    """
    parts = urlsplit(url)
    engine = _ENGINES.get(parts.scheme)
    if engine is None:
        raise ValueError(f"DATABASE_URL scheme {parts.scheme!r} is not one of {', '.join(sorted(_ENGINES))}")
    if engine.endswith("sqlite3"):
        return {"ENGINE": engine, "NAME": unquote(parts.path[1:]), "OPTIONS": {"timeout": 30}}
    config: dict[str, Any] = {
        "ENGINE": engine,
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # Reuse connections across requests and tasks instead of one per request.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
    options = dict(parse_qsl(parts.query))
    if options:
        config["OPTIONS"] = options
    return config


def riot_target(environ: os._Environ[str] | dict[str, str] = os.environ) -> tuple[str, str]:
    """``(API_KEY, BASE_URL)``: the real API when ``RIOT_API_KEY`` is set, else the emulator.

    ``PYOT_RIOT_BASE_URL`` (set by ``testproject.demo`` to its in-process emulator) wins over both
    defaults, so a real key can also be pointed at a proxy.
    """
    key = environ.get("RIOT_API_KEY", "").strip()
    default_url = RIOT_BASE_URL if key else EMULATOR_BASE_URL
    return key or EMULATOR_API_KEY, environ.get("PYOT_RIOT_BASE_URL") or default_url


def static_data_urls(riot_base_url: str) -> dict[str, str]:
    """``BASE_URL`` of the DDragon and CDragon stores: the emulator's when Riot is the emulator.

    An emulator answers the Riot API on ``http://host:port/{server}`` and the static sources
    on ``http://host:port/_static/<source>``; for the real API the stores' defaults apply.
    """
    if riot_base_url == RIOT_BASE_URL or not riot_base_url.endswith("/{server}"):
        return {}
    root = riot_base_url.removesuffix("/{server}")
    return {"ddragon": f"{root}/_static/ddragon", "cdragon": f"{root}/_static/cdragon"}
