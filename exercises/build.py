"""Build each exercise notebook and its solution notebook from one source, so they cannot drift.

    python exercises/build.py            # write exercises/NN_name.ipynb and exercises/solutions/
    python exercises/build.py --check    # exit 1 if a notebook on disk differs from its source

A source `exercises/src/NN_name.md` is jupytext MyST markdown. Inside a code cell, the lines
between `# BEGIN SOLUTION` and `# END SOLUTION` are the solution: the solution notebook keeps
them (without the two marker lines); the learner's notebook gets, in their place,
`raise NotImplementedError("<name of the enclosing function>")`. The "Open in Colab" badge and
the set-up cell come from lessons/build.py, so every notebook of the course starts the same way.
Both notebooks are saved without outputs.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path

import nbformat

EXERCISES = Path(__file__).resolve().parent
ROOT = EXERCISES.parent
SOURCES = EXERCISES / "src"
SOLUTIONS = EXERCISES / "solutions"
BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
DEF_RE = re.compile(r"^\s*def (\w+)\(", re.MULTILINE)


def _lesson_build():
    """lessons/build.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("lesson_build", ROOT / "lessons" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def learner_code(code: str) -> str:
    """Replace every solution block by `raise NotImplementedError("<function name>")`."""
    out, inside = [], False
    for line in code.split("\n"):
        stripped = line.strip()
        if stripped == BEGIN:
            names = DEF_RE.findall("\n".join(out))
            if not names:
                raise ValueError(f"a solution block must be inside a function:\n{code}")
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("{names[-1]}")')
            inside = True
        elif stripped == END:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{BEGIN} without {END}:\n{code}")
    return "\n".join(out)


def solution_code(code: str) -> str:
    """The code with the marker lines removed."""
    return "\n".join(line for line in code.split("\n") if line.strip() not in (BEGIN, END))


def build_notebook(source: Path, target: Path, solution: bool) -> nbformat.NotebookNode:
    """The notebook for `target` built from `source`: the solution's or the learner's."""
    lesson_build = _lesson_build()
    text = lesson_build.refresh_header(source.read_text(encoding="utf-8"), target)
    if solution:  # one folder deeper: exercises/solutions/
        text = text.replace("](../notebooks/", "](../../notebooks/")
    nb = lesson_build.to_notebook(text)
    for index, cell in enumerate(nb.cells):
        cell.id = f"{source.stem}-{index:02d}"  # stable ids keep rebuilt notebooks identical
        cell.metadata = {}
        if cell.cell_type == "code":
            cell.source = (solution_code if solution else learner_code)(cell.source)
            cell.outputs, cell.execution_count = [], None
    nb.metadata["llmlab"] = {"lesson": source.stem, "solution": solution}
    return nb


def targets(source: Path) -> list[tuple[Path, bool]]:
    return [
        (EXERCISES / f"{source.stem}.ipynb", False),
        (SOLUTIONS / f"{source.stem}.ipynb", True),
    ]


def notebook_text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale = []
    SOLUTIONS.mkdir(exist_ok=True)
    for source in sorted(SOURCES.glob("[0-9][0-9]_*.md")):
        for target, solution in targets(source):
            text = notebook_text(build_notebook(source, target, solution))
            if args.check:
                on_disk = target.read_text(encoding="utf-8") if target.exists() else None
                if on_disk != text:
                    stale.append(target.relative_to(ROOT).as_posix())
            else:
                target.write_text(text, encoding="utf-8")
                print(f"{source.relative_to(ROOT)} -> {target.relative_to(ROOT)}")
    if stale:
        print("out of date (run python exercises/build.py):", *stale, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
