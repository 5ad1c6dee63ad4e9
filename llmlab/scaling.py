"""Scaling laws: train GPTs of several sizes on the same tokens, then fit L(N) = a · N^(-b) (+ c).

Kaplan et al. (2020) found that a language model's loss falls as a power of its size N when
nothing else holds it back: L(N) = a · N^(-b). On log-log axes that is a straight line,
log L = log a - b · log N, so `fit_power_law` fits a line by least squares in log space.
Bigger models also level off at a loss no model can beat (the entropy of the text itself);
`irreducible=True` fits that floor c as well, L(N) = c + a · N^(-b). It needs 3 points at
least and points that already bend; with the four tiny models a CPU sweep trains, c is poorly
pinned down, so the default is the plain power law (c = 0).

N counts the non-embedding parameters, as Kaplan does: the token and position tables grow with
the vocabulary and the context, not with what the model can compute, and leaving them out gives
a straighter line for small models.

Shape letters: N corpus length in tokens (for the data arrays), V vocabulary.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

import jax
import numpy as np
from flax import nnx

from llmlab.i18n import say
from llmlab.model import GPT, GPTConfig, count_params
from llmlab.optimizer import TrainConfig
from llmlab.train import evaluate, fit

# `_fit_floor` tries this many floors c, with gaps min L - c from min L down to
# _SMALLEST_GAP · min L, evenly spaced in log, before refining around the best one.
_FLOOR_GRID = 300
_SMALLEST_GAP = 1e-9


class PowerLaw(NamedTuple):
    """L(N) = c + a · N^(-b): the fitted curve; `predict(N)` reads a loss off it.

    Example:
        PowerLaw(a=10.0, b=0.5).predict(100) -> 10 · 100^-0.5 = 1.0
    """

    a: float
    b: float
    c: float = 0.0

    def predict(self, n_params: float | Sequence[float] | np.ndarray) -> float | np.ndarray:
        """The loss the law gives for N parameters (a number or an array of them)."""
        n = np.asarray(n_params, dtype=np.float64)
        loss = self.c + self.a * n ** (-self.b)
        return float(loss) if loss.ndim == 0 else loss

    def __str__(self) -> str:
        floor = f"{self.c:.3g} + " if self.c else ""
        return f"L(N) = {floor}{self.a:.4g} · N^(-{self.b:.4g})"


def _positive_array(values, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64).ravel()
    bad = np.flatnonzero(~(np.isfinite(arr) & (arr > 0)))
    if bad.size:
        raise ValueError(say("scale.not_positive", name=name, value=arr[bad[0]], position=bad[0]))
    return arr


def _line(log_n: np.ndarray, log_l: np.ndarray) -> tuple[float, float]:
    """Least-squares line log_l ≈ intercept + slope · log_n, as (a, b) = (e^intercept, -slope)."""
    slope, intercept = np.polyfit(log_n, log_l, 1)
    return math.exp(intercept), -float(slope)


def _log_misfit(c: float, n: np.ndarray, losses: np.ndarray) -> tuple[float, float, float]:
    """Fit a, b to L - c; return (sum of squared log errors of L itself, a, b)."""
    a, b = _line(np.log(n), np.log(losses - c))
    predicted = c + a * n ** (-b)
    return float(np.sum((np.log(losses) - np.log(predicted)) ** 2)), a, b


def _fit_floor(n: np.ndarray, losses: np.ndarray) -> PowerLaw:
    """Search c in [0, min L): for each c the best a, b are a line fit, so only c is searched.

    c is searched through the gap g = min L - c on a log scale (a floor can sit a millionth
    below the smallest loss): a grid of log g, then golden-section search around its best point.
    """
    top = float(losses.min())

    def misfit(log_gap: float) -> float:
        return _log_misfit(top - math.exp(log_gap), n, losses)[0]

    grid = np.linspace(math.log(top), math.log(top * _SMALLEST_GAP), _FLOOR_GRID)
    errors = [misfit(g) for g in grid]
    best = int(np.argmin(errors))
    lo, hi = grid[min(best + 1, _FLOOR_GRID - 1)], grid[max(best - 1, 0)]
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(80):  # each step keeps 0.618 of the interval: 80 steps leave 1e-17 of it
        x1, x2 = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        if misfit(x1) <= misfit(x2):
            hi = x2
        else:
            lo = x1
    c = top - math.exp((lo + hi) / 2)
    if misfit(math.log(top)) <= _log_misfit(c, n, losses)[0]:
        c = 0.0  # no floor fits better than none
    _, a, b = _log_misfit(c, n, losses)
    return PowerLaw(a, b, c)


def fit_power_law(n_params: Sequence[float], losses: Sequence[float], *,
                  irreducible: bool = False) -> PowerLaw:  # fmt: skip
    """Fit L(N) = a · N^(-b) by least squares on log L against log N.

    Args:
        n_params: model sizes N (>= 2 different ones), positive.
        losses: one loss per size, positive.
        irreducible: also fit a floor c in [0, min L): L(N) = c + a · N^(-b). Needs >= 3
            points; c is chosen to minimise the squared error of log L, and is 0 when no
            floor fits better than the plain power law.

    Returns:
        PowerLaw(a, b, c); `.predict(N)` gives the loss at any size.

    Example:
        fit_power_law([1e2, 1e4], [1.0, 0.1]) -> a = 10, b = 0.5 (log10 L falls 1 per 2 of N)
    """
    n = _positive_array(n_params, "n_params")
    loss = _positive_array(losses, "losses")
    if n.size != loss.size:
        raise ValueError(say("scale.lengths_differ", n=n.size, m=loss.size))
    need = 3 if irreducible else 2
    if n.size < need:
        raise ValueError(say("scale.too_few_points", what="fit_power_law", need=need, got=n.size))
    if np.unique(n).size < 2:
        raise ValueError(say("scale.one_size", value=float(n[0])))
    if irreducible:
        return _fit_floor(n, loss)
    return PowerLaw(*_line(np.log(n), np.log(loss)))


class SweepPoint(NamedTuple):
    """One model of a sweep: its size, its validation loss and what it cost.

    n_params: non-embedding parameters (the N of the scaling law); n_total: all of them.
    """

    n_params: int
    val_loss: float
    n_total: int
    config: GPTConfig
    seconds: float


def non_embedding_params(model: GPT) -> int:
    """Parameters outside the token and position tables: count_params - (V + T) · C."""
    c = model.config
    return count_params(model) - (c.vocab_size + c.block_size) * c.n_embd


def _check_size(size) -> tuple[int, int, int]:
    ok = isinstance(size, Sequence) and len(size) == 3
    ok = ok and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in size)
    if not ok or size[2] % size[1]:
        raise ValueError(say("scale.size", value=size))
    return tuple(size)


def sweep(sizes: Sequence[tuple[int, int, int]], tokens: int, train_data: np.ndarray,
          val_data: np.ndarray, *, vocab_size: int, block_size: int = 64, batch_size: int = 16,
          lr: float = 3e-3, eval_iters: int = 20, seed: int = 0,
          on_point: Callable[[SweepPoint], object] | None = None) -> list[SweepPoint]:  # fmt: skip
    """Train one GPT per size on the same `tokens` training tokens; measure each one's val loss.

    Every model sees the same batches in the same order (same seed, same batch shape), so the
    sizes differ in nothing but their shape. Steps = tokens // (batch_size · block_size).

    Args:
        sizes: (n_layer, n_head, n_embd) per model, e.g. [(1, 2, 16), (2, 2, 32), (2, 4, 64)].
        tokens: the training budget in tokens, the same for every size.
        train_data, val_data: int token ids (N,).
        vocab_size: V of the tokenizer; block_size, batch_size, lr: as in TrainConfig.
        eval_iters: (B, T) windows averaged for each validation loss.
        on_point: called with each SweepPoint as soon as it is measured (to print progress).

    Returns:
        one SweepPoint per size, in the order given.
    """
    shapes = [_check_size(size) for size in sizes]
    if not shapes:
        raise ValueError(say("scale.no_sizes"))
    steps = tokens // (batch_size * block_size) if isinstance(tokens, int) else 0
    if isinstance(tokens, bool) or steps < 1:
        raise ValueError(say("scale.tokens", need=batch_size * block_size, got=tokens))
    cfg = TrainConfig(batch_size=batch_size, block_size=block_size, lr=lr, min_lr=lr / 10,
                      warmup_steps=steps // 10, max_steps=steps, eval_interval=steps,
                      eval_iters=eval_iters, log_interval=steps, seed=seed)  # fmt: skip
    points = []
    for n_layer, n_head, n_embd in shapes:
        start = time.perf_counter()
        config = GPTConfig(vocab_size, block_size, n_layer, n_head, n_embd)
        model = GPT(config, rngs=nnx.Rngs(seed))
        history = fit(model, train_data, val_data, cfg)
        val_loss = history["val_loss"][-1] if len(history) else None
        if val_loss is None:  # fit stopped early (a NaN loss): measure the weights it kept
            val_loss = evaluate(model, val_data, cfg, jax.random.key(seed))
        point = SweepPoint(non_embedding_params(model), float(val_loss), count_params(model),
                           config, time.perf_counter() - start)  # fmt: skip
        points.append(point)
        if on_point is not None:
            on_point(point)
    return points
