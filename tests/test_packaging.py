"""The package as pip builds it: templates shipped as package data, without setuptools warnings."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_the_templates_without_a_would_be_ignored_warning(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "would be ignored" not in output and "_IncludePackageDataAbuse" not in output
    (wheel,) = tmp_path.glob("pyot_django-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    templates = (ROOT / "pyot_django" / "templates").rglob("*.html")
    for template in templates:
        assert str(template.relative_to(ROOT)) in names
    assert "pyot_django/py.typed" in names
    assert not [name for name in names if "__pycache__" in name or name.startswith(("tests/", "testproject/"))]


# What `pip install pyot_django` (no extras) gives a project: no redis-py. redis is an extra,
# so the app must load and its pipelines work without it (only Redis-backed aliases need it).
_WITHOUT_REDIS = """
import sys
sys.modules["redis"] = None  # every `import redis...` now fails, as without redis-py
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                    "django.contrib.sessions", "django.contrib.messages", "pyot_django"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    PYOT={"lol": {"STORES": [{"BACKEND": "pyot_django.stores.Memory"},
                             {"BACKEND": "pyot_django.stores.DjangoCache"}]}},
)
django.setup()  # the admin's autodiscover imports the pipeline package
from asgiref.sync import async_to_sync
from pyot_django.pipeline import PipelineToken, pipelines
lol = pipelines["lol"]
token = PipelineToken("lol", "na1", "summoner-v4.getByPUUID", {"encryptedPUUID": "p"}, {})
async_to_sync(lol.set)(token, {"puuid": "p"})
async_to_sync(lol.stores[0].clear)()  # the DjangoCache store answers, not Memory
print(async_to_sync(lol.get)(token))
"""


def test_the_app_loads_and_its_pipelines_work_without_redis_py():
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_REDIS], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "{'puuid': 'p'}"
