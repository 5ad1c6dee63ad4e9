"""The exercise notebooks: built from their sources, shaped as the course promises, and graded.

Three modes of the batch grader (`python -m llmlab.grade`, which re-executes every notebook in
a fresh kernel of its own): every solution notebook scores 100%; every untouched exercise
notebook scores 0% with a friendly "not done yet" and no traceback; a notebook that crashes its
kernel or runs out of time is scored with the reason while the others are still graded. The
planted mistakes per task are graded in-process in test_grading_mistakes.py (fast); hostile
notebooks are in test_grade_isolation.py. The Chinese twins (exercises/zh/: the same code with
Chinese task text) are built and graded like the English notebooks, in a grader run of their own.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmlab.grading import MIME_CHECK, lesson_tasks

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"


def _load_build():
    """exercises/build.py, under a name that cannot clash with lessons/build.py."""
    spec = importlib.util.spec_from_file_location("exercise_build", EXERCISES / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build()

SOURCES = sorted((EXERCISES / "src").glob("[0-9][0-9]_*.md"))
LESSONS = [source.stem for source in SOURCES]
EDITIONS = {"en": EXERCISES, "zh": EXERCISES / "zh"}  # each edition's exercises/ folder
LEARNERS = {edition: [d / f"{n}.ipynb" for n in LESSONS] for edition, d in EDITIONS.items()}
SOLUTIONS = {e: [d / "solutions" / f"{n}.ipynb" for n in LESSONS] for e, d in EDITIONS.items()}
# The Chinese notebooks run the English code (tests/test_twins.py): graded in the latest-versions
# leg only; Colab's versions grade the English ones.
GRADED_EDITIONS = ["en", pytest.param("zh", marks=pytest.mark.latest_only)]
CHECK_RE = re.compile(r'^check\("(\w+)", (\w+)\)$')


def code_cells(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def test_there_is_an_exercise_notebook_for_each_lesson_from_01_to_13():
    assert [p.stem for p in LEARNERS["en"]] == [
        "01_probability",
        "02_tokens",
        "03_sampling",
        "04_loss",
        "05_embeddings",
        "06_attention",
        "07_transformer",
        "08_pretraining",
        "09_generation",
        "10_finetuning",
        "11_preferences",
        "12_efficiency",
        "13_thinking",
    ]


@pytest.mark.parametrize(
    "source", build.sources(), ids=lambda p: p.relative_to(EXERCISES / "src").as_posix()
)
def test_notebooks_on_disk_equal_a_fresh_build_of_their_source(source):
    for target, solution in build.targets(source):
        fresh = build.notebook_text(build.build_notebook(source, target, solution))
        assert target.read_text(encoding="utf-8") == fresh, (
            f"{target.name} drifted from {source.name}: run python exercises/build.py"
        )


def test_a_solution_block_becomes_a_raise_naming_its_function():
    code = 'def f(x):\n    """Doc."""\n    # BEGIN SOLUTION\n    return x\n    # END SOLUTION\n'
    assert build.learner_code(code) == (
        'def f(x):\n    """Doc."""\n    raise NotImplementedError("f")\n'
    )
    assert build.solution_code(code) == 'def f(x):\n    """Doc."""\n    return x\n'
    with pytest.raises(ValueError, match="without"):
        build.learner_code("def f():\n    # BEGIN SOLUTION\n    return 1\n")


@given(
    name=st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True),
    body=st.lists(st.from_regex(r"[a-z0-9 =+*()]{1,20}", fullmatch=True), min_size=1, max_size=4),
    indent=st.sampled_from(["    ", "        "]),
)
def test_building_keeps_everything_outside_the_solution_block(name, body, indent):
    head = f"def {name}(x):\n{indent}y = 1\n"
    block = "".join(f"{indent}{line}\n" for line in body)
    code = f"{head}{indent}# BEGIN SOLUTION\n{block}{indent}# END SOLUTION\nz = 2\n"
    assert build.learner_code(code) == f'{head}{indent}raise NotImplementedError("{name}")\nz = 2\n'
    assert build.solution_code(code) == f"{head}{block}z = 2\n"


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_task_is_a_stub_with_a_docstring_followed_by_its_check(lesson):
    cells = code_cells(EXERCISES / f"{lesson}.ipynb")
    assert cells[0].startswith("# llmlab set-up:"), "the course's set-up cell comes first"
    checked = []
    for before, cell in itertools.pairwise(cells):
        match = CHECK_RE.match(cell.strip())
        if match:
            task_id, function = match.groups()
            assert f"def {function}(" in before, f"check('{task_id}') must follow its function"
            assert f'raise NotImplementedError("{function}")' in before
            assert '"""' in before and "Returns:" in before, f"{function} needs a docstring"
            checked.append(task_id)
    assert checked == lesson_tasks(lesson), "the notebook checks every task of its lesson"
    assert 3 <= len(checked) <= 6
    assert cells[-2].strip() == f'score("{lesson}")', "the score comes after the last check"
    assert cells[-1].strip() == "llmlab.progress()", "the notebook ends with the course progress"
    assert "import llmlab\n" in cells[1], "the import cell imports llmlab for that last cell"


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lesson", LESSONS)
def test_notebooks_carry_a_colab_badge_to_themselves_and_no_outputs(lesson, edition):
    folder = EDITIONS[edition]
    for path in (folder / f"{lesson}.ipynb", folder / "solutions" / f"{lesson}.ipynb"):
        nb = nbformat.read(path, as_version=4)
        rel = path.relative_to(ROOT).as_posix()
        assert f"colab.research.google.com/github/llmlab-course/llmlab/blob/main/{rel}" in (
            nb.cells[0].source
        )
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("edition", EDITIONS)
def test_solutions_hold_no_stubs_and_exercises_hold_no_solutions(edition):
    for learner, solution in zip(LEARNERS[edition], SOLUTIONS[edition]):
        assert "NotImplementedError(" not in "".join(code_cells(solution))
        assert "BEGIN SOLUTION" not in learner.read_text(encoding="utf-8")


def grade(paths: list[Path], *extra: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "llmlab.grade", *map(str, paths), "--json", *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    assert out.stdout.strip(), f"the grader printed nothing; stderr:\n{out.stderr[-3000:]}"
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def graded():
    """edition -> one batch run over its exercise and solution notebooks, shared below."""
    runs = {}

    def of(edition: str) -> dict:
        if edition not in runs:
            every = LEARNERS[edition] + SOLUTIONS[edition]
            # A fixed seed: the same inputs on every CI run, so a rare draw cannot make CI flaky.
            runs[edition] = grade(every, "--timeout", "300", "--jobs", "4", "--seed", "0")
        return runs[edition]

    return of


def not_done_sentences() -> tuple[str, ...]:
    """The "not done yet" sentence in every language the library speaks."""
    from llmlab import i18n
    from llmlab.grading.core import NotDone

    before, sentences = i18n.language(), []
    try:
        for language in i18n.LANGUAGES:
            i18n.set_language(language)
            sentences.append(NotDone().message)
    finally:
        i18n.set_language(before)
    return tuple(sentences)


@pytest.mark.slow
@pytest.mark.parametrize("edition", GRADED_EDITIONS)
def test_every_solution_notebook_scores_100_percent(graded, edition):
    for path in SOLUTIONS[edition]:
        tasks = graded(edition)[str(path)]
        failed = {t: r["message"] for t, r in tasks.items() if not r["passed"]}
        assert not failed, f"{path.name}: solutions must pass every check: {failed}"
        assert list(tasks) == lesson_tasks(path.stem)


@pytest.mark.slow
@pytest.mark.parametrize("edition", GRADED_EDITIONS)
def test_every_untouched_exercise_scores_0_percent_with_a_friendly_reason(graded, edition):
    for path in LEARNERS[edition]:
        tasks = graded(edition)[str(path)]
        assert list(tasks) == lesson_tasks(path.stem)
        for task_id, result in tasks.items():
            assert not result["passed"], f"{path.name}: {task_id} passed without any code"
            assert result["message"] in not_done_sentences(), result["message"]
            assert "Traceback" not in result["message"]


def planted(tmp_path: Path, name: str, code: str) -> Path:
    """The 01 solution notebook with `code` run right after its first check."""
    nb = nbformat.read(EXERCISES / "solutions" / "01_probability.ipynb", as_version=4)
    first_check = next(i for i, c in enumerate(nb.cells) if c.source.startswith("check("))
    nb.cells.insert(first_check + 1, nbformat.v4.new_code_cell(code))
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def forged_outputs(tmp_path: Path) -> Path:
    """The untouched 01 exercise notebook with saved outputs claiming every check passed."""
    nb = nbformat.read(EXERCISES / "01_probability.ipynb", as_version=4)
    for cell in nb.cells:
        match = CHECK_RE.match(cell.source.strip())
        if match:
            mark = {"task": match.group(1), "lesson": "01_probability", "passed": True}
            data = {MIME_CHECK: {**mark, "message": "passed"}, "text/plain": "✅"}
            cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
    path = tmp_path / "forged.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_a_crash_or_a_timeout_is_scored_with_its_reason_and_others_are_still_graded(tmp_path):
    crash = planted(tmp_path, "crash.ipynb", "import os\nos._exit(1)")
    sleep = planted(tmp_path, "sleep.ipynb", "import time\ntime.sleep(600)")
    good = planted(tmp_path, "good.ipynb", "x = 1")
    loop = planted(
        tmp_path,
        "loop.ipynb",
        "def p_a_given_b(*counts):\n    while True:\n        pass\n\n\n"
        'check("p_a_given_b", p_a_given_b)',
    )
    forged = forged_outputs(tmp_path)
    paths = [crash, sleep, good, loop, forged]
    result = grade(paths, "--timeout", "40", "--check-timeout", "3")
    first, *rest = lesson_tasks("01_probability")
    for path, words in [(crash, "the kernel died"), (sleep, "ran past the 40 s limit")]:
        tasks = result[str(path)]
        assert tasks[first]["passed"], "the check that ran before the crash still counts"
        for task_id in rest:
            assert not tasks[task_id]["passed"] and words in tasks[task_id]["message"]
    assert all(r["passed"] for r in result[str(good)].values()), "other notebooks still graded"
    stuck = result[str(loop)][first]
    assert not stuck["passed"] and "did not finish within 3 s" in stuck["message"], (
        "inside a kernel the time limit stops an endless loop in the learner's function"
    )
    assert all(result[str(loop)][t]["passed"] for t in rest), "the checks after it still ran"
    assert not any(r["passed"] for r in result[str(forged)].values()), "saved outputs are ignored"


@pytest.mark.slow
def test_a_kernel_that_dies_before_it_starts_is_started_again(tmp_path, monkeypatch):
    # As in a CI run where 1 kernel of 18, started 4 at a time, died before it was ready: the
    # learner's notebook must not score 0 for it (no learner code has run yet).
    from llmlab.grade import Options, grade_notebook, read
    from llmlab.grading.sandbox import Kernel, KernelGone, isolation

    starts = []
    start = Kernel.start

    def dies_the_first_time(self, notebook, deadline):
        starts.append(1)
        if len(starts) == 1:
            raise KernelGone("the kernel died (it crashed or exited)")
        return start(self, notebook, deadline)

    monkeypatch.setattr(Kernel, "start", dies_the_first_time)
    options = Options(timeout=120, isolation=isolation())
    result = grade_notebook(read(planted(tmp_path, "good.ipynb", "x = 1")), options)
    assert len(starts) == 2, "the kernel is started a second time"
    assert result.reason is None and all(r["passed"] for r in result.tasks.values()), result.tasks


def test_a_run_seed_gives_each_task_the_same_inputs_on_every_run(monkeypatch):
    from types import SimpleNamespace

    from llmlab.grading import remote

    seen = []

    def spy(task_id, fn, **kwargs):  # records the seed the grader's checker would draw from
        seen.append((task_id, kwargs["seed"]))
        return SimpleNamespace(passed=True, message="passed")

    monkeypatch.setattr(remote, "run_check", spy)
    tasks = lesson_tasks("03_sampling")
    for seed in (7, 7, 8, None):
        session = remote.Session(None, notebook_deadline=0.0, notebook_seconds=1.0, seed=seed)
        for task_id in tasks:
            session.check(task_id, 1.0)
    runs = [dict(seen[i : i + len(tasks)]) for i in range(0, len(seen), len(tasks))]
    assert runs[0] == runs[1], "the same run seed must give every task the same inputs"
    assert len(set(runs[0].values())) == len(tasks), "tasks must not share one draw"
    assert runs[0] != runs[2], "another run seed gives other inputs"
    assert set(runs[3].values()) == {None}, "without --seed every check draws fresh inputs"


def test_a_negative_seed_is_refused_with_a_sentence(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "llmlab.grade", str(tmp_path / "a.ipynb"), "--seed", "-1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 2 and "--seed must be a non-negative int" in out.stderr, out.stderr


def test_an_unknown_lesson_is_refused_before_anything_runs(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "llmlab.grade", str(tmp_path / "a.ipynb"), "--lesson", "03_sampl"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 2 and "'03_sampl' is not a lesson" in out.stderr, out.stderr


def test_the_grader_names_a_file_that_is_not_a_notebook(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("not json", encoding="utf-8")
    result = grade([bad])
    assert not result[str(bad)]["notebook"]["passed"]
    assert "not a readable notebook" in result[str(bad)]["notebook"]["message"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_notebook_links_to_its_lesson_from_where_it_lies(lesson):
    for path in (EXERCISES / f"{lesson}.ipynb", EXERCISES / "solutions" / f"{lesson}.ipynb"):
        text = "".join(c.source for c in nbformat.read(path, as_version=4).cells)
        links = re.findall(r"\]\(([^)]*notebooks/[^)]*\.ipynb)\)", text)
        assert links, f"{path.name} should link to its lesson"
        for link in links:
            target = (path.parent / link).resolve()
            assert target.parent == ROOT / "notebooks", f"{link} from {path} leaves notebooks/"
            assert (ROOT / "lessons" / f"{target.stem}.md").exists(), f"no lesson for {link}"


def test_the_lesson_comes_from_the_metadata_then_the_batch_then_the_file_name():
    from llmlab.grade import lesson_of

    nb = nbformat.read(EXERCISES / "02_tokens.ipynb", as_version=4)
    assert lesson_of(nb, Path("alice.ipynb"), "03_sampling") == "02_tokens", "metadata first"
    del nb.metadata["llmlab"]  # as some tools strip it: not a reason to reject the notebook
    assert lesson_of(nb, Path("alice.ipynb"), "03_sampling") == "03_sampling"
    assert lesson_of(nb, Path("exercises/02_tokens.ipynb")) == "02_tokens"
