"""Independent clients against the strict emulator: pulsefire and Riot-Watcher, every method of
theirs that the Riot API still has, all succeed (issue 14, "independent clients").

Both read only what they would read from Riot: the emulator runs ``strict`` (Riot's refusals on),
with its default routing, auth and rate-limit headers. pulsefire needs Python >= 3.12, so it runs in
a venv of its own under bench/.venvs (made on first use, as bench/ratelimit.py makes it);
Riot-Watcher runs on the project's own interpreter (it is in the test extra).

A method counts as "still in the reference" when its path is one of the catalogue's 82 operations;
the others (summoner by name, anything by summoner id, featured games, lol-status-v3, Data Dragon)
are listed and not called.
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pyot_django.riot import ENDPOINTS
from pyot_django.testing import RunningEmulator
from pyot_django.testing.rules import RSO_OPERATIONS
from tests.emulator_requests import API_KEY, strict_values

ROOT = Path(__file__).resolve().parents[1]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _operations() -> list[dict[str, object]]:
    out = []
    for operation, endpoint in ENDPOINTS.items():
        server, params, query, body = strict_values(endpoint)
        out.append(
            {
                "operation": operation,
                "verb": endpoint.http_method,
                "path": _PLACEHOLDER.sub("{}", endpoint.path),
                "server": server,
                "values": [params[name] for name in endpoint.path_params],
                "query": query,
                "body": body,
                "rso": operation in RSO_OPERATIONS,
            }
        )
    return out


@pytest.fixture
def strict_emu(emu: RunningEmulator) -> RunningEmulator:
    # Limits stay on (the clients pace themselves from the headers); a production-sized app
    # limit keeps the run short.
    emu.emulator.configure(strict=True, app_limits="500:10,30000:600")
    return emu


def _pulsefire_python() -> str:
    sys.path.insert(0, str(ROOT))
    from bench.ratelimit import ensure_venv

    python, problem = ensure_venv("pulsefire")
    assert python is not None, f"pulsefire's venv could not be made: {problem}"
    return python


@pytest.mark.timeout(900)  # the first run installs pulsefire into its venv
def test_pulsefire_calls_every_method_the_reference_still_has(strict_emu: RunningEmulator) -> None:
    python = _pulsefire_python()
    spec = {"base_url": f"{strict_emu.url}/{{region}}", "key": API_KEY, "operations": _operations()}
    done = subprocess.run(
        [python, str(ROOT / "tests" / "clients" / "pulsefire_driver.py")],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    print(f"pulsefire: {len(report['called'])} methods called, {len(report['skipped'])} not in the reference")
    assert report["failed"] == {}
    called = report["called"]
    # pulsefire 2.0.30 has 64 endpoint methods; 49 are still in the reference (15 by summoner id,
    # by name, featured games).
    assert len(called) == 49, sorted(called)
    assert {"get_account_v1_me", "get_lol_summoner_v4_me", "get_tft_summoner_v1_me"} <= set(called)
    assert len(called) + len(report["skipped"]) == 64
    stats = strict_emu.emulator.stats()
    assert stats["rate_limited"]["application"] == 0 and stats["rate_limited"]["method"] == 0


# -- Riot-Watcher ------------------------------------------------------------------------------

_ENDPOINT_ARG = re.compile(r"(\w+Urls)\.(\w+)")
_KWARG = re.compile(r"(\w+)=(\w+)")


def _watchers():  # type: ignore[no-untyped-def]
    from riotwatcher import LolWatcher, LorWatcher, RiotWatcher, TftWatcher, ValWatcher

    return {
        "lol": LolWatcher(API_KEY),
        "lor": LorWatcher(API_KEY),
        "riot": RiotWatcher(API_KEY),
        "tft": TftWatcher(API_KEY),
        "val": ValWatcher(API_KEY),
    }


def _api_methods(watcher):  # type: ignore[no-untyped-def]
    for api_name in dir(watcher):
        if api_name.startswith("_"):
            continue
        try:
            api = getattr(watcher, api_name)
        except NotImplementedError:  # Riot-Watcher's removed APIs (match_v4 ...) raise on access
            continue
        if not hasattr(api, "_request_endpoint"):
            continue
        for name, method in inspect.getmembers(api, inspect.ismethod):
            if not name.startswith("_"):
                yield f"{api_name}.{name}", method


def test_riotwatcher_calls_every_method_the_reference_still_has(strict_emu: RunningEmulator) -> None:
    from riotwatcher._apis import UrlConfig

    watchers = _watchers()
    by_path = {(op["verb"], op["path"]): op for op in _operations()}
    saved = {name: getattr(UrlConfig, name) for name in ("root_url", "lor_url", "riot_url", "tft_url", "val_url")}
    for name in saved:  # Riot-Watcher builds every URL from these: point them at the emulator
        setattr(UrlConfig, name, f"{strict_emu.url}/{{platform}}")
    called, skipped, failed = {}, [], {}
    try:
        for game, watcher in watchers.items():
            for name, method in _api_methods(watcher):
                source = inspect.getsource(method)
                found = _ENDPOINT_ARG.search(source)
                if found is None:
                    skipped.append(f"{game}.{name}")
                    continue
                module = sys.modules[type(method.__self__).__module__]
                urls = getattr(module, found.group(1))
                endpoint = getattr(urls, found.group(2))
                template = endpoint._url
                verb = "POST" if "post" in source.lower().split("_request_endpoint")[0] else "GET"
                op = by_path.get((verb, _PLACEHOLDER.sub("{}", template)))
                if op is None:
                    skipped.append(f"{game}.{name}")
                    continue
                values = dict(zip(_PLACEHOLDER.findall(template), op["values"], strict=True))
                placeholder_of = {arg: key for key, arg in _KWARG.findall(source.split("_request_endpoint", 1)[1])}
                kwargs: dict[str, object] = {}
                for parameter in list(inspect.signature(method).parameters)[1:]:
                    if placeholder_of.get(parameter) in values:
                        kwargs[parameter] = values[placeholder_of[parameter]]
                    elif parameter == "access_token":
                        kwargs[parameter] = "rso-access-token"
                # Riot-Watcher's docs spell regions upper case ("AMERICAS"); routing ignores case.
                region = str(op["server"]).upper()
                try:
                    answer = method(region, **kwargs)
                except Exception as exc:
                    failed[f"{game}.{name}"] = f"{type(exc).__name__}: {str(exc)[:200]}"
                else:
                    called[f"{game}.{name}"] = (op["operation"], type(answer).__name__)
    finally:
        for name, value in saved.items():
            setattr(UrlConfig, name, value)
    print(f"riotwatcher: {len(called)} methods called, {len(skipped)} not in the reference")
    assert failed == {}
    # Riot-Watcher 3.3.1: 57 API methods, 46 still in the reference (11 by summoner id/name,
    # featured games, lol-status v3).
    assert len(called) == 46, sorted(called)
    assert len(skipped) == 11, sorted(skipped)
    assert "riot.account.by_riot_id" in called
