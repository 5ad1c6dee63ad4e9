"""Checking a learner's function that lives in another process (the batch grader's kernel).

The checker runs in the grader, exactly as in a notebook, but its `fn` is a `RemoteFunction`:
calling it sends the arguments to the kernel, which calls the learner's function by name and
sends back plain data (see wire.py). What the learner's exception was, whether it ran out of
time, and whether it called llmlab's own answer to the task come back as plain facts too. So
the pass/fail decision is made in the grader, where the learner's code never runs.
"""

from __future__ import annotations

import re
import time
import zlib

from llmlab.grading import wire
from llmlab.grading.core import TASKS, CheckTimeout, Mistake, run_check
from llmlab.grading.sandbox import Kernel, KernelGone
from llmlab.i18n import say

GRACE = 5.0  # seconds the grader waits past a check's limit before it kills a kernel


class Session:
    """The kernel of one notebook while its tasks are checked."""

    def __init__(
        self, kernel: Kernel, notebook_deadline: float, notebook_seconds: float,
        seed: int | None = None,
    ):  # fmt: skip
        self.kernel, self.seed = kernel, seed
        self.notebook_deadline, self.notebook_seconds = notebook_deadline, notebook_seconds
        self.gone: str | None = None  # why the kernel can no longer be used
        self.budget, self.spent, self.called = 0.0, 0.0, set()

    def check(self, task_id: str, seconds: float) -> dict:
        """Check `task_id` against the learner's function of that name: the grader's verdict."""
        task = TASKS[task_id]
        # The time limit counts the learner's function only: the checker's own work in this
        # process (llmlab's answer, compiling it) must not eat it on a busy machine.
        self.budget, self.spent, self.called = seconds, 0.0, set()
        # With a run's seed, each task draws from its own seed derived from it: the same inputs
        # on every run, different ones for different tasks.
        seed = None if self.seed is None else zlib.crc32(f"{self.seed}/{task_id}".encode())
        result = run_check(
            task_id, RemoteFunction(self, task.function, task.function), timeout=seconds,
            limit_here=False, seed=seed,
        )  # fmt: skip
        entry = {"passed": result.passed, "message": result.message}
        used = sorted(self.called & set(task.references))
        if used:
            entry["flag"] = say("grader.flag", names=", ".join(used))
        return entry

    def call(self, target: str | int, args: tuple, kwargs: dict):
        if self.gone:
            raise Mistake(say("grader.not_checked", reason=self.gone))
        remaining = self.budget - self.spent
        if remaining <= 0:
            raise CheckTimeout
        request = {"call": target, "args": list(args), "kwargs": kwargs, "seconds": remaining}
        start = time.monotonic()
        deadline = min(start + remaining + GRACE, self.notebook_deadline)
        try:
            reply = self.kernel.request(request, deadline)
            self.spent += time.monotonic() - start
        except TimeoutError:
            self.kernel.stop()
            if time.monotonic() >= self.notebook_deadline:
                self.gone = say("grader.notebook_timeout", seconds=f"{self.notebook_seconds:g}")
                raise Mistake(say("grader.not_checked", reason=self.gone)) from None
            self.gone = say("grader.kernel_stopped")
            raise CheckTimeout from None
        except KernelGone as error:
            self.gone = say("grader.gone_while_checked", error=error)
            raise Mistake(say("grader.gone_while_ran", error=error)) from None
        self.called.update(str(name) for name in reply.get("called", []))
        return self.answer(reply)

    def answer(self, reply: dict):
        """The learner's return value, or the exception it raised, from the kernel's reply."""
        if "value" in reply:
            try:
                return wire.from_plain(
                    reply["value"], lambda i, name: RemoteFunction(self, i, name)
                )
            except Exception as error:
                raise Mistake(say("grader.unreadable_value", error=error)) from None
        if reply.get("timeout"):
            raise CheckTimeout
        if "missing" in reply:
            raise Mistake(say("grader.missing", name=reply["missing"], kind=reply.get("type", "?")))
        if "unreadable" in reply:
            raise Mistake(say("grader.unreadable_type", kind=reply["unreadable"]))
        if "raised" in reply:
            name = re.sub(r"\W", "_", str(reply["raised"]))[:80] or "Exception"
            message = str(reply.get("message", ""))[:300]
            if reply.get("not_implemented"):
                raise NotImplementedError(message)
            if reply.get("mistake"):
                raise Mistake(message)
            if name in ("SystemExit", "KeyboardInterrupt"):
                raise {"SystemExit": SystemExit, "KeyboardInterrupt": KeyboardInterrupt}[name]
            raise type(name, (BaseException if reply.get("base") else Exception,), {})(message)
        raise Mistake(say("grader.unknown_reply"))


class RemoteFunction:
    """Stands in, in the grader, for a function that lives in the learner's kernel."""

    def __init__(self, session: Session, target: str | int, name: str):
        self.session, self.target, self.__name__ = session, target, name

    def __call__(self, *args, **kwargs):
        return self.session.call(self.target, args, kwargs)

    def __repr__(self) -> str:
        return f"<the learner's {self.__name__}>"
