"""Serving many prompts at once: batched generation, and static vs continuous batching.

Generating one token reads every weight of the model; a batch of 16 prompts reads them once
for all 16 rows, so on a GPU (where reading the weights is the slow part) a step for 16 prompts
costs little more than a step for one. A server therefore puts many users' prompts in a batch.
Two things make that less simple than it sounds:

1. Prompts have different lengths. Our GPT learns one embedding per position, so a prompt
   must sit at positions 0..L-1 to mean what it means alone; padding it on the left would move
   it. `generate_batch` pads on the right instead and gives every row its own position: one
   batched prefill of the padded prompts fills the KV cache, then every step feeds each row's
   newest token at that row's own position (`jax.vmap` over the rows of `GPT.decode`). The
   padding's keys are never seen: a row's query at position p sees keys 0..p only, and
   position p was overwritten with the row's own token before that query came.
2. Requests want different numbers of tokens. Static batching keeps a batch together until
   its longest request is done, so slots whose request has finished sit idle; continuous
   batching (Orca, Yu et al. 2022; vLLM) hands a freed slot to the next waiting request at
   once. `static_batching` and `continuous_batching` count the steps and the idle slots of
   both on a queue of output lengths.

Shape letters: B batch (prompts), P longest prompt, S cached time (block_size), V vocabulary.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from llmlab.generate import _check_count, _check_prompt
from llmlab.i18n import say
from llmlab.model import GPT


def generate_batch(model: GPT, prompts: Sequence[Sequence[int]], max_new_tokens: int,
                   ) -> list[list[int]]:  # fmt: skip
    """Greedy continuations of several prompts of different lengths, computed as one batch.

    Each row's tokens are the ones `generate(model, prompt, max_new_tokens, temperature=0)`
    gives for that prompt alone.

    Args:
        model: a GPT (run in eval mode; the model itself is not changed).
        prompts: B prompts of token ids, each (L_b,) with L_b >= 1 and
            L_b + max_new_tokens - 1 <= block_size (every fed token needs a position).
        max_new_tokens: tokens to add to every prompt (>= 1).

    Returns:
        B lists of max_new_tokens token ids, prompts excluded.

    Example:
        generate_batch(model, [[1, 2, 3], [4]], 2) -> e.g. [[5, 1], [2, 2]]
    """
    V, S = model.config.vocab_size, model.config.block_size
    rows = [_check_prompt(p, V) for p in prompts]
    if not rows:
        raise ValueError(say("scale.no_prompts"))
    _check_count(max_new_tokens)
    for i, row in enumerate(rows):
        need = len(row) + max_new_tokens - 1
        if need > S:
            raise ValueError(say("scale.prompt_too_long", index=i, length=len(row),
                                 new=max_new_tokens, need=need, block=S))  # fmt: skip
    lengths = np.array([len(row) for row in rows], dtype=np.int32)
    padded = np.zeros((len(rows), lengths.max()), dtype=np.int32)  # (B, P), right-padded
    for i, row in enumerate(rows):
        padded[i, : len(row)] = row
    graphdef, state = nnx.split(model)
    tokens = _greedy_batch(graphdef, state, jnp.asarray(padded), jnp.asarray(lengths),
                           steps=int(max_new_tokens))  # fmt: skip
    return np.asarray(tokens).tolist()


@partial(jax.jit, static_argnames=("graphdef", "steps"))
def _greedy_batch(graphdef, state, padded, lengths, *, steps):
    """(B, P) right-padded prompts and their lengths (B,) -> greedy tokens (B, steps)."""
    model = nnx.merge(graphdef, state)
    model.eval()  # a copy inside the trace: dropout off, the caller's model untouched
    B = padded.shape[0]
    # Prefill: every row starts at position 0, so one batched call fills all the caches.
    logits, cache = model.decode(padded, model.init_cache(B), 0)  # (B, P, V)
    first = jnp.argmax(logits[jnp.arange(B), lengths - 1], axis=-1)  # after each row's end

    def one_row(token, row_cache, pos):
        """One row's newest token () at its own position; row_cache: L pairs of (H, S, D)."""
        batch_of_one = [(k[None], v[None]) for k, v in row_cache]
        logits, batch_of_one = model.decode(token.reshape(1, 1), batch_of_one, pos)
        return jnp.argmax(logits[0, 0]), [(k[0], v[0]) for k, v in batch_of_one]

    def step(carry, _):
        token, cache, pos = carry
        new, cache = jax.vmap(one_row)(token, cache, pos)  # every row at its own position
        return (new, cache, pos + 1), new

    _, rest = jax.lax.scan(step, (first, cache, lengths), length=steps - 1)
    return jnp.concatenate([first[:, None], rest.T], axis=1)  # (B, steps)


class Schedule(NamedTuple):
    """How a batching policy served a queue of requests, one generated token per slot per step.

    steps: decoding steps until the last request was done.
    utilisation: busy slot-steps / (steps · slots), 1.0 when no slot ever idled.
    finished: for each request, the step (1-based) that produced its last token.
    timeline: int (steps, slots): the request each slot served at each step, -1 when idle.
    """

    steps: int
    utilisation: float
    finished: tuple[int, ...]
    timeline: np.ndarray


def static_batching(output_lengths: Sequence[int], slots: int) -> Schedule:
    """Serve requests in batches of `slots`, in order; a batch ends when its longest request does.

    Example:
        output_lengths [3, 1, 1, 1], 2 slots: batch (3, 1) takes 3 steps, slot 2 idle for 2 of
        them; batch (1, 1) takes 1 -> 4 steps, utilisation 6 / (4 · 2) = 0.75.
    """
    return _serve(output_lengths, slots, refill_any_free_slot=False)


def continuous_batching(output_lengths: Sequence[int], slots: int) -> Schedule:
    """Serve requests in order; a slot takes the next waiting request as soon as it is free.

    Example:
        output_lengths [3, 1, 1, 1], 2 slots: slot 1 serves request 0 for 3 steps while slot 2
        serves 1, 2, 3 one after another -> 3 steps, utilisation 6 / (3 · 2) = 1.0.
    """
    return _serve(output_lengths, slots, refill_any_free_slot=True)


def _serve(output_lengths, slots, *, refill_any_free_slot: bool) -> Schedule:
    lengths = _check_lengths(output_lengths)
    if isinstance(slots, bool) or not isinstance(slots, int | np.integer) or slots < 1:
        raise ValueError(say("scale.slots", value=slots))
    serving = [-1] * slots  # the request in each slot (-1: none)
    left = [0] * slots  # tokens its request still has to generate
    finished = [0] * len(lengths)
    waiting, timeline = 0, []
    while waiting < len(lengths) or any(left):
        # Static batching admits only into an empty batch; continuous into any free slot.
        if refill_any_free_slot or not any(left):
            for slot in range(slots):
                if left[slot] == 0 and waiting < len(lengths):
                    serving[slot], left[slot] = waiting, lengths[waiting]
                    waiting += 1
        timeline.append([serving[s] if left[s] else -1 for s in range(slots)])
        for slot in range(slots):
            if left[slot]:
                left[slot] -= 1
                if left[slot] == 0:
                    finished[serving[slot]] = len(timeline)
    steps = len(timeline)
    return Schedule(steps, sum(lengths) / (steps * slots), tuple(finished),
                    np.array(timeline, dtype=np.int32).reshape(steps, slots))  # fmt: skip


def _check_lengths(output_lengths) -> list[int]:
    lengths = list(output_lengths)
    if not lengths:
        raise ValueError(say("scale.no_requests"))
    for i, n in enumerate(lengths):
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(say("scale.output_lengths", value=n, position=i))
    return [int(n) for n in lengths]
