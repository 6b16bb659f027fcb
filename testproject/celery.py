"""The testproject's Celery app (``celery -A testproject worker``).

Configuration comes from Django settings (``CELERY_*``); tasks are found in every
installed app's ``tasks.py`` (``pyot_django.tasks`` and ``testproject.tasks``).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testproject.settings")

app = Celery("testproject")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
