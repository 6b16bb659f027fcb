"""The testproject in headless Chromium: search a Riot id, see the player page and a match.

The site runs as the demo runs it (``python -m testproject.demo``, emulator in-process);
screenshots land in ``test-output/`` for a human to look at.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.helpers import free_port, port_open

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYOT_", "CELERY_", "RIOT_"))}
    env = {k: v for k, v in env.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DEMO_PORT=str(port), PYOT_DEMO_SQLITE=str(tmp_path_factory.mktemp("site") / "db.sqlite3"))
    process = subprocess.Popen(
        [sys.executable, "-m", "testproject.demo"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not port_open(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the testproject did not come up (exit code {process.poll()})")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_search_a_riot_id_and_see_the_player_page_with_matches(browser: Browser, site_url: str):
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(site_url + "/")
    page.screenshot(path=OUTPUT / "site-search.png", full_page=True)

    page.fill("input[name=riot_id]", "Faker#KR1")
    page.select_option("select[name=platform]", "na1")
    page.click("button[type=submit]")

    expect(page).to_have_url(re.compile(r"/players/na1/Faker/KR1/$"))
    expect(page.locator("h1")).to_contain_text("Faker")
    expect(page.locator("tr.match")).to_have_count(10)
    expect(page.locator("#pipeline-trace tr[data-store=RiotAPI]")).to_have_count(15)
    expect(page.locator("#pipeline-trace tr[data-store=DDragon]")).to_have_count(5)
    expect(page.locator("#pipeline-trace tr[data-store=CDragon]")).to_have_count(2)
    # Masteries show champion names (not "#114") and an icon per champion that loaded as a PNG.
    names = page.locator("#masteries .champion-name").all_inner_texts()
    assert len(names) == 5 and all(name and not name.startswith("#") for name in names), names
    icons = page.locator("#masteries img.art")
    expect(icons).to_have_count(5)
    for src in icons.evaluate_all("imgs => imgs.map(i => i.src)"):
        response = page.request.get(src)
        assert response.status == 200 and response.headers["content-type"] == "image/png", src
        assert response.body().startswith(b"\x89PNG")
    page.wait_for_load_state("load")
    loaded = icons.evaluate_all("imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
    assert loaded == [True] * 5  # the browser decoded every one
    page.screenshot(path=OUTPUT / "site-player.png", full_page=True)

    page.reload()
    expect(page.locator("#pipeline-trace tr[data-store=Memory]")).to_have_count(22)
    expect(page.locator("#pipeline-trace tr[data-store=RiotAPI]")).to_have_count(0)

    page.locator("tr.match a").first.click()
    expect(page.locator("tr.participant")).to_have_count(10)
    expect(page.locator("tr.participant img.rune")).to_have_count(20)
    page.wait_for_load_state("load")  # every <img> has loaded (or failed)
    assert page.locator("tr.participant img.art").evaluate_all(
        "imgs => imgs.every(i => i.complete && i.naturalWidth > 0)"
    )
    expect(page.locator("p.muted").first).not_to_contain_text("CLASSIC")
    page.screenshot(path=OUTPUT / "site-match.png", full_page=True)


def test_an_unknown_riot_id_shows_a_clear_error_page(browser: Browser, site_url: str):
    page = browser.new_page()
    response = page.goto(site_url + "/players/na1/404ghost/NA1/")
    assert response is not None and response.status == 404
    expect(page.locator("#error")).to_contain_text("No player 404ghost#NA1")
    page.screenshot(path=OUTPUT / "site-not-found.png", full_page=True)
