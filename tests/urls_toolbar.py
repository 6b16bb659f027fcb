"""URLs of the debug-toolbar test: the toolbar's own, and one view that looks up a summoner."""

from debug_toolbar.toolbar import debug_toolbar_urls
from django.http import HttpRequest, HttpResponse
from django.urls import path

from pyot_django.pipeline import pipelines


def summoner_page(request: HttpRequest, puuid: str) -> HttpResponse:
    data = pipelines["lol"].fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid)
    return HttpResponse(f"<html><body><h1>{data['puuid']}</h1></body></html>")


async def async_summoner_page(request: HttpRequest, puuid: str) -> HttpResponse:
    data = await pipelines["lol"].fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid)
    return HttpResponse(f"<html><body><h1>{data['puuid']}</h1></body></html>")


urlpatterns = [
    path("summoner/<str:puuid>", summoner_page),
    path("async-summoner/<str:puuid>", async_summoner_page),
    *debug_toolbar_urls(),
]
