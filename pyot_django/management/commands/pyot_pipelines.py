"""``manage.py pyot_pipelines [NAME…] [--json]``: the pipelines, their stores in order, counts and health."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from ...exceptions import PyotError
from ...observe.fleet_read import with_fleet  # observe: hook (issue 13)
from ...operations import PipelineInfo, StoreInfo, inspect_pipelines
from ._base import command_error, dump_json

__all__ = ["Command"]


def _expirations(expirations: dict[str, Any] | None) -> str:
    if not expirations:
        return "defaults"
    return ", ".join(f"{method} {_seconds(value)}" for method, value in expirations.items())


def _seconds(value: Any) -> str:
    if isinstance(value, int | float):
        if value < 0:
            return "forever"
        if value == 0:
            return "never kept"
        return f"{value:g}s"
    return str(value)


class Command(BaseCommand):
    help = "Show the configured pipelines: stores in lookup order, entry counts and hit/miss/error counters."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("names", nargs="*", metavar="NAME", help="Only these pipelines (default: all).")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            infos = inspect_pipelines(options["names"] or None)
        except PyotError as exc:
            raise command_error(exc) from exc
        if options["json"]:
            self.stdout.write(dump_json(with_fleet([info.as_dict() for info in infos])))  # observe: hook (issue 13)
            return
        if not infos:
            self.stdout.write(self.style.WARNING("No pipelines configured in settings.PYOT."))
        for info in infos:
            self._write_pipeline(info)

    def _write_pipeline(self, info: PipelineInfo) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"{info.name}") + f"  (namespace {info.namespace})")
        for store in info.stores:
            self._write_store(store)

    def _write_store(self, store: StoreInfo) -> None:
        location = f" {store.location}" if store.location else ""
        self.stdout.write(f"  [{store.index}] {store.kind:<7} {self.style.MIGRATE_LABEL(store.name)}{location}")
        self.stdout.write(f"        backend: {store.backend}")
        if store.kind == "cache":
            self.stdout.write(f"        expirations: {_expirations(store.expirations)}")
            if store.count_error:
                self.stdout.write(self.style.ERROR(f"        entries: unavailable ({store.count_error})"))
            else:
                self.stdout.write(f"        entries: {'not counted' if store.count is None else store.count}")
        health = store.health
        line = (
            f"        hits {health['hits']}  misses {health['misses']}  errors {health['errors']}"
            f"  sink errors {health['sink_errors']}"
        )
        self.stdout.write(self.style.ERROR(line + "  FAILING") if health["failing"] else line)
        for name, value in store.details.items():
            self.stdout.write(f"        {name}: {value}")
