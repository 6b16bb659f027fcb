"""``manage.py crawl "Faker#KR1" --region americas [--count 20] [--wait]``: start the distributed crawl."""

from __future__ import annotations

import json
from typing import Any

from celery.result import AsyncResult
from django.core.management.base import BaseCommand, CommandError, CommandParser

from testproject.riot import REGIONS, RiotIdError, parse_riot_id
from testproject.tasks import crawl_player


class Command(BaseCommand):
    help = "Queue a crawl of a player's recent matches; Celery workers fetch them into the pipeline's stores."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("riot_id", help="gameName#tagLine")
        parser.add_argument("--region", default="americas", choices=REGIONS)
        parser.add_argument("--count", type=int, default=20, help="how many recent matches (1-100)")
        parser.add_argument("--wait", action="store_true", help="wait for every match and print a JSON summary")
        parser.add_argument("--timeout", type=float, default=300, help="seconds to wait with --wait")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            parse_riot_id(options["riot_id"])
        except RiotIdError as exc:
            raise CommandError(str(exc)) from None
        if not 1 <= options["count"] <= 100:
            raise CommandError("--count must be between 1 and 100")
        queued = crawl_player.delay(options["riot_id"], options["region"], options["count"])
        if not options["wait"]:
            self.stdout.write(f"queued crawl {queued.id}")
            return
        crawl = queued.get(timeout=options["timeout"])
        # Waiting here (in a client, not in a task) is what Celery allows.
        fetched = crawl.get("fetched") or [
            AsyncResult(task_id).get(timeout=options["timeout"]) for task_id in crawl["task_ids"]
        ]
        self.stdout.write(json.dumps({"match_ids": crawl["match_ids"], "fetched": fetched}))
