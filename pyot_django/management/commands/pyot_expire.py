"""``manage.py pyot_expire NAME… | --all [--store INDEX] [--json]``."""

from __future__ import annotations

from ._base import MaintenanceCommand

__all__ = ["Command"]


class Command(MaintenanceCommand):
    help = (
        "Drop the expired entries of the named pipelines (or --all); live entries stay. "
        "Caches with their own TTL (Django cache aliases) need nothing and report 0."
    )
    action = "expire"
    done = "Expired"
