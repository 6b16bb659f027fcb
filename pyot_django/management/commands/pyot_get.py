"""``manage.py pyot_get NAME SERVER METHOD key=value… [--query k=v]…``: fetch one token through a pipeline.

The JSON goes to stdout (pipe it to ``jq``); which store supplied it goes to stderr.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ...exceptions import NotFound, PyotError
from ...operations import fetch_token, parse_pairs
from ._base import FAILURE, command_error, dump_json

__all__ = ["Command"]


class Command(BaseCommand):
    help = (
        "Fetch one Riot API object through a pipeline (caches first, sinking as usual) and print its JSON "
        "and the store that supplied it. e.g. pyot_get lol na1 summoner-v4.getByPUUID encryptedPUUID=..."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name", metavar="NAME", help="Pipeline name, e.g. lol.")
        parser.add_argument("server", metavar="SERVER", help="Routing value, e.g. na1 or americas.")
        parser.add_argument("method", metavar="METHOD", help="Riot operation id, e.g. match-v5.getMatch.")
        parser.add_argument("params", nargs="*", metavar="key=value", help="Path parameters.")
        parser.add_argument(
            "--query", action="append", default=[], metavar="k=v", help="A query parameter (repeat for more)."
        )
        parser.add_argument("--compact", action="store_true", help="One-line JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            params = parse_pairs(options["params"])
            queries = parse_pairs(options["query"])
            result = fetch_token(options["name"], options["server"], options["method"], params, queries)
        except NotFound as exc:
            raise CommandError(f"Not found: {exc}", returncode=FAILURE) from exc
        except PyotError as exc:
            raise command_error(exc) from exc
        if options["compact"]:
            import json

            self.stdout.write(json.dumps(result.value, ensure_ascii=False, default=str))
        else:
            self.stdout.write(dump_json(result.value))
        if result.store_index is None:
            source = "an in-flight lookup" if result.shared else "an unknown store"
        else:
            source = f"store {result.store_index} ({result.store_name})"
        self.stderr.write(
            self.style.SUCCESS(
                f"Supplied by {source} of pipeline {result.pipeline!r} in {result.seconds * 1000:.1f} ms"
            )
            + f"\nkey: {result.key}"
        )
