"""Build each exercise notebook and its solution notebook from one source, so they cannot drift.

    python exercises/build.py            # write exercises/NN_name.ipynb and exercises/solutions/
    python exercises/build.py --check    # exit 1 if a notebook on disk differs from its source

A source `exercises/src/NN_name.md` is jupytext MyST markdown. Inside a code cell, the lines
between `# BEGIN SOLUTION` and `# END SOLUTION` are the solution: the solution notebook keeps
them (without the two marker lines); the learner's notebook gets, in their place,
`raise NotImplementedError("<name of the enclosing function>")`. The "Open in Colab" badge and
the set-up cell come from lessons/build.py, so every notebook of the course starts the same way.
Both notebooks are saved without outputs.

A Chinese twin `exercises/src/zh/NN_name.md` holds the Chinese task text only; its code cells are
empty placeholders filled from the English source (as for the lessons, see lessons/build.py), so
the solutions and checks exist once. It builds `exercises/zh/NN_name.ipynb` and
`exercises/zh/solutions/NN_name.ipynb`, graded by the same grader.
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


def language_of(source: Path) -> str:
    """ "en" for exercises/src/NN.md, the twin's language for exercises/src/<lang>/NN.md."""
    folders = {folder: language for language, folder in _lesson_build().TWINS.items()}
    return folders.get(source.parent.name, "en") if source.parent != SOURCES else "en"


def build_notebook(source: Path, target: Path, solution: bool) -> nbformat.NotebookNode:
    """The notebook for `target` built from `source`: the solution's or the learner's."""
    lesson_build = _lesson_build()
    language = language_of(source)
    text = lesson_build.refresh_header(source.read_text(encoding="utf-8"), target, language)
    if solution:  # one folder deeper: .../solutions/
        text = text.replace("](../", "](../../")
    if language == "en":
        nb = lesson_build.to_notebook(text)
    else:
        english = SOURCES / source.name
        english_text = lesson_build.refresh_header(
            english.read_text(encoding="utf-8"), EXERCISES / english.name
        )
        nb = lesson_build.fill_twin(text, english_text, f"{source.parent.name}/{source.name}")
    for index, cell in enumerate(nb.cells):
        cell.id = f"{source.stem}-{index:02d}"  # stable ids keep rebuilt notebooks identical
        cell.metadata = {}
        if cell.cell_type == "code":
            cell.source = (solution_code if solution else learner_code)(cell.source)
            cell.outputs, cell.execution_count = [], None
    nb.metadata["llmlab"] = {"lesson": source.stem, "solution": solution}
    if language != "en":
        nb.metadata["llmlab"]["language"] = language
    return nb


def sources() -> list[Path]:
    """Every exercise source: the English ones, then each language's twins."""
    found = sorted(SOURCES.glob("[0-9][0-9]_*.md"))
    for folder in _lesson_build().TWINS.values():
        found += sorted((SOURCES / folder).glob("[0-9][0-9]_*.md"))
    return found


def targets(source: Path) -> list[tuple[Path, bool]]:
    """[(the learner's notebook, False), (the solution notebook, True)] built from `source`."""
    language = language_of(source)
    folder = EXERCISES if language == "en" else EXERCISES / source.parent.name
    return [
        (folder / f"{source.stem}.ipynb", False),
        (folder / "solutions" / f"{source.stem}.ipynb", True),
    ]


def notebook_text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for source in sources():
        for target, solution in targets(source):
            text = notebook_text(build_notebook(source, target, solution))
            if args.check:
                on_disk = target.read_text(encoding="utf-8") if target.exists() else None
                if on_disk != text:
                    stale.append(target.relative_to(ROOT).as_posix())
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                print(f"{source.relative_to(ROOT)} -> {target.relative_to(ROOT)}")
    if stale:
        print("out of date (run python exercises/build.py):", *stale, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
