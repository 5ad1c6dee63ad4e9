"""Checks for lesson 10 (fine-tuning): the assistant-only loss mask of a chat, the masked NLL,
the LoRA forward pass, and merging a LoRA adapter into its kernel.

Conversations are drawn fresh and encoded by llmlab's own `encode_chat`, so the mask a learner
builds is compared with the one supervised fine-tuning really trains on.
"""

from __future__ import annotations

from typing import ClassVar

import jax.numpy as jnp
import numpy as np

from llmlab.chat import END, ROLE_TOKENS, encode_chat
from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.i18n import say
from llmlab.lora import lora_forward

LESSON = "10_finetuning"
WORDS = 12  # ordinary token ids 0..11; the chat's special tokens come after them


class LetterTokenizer:
    """Letters a, b, c, ... as ids 0, 1, 2, ... plus the chat's special tokens after them."""

    special_tokens: ClassVar[dict[str, int]] = {
        t: WORDS + k for k, t in enumerate((*ROLE_TOKENS.values(), END))
    }

    def encode(self, text: str) -> list[int]:
        return [ord(c) - ord("a") for c in text]


def special(token: str) -> int:
    return LetterTokenizer.special_tokens[token]


def random_chat(rng: np.random.Generator, roles: list[str]) -> list[dict[str, str]]:
    """Messages with these roles and random words (an empty message now and then)."""
    letters = "abcdefghijkl"
    return [
        {"role": role, "content": "".join(rng.choice(list(letters), int(rng.integers(0, 6))))}
        for role in roles
    ]


def chat_cases(rng: np.random.Generator) -> list[list[dict[str, str]]]:
    turns = int(rng.integers(2, 4))
    many = ["system"] + ["user", "assistant"] * turns
    empty_answer = [{"role": "user", "content": "ab"}, {"role": "assistant", "content": ""}]
    return [
        random_chat(rng, ["user", "assistant"]),
        random_chat(rng, many),
        empty_answer,
        random_chat(rng, ["user"]),  # no answer at all: nothing to learn
    ]


def mask_variants(ids: np.ndarray) -> dict[str, np.ndarray]:
    """The masks of typical mistakes, by the message key that names each."""
    assistant, end = special(ROLE_TOKENS["assistant"]), special(END)
    with_marker, without_end, first_only = [], [], []
    inside, answers = False, 0
    for i in ids:
        if i == assistant:
            inside, answers = True, answers + 1
            with_marker.append(True), without_end.append(False), first_only.append(False)
            continue
        with_marker.append(inside)
        without_end.append(inside and i != end)
        first_only.append(inside and answers == 1)
        if i == end:
            inside = False
    return {
        "check.finetuning.mask_marker": np.array(with_marker),
        "check.finetuning.mask_no_end": np.array(without_end),
        "check.finetuning.mask_first_only": np.array(first_only),
    }


@task(LESSON, "assistant_mask", references=("llmlab.chat.encode_chat",))
def check_assistant_mask(fn, rng):
    assistant, end = special(ROLE_TOKENS["assistant"]), special(END)
    for chat in chat_cases(rng):
        ids, want = encode_chat(chat, LetterTokenizer())
        roles = " → ".join(m["role"] for m in chat)
        when = say("check.finetuning.when_chat", roles=roles, T=len(ids))
        name = say("check.name.mask")
        got = as_array(call(fn, jnp.asarray(ids), assistant, end, when=when), name, when)
        same_shape(got, want.shape, name, when)
        if not np.isin(got, (0, 1)).all():
            raise Mistake(say("check.finetuning.mask_not_bool", when=when))
        got = got.astype(bool)
        if np.array_equal(got, want):
            continue
        if np.array_equal(got, ~want):
            raise Mistake(say("check.finetuning.mask_inverted", when=when))
        for key, wrong in mask_variants(ids).items():
            if np.array_equal(got, wrong):
                raise Mistake(say(key, when=when))
        t = int(np.argmax(got != want))
        raise Mistake(say("check.finetuning.mask_at", t=t, got=bool(got[t]), want=bool(want[t]),
                          when=when))  # fmt: skip


def log_softmax64(logits) -> np.ndarray:
    z = np.asarray(logits, np.float64)
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def nll_variants(logits, targets, mask) -> dict[str, float]:
    """The losses of typical mistakes, by the message key that names each (float64)."""
    logp = np.take_along_axis(log_softmax64(logits), np.asarray(targets)[..., None], -1)[..., 0]
    m = np.asarray(mask, np.float64)
    rows = m.sum(-1)
    per_row = -(logp * m).sum(-1) / np.maximum(rows, 1)
    return {
        "check.finetuning.nll_every_position": float(-(logp * m).sum() / m.size),
        "check.finetuning.nll_no_mask": float(-logp.mean()),
        "check.finetuning.nll_summed": float(-(logp * m).sum()),
        "check.finetuning.nll_row_means": float(per_row[rows > 0].mean()),
    }


@task(LESSON, "masked_nll", references=("llmlab.loss.nll", "llmlab.chat.sft_loss"))
def check_masked_nll(fn, rng):
    B, T, V = int(rng.integers(2, 5)), int(rng.integers(5, 10)), int(rng.integers(5, 12))
    logits = jnp.asarray(rng.normal(0, 2, size=(B, T, V)), jnp.float32)
    targets = jnp.asarray(rng.integers(0, V, size=(B, T)), jnp.int32)
    # Each row: a prompt (mask 0), an answer (mask 1), padding (mask 0); rows of unequal
    # answer lengths, so averaging row means differs from averaging tokens.
    mask = np.zeros((B, T), bool)
    for row in range(B):
        start = int(rng.integers(1, T - 2))
        mask[row, start : start + 1 + row % (T - start)] = True
    padded = mask.copy()
    padded[-1] = False  # a row of padding only, which must add nothing to the loss
    for m in (mask, padded):
        when = say("check.finetuning.when_nll", B=B, T=T, V=V, n=int(m.sum()))
        name = say("check.name.loss")
        got = as_array(call(fn, logits, targets, jnp.asarray(m), when=when), name, when)
        if got.shape != ():
            raise Mistake(say("check.finetuning.nll_not_scalar", shape=got.shape, when=when))
        logp = np.take_along_axis(log_softmax64(logits), np.asarray(targets)[..., None], -1)
        want = float(-(logp[..., 0] * m).sum() / m.sum())  # llmlab.loss.nll, in float64
        if np.isclose(float(got), want, rtol=1e-4, atol=1e-5):
            continue
        for key, wrong in nll_variants(logits, targets, m).items():
            if np.isclose(float(got), wrong, rtol=1e-4, atol=1e-5):
                raise Mistake(say(key, when=when))
        close(got, want, name, when)


def lora_inputs(rng: np.random.Generator, bias: bool):
    """x (2, T, in), kernel (in, out), a (in, r), b (r, out), bias (out,) or None, alpha: float64
    arrays holding float32 values, so that references in numpy see the learner's numbers."""
    n_in, n_out, r = int(rng.integers(4, 9)), int(rng.integers(3, 8)), int(rng.integers(2, 4))
    alpha = float(rng.choice([r * 2, r * 4, 16]))  # not 1, r or √r: each mistake differs
    shapes = [(2, int(rng.integers(2, 5)), n_in), (n_in, n_out), (n_in, r), (r, n_out), (n_out,)]
    x, kernel, a, b, bias_ = (rng.normal(0, 0.5, size=s).astype(np.float32) for s in shapes)
    return x, kernel, a, b, bias_ if bias else None, alpha


def f32(x) -> jnp.ndarray | None:
    return None if x is None else jnp.asarray(x, jnp.float32)


@task(LESSON, "lora_forward", references=("llmlab.lora.lora_forward",))
def check_lora_forward(fn, rng):
    for bias, zero_b in [(True, False), (False, False), (True, True)]:
        x, kernel, a, b, bias_, alpha = lora_inputs(rng, bias)
        if zero_b:
            b = np.zeros_like(b)
        r = a.shape[1]
        when = say("check.finetuning.when_lora", x=tuple(x.shape), r=r, alpha=f"{alpha:g}",
                   bias=say("check.finetuning.no_bias") if bias_ is None else "")  # fmt: skip
        name = say("check.name.output")
        args = (f32(x), f32(kernel), f32(bias_), f32(a), f32(b), alpha)
        got = as_array(call(fn, *args, when=when), name, when)
        want = np.asarray(lora_forward(*args), np.float64)  # llmlab's answer
        same_shape(got, want.shape, name, when)
        atol = 1e-4 * float(np.abs(want).max() + 1)
        base = x @ kernel + (0 if bias_ is None else bias_)
        wrongs = {
            "check.finetuning.lora_scale_alpha": base + alpha * (x @ a) @ b,
            "check.finetuning.lora_no_scale": base + (x @ a) @ b,
            "check.finetuning.lora_scale_upside_down": base + (r / alpha) * (x @ a) @ b,
            "check.finetuning.lora_no_bias": want - (0 if bias_ is None else bias_),
            "check.finetuning.lora_no_base": want - x @ kernel,
        }
        if not np.allclose(got, want, rtol=1e-4, atol=atol):
            for key, wrong in wrongs.items():
                if not np.allclose(wrong, want, atol=atol) and np.allclose(got, wrong, atol=atol):
                    raise Mistake(say(key, when=when))
        close(got, want, name, when, atol=atol)


@task(LESSON, "merge_lora", references=("llmlab.lora.merge_lora",))
def check_merge_lora(fn, rng):
    for _ in range(2):
        x, kernel, a, b, bias_, alpha = lora_inputs(rng, True)
        r = a.shape[1]
        when = say("check.finetuning.when_merge", shape=tuple(kernel.shape), r=r,
                   alpha=f"{alpha:g}")  # fmt: skip
        name = say("check.name.kernel")
        got = as_array(call(fn, f32(kernel), f32(a), f32(b), alpha, when=when), name, when)
        same_shape(got, kernel.shape, name, when)
        want = kernel + (alpha / r) * (a @ b)
        atol = 1e-4 * float(np.abs(want).max() + 1)
        wrongs = {
            "check.finetuning.lora_scale_alpha": kernel + alpha * a @ b,
            "check.finetuning.lora_no_scale": kernel + a @ b,
            "check.finetuning.lora_scale_upside_down": kernel + (r / alpha) * a @ b,
            "check.finetuning.merge_no_base": (alpha / r) * a @ b,
        }
        if not np.allclose(got, want, rtol=1e-4, atol=atol):
            for key, wrong in wrongs.items():
                if np.allclose(got, wrong, atol=atol):
                    raise Mistake(say(key, when=when))
        close(got, want, name, when, atol=atol)
        # The point of merging: the plain layer with the merged kernel computes what the
        # adapted layer computes.
        adapted = np.asarray(lora_forward(f32(x), f32(kernel), f32(bias_), f32(a), f32(b), alpha))
        close(x @ got + bias_, adapted,
              say("check.finetuning.merged_output"), when, atol=atol * 10)  # fmt: skip
