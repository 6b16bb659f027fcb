"""``manage.py pyot_pipelines [NAME…] [--json] [--timeout S]``: the pipelines, probed live.

A command is a fresh process: it cannot see the web processes' hit/miss counters, so it
shows what it can know now — each store, in order, reachable or not (with the error),
measured by a live probe within ``--timeout`` seconds, and its entry count where the
backend can count (see :mod:`pyot_django.operations.probe`). Exit code 1 when a store
is unreachable, so the command doubles as a health check.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ...exceptions import PyotError
from ...observe.fleet_read import with_fleet  # observe: hook (issue 13)
from ...operations import PipelineInfo, StoreInfo, inspect_pipelines
from ...operations.probe import DEFAULT_TIMEOUT, StoreProbe, probe_pipelines
from ._base import FAILURE, command_error, dump_json

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


def _store_dict(info: StoreInfo, probe: StoreProbe) -> dict[str, Any]:
    data = info.as_dict()
    for per_process in ("count", "count_error", "health"):  # this process's view: not shown
        data.pop(per_process, None)
    data.update(probe.as_dict())
    return data


class Command(BaseCommand):
    help = (
        "Show the configured pipelines: stores in lookup order, each probed live "
        "(reachable or not, with the error) and its entry count where the backend can count."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("names", nargs="*", metavar="NAME", help="Only these pipelines (default: all).")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")
        parser.add_argument(
            "--timeout", type=float, default=DEFAULT_TIMEOUT, help=f"Seconds per probe (default {DEFAULT_TIMEOUT:g})."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["timeout"] > 0:
            raise CommandError("--timeout must be a positive number of seconds", returncode=2)
        try:
            infos = inspect_pipelines(options["names"] or None)
            probes = probe_pipelines(options["names"] or None, timeout=options["timeout"])
        except PyotError as exc:
            raise command_error(exc) from exc
        pairs = list(zip(infos, probes, strict=True))
        if options["json"]:
            data = [
                {
                    **info.as_dict(),
                    "ok": probe.ok,
                    "stores": [_store_dict(s, p) for s, p in zip(info.stores, probe.stores, strict=True)],
                }
                for info, probe in pairs
            ]
            self.stdout.write(dump_json(with_fleet(data)))  # observe: hook (issue 13)
        else:
            if not infos:
                self.stdout.write(self.style.WARNING("No pipelines configured in settings.PYOT."))
            for info, probe in pairs:
                self._write_pipeline(info, probe.stores)
        if not all(probe.ok for probe in probes):
            raise CommandError("a store is unreachable (see above)", returncode=FAILURE)

    def _write_pipeline(self, info: PipelineInfo, probes: tuple[StoreProbe, ...]) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"{info.name}") + f"  (namespace {info.namespace})")
        for store, probe in zip(info.stores, probes, strict=True):
            self._write_store(store, probe)

    def _write_store(self, store: StoreInfo, probe: StoreProbe) -> None:
        location = f" {store.location}" if store.location else ""
        self.stdout.write(f"  [{store.index}] {store.kind:<7} {self.style.MIGRATE_LABEL(store.name)}{location}")
        self.stdout.write(f"        backend: {store.backend}")
        if store.kind == "cache":
            self.stdout.write(f"        expirations: {_expirations(store.expirations)}")
        if probe.reachable:
            self.stdout.write(f"        reachable: yes ({probe.milliseconds:.0f} ms)")
        else:
            self.stdout.write(self.style.ERROR(f"        reachable: NO ({probe.error})"))
        if store.kind == "cache":
            self.stdout.write(f"        entries: {probe.entries_text()}")
        for name, value in store.details.items():
            self.stdout.write(f"        {name}: {value}")
