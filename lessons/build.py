"""Build the notebooks in notebooks/ from the lesson sources in lessons/ (one command).

    python lessons/build.py                 # every lesson: refresh header, execute, save
    python lessons/build.py 03 04           # only lessons whose name starts with 03 or 04
    python lessons/build.py --no-execute    # rebuild cells only, keeping no outputs
    python lessons/build.py --check         # only say which notebooks no longer match

Each lesson `lessons/NN_name.md` (jupytext MyST markdown) becomes `notebooks/NN_name.ipynb`,
executed so that GitHub and Colab show its pictures before anything runs, and saved without
widget state. Before building, the lesson's header is brought up to date: an "Open in Colab"
badge under the title and the set-up cell as the first code cell, both built from the one
repository address in pyproject.toml. Exercises (exercises/build.py) reuse these helpers.

The Chinese twin `lessons/zh/NN_name.md` becomes `notebooks/zh/NN_name.ipynb`. It holds the
Chinese prose only: each of its code cells is an empty placeholder that the build fills with the
English lesson's code cell in the same position (so the two editions run one code path), and
its set-up cell also calls `llmlab.set_language("zh")`. A twin whose cells no longer line up
with the English lesson is refused with the first place they differ.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
NOTEBOOKS = ROOT / "notebooks"
TWINS = {"zh": "zh"}  # language -> sub-folder of lessons/ and notebooks/ holding its twins
BRANCH = "main"
SETUP_MARKER = "# llmlab set-up:"
BADGE_RE = re.compile(r"^\[!\[Open In Colab\]\(.*?\)\]\(.*?\)\s*$", re.MULTILINE)


def repository_url() -> str:
    """The repository's address, from pyproject.toml's [project.urls] Repository."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["urls"]["Repository"].rstrip("/")


def colab_url(notebook: Path) -> str:
    """The Colab address that opens `notebook` (a path inside the repository) from GitHub."""
    rel = notebook.resolve().relative_to(ROOT).as_posix()
    owner_repo = repository_url().removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{owner_repo}/blob/{BRANCH}/{rel}"


def badge(notebook: Path) -> str:
    """Markdown for an "Open in Colab" badge pointing at `notebook`."""
    svg = "https://colab.research.google.com/assets/colab-badge.svg"
    return f"[![Open In Colab]({svg})]({colab_url(notebook)})"


def setup_cell(language: str = "en") -> str:
    """The first code cell of every notebook: installs llmlab on Colab, checks versions anywhere.

    A twin in another language also switches the library's sentences to that language.
    """
    chosen = "" if language == "en" else f'\nllmlab.set_language("{language}")'
    return f"""{SETUP_MARKER} on Colab, install the course library without upgrading Colab's own
# jax, flax, optax, ipywidgets or matplotlib; on your own machine (`make lab`) nothing is installed.
import subprocess
import sys

if "google.colab" in sys.modules:
    pip = [sys.executable, "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "--no-deps", "llmlab @ git+{repository_url()}@{BRANCH}"], check=True)
    subprocess.run([*pip, "safetensors", "treescope"], check=True)

import llmlab.environment
{chosen}
llmlab.environment.report();"""


CELL_RE = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.DOTALL)


def refresh_header(text: str, notebook: Path, language: str = "en", slot: bool = False) -> str:
    """Put the badge under the first title and the set-up cell first among the code cells.

    With `slot`, an empty first code cell (a twin's placeholder for the English lesson's set-up
    cell) is where the set-up cell goes.
    """
    text = BADGE_RE.sub("", text)
    title = re.search(r"^# .*$", text, re.MULTILINE)
    if title is None:
        raise ValueError(f"{notebook.name}: a lesson must start with a '# Title' line")
    end = title.end()
    text = text[:end] + "\n\n" + badge(notebook) + "\n\n" + text[end:].lstrip("\n")
    cell = f"```{{code-cell}} ipython3\n{setup_cell(language)}\n```"
    first = CELL_RE.search(text)
    if first is not None and (
        first.group(1).startswith(SETUP_MARKER) or (slot and not first.group(1).strip())
    ):
        return text[: first.start()] + cell + text[first.end() :]
    # no set-up cell yet: put one right after the paragraph that holds the badge
    at = text.index(badge(notebook)) + len(badge(notebook))
    return text[:at] + "\n\n" + cell + "\n\n" + text[at:].lstrip("\n")


def to_notebook(text: str):
    """The lesson's cells as an nbformat notebook, with the kernel every build uses."""
    import jupytext

    nb = jupytext.reads(text, fmt="md:myst")
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["kernelspec"] = kernel
    nb.metadata.pop("jupytext", None)
    return nb


def execute(nb, cwd: Path, timeout: int = 600):
    """Run every cell in a fresh kernel; widget state is not stored."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    return nb


def twin_of(source: Path) -> tuple[Path, str] | None:
    """(the English lesson, the language) when `source` is a twin in lessons/<lang>/, else None."""
    for language, folder in TWINS.items():
        if source.parent.name == folder:
            return source.parent.parent / source.name, language
    return None


def target_of(source: Path, notebooks: Path = NOTEBOOKS) -> Path:
    """Where `source`'s notebook goes: notebooks/NN.ipynb, or notebooks/<lang>/NN.ipynb."""
    twin = twin_of(source)
    folder = notebooks if twin is None else notebooks / TWINS[twin[1]]
    return folder / (source.stem + ".ipynb")


def fill_twin(twin_text: str, english_text: str, name: str):
    """The twin's notebook: its prose, and in each empty code cell the English code cell.

    Raises ValueError naming the first cell where the twin and the English lesson differ in
    kind, and for a code cell of the twin that is not empty (the code lives in English only).
    """
    twin, english = to_notebook(twin_text), to_notebook(english_text)
    kinds = [c.cell_type for c in twin.cells], [c.cell_type for c in english.cells]
    if kinds[0] != kinds[1]:
        at = next((i for i, (a, b) in enumerate(zip(*kinds)) if a != b), min(map(len, kinds)))
        near = twin.cells[min(at, len(twin.cells) - 1)].source.strip()[:60]
        raise ValueError(
            f"{name}: the twin has {len(kinds[0])} cells and the English lesson {len(kinds[1])}; "
            f"they first differ at cell {at} (twin cell near: {near!r}). Keep one markdown "
            "cell per English markdown cell (split with +++) and one empty code cell per code cell"
        )
    for index, (mine, theirs) in enumerate(zip(twin.cells, english.cells)):
        if mine.cell_type != "code" or mine.source.startswith(SETUP_MARKER):
            continue
        if mine.source.strip():
            raise ValueError(
                f"{name}: code cell {index} must be empty: the build copies the English "
                f"lesson's code there, but it holds {mine.source.strip()[:60]!r}"
            )
        mine.source, mine.metadata = theirs.source, theirs.metadata
    return twin


def lesson_notebook(source: Path, text: str):
    """The notebook for `source`'s (header-refreshed) text, a twin filled from its English."""
    twin = twin_of(source)
    if twin is None:
        return to_notebook(text)
    english, _ = twin
    english_text = refresh_header(english.read_text(encoding="utf-8"), target_of(english))
    return fill_twin(text, english_text, f"{TWINS[twin[1]]}/{source.name}")


def _language(source: Path) -> str:
    twin = twin_of(source)
    return "en" if twin is None else twin[1]


def build(source: Path, run: bool = True) -> float:
    """Refresh `source`'s header, build its notebook; return the seconds it took."""
    import nbformat

    target = target_of(source)
    text = source.read_text(encoding="utf-8")
    fresh = refresh_header(text, target, _language(source), slot=True)
    if fresh != text:
        source.write_text(fresh, encoding="utf-8")
    nb = lesson_notebook(source, fresh)
    target.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if run:
        execute(nb, target.parent)
    nbformat.write(nb, target)
    return time.perf_counter() - start


def problems(source: Path) -> list[str]:
    """Why `source`'s built notebook no longer matches it (an empty list when it does)."""
    import nbformat

    target = target_of(source)
    text = source.read_text(encoding="utf-8")
    if refresh_header(text, target, _language(source), slot=True) != text:
        return [f"{source.name}: its badge or set-up cell is out of date: run the build"]
    if not target.exists():
        return [f"{target.name} is missing: run  python {Path(__file__).name} {source.stem}"]
    try:
        wanted = lesson_notebook(source, text)
    except ValueError as err:
        return [str(err)]
    built = nbformat.read(target, as_version=4)
    found = []
    if [(c.cell_type, c.source) for c in built.cells] != [
        (c.cell_type, c.source) for c in wanted.cells
    ]:
        found.append(f"{target.relative_to(ROOT)} does not match {source.name}: rebuild it")
    if "widgets" in built.metadata:
        found.append(f"{target.name} was saved with widget state")
    errors = [o for c in built.cells for o in c.get("outputs", []) if o.output_type == "error"]
    if errors:
        found.append(f"{target.name} has {len(errors)} error output(s)")
    return found


def sources(languages: list[str]) -> list[Path]:
    """The lesson sources of the chosen languages, English first, in lesson order."""
    found = sorted(LESSONS.glob("[0-9][0-9]_*.md")) if "en" in languages else []
    for language, folder in TWINS.items():
        if language in languages:
            found += sorted((LESSONS / folder).glob("[0-9][0-9]_*.md"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="build only lessons whose name starts so")
    parser.add_argument("--no-execute", action="store_true", help="do not run the cells")
    parser.add_argument("--check", action="store_true", help="only check notebooks match lessons")
    parser.add_argument(
        "--lang", choices=["en", *TWINS, "all"], default="all", help="which edition (all)"
    )
    args = parser.parse_args(argv)
    chosen = sources(["en", *TWINS] if args.lang == "all" else [args.lang])
    if args.prefixes:
        chosen = [s for s in chosen if s.name.startswith(tuple(args.prefixes))]
    if not chosen:
        print("no lesson matched", args.prefixes, file=sys.stderr)
        return 1
    if args.check:
        found = [p for s in chosen for p in problems(s)]
        print("\n".join(found) or f"{len(chosen)} notebooks match their lessons")
        return 1 if found else 0
    for source in chosen:
        seconds = build(source, run=not args.no_execute)
        target = target_of(source).relative_to(ROOT)
        print(f"{source.relative_to(LESSONS)!s:31s} -> {target}  {seconds:6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
