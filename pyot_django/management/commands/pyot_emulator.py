"""``manage.py pyot_emulator --port N``: serve the Riot API emulator in the foreground."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from pyot_django.devserver import require_uvicorn
from pyot_django.testing.runner import add_arguments, config_from_arguments, serve

__all__ = ["Command"]


class Command(BaseCommand):
    help = "Serve the local Riot API emulator (pyot_django.testing) on /{server}/... until interrupted."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            require_uvicorn()  # before the banner: one line naming the extra, not a traceback
            config = config_from_arguments(options)
        except (ImproperlyConfigured, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        host, port = options["host"], options["port"]
        self.stdout.write(f"Riot API emulator on http://{host}:{port}/{{server}} (Ctrl+C to stop)")
        self.stdout.flush()
        serve(config, host, port, http=options["http"], keep_alive=options["keep_alive"])
