"""mypy on tests/typecheck/fetch_calls.py: the typed fetch infers DTOs and rejects bad calls."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "typecheck" / "fetch_calls.py"
CHECKOUT = Path(__file__).resolve().parents[1]


def expected_from_comments() -> tuple[dict[int, str], dict[int, str]]:
    errors, reveals = {}, {}
    for number, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), start=1):
        if (error := re.search(r"# error: \[([\w-]+)\]", line)) is not None:
            errors[number] = error.group(1)
        if (reveal := re.search(r"# reveal: (.+)$", line)) is not None:
            reveals[number] = reveal.group(1).strip()
    return errors, reveals


@pytest.mark.timeout(600)
def test_mypy_infers_the_dtos_and_rejects_wrong_calls(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--no-error-summary",
            "--show-error-codes",
            "--hide-error-context",
            "--follow-imports=silent",
            "--ignore-missing-imports",
            "--no-color-output",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--config-file",
            "",
            str(CASES),
        ],
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=540,
    )
    errors, reveals = expected_from_comments()
    got_errors: dict[int, str] = {}
    got_reveals: dict[int, str] = {}
    for line in result.stdout.splitlines():
        match = re.match(r".*fetch_calls\.py:(\d+): (error|note): (.*?)(?:  \[([\w-]+)\])?$", line)
        if match is None:
            continue
        number, kind, message, code = int(match[1]), match[2], match[3], match[4]
        if kind == "error":
            got_errors[number] = code
        elif message.startswith("Revealed type is "):
            got_reveals[number] = message.removeprefix("Revealed type is ").strip('"')
    assert got_errors == errors, result.stdout[-3000:]
    for number, wanted in reveals.items():
        got = got_reveals.get(number, "")
        assert got == wanted or (wanted.endswith(",") and got.startswith(wanted)), (number, got[:200])
    assert len(errors) == 8 and len(reveals) == 6


@pytest.mark.timeout(600)
def test_pyright_agrees_line_by_line() -> None:
    # The PyPI "pyright" wrapper runs the npm package (fetched into its cache on first use).
    result = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", str(CASES)],
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=540,
    )
    import json

    report = json.loads(result.stdout)
    errors, reveals = expected_from_comments()
    lines = {d["range"]["start"]["line"] + 1 for d in report["generalDiagnostics"] if d["severity"] == "error"}
    assert lines == set(errors), report["generalDiagnostics"][:5]
    types = {
        d["range"]["start"]["line"] + 1: d["message"].rsplit(" is ", 1)[1].strip('"')
        for d in report["generalDiagnostics"]
        if d["severity"] == "information" and d["message"].startswith("Type of ")
    }
    assert types[22] == "MatchV5MatchDto"
    assert {line: types[line] for line in reveals if line != 22} == {
        line: wanted for line, wanted in reveals.items() if line != 22
    }
