"""The site's pages, written the way a user's views would use pyot_django.

``player`` is an async view: it awaits the pipeline directly and gathers lookups
concurrently. ``match`` is a sync view: it calls the same async code through
``async_to_sync``, as a WSGI project or a management command would.
"""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pyot_django.observe.request_trace import traced

from .errors import PageError, riot_errors
from .forms import SearchForm
from .players import load_match_page, load_player
from .riot import PLATFORMS, REGIONS, parse_riot_id

__all__ = ["match", "player", "search"]


def search(request: HttpRequest) -> HttpResponse:
    """The home page: a Riot id and a platform; a valid search redirects to the player page."""
    if "riot_id" not in request.GET:
        return render(request, "testproject/search.html", {"form": SearchForm()})
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "testproject/search.html", {"form": form}, status=400)
    riot_id = form.cleaned_data["riot_id"]
    return redirect(
        "player", platform=form.cleaned_data["platform"], game_name=riot_id.game_name, tag_line=riot_id.tag_line
    )


@riot_errors(not_found="No player {game_name}#{tag_line} on {platform}: Riot does not know this Riot id.")
async def player(request: HttpRequest, platform: str, game_name: str, tag_line: str) -> HttpResponse:
    if platform not in PLATFORMS:
        raise PageError(400, "Unknown platform", f"{platform!r} is not a League platform ({', '.join(PLATFORMS)}).")
    riot_id = parse_riot_id(f"{game_name}#{tag_line}")
    with traced(request):
        data = await load_player(riot_id, platform)
    return render(request, "testproject/player.html", {"player": data, "riot_id": riot_id})


@riot_errors(not_found="No match {match_id} in {region}.")
def match(request: HttpRequest, region: str, match_id: str) -> HttpResponse:
    if region not in REGIONS:
        raise PageError(400, "Unknown region", f"{region!r} is not a regional routing value ({', '.join(REGIONS)}).")
    with traced(request):
        page = async_to_sync(load_match_page)(match_id, region)
    context = {"match": page.match, "info": page.match["info"], "queue": page.queue, "region": region,
               "participants": page.participants}  # fmt: skip
    return render(request, "testproject/match.html", context)
