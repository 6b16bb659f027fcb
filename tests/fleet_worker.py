"""One OS process of the fleet single-flight test (``tests/test_fleet_single_flight.py``).

``python -m tests.fleet_worker BASE_URL PUUID CALLERS orm|cache``: builds a
Memory → DjangoCache("redis") [→ DjangoORM] → RiotAPI pipeline on the emulator,
prints ``READY``, waits for a line on stdin, runs CALLERS concurrent lookups of
one summoner and prints ``RESULT {json}``. ``PYOT_FLEET_DB_NAME`` points the ORM
at the test process's database.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main() -> None:
    base_url, puuid, callers, kind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    import django
    from django.conf import settings

    if os.environ.get("PYOT_FLEET_DB_NAME"):
        settings.DATABASES["default"]["NAME"] = os.environ["PYOT_FLEET_DB_NAME"]
    django.setup()
    import orjson

    from tests.helpers import make_pipeline, riot_store

    stores = [
        {"BACKEND": "pyot_django.stores.Memory"},
        {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis"},
    ]
    if kind == "orm":
        stores.append({"BACKEND": "pyot_django.stores.DjangoORM"})
    stores.append(riot_store(base_url, TIMEOUT=20))
    pipeline = make_pipeline(*stores)
    token = pipeline.token("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid)
    print("READY", flush=True)
    sys.stdin.readline()

    async def run() -> dict:
        answers = await asyncio.gather(*(pipeline.get(token) for _ in range(callers)), return_exceptions=True)
        await pipeline.aclose()
        values = {orjson.dumps(a, option=orjson.OPT_SORT_KEYS) for a in answers if not isinstance(a, BaseException)}
        errors = [f"{type(a).__name__}: {a}" for a in answers if isinstance(a, BaseException)]
        return {"ok": callers - len(errors), "distinct": len(values), "errors": errors[:3]}

    print("RESULT " + json.dumps(asyncio.run(run())), flush=True)


if __name__ == "__main__":
    main()
