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
