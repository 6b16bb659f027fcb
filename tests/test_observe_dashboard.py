"""The fleet dashboard in headless Chromium after a 3-process crawl with scripted 429s.

Screenshots at 1280 px go to test-output/ (the whole Pipelines page, and the lol
pipeline's fleet charts alone). The numbers on the page must match what the workers
saw (stores that answered) and what the emulator was scripted to answer (429s).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from tests.helpers import lenient_riot_emulator_config  # noqa: F401  lenient: made-up ids; it charts what the workers did
from tests.observe_support import observe_settings
from tests.test_admin_browser import ARGS, CHROMIUM, OUTPUT
from tests.test_observe_fleet import prefix, run_workers, summed  # noqa: F401  (fixture)

SCRIPTED = {"method": 3, "application": 2, "service": 1}
CRAWL = (("c1,c2,c3,c4,c5,c6,c7,c8", 3, "matches"), ("c5,c6,c7,c8,c9,c10", 3, "matches"), ("c1,c9,c11,c12", 4))


@pytest.mark.django_db(transaction=True)
def test_dashboard_after_a_crawl_with_429s(emu, prefix, live_server):  # noqa: F811
    emu.emulator.script(
        "summoner-v4.getByPUUID",
        [{"status": 429, "retry_after": 0, "type": "method"}] * SCRIPTED["method"]
        + [{"status": 429, "retry_after": 0, "type": "service"}] * SCRIPTED["service"],
    )
    application = [{"status": 429, "retry_after": 0, "type": "application"}] * SCRIPTED["application"]
    emu.emulator.script("match-v5.getMatchIdsByPUUID", application)
    tallies = run_workers(emu.base_url, prefix, CRAWL)
    expected = summed(tallies)
    lookups = sum(tally["lookups"] for tally in tallies)
    assert {"Memory", "DjangoCache", "RiotAPI"} <= set(expected)  # the crawl hit every store

    User.objects.create_superuser("admin", "admin@example.com", "s3cret-pw")
    with override_settings(**observe_settings(emu.base_url, prefix)):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(15_000)
                page.goto(f"{live_server.url}/admin/")
                page.fill("#id_username", "admin")
                page.fill("#id_password", "s3cret-pw")
                page.click("input[type=submit]")
                page.goto(f"{live_server.url}/admin/pyot_django/pipeline/")
                fleet = page.locator("#fleet-lol")
                fleet.wait_for()
                assert fleet.get_attribute("data-lookups") == str(lookups)
                assert fleet.get_attribute("data-rate-limited") == str(sum(SCRIPTED.values()))
                for store, count in expected.items():
                    item = page.locator(f'#fleet-lol .pyot-legend li[data-store="{store}"]')
                    assert item.get_attribute("data-count") == str(count)
                    assert f"{store}: {count} ({100 * count / lookups:.1f}%)" in item.inner_text()
                for kind, count in SCRIPTED.items():
                    item = page.locator(f'#fleet-lol li[data-limit-type="{kind}"]')
                    assert item.get_attribute("data-count") == str(count)
                # The share chart's bars add up, per store, to the counts in the legend.
                for store, count in expected.items():
                    bars = page.locator(f'#fleet-lol svg[data-chart="share"] rect[data-series="{store}"]')
                    assert sum(float(bars.nth(i).get_attribute("data-value")) for i in range(bars.count())) == count
                assert page.locator('#fleet-lol svg[data-chart="budget"] polyline').count() >= 2
                assert page.locator('#fleet-lol svg[data-chart="latency"] rect').count() == 2 * len(expected)
                box = fleet.bounding_box()
                assert box is not None and box["width"] <= 1280  # no horizontal scrolling at 1280 px
                OUTPUT.mkdir(exist_ok=True)
                page.screenshot(path=str(OUTPUT / "fleet_dashboard_1280.png"), full_page=True)
                fleet.screenshot(path=str(OUTPUT / "fleet_charts_lol_1280.png"))
            finally:
                browser.close()
