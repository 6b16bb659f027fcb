"""The emulator's static-data sources (Data Dragon, CommunityDragon, Meraki, valorant-api.com)."""

from .app import PREFIX, SOURCES, serve_static

__all__ = ["PREFIX", "SOURCES", "serve_static"]
