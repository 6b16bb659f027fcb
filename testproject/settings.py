"""Settings of the testproject (the demo site). Everything has a local default.

Environment:

``RIOT_API_KEY``        use the real Riot API with this key (default: the local emulator)
``PYOT_RIOT_BASE_URL``  override the API's base URL (``testproject.demo`` sets its emulator here)
``DATABASE_URL``        ``postgres://user:pass@host:5432/name`` (default: SQLite in ``.demo/``)
``PYOT_DEMO_SQLITE``    path of the default SQLite database
``REDIS_URL``           ``redis://host:6379/0``: django-redis cache, RedisLimiter, Celery broker
``CELERY_BROKER_URL``   override the broker (default: ``REDIS_URL``; without Redis tasks run eagerly)
``DJANGO_DEBUG``        ``1`` for Django's debug pages (off by default: error pages never show traces)
``DJANGO_SECRET_KEY``   the secret key (a fixed development one otherwise: local use only)
"""

from __future__ import annotations

import os
from pathlib import Path

from testproject.env import database_from_url, riot_target, static_data_urls

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "testproject-development-only-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS += [host for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if host]
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "testproject.urls"
ASGI_APPLICATION = "testproject.asgi.application"
WSGI_APPLICATION = "testproject.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pyot_django",
    "testproject",  # its templates, static files and the ``crawl`` command
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pyot_django.observe.request_trace.pipeline_trace",
            ]
        },
    }
]

STATIC_URL = "/static/"

# -- database: SQLite by default, PostgreSQL (or another SQLite file) from DATABASE_URL ------------

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    SQLITE_PATH = Path(os.environ.get("PYOT_DEMO_SQLITE", BASE_DIR / ".demo" / "db.sqlite3"))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)  # so a bare `manage.py migrate` works too
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(SQLITE_PATH)}}

# -- cache and rate limiter: in-process by default, shared through Redis from REDIS_URL ------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis outage must not take the site down: the pipeline treats a failing cache
            # as a miss, and short timeouts keep each miss cheap.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    RATE_LIMITER = {"BACKEND": "pyot_django.limiters.RedisLimiter", "LOCATION": REDIS_URL}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "testproject"}}
    RATE_LIMITER = {"BACKEND": "pyot_django.limiters.MemoryLimiter"}

RIOT_API_KEY, RIOT_BASE_URL = riot_target(os.environ)
STATIC_DATA_URLS = static_data_urls(RIOT_BASE_URL)

PYOT = {
    "lol": {
        "STORES": [
            {"BACKEND": "pyot_django.stores.Memory", "MAX_ENTRIES": 10_000},
            {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "default"},
            # Only what never changes goes to the database: finished matches.
            {"BACKEND": "pyot_django.stores.DjangoORM", "EXPIRATIONS": {"*": 0, "match-v5.getMatch": -1}},
            {
                "BACKEND": "pyot_django.stores.RiotAPI",
                "API_KEY": RIOT_API_KEY,
                "BASE_URL": RIOT_BASE_URL,
                "TIMEOUT": 5,
                "RATE_LIMITER": RATE_LIMITER,
                # A page should fail within seconds rather than hang on a struggling API:
                # fewer and shorter retries than the library's defaults.
                "ERROR_HANDLING": {
                    429: ("E", [1, 2]),
                    500: ("E", [0.3, 2]),
                    503: ("E", [0.5, 2]),
                    504: ("E", [0.3, 1]),
                },
            },
            # Champion, item, rune, spell and queue names and icons (see pyot_django.static_data);
            # RiotAPI passes their tokens on to these.
            {"BACKEND": "pyot_django.stores.DDragon", "TIMEOUT": 5,
             **({"BASE_URL": STATIC_DATA_URLS["ddragon"]} if STATIC_DATA_URLS else {})},
            {"BACKEND": "pyot_django.stores.CDragon", "TIMEOUT": 5,
             **({"BASE_URL": STATIC_DATA_URLS["cdragon"]} if STATIC_DATA_URLS else {})},
        ],
    },
}

# -- Celery: eager (in the web process) by default, a Redis broker from REDIS_URL ---------------

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not (REDIS_URL or os.environ.get("CELERY_BROKER_URL"))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-fetch leaves the task for another one
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # fan-out: spread matches across workers, not hoard them
CELERY_BEAT_SCHEDULE = {
    "pyot-expire-hourly": {"task": "pyot_django.tasks.expire_pipelines", "schedule": 3600.0},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"pyot_django": {"handlers": ["console"], "level": os.environ.get("PYOT_LOG_LEVEL", "WARNING")}},
}
