# ruff: noqa: E501  (the table of mistakes reads best one per line)
"""Typical learner mistakes, planted one by one: each check catches them and names the mistake.

Every task has at least one planted wrong answer; the message must contain the words that
name the mistake (not only "wrong"), and never a traceback.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from test_grading_efficiency import MISTAKES as EFFICIENCY_MISTAKES
from test_grading_finetuning import MISTAKES as FINETUNING_MISTAKES
from test_grading_preferences import MISTAKES as PREFERENCE_MISTAKES
from test_grading_thinking import MISTAKES as THINKING_MISTAKES

import llmlab.grading as grading
from llmlab import loss, probability, sampling, tokenizer
from llmlab.attention import attention, causal_mask
from llmlab.grading.transformer import block_reference


def softmax(z):
    e = jnp.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def top_k_keeping_one_too_many(logits, k):
    kth = jnp.sort(logits, axis=-1)[..., max(-k - 1, -logits.shape[-1])][..., None]
    return jnp.where(logits >= kth, logits, -jnp.inf)


def top_p_without_the_crossing_token(logits, p):
    descending = -jnp.sort(-logits, axis=-1)
    keep = jnp.cumsum(softmax(descending), axis=-1) < p
    keep = keep.at[..., 0].set(True)
    cutoff = jnp.min(jnp.where(keep, descending, jnp.inf), axis=-1, keepdims=True)
    return jnp.where(logits >= cutoff, logits, -jnp.inf)


def count_pairs_without_overlap(ids):
    # bytes.count, like str.count, counts non-overlapping occurrences only
    return {pair: bytes(ids).count(bytes(pair)) for pair in itertools.pairwise(ids)}


def normalise_without_empty_rows(counts):
    with np.errstate(invalid="ignore"):
        return counts / counts.sum(-1, keepdims=True)


def merge_first_only(ids, pair, new_id):
    for i in range(len(ids) - 1):
        if (ids[i], ids[i + 1]) == tuple(pair):
            return [*ids[:i], new_id, *ids[i + 2 :]]
    return list(ids)


def tokenizer_in_order_of_appearance(text):
    chars = list(dict.fromkeys(text))
    return (lambda s: [chars.index(c) for c in s]), (lambda ids: "".join(chars[i] for i in ids))


def attention_unscaled(q, k, v, mask):
    return attention(q * jnp.sqrt(q.shape[-1]), k, v, mask)


def attention_masking_with_zero(q, k, v, mask):
    scores = q @ k.swapaxes(-1, -2) / jnp.sqrt(q.shape[-1])
    return jax.nn.softmax(jnp.where(mask, scores, 0.0), axis=-1) @ v


def block_without_residual(x, params, n_head):
    return block_reference(x, params, n_head, residual=False)


def block_post_norm(x, params, n_head):
    return block_reference(x, params, n_head, pre_norm=False)


def param_count_untied(V, T, L, C):
    return V * C + T * C + L * (12 * C * C + 13 * C) + 2 * C + V * C


def get_batch_past_the_end(key, data, B, T):
    starts = jax.random.randint(key, (B,), 0, len(data) - T + 1)
    idx = starts[:, None] + jnp.arange(T)[None, :]
    return data[idx], data[idx + 1]


def get_batch_y_is_x(key, data, B, T):
    starts = jax.random.randint(key, (B,), 0, len(data) - T)
    idx = starts[:, None] + jnp.arange(T)[None, :]
    return data[idx], data[idx]


def lr_without_warmup(step, lr, min_lr, warmup, max_steps):
    progress = min(step / max_steps, 1.0)
    return min_lr + (lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2


def lr_cosine_past_the_end(step, lr, min_lr, warmup, max_steps):
    if step < warmup:
        return lr * step / warmup
    progress = (step - warmup) / (max_steps - warmup)
    return min_lr + (lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2


def train_step_subtracting(params, opt_state, x, y, loss_fn, optimizer):
    loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
    updates, opt_state = optimizer.update(grads, opt_state, params)
    return jax.tree.map(lambda p, u: p - u, params, updates), opt_state, loss


def train_step_without_params(params, opt_state, x, y, loss_fn, optimizer):
    loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
    updates, opt_state = optimizer.update(grads, opt_state)
    return optax.apply_updates(params, updates), opt_state, loss


def greedy_from_first_position(logits_fn, prompt, n):
    ids = list(prompt)
    for _ in range(n):
        ids.append(int(jnp.argmax(logits_fn(jnp.asarray(ids))[0])))
    return ids[len(prompt) :]


def greedy_with_prompt(logits_fn, prompt, n):
    ids = list(prompt)
    for _ in range(n):
        ids.append(int(jnp.argmax(logits_fn(jnp.asarray(ids))[-1])))
    return ids


def cache_off_by_one(cache_k, cache_v, k_new, v_new, pos):
    T = k_new.shape[2]
    return (
        cache_k.at[:, :, pos + 1 : pos + 1 + T].set(k_new),
        cache_v.at[:, :, pos + 1 : pos + 1 + T].set(v_new),
    )


def cache_concatenated(cache_k, cache_v, k_new, v_new, pos):
    return jnp.concatenate([cache_k, k_new], axis=2), jnp.concatenate([cache_v, v_new], axis=2)


def attend_all_slots(q, cache_k, cache_v, pos):
    return attention(q, cache_k, cache_v)


def attend_before_pos(q, cache_k, cache_v, pos):
    return attention(q, cache_k, cache_v, (jnp.arange(cache_k.shape[2]) < pos)[None, :])


MISTAKES = [
    ("p_a_given_b", lambda a, b, both, n: Fraction(both, both + a), "P(B∣A)"),
    ("p_a_given_b", lambda a, b, both, n: Fraction(both, a + b + both + n), "P(A∩B)"),
    ("count_bigrams", lambda ids, V: np.histogram2d(ids[1:], ids[:-1], V, [[0, V]] * 2)[0], "transposed"),
    ("count_bigrams", lambda ids, V: np.histogram2d(ids, ids[1:] + ids[:1], V, [[0, V]] * 2)[0], "last id has no next"),
    ("normalise_rows", lambda c: c / c.sum(), "rows do not"),
    ("normalise_rows", normalise_without_empty_rows, "NaN"),
    ("utf8_bytes", lambda text: [ord(c) for c in text], "code points"),
    ("count_pairs", lambda ids: dict.fromkeys(itertools.pairwise(ids), 1), "only once"),
    ("count_pairs", count_pairs_without_overlap, "overlapping pairs count twice"),
    ("count_pairs", lambda ids: grading.tokens.get_stats(ids[:-1]), "missed the last pair"),
    ("merge_pair", merge_first_only, "only the first occurrence"),
    ("char_tokenizer", tokenizer_in_order_of_appearance, "order they first appear"),
    ("stable_softmax", lambda z: jnp.exp(z) / jnp.exp(z).sum(-1, keepdims=True), "subtract the largest logit"),
    ("stable_softmax", lambda z: jnp.exp(z - z.max()) / jnp.exp(z - z.max()).sum(), "whole batch sums to 1"),
    ("softmax_temperature", lambda z, t: softmax(z) / t, "do not sum to 1 when temperature = 0.5"),
    ("softmax_temperature", lambda z, t: softmax(z * t), "multiplied the logits by T"),
    ("top_k_filter", lambda z, k: jnp.where(z >= jnp.sort(z, -1)[..., -k][..., None], z, 0.0), "set the dropped logits to 0"),
    ("top_k_filter", top_k_keeping_one_too_many, "you kept 2 tokens but top-k with k = 1 keeps 1"),
    ("top_p_filter", top_p_without_the_crossing_token, "dropped the token that makes the total reach p"),
    ("log_softmax", lambda z: jnp.log(softmax(z)), "log(softmax) underflows"),
    ("nll_loss", lambda z, t: jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(z), t[..., None], -1)), "your loss is negative"),
    ("nll_loss", lambda z, t: -jnp.sum(jnp.take_along_axis(jax.nn.log_softmax(z), t[..., None], -1)), "summed the losses"),
    ("nll_loss", lambda z, t: -jnp.mean(jnp.take_along_axis(jnp.log(softmax(z)), t[..., None], -1)), "logsumexp"),
    ("perplexity", lambda nll: jnp.exp(-nll), "exp(-NLL)"),
    ("perplexity", lambda nll: 2.0**nll, "base 2"),
    ("one_hot", lambda ids, V: (ids[..., None] == jnp.arange(V)).astype(jnp.int32), "use floats"),
    ("embed", lambda table, ids: table[:, ids], "of shape"),
    ("cosine_similarity", lambda a, b: jnp.sum(a * b, axis=-1), "divide the dot product by both lengths"),
    ("context_windows", lambda ids, n: (np.array([ids[t - n : t] for t in range(n, len(ids) + 1)]), np.array(ids[n:])), "one window too many"),
    ("context_windows", lambda ids, n: (np.array([ids[t - n : t] for t in range(n, len(ids))]), np.array(ids[n - 1 : -1])), "last id of each context"),
    ("causal_mask", lambda T: jnp.triu(jnp.ones((T, T), dtype=bool)), "position 0 can see position 1"),
    ("causal_mask", lambda T: jnp.tril(jnp.ones((T, T), dtype=bool), k=-1), "position 0 cannot see itself"),
    ("causal_mask", lambda T: jnp.tril(jnp.ones((T, T))), "use .astype(bool)"),
    ("attention", attention_unscaled, "not divided by √D"),
    ("attention", attention_masking_with_zero, "hidden scores to 0"),
    ("attention", lambda q, k, v, mask: attention(q, k, v), "ignores the mask"),
    ("split_heads", lambda x, H: x.reshape(x.shape[0], H, x.shape[1], -1), "reshaped straight to (B, H, T, D)"),
    ("merge_heads", lambda x: x.reshape(x.shape[0], x.shape[2], -1), "without moving the head axis back"),
    ("layer_norm", lambda x, s, b: (x - x.mean()) / jnp.sqrt(x.var() + 1e-5) * s + b, "mean 0"),
    ("layer_norm", lambda x, s, b: (x - x.mean(-1, keepdims=True)) / (x.var(-1, keepdims=True) + 1e-5) * s + b, "variance 1"),
    ("mlp", lambda x, w1, b1, w2, b2: (x @ w1 + b1) @ w2 + b2, "no non-linearity"),
    ("transformer_block", block_without_residual, "forgets the residual"),
    ("transformer_block", block_post_norm, "post-LayerNorm"),
    ("param_count", param_count_untied, "output head"),
    ("get_batch", get_batch_y_is_x, "y must be x shifted by one"),
    ("get_batch", get_batch_past_the_end, "has no next token for its last position"),
    ("lr_at", lr_without_warmup, "warm up from 0"),
    ("lr_at", lr_cosine_past_the_end, "should stay at min_lr"),
    ("train_step", train_step_subtracting, "subtracted the updates"),
    ("train_step", train_step_without_params, "raised ValueError"),
    ("greedy_decode", greedy_from_first_position, "first position's logits"),
    ("greedy_decode", greedy_with_prompt, "returned the prompt too"),
    ("cache_update", cache_off_by_one, "off by one"),
    ("cache_update", cache_concatenated, "grew to"),
    ("cached_attention", attend_all_slots, "empty cache slots"),
    ("cached_attention", attend_before_pos, "cannot see itself"),
]  # fmt: skip
# Exercises 10-13 plant theirs next to their other tests (tests/test_grading_<topic>.py).
MISTAKES += FINETUNING_MISTAKES + PREFERENCE_MISTAKES + EFFICIENCY_MISTAKES + THINKING_MISTAKES


@pytest.mark.latest_only  # the checks' own logic; Colab's versions run the right answers below
@pytest.mark.parametrize(
    ("task_id", "wrong", "words"),
    MISTAKES,
    ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(MISTAKES)],
)
def test_a_typical_mistake_is_caught_and_named(task_id, wrong, words):
    # Fixed seeds, several of them: a draw where two mistakes give the same output (a symmetric
    # bigram table, a repeated last pair) must not pass, nor be named as the other mistake.
    for seed in range(8):
        result = grading.run_check(task_id, wrong, seed=seed)
        assert not result.passed, f"{task_id}: a planted mistake passed the check (seed {seed})"
        assert words in result.message, (
            f"{task_id}: the message should name the mistake (seed {seed}): {result.message}"
        )
        assert "Traceback" not in result.message


def test_every_task_has_a_planted_mistake():
    planted = {task_id for task_id, _, _ in MISTAKES}
    assert planted == set(grading.TASKS), (
        f"tasks without a planted mistake: {set(grading.TASKS) - planted}"
    )


def test_returning_the_right_answer_for_one_visible_example_only_fails():
    # A learner who hard-codes the lesson's example (4, 5, 3, 2) -> 3/8 is caught by fresh inputs.
    result = grading.run_check("p_a_given_b", lambda a, b, both, n: Fraction(3, 8))
    assert not result.passed


def test_counts_wrong_only_where_two_mistakes_agree_still_fail():
    # Wrong only on random texts whose last pair repeats an earlier one and whose other pairs are all
    # different: there "missed the last pair" and "counted once" give the same counts, so the
    # check cannot name the mistake, yet it must not pass.
    wrong_answers = []

    def wrong_only_where_ambiguous(ids):
        right, without_last = tokenizer.get_stats(ids), tokenizer.get_stats(ids[:-1])
        if len(ids) >= 8 and right != without_last == dict.fromkeys(right, 1):
            wrong_answers.append(ids)
            return without_last
        return right

    ambiguous = 0
    for seed in range(300):
        wrong_answers.clear()
        result = grading.run_check("count_pairs", wrong_only_where_ambiguous, seed=seed)
        if wrong_answers:
            ambiguous += 1
            assert not result.passed, f"seed {seed}: wrong counts passed"
            assert "count every pair, the last one too" in result.message, result.message
        else:
            assert result.passed, result.message
    assert ambiguous > 0, "no draw was ambiguous: the test would check nothing"


def test_causal_attention_where_later_values_leak_is_caught():
    def leaky(q, k, v, mask):
        return attention(q, k, v, causal_mask(q.shape[-2]).T)

    assert not grading.run_check("attention", leaky).passed


REFERENCES = {
    "count_bigrams": lambda ids, V: probability.bigram_counts(ids, V),
    "normalise_rows": probability.conditional_distribution,
    "count_pairs": tokenizer.get_stats,
    "merge_pair": tokenizer.merge,
    "utf8_bytes": lambda text: np.frombuffer(text.encode("utf-8"), np.uint8),
    "stable_softmax": sampling.softmax,
    "softmax_temperature": sampling.softmax,
    "top_k_filter": sampling.top_k_filter,
    "top_p_filter": sampling.top_p_filter,
    "log_softmax": jax.nn.log_softmax,
    "nll_loss": loss.nll,
    "perplexity": loss.perplexity,
    "one_hot": jax.nn.one_hot,
    "causal_mask": causal_mask,
    "attention": attention,
}


@pytest.mark.parametrize("task_id", list(REFERENCES))
def test_llmlab_itself_and_jax_oracles_pass_the_checks(task_id):
    result = grading.run_check(task_id, REFERENCES[task_id])
    assert result.passed, (
        f"{task_id}: a correct answer (from llmlab or jax) failed: {result.message}"
    )


def greedy_right(logits_fn, prompt, n):
    ids = list(prompt)
    for _ in range(n):
        ids.append(int(jnp.argmax(logits_fn(jnp.asarray(ids))[-1])))
    return ids[len(prompt) :]


def windows_right(ids, n):
    x = np.array([ids[t - n : t] for t in range(n, len(ids))]).reshape(-1, n)
    return x, np.array(ids[n:])


@pytest.mark.parametrize(
    "task_id, right", [("greedy_decode", greedy_right), ("context_windows", windows_right)]
)
def test_a_right_answer_passes_on_every_draw_even_when_a_mistake_would_agree(task_id, right):
    # On some draws a typical mistake gives the right output too (reading the first position of
    # the prompt [0, 4, 0]; a one-window target equal to the last context id): a right answer
    # must still pass, not be told it made that mistake.
    failures = []
    for seed in range(300):
        result = grading.run_check(task_id, right, seed=seed)
        if not result.passed:
            failures.append(result.message)
    assert failures == [], f"a right {task_id} failed {len(failures)} draws: {failures[:2]}"
