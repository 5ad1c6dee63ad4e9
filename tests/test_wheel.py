"""The package as Colab installs it: a built wheel, installed with --no-deps, never editable.

The Colab cell runs  pip install --no-deps "llmlab @ git+<repository>"  over Colab's own jax,
flax and optax. This test does the same offline: it builds a wheel from the committed files (a
copy of what `git ls-files` lists, so a data file that was never committed is missing here as it
would be on Colab), installs it with --no-deps into a fresh folder, and, in a fresh Python whose
working directory is not the repository, loads every shipped model, corpus and data file through
the library's own loaders and runs the first code cells of lesson 00. The dependencies are this
test environment's (the latest releases in .venv, Colab's pins in .venv-colab).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
# Lesson 00's code cells up to the first text the Shakespeare model writes: set-up, device
# check, loading the model, its file on disk, the code's size, and generation.
LESSON = ROOT / "notebooks" / "00_welcome.ipynb"
FIRST_CELLS = 8


def _source_files() -> list[str]:
    """The repository's files as a clone has them (all files when git cannot say)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached"], cwd=ROOT, capture_output=True, check=True
        ).stdout.decode()
        return [f for f in out.split("\0") if f and (ROOT / f).is_file()]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", ".venv-colab", "build", "dist", "__pycache__"}
        return [
            p.relative_to(ROOT).as_posix()
            for p in ROOT.rglob("*")
            if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
        ]


def shipped_files() -> list[str]:
    """Every file inside llmlab/ that is not Python source: models, corpora, fonts, data.

    Read from the source tree, so a new data file is covered without touching this test.
    """
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "llmlab").rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    )


def _build_requirements_met() -> bool:
    """Whether this environment can build the wheel itself (no download of setuptools)."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        requires = tomllib.load(f)["build-system"]["requires"]
    for line in requires:
        req = Requirement(line)
        try:
            if metadata.version(req.name) not in req.specifier:
                return False
        except metadata.PackageNotFoundError:
            return False
    return True


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(cmd[:6])} ... failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A folder holding llmlab installed from its wheel with --no-deps, as on Colab."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    for name in _source_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # without the build requirements here, pip fetches them into an isolated build environment
    isolation = ["--no-build-isolation"] if _build_requirements_met() else []
    _run([*pip, "wheel", "--no-deps", *isolation, "-w", str(tmp / "dist"), str(source)])
    wheels = list((tmp / "dist").glob("llmlab-*.whl"))
    assert len(wheels) == 1, f"expected one llmlab wheel, got {wheels}"
    target = tmp / "site-packages"
    _run([*pip, "install", "--no-deps", "--no-compile", "--target", str(target), str(wheels[0])])
    return target


def test_every_shipped_file_is_in_the_installed_wheel_byte_for_byte(installed):
    files = shipped_files()
    assert files, "llmlab/ ships no data file at all: the enumeration is broken"
    missing = [f for f in files if not (installed / f).is_file()]
    assert missing == [], (
        f"missing from the wheel (add them to [tool.setuptools.package-data] in pyproject.toml, "
        f"and commit them): {missing}"
    )
    changed = [f for f in files if (installed / f).read_bytes() != (ROOT / f).read_bytes()]
    assert changed == [], f"these files differ in the wheel from the source tree: {changed}"


# Runs in a fresh Python with only the installed wheel on PYTHONPATH, outside the repository.
CHECK = r"""
import contextlib, io, json, sys
from pathlib import Path

import llmlab
import llmlab.data
import llmlab.pretrained
from llmlab.model import count_params

installed = Path(sys.argv[1]).resolve()
report = {"llmlab": llmlab.__file__, "corpora": {}, "poems": 0, "models": {}, "paths": []}
for name in llmlab.data.CORPORA:
    report["corpora"][name] = len(llmlab.data.load_text(name))
report["poems"] = len(llmlab.data.load_tang_poems())
from llmlab.data import instructions

report["datasets"] = {
    "sft": len(instructions.load_instructions(None)),
    "preferences": len(instructions.load_preferences(None)),
}
for name in llmlab.pretrained.NAMES:
    model, tokenizer = llmlab.pretrained.load(name)
    report["models"][name] = [count_params(model), tokenizer.vocab_size]
    report["paths"].append(str(llmlab.pretrained.path(name).resolve()))

from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance()
report["cells"] = []
for source in json.loads(Path(sys.argv[2]).read_text()):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = shell.run_cell(source)
    error = result.error_in_exec or result.error_before_exec
    report["cells"].append({"ok": result.success, "stdout": out.getvalue(), "error": repr(error)})
    if not result.success:
        break
print("REPORT" + json.dumps(report))
"""


@pytest.fixture(scope="module")
def report(installed, tmp_path_factory) -> dict:
    """What the fresh Python saw: where llmlab came from, what it loaded, the cells' output."""
    work = tmp_path_factory.mktemp("elsewhere")
    nb = nbformat.read(LESSON, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code"][:FIRST_CELLS]
    (work / "cells.json").write_text(json.dumps(cells))
    (work / "check.py").write_text(CHECK)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JUPYTER"))}
    env.update(PYTHONPATH=str(installed), MPLBACKEND="Agg", PYTHONNOUSERSITE="1")
    done = _run(
        [sys.executable, str(work / "check.py"), str(installed), str(work / "cells.json")],
        cwd=work,
        env=env,
        timeout=600,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("REPORT")), None)
    assert line, f"the check printed no report:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return json.loads(line.removeprefix("REPORT"))


def test_the_fresh_python_imports_llmlab_from_the_wheel_not_the_repository(report, installed):
    where = Path(report["llmlab"]).resolve()
    assert where.is_relative_to(installed.resolve()), (
        f"llmlab was imported from {where}, not from the installed wheel in {installed}"
    )
    for path in report["paths"]:
        assert Path(path).is_relative_to(installed.resolve()), f"a model was read from {path}"


def test_every_shipped_corpus_and_model_loads_through_the_librarys_loaders(report):
    import llmlab.data
    import llmlab.pretrained
    from llmlab.data import instructions

    data = {Path(f).name for f in shipped_files() if f.startswith("llmlab/data/")}
    models = {Path(f).stem for f in shipped_files() if f.endswith(".safetensors")}
    loaded = {*llmlab.data.CORPORA.values(), *instructions.FILES.values(), "README.md"}
    assert data == loaded, (
        f"llmlab/data ships {sorted(data)} but the loaders read {sorted(loaded)}: every shipped "
        "corpus or data set needs a loader (llmlab.data.CORPORA, llmlab.data.instructions.FILES)"
    )
    assert models == set(llmlab.pretrained.NAMES), (
        f"shipped models {sorted(models)} but llmlab.pretrained.NAMES is {llmlab.pretrained.NAMES}"
    )
    here = {name: len(llmlab.data.load_text(name)) for name in llmlab.data.CORPORA}
    assert report["corpora"] == here, "the installed corpora must read as the source tree's do"
    assert report["poems"] == len(llmlab.data.load_tang_poems())
    assert report["datasets"] == {
        "sft": len(instructions.load_instructions(None)),
        "preferences": len(instructions.load_preferences(None)),
    }, "the installed instruction and preference sets must read as the source tree's do"
    for name, (params, vocab) in report["models"].items():
        assert params > 0 and vocab > 0, f"the installed {name} model came back empty"


def test_the_first_cells_of_lesson_00_run_on_the_installed_wheel(report):
    cells = report["cells"]
    failed = [i for i, c in enumerate(cells) if not c["ok"]]
    assert not failed, f"lesson 00's code cell {failed[0]} failed: {cells[failed[0]]['error']}"
    assert len(cells) == FIRST_CELLS, f"only {len(cells)} of {FIRST_CELLS} cells ran"
    # the model-loading cell prints the same facts as the saved notebook
    nb = nbformat.read(LESSON, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    loading = next(i for i, c in enumerate(code) if "pretrained.load(" in c.source)
    saved = "".join(o.get("text", "") for o in code[loading].outputs if o.output_type == "stream")
    assert saved and cells[loading]["stdout"] == saved, (
        f"cell {loading} printed {cells[loading]['stdout']!r}, the saved notebook shows {saved!r}"
    )
