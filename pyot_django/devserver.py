"""No-key development: ``"BASE_URL": "emulator"`` serves fake Riot data from this process.

A ``RiotAPI`` store whose ``BASE_URL`` is ``"emulator"`` talks to the built-in Riot API
emulator (:mod:`pyot_django.testing`), started in a background thread of this process on
a free loopback port the first time a pipeline is built, and shared by every store and
pipeline of the process. The emulator accepts any API key. It is for ``runserver`` on a
fresh project with no key; system check ``pyot_django.W010`` says that it is on (``W011``
when ``DEBUG`` is off, where it is almost certainly a mistake), and a log warning repeats
it when the emulator starts.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from .testing.runner import RunningEmulator

__all__ = [
    "EMULATOR",
    "EMULATOR_API_KEY",
    "EMULATOR_EXTRA_HINT",
    "emulated_stores",
    "emulator_base_url",
    "is_emulator",
    "process_emulator",
    "require_uvicorn",
    "resolve_base_url",
]

logger = logging.getLogger("pyot_django.devserver")

EMULATOR = "emulator"
"""The ``BASE_URL`` value that switches a RiotAPI store to the in-process emulator."""
EMULATOR_API_KEY = "emulator-not-a-riot-key"
"""A key for settings without one: the emulator accepts any key, Riot none of these."""
EMULATOR_EXTRA_HINT = 'pip install "pyot_django[emulator]"'

_lock = threading.Lock()
_running: RunningEmulator | None = None  # once started
_exit_stack: contextlib.ExitStack | None = None


def require_uvicorn(what: str = "The Riot API emulator") -> None:
    """Raise a one-line ``ImproperlyConfigured`` naming the extra when uvicorn is missing."""
    try:
        import uvicorn  # noqa: F401  (the emulator extra)
    except ImportError:
        raise ImproperlyConfigured(f"{what} needs uvicorn: {EMULATOR_EXTRA_HINT}") from None


def is_emulator(base_url: Any) -> bool:
    return isinstance(base_url, str) and base_url.strip().lower() == EMULATOR


def process_emulator(*, announce: bool = True) -> RunningEmulator:
    """This process's shared emulator (a ``RunningEmulator``), started on first call.

    ``announce``: log the "FAKE Riot data" warning when it starts (off for test suites).
    """
    global _running, _exit_stack
    with _lock:
        if _running is None:
            require_uvicorn('"BASE_URL": "emulator"')
            from .testing.runner import serve_emulator

            stack = contextlib.ExitStack()
            _running = stack.enter_context(serve_emulator())
            _exit_stack = stack
            atexit.register(_stop)
            if announce:
                logger.warning(
                    "pyot_django: RiotAPI BASE_URL is 'emulator': serving FAKE Riot data from the built-in "
                    "emulator at %s (any API key accepted). Set RIOT_API_KEY for real data.",
                    _running.url,
                )
        return _running


def _stop() -> None:
    global _running, _exit_stack
    with _lock:
        if _exit_stack is not None:
            _exit_stack.close()
        _running = _exit_stack = None


def emulator_base_url() -> str:
    """The ``BASE_URL`` of this process's emulator (starting it if need be)."""
    return process_emulator().base_url


def resolve_base_url(base_url: str) -> str:
    """``"emulator"`` → the in-process emulator's URL; any other value unchanged."""
    return emulator_base_url() if is_emulator(base_url) else base_url


def emulated_stores(config: Any) -> Iterator[str]:
    """The setting paths of the RiotAPI-like stores of ``config`` that use the emulator."""
    if not isinstance(config, Mapping):
        return
    for name, pipeline in config.items():
        stores = pipeline.get("STORES") if isinstance(pipeline, Mapping) else None
        if not isinstance(stores, list):
            continue
        for index, store in enumerate(stores):
            if isinstance(store, Mapping) and is_emulator(store.get("BASE_URL")):
                yield f"PYOT[{name!r}]['STORES'][{index}]['BASE_URL']"


def check_emulator(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """W010: a store serves emulated data; W011: and DEBUG is off (a production setting?)."""
    from django.conf import settings
    from django.core import checks

    paths = list(emulated_stores(getattr(settings, "PYOT", {})))
    if not paths:
        return []
    where = ", ".join(paths)
    if settings.DEBUG:
        return [
            checks.Warning(
                f"{where} is 'emulator': Riot data is FAKE, served by the built-in emulator.",
                hint="For real data set RIOT_API_KEY (the README's settings switch over by themselves).",
                id="pyot_django.W010",
            )
        ]
    return [
        checks.Warning(
            f"{where} is 'emulator' while DEBUG is False: this site would serve FAKE Riot data.",
            hint="Set RIOT_API_KEY in production; the emulator is for development and tests only.",
            id="pyot_django.W011",
        )
    ]
