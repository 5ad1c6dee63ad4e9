"""The batch grader's kernel: runs one learner's notebook and calls its functions on request.

    python -m llmlab.grading.kernel IN_FD OUT_FD     (started by llmlab/grading/sandbox.py)

It reads pickled requests from IN_FD and answers with JSON frames on OUT_FD (see wire.py):
- {"limits": {...}, "references": [...]}: set resource limits and wrap llmlab's reference
  answers, before any learner code runs;
- {"cell": source}: run one code cell in an IPython shell (errors are shown and ignored, as
  in a notebook run with allow_errors);
- {"call": name or handle, "args": [...], "kwargs": {...}, "seconds": s}: call the learner's
  function under the time limit and send back its return value as plain data.
The kernel decides nothing: the grader's checkers judge the plain data it sends back. Inside
this process `check()` and `score()` do nothing, as their results would not count.
"""

from __future__ import annotations

import ctypes
import functools
import importlib
import os
import pickle
import resource
import signal
import sys

from llmlab.grading import wire

LIMITS = {
    "cpu": resource.RLIMIT_CPU,
    "fsize": resource.RLIMIT_FSIZE,
    "nproc": resource.RLIMIT_NPROC,
    "data": resource.RLIMIT_DATA,
    "core": resource.RLIMIT_CORE,
}
CALLED: set[str] = set()  # the reference answers called during the current request


def set_limits(limits: dict) -> None:
    for name, value in limits.items():
        resource.setrlimit(LIMITS[name], (int(value), int(value)))
    try:  # die with the grader
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def wrap_references(names: list[str]) -> None:
    """Record calls of llmlab's own answers (e.g. llmlab.sampling.softmax) in CALLED."""
    for dotted in names:
        module_name, attr = dotted.rsplit(".", 1)
        try:
            original = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError):  # a renamed reference: nothing to flag
            continue

        def spy(*args, __name=dotted, __original=original, **kwargs):
            CALLED.add(__name)
            return __original(*args, **kwargs)

        functools.update_wrapper(spy, original)
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("llmlab"):
                for key, value in list(vars(module).items()):
                    if value is original:
                        setattr(module, key, spy)


class Cells:
    """Runs cells as a notebook does: IPython syntax, display() prints, errors are shown."""

    def __init__(self) -> None:
        try:
            from IPython.core.interactiveshell import InteractiveShell

            self.shell = InteractiveShell.instance()
            self.namespace = self.shell.user_ns
        except ImportError:  # plain Python: magics are then errors, like any bad line
            self.shell, self.namespace = None, {"__name__": "__main__"}

    def run(self, source: str) -> bool:
        if self.shell is not None:
            result = self.shell.run_cell(source, store_history=False)
            return bool(result.success)
        try:
            exec(compile(source, "<cell>", "exec"), self.namespace)
        except Exception:
            import traceback

            traceback.print_exc()
            return False
        return True


def call(cells: Cells, handles: dict, request: dict) -> dict:
    """Call the learner's function named in `request`; the reply as plain data."""
    import jax

    from llmlab.grading.core import CheckTimeout, Mistake, no_input, time_limit

    target = request["call"]
    fn = handles.get(target) if isinstance(target, int) else cells.namespace.get(target)
    if not callable(fn):
        return {"missing": str(target), "type": type(fn).__name__}
    CALLED.clear()
    try:
        with time_limit(float(request["seconds"]), use_signal=True):
            with no_input(), jax.numpy_rank_promotion("allow"):
                value = fn(*request["args"], **request["kwargs"])
                return {"value": wire.to_plain(value, handles), "called": sorted(CALLED)}
    except CheckTimeout:
        return {"timeout": True}
    except wire.Unreadable as error:
        return {"unreadable": str(error)[:200], "called": sorted(CALLED)}
    except BaseException as error:
        kind = type(error)
        try:
            text = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
        except BaseException:
            text = ""
        return {
            "raised": kind.__name__[:80],
            "message": text,
            "not_implemented": isinstance(error, NotImplementedError),
            "mistake": isinstance(error, Mistake),
            "base": not isinstance(error, Exception),
            "called": sorted(CALLED),
        }


def main(argv: list[str]) -> None:
    inbox, outbox = int(argv[0]), int(argv[1])
    setup = pickle.loads(wire.read_frame(inbox))
    set_limits(setup["limits"])
    import llmlab.grading

    llmlab.grading.check = lambda *args, **kwargs: None  # results from here would not count
    llmlab.grading.score = lambda *args, **kwargs: None
    wrap_references(setup["references"])
    cells, handles = Cells(), {}
    wire.write_frame(outbox, wire.dumps({"ready": True}))
    while True:
        request = pickle.loads(wire.read_frame(inbox))
        if "cell" in request:
            reply = {"ok": cells.run(request["cell"])}
        elif "call" in request:
            reply = call(cells, handles, request)
        else:
            os._exit(0)
        try:
            data = wire.dumps(reply)
        except (TypeError, ValueError) as error:
            data = wire.dumps({"unreadable": f"an answer JSON cannot hold ({error})"})
        wire.write_frame(outbox, data)


if __name__ == "__main__":
    main(sys.argv[1:])
