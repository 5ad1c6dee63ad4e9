"""Speculative decoding: a small draft model guesses, the big target model checks.

Each round the draft proposes gamma tokens one by one (cheap), the target scores all of them
in ONE forward pass, and proposal x_i is kept with probability min(1, p(x_i) / q(x_i)) (p the
target's probabilities, q the draft's). At the first rejection a token is drawn from the
residual norm(max(0, p - q)) and the round ends; when all gamma are kept the target's last
position gives one bonus token. Every token then follows the target's distribution exactly
(Leviathan et al. 2023, Chen et al. 2023); at temperature 0 the text is the target's greedy
text. A round costs one target pass and yields between 1 and gamma + 1 tokens.

Both models keep a KV cache (`GPT.init_cache` / `GPT.decode`). A rejection needs no rollback:
keys and values written for rejected tokens sit at positions the decode mask hides until the
next round overwrites them, so keeping the caches in sync is only a matter of the position.
The draft re-feeds the last two tokens each round, which also caches the draft's own last
proposal when all of them were accepted.

Shape letters: V vocabulary, G gamma (proposals per round).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from llmlab.generate import _check_count, _check_knobs, _check_prompt, _window
from llmlab.model import GPT
from llmlab.sampling import _check_key, probabilities, sample


@dataclass(frozen=True)
class SpeculativeStats:
    """What one `speculative_generate` call did.

    tokens: tokens returned. proposals: draft tokens proposed. accepted: proposals kept.
    target_passes: target forward passes, the prompt's prefill included.
    """

    tokens: int
    proposals: int
    accepted: int
    target_passes: int

    @property
    def acceptance_rate(self) -> float:
        return self.accepted / max(self.proposals, 1)

    @property
    def target_passes_per_token(self) -> float:
        return self.target_passes / max(self.tokens, 1)


def residual_distribution(p: jax.Array, q: jax.Array) -> jax.Array:
    """norm(max(0, p - q)): where the target wants more mass than the draft gave.

    Shapes: p, q (V,) -> (V,). When p == q there is nothing left over and no proposal is ever
    rejected; p is returned so the result is still a distribution.

    Example: residual_distribution([0.5, 0.3, 0.2], [0.2, 0.6, 0.2]) -> [1.0, 0.0, 0.0]
    """
    left = jnp.maximum(jnp.asarray(p) - jnp.asarray(q), 0.0)
    total = left.sum()
    return jnp.where(total > 0, left / jnp.where(total > 0, total, 1.0), p)


def accept_or_resample(
    key: jax.Array, p: jax.Array, q: jax.Array, token: jax.Array
) -> tuple[jax.Array, jax.Array]:
    """The check at one position: keep `token` (drawn from q) with probability min(1, p/q).

    Shapes: p, q (V,), token () -> (accepted bool (), token int32 ()): the proposal itself
    when accepted, otherwise a draw from `residual_distribution(p, q)`. If token ~ q, the
    returned token is distributed exactly as p.

    Example: p = [1, 0], q = [0.5, 0.5], token 1 -> (False, 0): p(1)/q(1) = 0, never kept.
    """
    accept_key, resample_key = jax.random.split(key)
    p_x, q_x = p[token], q[token]
    ratio = jnp.where(q_x > 0, p_x / jnp.where(q_x > 0, q_x, 1.0), 1.0)
    accepted = jax.random.uniform(accept_key) < ratio  # u in [0, 1): P(u < r) = min(1, r)
    residual = residual_distribution(p, q)
    resampled = jax.random.categorical(resample_key, jnp.log(residual))
    return accepted, jnp.where(accepted, token, resampled).astype(jnp.int32)


def speculative_generate(
    target: GPT,
    draft: GPT,
    prompt_ids: Sequence[int],
    max_new_tokens: int,
    *,
    key: jax.Array,
    gamma: int = 4,
    temperature: float = 1.0,
) -> tuple[list[int], SpeculativeStats]:
    """Sample `max_new_tokens` tokens from `target`, with `draft` proposing `gamma` at a time.

    Args:
        target, draft: GPTs with the same vocabulary (the same tokenizer).
        prompt_ids: token ids (T,), at least one.
        max_new_tokens: tokens to add (>= 1). T + max_new_tokens - 1 + gamma must fit in
            both block_sizes (no sliding window, so the text stays exactly the target's).
        key: jax.random key; the same key gives the same tokens.
        gamma: proposals per round (>= 1).
        temperature: as in `llmlab.generate`; 0 gives exactly the target's greedy text.

    Returns:
        (new token ids, prompt excluded, SpeculativeStats).

    Example:
        speculative_generate(big, small, [0], 8, key=jax.random.key(0), gamma=3,
            temperature=0.0)[0] == generate(big, [0], 8, key=..., temperature=0.0)
    """
    for name, model in (("target", target), ("draft", draft)):
        if not isinstance(model, GPT):
            raise TypeError(f"{name} must be a GPT, got {type(model).__name__}")
    V = target.config.vocab_size
    if draft.config.vocab_size != V:
        raise ValueError(
            f"the draft and the target must share one tokenizer: the target's vocabulary has "
            f"{V} tokens, the draft's {draft.config.vocab_size}"
        )
    if isinstance(gamma, bool) or not isinstance(gamma, int | np.integer) or gamma < 1:
        raise ValueError(f"gamma (tokens the draft proposes per round) must be an int >= 1, "
                         f"got {gamma!r}")  # fmt: skip
    tokens = _check_prompt(prompt_ids, V)
    _check_count(max_new_tokens)
    _check_key(key)
    temperature = _check_knobs(temperature, None, None, V)[0]
    room = min(target.config.block_size, draft.config.block_size)
    if len(tokens) + max_new_tokens - 1 + gamma > room:
        raise ValueError(
            f"prompt ({len(tokens)} tokens) + max_new_tokens ({max_new_tokens}) - 1 + gamma "
            f"({gamma}) must fit in the context window of {room} tokens: crop the prompt or "
            f"ask for fewer tokens"
        )

    (t_def, t_leaves), (d_def, d_leaves) = _flat(target), _flat(draft)
    prefill_t, prefill_d = _compiled_prefill(*t_def), _compiled_prefill(*d_def)
    window, _ = _window(tokens, target.config.block_size)
    t_cache = prefill_t(t_leaves, window)
    d_cache = prefill_d(d_leaves, _window(tokens, draft.config.block_size)[0])
    new, proposals, accepted, passes = [], 0, 0, 1
    while len(new) < max_new_tokens:
        n = len(tokens)
        feed = jnp.asarray(tokens[-2:], jnp.int32)[None]  # (1, 1 or 2): last tokens, re-fed
        round_fn = _compiled_round(t_def, d_def, int(gamma))
        out, count, key, t_cache, d_cache = round_fn(
            t_leaves, d_leaves, feed, n, t_cache, d_cache, key, temperature
        )
        out, count = jax.device_get((out, count))
        passes += 1
        proposals += gamma
        accepted += int(count) - 1
        for token in out[: int(count)].tolist():
            tokens.append(token)
            new.append(token)
    stats = SpeculativeStats(max_new_tokens, proposals, accepted, passes)
    return new[:max_new_tokens], stats


def _flat(model: GPT):
    graphdef, state = nnx.split(model)
    leaves, treedef = jax.tree.flatten(state)
    return (graphdef, treedef), leaves


def _eval_model(graphdef, treedef, leaves) -> GPT:
    model = nnx.merge(graphdef, jax.tree.unflatten(treedef, leaves))
    model.eval()  # a copy inside the trace: dropout off, the caller's model untouched
    return model


@lru_cache(maxsize=16)
def _compiled_prefill(graphdef, treedef):
    @jax.jit
    def prefill(leaves, window):
        """Cache the keys and values of the padded prompt window (1, S)."""
        model = _eval_model(graphdef, treedef, leaves)
        return model.decode(window, model.init_cache(1), 0)[1]

    return prefill


@lru_cache(maxsize=16)
def _compiled_round(t_def, d_def, gamma: int):
    """One round, compiled: draft proposes G tokens, target checks them in one pass."""

    @jax.jit
    def round_fn(t_leaves, d_leaves, feed, n, t_cache, d_cache, key, temperature):
        target, draft = _eval_model(*t_def, t_leaves), _eval_model(*d_def, d_leaves)
        F = feed.shape[1]
        # Draft: re-feed the last F tokens (positions n-F..n-1), then its own proposals.
        logits, d_cache = draft.decode(feed, d_cache, n - F)
        logits = logits[0, -1]
        xs, qs = [], []
        for i in range(gamma):
            key, subkey = jax.random.split(key)
            x = sample(subkey, logits, temperature)
            xs.append(x)
            qs.append(probabilities(logits, temperature))
            if i < gamma - 1:
                logits, d_cache = draft.decode(x.reshape(1, 1), d_cache, n + i)
                logits = logits[0, 0]
        xs, qs = jnp.stack(xs).astype(jnp.int32), jnp.stack(qs)  # (G,), (G, V)
        # Target: the last token and the G proposals, positions n-1..n-1+G, in one pass.
        checked = jnp.concatenate([feed[0, -1:], xs])[None]  # (1, G + 1)
        t_logits, t_cache = target.decode(checked, t_cache, n - 1)
        ps = probabilities(t_logits[0], temperature)  # (G + 1, V)
        key, *keys = jax.random.split(key, gamma + 2)
        ok, fixed = jax.vmap(accept_or_resample)(jnp.stack(keys[:gamma]), ps[:gamma], qs, xs)
        k = jnp.argmin(jnp.append(ok, False))  # first rejection; G when all were accepted
        bonus = jax.random.categorical(keys[gamma], jnp.log(ps[gamma])).astype(jnp.int32)
        last = jnp.append(fixed, bonus)[k]  # the resampled token, or the bonus
        out = jnp.where(jnp.arange(gamma + 1) < k, jnp.append(xs, 0), last)  # (G + 1,)
        return out, k + 1, key, t_cache, d_cache

    return round_fn
