"""The batch grader speaks each notebook's language: a Chinese exercise notebook (metadata
llmlab.language = "zh") gets Chinese check messages and a kernel whose llmlab speaks Chinese,
an English one English; --language puts a whole batch in one language."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import llmlab
from llmlab import i18n
from llmlab.grade import Options, language_of, report_language
from llmlab.grading.gradebook import NotebookGrade, table

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "exercises" / "solutions" / "04_loss.ipynb"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox is Linux's")


def broken_notebook(language: str | None) -> nbformat.NotebookNode:
    """Lesson 04's solution with perplexity planted wrong (exp(-NLL)) and nll_loss raising
    a sentence that says which language the kernel's llmlab speaks."""
    nb = nbformat.read(SOLUTION, as_version=4)
    if language:
        nb.metadata["llmlab"]["language"] = language
    for cell in nb.cells:
        if cell.source.startswith("def perplexity"):
            cell.source = "def perplexity(mean_nll):\n    return jnp.exp(-mean_nll)\n"
        if cell.source.startswith("def nll_loss"):
            cell.source = (
                "def nll_loss(logits, targets):\n"
                "    import llmlab.i18n\n"
                "    raise ValueError('kernel speaks ' + llmlab.i18n.language())\n"
            )
    return nb


def grade(paths: list[Path], *flags: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "llmlab.grade", *map(str, paths), "--seed", "0"]
    command += ["--timeout", "180", "--check-timeout", "30", "--jobs", "2", *flags]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    nbformat.write(broken_notebook("zh"), folder / "zh.ipynb")
    nbformat.write(broken_notebook(None), folder / "en.ipynb")
    return folder


@pytest.fixture(scope="module")
def graded(folder):
    out = grade([folder / "en.ipynb", folder / "zh.ipynb"], "--json")
    assert out.stdout.strip(), f"the grader printed nothing:\n{out.stderr[-3000:]}"
    return {Path(path).stem: tasks for path, tasks in json.loads(out.stdout).items()}


def test_a_chinese_notebook_gets_chinese_messages_naming_the_mistake(graded):
    zh = graded["zh"]
    assert zh["log_softmax"]["passed"] and zh["log_softmax"]["message"].startswith("通过"), zh
    message = zh["perplexity"]["message"]
    assert not zh["perplexity"]["passed"] and "你算的是 exp(-NLL)" in message, message
    assert "困惑度是 exp(+NLL) ≥ 1" in message, message


def test_the_kernel_of_a_chinese_notebook_runs_llmlab_in_chinese(graded):
    message = graded["zh"]["nll_loss"]["message"]
    assert "你的函数抛出了 ValueError (kernel speaks zh)" in message, message


def test_an_english_notebook_in_the_same_batch_stays_english(graded):
    en = graded["en"]
    assert en["perplexity"]["message"].startswith("you computed exp(-NLL) for "), en
    assert "your function raised ValueError (kernel speaks en)" in en["nll_loss"]["message"]
    assert en["log_softmax"]["message"].startswith("passed: "), en


def test_language_en_puts_a_chinese_notebook_and_the_table_in_english(folder):
    out = grade([folder / "zh.ipynb"], "--language", "en")
    assert "❌ perplexity: you computed exp(-NLL)" in out.stdout, out.stdout + out.stderr[-2000:]
    assert "(kernel speaks en)" in out.stdout and "Total: 1/3 tasks passed" in out.stdout


def test_the_notebook_language_comes_from_its_metadata_and_defaults_to_english():
    nb = nbformat.read(SOLUTION, as_version=4)
    assert language_of(nb) == "en" and language_of(None) == "en"
    nb.metadata["llmlab"]["language"] = "zh"
    assert language_of(nb) == "zh"
    nb.metadata["llmlab"]["language"] = "klingon"
    assert language_of(nb) == "en", "an unknown language falls back to English"


def test_the_table_speaks_the_batch_language_unless_told():
    assert report_language(Options(), {"zh"}) == "zh"
    assert report_language(Options(), {"zh", "en"}) == "en"
    assert report_language(Options(language="en"), {"zh"}) == "en"
    grade_ = NotebookGrade(
        "zh.ipynb", "04_loss", {"perplexity": {"passed": True, "message": "通过"}}
    )
    grade_.reason = "笔记本超过了 300 秒的时限"
    llmlab.set_language("zh")
    try:
        text = table([grade_])
    finally:
        i18n.set_language("en")
    assert text.splitlines()[0] == "zh.ipynb：1 个任务通过了 1 个（0 秒）", text
    assert "  提前停止：笔记本超过了" in text and text.endswith("合计：1 个任务通过了 1 个"), text
    assert table([grade_]).endswith("Total: 1/1 tasks passed"), "English is the default"
