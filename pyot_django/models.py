"""Models: the ORM store's table and the admin page's placeholder.

``AbstractPyotEntry`` is the base a project subclasses to give some data a table
of its own (the ``DjangoORM`` store's ``MODEL`` option); ``PyotEntry`` is the
app's default table. ``Pipeline`` has no table: it anchors the admin page and its
permissions.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

__all__ = ["AbstractPyotEntry", "Pipeline", "PyotEntry"]


class AbstractPyotEntry(models.Model):
    """One cached Riot API answer: one row per (pipeline, key)."""

    pipeline = models.CharField(max_length=32)
    server = models.CharField(max_length=16)
    method = models.CharField(max_length=80)
    key = models.CharField(max_length=255, help_text="API key identity + token key (never the API key).")
    value = models.JSONField()
    stored_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: kept forever.")

    class Meta:
        abstract = True
        constraints = [models.UniqueConstraint(fields=["pipeline", "key"], name="%(app_label)s_%(class)s_unique_key")]
        indexes = [models.Index(fields=["expires_at"], name="%(app_label)s_%(class)s_expires")]

    def __str__(self) -> str:
        return f"{self.pipeline} {self.method} {self.server}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class PyotEntry(AbstractPyotEntry):
    class Meta(AbstractPyotEntry.Meta):
        verbose_name = "cached entry"
        verbose_name_plural = "cached entries"


class Pipeline(models.Model):
    """Placeholder behind the admin "Pipelines" page; it has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_pipeline", "Can view pipelines"),
            ("operate_pipeline", "Can clear and expire pipelines and delete cached entries"),
        ]
        verbose_name = "pipeline"
        verbose_name_plural = "pipelines"
