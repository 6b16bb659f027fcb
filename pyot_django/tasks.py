"""Celery tasks: clear and expire pipelines on a schedule (``pip install pyot_django[celery]``).

The only module of pyot_django that imports Celery. Both tasks call the same core
as ``manage.py pyot_clear`` / ``pyot_expire`` (:mod:`pyot_django.operations`) and
return a JSON-serialisable summary::

    {"task": "expire_pipelines", "status": "ok", "action": "expire", "ok": true,
     "seconds": 0.12, "pipelines": [{"pipeline": "lol", "removed": 42, "stores": [...]}]}

``status`` is ``"ok"``, ``"error"`` (some store failed; see ``errors``) or
``"skipped"`` (another run of the same task holds the lock). Unknown pipeline
names make the task fail with ``UnknownPipeline``.

Overlap guard: each task holds a lock in a Django cache while it runs (see
:mod:`pyot_django.locks`; settings ``PYOT_TASK_LOCK_CACHE``, default
``"default"``, and ``PYOT_TASK_LOCK_TIMEOUT``, default 600 s). A run that finds
the lock held returns ``"skipped"`` at once instead of waiting. Point
``PYOT_TASK_LOCK_CACHE`` at a cache all workers share (Redis).

Both tasks are idempotent (clearing twice leaves the same empty store), so they
use ``acks_late=True``: a worker killed mid-run gets the message redelivered.

Schedule them with Celery beat::

    from celery.schedules import crontab

    CELERY_BEAT_SCHEDULE = {
        "pyot-expire": {
            "task": "pyot_django.tasks.expire_pipelines",
            "schedule": 300.0,                        # every five minutes, all pipelines
        },
        "pyot-clear-lol-after-patch": {
            "task": "pyot_django.tasks.clear_pipelines",
            "schedule": crontab(hour=4, minute=0, day_of_week="wed"),
            "kwargs": {"names": ["lol"]},
        },
    }

(with ``app.config_from_object("django.conf:settings", namespace="CELERY")`` in
your ``celery.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from celery import shared_task

from .locks import run_lock
from .operations import run_maintenance
from .operations.results import Action

__all__ = ["clear_pipelines", "expire_pipelines"]


def _run(task: str, action: Action, names: Iterable[str] | str | None) -> dict[str, Any]:
    with run_lock(task) as acquired:
        if not acquired:
            return {
                "task": task,
                "status": "skipped",
                "reason": f"another {task} run holds the lock",
                "pipelines": [],
            }
        result = run_maintenance(action, names)
    summary = result.as_dict()
    summary.update(task=task, status="ok" if result.ok else "error", errors=result.errors)
    return summary


@shared_task(name="pyot_django.tasks.clear_pipelines", acks_late=True)
def clear_pipelines(names: list[str] | str | None = None) -> dict[str, Any]:
    """Clear the named pipelines' cache stores (None: every pipeline)."""
    return _run("clear_pipelines", "clear", names)


@shared_task(name="pyot_django.tasks.expire_pipelines", acks_late=True)
def expire_pipelines(names: list[str] | str | None = None) -> dict[str, Any]:
    """Drop the expired entries of the named pipelines' cache stores (None: every pipeline)."""
    return _run("expire_pipelines", "expire", names)
