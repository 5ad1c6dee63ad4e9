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


def setup_cell() -> str:
    """The first code cell of every notebook: installs llmlab on Colab, checks versions anywhere."""
    return f"""{SETUP_MARKER} on Colab, install the course library without upgrading Colab's own
# jax, flax, optax, ipywidgets or matplotlib; on your own machine (`make lab`) nothing is installed.
import subprocess
import sys

if "google.colab" in sys.modules:
    pip = [sys.executable, "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "--no-deps", "llmlab @ git+{repository_url()}@{BRANCH}"], check=True)
    subprocess.run([*pip, "safetensors", "treescope"], check=True)

import llmlab.environment

llmlab.environment.report();"""


CELL_RE = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.DOTALL)


def refresh_header(text: str, notebook: Path) -> str:
    """Put the badge under the first title and the set-up cell first among the code cells."""
    text = BADGE_RE.sub("", text)
    title = re.search(r"^# .*$", text, re.MULTILINE)
    if title is None:
        raise ValueError(f"{notebook.name}: a lesson must start with a '# Title' line")
    end = title.end()
    text = text[:end] + "\n\n" + badge(notebook) + "\n\n" + text[end:].lstrip("\n")
    cell = f"```{{code-cell}} ipython3\n{setup_cell()}\n```"
    first = CELL_RE.search(text)
    if first is not None and first.group(1).startswith(SETUP_MARKER):
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


def build(source: Path, out_dir: Path, run: bool = True) -> float:
    """Refresh `source`'s header, build its notebook in `out_dir`; return the seconds it took."""
    import nbformat

    target = out_dir / (source.stem + ".ipynb")
    text = source.read_text(encoding="utf-8")
    fresh = refresh_header(text, target)
    if fresh != text:
        source.write_text(fresh, encoding="utf-8")
    nb = to_notebook(fresh)
    start = time.perf_counter()
    if run:
        execute(nb, out_dir)
    nbformat.write(nb, target)
    return time.perf_counter() - start


def problems(source: Path, out_dir: Path) -> list[str]:
    """Why `source`'s built notebook no longer matches it (an empty list when it does)."""
    import nbformat

    target = out_dir / (source.stem + ".ipynb")
    text = source.read_text(encoding="utf-8")
    if refresh_header(text, target) != text:
        return [f"{source.name}: its badge or set-up cell is out of date: run the build"]
    if not target.exists():
        return [f"{target.name} is missing: run  python {Path(__file__).name} {source.stem}"]
    built = nbformat.read(target, as_version=4)
    wanted = to_notebook(text)
    found = []
    if [(c.cell_type, c.source) for c in built.cells] != [
        (c.cell_type, c.source) for c in wanted.cells
    ]:
        found.append(f"{target.name} does not match {source.name}: rebuild it")
    if "widgets" in built.metadata:
        found.append(f"{target.name} was saved with widget state")
    errors = [o for c in built.cells for o in c.get("outputs", []) if o.output_type == "error"]
    if errors:
        found.append(f"{target.name} has {len(errors)} error output(s)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="build only lessons whose name starts so")
    parser.add_argument("--no-execute", action="store_true", help="do not run the cells")
    parser.add_argument("--check", action="store_true", help="only check notebooks match lessons")
    args = parser.parse_args(argv)
    sources = sorted(LESSONS.glob("[0-9][0-9]_*.md"))
    if args.prefixes:
        sources = [s for s in sources if s.name.startswith(tuple(args.prefixes))]
    if not sources:
        print("no lesson matched", args.prefixes, file=sys.stderr)
        return 1
    if args.check:
        found = [p for s in sources for p in problems(s, NOTEBOOKS)]
        print("\n".join(found) or f"{len(sources)} notebooks match their lessons")
        return 1 if found else 0
    NOTEBOOKS.mkdir(exist_ok=True)
    for source in sources:
        seconds = build(source, NOTEBOOKS, run=not args.no_execute)
        print(f"{source.name:28s} -> notebooks/{source.stem}.ipynb  {seconds:6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
