"""The Prometheus metrics: in this process, and scraped under multiprocess mode from 2 workers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families

from pyot_django.observe.metrics import METRIC_NAMES
from pyot_django.pipeline import pipelines
from tests.helpers import lenient_riot_emulator_config  # noqa: F401  lenient: this suite is about what it measures, not Riot's id rules; its made-up ids are not what it tests
from tests.observe_support import observe_settings
from tests.test_observe_fleet import prefix, run_workers, summed  # noqa: F401  (fixture)

TOKEN = "scrape-token-0123456789abcdef"
METHOD = "summoner-v4.getByPUUID"


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


@pytest.mark.django_db
def test_scrape_under_multiprocess_mode_sums_two_processes(emu, prefix, client, tmp_path, monkeypatch):  # noqa: F811
    emu.emulator.script(METHOD, [{"status": 429, "retry_after": 0, "type": "method"}])
    tallies = run_workers(
        emu.base_url, prefix, (("m1,m2,m3", 2), ("m1,m4", 3)), env={"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    )
    expected = summed(tallies)
    assert len(list(tmp_path.glob("*.db"))) >= 2  # each worker wrote its own files
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    config = observe_settings(emu.base_url, prefix)
    config["PYOT_OBSERVE"]["METRICS_TOKEN"] = TOKEN
    with override_settings(**config):
        assert client.get("/pyot/metrics").status_code == 403
        assert client.get("/pyot/metrics", HTTP_AUTHORIZATION="Bearer wrong-token-0123456789").status_code == 403
        response = client.get("/pyot/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    found = samples(response.content.decode())

    lookups = {key: v for key, v in found.items() if key[0] == "pyot_lookups_total"}
    assert {frozenset(dict(labels)) for _, labels in lookups} == {frozenset({"pipeline", "store", "outcome"})}
    by_store: dict[str, float] = {}
    for (_, labels), count in lookups.items():
        store = dict(labels)["store"]
        by_store[store] = by_store.get(store, 0) + count
    assert {store: int(count) for store, count in by_store.items() if count} == expected
    assert value(found, "pyot_lookups_total", pipeline="lol", store="RiotAPI", outcome="fetched") == expected["RiotAPI"]
    hits = value(found, "pyot_lookups_total", pipeline="lol", store="Memory", outcome="hit")
    assert hits == expected.get("Memory", 0) and hits > 0
    assert value(found, "pyot_lookup_duration_seconds_count", pipeline="lol", store="Memory") == hits
    # One scripted 429 (type "method"), retried: one more Riot answer than fetches.
    riot = {"pipeline": "lol", "operation": METHOD, "server": "na1"}
    assert value(found, "pyot_riot_rate_limited_total", **riot, type="method") == 1
    assert value(found, "pyot_riot_requests_total", **riot, status="429") == 1
    assert value(found, "pyot_riot_requests_total", **riot, status="200") == expected["RiotAPI"]
    app = {"pipeline": "lol", "scope": "app", "server": "na1", "operation": "*"}
    assert value(found, "pyot_riot_budget_limit", **app, window="1") == 20
    assert value(found, "pyot_riot_budget_used", **app, window="120") >= 1
    waits = value(found, "pyot_limiter_wait_seconds_count", pipeline="lol", server="na1", operation=METHOD)
    assert waits == expected["RiotAPI"] + 1
    names = {name for name, _ in found}
    for name in set(METRIC_NAMES) - {"pyot_cache_errors_total"}:  # no cache failed: tested below
        assert any(n.startswith(name) for n in names), name


@pytest.mark.django_db
def test_metrics_view_for_staff_in_this_process(emu, prefix, client):  # noqa: F811
    config = observe_settings(emu.base_url, prefix)
    config["PYOT"]["lol"]["STORES"].insert(1, {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis_down"})
    with override_settings(**config):
        lol = pipelines["lol"]
        lol.fetch_sync(METHOD, "na1", encryptedPUUID="solo")
        lol.fetch_sync(METHOD, "na1", encryptedPUUID="solo")
        staff = User.objects.create_user("ops", password="pw-metrics", is_staff=True)
        client.login(username="ops", password="pw-metrics")
        assert client.get("/pyot/metrics").status_code == 403  # staff, but no view_pipeline
        staff.user_permissions.add(Permission.objects.get(codename="view_pipeline"))
        response = client.get("/pyot/metrics")
    assert response.status_code == 200
    found = samples(response.content.decode())
    assert value(found, "pyot_lookups_total", pipeline="lol", store="Memory", outcome="hit") >= 1
    assert value(found, "pyot_lookups_total", pipeline="lol", store="RiotAPI", outcome="fetched") >= 1
    assert value(found, "pyot_cache_errors_total", pipeline="lol", store="DjangoCache", action="get") >= 1


def test_documented_metrics_table_is_the_code():
    import re
    from pathlib import Path

    from pyot_django.observe.metrics import metrics

    page = (Path(__file__).resolve().parent.parent / "docs" / "observability.md").read_text()
    table = page[page.index("## Metrics\n") :].split("\n\n")
    rows = [line for part in table for line in part.splitlines() if line.startswith("| `pyot_")]
    documented = {}
    for row in rows:
        name, kind, labels = (cell.strip() for cell in row.strip("|").split("|"))
        documented[name.strip("`")] = (kind, re.findall(r"`(\w+)`", re.sub(r"\(.*?\)", "", labels)))
    assert set(documented) == set(METRIC_NAMES)
    m = metrics()
    objects = [m.lookups, m.lookup_seconds, m.cache_errors, m.riot_requests, m.riot_seconds, m.rate_limited]
    objects += [m.budget_used, m.budget_limit, m.limiter_wait]
    for metric in objects:
        (family,) = metric.describe()
        name = family.name + ("_total" if family.type == "counter" else "")
        kind, labels = documented[name]
        assert kind == family.type
        assert labels == list(metric._labelnames), name
