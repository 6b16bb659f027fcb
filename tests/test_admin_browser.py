"""The admin "Pipelines" page driven in headless Chromium (Debian's /usr/bin/chromium via Playwright)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User

from pyot_django import operations as ops
from tests.ops_support import METHOD, ops_settings, summoner

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT = Path(__file__).resolve().parent.parent / "test-output"


@contextmanager
def chromium_page() -> Iterator[Page]:
    # Playwright's sync API runs an event loop on this thread while open, and Django refuses
    # ORM calls under a running loop: open the browser only after the data is in place.
    from playwright.sync_api import sync_playwright

    if shutil.which(CHROMIUM) is None:  # never skip: a missing browser is a failure
        pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium (apt-get install -y chromium)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_log_in_look_up_and_clear_through_the_confirm_page(live_server):
    User.objects.create_superuser("admin", "admin@example.com", "s3cret-pw")
    with ops_settings():
        ops.fetch_token(*summoner("browser"))
        with chromium_page() as page:
            _drive(page, live_server.url)
        assert not ops.lookup_token(*summoner("browser")).found


def _drive(page: Page, url: str) -> None:
    """Log in, open Pipelines, look up the token, clear the pipeline through its confirm page."""
    _log_in(page, url)
    page.click("text=Pipelines")
    page.wait_for_selector("#pipeline-lol")
    assert page.locator("#pipeline-lol tr.pyot-store").count() == 4

    # Look up the token: pick the pipeline, server and operation, type the parameter.
    page.select_option("#id_pipeline", "lol")
    page.select_option("#id_server", "na1")
    page.select_option("#id_method", METHOD)
    assert "encryptedPUUID" in page.inner_text("#pyot-param-hint")
    page.fill("#id_params", "encryptedPUUID=browser")
    page.click("#pyot-lookup")
    page.wait_for_selector("#pyot-lookup-result")
    assert "Cached" in page.inner_text("#pyot-lookup-result h2")
    assert METHOD in page.inner_text("#pyot-value")
    assert page.locator("tr.pyot-state").count() == 4

    # Clear the pipeline through its confirm page.
    page.click(".breadcrumbs >> text=Pipelines")
    page.click("#pipeline-lol >> text=Clear pipeline")
    assert "Are you sure?" in page.inner_text("#content-main")
    page.click("#pyot-confirm")
    message = page.inner_text("ul.messagelist")
    assert "Cleared pipeline 'lol': 3 entries removed." in message

    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "admin_pipelines.png"), full_page=True)


# -- layout at common widths (issue 12) -----------------------------------------------------------

_FITS = """() => {
  // Every table fits its panel (no horizontal scrolling), and the page fits the window.
  const panels = [...document.querySelectorAll('.pyot-panel, #changelist .results')];
  const cut = panels.filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.id || p.className);
  if (document.documentElement.scrollWidth > window.innerWidth + 1) cut.push('page');
  return cut;
}"""
_ONE_LINE = """(selector) => [...document.querySelectorAll(selector)].filter(cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  return range.getClientRects().length !== 1;
}).map(cell => cell.textContent)"""
_CONTRAST = """(selector) => {
  // WCAG contrast of an element's text against the nearest background behind it.
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const channel = v => { v /= 255; return v <= .03928 ? v / 12.92 : ((v + .055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => [r, g, b].map(channel).reduce((sum, v, i) => sum + v * [.2126, .7152, .0722][i], 0);
  const el = document.querySelector(selector);
  let bg = el, color;
  const transparent = () => (color = rgb(getComputedStyle(bg).backgroundColor)).length === 4 && color[3] === 0;
  while (bg && transparent()) bg = bg.parentElement;
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(color);
  return (Math.max(a, b) + .05) / (Math.min(a, b) + .05);
}"""


def _visible_servers(page: Page) -> set[str]:
    return set(
        page.eval_on_selector_all(
            "#id_server optgroup:not([hidden]) option", "options => options.map(option => option.value)"
        )
    )


def _log_in(page: Page, url: str) -> None:
    page.goto(f"{url}/admin/login/?next=/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "s3cret-pw")
    page.click("input[type=submit]")
    page.wait_for_selector("#content-main")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 1920])
def test_admin_pages_fit_and_read_well_at_common_widths(live_server, width):
    from pyot_django.models import PyotEntry
    from pyot_django.riot import PLATFORMS, REGIONS

    User.objects.create_superuser("admin", "admin@example.com", "s3cret-pw")
    with ops_settings():
        ops.fetch_token(*summoner("layout"))
        PyotEntry.objects.create(
            pipeline="lol", server="na1", method=METHOD, key="k" * 200, value={"x": 1}, expires_at=None
        )
        with chromium_page() as page:
            page.set_viewport_size({"width": width, "height": 1000})
            _log_in(page, live_server.url)
            OUTPUT.mkdir(exist_ok=True)

            # The app is named "Pyot"; the admin's CSS capitalises every app caption alike
            # (AUTHENTICATION AND AUTHORIZATION too), so it looks like its neighbours.
            captions = page.eval_on_selector_all("caption a", "links => links.map(link => link.textContent)")
            assert "Pyot" in captions
            transforms = page.eval_on_selector_all(
                "caption a", "links => links.map(link => getComputedStyle(link.closest('caption')).textTransform)"
            )
            assert len(set(transforms)) == 1
            page.screenshot(path=str(OUTPUT / f"admin_index_{width}.png"), full_page=True)

            # Pipelines: Kind on one line, no column cut off.
            page.goto(f"{live_server.url}/admin/pyot_django/pipeline/")
            page.wait_for_selector("#pipeline-lol")
            assert page.evaluate(_ONE_LINE, "td.pyot-kind") == []
            assert page.evaluate(_FITS) == []
            # The lookup form starts on a lookup that routes, and filters servers by routing.
            assert page.input_value("#id_method") == "summoner-v4.getByPUUID"
            assert page.input_value("#id_server") == "na1"
            assert _visible_servers(page) == set(PLATFORMS)
            page.select_option("#id_method", "match-v5.getMatch")
            assert _visible_servers(page) == set(REGIONS) and page.input_value("#id_server") == "americas"
            assert "routed by regions" in page.inner_text("#pyot-server-hint")
            page.select_option("#id_method", METHOD)
            assert page.input_value("#id_server") == "na1"
            page.screenshot(path=str(OUTPUT / f"admin_pipelines_{width}.png"), full_page=True)

            # A lookup: the cached key is readable (contrast ≥ 4.5, WCAG AA) and nothing is cut off.
            page.fill("#id_params", "encryptedPUUID=layout")
            page.click("#pyot-lookup")
            page.wait_for_selector("#pyot-lookup-result")
            assert page.inner_text("#pyot-key").endswith("encryptedPUUID=layout")
            assert page.evaluate(_CONTRAST, "#pyot-key") >= 4.5
            assert "Expires at" in page.text_content("#pyot-lookup-result thead")
            assert page.evaluate(_FITS) == []
            page.screenshot(path=str(OUTPUT / f"admin_lookup_{width}.png"), full_page=True)

            # Cached entries: "Expires at" says never, the Expired column is in view.
            page.goto(f"{live_server.url}/admin/pyot_django/pyotentry/")
            page.wait_for_selector("#result_list")
            page.screenshot(path=str(OUTPUT / f"admin_entries_{width}.png"), full_page=True)
            headers = page.eval_on_selector_all("#result_list thead th", "ths => ths.map(th => th.textContent.trim())")
            assert "Expires at" in headers and "Expired" in headers
            assert "never" in page.inner_text("#result_list tbody")
            expired = "() => document.querySelector('#result_list th.column-expired').getBoundingClientRect().right"
            assert page.evaluate(expired) <= width
            assert page.evaluate(_FITS) == []
