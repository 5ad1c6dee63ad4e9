"""Teaching a tiny GPT to add, and measuring how often it is right, by number of digits.

`train_adder` trains a character-level GPT on addition problems in one format of
`llmlab.data.arithmetic` (direct, scratchpad or tool); only what the model must write counts
in the loss. `complete` runs greedy decoding on many prompts at once, `parse_answer` reads
the final answer of a written line, and `accuracy_by_digits` scores exact matches.
`solve_with_tools` answers with the tool loop of `llmlab.tools`, which executes the model's
calculator calls.

Shape letters: B batch (problems at once), T time (the model's block size), V vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from llmlab.data.arithmetic import STOP, Problem, encode_example
from llmlab.i18n import say
from llmlab.model import GPT

_ANSWER = re.compile(r"=(\d+)\Z")


def parse_answer(text: str) -> int | None:
    """The final answer of a written line: the digits after its last "=", up to the newline.

    None when the line never ended (no newline) or does not end in "=digits": an answer that
    cannot be read is a wrong answer.

    Example: parse_answer("95+7=5+7+0=12,9+0+1=10,=102\\n") -> 102
             parse_answer("95+7=10") -> None (no newline: the model had not finished)
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    end = text.find(STOP)
    if end < 0:
        return None
    match = _ANSWER.search(text[:end])
    return int(match.group(1)) if match else None


def accuracy_by_digits(
    problems: Sequence[Problem], answers: Sequence[int | None]
) -> dict[int, float]:
    """Share of exact answers for each number of digits, {digits: accuracy}, sorted by digits.

    Example: problems [1+2, 3+4, 10+5], answers [3, 8, 15] -> {1: 0.5, 2: 1.0}
    """
    if len(problems) != len(answers):
        raise ValueError(
            say("arithmetic.answer_count", problems=len(problems), answers=len(answers))
        )
    right: dict[int, list[bool]] = {}
    for p, answer in zip(problems, answers):
        right.setdefault(p.digits, []).append(answer == p.a + p.b)
    return {d: float(np.mean(right[d])) for d in sorted(right)}


@partial(nnx.jit, static_argnames=("steps",))
def _greedy(model: GPT, window: jax.Array, lengths: jax.Array, steps: int) -> jax.Array:
    """`steps` greedy tokens after each row's first `lengths[b]` tokens of window (B, T)."""
    rows = jnp.arange(window.shape[0])

    def one(_, state):
        window, lengths = state
        logits = model(window)[rows, lengths - 1]  # (B, V): the prediction after each row's end
        nxt = jnp.argmax(logits, axis=-1).astype(window.dtype)
        window = window.at[rows, jnp.minimum(lengths, window.shape[1] - 1)].set(nxt)
        return window, jnp.minimum(lengths + 1, window.shape[1])

    return jax.lax.fori_loop(0, steps, one, (window, lengths))[0]


def complete(model: GPT, tokenizer: Any, prompts: Sequence[str], max_new_tokens: int) -> list[str]:
    """Each prompt followed by the model's greedy continuation, up to and with the newline.

    All prompts run at once: every step recomputes the whole (B, T) window (no cache) and
    takes each row's prediction after its own last token, so the result is what
    `generate(..., temperature=0)` would write for each prompt alone.

    Example: complete(adder, tok, ["345+12="], 8) -> ["345+12=357\\n"]
    """
    T = model.config.block_size
    encoded = [tokenizer.encode(p) for p in prompts]
    if not encoded:
        return []
    if min(len(ids) for ids in encoded) < 1:
        raise ValueError(say("arithmetic.empty_prompt"))
    longest = max(len(ids) for ids in encoded)
    if longest + max_new_tokens > T:
        need = longest + max_new_tokens
        raise ValueError(
            say("arithmetic.no_room", prompt=longest, new=max_new_tokens, need=need, block_size=T)
        )
    window = np.zeros((len(encoded), T), np.int32)
    for b, ids in enumerate(encoded):
        window[b, : len(ids)] = ids
    lengths = np.asarray([len(ids) for ids in encoded], np.int32)
    model.eval()
    out = np.asarray(_greedy(model, jnp.asarray(window), jnp.asarray(lengths), max_new_tokens))
    texts = []
    for b, ids in enumerate(encoded):
        text = tokenizer.decode(out[b, : len(ids) + max_new_tokens].tolist())
        end = text.find(STOP, len(prompts[b]))
        texts.append(text if end < 0 else text[: end + 1])
    return texts


def encode_problems(problems: Sequence[Problem], fmt: str, tokenizer: Any, block_size: int):
    """The problems in format `fmt` as padded training arrays x, y, mask (N, T)."""
    from llmlab.chat import pack_chats

    return pack_chats([encode_example(p, fmt, tokenizer) for p in problems], block_size, 0)


def train_adder(model: GPT, tokenizer: Any, fmt: str, cfg: Any, *, n_train: int,
                callback: Any = None) -> Any:  # fmt: skip
    """Train `model` in place on `n_train` problems of the train split written in `fmt`.

    The loss is the masked next-token loss of SFT (`llmlab.chat.sft_loss`): only the tokens
    the model must write count. The validation loss is on 2,000 problems of the test split.
    The problems come from seed `cfg.seed`, so the same cfg gives the same model.

    Returns:
        the `History` of `llmlab.train.fit`.
    """
    from llmlab.chat import example_batch, sft_loss
    from llmlab.data.arithmetic import make_problems
    from llmlab.train import fit

    train_problems = make_problems(n_train, "train", seed=cfg.seed)
    val_problems = make_problems(2000, "test", seed=cfg.seed + 1)
    train = encode_problems(train_problems, fmt, tokenizer, cfg.block_size)
    val = encode_problems(val_problems, fmt, tokenizer, cfg.block_size)
    return fit(model, train, val, cfg, callback=callback, loss_fn=sft_loss,
               batch_fn=example_batch)  # fmt: skip


def solve_with_tools(model: GPT, tokenizer: Any, prompt: str) -> list[Any]:
    """Greedy generation through `llmlab.tools.run_with_tools`: the calculator runs each call.

    The model writes one token per step; when it closes a call, the tool loop appends
    "=result" and the model carries on after it. It stops after writing the newline or when
    its context is full.

    Returns:
        the trace of `run_with_tools` (a list of `llmlab.tools.Event`); `tools.context(trace)`
        is the whole text, to read with `parse_answer`.

    Example: context(solve_with_tools(adder, tok, "345+12=")) ->
        "345+12=<|calc|>345+12<|/calc|>=357\\n"
    """
    from llmlab.tools import next_token, run_with_tools

    T = model.config.block_size
    model.eval()

    def step(text: str) -> str:
        ids = tokenizer.encode(text, allowed_special="all")
        if text.endswith(STOP) or len(ids) >= T:
            return ""
        return tokenizer.decode([next_token(model, ids)])

    return run_with_tools(step, prompt, max_steps=T)


def longest_answer(fmt: str, digits: int, tokenizer: Any) -> int:
    """How many tokens the longest right answer to a `digits`-digit problem takes in `fmt`
    (the one for 99..9 + 99..9): the most a model needs to write, newline included."""
    from llmlab.data.arithmetic import write

    p = Problem(10**digits - 1, 10**digits - 1)
    return len(tokenizer.encode(write(p, fmt), allowed_special="all")) - len(p.prompt)


def answers(model: GPT, tokenizer: Any, fmt: str, problems: Sequence[Problem], *,
            run_tools: bool = False) -> list[int | None]:  # fmt: skip
    """The model's greedy answer to each problem (None where it cannot be read).

    Args:
        fmt: the format the model was trained on (it decides how much room to give it).
        run_tools: answer through `solve_with_tools`, which executes the calculator calls;
            False lets the model write everything itself, results included.

    Example: answers(adder, tok, "direct", [Problem(345, 12)]) -> [357]
    """
    if not problems:
        return []
    if run_tools:
        from llmlab.tools import context

        return [parse_answer(context(solve_with_tools(model, tokenizer, p.prompt)))
                for p in problems]  # fmt: skip
    room = longest_answer(fmt, max(p.digits for p in problems), tokenizer)
    return [
        parse_answer(text)
        for text in complete(model, tokenizer, [p.prompt for p in problems], room)
    ]
