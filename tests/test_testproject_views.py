"""The testproject's pages with the Django test client against the in-process emulator.

The async player view, the sync match view (``async_to_sync``), the pipeline trace and
every error page: unknown Riot id, bad platform/region, malformed input, Riot
unreachable, rate limited. No page may show a stack trace or the API key.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from asgiref.sync import iscoroutinefunction
from django.core.cache import caches

from pyot_django.testing import RunningEmulator
from testproject import views
from testproject.env import static_data_urls
from tests.helpers import API_KEY, riot_store

pytestmark = pytest.mark.django_db(transaction=True)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "testproject" / "templates"
PLAYER = "/players/na1/Faker/KR1/"


def _pyot(base_url: str, **riot_options: object) -> dict[str, object]:
    static = static_data_urls(base_url)
    return {
        "lol": {
            "STORES": [
                {"BACKEND": "pyot_django.stores.Memory"},
                {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "locmem"},
                {"BACKEND": "pyot_django.stores.DjangoORM", "EXPIRATIONS": {"*": 0, "match-v5.getMatch": -1}},
                riot_store(base_url, **riot_options),
                {"BACKEND": "pyot_django.stores.DDragon", "BASE_URL": static["ddragon"]},
                {"BACKEND": "pyot_django.stores.CDragon", "BASE_URL": static["cdragon"]},
            ]
        }
    }


# What static_data.index fetches for a page: versions, champions, items, runes and spells from
# Data Dragon; queues and perks from CommunityDragon.
STATIC_LOOKUPS = {"DDragon": 5, "CDragon": 2}


@pytest.fixture
def site(settings, riot_emulator: RunningEmulator) -> RunningEmulator:
    """The testproject's URLs and templates on the test settings, its pipeline on the emulator."""
    settings.ROOT_URLCONF = "testproject.urls"
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [TEMPLATES_DIR],
            "OPTIONS": {
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    "pyot_django.observe.request_trace.pipeline_trace",
                ]
            },
        }
    ]
    settings.PYOT = _pyot(riot_emulator.base_url)
    caches["locmem"].clear()
    yield riot_emulator
    caches["locmem"].clear()


def stores(html: str) -> list[str]:
    return re.findall(r'<tr data-store="([^"]+)">', html)


def assert_clean(html: str) -> None:
    assert "Traceback" not in html and 'File "' not in html
    assert API_KEY not in html


def test_the_player_view_is_async_and_the_match_view_is_sync():
    assert iscoroutinefunction(views.player)
    assert not iscoroutinefunction(views.match)


def test_search_page_has_the_form_and_an_empty_trace(client, site):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="riot_id"' in html and 'name="platform"' in html
    assert "No Riot data was looked up for this page." in html


def test_a_valid_search_redirects_to_the_player_page(client, site):
    response = client.get("/", {"riot_id": " Faker#KR1 ", "platform": "na1"})
    assert response.status_code == 302
    assert response["Location"] == PLAYER


@pytest.mark.parametrize("riot_id", ["Faker", "#KR1", "Faker#", "ab#KR1", "Faker#TOOLONG"])
def test_a_malformed_riot_id_redisplays_the_form_with_an_error(client, site, riot_id):
    response = client.get("/", {"riot_id": riot_id, "platform": "na1"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Riot id" in html and 'class="errorlist"' in html
    assert site.emulator.stats()["total"] == 0


def test_an_unknown_platform_in_the_search_form_is_a_form_error(client, site):
    response = client.get("/", {"riot_id": "Faker#KR1", "platform": "mars1"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_player_page_shows_account_summoner_ranked_masteries_and_ten_matches(client, site):
    response = client.get(PLAYER)
    html = response.content.decode()
    assert response.status_code == 200, html
    assert "Faker" in html and "#KR1" in html and "Level " in html
    assert html.count('<tr class="match ') == 10
    assert len(re.findall(r'href="/matches/americas/NA1_\d+/"', html)) == 10
    assert re.search(r"\d+ / \d+ / \d+", html)
    assert "Victory" in html or "Defeat" in html
    assert 'id="masteries"' in html and 'id="ranked"' in html
    # 1 account + summoner, league, masteries, match ids + 10 matches, all from Riot; and the
    # static documents for names and icons.
    assert Counter(stores(html)) == {"RiotAPI": 15, **STATIC_LOOKUPS}
    masteries = re.findall(r'<tr class="mastery"><td class="champion">(.*?)</td>', html)
    assert len(masteries) == 5
    for cell in masteries:  # a name and its icon, not "#114"
        assert "#" not in cell and re.search(r'<img class="art" src="http://127\.0\.0\.1:\d+/_static/ddragon/cdn/'
                                             r'[\d.]+/img/champion/\w+\.png" alt="[^"]+"', cell), cell
    assert "CLASSIC" not in html and re.search(r"<td>(Ranked Solo/Duo|Ranked Flex|ARAM|Draft Pick|Quickplay|"
                                               r"Arena|ARURF|Pick URF|Blind Pick|Custom)</td>", html)
    assert_clean(html)


def test_second_load_is_served_from_memory_without_asking_riot(client, site):
    first = client.get(PLAYER)
    assert first.status_code == 200
    requests = site.emulator.stats()["total"]
    second = client.get(PLAYER).content.decode()
    assert stores(second) == ["Memory"] * (15 + sum(STATIC_LOOKUPS.values()))
    assert "RiotAPI" not in stores(second)
    assert site.emulator.stats()["total"] == requests


async def test_the_async_view_serves_under_the_async_client(async_client, site):
    response = await async_client.get(PLAYER)
    html = response.content.decode()
    assert response.status_code == 200, html
    assert html.count('<tr class="match ') == 10


def test_match_page_lists_the_participants_through_the_sync_view(client, site):
    html = client.get(PLAYER).content.decode()
    match_url = re.search(r'href="(/matches/americas/NA1_\d+/)"', html).group(1)
    response = client.get(match_url)
    page = response.content.decode()
    assert response.status_code == 200, page
    assert page.count('<tr class="participant ') == 10
    assert "Blue" in page and "Red" in page
    assert stores(page) == ["Memory"] * 8  # the player page fetched the match and the static data already
    assert page.count('class="art item"') >= 10 and page.count('class="art rune"') == 20
    assert page.count('class="art spell"') == 20
    assert "CLASSIC" not in page
    caches["locmem"].clear()


def test_match_page_fetched_cold_comes_from_riot_and_then_the_orm_is_filled(client, site):
    html = client.get("/matches/americas/NA1_5389898818/").content.decode()
    assert Counter(stores(html)) == {"RiotAPI": 1, **STATIC_LOOKUPS}
    from pyot_django.models import PyotEntry

    assert PyotEntry.objects.filter(method="match-v5.getMatch").count() == 1


def test_unknown_riot_id_is_a_404_page(client, site):
    response = client.get("/players/na1/404nobody/NA1/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "No player 404nobody#NA1 on na1" in html
    assert stores(html) == ["error"]  # the trace shows the failed lookup too
    assert_clean(html)


def test_unknown_match_is_a_404_page(client, site):
    response = client.get("/matches/americas/404_1/")
    assert response.status_code == 404
    assert "No match 404_1 in americas." in response.content.decode()


def test_bad_platform_and_bad_region_are_400_pages_sent_before_any_request(client, site):
    response = client.get("/players/mars1/Faker/KR1/")
    assert response.status_code == 400
    assert "Unknown platform" in response.content.decode()
    response = client.get("/matches/mars/NA1_1/")
    assert response.status_code == 400
    assert "Unknown region" in response.content.decode()
    assert site.emulator.stats()["total"] == 0


def test_malformed_riot_id_in_the_address_is_a_400_page(client, site):
    response = client.get("/players/na1/ab/KR1/")
    assert response.status_code == 400
    assert "Riot id" in response.content.decode()


def test_unreachable_riot_is_a_503_page(client, settings, site):
    settings.PYOT = _pyot("http://127.0.0.1:1/{server}")  # nothing listens on port 1
    response = client.get(PLAYER)
    html = response.content.decode()
    assert response.status_code == 503
    assert "Riot API unreachable" in html
    assert_clean(html)


def test_riot_timing_out_is_a_503_page(client, settings, site):
    settings.PYOT = _pyot(site.base_url, TIMEOUT=0.2)
    site.emulator.script("account-v1.getByRiotId", [{"fault": "timeout"}] * 4)
    response = client.get(PLAYER)
    assert response.status_code == 503
    assert "Riot API unreachable" in response.content.decode()


def test_riot_errors_5xx_after_retries_is_a_503_page(client, site):
    site.emulator.script("account-v1.getByRiotId", [503] * 10)
    response = client.get(PLAYER)
    assert response.status_code == 503
    assert "Riot API unreachable" in response.content.decode()


def test_rate_limited_is_a_429_page_saying_when_to_retry(client, site):
    site.emulator.script("account-v1.getByRiotId", [{"status": 429, "retry_after": 0}] * 10)
    response = client.get(PLAYER)
    html = response.content.decode()
    assert response.status_code == 429
    assert "try again in" in html
    assert int(response["Retry-After"]) > 0
    assert_clean(html)


def test_an_unknown_address_is_the_site_404_page(client, site):
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert "There is no page at this address." in response.content.decode()
