"""``manage.py pyot_clear NAME… | --all [--store INDEX] [--json]``."""

from __future__ import annotations

from ._base import MaintenanceCommand

__all__ = ["Command"]


class Command(MaintenanceCommand):
    help = (
        "Remove every cached entry of the named pipelines (or --all). Other keys of a shared cache "
        "alias and other pipelines are left alone. A Memory store is per process: this clears "
        "the command's own copy only."
    )
    action = "clear"
    done = "Cleared"
