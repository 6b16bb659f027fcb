"""Where the emulator's static sources answer, and the store settings that point at them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["StaticURLs"]

_BACKENDS = (
    ("pyot_django.stores.DDragon", "ddragon"),
    ("pyot_django.stores.CDragon", "cdragon"),
    ("pyot_django.stores.MerakiCDN", "meraki"),
    ("pyot_django.stores.ValorantContent", "valorant"),
)


class StaticURLs:
    """Mixed into the emulator handles (they have ``url``)."""

    if TYPE_CHECKING:

        @property
        def url(self) -> str: ...

    def static_url(self, source: str) -> str:
        """A static store's ``BASE_URL`` here: ``ddragon``, ``lor-ddragon``, ``cdragon``, ``meraki`` or ``valorant``."""
        return f"{self.url}/_static/{source}"

    def static_stores(self, **options: Any) -> list[dict[str, Any]]:
        """The four static-data stores' settings, pointed at this emulator (``options`` go into each)."""
        stores = []
        for backend, source in _BACKENDS:
            store = {"BACKEND": backend, "BASE_URL": self.static_url(source), **options}
            if source == "ddragon":
                store["LOR_BASE_URL"] = self.static_url("lor-ddragon")
            stores.append(store)
        return stores
