"""Lesson 10's side-by-side chat widget, driven headlessly: set a control, check the answers."""

from __future__ import annotations

import html

import jax
import pytest
from flax import nnx

import llmlab
from llmlab.chat import chat_tokenizer, reply
from llmlab.model import GPT, GPTConfig
from llmlab.tokenizer import CharTokenizer
from llmlab.widgets.side_by_side import side_by_side

REQUEST = "床前明月光"


@pytest.fixture(scope="module")
def models():
    tok = chat_tokenizer(CharTokenizer.from_text("床前明月光疑是地上霜"))
    cfg = GPTConfig(vocab_size=tok.vocab_size, block_size=24, n_layer=1, n_head=2, n_embd=16)
    return {"base": GPT(cfg, rngs=nnx.Rngs(0)), "tuned": GPT(cfg, rngs=nnx.Rngs(1))}, tok


def _expected(models, tok, request, seed, temperature, top_k):
    chat = [{"role": "user", "content": request}]
    return {name: reply(m, tok, chat, key=jax.random.key(seed), temperature=temperature,
                        top_k=top_k) for name, m in models.items()}  # fmt: skip


def test_every_column_is_the_models_own_reply_to_the_request(models):
    models, tok = models
    w = side_by_side(models, tok, REQUEST, temperature=0.0)
    assert w.answers == _expected(models, tok, REQUEST, 0, 0.0, 40), (
        "each column must hold what llmlab.chat.reply answers for that model"
    )
    assert list(w.answers) == ["base", "tuned"], "one column per model, in the given order"
    for answer in w.answers.values():
        assert html.escape(answer.text) in w.output.value, "the answer must be shown"


def test_changing_any_control_answers_again_with_the_new_settings(models):
    models, tok = models
    w = side_by_side(models, tok, REQUEST, temperature=1.0, top_k=40, seed=0)
    runs = w.runs
    w.seed.value = 7
    assert w.runs == runs + 1, "a new seed must re-answer"
    assert w.answers == _expected(models, tok, REQUEST, 7, 1.0, 40)
    w.top_k.value = 3
    assert w.answers == _expected(models, tok, REQUEST, 7, 1.0, 3), "top-k must reach reply"
    w.temperature.value = 1.5
    assert w.answers == _expected(models, tok, REQUEST, 7, 1.5, 3), "temperature must reach reply"
    w.request.value = "疑是地上霜"
    assert w.answers == _expected(models, tok, "疑是地上霜", 7, 1.5, 3), "a new request re-answers"
    assert w.runs == runs + 4, "each of the four changes answers exactly once"
    assert "疑是地上霜" in w.output.value, "the shown request must be the new one"


def test_sampling_depends_on_the_seed_and_greedy_does_not(models):
    models, tok = models
    w = side_by_side(models, tok, REQUEST, temperature=2.0, top_k=14)
    seen = set()
    for seed in range(6):
        w.seed.value = seed
        seen.add(tuple(a.text for a in w.answers.values()))
    assert len(seen) > 1, "at temperature 2 six seeds must not all give the same answers"
    w.temperature.value = 0.0
    greedy = dict(w.answers)
    w.seed.value = 123
    assert w.answers == greedy, "at temperature 0 the seed must not change any answer"


def test_bad_requests_are_one_line_and_the_widget_keeps_working(models):
    models, tok = models
    w = side_by_side(models, tok, REQUEST)
    good = dict(w.answers)
    for bad, words in [("   ", "empty"), ("床前X", "Cannot put"), ("床" * 30, "shorten it"),
                       ("<|end|>", "Cannot put")]:  # fmt: skip
        w.request.value = bad
        assert words in w.message_text, f"{bad!r} must be explained, got {w.message_text!r}"
        assert w.errors == [], "bad input is not a bug"
        assert w.answers == good, "the last good answers must stay on screen"
    w.request.value = REQUEST
    w.seed.value = 2**40
    assert "seed" in w.message_text, "an out-of-range seed must be a message"
    w.seed.value = 1
    assert w.message_text == "" and w.answers == _expected(models, tok, REQUEST, 1, 0.0, 40)


def test_an_unfinished_answer_is_marked_and_the_fallback_shows_the_columns(models):
    models, tok = models
    w = side_by_side(models, tok, REQUEST)
    unfinished = [n for n, a in w.answers.items() if not a.finished]
    assert unfinished, "random tiny models should not end their answers with <|end|>"
    assert w.output.value.count("no &lt;|end|&gt;") == len(unfinished), (
        "every unfinished answer must carry the note"
    )
    bundle = w.fallback_bundle()
    assert "base" in bundle["text/html"] and "tuned" in bundle["text/html"], (
        "the static copy must show every column"
    )


def test_wrong_arguments_get_a_sentence(models):
    models, tok = models
    with pytest.raises(TypeError, match="dict"):
        side_by_side([models["base"]], tok)
    with pytest.raises(TypeError, match="not an llmlab GPT"):
        side_by_side({"x": "model"}, tok)
    small = chat_tokenizer(CharTokenizer.from_text("床前明月光疑是地上霜天"))
    with pytest.raises(ValueError, match="vocabulary"):
        side_by_side(models, small)


def test_in_chinese_the_controls_and_notes_are_chinese(models):
    models, tok = models
    llmlab.set_language("zh")
    try:
        w = side_by_side(models, tok, REQUEST)
        assert w.request.description == "请求" and w.seed.description == "随机种子"
        assert "温度" in w.output.value, "the settings line must be Chinese"
        w.request.value = ""
        assert "提示词是空的" in w.message_text
    finally:
        llmlab.set_language("en")
