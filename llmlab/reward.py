"""A reward model: a GPT that reads a whole answer and gives it one number.

The GPT's transformer reads prompt + answer; instead of next-token logits, a Linear layer
(C -> 1) turns the hidden state at the answer's last token into a scalar reward. Trained on
preference pairs with the Bradley–Terry loss −ln σ(r(chosen) − r(rejected)), its rewards
become ratings of answers (InstructGPT's recipe, the "RM" of RLHF).

Shape letters: B batch, T time, C channels.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

from llmlab.attention import causal_mask
from llmlab.chat import ChatArrays
from llmlab.dpo import PairArrays
from llmlab.model import GPT
from llmlab.preferences import bt_loss


def last_positions(mask: jax.Array) -> jax.Array:
    """Index of the last True in each row. Shapes: bool (B, T) -> int (B,).

    Example: [[1, 1, 0], [0, 1, 1]] -> [1, 2]
    """
    T = mask.shape[-1]
    return T - 1 - jnp.argmax(mask[..., ::-1], axis=-1)


class RewardModel(nnx.Module):
    """A GPT body with a scalar head: `rm(x, mask)` -> one reward per row (B,).

    The reward is read at the last position where mask is 1: in packed chat data
    (`ChatArrays`) that position has read the whole answer.
    """

    def __init__(self, gpt: GPT, *, rngs: nnx.Rngs):
        if not isinstance(gpt, GPT):
            raise TypeError(f"a reward model starts from a GPT, got {type(gpt).__name__}")
        self.gpt = gpt
        self.head = nnx.Linear(
            gpt.config.n_embd, 1, kernel_init=nnx.initializers.zeros, rngs=rngs
        )  # fmt: skip  (zeros: every answer starts at reward 0)

    def hidden(self, idx: jax.Array) -> jax.Array:
        """The GPT's forward pass without its output head: (B, T) -> (B, T, C)."""
        g = self.gpt
        T = g._check_idx(idx)
        x = g.wte(idx) + g.wpe(jnp.arange(T))[None]
        mask = causal_mask(T)
        for block in g.blocks:
            x, _, _ = block(x, mask)
        return g.ln_f(x)

    def __call__(self, idx: jax.Array, mask: jax.Array) -> jax.Array:
        """Rewards (B,) of token ids (B, T), read at each row's last masked-in position."""
        h = self.hidden(idx)  # (B, T, C)
        last = last_positions(mask)
        h_last = jnp.take_along_axis(h, last[:, None, None], axis=1)[:, 0]  # (B, C)
        return self.head(h_last)[:, 0]


def reward_loss(model: RewardModel, batch: PairArrays) -> jax.Array:
    """Bradley–Terry loss of the reward model on a batch of pairs: a `fit` loss_fn."""
    c, r = batch.chosen, batch.rejected
    return bt_loss(model(c.x, c.mask), model(r.x, r.mask))


def rewards(model: RewardModel, data: ChatArrays) -> jax.Array:
    """The reward of every packed example (N,)."""
    return model(jnp.asarray(data.x), jnp.asarray(data.mask))
