"""The testproject: a small Django site that uses pyot_django the way a user's project would.

The Celery app lives in ``testproject.celery`` (``celery -A testproject`` finds it) and is
imported by ``testproject.tasks`` only, so merely importing the site (its views, its URLs)
does not make it the process's current Celery app.
"""
