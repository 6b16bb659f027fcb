"""A project model subclassing the ORM store's base, as a user would for match data."""

from django.db import models

from pyot_django.models import AbstractPyotEntry


class MatchEntry(AbstractPyotEntry):
    class Meta(AbstractPyotEntry.Meta):
        indexes = [
            *AbstractPyotEntry.Meta.indexes,
            models.Index(fields=["method", "server"], name="testapp_match_method_server"),
        ]


class _Na1Only(models.Manager["ManagedEntry"]):
    def get_queryset(self) -> models.QuerySet["ManagedEntry"]:
        return super().get_queryset().filter(server="na1")


class ManagedEntry(AbstractPyotEntry):
    """A project model whose only manager is named otherwise and filters rows (no ``objects``)."""

    na1 = _Na1Only()
