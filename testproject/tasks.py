"""The distributed crawl: one task lists a player's matches, a group fetches them across workers.

Every worker fetches through the same pipeline settings, so it shares with all the
others the Redis cache, the ``RedisLimiter`` budget (no worker can push the API key
over its limits) and the ORM store, whose upserts keep one row per match however many
workers race on it. Tasks are sync functions calling the async pipeline through
``async_to_sync``, as Celery's prefork workers need.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from celery import Task, group

from pyot_django.pipeline.trace import trace_lookups

from .celery import app
from .players import load_match, match_ids_of, resolve_account
from .riot import parse_riot_id

__all__ = ["crawl_player", "fetch_match"]


@app.task(name="testproject.crawl_player", bind=True, acks_late=True)
def crawl_player(self: Task, riot_id: str, region: str, count: int = 20) -> dict[str, Any]:
    """List ``riot_id``'s last ``count`` matches and fan out one ``fetch_match`` per match.

    Returns the match ids and the fan-out's task ids (wait on those, not inside a task).
    Run eagerly (the demo's default, no broker) the fan-out has already run: its results
    come back too, since eager results cannot be looked up by id later.
    """
    account = async_to_sync(resolve_account)(parse_riot_id(riot_id), region)
    match_ids = async_to_sync(match_ids_of)(account["puuid"], region, count)
    fan_out = group(fetch_match.s(match_id, region) for match_id in match_ids).apply_async()
    summary = {"puuid": account["puuid"], "match_ids": match_ids, "task_ids": [r.id for r in fan_out.results]}
    if self.request.is_eager:
        summary["fetched"] = [result.result for result in fan_out.results]  # already computed
    return summary


@app.task(name="testproject.fetch_match", bind=True, acks_late=True, autoretry_for=(OSError,), max_retries=3)
def fetch_match(self: Task, match_id: str, region: str) -> dict[str, Any]:
    """Fetch one match through the pipeline (it lands in every cache store, the ORM included)."""
    with trace_lookups() as trace:
        match = async_to_sync(load_match)(match_id, region)
    supplied_by = trace.records[-1].store_name if trace.records else None
    return {
        "match_id": match_id,
        "participants": len(match["info"]["participants"]),
        "store": supplied_by,
        "worker": self.request.hostname,
    }
