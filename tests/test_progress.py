"""llmlab.progress: every passed check is remembered in one local file, shown across the course.

Each test points LLMLAB_HOME at its own tmp_path (tests/conftest.py already keeps the whole
session away from the real ~/.local/share/llmlab).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import warnings
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import nbformat
import pytest

import llmlab
from llmlab import i18n
from llmlab.grading import RESULTS, TASKS, check, lesson_tasks
from llmlab.grading.core import task
from llmlab.progress import ProgressWarning, passes, progress_file, record

# `llmlab.progress` is the function (exported for notebooks); the module is this one.
store = importlib.import_module("llmlab.progress")
ROOT = Path(__file__).resolve().parent.parent


def right(only_a, only_b, both, neither):
    return Fraction(both, both + only_b)


def wrong(only_a, only_b, both, neither):
    return Fraction(both, both + only_a)


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """A fresh data folder, recording on, English, and no warning remembered from before."""
    monkeypatch.setenv("LLMLAB_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("LLMLAB_PROGRESS", raising=False)
    monkeypatch.setattr(store, "_WARNED", set())
    yield tmp_path / "data"
    i18n.set_language("en")


def progress_warnings(action) -> list[str]:
    """The ProgressWarning sentences raised while `action()` runs."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action()
    return [str(w.message) for w in caught if issubclass(w.category, ProgressWarning)]


class Clock:
    """Stands in for datetime in llmlab.progress: now() returns the times it is given."""

    def __init__(self, *times: str):
        self.times = [datetime.fromisoformat(t) for t in times]

    def now(self, tz=None):
        return self.times.pop(0)

    fromisoformat = staticmethod(datetime.fromisoformat)


def test_a_passing_check_is_recorded_with_its_time_and_shown(home, capsys):
    before = datetime.now(UTC).replace(microsecond=0)
    check("p_a_given_b", right)
    assert "✅" in capsys.readouterr().out
    assert progress_file() == home / "progress.json"
    when = datetime.fromisoformat(passes()["01_probability"]["p_a_given_b"])
    assert before <= when <= datetime.now(UTC), "the pass is stored with the time it happened"
    view = llmlab.progress()
    assert view.done == 1, "one task passed, so the view counts one"
    text = repr(view)
    assert "✅ p_a_given_b" in text and "01_probability  1/3" in text, text
    assert "⬜ count_bigrams" in text, "a task never checked shows as not done"
    html = view._repr_html_()
    assert "<table" in html and "✅" in html and "p_a_given_b" in html


def test_a_failing_check_is_not_recorded(home, capsys):
    check("p_a_given_b", wrong)
    assert "❌" in capsys.readouterr().out
    assert RESULTS["p_a_given_b"].passed is False
    assert not (home / "progress.json").exists(), "a failure must not create a progress file"
    assert llmlab.progress().done == 0


def test_a_pass_then_a_fail_stays_passed_with_the_time_of_the_first_pass(monkeypatch):
    monkeypatch.setattr(store, "datetime", Clock("2026-01-02T03:04:05+00:00", "2027-01-01"))
    check("p_a_given_b", right)
    check("p_a_given_b", wrong)
    assert RESULTS["p_a_given_b"].passed is False, "the latest check did fail"
    check("p_a_given_b", right)
    assert passes() == {"01_probability": {"p_a_given_b": "2026-01-02T03:04:05+00:00"}}, (
        "a later failure must not erase a pass, and a later pass must keep the first time"
    )
    first = datetime.fromisoformat("2026-01-02T03:04:05+00:00").astimezone()
    assert first.strftime("%Y-%m-%d %H:%M") in repr(llmlab.progress()), "the view says when"


def test_the_view_lists_every_exercise_and_task_of_the_registry():
    view = llmlab.progress()
    lessons = sorted({t.lesson for t in TASKS.values()})
    assert list(view.exercises) == lessons
    assert [lesson[:2] for lesson in lessons] == [f"{n:02d}" for n in range(1, 14)]
    for lesson, tasks in view.exercises.items():
        assert [row[0] for row in tasks] == lesson_tasks(lesson), f"{lesson}: every task, in order"
        assert [row[1] for row in tasks] == [TASKS[t].title for t in lesson_tasks(lesson)]
    assert view.total == len(TASKS) and view.done == 0
    text, html = repr(view), view._repr_html_()
    assert all(t in text and t in html for t in TASKS), "every task id appears in both views"
    assert html.count("rowspan=") == len(lessons), "one exercise cell per exercise"


def test_a_new_exercise_appears_in_the_view_by_itself(monkeypatch):
    from llmlab.messages import CATALOGUE

    # a task's title and hint live in the catalogue: add them for this test only
    monkeypatch.setitem(CATALOGUE, "task.extra_task.title", {"en": "An extra task", "zh": "附加题"})
    monkeypatch.setitem(CATALOGUE, "task.extra_task.hint", {"en": "none", "zh": "无"})
    try:
        task("99_extra", "extra_task")(lambda fn, rng: None)
        assert record("99_extra", "extra_task")
        view = llmlab.progress()
    finally:
        TASKS.pop("extra_task", None)  # registered for this test only
    assert list(view.exercises)[-1] == "99_extra", "a newly registered exercise comes last"
    assert view.exercises["99_extra"][0][:2] == ("extra_task", "An extra task")
    assert view.exercises["99_extra"][0][2] is not None, "and its recorded pass shows"


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b"[1, 2]", b'{"passed": {"01_probability": 3}}', b"\xff\xfe\x00"],
    ids=["broken JSON", "empty", "a list", "wrong layout", "not UTF-8"],
)
def test_a_bad_file_warns_once_is_kept_aside_and_recording_starts_afresh(home, content):
    home.mkdir()
    (home / "progress.json").write_bytes(content)
    said = progress_warnings(lambda: llmlab.progress())
    assert len(said) == 1, f"one warning sentence, got {said}"
    kept = home / "progress.json.bad"
    assert str(home / "progress.json") in said[0] and str(kept) in said[0], said[0]
    assert "afresh" in said[0], said[0]
    assert kept.read_bytes() == content, "the old file is kept as it was"
    assert progress_warnings(lambda: record("02_tokens", "utf8_bytes")) == []
    assert list(passes()) == ["02_tokens"], "recording starts afresh"


def test_an_unreadable_file_is_moved_aside_without_overwriting_an_earlier_bad_one(home):
    home.mkdir()
    (home / "progress.json.bad").write_text("older")
    (home / "progress.json").mkdir()  # a folder where the file should be: it cannot be read
    said = progress_warnings(lambda: record("02_tokens", "utf8_bytes"))
    assert len(said) == 1 and "IsADirectoryError" in said[0], said
    assert (home / "progress.json.bad2").is_dir(), "kept under the next free name"
    assert (home / "progress.json.bad").read_text() == "older", "an earlier .bad is untouched"
    assert list(passes()) == ["02_tokens"]


def test_an_unwritable_folder_gives_one_warning_and_the_check_still_passes(
    tmp_path, monkeypatch, capsys
):
    (tmp_path / "a file").write_text("in the way")
    monkeypatch.setenv("LLMLAB_HOME", str(tmp_path / "a file" / "llmlab"))  # cannot be a folder

    def check_twice():
        check("p_a_given_b", right)
        check("count_bigrams", lambda tokens, vocab_size: None)
        check("p_a_given_b", right)

    said = progress_warnings(check_twice)
    assert len(said) == 1, f"the same problem is told once, got {said}"
    assert "could not be saved" in said[0] and "checks still work" in said[0], said[0]
    assert RESULTS["p_a_given_b"].passed, "the check passes whatever happens to the file"
    assert capsys.readouterr().out.count("✅ p_a_given_b") == 2


def test_a_bug_in_recording_cannot_fail_a_check(monkeypatch, capsys):
    def broken(lesson, name):
        raise RuntimeError("boom")

    monkeypatch.setattr(store, "record", broken)
    said = progress_warnings(lambda: check("p_a_given_b", right))
    assert RESULTS["p_a_given_b"].passed and "✅" in capsys.readouterr().out
    assert len(said) == 1 and "boom" in said[0], said


def test_a_write_that_breaks_midway_leaves_the_old_file_whole(home, monkeypatch):
    assert record("01_probability", "p_a_given_b")
    old = (home / "progress.json").read_bytes()

    def half_then_crash(data, stream, **kwargs):
        stream.write('{"format": 1, "pass')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.json, "dump", half_then_crash)
    said = progress_warnings(lambda: record("01_probability", "count_bigrams"))
    assert len(said) == 1 and "No space left" in said[0], said
    assert (home / "progress.json").read_bytes() == old, "the old file must survive a failed write"
    assert sorted(p.name for p in home.iterdir()) == ["progress.json"], "no temporary file left"


def test_the_chinese_view_is_chinese():
    record("01_probability", "p_a_given_b")
    llmlab.set_language("zh")
    text, html = repr(llmlab.progress()), llmlab.progress()._repr_html_()
    for words in ("你在整门课程中的进度", "已完成 1 个", "尚未完成", "不需要账号"):
        assert words in text, f"{words!r} missing from\n{text}"
    for words in ("练习", "任务", "首次通过"):
        assert words in html
    assert "Exercise" not in html and "not yet" not in text, "no English sentence left"


def test_recording_can_be_switched_off(home, monkeypatch):
    monkeypatch.setenv("LLMLAB_PROGRESS", "off")
    assert record("01_probability", "p_a_given_b") is False
    check("p_a_given_b", right)
    assert not home.exists(), "nothing is written while recording is off"
    assert "LLMLAB_PROGRESS=off" in repr(llmlab.progress())


def test_record_refuses_a_task_that_is_not_a_name():
    with pytest.raises(TypeError, match=r"lesson and a task name.*got '01_probability' and 3"):
        record("01_probability", 3)


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {"LLMLAB_HOME": "/srv/mine"}, "/srv/mine"),
        ("linux", {"XDG_DATA_HOME": "/xdg"}, "/xdg/llmlab"),
        ("linux", {"XDG_DATA_HOME": "relative"}, "{home}/.local/share/llmlab"),
        ("linux", {}, "{home}/.local/share/llmlab"),
        ("darwin", {}, "{home}/Library/Application Support/llmlab"),
        ("win32", {"APPDATA": "/appdata"}, "/appdata/llmlab"),
        ("win32", {}, "{home}/AppData/Roaming/llmlab"),
    ],
)
def test_the_data_folder_follows_each_platforms_custom(
    monkeypatch, tmp_path, platform, env, expected
):
    for name in ("LLMLAB_HOME", "XDG_DATA_HOME", "APPDATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    monkeypatch.setattr(sys, "platform", platform)
    assert store.data_folder() == Path(expected.format(home=tmp_path))


@pytest.mark.slow
def test_the_batch_grader_records_nothing(tmp_path):
    """The grader's own process and the learner's kernel both leave every progress file alone."""
    nb = nbformat.read(ROOT / "exercises" / "solutions" / "01_probability.ipynb", as_version=4)
    define = next(i for i, c in enumerate(nb.cells) if "def p_a_given_b(" in c.source)
    # Inside the kernel, a recording that is on would swap in a wrong answer.
    spy = "from llmlab.progress import recording\nif recording():\n    p_a_given_b = len\n"
    nb.cells.insert(define + 1, nbformat.v4.new_code_cell(spy))
    notebook = tmp_path / "01_probability.ipynb"
    nbformat.write(nb, notebook)
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_DATA_HOME", "LLMLAB_PROGRESS")}
    env.update(LLMLAB_HOME=str(tmp_path / "grader-home"), HOME=str(tmp_path / "home"))
    out = subprocess.run(
        [sys.executable, "-m", "llmlab.grade", str(notebook), "--json", "--seed", "0"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=600,
    )  # fmt: skip
    tasks = json.loads(out.stdout)[str(notebook)]
    assert all(r["passed"] for r in tasks.values()), f"the solutions pass: {tasks}"
    written = [p for p in tmp_path.rglob("progress.json*")]
    assert written == [], f"the grader wrote {written}"
