"""Where the batch grader runs a learner's notebook: a kernel process kept away from the grader.

Every kernel gets its own scratch folder (its HOME and working folder) holding only its copy of
the notebook, its own session and process group, resource limits (CPU seconds, file size,
memory, and processes where it has a user of its own) and an output file of its own, so nothing
it prints reaches the grader's output. How far it is kept away depends on the machine
(`isolation()`):
- "user" (the grader runs as root): the kernel runs as a fresh numeric uid that owns nothing,
  so it cannot write the submissions, signal or trace the grader, or touch another kernel; at
  the end every process of that uid is killed. Where the Python install is only readable by
  root (as under /root), the kernel keeps CAP_DAC_READ_SEARCH to import it: it can then read
  any file, still write none.
- "namespace" (a normal user where `unshare --user --pid` works): the kernel runs in new user
  and pid namespaces, where the grader's pid does not exist; all of it dies with the namespace.
  It still has the user's file rights.
- "session" (anything else): own session and limits only. The grader is made undumpable (so
  /proc/<grader>/fd cannot be opened) and the reaper of orphaned processes, which it kills.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from llmlab.grading import wire
from llmlab.i18n import say

ROOT = Path(__file__).resolve().parents[2]  # the folder that holds the llmlab package
PASS_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "LD_LIBRARY_PATH", "CUDA_VISIBLE_DEVICES")
ACTIVE: set[int] = set()  # pids of the kernels (or their launchers) now running
LOCK = threading.Lock()  # a kernel being started is in ACTIVE before any sweep looks
REAPER = [False]  # whether protect_grader made us the reaper of orphans


def protect_grader() -> None:
    """Make this process undumpable and the reaper of its orphaned descendants (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None)
        libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0: same-uid processes cannot open /proc/<us>
        if libc.prctl(36, 1, 0, 0, 0) == 0:  # PR_SET_CHILD_SUBREAPER: orphans become ours
            REAPER[0] = True


def _works(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _probe() -> list[str]:
    """A command that works where the kernel's user can read Python, numpy and llmlab."""
    kernel = str(ROOT / "llmlab" / "grading" / "kernel.py")
    return [sys.executable, "-c", f"import numpy; open({kernel!r}).read()"]


def setpriv(uid: int, read_all: bool) -> list[str]:
    command = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
    if read_all:
        command += ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
    return command


def isolation(wanted: str = "auto") -> tuple[str, bool]:
    """The isolation this machine gives ("user", "namespace" or "session") and, for "user",
    whether the kernel needs CAP_DAC_READ_SEARCH to read the Python install."""
    if wanted in ("auto", "user") and os.geteuid() == 0 and shutil.which("setpriv"):
        uid = 1_000_000_000 + secrets.randbelow(1_000_000_000)
        if _works(setpriv(uid, False) + _probe()):
            return "user", False
        if _works(setpriv(uid, True) + _probe()):
            return "user", True
    if wanted in ("auto", "namespace") and shutil.which("unshare"):
        if _works(["unshare", "--user", "--pid", "--fork", "--kill-child", "true"]):
            return "namespace", False
    if wanted not in ("auto", "session"):
        raise RuntimeError(f"isolation {wanted!r} is not available on this machine")
    return "session", False


class KernelGone(Exception):
    """The kernel died, ran out of time or answered nonsense; the message says which."""


class Kernel:
    """One learner's kernel in its scratch folder; `request` sends a message and waits."""

    def __init__(
        self, mode: str, read_all: bool, limits: dict, references: list[str], language: str = "en"
    ):
        self.mode, self.read_all, self.limits = mode, read_all, dict(limits)
        self.language = language  # the kernel's llmlab speaks it (LLMLAB_LANGUAGE)
        self.scratch = Path(tempfile.mkdtemp(prefix="llmlab-grade-"))
        self.uid = 1_000_000_000 + secrets.randbelow(1_000_000_000) if mode == "user" else None
        self.references = references
        self.process: subprocess.Popen | None = None
        self.inbox = self.outbox = -1

    def start(self, notebook: bytes, deadline: float) -> None:
        (self.scratch / "notebook.ipynb").write_bytes(notebook)
        launcher: list[str] = []
        if self.mode == "user":
            launcher = setpriv(self.uid, self.read_all)
            for path in [self.scratch, *self.scratch.iterdir()]:
                os.chown(path, self.uid, self.uid)
        elif self.mode == "namespace":
            launcher = ["unshare", "--user", "--pid", "--fork", "--kill-child"]
        if self.mode != "user":
            self.limits.pop("nproc", None)  # it would count every process of this user
        kernel_reads, self.inbox = os.pipe()
        self.outbox, kernel_writes = os.pipe()
        env = {k: os.environ[k] for k in PASS_ENV if k in os.environ}
        env.update({k: v for k, v in os.environ.items() if k.startswith(("JAX_", "XLA_"))})
        home = str(self.scratch)
        python_path = os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH")] if p)
        env.update(
            HOME=home, TMPDIR=home, USER="learner", LOGNAME="learner", PYTHONPATH=python_path,
            MPLBACKEND="Agg", MPLCONFIGDIR=home, XDG_CACHE_HOME=home, PYTHONUNBUFFERED="1",
            LLMLAB_PROGRESS="off",  # a graded run is not the learner's own progress
            LLMLAB_LANGUAGE=self.language,
        )  # fmt: skip
        env.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
        kernel_fds = (kernel_reads, kernel_writes)
        with open(self.scratch / "output.txt", "wb") as output, LOCK:
            self.process = subprocess.Popen(
                [*launcher, sys.executable, "-m", "llmlab.grading.kernel", *map(str, kernel_fds)],
                cwd=self.scratch,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                pass_fds=kernel_fds,
                start_new_session=True,
            )
            ACTIVE.add(self.process.pid)
        for fd in kernel_fds:
            os.close(fd)
        setup = {"limits": self.limits, "references": self.references}
        reply = self.request(setup, deadline)
        if not reply.get("ready"):
            raise KernelGone(say("grader.kernel_no_start"))

    def request(self, message: dict, deadline: float) -> dict:
        """Send `message`, wait for the reply until `deadline`; KernelGone or TimeoutError."""
        try:
            wire.write_frame(self.inbox, pickle.dumps(message, protocol=5), deadline)
            data = wire.read_frame(self.outbox, deadline)
        except wire.Closed:
            raise KernelGone(say("grader.kernel_died")) from None
        try:
            return wire.loads(data)
        except (ValueError, RecursionError, MemoryError):  # e.g. JSON nested 100000 deep
            raise KernelGone(say("grader.kernel_format")) from None

    def stop(self) -> None:
        """Kill the kernel and everything it started; remove its scratch folder."""
        for fd in (self.inbox, self.outbox):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.inbox = self.outbox = -1  # never close a number another thread may reuse
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            self.process.wait()
            with LOCK:
                ACTIVE.discard(self.process.pid)
            self.process = None
        if self.uid is not None:
            kill_uid(self.uid)
        sweep_orphans()
        shutil.rmtree(self.scratch, ignore_errors=True)


def _processes(zombies: bool = False) -> list[tuple[int, int, int]]:
    """(pid, real uid, parent pid) of every living process this machine shows."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = dict(
                    line.split(":", 1)
                    for line in Path(f"/proc/{entry}/status").read_text().splitlines()
                )
                if zombies or not fields["State"].strip().startswith("Z"):  # dead already
                    found.append((int(entry), int(fields["Uid"].split()[0]), int(fields["PPid"])))
    return found


def kill_uid(uid: int) -> None:
    """SIGKILL every process of `uid` until none is left (a fork loop is outrun)."""
    for _ in range(50):
        pids = [pid for pid, owner, _ in _processes() if owner == uid]
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.02)
        _reap()


def sweep_orphans() -> None:
    """Kill processes that escaped a kernel's group and were handed to us as their reaper."""
    if not REAPER[0]:
        return
    with LOCK:
        me = os.getpid()
        for pid, _, parent in _processes():
            if parent == me and pid not in ACTIVE:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    _reap()


def _reap() -> None:
    """Collect adopted orphans that have died (never the kernels subprocess waits for)."""
    if not REAPER[0]:
        return
    with LOCK:
        me = os.getpid()
        for pid, _, parent in _processes(zombies=True):
            if parent == me and pid not in ACTIVE:
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(pid, os.WNOHANG)
