"""The debug-toolbar panel with the toolbar installed: the right store for a miss and for a hit."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import override_settings

from pyot_django.pipeline import pipelines
from tests.helpers import lenient_riot_emulator_config  # noqa: F401  lenient: this suite is about what it measures, not Riot's id rules; its made-up ids are not what it tests
from tests.ops_support import emulated_riot_store

PANEL = "pyot_django.observe.toolbar.PipelinePanel"


@pytest.fixture
def toolbar_site(emu):
    stores = [
        {"BACKEND": "pyot_django.stores.Memory"},
        {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "locmem"},
        emulated_riot_store(emu.base_url),
    ]
    with override_settings(
        DEBUG=True,
        INSTALLED_APPS=[*settings.INSTALLED_APPS, "debug_toolbar"],
        MIDDLEWARE=["debug_toolbar.middleware.DebugToolbarMiddleware", *settings.MIDDLEWARE],
        ROOT_URLCONF="tests.urls_toolbar",
        DEBUG_TOOLBAR_PANELS=[PANEL],
        DEBUG_TOOLBAR_CONFIG={"SHOW_TOOLBAR_CALLBACK": lambda request: True, "RENDER_PANELS": True},
        PYOT={"lol": {"STORES": stores}},
        PYOT_OBSERVE={"METRICS": False, "FLEET": False},
    ):
        from django.core.cache import caches

        caches["locmem"].clear()
        yield
        caches["locmem"].clear()
        pipelines.reset()


def panel_rows(html: str) -> list[dict[str, str]]:
    assert 'id="PipelinePanel"' in html, html[-2000:]
    rows = []
    for match in re.finditer(r'<tr data-store="([^"]+)" data-method="([^"]+)">(.*?)</tr>', html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", match[3], re.S)
        rows.append({"store": match[1], "method": match[2], "misses": cells[5].strip(), "shared": cells[7].strip()})
    return rows


@pytest.mark.parametrize("view", ["summoner", "async-summoner"])
def test_panel_lists_riot_for_a_miss_then_memory_for_a_hit(toolbar_site, client, view):
    first = panel_rows(client.get(f"/{view}/tb-{view}").content.decode())
    assert first == [
        {"store": "RiotAPI", "method": "summoner-v4.getByPUUID", "misses": "Memory, DjangoCache", "shared": "no"}
    ]
    second = panel_rows(client.get(f"/{view}/tb-{view}").content.decode())
    assert second == [{"store": "Memory", "method": "summoner-v4.getByPUUID", "misses": "—", "shared": "no"}]


def test_panel_lists_the_cache_when_memory_was_dropped(toolbar_site, client):
    client.get("/summoner/tb-cache")
    pipelines["lol"].stores[0]._data.clear()  # as in another process: only the shared cache has it
    (row,) = panel_rows(client.get("/summoner/tb-cache").content.decode())
    assert row["store"] == "DjangoCache" and row["misses"] == "Memory"
