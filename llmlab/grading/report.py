"""Show check results and scores in a notebook, and leave a marker the batch grader can read.

In a Jupyter kernel a result is one display_data output with three representations:
text/html (✅/❌, the sentence and a <details> hint), text/plain (the same in words, for
terminals and frontends without HTML) and `MIME_CHECK` (JSON that `python -m llmlab.grade`
parses from the executed notebook; frontends ignore a type they cannot render).
Outside a kernel the plain text is printed.
"""

from __future__ import annotations

import html

from llmlab.grading.core import TASKS, Result, Score
from llmlab.i18n import say

MIME_CHECK = "application/vnd.llmlab.check+json"
MIME_SCORE = "application/vnd.llmlab.score+json"


def result_text(result: Result) -> str:
    mark = "✅" if result.passed else "❌"
    text = f"{mark} {result.task}: {result.message}"
    if result.hint and not result.passed:
        text += "\n   " + say("grading.report.hint_line", hint=result.hint)
    return text


def result_html(result: Result) -> str:
    mark = "✅" if result.passed else "❌"
    colour = "#1a7f37" if result.passed else "#cf222e"
    parts = [
        f'<div style="border-left:4px solid {colour};padding:2px 8px;margin:4px 0">',
        f"{mark} <b>{html.escape(result.task)}</b>: {html.escape(result.message)}",
    ]
    if result.hint and not result.passed:
        summary = html.escape(say("grading.report.hint"))
        parts.append(
            f"<details><summary>{summary}</summary><p>{html.escape(result.hint)}</p></details>"
        )
    parts.append("</div>")
    return "".join(parts)


def score_text(score: Score) -> str:
    lines = [
        say("grading.report.score", lesson=score.lesson, passed=score.passed, total=score.total)
    ]
    for task_id, result in score.results.items():
        title = TASKS[task_id].title if task_id in TASKS else task_id
        if result is None:
            lines.append(say("grading.report.unchecked_line", title=title, task=task_id))
        else:
            mark = "✅" if result.passed else "❌"
            lines.append(say("grading.report.checked_line", mark=mark, title=title, task=task_id))
    return "\n".join(lines)


def score_html(score: Score) -> str:
    rows = []
    for task_id, result in score.results.items():
        title = TASKS[task_id].title if task_id in TASKS else task_id
        mark = "⬜" if result is None else ("✅" if result.passed else "❌")
        note = say("grading.report.unchecked") if result is None else result.message
        rows.append(
            f"<tr><td>{mark}</td><td>{html.escape(title)}</td>"
            f"<td style='text-align:left'>{html.escape(note)}</td></tr>"
        )
    lesson = html.escape(score.lesson)  # the catalogue's own sentence holds no markup
    head = say("grading.report.score", lesson=lesson, passed=score.passed, total=score.total)
    return f"<p><b>{head}</b></p><table>{''.join(rows)}</table>"


def _kernel():
    """The running IPython kernel shell, or None in a plain Python process."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None


def show(bundle: dict) -> None:
    """Display a mime bundle in a kernel; print its text/plain elsewhere."""
    if _kernel() is None:
        print(bundle["text/plain"])
        return
    from IPython.display import display

    display(bundle, raw=True)


def show_result(result: Result) -> None:
    show(
        {
            "text/plain": result_text(result),
            "text/html": result_html(result),
            MIME_CHECK: result.to_json(),
        }
    )


def show_score(score: Score) -> None:
    show(
        {
            "text/plain": score_text(score),
            "text/html": score_html(score),
            MIME_SCORE: {"lesson": score.lesson, "passed": score.passed, "total": score.total},
        }
    )
