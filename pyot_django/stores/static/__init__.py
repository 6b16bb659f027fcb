"""The static-data service stores: ``DDragon``, ``CDragon``, ``MerakiCDN``, ``ValorantContent``.

Each serves its family of ``pyot_django.riot.static_catalogue`` and passes every
other token on (``NotFindable``); see ``base.StaticStore`` for what they share.
"""

from .base import StaticStore
from .cdragon import CDragon
from .ddragon import DDragon
from .meraki import MerakiCDN
from .valorant import ValorantContent

__all__ = ["CDragon", "DDragon", "MerakiCDN", "StaticStore", "ValorantContent"]
