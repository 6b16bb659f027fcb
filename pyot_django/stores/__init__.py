"""Pipeline stores: ``Memory``, ``DjangoCache``, ``DjangoORM``, ``RiotAPI`` and the static-data stores.

Imported lazily so that ``settings.PYOT`` can name ``pyot_django.stores.Memory``
without pulling in Django's ORM or httpx before they are needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["CDragon", "DDragon", "DjangoCache", "DjangoORM", "Memory", "MerakiCDN", "RiotAPI", "ValorantContent"]

_MODULES = {"Memory": ".memory", "DjangoCache": ".djangocache", "DjangoORM": ".orm", "RiotAPI": ".riotapi"}
# The static-data service stores (stores/static/).
_MODULES.update(dict.fromkeys(("DDragon", "CDragon", "MerakiCDN", "ValorantContent"), ".static"))


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(import_module(_MODULES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
