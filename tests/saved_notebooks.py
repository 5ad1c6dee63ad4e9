"""Reading a built lesson notebook's saved prose and printed outputs, for the lesson tests that
check that the prose states the numbers its cells printed (tests/test_lesson12.py, 13)."""

from __future__ import annotations

import json
import re
from pathlib import Path


def read_saved(path: Path) -> tuple[str, str, list[dict]]:
    """(markdown text, printed text, code cells) of a built notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    code = [c for c in cells if c["cell_type"] == "code"]
    printed = "\n".join("".join(o.get("text", "")) for c in code for o in c.get("outputs", []))
    return prose, printed, code


def one(pattern: str, text: str, what: str) -> str:
    """The first group of `pattern`'s first match in `text`; fails naming `what` if none."""
    found = re.search(pattern, text)
    assert found, f"{what}: expected text matching {pattern!r}, found none"
    return found.group(1)


def assert_every_cell_ran(lang: str, code: list[dict]) -> None:
    """No saved error output, and every code cell has a saved output."""
    errors = [o for c in code for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, f"{lang}: a cell failed: {errors[:1]}"
    silent = [i for i, c in enumerate(code) if not c.get("outputs")]
    assert not silent, f"{lang}: code cells {silent} have no saved output; rebuild the notebook"
