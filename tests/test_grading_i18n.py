"""In Chinese (llmlab.set_language("zh")) a check speaks Chinese: its verdict, the sentence that
names the mistake, the hint and the score; English stays the default and comes back unchanged."""

from __future__ import annotations

import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import llmlab
import llmlab.grading as grading
from llmlab import i18n
from llmlab.grading import report


def has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


def stub(*args):
    raise NotImplementedError


def test_not_done_yet_its_hint_and_the_result_line_are_chinese():
    llmlab.set_language("zh")
    result = grading.run_check("stable_softmax", stub)
    assert not result.passed and result.message.startswith("还没有完成"), result.message
    assert result.hint.startswith("z = logits") and result.hint.endswith("。"), result.hint
    text, html = report.result_text(result), report.result_html(result)
    assert text.startswith("❌ stable_softmax: 还没有完成") and "\n   提示：z = logits" in text
    assert "<summary>提示</summary>" in html, "the openable hint is labelled in Chinese"


def test_the_score_and_the_task_titles_are_chinese():
    llmlab.set_language("zh")
    grading.run_check("perplexity", jnp.exp)
    grading.RESULTS.pop("nll_loss", None)
    text = report.score_text(grading.lesson_score("04_loss"))
    assert text.splitlines()[0].startswith("04_loss 的得分：3 个任务通过了"), text
    assert "  ✅ 困惑度（perplexity）" in text, text
    assert "由对数值算负对数似然（nll_loss）：还没有检查" in text, text
    html = report.score_html(grading.lesson_score("04_loss"))
    assert "<b>04_loss 的得分" in html and "还没有检查，请运行它的检查单元格" in html


def test_a_pass_a_timeout_and_an_exception_are_chinese():
    llmlab.set_language("zh")
    assert grading.run_check("perplexity", jnp.exp).message.startswith("通过")

    def endless(x):
        while True:
            pass

    assert "秒内没有结束" in grading.run_check("perplexity", endless, timeout=0.2).message

    def broken(x):
        raise ValueError("boom")

    message = grading.run_check("perplexity", broken).message
    assert "你的函数抛出了 ValueError (boom)" in message and message.endswith("。"), message


def test_english_is_the_default_and_comes_back_after_chinese():
    llmlab.set_language("zh")
    assert has_han(grading.run_check("stable_softmax", stub).message)
    llmlab.set_language("en")
    result = grading.run_check("stable_softmax", stub)
    assert result.message.startswith("not done yet: replace the `raise NotImplementedError`")
    assert report.result_text(result).count("\n   Hint: z = logits") == 1
    assert grading.TASKS["perplexity"].title == "Perplexity"


def test_every_task_has_a_title_and_a_hint_in_both_languages():
    for task in grading.TASKS.values():
        for language in i18n.LANGUAGES:
            llmlab.set_language(language)
            assert task.title and task.hint, f"{task.id} lacks a title or hint in {language}"
            assert has_han(task.title + task.hint) == (language == "zh"), (
                f"{task.id}'s title and hint should be written in {language}"
            )


def summed_nll(logits, targets):
    logp = jax.nn.log_softmax(logits)
    return -jnp.take_along_axis(logp, targets[..., None], axis=-1).sum()


def times_t_softmax(logits, temperature):
    return jax.nn.softmax(logits * temperature)


def code_points(text):
    return [ord(c) for c in text]


@pytest.mark.parametrize(
    "task_id, wrong, words",
    [
        ("nll_loss", summed_nll, "你把损失加起来了：应该取平均值"),
        ("softmax_temperature", times_t_softmax, "你把对数值乘以了 T：应该除以 T"),
        ("utf8_bytes", code_points, "你返回的是字符的码位（ord）"),
        ("count_bigrams", lambda ids, V: np.zeros((V, V)), "你返回的计数不对"),
    ],
)
def test_a_planted_mistake_is_named_in_chinese(task_id, wrong, words):
    llmlab.set_language("zh")
    result = grading.run_check(task_id, wrong)
    assert not result.passed and words in result.message, result.message
    assert result.message.startswith("对于") or result.message.startswith("当"), (
        f"the Chinese sentence starts with the inputs it was given: {result.message}"
    )
    llmlab.set_language("en")
    english = grading.run_check(task_id, wrong, seed=result.seed).message
    assert english.startswith("you"), f"the same inputs in English again: {english}"


ENGLISH_WORDS = re.compile(r"\b(you|your|the|for|when|should|instead|returned|raised)\b")


def english_left(message: str) -> list[str]:
    """English words of the sentence itself, not of the inputs it quotes ('text', (error))."""
    return ENGLISH_WORDS.findall(re.sub(r"'[^']*'|\([^()]*\)", "", message))


@pytest.mark.parametrize("task_id", sorted(grading.TASKS))
def test_in_chinese_every_planted_mistake_and_odd_answer_is_told_in_chinese(task_id):
    from test_grading_mistakes import MISTAKES

    wrongs = [wrong for t, wrong, _ in MISTAKES if t == task_id]
    wrongs += [lambda *a: None, lambda *a: "text", lambda *a: (jnp.zeros(2), jnp.zeros(2))]
    llmlab.set_language("zh")
    for wrong in wrongs:
        message = grading.run_check(task_id, wrong, seed=0).message
        assert has_han(message) and not english_left(message), (
            f"{task_id}: a sentence was left in English: {message}"
        )
