"""Grade exercise notebooks headless and print a score table (or JSON, or a CSV gradebook).

    python -m llmlab.grade submissions/*.ipynb --lesson 03_sampling
    python -m llmlab.grade exercises/solutions/*.ipynb --json --timeout 300
    python -m llmlab.grade submissions/*.ipynb --lesson 03_sampling --csv gradebook.csv
    python -m llmlab.grade submissions/*.ipynb --language en     # every message in English

Learner code is untrusted. Every notebook is read before any runs. Each one then runs in a
kernel of its own (llmlab/grading/sandbox.py): a scratch folder holding only its copy, its own
session, resource limits, its output kept apart, and, where the machine allows, a user or
namespaces of its own; afterwards everything it started is killed. Saved outputs are ignored.
The kernel runs the code cells in order; where a cell calls `check("task", ...)` for a task of
the notebook's lesson, and at the end for the tasks not checked yet, the task's checker runs in
THIS process against the learner's function of the task's name (Task.function): the kernel only
calls that function on the checker's inputs and sends back plain data (llmlab/grading/remote.py),
so nothing the notebook displays or patches changes a score. A notebook of another lesson than
--lesson is rejected with a sentence; an answer that calls llmlab's own solution of its task is
flagged. A kernel that dies or a notebook past --timeout is stopped and scored with the reason.

Each notebook is graded in its own language: a Chinese exercise notebook (metadata
`llmlab.language = "zh"`, set by exercises/build.py) gets its check messages in Chinese, as the
learner saw them, and its kernel runs with LLMLAB_LANGUAGE=zh; any other notebook gets English.
`--language en` or `--language zh` puts every message of the batch in that language instead.
The table's own lines follow --language, else the batch's language where all its notebooks
share one, else English. The CSV's column names and pass/fail marks stay English.

With --json the output is {"<notebook path>": {"<task id>": {"passed": bool, "message": str}}}
(plus "flag": str on a flagged task). Exit status 0 when every task of every notebook passed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from llmlab.grading import gradebook, sandbox
from llmlab.grading.core import TASKS, lesson_tasks
from llmlab.grading.gradebook import NotebookGrade
from llmlab.grading.remote import Session
from llmlab.grading.sandbox import Kernel, KernelGone
from llmlab.i18n import LANGUAGES, language, say, set_language

KERNEL_STARTS = 3  # a kernel that dies before it is ready is started again, this many times
CHECK_RE = re.compile(r"""\bcheck\(\s*["'](\w+)["']""")


@dataclass
class Options:
    timeout: float = 300.0
    check_timeout: float = 30.0
    lesson: str | None = None
    isolation: tuple[str, bool] = ("session", False)
    memory_mb: int = 8192
    seed: int | None = None  # None: fresh inputs for every check; else the same on every run
    language: str | None = None  # None: each notebook's own language (language_of)


@dataclass
class Submission:
    path: Path
    data: bytes = b""
    digest: str = ""
    notebook: nbformat.NotebookNode | None = None
    error: str | None = None
    language: str = "en"  # the language its messages are written in


def read(path: Path) -> Submission:
    """The notebook's bytes and parsed cells, read once before anything runs."""
    sub = Submission(path)
    try:
        sub.data = path.read_bytes()
        sub.digest = hashlib.sha256(sub.data).hexdigest()
        sub.notebook = nbformat.reads(sub.data.decode("utf-8"), as_version=4)
    except Exception as error:
        sub.error = say("grader.unreadable", error=f"{type(error).__name__}: {error}")
    return sub


def language_of(nb: nbformat.NotebookNode | None) -> str:
    """The notebook's language (`llmlab.language` in its metadata, set by exercises/build.py for
    the Chinese notebooks): "zh" or "en"; English where it says nothing or something unknown."""
    meta = nb.metadata.get("llmlab", {}) if nb is not None else {}
    found = meta.get("language") if isinstance(meta, dict) else None
    return found if found in LANGUAGES else "en"


def lesson_of(nb: nbformat.NotebookNode, path: Path, default: str | None = None) -> str:
    """The lesson in the notebook's metadata (`llmlab.lesson`, set by exercises/build.py), else
    `default` (the --lesson of the batch), else the file name (exercises/03_sampling.ipynb)."""
    meta = nb.metadata.get("llmlab", {})
    lesson = meta.get("lesson") if isinstance(meta, dict) else None
    return lesson if isinstance(lesson, str) and lesson else default or path.stem


def limits(options: Options) -> dict:
    cpu = int(options.timeout * max(2, os.cpu_count() or 1)) + 60
    found = {"cpu": cpu, "fsize": 256 << 20, "nproc": 1024, "core": 0}
    if options.memory_mb > 0:  # RLIMIT_DATA: RLIMIT_AS would break XLA's large reservations
        found["data"] = options.memory_mb << 20
    return found


def start_kernel(sub: Submission, task_ids: list[str], options: Options, deadline: float):
    references = sorted({name for t in task_ids for name in TASKS[t].references})
    last = None
    for attempt in range(1, KERNEL_STARTS + 1):
        kernel = Kernel(*options.isolation, limits(options), references, sub.language)
        try:
            kernel.start(sub.data, deadline)
            return kernel, None
        except (KernelGone, TimeoutError, OSError) as error:  # no learner code has run yet
            kernel.stop()
            last = error
            time.sleep(attempt)
    return None, say("grader.no_start", error=f"{type(last).__name__}: {last}")


def grade_notebook(sub: Submission, options: Options) -> NotebookGrade:
    """Run one notebook in its own kernel and check its lesson's tasks from this process."""
    start = time.monotonic()
    grade = NotebookGrade(str(sub.path))
    if sub.error:
        grade.reason = sub.error
        grade.tasks["notebook"] = {"passed": False, "message": sub.error}
        return grade
    grade.lesson = lesson_of(sub.notebook, sub.path, options.lesson)
    if options.lesson and grade.lesson != options.lesson:
        grade.reason = say("grader.wrong_lesson", lesson=grade.lesson, wanted=options.lesson)
        message = say("grader.not_graded", reason=grade.reason)
        grade.tasks = {t: {"passed": False, "message": message}
                       for t in lesson_tasks(options.lesson)}  # fmt: skip
        grade.lesson = options.lesson
        return grade
    task_ids = lesson_tasks(grade.lesson)
    results: dict[str, dict] = {}
    deadline = start + options.timeout
    kernel, grade.reason = (
        start_kernel(sub, task_ids, options, deadline) if task_ids else (None, None)
    )
    if kernel is not None:
        try:
            grade.reason = run(kernel, sub, task_ids, options, deadline, results)
        finally:
            kernel.stop()
    why = grade.reason or say("grader.never_checked")
    for task_id in task_ids:
        grade.tasks[task_id] = results.get(task_id) or {
            "passed": False,
            "message": say("grader.not_checked", reason=why),
        }
    if not grade.tasks:
        grade.tasks["notebook"] = {
            "passed": False,
            "message": say("grader.no_lesson", lesson=repr(grade.lesson)),
        }
    grade.seconds = time.monotonic() - start
    return grade


def run(kernel: Kernel, sub: Submission, task_ids, options: Options, deadline, results) -> str:
    """Run the code cells, checking a task where its check cell is and the rest at the end;
    fill `results` and return why the notebook stopped early, or None."""
    session = Session(kernel, deadline, options.timeout, options.seed)
    seconds = min(options.check_timeout, options.timeout)
    cells = [c.source for c in sub.notebook.cells if c.cell_type == "code"]
    for number, source in enumerate(cells, 1):
        try:
            kernel.request({"cell": source}, deadline)
        except TimeoutError:
            return say("grader.cell_timeout", seconds=f"{options.timeout:g}", number=number)
        except KernelGone:
            return say("grader.cell_died", number=number)
        for task_id in dict.fromkeys(CHECK_RE.findall(source)):
            if task_id in task_ids and not session.gone:
                results[task_id] = session.check(task_id, seconds)
        if session.gone:
            return session.gone
    for task_id in task_ids:
        if task_id not in results and not session.gone:
            results[task_id] = session.check(task_id, seconds)
    return session.gone


def grade_safely(sub: Submission, options: Options) -> NotebookGrade:
    """grade_notebook, where even a bug of the grader costs this notebook only."""
    try:
        return grade_notebook(sub, options)
    except Exception as error:
        grade = NotebookGrade(str(sub.path))
        grade.reason = say("grader.grader_failed", error=f"{type(error).__name__}: {error}")
        grade.tasks["notebook"] = {"passed": False, "message": grade.reason}
        return grade


def grade_all(paths: list[Path], options: Options, jobs: int) -> list[NotebookGrade]:
    """Read every notebook first, then grade them `jobs` at a time, each in its language.

    The checkers run in this process and speak the one language set here, so the notebooks of
    one language are graded together, then those of the next.
    """
    before = language()
    set_language(options.language or before)  # an unreadable file is told in --language
    try:
        submissions = [read(path) for path in paths]
    finally:
        set_language(before)
    for sub in submissions:
        sub.language = options.language or language_of(sub.notebook)
    lessons = {lesson_of(s.notebook, s.path) for s in submissions if s.notebook is not None}
    if options.lesson is None and len(lessons) > 1:
        print(
            f"note: these notebooks are of {len(lessons)} lessons ({', '.join(sorted(lessons))}); "
            "each is graded for its own. Pass --lesson to grade one lesson and reject the others.",
            file=sys.stderr,
        )
    grades: dict[int, NotebookGrade] = {}
    try:
        for lang in dict.fromkeys(sub.language for sub in submissions):
            group = [i for i, sub in enumerate(submissions) if sub.language == lang]
            set_language(lang)
            with ThreadPoolExecutor(max(1, jobs)) as pool:
                done = pool.map(lambda i: grade_safely(submissions[i], options), group)
                grades.update(zip(group, done))
            for i in group:
                grades[i].language = lang
    finally:
        set_language(before)
    sandbox.sweep_orphans()
    for sub in submissions:
        if sub.digest and _digest(sub.path) != sub.digest:
            print(f"warning: {sub.path} changed on disk while it was graded", file=sys.stderr)
    return [grades[i] for i in range(len(submissions))]


def report_language(options: Options, submissions_languages: set[str]) -> str:
    """The language of the table's own lines: --language, else the batch's single language."""
    if options.language:
        return options.language
    return submissions_languages.pop() if len(submissions_languages) == 1 else "en"


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m llmlab.grade", description=__doc__.splitlines()[0]
    )
    parser.add_argument("paths", nargs="+", type=Path, help="exercise notebooks (.ipynb)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--csv", metavar="FILE", help="write a CSV gradebook (- for stdout)")
    parser.add_argument("--lesson", help="grade this lesson only, e.g. 03_sampling")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per notebook")
    parser.add_argument(
        "--check-timeout", type=float, default=30.0, help="seconds per check of a task"
    )
    parser.add_argument(
        "--memory", type=int, default=8192, help="MB of memory per kernel (0: no limit)"
    )
    parser.add_argument(
        "--isolation", default="auto", choices=["auto", "user", "namespace", "session"],
        help="how kernels are kept apart (auto: the strongest this machine allows)",
    )  # fmt: skip
    parser.add_argument(
        "--seed", type=int, default=None,
        help="draw every check's inputs from this seed, so a run can be repeated exactly "
        "(default: fresh inputs every run)",
    )  # fmt: skip
    parser.add_argument(
        "--language", choices=list(LANGUAGES), default=None,
        help="write every check message in this language (default: each notebook's own, from "
        "its metadata llmlab.language: Chinese for the zh exercise notebooks, else English)",
    )  # fmt: skip
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    if args.seed is not None and args.seed < 0:
        parser.error(f"--seed must be a non-negative int, got {args.seed}")
    if args.json and args.csv == "-":
        parser.error("--json and --csv - would both print to stdout: give --csv a file name")
    if args.lesson is not None and not lesson_tasks(args.lesson):
        lessons = sorted({t.lesson for t in TASKS.values()})
        parser.error(f"--lesson {args.lesson!r} is not a lesson; expected one of {lessons}")
    sandbox.protect_grader()
    try:
        mode = sandbox.isolation(args.isolation)
    except RuntimeError as error:
        parser.error(str(error))
    options = Options(
        args.timeout, args.check_timeout, args.lesson, mode, args.memory, args.seed, args.language
    )
    grades = grade_all(args.paths, options, args.jobs)
    set_language(report_language(options, {g.language for g in grades}))
    if args.csv:
        text = gradebook.to_csv(grades)
        if args.csv == "-":
            sys.stdout.write(text)
        else:  # utf-8 with a byte-order mark, so that spreadsheets read ✅ and ∣ right
            Path(args.csv).write_text(text, encoding="utf-8-sig")
    if args.json:
        print(gradebook.to_json(grades))
    elif args.csv != "-":
        print(gradebook.table(grades))
    return 0 if all(t["passed"] for g in grades for t in g.tasks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
