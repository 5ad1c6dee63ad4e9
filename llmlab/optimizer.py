"""The recipe of a training run: `TrainConfig`, the learning-rate schedule and the optimiser.

`lr_schedule` ramps the learning rate up linearly ("warm-up": early gradients are noisy, so the
first steps are small) and then lets it fall along half a cosine to `min_lr`. `make_optimizer`
clips the gradient's global norm, then applies AdamW with that schedule, decaying only the
weight matrices (biases and LayerNorm gains are left alone, as in nanoGPT and GPT-2).
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import jax
import optax


@dataclass(frozen=True)
class TrainConfig:
    """Every number of a training run; frozen so a run can be repeated exactly.

    Example:
        TrainConfig.nanogpt_cpu() -> nanoGPT's Shakespeare recipe on a CPU (2,000 steps)
    """

    batch_size: int = 12  # B: windows per step
    block_size: int = 64  # T: tokens per window (at most the model's block_size)
    lr: float = 1e-3  # peak learning rate, reached after the warm-up
    min_lr: float = 1e-4  # learning rate at max_steps, the end of the cosine
    warmup_steps: int = 100  # linear ramp from 0, so early noisy gradients take small steps
    max_steps: int = 2000
    weight_decay: float = 0.1  # AdamW's pull towards 0, on matrices only (not biases/LayerNorm)
    beta1: float = 0.9
    beta2: float = 0.99  # a little below Adam's 0.999: small batches give noisy gradients
    grad_clip: float = 1.0  # the whole gradient is scaled down when its norm is above this
    eval_interval: int = 250  # measure the validation loss every this many steps
    eval_iters: int = 200  # random batches averaged per validation loss
    log_interval: int = 10  # steps per compiled call and per History record
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("batch_size", "block_size", "max_steps", "eval_interval", "eval_iters"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"TrainConfig.{name} must be a positive int, got {value!r}")
        if not isinstance(self.log_interval, int) or self.log_interval < 1:
            raise ValueError(f"TrainConfig.log_interval must be >= 1, got {self.log_interval!r}")
        if not 0 <= self.warmup_steps < self.max_steps:
            raise ValueError(
                f"warmup_steps must be in [0, max_steps={self.max_steps}), got {self.warmup_steps}"
            )
        for name in ("lr", "min_lr", "weight_decay", "beta1", "beta2", "grad_clip"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
                raise ValueError(f"TrainConfig.{name} must be a number (not NaN), got {value!r}")
        if not 0 <= self.min_lr <= self.lr < math.inf:
            raise ValueError(
                f"need 0 <= min_lr <= lr < inf, got min_lr={self.min_lr}, lr={self.lr}"
            )
        if not 0 < self.grad_clip < math.inf:
            raise ValueError(f"grad_clip must be a finite number > 0, got {self.grad_clip}")
        if not 0 <= self.weight_decay < math.inf:
            raise ValueError(f"weight_decay must be a finite number >= 0, got {self.weight_decay}")
        if not (0 <= self.beta1 < 1 and 0 <= self.beta2 < 1):
            raise ValueError(f"beta1 and beta2 must be in [0, 1), got {self.beta1}, {self.beta2}")

    @classmethod
    def nanogpt_cpu(cls) -> TrainConfig:
        """nanoGPT's `train_shakespeare_char` CPU recipe (batch 12, context 64, 2,000 steps)."""
        return cls()

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of the fields (JSON-friendly), for checkpoints."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        """Inverse of `to_dict`; unknown keys raise ValueError."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(
                f"unknown TrainConfig fields {unknown}; expected some of {sorted(known)}"
            )
        return cls(**d)


def lr_schedule(cfg: TrainConfig) -> optax.Schedule:
    """Learning rate per step: 0 -> lr linearly over warmup_steps, then cosine down to min_lr.

    Example (lr 1e-3, min_lr 1e-4, warm-up 100, 2,000 steps):
        step 0 -> 0, step 50 -> 5e-4, step 100 -> 1e-3 (peak),
        step 1050 (half-way down) -> 1e-4 + (1e-3 - 1e-4) / 2 = 5.5e-4, step 2000 -> 1e-4
    """
    return optax.warmup_cosine_decay_schedule(
        init_value=0.0,
        peak_value=cfg.lr,
        warmup_steps=cfg.warmup_steps,
        decay_steps=cfg.max_steps,  # counted from step 0, warm-up included
        end_value=cfg.min_lr,
    )


@lru_cache(maxsize=32)
def make_optimizer(cfg: TrainConfig) -> optax.GradientTransformation:
    """Gradient clipping, then AdamW on the `lr_schedule`; weight decay on matrices only.

    The same cfg gives the same (cached) object, so jitted steps that take it as a static
    argument are compiled once, not once per `fit`.
    """
    decay_mask = partial(jax.tree.map, lambda p: p.ndim >= 2)
    return optax.chain(
        optax.clip_by_global_norm(cfg.grad_clip),
        optax.adamw(
            lr_schedule(cfg),
            b1=cfg.beta1,
            b2=cfg.beta2,
            weight_decay=cfg.weight_decay,
            mask=decay_mask,
        ),
    )
