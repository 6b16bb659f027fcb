"""``make demo``: migrate, create a demo superuser, start the Riot emulator, serve the site.

Environment (all optional):

``DEMO_HOST`` / ``DEMO_PORT``   where the site listens (default 127.0.0.1:8000)
``DEMO_EMULATOR_PORT``          the emulator's port (default: a free one; it is printed)
``RIOT_API_KEY``                use the real Riot API instead of the emulator
``PYOT_DEMO_SQLITE``, ``DATABASE_URL``, ``REDIS_URL``   see ``testproject/settings.py``
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from collections.abc import Iterator

DEMO_USERNAME = "admin"
# Printed at start-up; the demo listens on loopback only, so a fixed password is acceptable.
DEMO_PASSWORD = "pyot-demo"
SAMPLE_RIOT_ID = ("Faker", "KR1")


@contextlib.contextmanager
def _riot_api() -> Iterator[str | None]:
    """Serve the emulator in a background thread unless a real key is configured.

    Yields the emulator's URL (None for the real API). ``PYOT_RIOT_BASE_URL`` must be set
    before Django reads its settings, which is why this runs before ``django.setup()``.
    """
    if os.environ.get("RIOT_API_KEY"):
        yield None
        return
    from pyot_django.testing import serve_emulator

    with serve_emulator(port=int(os.environ.get("DEMO_EMULATOR_PORT", "0"))) as running:
        os.environ["PYOT_RIOT_BASE_URL"] = running.base_url
        yield running.url


def _prepare_database() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    # Reset every start so the printed credentials always work.
    user.is_staff = user.is_superuser = True
    user.set_password(DEMO_PASSWORD)
    user.save()


def _serve(host: str, port: int) -> None:
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application

    # The admin's CSS and JS straight from the apps' static folders: no collectstatic step.
    app = ASGIStaticFilesHandler(get_asgi_application())
    uvicorn.Server(uvicorn.Config(app, host=host, port=port, lifespan="off", log_level="warning")).run()


def _port_problem(host: str, port: int) -> str | None:
    """Why the site cannot listen on ``host:port`` (None: it can), said before anything starts."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            return (
                f"make demo: cannot listen on {host}:{port} ({exc.strerror or exc}). "
                f"Another program uses the port: stop it, or pick another one, e.g. DEMO_PORT={port + 1} make demo"
            )
    return None


def _step(text: str) -> None:
    print(f"==> {text}", flush=True)


def main() -> int:
    host = os.environ.get("DEMO_HOST", "127.0.0.1")
    try:
        port = int(os.environ.get("DEMO_PORT", "8000"))
    except ValueError:
        print(f"make demo: DEMO_PORT must be a port number, not {os.environ['DEMO_PORT']!r}", file=sys.stderr)
        return 2
    problem = _port_problem(host, port)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testproject.settings")
    _step("starting the Riot API emulator" if not os.environ.get("RIOT_API_KEY") else "using the real Riot API")
    with _riot_api() as emulator_url:
        import django

        django.setup()
        from django.conf import settings
        from django.urls import reverse

        _step("migrating the database and creating the demo superuser")
        _prepare_database()
        site = f"http://{host}:{port}"
        name, tag = SAMPLE_RIOT_ID
        sample = reverse("player", kwargs={"platform": "na1", "game_name": name, "tag_line": tag})
        database = settings.DATABASES["default"]
        lines = [
            f"pyot_django demo on {site}/",
            f"  try:     {site}{sample}",
            f"  admin:   {site}/admin/  (user {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}; local use only)",
            f"  Riot:    {'emulator at ' + emulator_url if emulator_url else 'the real API (RIOT_API_KEY)'}",
            f"  database {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}",
            f"  cache    {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}",
        ]
        if emulator_url:
            lines.append(f"  emulator stats: {emulator_url}/_emulator/stats")
        print("\n".join(lines), "\nCtrl-C stops it.", flush=True)
        _serve(host, port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
