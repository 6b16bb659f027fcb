"""One OS process of the fleet tests: lookups against the emulator, then its own tally as JSON.

    python -m tests.observe_worker BASE_URL PREFIX PUUID[,PUUID…] ROUNDS [matches]

Each round looks up every PUUID once (sync code: ``fetch_sync``); with ``matches``
also its match list (``match-v5.getMatchIdsByPUUID`` on americas). The tally is what
this process's own trace saw (store that answered → count), independent of the
observability code under test.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main(base_url: str, prefix: str, puuids: str, rounds: str, matches: str = "") -> None:
    import django

    django.setup()
    from django.test import override_settings

    from pyot_django.pipeline import pipelines
    from pyot_django.pipeline.trace import trace_lookups
    from tests.observe_support import observe_settings

    with override_settings(**observe_settings(base_url, prefix)):
        lol = pipelines["lol"]
        with trace_lookups() as trace:
            for _ in range(int(rounds)):
                for puuid in puuids.split(","):
                    lol.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid)
                    if matches:
                        lol.fetch_sync("match-v5.getMatchIdsByPUUID", "americas", puuid=puuid)
        tally: dict[str, int] = {}
        for record in trace.records:
            tally[record.store_name or "none"] = tally.get(record.store_name or "none", 0) + 1
        print(json.dumps({"lookups": len(trace.records), "by_store": tally}))
    # Leaving override_settings resets the observers, which flushes the fleet counters;
    # atexit would flush them too.


if __name__ == "__main__":
    main(*sys.argv[1:])
