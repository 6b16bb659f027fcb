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
    page.goto(f"{url}/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "s3cret-pw")
    page.click("input[type=submit]")
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
