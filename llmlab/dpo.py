"""DPO: learn from preference pairs directly, without a separate reward model.

For a prompt x with a preferred answer y_c and a rejected one y_r, Direct Preference
Optimisation (Rafailov et al., 2023) defines each answer's implicit reward

    r(y) = β · (log π(y | x) − log π_ref(y | x))

(how much more likely the policy π makes y than the frozen reference π_ref, usually the SFT
model) and minimises the Bradley–Terry loss on those rewards: −ln σ(r(y_c) − r(y_r)).
β sets how far π may move from π_ref: small β lets it drift far. The reference's
log-probabilities never change, so they are computed once (`with_reference`) and travel with
the data; `fit(..., loss_fn=DPOLoss(beta), batch_fn=pair_batch)` then trains the policy.

Shape letters: B batch (pairs), T time, V vocabulary, N pairs in a data set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx
from jax.typing import ArrayLike

from llmlab.chat import ChatArrays, encode_chat, pack_chats
from llmlab.loss import token_nll
from llmlab.preferences import bt_loss


def sequence_logprob(logits: ArrayLike, targets: ArrayLike, mask: ArrayLike) -> jax.Array:
    """log π(answer | prompt): the sum of ln p(target) over the masked-in positions.

    Shapes: logits (B, T, V), targets int (B, T), mask bool (B, T) -> (B,).
    A sum, not a mean: it is the log-probability of the whole answer.
    """
    mask = jnp.asarray(mask)
    logp = -token_nll(logits, targets)
    if mask.shape != logp.shape:
        raise ValueError(f"mask must have the targets' shape {logp.shape}, got {mask.shape}")
    return jnp.sum(jnp.where(mask, logp, 0.0), axis=-1)


def implicit_reward(policy_logp: ArrayLike, ref_logp: ArrayLike, beta: float) -> jax.Array:
    """β (log π(y) − log π_ref(y)). Shapes: (B,), (B,) -> (B,)."""
    return beta * (jnp.asarray(policy_logp) - jnp.asarray(ref_logp))


def dpo_loss(
    policy_chosen: ArrayLike,
    policy_rejected: ArrayLike,
    ref_chosen: ArrayLike,
    ref_rejected: ArrayLike,
    beta: float = 0.1,
) -> jax.Array:
    """Mean −ln σ(β [(log π(y_c) − log π_ref(y_c)) − (log π(y_r) − log π_ref(y_r))]).

    Shapes: four sequence log-probabilities (B,) -> scalar. Equal to
    `bt_loss(implicit_reward(policy_chosen, ref_chosen, β), implicit_reward(...rejected...))`.

    Example: policy = reference -> every reward is 0 -> loss ln 2 ≈ 0.693.
    """
    if not beta > 0:
        raise ValueError(f"beta must be > 0, got {beta!r}")
    chosen = implicit_reward(policy_chosen, ref_chosen, beta)
    rejected = implicit_reward(policy_rejected, ref_rejected, beta)
    return bt_loss(chosen, rejected)


def dpo_metrics(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1) -> dict:
    """What DPO runs track: loss, mean rewards, reward margin and preference accuracy.

    margin = mean(r(y_c) − r(y_r)); accuracy = fraction of pairs with r(y_c) > r(y_r).
    """
    chosen = implicit_reward(policy_chosen, ref_chosen, beta)
    rejected = implicit_reward(policy_rejected, ref_rejected, beta)
    return {
        "loss": float(bt_loss(chosen, rejected)),
        "chosen_reward": float(jnp.mean(chosen)),
        "rejected_reward": float(jnp.mean(rejected)),
        "margin": float(jnp.mean(chosen - rejected)),
        "accuracy": float(jnp.mean(chosen > rejected)),
    }


class PairArrays(NamedTuple):
    """N preference pairs, packed: chosen and rejected answers (ChatArrays, each (N, T)) and
    the reference model's log-probabilities of each (N,)."""

    chosen: ChatArrays
    rejected: ChatArrays
    ref_chosen: np.ndarray
    ref_rejected: np.ndarray


def pack_pairs(pairs: Sequence[dict], tokenizer: Any, block_size: int, pad_id: int) -> PairArrays:
    """Encode pairs {"prompt": [messages], "chosen": str, "rejected": str} for training.

    Each answer becomes the prompt plus one assistant message; the loss mask covers the answer
    only. Reference log-probabilities start at 0: fill them in with `with_reference`.
    """
    if not pairs:
        raise ValueError("there are no preference pairs to pack")
    packed = []
    for side in ("chosen", "rejected"):
        examples = []
        for k, pair in enumerate(pairs):
            if not isinstance(pair, dict) or not {"prompt", "chosen", "rejected"} <= set(pair):
                raise ValueError(
                    f"pair {k} must be a dict with 'prompt', 'chosen' and 'rejected', got {pair!r}"
                )
            answer = {"role": "assistant", "content": pair[side]}
            examples.append(encode_chat([*pair["prompt"], answer], tokenizer))
        packed.append(pack_chats(examples, block_size, pad_id))
    zeros = np.zeros(len(pairs), np.float32)
    return PairArrays(packed[0], packed[1], zeros, zeros.copy())


def _both_logprobs(model, batch: PairArrays) -> tuple[jax.Array, jax.Array]:
    """Policy log-probs of the chosen and the rejected answers, in one forward pass (2B rows)."""
    c, r = batch.chosen, batch.rejected
    x = jnp.concatenate([c.x, r.x])
    logp = sequence_logprob(model(x), jnp.concatenate([c.y, r.y]), jnp.concatenate([c.mask,
                            r.mask]))  # fmt: skip
    return logp[: c.x.shape[0]], logp[c.x.shape[0] :]


def with_reference(reference: Any, data: PairArrays, batch_size: int = 64) -> PairArrays:
    """`data` with the frozen reference model's log-probabilities of every answer filled in."""
    graphdef, state = nnx.split(reference)
    fn = jax.jit(lambda state, batch: _both_logprobs(nnx.merge(graphdef, state), batch))
    n = data.chosen.x.shape[0]
    parts = [fn(state, jax.tree.map(lambda a, s=s: jnp.asarray(a)[s : s + batch_size], data))
             for s in range(0, n, batch_size)]  # fmt: skip
    chosen = np.concatenate([np.asarray(p[0]) for p in parts])
    rejected = np.concatenate([np.asarray(p[1]) for p in parts])
    return data._replace(ref_chosen=chosen, ref_rejected=rejected)


def pair_batch(key: jax.Array, data: PairArrays, batch_size: int) -> PairArrays:
    """B random pairs (with replacement): a `fit` batch_fn. Shapes: (N, ...) -> (B, ...)."""
    rows = jax.random.randint(key, (batch_size,), 0, data.chosen.x.shape[0])
    return jax.tree.map(lambda a: jnp.asarray(a)[rows], data)


@dataclass(frozen=True)
class DPOLoss:
    """The DPO loss of a model on a PairArrays batch: a `fit` loss_fn.

    A frozen dataclass, so two DPOLoss(0.1) are equal and `fit` compiles its step once.
    """

    beta: float = 0.1

    def __call__(self, model: Any, batch: PairArrays) -> jax.Array:
        chosen, rejected = _both_logprobs(model, batch)
        return dpo_loss(chosen, rejected, batch.ref_chosen, batch.ref_rejected, self.beta)


def evaluate_pairs(model: Any, data: PairArrays, beta: float = 0.1) -> dict:
    """`dpo_metrics` of `model` on every pair of `data` (with its reference log-probs)."""
    policy = with_reference(model, data)
    return dpo_metrics(policy.ref_chosen, policy.ref_rejected, data.ref_chosen,
                       data.ref_rejected, beta)  # fmt: skip
