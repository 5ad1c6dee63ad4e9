"""From logits to a chosen token: softmax, temperature, top-k, top-p (nucleus) and sampling.

Every function works on one row of logits (V,) or a batch (..., V), and under `jax.jit`.
`temperature`, `top_k` and `top_p` may be traced values, so a jitted sampler compiles once and a
slider can change them freely; `None` switches a filter off (and is static: it changes the code).
Bad values that are known at call time raise ValueError; traced values cannot be checked, so they
are clipped into range instead: a negative T acts as 0, k < 1 as 1, p <= 0 keeps the top token.

Ties: top-k and top-p compare logits, so tokens with exactly equal logits are treated alike: all
tokens tied with the last one kept are kept too. Temperature 0 is greedy: the exact one-hot of
`jnp.argmax`, which picks the lowest index among tied maxima.

Shape letters: V vocabulary size; "..." any batch axes.
"""

from __future__ import annotations

import numbers

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import entr
from jax.typing import ArrayLike

from llmlab.i18n import say


def _known_value(x: ArrayLike) -> np.ndarray | None:
    """x as a numpy array if its value is known now, None while it is traced under jit."""
    try:
        return np.asarray(x)
    except (jax.errors.TracerArrayConversionError, jax.errors.ConcretizationTypeError):
        return None


def _as_logits(logits: ArrayLike) -> jax.Array:
    logits = jnp.asarray(logits)
    if logits.ndim == 0 or logits.shape[-1] == 0:
        raise ValueError(
            f"logits need a vocabulary axis: expected shape (..., V) with V >= 1, "
            f"got shape {logits.shape}"
        )
    if not jnp.issubdtype(logits.dtype, jnp.floating):
        logits = logits.astype(jnp.float32)
    return logits


def _scalar(x: ArrayLike, name: str) -> None:
    dtype = getattr(x, "dtype", None)
    if not (isinstance(x, numbers.Real) or (dtype is not None and np.issubdtype(dtype, np.number))):
        raise TypeError(f"{name} must be a number, got {x!r} ({type(x).__name__})")
    if jnp.ndim(x) != 0:
        raise ValueError(f"{name} must be a single number, got shape {jnp.shape(x)}")


def _check_key(key: object) -> None:
    is_typed_key = isinstance(key, jax.Array) and jnp.issubdtype(key.dtype, jax.dtypes.prng_key)
    is_raw_key = isinstance(key, jax.Array) and key.dtype == jnp.uint32 and key.shape == (2,)
    if not (is_typed_key or is_raw_key):
        raise TypeError(f"key must be a JAX random key such as jax.random.key(0), got {key!r}")


def _check_temperature(temperature: ArrayLike) -> None:
    _scalar(temperature, "temperature")
    value = _known_value(temperature)
    if value is not None and not value >= 0:  # `not >=` also catches NaN
        raise ValueError(say("errors.temperature_negative", value=value))


def _check_top_k(k: ArrayLike) -> None:
    _scalar(k, "top_k")
    if isinstance(k, bool) or not jnp.issubdtype(jnp.result_type(k), jnp.integer):
        raise ValueError(say("errors.top_k_not_int", value=repr(k)))
    value = _known_value(k)
    if value is not None and value < 1:
        raise ValueError(say("errors.top_k_too_small", value=value))


def _check_top_p(p: ArrayLike) -> None:
    _scalar(p, "top_p")
    value = _known_value(p)
    if value is not None and not 0 < value <= 1:
        raise ValueError(say("errors.top_p_range", value=value))


def broken_rows(logits: ArrayLike) -> jax.Array:
    """True for each row no token can be drawn from: it holds a NaN or +inf, or is all -inf.

    Shapes: (..., V) -> bool (...). Such logits come from a broken model (NaN weights, a
    diverged training run); sampling them would quietly give token 0.

    Example: broken_rows([[0.0, nan], [-inf, -inf], [0.0, -inf]]) -> [True, True, False]
    """
    logits = _as_logits(logits)
    return jnp.any(jnp.isnan(logits) | (logits == jnp.inf), axis=-1) | jnp.all(
        logits == -jnp.inf, axis=-1
    )


def _check_drawable(logits: jax.Array) -> None:
    """Refuse logits no token can be drawn from, when their values are known now."""
    if _known_value(logits) is None:
        return
    broken = np.asarray(broken_rows(logits))
    if broken.any():
        row = tuple(int(i) for i in np.argwhere(broken)[0]) if broken.ndim else None
        where = say("errors.undrawable_row", row=row) if row is not None else ""
        raise ValueError(say("errors.undrawable_logits", where=where))


def apply_temperature(logits: ArrayLike, temperature: ArrayLike) -> jax.Array:
    """Divide the logits by the temperature T: T < 1 sharpens the distribution, T > 1 flattens it.

    Shapes: (..., V) -> (..., V). T must be > 0 here; temperature 0 (greedy) is handled by
    `softmax`, `probabilities` and `sample`. (A traced T = 0 divides by zero.)

    Example: apply_temperature([2.0, 4.0], 2.0) -> [1.0, 2.0]
    """
    logits = _as_logits(logits)
    _check_temperature(temperature)
    value = _known_value(temperature)
    if value is not None and value == 0:
        raise ValueError(say("errors.temperature_zero_divide"))
    return logits / temperature


def _greedy_or(logits: jax.Array, temperature: ArrayLike, probs_of_scaled) -> jax.Array:
    """probs_of_scaled(logits / T), or the one-hot argmax when T == 0, with no NaN either way."""
    greedy = jnp.asarray(temperature) <= 0  # a traced negative T cannot raise: treat it as 0
    # Shift so the largest logit is 0: then dividing by a tiny T gives -inf, never inf - inf = NaN.
    shifted = logits - jax.lax.stop_gradient(jnp.max(logits, axis=-1, keepdims=True))
    # Divide by 1 on the greedy branch: jnp.where evaluates both branches (and their gradients),
    # so a division by 0 there would leak NaN into gradients even though its value is unused.
    probs = probs_of_scaled(shifted / jnp.where(greedy, 1.0, temperature))
    one_hot = jax.nn.one_hot(jnp.argmax(logits, axis=-1), logits.shape[-1], dtype=probs.dtype)
    return jnp.where(greedy, one_hot, probs)


def softmax(logits: ArrayLike, temperature: ArrayLike = 1.0) -> jax.Array:
    """Probabilities exp(z / T) / sum exp(z / T) over the last axis, stable for huge logits.

    Shapes: (..., V) -> (..., V), each row summing to 1. Temperature 0 gives the exact one-hot of
    the argmax (greedy). Raises ValueError for a known negative or NaN temperature.

    Example: softmax([0.0, ln 2]) -> [1/3, 2/3] (exp values 1 and 2, total 3).
    """
    logits = _as_logits(logits)
    _check_temperature(temperature)
    return _greedy_or(logits, temperature, lambda z: jax.nn.softmax(z, axis=-1))


def top_k_filter(logits: ArrayLike, k: ArrayLike) -> jax.Array:
    """Keep the k largest logits of each row and set the others to -inf.

    Shapes: (..., V) -> (..., V). Logits tied with the k-th largest are all kept, so more than k
    survive only when there are ties. k > V keeps everything. k may be traced (then k < 1 is
    treated as 1); a known k < 1 or a non-integer k raises ValueError.

    Example: top_k_filter([1.0, 3.0, 2.0], 2) -> [-inf, 3.0, 2.0]
    """
    logits = _as_logits(logits)
    _check_top_k(k)
    vocab_size = logits.shape[-1]
    descending = -jnp.sort(-logits, axis=-1)
    index = jnp.clip(jnp.asarray(k), 1, vocab_size) - 1
    kth_largest = jax.lax.dynamic_index_in_dim(descending, index, axis=-1, keepdims=True)
    return jnp.where(logits >= kth_largest, logits, -jnp.inf)


def top_p_filter(logits: ArrayLike, p: ArrayLike) -> jax.Array:
    """Nucleus filter: keep the fewest most likely tokens whose probability mass reaches p.

    Shapes: (..., V) -> (..., V), dropped logits set to -inf. The most likely token is always kept.
    Tokens tied with the least likely kept token are kept too. p may be traced (then p <= 0 acts
    like "keep only the top token"); a known p outside (0, 1] raises ValueError.

    Example: probabilities [0.5, 0.25, 0.125, 0.125], p = 0.7: 0.5 < 0.7, 0.5 + 0.25 >= 0.7,
    so the first two are kept.
    """
    logits = _as_logits(logits)
    _check_top_p(p)
    descending = -jnp.sort(-logits, axis=-1)
    probs = jax.nn.softmax(descending, axis=-1)
    # Mass of the strictly more likely tokens: a token is needed while that mass is still below p.
    mass_before = jnp.cumsum(probs, axis=-1) - probs
    needed = (mass_before < p).at[..., 0].set(True)
    cutoff = jnp.min(jnp.where(needed, descending, jnp.inf), axis=-1, keepdims=True)
    return jnp.where(logits >= cutoff, logits, -jnp.inf)


def probabilities(
    logits: ArrayLike,
    temperature: ArrayLike = 1.0,
    top_k: ArrayLike | None = None,
    top_p: ArrayLike | None = None,
) -> jax.Array:
    """The distribution `sample` actually draws from: temperature, then top-k, then top-p.

    Shapes: (..., V) -> (..., V), each row summing to 1 with zeros where tokens were filtered out.
    top_p is applied to the distribution left after temperature and top-k. Temperature 0 gives
    the one-hot of the argmax (which every filter keeps).

    Example: probabilities([0.0, ln 2, ln 3], top_k=2) -> [0, 2/5, 3/5]
    """
    logits = _as_logits(logits)
    _check_temperature(temperature)

    def filtered_softmax(scaled: jax.Array) -> jax.Array:
        if top_k is not None:
            scaled = top_k_filter(scaled, top_k)
        if top_p is not None:
            scaled = top_p_filter(scaled, top_p)
        return jax.nn.softmax(scaled, axis=-1)

    return _greedy_or(logits, temperature, filtered_softmax)


def sample(
    key: jax.Array,
    logits: ArrayLike,
    temperature: ArrayLike = 1.0,
    top_k: ArrayLike | None = None,
    top_p: ArrayLike | None = None,
) -> jax.Array:
    """Draw one token id per row from `probabilities(logits, temperature, top_k, top_p)`.

    Shapes: logits (..., V) -> int32 ids (...). The same key gives the same ids; temperature 0
    gives the argmax for every key. Logits with a NaN or +inf, or only -inf, in a row
    (see `broken_rows`) raise ValueError when known; under jit they cannot be checked.

    Example: sample(jax.random.key(0), [0.0, 5.0, 1.0], temperature=0.0) -> 1
    """
    _check_key(key)
    logits = _as_logits(logits)
    _check_drawable(logits)
    probs = probabilities(logits, temperature, top_k, top_p)
    # log 0 = -inf: a filtered token can never win the draw.
    return jax.random.categorical(key, jnp.log(probs), axis=-1).astype(jnp.int32)


def entropy(probs: ArrayLike, axis: int = -1) -> jax.Array:
    """Shannon entropy -sum p ln p in nats (0 ln 0 counts as 0): how unsure a distribution is.

    Shapes: (..., V) -> (...). Uniform over V tokens gives ln V; a one-hot gives 0.

    Example: entropy([0.5, 0.5]) -> ln 2 ≈ 0.693
    """
    probs = jnp.asarray(probs)
    if probs.ndim == 0:
        raise ValueError("entropy needs a distribution with at least one axis, got a scalar")
    return jnp.sum(entr(probs), axis=axis)
