"""Autoregressive generation: predict a token, append it, repeat.

`generate_simple` is the loop of lesson 09, written to be read: crop the text to the
context window, run the whole window through the model, sample from the last position.

`generate` gives the same tokens, faster. Its steps are jit-compiled once per model shape
(temperature, top-k and top-p travel as arrays, so changing them never recompiles) and run
STEPS tokens per call to the device. With `use_cache=True` the model keeps the keys and
values of earlier positions (the KV cache) and processes only the newest token instead of
the whole window.

Past the context window: without a cache every step sees the last block_size tokens. With
the cache, positions cannot simply slide (each token's keys depend on its learned position),
so when the cache is full it is rebuilt from the last block_size // 2 tokens and filling
resumes. Cached and uncached generation give identical tokens until the window first fills;
after that the cached model sees between block_size // 2 and block_size tokens of context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from numbers import Real

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from llmlab.i18n import say
from llmlab.model import GPT
from llmlab.sampling import _check_key, broken_rows, sample

# Tokens computed per call to the device. Streaming still reports them one by one; tokens
# computed after a stop are thrown away.
STEPS = 8


def generate_simple(
    model: GPT,
    prompt_ids: Sequence[int],
    max_new_tokens: int,
    *,
    key: jax.Array,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
) -> list[int]:
    """The readable generation loop: no cache, no compilation.

    Args:
        model: a GPT.
        prompt_ids: token ids (T,), at least one; only the last block_size are used.
        max_new_tokens: how many tokens to add.
        key: jax.random key; the same key gives the same tokens.
        temperature, top_k, top_p: as in `llmlab.sampling.sample`.

    Returns:
        the new token ids (max_new_tokens,) as a list of ints, prompt excluded.

    Example:
        generate_simple(model, [0], 3, key=jax.random.key(0), temperature=0.0) -> e.g. [5, 1, 5]
    """
    tokens = _check_prompt(prompt_ids, model.config.vocab_size)
    _check_count(max_new_tokens)
    _check_key(key)
    block_size = model.config.block_size
    for _ in range(max_new_tokens):
        context = jnp.array([tokens[-block_size:]], dtype=jnp.int32)  # (1, T), T <= block_size
        logits = model(context)[0, -1]  # (V,): the prediction for the next position
        key, subkey = jax.random.split(key)
        tokens.append(int(sample(subkey, logits, temperature, top_k, top_p)))
    return tokens[-max_new_tokens:]


def generate(
    model: GPT,
    prompt_ids: Sequence[int],
    max_new_tokens: int,
    *,
    key: jax.Array,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    use_cache: bool = True,
    on_token: Callable[[int], bool | None] | None = None,
    stop_token: int | None = None,
) -> list[int]:
    """Sample up to `max_new_tokens` tokens after the prompt with compiled steps.

    Args:
        model: a GPT (used in eval mode: no dropout; the model itself is not changed).
        prompt_ids: token ids (T,), at least one. A prompt longer than block_size is cropped
            to its last block_size tokens.
        max_new_tokens: the most tokens to add (>= 1).
        key: jax.random key; the same key gives the same tokens, with or without the cache.
        temperature: 0 is greedy (always the most likely token); higher is more random.
        top_k: keep only the k most likely tokens (None: all).
        top_p: keep the smallest set of likely tokens whose probability reaches p (None: all).
        use_cache: reuse earlier keys and values (fast); False recomputes the window each step.
        on_token: called with each new token id, in order, as soon as its group of STEPS
            tokens is back from the device (for streaming); returning False stops.
        stop_token: stop after this token has been generated (it is included in the result).

    Returns:
        the new token ids as a list of ints, prompt excluded; shorter than max_new_tokens
        when stopped by `stop_token` or `on_token`.

    Example:
        generate(model, [0], 3, key=jax.random.key(0), temperature=0.0) -> e.g. [5, 1, 5]
    """
    V, block_size = model.config.vocab_size, model.config.block_size
    tokens = _check_prompt(prompt_ids, V)
    _check_count(max_new_tokens)
    _check_key(key)
    _check_stop_token(stop_token, V)
    knobs = _check_knobs(temperature, top_k, top_p, V)

    graphdef, state = nnx.split(model)
    leaves, treedef = jax.tree.flatten(state)
    window_steps, prefill, decode_steps = _compiled_steps(graphdef, treedef)
    window, n = _window(tokens, block_size)
    n = jnp.int32(n)  # from here on n lives on the device
    new, cache, pos = [], None, 0
    # Tokens come back to the host as numpy arrays: indexing a jax array from Python would
    # dispatch a device operation per index, which costs more than a token's step.
    while True:
        if not use_cache:
            (chosen, broken), key, window, n = window_steps(leaves, window, n, key, *knobs)
            usable = STEPS
        elif cache is None or pos == block_size:
            # First step, or the cache is full: (re)build it from the end of the text.
            keep = block_size if cache is None else max(1, block_size // 2)
            window, pos = _window(tokens[-keep:], block_size)
            (chosen, broken), key, cache = prefill(leaves, window, pos, key, *knobs)
            usable = 1
        else:
            last = chosen[usable - 1]  # the newest token, from the previous call
            usable = min(STEPS, block_size - pos)  # steps past the window's end are dropped
            (chosen, broken), key, cache = decode_steps(
                leaves, last, cache, pos, usable, key, *knobs
            )
            pos += usable
        chosen, broken = jax.device_get((chosen, broken))  # one trip for both
        if broken[:usable].any():
            raise ValueError(say("errors.broken_model"))
        for token_id in chosen[:usable].tolist():
            tokens.append(token_id)
            new.append(token_id)
            stop = on_token is not None and on_token(token_id) is False
            if stop or token_id == stop_token or len(new) == max_new_tokens:
                return new


def _window(tokens: list[int], block_size: int) -> tuple[jax.Array, int]:
    """The last block_size tokens, right-padded to (1, block_size), and how many are real.

    One fixed shape means one compilation; the causal mask keeps the padding from being
    seen by the real positions.
    """
    window = tokens[-block_size:]
    padded = np.zeros((1, block_size), dtype=np.int32)
    padded[0, : len(window)] = window
    return jnp.asarray(padded), len(window)


@lru_cache(maxsize=16)
def _compiled_steps(graphdef: nnx.GraphDef, treedef) -> tuple[Callable, Callable, Callable]:
    """The jit-compiled steps for one model structure, built once and then reused.

    The structure (graphdef, treedef) is captured here instead of being passed to every
    call: hashing it again for each call would cost more than a token. The weights come
    in as a flat list of arrays. `window_steps` and `decode_steps` each run STEPS tokens
    in one call (a `lax.scan`), which saves STEPS - 1 trips between Python and the device.
    """

    def eval_model(leaves):
        model = nnx.merge(graphdef, jax.tree.unflatten(treedef, leaves))
        model.eval()  # a copy inside the trace: dropout off, the caller's model untouched
        return model

    def pick(logits, key, temperature, top_k, top_p):
        """Draw from logits (V,); also say whether they were broken (checked once per call
        on the host, so the check costs no extra trip per token)."""
        key, subkey = jax.random.split(key)
        token = sample(subkey, logits, temperature, top_k, top_p)
        return (token, broken_rows(logits)), key

    @jax.jit
    def window_steps(leaves, window, n, key, *knobs):
        """Without cache: STEPS times, run the whole window (1, S) and append the token drawn
        after its n-th (last real) token, sliding the window once it is full."""
        model, S = eval_model(leaves), window.shape[1]

        def step(carry, _):
            window, n, key = carry
            (token, broken), key = pick(model(window)[0, n - 1], key, *knobs)
            window = jnp.where(n == S, jnp.roll(window, -1, axis=1), window)
            window = jax.lax.dynamic_update_slice(
                window, token.reshape(1, 1), (0, jnp.minimum(n, S - 1))
            )
            return (window, jnp.minimum(n + 1, S), key), (token, broken)

        (window, n, key), drawn = jax.lax.scan(step, (window, jnp.int32(n), key), length=STEPS)
        return drawn, key, window, n

    @jax.jit
    def prefill(leaves, window, n, key, *knobs):
        """Fill a fresh cache from the window (1, S) and draw the token after its n-th one.

        The padding's keys and values land in the cache too, but each is overwritten by
        `decode_steps` before any query may see it.
        """
        model = eval_model(leaves)
        logits, cache = model.decode(window, model.init_cache(1), 0)
        (token, broken), key = pick(logits[0, n - 1], key, *knobs)
        return (token[None], broken[None]), key, cache

    @jax.jit
    def decode_steps(leaves, token, cache, pos, usable, key, *knobs):
        """With cache: STEPS times, run the last token () at position pos and draw the next.

        Steps that would run past the cache's end (pos >= S) compute nonsense; the caller
        drops them (keeping the first `usable`, whose last key is returned) and rebuilds
        the cache.
        """
        model = eval_model(leaves)

        def step(carry, _):
            token, cache, pos, key = carry
            logits, cache = model.decode(token.reshape(1, 1), cache, pos)
            (token, broken), key = pick(logits[0, 0], key, *knobs)
            return (token, cache, pos + 1, key), (token, broken, key)

        (_, cache, _, _), (tokens, broken, keys) = jax.lax.scan(
            step, (token, cache, jnp.int32(pos), key), length=STEPS
        )
        return (tokens, broken), keys[usable - 1], cache

    return window_steps, prefill, decode_steps


def _check_prompt(prompt_ids: Sequence[int], vocab_size: int) -> list[int]:
    """The prompt as a list of ints; wrong type, shape or range -> TypeError/ValueError."""
    ids = np.asarray(prompt_ids)
    if ids.dtype == np.bool_ or not (ids.size == 0 or np.issubdtype(ids.dtype, np.integer)):
        raise TypeError(f"prompt_ids must be integer token ids, got dtype {ids.dtype}")
    if ids.ndim != 1:
        raise ValueError(f"prompt_ids must be one sequence of shape (T,), got shape {ids.shape}")
    if ids.size == 0:
        raise ValueError(say("errors.prompt_empty"))
    bad = np.flatnonzero((ids < 0) | (ids >= vocab_size))
    if bad.size:
        raise ValueError(
            say("errors.prompt_ids_range", vocab_size=vocab_size, value=int(ids[bad[0]]),
                position=int(bad[0]))
        )  # fmt: skip
    return ids.tolist()


def _check_stop_token(stop_token: int | None, vocab_size: int) -> None:
    if stop_token is None:
        return
    if isinstance(stop_token, bool) or not isinstance(stop_token, int | np.integer):
        hint = f": encode it first, e.g. tokenizer.encode({stop_token!r})[0]"
        raise TypeError(
            f"stop_token must be one token id (an int), got {stop_token!r}"
            + (hint if isinstance(stop_token, str) else "")
        )
    if not 0 <= stop_token < vocab_size:
        raise ValueError(f"stop_token must be a token id in [0, {vocab_size}), got {stop_token}")


def _check_count(max_new_tokens: int) -> None:
    if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int | np.integer):
        raise TypeError(f"max_new_tokens must be an int, got {type(max_new_tokens).__name__}")
    if max_new_tokens < 1:
        raise ValueError(say("errors.max_new_tokens", value=max_new_tokens))


def _check_knobs(temperature, top_k, top_p, vocab_size: int) -> tuple[jax.Array, ...]:
    """Check the sampling settings and turn them into arrays, so that changing them never
    recompiles; None becomes the value that filters nothing (top_k = V, top_p = 1)."""
    for name, value in (("temperature", temperature), ("top_p", top_p)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, Real)):
            raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    if not float(temperature) >= 0:  # `not >=` also catches NaN
        raise ValueError(say("errors.generate_temperature_negative", value=temperature))
    if top_k is not None and (not isinstance(top_k, int | np.integer) or top_k < 1):
        raise ValueError(say("errors.generate_top_k", value=repr(top_k)))
    if top_p is not None and not 0 < float(top_p) <= 1:
        raise ValueError(say("errors.generate_top_p", value=top_p))
    return (
        jnp.float32(temperature),
        jnp.int32(vocab_size if top_k is None else min(int(top_k), vocab_size)),
        jnp.float32(1.0 if top_p is None else top_p),
    )
