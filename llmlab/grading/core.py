"""The check framework: a registry of tasks, one safe run of a check, and the learner's score.

A task is registered with `@task(lesson, task_id, title=..., hint=...)` on a checker
`checker(fn, rng)` that calls the learner's `fn` through `expect.call` on fresh inputs drawn from
`rng` (a numpy Generator seeded from os.urandom on every run, so answers cannot be memorised) and
raises `Mistake` with one sentence when something is wrong.

`run_check(task_id, fn)` never raises: whatever the learner's function does (raise, return
rubbish, call input(), loop forever), it returns a `Result` and records it in `RESULTS`, which
the score cell reads. `check()` also shows the result (see `report.py`).

Time limit — how a Python loop that never ends is stopped:
- Main thread with SIGALRM (Linux, macOS, Colab, a Jupyter kernel): `signal.setitimer` raises
  `CheckTimeout` inside the running code when the time is up. This is exact and costs nothing.
- Elsewhere (Windows, or a check run from another thread): `sys.settrace` looks at the clock on
  every line of Python that runs and raises `CheckTimeout` there. It slows Python code while the
  check runs, but a learner's loop is Python code, so it is always stopped.
Neither can stop one long call inside compiled code (a huge XLA computation); that returns first
and is then stopped. A thread with a timeout was not used: it cannot stop a Python loop.
`CheckTimeout` is a BaseException so that a learner's `except Exception:` cannot swallow it.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import jax
import numpy as np

from llmlab.i18n import say

DEFAULT_TIMEOUT = float(os.environ.get("LLMLAB_CHECK_TIMEOUT", "30"))


class Mistake(Exception):
    """Raised by a checker: `message` is one sentence naming what is wrong; `hint` is optional."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotDone(Mistake):
    """The learner's function still raises NotImplementedError."""

    def __init__(self) -> None:
        super().__init__(say("grading.core.not_done"))


class CheckTimeout(BaseException):
    """The time limit of a check ran out (a BaseException, so `except Exception` cannot hide it)."""


@dataclass(frozen=True)
class Task:
    """A gradable task: its id, its lesson and the checker; its title and hint are read from
    the message catalogue (keys "task.<id>.title" and "task.<id>.hint") in the learner's language.

    `function` is the name of the learner's function in the exercise notebook (the batch grader
    calls it by that name); `references` are the dotted names of llmlab's own answers to the
    task, which the batch grader flags when a learner's function calls them.
    """

    id: str
    lesson: str
    checker: Callable[[Callable, np.random.Generator], None]
    function: str = ""
    references: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return say(f"task.{self.id}.title")

    @property
    def hint(self) -> str:
        return say(f"task.{self.id}.hint")


@dataclass(frozen=True)
class Result:
    """The outcome of one check; `seed` reproduces its inputs."""

    task: str
    lesson: str
    passed: bool
    message: str
    hint: str
    seed: int
    seconds: float

    def to_json(self) -> dict:
        return {
            "task": self.task,
            "lesson": self.lesson,
            "passed": self.passed,
            "message": self.message,
        }


TASKS: dict[str, Task] = {}  # task id -> Task, in the order the lessons define them
RESULTS: dict[str, Result] = {}  # task id -> the latest Result in this session


def task(
    lesson: str,
    task_id: str,
    *,
    function: str | None = None,
    references: tuple[str, ...] = (),
):
    """Register the decorated function as the checker of `task_id` in `lesson`.

    The learner's function is called `function` in the notebook (by default the task id). Its
    title and hint must be in the catalogue, as "task.<task_id>.title" and "task.<task_id>.hint".
    """
    from llmlab.messages import CATALOGUE

    def register(checker):
        if task_id in TASKS:
            raise ValueError(f"task id {task_id!r} is registered twice")
        missing = [
            k for k in (f"task.{task_id}.title", f"task.{task_id}.hint") if k not in CATALOGUE
        ]
        if missing:
            raise ValueError(f"task {task_id!r} needs {missing} in llmlab.messages, got none")
        name = function or task_id
        TASKS[task_id] = Task(task_id, lesson, checker, name, tuple(references))
        return checker

    return register


def lesson_tasks(lesson: str) -> list[str]:
    """The ids of the tasks of `lesson` (e.g. "03_sampling"), in order."""
    return [t.id for t in TASKS.values() if t.lesson == lesson]


def fresh_seed() -> int:
    """A seed nobody has seen before: inputs change on every run of a check."""
    return int.from_bytes(os.urandom(4), "little")


def _raise_timeout(signum, frame):
    raise CheckTimeout


@contextlib.contextmanager
def time_limit(seconds: float, *, use_signal: bool | None = None) -> Iterator[str]:
    """Raise CheckTimeout in the code running inside the block after `seconds`.

    The trace mechanism watches the functions called inside the block (as `run_check` calls
    the checker, which calls the learner's function), not the lines of the block itself.

    Yields the mechanism used: "signal" or "trace" (see the module docstring).
    """
    if use_signal is None:
        use_signal = hasattr(signal, "setitimer") and (
            threading.current_thread() is threading.main_thread()
        )
    if use_signal:
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield "signal"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    deadline = time.monotonic() + seconds

    def tracer(frame, event, arg):
        if time.monotonic() > deadline:
            raise CheckTimeout
        return tracer

    previous_trace = sys.gettrace()
    sys.settrace(tracer)
    try:
        yield "trace"
    finally:
        sys.settrace(previous_trace)


def _no_input(*args, **kwargs):
    raise Mistake(say("grading.core.input"))


@contextlib.contextmanager
def no_input() -> Iterator[None]:
    """Make input() raise a Mistake instead of waiting for a person who is not there."""
    saved = builtins.input
    builtins.input = _no_input
    try:
        yield
    finally:
        builtins.input = saved


def run_check(
    task_id: str,
    fn: object,
    *,
    timeout: float | None = None,
    use_signal: bool | None = None,
    seed: int | None = None,
    limit_here: bool = True,
) -> Result:
    """Check the learner's `fn` for `task_id` on fresh inputs; never raises; records the Result.

    `seed` replays the inputs of an earlier Result (its `.seed`); by default they are new.
    `limit_here=False` leaves the time limit to `fn` itself: the batch grader's `fn` runs the
    learner's function in another process, which stops it and raises CheckTimeout.
    """
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        message = say("grading.core.bad_seed", seed=repr(seed))
        return Result(str(task_id), "", False, message, "", 0, 0)
    seed = fresh_seed() if seed is None else seed
    start = time.perf_counter()
    known = TASKS.get(task_id)
    if known is None:
        names = ", ".join(TASKS) or say("grading.core.no_tasks")
        message = say("grading.core.no_task", task=repr(task_id), names=names)
        return Result(task_id, "", False, message, "", 0, 0)
    hint = known.hint
    seconds = DEFAULT_TIMEOUT if timeout is None else timeout
    try:
        if not callable(fn):
            raise Mistake(say("grading.core.not_a_function", kind=type(fn).__name__))
        # Checks run with JAX's default broadcasting, as a learner's notebook does, even when a
        # test suite has made rank promotion strict.
        with no_input(), jax.numpy_rank_promotion("allow"):
            limit = time_limit(seconds, use_signal=use_signal) if limit_here else None
            with limit or contextlib.nullcontext():
                known.checker(fn, np.random.default_rng(seed))
        passed, message = True, say("grading.core.passed")
    except Mistake as mistake:
        passed, message = False, mistake.message
        hint = mistake.hint or hint
    except CheckTimeout:
        passed = False
        message = say("grading.core.timeout", seconds=f"{seconds:g}")
    except KeyboardInterrupt:
        passed, message = False, say("grading.core.interrupted")
    except Exception as error:  # a bug in the checker: the learner's exceptions became Mistakes
        passed = False
        message = say("grading.core.checker_bug", error=f"{type(error).__name__}: {error}")
    except BaseException as error:  # SystemExit from exit() in the learner's function
        passed = False
        message = say("grading.core.exit", error=type(error).__name__)
    result = Result(task_id, known.lesson, passed, message, hint, seed, time.perf_counter() - start)
    RESULTS.pop(task_id, None)  # re-insert, so the latest check is last
    RESULTS[task_id] = result
    return result


@dataclass(frozen=True)
class Score:
    """How many tasks of a lesson passed in this session."""

    lesson: str
    results: dict[str, Result | None]  # task id -> latest Result, None if never checked

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results.values() if r is not None and r.passed)

    @property
    def total(self) -> int:
        return len(self.results)


def lesson_score(lesson: str) -> Score:
    """The Score of `lesson` from the checks run so far in this session."""
    return Score(lesson, {t: RESULTS.get(t) for t in lesson_tasks(lesson)})
