"""A Celery app for the worker tests: Redis broker (db 4) and result backend (db 5).

Each test process gets its own queue, so the SQLite and PostgreSQL runs of the
suite can share the broker without taking each other's tasks.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for start_worker's check)
from celery import Celery
from celery.signals import task_postrun
from django.conf import settings

import pyot_django.tasks  # noqa: F401  (shared tasks bind to every app, this one included)

__all__ = ["BROKER_URL", "RESULT_URL", "app"]

BROKER_URL = f"{settings.REDIS_URL}/4"
RESULT_URL = f"{settings.REDIS_URL}/5"

app = Celery("pyot_django_tests", broker=BROKER_URL, backend=RESULT_URL, set_as_current=False)
app.conf.update(
    task_default_queue=f"pyot-tests-{os.getpid()}",
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_expires=300,
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=False,
)


@task_postrun.connect(weak=False)
def _close_worker_db_connections(**_: Any) -> None:
    # A real worker's Django fixup does this; start_worker's threads would otherwise keep
    # connections to the test database open, and PostgreSQL refuses to drop it at the end.
    # Eager runs happen on the main thread inside the test's transaction: leave those alone.
    if threading.current_thread() is not threading.main_thread():
        from django.db import connections

        connections.close_all()
