"""The tagged code blocks of the README and the docs pages, for the tests that run them.

A ``<!-- test: NAME -->`` line right before a ```python block names it. A name may appear
in several files (the README repeats the quick start's settings) only with the same code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = ["DOCS", "README", "ROOT", "all_pages", "block", "run_block", "section", "table_rows", "tagged_blocks"]

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
TAGGED = re.compile(r"<!-- test: ([\w-]+) -->\n```python\n(.*?)```", re.S)


def all_pages() -> list[Path]:
    """The README and every docs page (the changelog is the repository's CHANGELOG.md)."""
    return [README, *sorted(path for path in DOCS.glob("*.md") if not path.is_symlink())]


def tagged_blocks(page: Path) -> list[tuple[str, str]]:
    return TAGGED.findall(page.read_text())


def block(name: str) -> str:
    """The code of the block tagged ``name`` (the same wherever it appears)."""
    found = {code for page in all_pages() for tag, code in tagged_blocks(page) if tag == name}
    assert len(found) == 1, f"{len(found)} different blocks are tagged {name!r} in README.md and docs/"
    return found.pop()


def run_block(name: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": f"docs_{name.replace('-', '_')}"}
    exec(compile(block(name), f"docs[{name}]", "exec"), namespace)
    return namespace


def section(page: Path, heading: str) -> str:
    """The text under ``heading`` up to the next heading of any level from 2 down."""
    text = page.read_text()
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1 :]
    following = re.search(r"^#{2,3} ", rest, re.M)
    return rest[: following.start()] if following else rest


def table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            rows.append(cells)
    return rows[1:] if rows else rows  # without the header row
