"""Which tasks a learner has passed, across the whole course, kept in one small local file.

    llmlab.progress()          # a table: every exercise, each task done or not, and when

Every check that passes in a notebook (`llmlab.grading.check`) records its lesson and task with
the time of its first pass in `progress.json`, in the user's data folder: `$LLMLAB_HOME` if set,
else `$XDG_DATA_HOME/llmlab` or `~/.local/share/llmlab` (Linux, Colab),
`~/Library/Application Support/llmlab` (macOS), `%APPDATA%\\llmlab` (Windows). No account and no
network. Only passes are written, so a later failure never erases one.

The file must never cost a learner a check: a write goes to a temporary file that then replaces
the old one (`os.replace`), so a crash mid-write leaves the old file whole; a file that cannot be
read is kept aside as `progress.json.bad` and recording starts afresh; a folder that cannot be
written gives one warning. `LLMLAB_PROGRESS=off` switches recording off (the batch grader's
kernels run with it).
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import sys
import tempfile
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from llmlab.i18n import say

FILE_NAME = "progress.json"
FORMAT = 1  # the layout: {"format": 1, "passed": {lesson: {task: ISO time of the first pass}}}
OFF = ("off", "0", "false", "no")  # values of LLMLAB_PROGRESS that switch recording off
_WARNED: set[tuple[str, str]] = set()  # (kind, path): each problem is told once per session


class ProgressWarning(UserWarning):
    """The progress file could not be read or written; checks go on regardless."""


def data_folder() -> Path:
    """The folder that holds the progress file (see the module docstring for the order)."""
    if os.environ.get("LLMLAB_HOME"):
        return Path(os.environ["LLMLAB_HOME"]).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming") / "llmlab"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "llmlab"
    xdg = os.environ.get("XDG_DATA_HOME", "")
    # The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
    return (Path(xdg) if os.path.isabs(xdg) else home / ".local" / "share") / "llmlab"


def progress_file() -> Path:
    """Where the passes are kept: `data_folder() / "progress.json"`."""
    return data_folder() / FILE_NAME


def recording() -> bool:
    """False where LLMLAB_PROGRESS is off, 0, false or no (as in the batch grader's kernels)."""
    return os.environ.get("LLMLAB_PROGRESS", "on").strip().lower() not in OFF


def _warn_once(kind: str, where: Path, sentence: str) -> None:
    if (kind, str(where)) not in _WARNED:
        _WARNED.add((kind, str(where)))
        warnings.warn(sentence, ProgressWarning, stacklevel=3)


def _valid(data: object) -> dict[str, dict[str, str]]:
    """The passes of a parsed file; ValueError when it is not the layout this module writes."""
    passed = data.get("passed") if isinstance(data, dict) else None
    if not isinstance(passed, dict) or not all(
        isinstance(lesson, str)
        and isinstance(tasks, dict)
        and all(isinstance(t, str) and isinstance(when, str) for t, when in tasks.items())
        for lesson, tasks in passed.items()
    ):
        raise ValueError(say("progress.reason_layout"))
    return passed


def _set_aside(path: Path, reason: str) -> bool:
    """Move an unreadable file to the first free `progress.json.bad[N]`; warn either way."""
    kept = path.with_name(path.name + ".bad")
    number = 1
    while kept.exists() or kept.is_symlink():
        number += 1
        kept = path.with_name(f"{path.name}.bad{number}")
    try:
        os.replace(path, kept)
    except OSError as error:
        sentence = say("progress.stuck", path=path, reason=reason, error=_describe(error))
        _warn_once("stuck", path, sentence)
        return False
    _warn_once("corrupt", kept, say("progress.corrupt", path=path, reason=reason, kept=kept))
    return True


def _describe(error: OSError) -> str:
    return f"{type(error).__name__}: {error.strerror or error}"


def _load(path: Path) -> dict[str, dict[str, str]] | None:
    """The passes in `path` ({} when there is none yet); None when a bad file is still there."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:  # no permission, a folder in its place, ...
        if not os.path.lexists(path):  # no file yet (or a file where its folder should be)
            return {}
        reason = _describe(error)
    except ValueError as error:  # not JSON, or bytes that are not UTF-8
        reason = say("progress.reason_json", detail=error)
    else:
        try:
            return _valid(data)
        except ValueError as error:
            reason = str(error)
    return {} if _set_aside(path, reason) else None


def _save(path: Path, passed: dict[str, dict[str, str]]) -> None:
    """Write atomically: a temporary file in the same folder, then os.replace over the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".progress-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"format": FORMAT, "passed": passed}, stream, ensure_ascii=False, indent=1)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def passes() -> dict[str, dict[str, str]]:
    """Every recorded pass: {lesson: {task id: ISO 8601 UTC time of its first pass}}."""
    return _load(progress_file()) or {}


def record(lesson: str, task: str) -> bool:
    """Remember that `task` of `lesson` passed, keeping the time of its first pass.

    Returns True when the pass is in the file, False when recording is off or the file could
    not be read or written (a ProgressWarning then says why, once). Never raises OSError.

    Example: record("03_sampling", "stable_softmax") -> True
    """
    if not isinstance(lesson, str) or not isinstance(task, str) or not lesson or not task:
        raise TypeError(
            f"record expects a lesson and a task name (non-empty str), got {lesson!r} and {task!r}"
        )
    if not recording():
        return False
    path = progress_file()
    passed = _load(path)
    if passed is None:
        return False
    if task in passed.get(lesson, {}):
        return True  # already passed once: the first time stays
    now = datetime.now(UTC).isoformat(timespec="seconds")
    passed.setdefault(lesson, {})[task] = now
    try:
        _save(path, passed)
    except OSError as error:
        sentence = say("progress.unwritable", folder=path.parent, error=_describe(error))
        _warn_once("unwritable", path.parent, sentence)
        return False
    return True


def record_result(result) -> None:
    """Record a passed check (a grading `Result`); never raises, so it cannot fail a check."""
    if not getattr(result, "passed", False) or not getattr(result, "lesson", ""):
        return
    try:
        record(result.lesson, result.task)
    except Exception as error:  # a bug here must not cost the learner a check
        _warn_once("failed", Path(type(error).__name__), say("progress.failed", error=error))


@dataclass(frozen=True)
class Progress:
    """The course at a glance: every exercise's tasks, each with the time of its first pass.

    `exercises` maps each lesson (e.g. "03_sampling") to its tasks in order, as
    (task id, title, first pass as ISO time or None). Shows as a table in Jupyter, as text
    elsewhere; `on` is False where recording is switched off.
    """

    exercises: dict[str, list[tuple[str, str, str | None]]]
    path: Path
    on: bool = True

    @property
    def done(self) -> int:
        return sum(when is not None for tasks in self.exercises.values() for *_, when in tasks)

    @property
    def total(self) -> int:
        return sum(len(tasks) for tasks in self.exercises.values())

    def _lines(self):
        """(lesson, "done/total", task, title, mark, when) for each task, in course order."""
        for lesson, tasks in self.exercises.items():
            count = f"{sum(when is not None for *_, when in tasks)}/{len(tasks)}"
            for task, title, when in tasks:
                mark, at = ("✅", _local(when)) if when else ("⬜", say("progress.not_yet"))
                yield lesson, count, task, title, mark, at

    def _footer(self) -> str:
        off = "" if self.on else " " + say("progress.off", value=os.environ.get("LLMLAB_PROGRESS"))
        return say("progress.where", path=self.path) + off

    def __repr__(self) -> str:
        lines, previous = [say("progress.heading", done=self.done, total=self.total)], None
        for lesson, count, task, title, mark, at in self._lines():
            if lesson != previous:
                lines.append(f"{lesson}  {count}")
                previous = lesson
            lines.append(f"  {mark} {task:<22} {title:<40} {at}")
        return "\n".join([*lines, self._footer()])

    def _repr_html_(self) -> str:
        e, left = html.escape, ' style="text-align:left"'  # Jupyter right-aligns table cells
        keys = ("progress.exercise", "progress.task", "progress.done", "progress.first_passed")
        rows, previous = [], None
        for lesson, count, task, title, mark, at in self._lines():
            first = ""
            if lesson != previous:
                span = len(self.exercises[lesson])
                first = f'<td rowspan="{span}"{left}><b>{e(lesson)}</b><br>{count}</td>'
                previous = lesson
            rows.append(
                f"<tr>{first}<td{left}><code>{e(task)}</code> {e(title)}</td>"
                f"<td>{mark}</td><td{left}>{e(at)}</td></tr>"
            )
        heading = say("progress.heading", done=self.done, total=self.total)
        return (
            f"<table><caption{left}><b>{e(heading)}</b></caption><thead><tr>"
            + "".join(f"<th{left}>{e(say(key))}</th>" for key in keys)
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p><small>{e(self._footer())}</small></p>"
        )


def _local(when: str) -> str:
    """An ISO time from the file in the learner's local time; a hand-edited one as it is."""
    try:
        return datetime.fromisoformat(when).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, OverflowError, OSError):
        return when


def progress() -> Progress:
    """Every exercise of the course (from the grading registry), each task done or not.

    In Jupyter the result shows as a table; `print(llmlab.progress())` gives text.
    """
    from llmlab.grading import TASKS  # importing llmlab.grading registers every lesson's tasks

    passed = passes()
    exercises: dict[str, list[tuple[str, str, str | None]]] = {}
    for lesson in sorted({t.lesson for t in TASKS.values()}):
        done = passed.get(lesson, {})
        exercises[lesson] = [
            (t.id, t.title, done.get(t.id)) for t in TASKS.values() if t.lesson == lesson
        ]
    return Progress(exercises, progress_file(), recording())
