"""How wrong is a prediction? Negative log-likelihood (cross-entropy) and perplexity.

The loss for one position is -ln p(correct token). With logits z, p = softmax(z), so
-ln p[y] = logsumexp(z) - z[y]: computed that way it never takes the log of an underflowed 0.
Cross-entropy with a one-hot target is exactly this number, so `cross_entropy` is `nll`.

Shape letters: V vocabulary size; "..." any batch axes, e.g. (B, T).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike


def _known_value(x: ArrayLike) -> np.ndarray | None:
    """x as a numpy array if its value is known now, None while it is traced under jit."""
    try:
        return np.asarray(x)
    except (jax.errors.TracerArrayConversionError, jax.errors.ConcretizationTypeError):
        return None


def _check(scores: ArrayLike, targets: ArrayLike, name: str) -> tuple[jax.Array, jax.Array]:
    """Validate scores (..., V) against integer targets (...) and return them as arrays."""
    scores, targets = jnp.asarray(scores), jnp.asarray(targets)
    if scores.ndim == 0 or scores.shape[:-1] != targets.shape:
        raise ValueError(
            f"{name} must have shape (..., V) and targets shape (...): "
            f"got {name} {scores.shape} and targets {targets.shape}"
        )
    if not jnp.issubdtype(targets.dtype, jnp.integer):
        raise TypeError(f"targets must be integer token ids, got dtype {targets.dtype}")
    if not jnp.issubdtype(scores.dtype, jnp.floating):
        scores = scores.astype(jnp.float32)
    known = _known_value(targets)
    vocab_size = scores.shape[-1]
    if known is not None:
        bad = np.argwhere((known < 0) | (known >= vocab_size))
        if len(bad):
            where = tuple(int(i) for i in bad[0])
            raise ValueError(
                f"targets{list(where)} = {known[where]} is not a token id in [0, {vocab_size})"
            )
    return scores, targets


def _mean(per_position: jax.Array, mask: ArrayLike | None) -> jax.Array:
    """Mean over all positions, or over the masked-in ones (mask True / weight > 0)."""
    if mask is None:
        return jnp.mean(per_position)
    mask = jnp.asarray(mask)
    if mask.shape != per_position.shape:
        raise ValueError(
            f"mask must have the targets' shape {per_position.shape}, got {mask.shape}"
        )
    weights = mask.astype(per_position.dtype)
    known = _known_value(weights)
    if known is not None:
        if (known < 0).any() or np.isnan(known).any():
            raise ValueError("mask must be boolean or hold weights >= 0")
        if known.sum() == 0:
            raise ValueError("the mask hides every position: there is no token to average over")
    # jnp.where, not a product: a hidden position with an infinite loss would give inf * 0 = NaN.
    total = jnp.sum(jnp.where(weights > 0, per_position * weights, 0.0))
    count = jnp.sum(weights)
    return jnp.where(count > 0, total / jnp.where(count > 0, count, 1.0), 0.0)


def token_nll(logits: ArrayLike, targets: ArrayLike) -> jax.Array:
    """-ln softmax(logits)[target] at every position, via logsumexp.

    Shapes: logits (..., V), targets int (...) -> (...). Equal to
    optax.softmax_cross_entropy_with_integer_labels(logits, targets).

    Example: logits [0, 0, 0, 0] (uniform over V = 4), target 2 -> ln 4 ≈ 1.386
    """
    logits, targets = _check(logits, targets, "logits")
    correct = jnp.take_along_axis(logits, targets[..., None], axis=-1)[..., 0]
    return jax.nn.logsumexp(logits, axis=-1) - correct


def nll(logits: ArrayLike, targets: ArrayLike, mask: ArrayLike | None = None) -> jax.Array:
    """Mean negative log-likelihood of the targets: the training loss of a language model.

    Shapes: logits (..., V), targets int (...), mask bool (...) or None -> scalar.
    With a mask, the mean is over masked-in positions only (a float mask acts as weights). A mask
    that is known to hide everything raises ValueError; under jit it gives 0 (no NaN).
    Known targets outside [0, V) raise ValueError.

    Example: logits [[0, ln 3]] (p = [1/4, 3/4]), targets [1] -> -ln(3/4) ≈ 0.288
    """
    return _mean(token_nll(logits, targets), mask)


cross_entropy = nll


def nll_from_probs(
    probs: ArrayLike, targets: ArrayLike, mask: ArrayLike | None = None
) -> jax.Array:
    """Mean -ln p[target] when you already have probabilities (p = 0 gives inf).

    Shapes: probs (..., V), targets int (...), mask as in `nll` -> scalar.

    Example: probs [[0.25, 0.75]], targets [1] -> -ln 0.75 ≈ 0.288
    """
    probs, targets = _check(probs, targets, "probs")
    correct = jnp.take_along_axis(probs, targets[..., None], axis=-1)[..., 0]
    return _mean(-jnp.log(correct), mask)


def perplexity(mean_nll: ArrayLike) -> jax.Array:
    """exp(mean NLL): the number of equally likely tokens the model is as unsure as.

    Shapes: any -> same. A uniform guess over V tokens has NLL ln V and perplexity V.

    Example: perplexity(ln 65) -> 65 (as unsure as a blind guess among 65 characters).
    """
    return jnp.exp(jnp.asarray(mean_nll))
