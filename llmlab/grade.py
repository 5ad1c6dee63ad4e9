"""Grade exercise notebooks headless and print a score table (or JSON).

    python -m llmlab.grade exercises/*.ipynb
    python -m llmlab.grade exercises/solutions/*.ipynb --json --timeout 300

Each notebook is re-executed from scratch in a fresh kernel (saved outputs are thrown away
first, so they are never trusted); every check cell emits a result marker (MIME type
`llmlab.grading.MIME_CHECK`) that is read back from the new outputs. The tasks expected of a
notebook come from its lesson (notebook metadata `llmlab.lesson`, else the file name), so a
task whose check never ran still counts, as failed, with the reason. A kernel that dies or a
notebook that runs past `--timeout` seconds is stopped and scored with the reason; the other
notebooks are still graded. A kernel that dies before it starts (which a busy machine can cause)
is started again, up to KERNEL_STARTS times, as no learner code has run yet. Notebooks run in
parallel (`--jobs`).

With --json the output is {"<notebook path>": {"<task id>": {"passed": bool, "message": str}}}.
Exit status 0 when every task of every notebook passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from llmlab.grading.core import TASKS, lesson_tasks
from llmlab.grading.report import MIME_CHECK


@dataclass
class NotebookGrade:
    """The tasks of one notebook, each {"passed": bool, "message": str}, and why it stopped."""

    path: str
    tasks: dict[str, dict] = field(default_factory=dict)
    reason: str | None = None  # None when every cell ran
    seconds: float = 0.0

    @property
    def passed(self) -> int:
        return sum(1 for t in self.tasks.values() if t["passed"])


def lesson_of(nb: nbformat.NotebookNode, path: Path) -> str:
    return nb.metadata.get("llmlab", {}).get("lesson") or path.stem


def markers(nb: nbformat.NotebookNode) -> dict[str, dict]:
    """The latest check result per task found in the notebook's (fresh) outputs."""
    found = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME_CHECK in data:
                mark = data[MIME_CHECK]
                found[mark["task"]] = {"passed": bool(mark["passed"]), "message": mark["message"]}
    return found


# A kernel that dies before it replies is started again, this many times in all.
KERNEL_STARTS = 3


async def grade_notebook(path: Path, timeout: float, kernel: str) -> NotebookGrade:
    """Run one notebook in a fresh kernel within `timeout` seconds and collect its results."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    start = time.monotonic()
    grade = NotebookGrade(str(path))
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:
        grade.reason = f"the file is not a readable notebook ({type(error).__name__}: {error})"
        grade.tasks["notebook"] = {"passed": False, "message": grade.reason}
        return grade
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None  # never trust saved outputs
    for attempt in range(1, KERNEL_STARTS + 1):
        number = 0
        client = NotebookClient(
            nb,
            timeout=int(timeout),
            kernel_name=kernel,
            allow_errors=True,  # a learner's broken cell must not stop the checks after it
            shutdown_kernel="immediate",
            store_widget_state=False,
            resources={"metadata": {"path": str(path.parent.resolve())}},
        )
        try:
            async with client.async_setup_kernel():
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    number += 1
                    remaining = timeout - (time.monotonic() - start)
                    if remaining <= 0:
                        raise TimeoutError
                    client.timeout = max(1, int(remaining))
                    await client.async_execute_cell(cell, index)
        except DeadKernelError:
            grade.reason = (
                f"the kernel died while running code cell {number} (it crashed or exited)"
            )
        except TimeoutError:  # nbclient's CellTimeoutError is a TimeoutError too
            grade.reason = f"the notebook ran past the {timeout:g} s limit in code cell {number}"
        except Exception as error:
            if isinstance(error, RuntimeError) and number == 0 and attempt < KERNEL_STARTS:
                # The kernel never started (on a busy machine one can die before it replies,
                # e.g. when a port was taken): no learner code ran, so start a fresh one.
                await asyncio.sleep(attempt)
                continue
            grade.reason = f"the notebook could not run ({type(error).__name__}: {error})"
        break
    found = markers(nb)
    why = grade.reason or "its check cell did not run or was removed"
    for task_id in lesson_tasks(lesson_of(nb, path)):
        grade.tasks[task_id] = found.pop(task_id, None) or {
            "passed": False,
            "message": f"not checked: {why}.",
        }
    grade.tasks.update({t: r for t, r in found.items() if t in TASKS})
    if not grade.tasks:
        grade.tasks["notebook"] = {"passed": False, "message": f"no graded task found; {why}."}
    grade.seconds = time.monotonic() - start
    return grade


async def grade_all(paths: list[Path], timeout: float, jobs: int, kernel: str) -> list:
    gate = asyncio.Semaphore(jobs)

    async def one(path: Path) -> NotebookGrade:
        async with gate:
            return await grade_notebook(path, timeout, kernel)

    return await asyncio.gather(*(one(p) for p in paths))


def table(grades: list[NotebookGrade]) -> str:
    lines = []
    for grade in grades:
        total = len(grade.tasks)
        lines.append(f"{grade.path}: {grade.passed}/{total} passed ({grade.seconds:.0f} s)")
        if grade.reason:
            lines.append(f"  stopped early: {grade.reason}")
        for task_id, result in grade.tasks.items():
            mark = "✅" if result["passed"] else "❌"
            lines.append(f"  {mark} {task_id}: {result['message']}")
    passed = sum(g.passed for g in grades)
    lines.append(f"Total: {passed}/{sum(len(g.tasks) for g in grades)} tasks passed")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m llmlab.grade", description=__doc__.splitlines()[0]
    )
    parser.add_argument("paths", nargs="+", type=Path, help="exercise notebooks (.ipynb)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per notebook")
    parser.add_argument(
        "--check-timeout", type=float, default=30.0, help="seconds per check inside a notebook"
    )
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--kernel", default="python3", help="Jupyter kernel name")
    args = parser.parse_args(argv)
    # The kernels inherit this environment: llmlab.grading reads its time limit per check from it.
    os.environ["LLMLAB_CHECK_TIMEOUT"] = str(min(args.check_timeout, args.timeout))
    grades = asyncio.run(grade_all(args.paths, args.timeout, max(1, args.jobs), args.kernel))
    if args.json:
        print(json.dumps({g.path: g.tasks for g in grades}, ensure_ascii=False, indent=1))
    else:
        print(table(grades))
    return 0 if all(t["passed"] for g in grades for t in g.tasks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
