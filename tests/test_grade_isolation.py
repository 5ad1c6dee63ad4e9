"""The batch grader cannot be turned against its users (issue 16).

One batch of lesson-02 submissions holds two honest notebooks and hostile ones, each trying one
attack seen in a real class: deleting a classmate's notebook, rewriting another, writing fake
lines into the grader's stdout, leaving a process behind, stopping and killing the grader,
displaying the check's result marker, replacing the checkers, patching the reference, returning
an object whose __eq__ is always true, and handing in another lesson's notebook. The batch is
graded once (a module fixture); each test below checks one promise on it.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from llmlab.grading import MIME_CHECK, lesson_tasks

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
LESSON = "02_tokens"
TASKS = lesson_tasks(LESSON)
SLEEP = "987"  # the left-behind `sleep` is found by this argument

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox is Linux's")


KILLER = """
import os, signal
graders = [os.getppid()]  # and every process that looks like the grader:
for entry in filter(str.isdigit, os.listdir("/proc")):
    try:
        cmdline = open(f"/proc/{entry}/cmdline", "rb").read()
    except OSError:
        continue
    if b"llmlab.grade\\0" in cmdline:
        graders.append(int(entry))
for pid in graders:
    try:
        with open(f"/proc/{pid}/fd/1", "w") as f:
            f.write("FORGED LINE\\n")
    except Exception as error:
        print(error)
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except Exception as error:
            print(error)
"""


def notebook(solved: bool) -> nbformat.NotebookNode:
    folder = EXERCISES / "solutions" if solved else EXERCISES
    return nbformat.read(folder / f"{LESSON}.ipynb", as_version=4)


def after_imports(nb: nbformat.NotebookNode, code: str) -> nbformat.NotebookNode:
    """`code` as a new cell right after the cell that imports check."""
    at = next(i for i, c in enumerate(nb.cells) if "import check" in c.source)
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(code))
    return nb


def at_the_end(nb: nbformat.NotebookNode, code: str) -> nbformat.NotebookNode:
    nb.cells.append(nbformat.v4.new_code_cell(code))
    return nb


def replace_function(nb: nbformat.NotebookNode, name: str, code: str) -> nbformat.NotebookNode:
    cell = next(c for c in nb.cells if c.cell_type == "code" and f"def {name}(" in c.source)
    cell.source = code
    return nb


def honest_partly_solved() -> nbformat.NotebookNode:
    """The solution with merge_pair still a stub: 3 of 4 when graded alone."""
    nb, stub = notebook(True), notebook(False)
    index = next(i for i, c in enumerate(nb.cells) if "def merge_pair(" in c.source)
    nb.cells[index] = stub.cells[index]
    return nb


def hostile(folder: Path) -> dict[str, nbformat.NotebookNode]:
    untouched = notebook(False)
    stub_text = nbformat.writes(untouched)
    vandal = f"""
import os, subprocess
SUBMISSIONS = {str(folder)!r}
for path in [os.path.join(SUBMISSIONS, "honest_a.ipynb"), "honest_a.ipynb", "../honest_a.ipynb"]:
    try:
        os.remove(path)
    except Exception as error:
        print(error)
try:
    with open(os.path.join(SUBMISSIONS, "honest_b.ipynb"), "w") as f:
        f.write({stub_text!r})
except Exception as error:
    print(error)
try:
    with open(f"/proc/{{os.getppid()}}/fd/1", "w") as f:
        f.write("FORGED LINE\\n{{not json\\n")
except Exception as error:
    print(error)
subprocess.Popen(["sleep", {SLEEP!r}], start_new_session=True)
"""
    killer = KILLER
    marks = [{"task": t, "lesson": LESSON, "passed": True, "message": "passed"} for t in TASKS]
    marker = f"""
from IPython.display import display
for mark in {marks!r}:
    display({{{MIME_CHECK!r}: mark, "text/plain": "ok"}}, raw=True)
"""
    checkers = """
import llmlab.grading as g
from llmlab.grading.core import Task
for task_id, task in list(g.TASKS.items()):
    g.TASKS[task_id] = Task(**{**vars(task), "checker": lambda fn, rng: None})
"""
    reference = """
import llmlab.grading.tokens as gt
gt.get_stats = lambda ids: {}
gt.merge = lambda ids, pair, new_id: []
"""
    always = "class Anything:\n    def __eq__(self, other):\n        return True\n\n\n"
    equal = replace_function(
        notebook(False), "utf8_bytes", always + "def utf8_bytes(text):\n    return Anything()"
    )
    equal = replace_function(
        equal, "merge_pair", "def merge_pair(ids, pair, new_id):\n    return Anything()"
    )
    patched = after_imports(notebook(False), reference)
    patched = replace_function(patched, "count_pairs", "def count_pairs(ids):\n    return {}")
    patched = replace_function(
        patched, "merge_pair", "def merge_pair(ids, pair, new_id):\n    return []"
    )
    return {
        "vandal.ipynb": after_imports(notebook(False), vandal),
        "killer.ipynb": after_imports(notebook(False), killer),
        "marker.ipynb": at_the_end(notebook(False), marker),
        "checkers.ipynb": after_imports(notebook(False), checkers),
        "reference.ipynb": patched,
        "always_equal.ipynb": equal,
    }  # fmt: skip


def helper_notebook() -> nbformat.NotebookNode:
    """A solved notebook whose count_pairs calls llmlab's own get_stats, and which also checks a
    task of lesson 01."""
    nb = replace_function(
        notebook(True),
        "count_pairs",
        "from llmlab.tokenizer import get_stats\n\n\n"
        "def count_pairs(ids):\n    return get_stats(ids)",
    )
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "from llmlab.probability import bigram_counts\n"
            'check("count_bigrams", lambda ids, V: bigram_counts(ids, V))'
        )
    )
    return nb


def sleepers() -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if cmdline == f"sleep\0{SLEEP}\0".encode():
                found.append(int(entry))
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    nbformat.write(notebook(True), folder / "honest_a.ipynb")
    nbformat.write(honest_partly_solved(), folder / "honest_b.ipynb")
    for name, nb in hostile(folder).items():
        nbformat.write(nb, folder / name)
    nbformat.write(helper_notebook(), folder / "helper.ipynb")
    other = nbformat.read(EXERCISES / "solutions" / "01_probability.ipynb", as_version=4)
    nbformat.write(other, folder / "other_lesson.ipynb")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    gradebook = tmp_path_factory.mktemp("out") / "gradebook.csv"
    command = [sys.executable, "-m", "llmlab.grade", *sorted(map(str, folder.iterdir()))]
    command += ["--lesson", LESSON, "--json", "--csv", str(gradebook), "--jobs", "2"]
    command += ["--timeout", "120", "--check-timeout", "20", "--seed", "0"]
    try:
        out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=400)
        stdout, stderr, returncode = out.stdout, out.stderr, out.returncode
    except subprocess.TimeoutExpired as error:  # a stopped grader never finishes
        stdout, stderr, returncode = error.stdout or "", "timed out", None
    left = sleepers()
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    yield {
        "folder": folder, "stdout": stdout, "stderr": stderr, "returncode": returncode,
        "before": before, "after": after, "sleepers": left, "csv": gradebook,
    }  # fmt: skip


def results(batch) -> dict:
    assert batch["returncode"] is not None, "the grader never finished (was it stopped?)"
    assert batch["stdout"].strip(), f"the grader printed nothing:\n{batch['stderr'][-3000:]}"
    parsed = json.loads(batch["stdout"])  # fails on a forged line
    return {Path(path).name: tasks for path, tasks in parsed.items()}


def test_the_grader_finishes_and_its_json_parses_despite_hostile_notebooks(batch):
    graded = results(batch)
    assert set(graded) == set(batch["before"]), "every notebook of the batch is in the JSON"


def test_honest_notebooks_keep_the_scores_they_get_alone(batch):
    graded = results(batch)
    assert all(r["passed"] for r in graded["honest_a.ipynb"].values()), graded["honest_a.ipynb"]
    b = graded["honest_b.ipynb"]
    assert {t for t, r in b.items() if not r["passed"]} == {"merge_pair"}, b
    assert b["merge_pair"]["message"].startswith("not done yet"), b["merge_pair"]


def test_the_submissions_folder_is_byte_identical_afterwards(batch):
    assert batch["after"] == batch["before"], "a hostile notebook changed the submissions"


def test_nothing_a_notebook_started_outlives_grading(batch):
    assert batch["sleepers"] == [], "a notebook's `sleep` was still running after grading"


@pytest.mark.parametrize(
    "name", ["vandal", "killer", "marker", "checkers", "reference", "always_equal"]
)
def test_an_unsolved_hostile_notebook_scores_0(batch, name):
    tasks = results(batch)[f"{name}.ipynb"]
    assert list(tasks) == TASKS
    passed = [t for t, r in tasks.items() if r["passed"]]
    assert passed == [], f"{name} passed {passed} without solving them"


def test_an_object_that_equals_everything_is_refused_with_its_type(batch):
    message = results(batch)["always_equal.ipynb"]["utf8_bytes"]["message"]
    assert "object of type" in message and "Anything" in message, message


def test_a_notebook_of_another_lesson_is_rejected_with_a_sentence(batch):
    tasks = results(batch)["other_lesson.ipynb"]
    assert list(tasks) == TASKS, "it is scored on the batch's lesson"
    for result in tasks.values():
        assert not result["passed"]
        assert "lesson 01_probability, not of 02_tokens" in result["message"], result["message"]


def test_checks_of_other_lessons_are_ignored_and_calling_the_reference_is_flagged(batch):
    tasks = results(batch)["helper.ipynb"]
    assert list(tasks) == TASKS, "a check of a lesson-01 task does not count in lesson 02"
    assert all(r["passed"] for r in tasks.values()), tasks
    assert "llmlab.tokenizer.naive.get_stats" in tasks["count_pairs"].get("flag", ""), tasks
    assert not any(r.get("flag") for t, r in tasks.items() if t != "count_pairs")


def test_the_csv_gradebook_has_one_row_per_notebook(batch):
    results(batch)
    with open(batch["csv"], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [Path(r["file"]).name for r in rows] == sorted(batch["before"])
    by_name = {Path(r["file"]).name: r for r in rows}
    honest_b = by_name["honest_b.ipynb"]
    assert [honest_b[t] for t in TASKS] == ["pass", "pass", "fail", "pass"]
    assert (honest_b["total"], honest_b["percent"]) == ("3", "75")
    assert honest_b["reasons"].startswith("merge_pair: not done yet"), honest_b["reasons"]
    assert "flagged" in by_name["helper.ipynb"]["reasons"]


def namespaces_work() -> bool:
    command = ["unshare", "--user", "--pid", "--fork", "--kill-child", "true"]
    try:
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.slow
@pytest.mark.skipif(not namespaces_work(), reason="this machine allows no user namespaces")
def test_in_namespaces_as_a_normal_user_gets_them_the_kernel_cannot_stop_or_fake_the_grader(
    tmp_path,
):
    # The isolation a grader running as a normal user gets; run here as whatever user the
    # tests run as, which changes nothing about the pid namespace the grader is invisible in.
    nbformat.write(notebook(True), tmp_path / "honest.ipynb")
    killer = at_the_end(notebook(False), KILLER + f"\nsubprocess.Popen(['sleep', {SLEEP!r}])")
    killer.cells[-1].source = "import subprocess\n" + killer.cells[-1].source
    nbformat.write(killer, tmp_path / "killer.ipynb")
    command = [sys.executable, "-m", "llmlab.grade", str(tmp_path / "honest.ipynb")]
    command += [str(tmp_path / "killer.ipynb"), "--json", "--isolation", "namespace", "--seed", "0"]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=400)
    left = sleepers()
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    graded = {Path(p).name: t for p, t in json.loads(out.stdout).items()}
    assert all(r["passed"] for r in graded["honest.ipynb"].values()), graded
    assert not any(r["passed"] for r in graded["killer.ipynb"].values()), graded
    assert left == [], "the namespace's processes die with it"
