"""What ``pyot_clear``, ``pyot_expire``, ``pyot_pipelines`` and ``pyot_get`` share.

Exit codes: 0 success; 1 the operation ran but failed (a store errored, Riot
answered an error, nothing found); 2 the input was wrong (unknown pipeline,
operation, server or parameter, bad ``--store``), like argparse's own usage errors.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ...exceptions import NotFindable, ParameterError, PyotError, RoutingError
from ...operations import InvalidStore, MaintenanceResult, UnknownPipeline, run_maintenance
from ...operations.results import Action

__all__ = ["FAILURE", "USAGE_ERROR", "MaintenanceCommand", "command_error", "dump_json"]

FAILURE = 1
USAGE_ERROR = 2

_USAGE_ERRORS = (UnknownPipeline, InvalidStore, NotFindable, RoutingError, ParameterError)


def command_error(exc: PyotError) -> CommandError:
    """The ``CommandError`` for a core exception, with the exit code its kind deserves."""
    code = USAGE_ERROR if isinstance(exc, _USAGE_ERRORS) else FAILURE
    return CommandError(str(exc), returncode=code)


def dump_json(data: Any) -> str:
    # default=str: datetimes and anything else a store describes stay printable.
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


class MaintenanceCommand(BaseCommand):
    """Base of ``pyot_clear`` and ``pyot_expire``: ``NAME… | --all [--store INDEX] [--json]``."""

    action: Action
    done: str  # "Cleared" / "Expired"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("names", nargs="*", metavar="NAME", help="Pipeline names from settings.PYOT.")
        parser.add_argument("--all", action="store_true", help="Every configured pipeline.")
        parser.add_argument(
            "--store", type=int, metavar="INDEX", help="Only this store (0-based, as pyot_pipelines lists them)."
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        names: list[str] = options["names"]
        if options["all"] and names:
            raise CommandError("Give pipeline names or --all, not both.", returncode=USAGE_ERROR)
        if not options["all"] and not names:
            raise CommandError("Give one or more pipeline names, or --all.", returncode=USAGE_ERROR)
        try:
            result = run_maintenance(self.action, None if options["all"] else names, store=options["store"])
        except PyotError as exc:
            raise command_error(exc) from exc
        if options["json"]:
            self.stdout.write(dump_json(result.as_dict()))
        else:
            self._write_table(result)
        if not result.ok:
            raise CommandError(f"{len(result.errors)} store(s) failed: " + "; ".join(result.errors), returncode=FAILURE)

    def _write_table(self, result: MaintenanceResult) -> None:
        if not result.pipelines:
            self.stdout.write(self.style.WARNING("No pipelines configured in settings.PYOT."))
            return
        for pipeline in result.pipelines:
            style = self.style.SUCCESS if pipeline.ok else self.style.ERROR
            self.stdout.write(style(f"{self.done} pipeline {pipeline.pipeline!r}: {pipeline.removed} entries removed"))
            for store in pipeline.stores:
                label = f"  [{store.index}] {store.name:<14}"
                if store.error is not None:
                    self.stdout.write(self.style.ERROR(f"{label} failed: {store.error}"))
                elif store.skipped is not None:
                    self.stdout.write(f"{label} skipped ({store.skipped})")
                else:
                    removed = "entries removed: unknown" if store.removed is None else f"{store.removed} removed"
                    self.stdout.write(f"{label} {removed} in {store.seconds:.3f} s")
        self.stdout.write(f"Done in {result.seconds:.3f} s.")
