"""pyot_django type-checks as a project sees it: from outside the checkout, with a project's own
settings (a typical INSTALLED_APPS) and a mypy config that only enables the django-stubs plugin.

None of setup.cfg's options apply there, so this is what a project's plain ``mypy`` and ``mypy --strict``
report on the package (docs/typing.md). ``MYPYPATH`` points at the checkout, as an installed copy
would be found (an editable install is invisible to mypy in setuptools' import-hook mode).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]

SETTINGS = """
import os

RIOT_API_KEY = os.environ.get("RIOT_API_KEY")  # the README's settings: the emulator without a key
SECRET_KEY = "not-a-secret"
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pyot_django",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
PYOT = {
    "lol": {
        "STORES": [
            {"BACKEND": "pyot_django.stores.Memory"},
            {
                "BACKEND": "pyot_django.stores.RiotAPI",
                "API_KEY": RIOT_API_KEY or "emulator",
                "BASE_URL": "https://{server}.api.riotgames.com" if RIOT_API_KEY else "emulator",
            },
        ]
    }
}
"""

MYPY_INI = """
[mypy]
plugins = mypy_django_plugin.main

[mypy.plugins.django-stubs]
django_settings_module = mysite.settings
"""

STRICT_PACKAGES = ["pyot_django.pipeline", "pyot_django.riot", "pyot_django.stores", "pyot_django.limiters"]


@pytest.mark.timeout(600)
@pytest.mark.parametrize(
    "options",
    [["-p", "pyot_django"], ["--strict", *(arg for name in STRICT_PACKAGES for arg in ("-p", name))]],
    ids=["plain", "strict"],
)
def test_a_project_mypy_reports_nothing_on_the_package(tmp_path: Path, options: list[str]) -> None:
    (tmp_path / "mysite").mkdir()
    (tmp_path / "mysite" / "__init__.py").write_text("")
    (tmp_path / "mysite" / "settings.py").write_text(SETTINGS)
    (tmp_path / "mypy.ini").write_text(MYPY_INI)
    env = {**os.environ, "MYPYPATH": str(CHECKOUT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), "--no-color-output", *options],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert result.stdout.startswith("Success: no issues found"), result.stdout[-2000:]
