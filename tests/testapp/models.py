"""A project model subclassing the ORM store's base, as a user would for match data."""

from django.db import models

from pyot_django.models import AbstractPyotEntry


class MatchEntry(AbstractPyotEntry):
    class Meta(AbstractPyotEntry.Meta):
        indexes = [
            *AbstractPyotEntry.Meta.indexes,
            models.Index(fields=["method", "server"], name="testapp_match_method_server"),
        ]
