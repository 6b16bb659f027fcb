"""What ``RiotAPI.option_problems`` reports, one helper per family of options.

The static-data stores share ``number_problems`` and ``handling_problems``: their
``HttpClient`` takes the same options, so they are checked under the same ids.

Every option that would fail, hang or bloat at run time is caught here, at
``manage.py check`` time, with its exact setting key:

- E013 / E021  ``API_KEY`` missing, or with whitespace / control characters;
- E014 / E020  ``BASE_URL`` not ``"emulator"`` nor an http(s) URL with ``{server}``, or with another placeholder;
- E015         ``TIMEOUT`` not positive finite seconds;
- E016 / E019  ``ERROR_HANDLING`` malformed, or asking for unbounded retries or waits;
- E022 / E023 / E024  ``MAX_RETRY_AFTER``, ``DEADLINE``, ``MAX_RESPONSE_SIZE`` out of range;
- W003         ``MAX_RESPONSE_SIZE`` too small for real payloads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from string import Formatter
from typing import Any

from ..devserver import is_emulator
from ..riot.deadline import deadline_problem
from ..riot.http import (
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_MAX_RETRY_AFTER,
    DEFAULT_TIMEOUT,
    MAX_RETRY_AFTER_LIMIT,
    Secret,
    key_problem,
)
from ..riot.retry import MAX_BACKOFF, MAX_BASE, MAX_RETRIES, error_handling_bound_problem, error_handling_problem
from .base import OptionProblem

_EMPTY = key_problem("")  # what key_problem says of an empty key: E013 rather than E021

__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_RESPONSE_SIZE_LIMIT",
    "SMALL_RESPONSE_SIZE",
    "handling_problems",
    "key_problems",
    "number_problems",
    "url_problems",
]

DEFAULT_BASE_URL = "https://{server}.api.riotgames.com"
MAX_RESPONSE_SIZE_LIMIT = 1024 * 1024 * 1024
"""Bytes: the largest MAX_RESPONSE_SIZE accepted (E024)."""
SMALL_RESPONSE_SIZE = 1024 * 1024
"""Bytes: below this MAX_RESPONSE_SIZE refuses real payloads (a timeline is up to ~0.9 MB; W003)."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def key_problems(options: Mapping[str, Any], path: str) -> list[OptionProblem]:
    key = options.get("API_KEY")
    if isinstance(key, Secret):  # settings.PYOT is masked where it is read (conf.get_config)
        empty, problem = key.problem == _EMPTY, key.problem
    elif isinstance(key, str):
        empty, problem = not key.strip(), key_problem(key)
    else:
        empty, problem = True, None
    if empty:
        return [
            OptionProblem(
                "E013",
                f"{path}['API_KEY']",
                "RiotAPI needs an API_KEY (a non-empty string).",
                'Read it from the environment: "API_KEY": os.environ["RIOT_API_KEY"]; never commit it.',
            )
        ]
    if problem:
        return [
            OptionProblem(
                "E021",
                f"{path}['API_KEY']",
                f"API_KEY {problem}; it would make the X-Riot-Token header malformed.",
                'Strip it where it is read: os.environ["RIOT_API_KEY"].strip().',
            )
        ]
    return []


def url_problems(options: Mapping[str, Any], path: str) -> list[OptionProblem]:
    base_url = options.get("BASE_URL", DEFAULT_BASE_URL)
    key = f"{path}['BASE_URL']"
    if is_emulator(base_url):  # resolved to the in-process emulator's URL when the store is built
        return []
    if not isinstance(base_url, str) or "{server}" not in base_url or not base_url.startswith(("http://", "https://")):
        return [
            OptionProblem(
                "E014",
                key,
                f"BASE_URL must be an http(s) URL containing '{{server}}', not {base_url!r}.",
                f"Default: {DEFAULT_BASE_URL!r}; 'emulator' for the built-in emulator (no key needed).",
            )
        ]
    try:
        fields = {name for _, name, _, _ in Formatter().parse(base_url) if name is not None}
    except ValueError as exc:  # an unbalanced brace
        fields = {f"<{exc}>"}
    others = sorted(fields - {"server"})
    if others:
        return [
            OptionProblem(
                "E020",
                key,
                f"BASE_URL may only contain the placeholder {{server}}, not {', '.join(repr(o) for o in others)}.",
                "Write the other parts literally (double a brace to keep it: '{{').",
            )
        ]
    return []


def number_problems(
    options: Mapping[str, Any], path: str, *, default_size: int = DEFAULT_MAX_RESPONSE_SIZE
) -> list[OptionProblem]:
    """TIMEOUT, MAX_RETRY_AFTER, DEADLINE and MAX_RESPONSE_SIZE (``default_size``: the store's default)."""
    problems = []
    timeout = options.get("TIMEOUT", DEFAULT_TIMEOUT)
    if not _is_number(timeout) or not math.isfinite(timeout) or timeout <= 0:
        problems.append(
            OptionProblem(
                "E015",
                f"{path}['TIMEOUT']",
                f"TIMEOUT must be positive finite seconds, not {timeout!r}.",
                "e.g. 10 (it bounds one attempt: connect, send, headers and the whole body)",
            )
        )
    cap = options.get("MAX_RETRY_AFTER", DEFAULT_MAX_RETRY_AFTER)
    if not _is_number(cap) or not 0 <= cap <= MAX_RETRY_AFTER_LIMIT:
        problems.append(
            OptionProblem(
                "E022",
                f"{path}['MAX_RETRY_AFTER']",
                f"MAX_RETRY_AFTER must be seconds between 0 and {MAX_RETRY_AFTER_LIMIT:g}, not {cap!r}.",
                f"Default {DEFAULT_MAX_RETRY_AFTER:g}: a longer Retry-After is cut to it.",
            )
        )
    deadline = options.get("DEADLINE")
    if deadline is not None and deadline_problem(deadline):
        problems.append(
            OptionProblem(
                "E023",
                f"{path}['DEADLINE']",
                f"DEADLINE must be None (patient) or positive finite seconds, not {deadline!r}.",
                "e.g. 2.0 for web views; leave it out for Celery tasks.",
            )
        )
    size = options.get("MAX_RESPONSE_SIZE", default_size)
    if isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= MAX_RESPONSE_SIZE_LIMIT:
        problems.append(
            OptionProblem(
                "E024",
                f"{path}['MAX_RESPONSE_SIZE']",
                f"MAX_RESPONSE_SIZE must be an int of bytes in 1..{MAX_RESPONSE_SIZE_LIMIT}, not {size!r}.",
                f"Default {default_size} ({default_size // (1024 * 1024)} MiB).",
            )
        )
    elif size < SMALL_RESPONSE_SIZE:
        problems.append(
            OptionProblem(
                "W003",
                f"{path}['MAX_RESPONSE_SIZE']",
                f"MAX_RESPONSE_SIZE {size} bytes refuses real answers: a match timeline is up to ~0.9 MB.",
                f"Use at least {SMALL_RESPONSE_SIZE} bytes (default {default_size}).",
            )
        )
    return problems


def handling_problems(options: Mapping[str, Any], path: str) -> list[OptionProblem]:
    handling = options.get("ERROR_HANDLING", {})
    key = f"{path}['ERROR_HANDLING']"
    problem = error_handling_problem(handling)
    if problem:
        return [
            OptionProblem(
                "E016",
                key,
                f"ERROR_HANDLING {problem}.",
                'e.g. {503: ("E", [1, 3]), 500: ("R", [2]), 400: ("T", [])}',
            )
        ]
    problem = error_handling_bound_problem(handling)
    if problem:
        return [
            OptionProblem(
                "E019",
                key,
                f"ERROR_HANDLING {problem}.",
                f"Bounds: at most {MAX_RETRIES} retries, a base of at most {MAX_BASE:g} s, "
                f"no wait over {MAX_BACKOFF:g} s.",
            )
        ]
    return []
