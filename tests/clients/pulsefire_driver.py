"""Runs inside pulsefire's own venv (Python >= 3.12): call every RiotAPIClient method the
reference still has against the emulator and print one JSON report on stdout.

stdin: {"base_url": "http://127.0.0.1:PORT/{region}", "key": ..., "operations": [{"verb", "path",
"server", "values", "query", "body", "rso"}]} where ``path`` is the catalogue's template with
every placeholder written ``{}`` and ``values`` the path values in order. A method whose path is
not among them (summoner by name, by summoner id, featured games ...) is no longer in the
reference: it is listed as skipped, never called.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import sys

from pulsefire.clients import RiotAPIClient

_INVOKE = re.compile(r'invoke\("(\w+)", "([^"]+)"\)')
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


async def main() -> None:
    spec = json.load(sys.stdin)
    by_path = {(op["verb"], op["path"]): op for op in spec["operations"]}
    report: dict[str, object] = {"called": {}, "skipped": [], "failed": {}}
    async with RiotAPIClient(base_url=spec["base_url"], default_headers={"X-Riot-Token": spec["key"]}) as client:
        for name, method in inspect.getmembers(RiotAPIClient, inspect.iscoroutinefunction):
            found = _INVOKE.search(inspect.getsource(method)) if not name.startswith("_") else None
            if found is None:
                continue
            verb, path = found.groups()
            op = by_path.get((verb, _PLACEHOLDER.sub("{}", path)))
            if op is None:
                report["skipped"].append(name)
                continue
            kwargs: dict[str, object] = dict(zip(_PLACEHOLDER.findall(path), op["values"], strict=True))
            parameters = inspect.signature(method).parameters
            if op["query"] and "queries" in parameters:
                kwargs["queries"] = op["query"]
            if "body" in parameters and op["body"] is not None:
                kwargs["body"] = op["body"]
            if op["rso"]:
                kwargs["headers"] = {"Authorization": "Bearer rso-access-token", "X-Riot-Token": spec["key"]}
            try:
                answer = await getattr(client, name)(region=op["server"], **kwargs)
            except Exception as exc:  # the report says which and why; the test asserts none
                report["failed"][name] = f"{type(exc).__name__}: {str(exc)[:200]}"
            else:
                report["called"][name] = {"operation": op["operation"], "type": type(answer).__name__}
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    asyncio.run(main())
