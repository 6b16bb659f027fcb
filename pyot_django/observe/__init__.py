"""Seeing the fleet: events from the pipeline, and what listens to them.

- :mod:`.events`: the hooks the pipeline, the RiotAPI store and the limiter call;
- :mod:`.metrics` + :mod:`.views`: Prometheus metrics and the view that exposes them;
- :mod:`.fleet` + :mod:`.fleet_read` + :mod:`.charts`: counters shared through Redis, per
  minute for the last hour, and the admin's charts of them;
- :mod:`.logs`: one structured DEBUG line per lookup (opt-in);
- :mod:`.request_trace`, :mod:`.toolbar`: the per-request trace (context processor,
  template, django-debug-toolbar panel);
- :mod:`.healthcheck`: a django-health-check check of every store and limiter.

Settings: ``PYOT_OBSERVE`` (see :mod:`.conf`).
"""
