"""Checks for lesson 12 (efficiency and scale): absmax quantisation and back, the accept/reject
step of speculative decoding, and the cost arithmetic (training days, KV-cache bytes).

The speculative step is random, so its check is a test of a distribution: tokens drawn from the
draft's q go in, and the tokens that come out must follow the target's p. Each token's count
over N calls must lie in the range a binomial(N, p_i) count reaches all but once in ten million
runs, per token and side (`binomial_range`); over V tokens and both sides a right answer fails
less than once in a million checks. The draws of p and q (`speculative_case`) make the two
classic mistakes (always accepting; resampling from p instead of the residual) land outside
those ranges almost surely (tests/test_grading_efficiency.py computes how surely).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from llmlab import cost
from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.i18n import say
from llmlab.quantize import QMAX, dequantize, quantize

LESSON = "12_efficiency"
CALLS = 400  # speculative steps per check: enough to see a wrong distribution, about 1 s
TAIL = 1e-7  # the chance a right answer's count of one token falls below (or above) its range


def _ratio_is(got: float, want: float, factor: float) -> bool:
    return want != 0 and math.isclose(got / want, factor, rel_tol=1e-4)


def _number(got: object, name: str, when: str) -> float:
    value = as_array(got, name, when)
    if value.size != 1:
        raise Mistake(say("check.efficiency.one_number", name=name, shape=value.shape, when=when))
    return float(value.reshape(()))


# --- quantisation -------------------------------------------------------------------------


def random_weights(rng: np.random.Generator, n_in: int, n_out: int) -> jax.Array:
    """Columns of very different sizes, one all-zero column, one outlier: the cases that matter."""
    w = rng.normal(size=(n_in, n_out)) * rng.uniform(0.01, 2.0, size=(1, n_out))
    w[:, int(rng.integers(n_out))] = 0.0
    w[int(rng.integers(n_in)), int(rng.integers(n_out))] *= -20.0  # a large negative outlier
    return jnp.asarray(w, jnp.float32)


@task(LESSON, "quantize", references=("llmlab.quantize.quantize",))
def check_quantize(fn, rng):
    n_in, n_out = int(rng.integers(5, 9)), int(rng.integers(10, 14))  # never square
    for bits in (8, 4):
        w = random_weights(rng, n_in, n_out)
        qmax = QMAX[bits]
        when = say("check.efficiency.when_w", n_in=n_in, n_out=n_out, bits=bits)
        got = call(fn, w, bits, when=when)
        if not (isinstance(got, tuple | list) and len(got) == 2):
            raise Mistake(say("check.efficiency.pair_q_scale", when=when))
        q = as_array(got[0], "q", when)
        scale = as_array(got[1], "scale", when)
        same_shape(q, (n_in, n_out), "q", when)
        want_q, want_scale = (np.asarray(a) for a in quantize(w, bits))
        if scale.size == 1:
            raise Mistake(say("check.efficiency.one_scale", when=when))
        if scale.shape == (n_in,):
            raise Mistake(say("check.efficiency.per_row", when=when))
        same_shape(scale, (n_out,), "scale", when)
        if np.isnan(scale).any() or (scale == 0).any():
            raise Mistake(say("check.efficiency.zero_column", when=when))
        absmax = np.abs(np.asarray(w)).max(axis=0)
        if np.allclose(scale[absmax > 0], absmax[absmax > 0] / (qmax + 1), rtol=1e-5):
            raise Mistake(say("check.efficiency.qmax", qmax=qmax, wrong=qmax + 1, when=when))
        close(scale, want_scale, "scale", when, rtol=1e-5, atol=0.0)
        if not np.issubdtype(q.dtype, np.integer):
            raise Mistake(say("check.efficiency.not_integers", dtype=q.dtype, when=when))
        q = q.astype(np.int64)  # int8's -128 has no +128: take |q| in a wider type
        if np.abs(q).max() > qmax:
            raise Mistake(say("check.efficiency.range", qmax=qmax, when=when))
        ratio = np.asarray(w, np.float64) / want_scale.astype(np.float64)
        toward_zero = (np.abs(q) <= np.abs(ratio) + 1e-4) & (np.abs(q - ratio) < 1 + 1e-4)
        if not np.array_equal(q, want_q) and toward_zero.all():  # truncated, up to float error
            raise Mistake(say("check.efficiency.truncated", when=when))
        error = np.abs(q - ratio).max(axis=0)  # the round trip's error, in steps, per column
        if (error > 0.5 + 1e-4).any():
            j = int(np.argmax(error))
            raise Mistake(
                say("check.efficiency.round_trip", j=j, steps=f"{error[j]:.2f}", when=when)
            )
        # Where w / scale lies within float error of a half, either neighbour is a right answer.
        tie = np.abs(np.abs(ratio - np.floor(ratio)) - 0.5) < 1e-4
        wrong = (q != want_q) & ~tie
        if wrong.any():
            i, j = (int(k) for k in np.argwhere(wrong)[0])
            raise Mistake(
                say("check.efficiency.not_rounded", i=i, j=j, got=int(q[i, j]),
                    want=int(want_q[i, j]), when=when)
            )  # fmt: skip


@task(LESSON, "dequantize", references=("llmlab.quantize.dequantize",))
def check_dequantize(fn, rng):
    n = int(rng.integers(5, 9))
    for n_in, n_out in [(n, n), (n, n + 3)]:  # a square matrix shows a scale on the wrong axis
        w = random_weights(rng, n_in, n_out)
        q, scale = quantize(w, 8)
        when = say("check.efficiency.when_q", n_in=n_in, n_out=n_out)
        got = as_array(call(fn, q, scale, when=when), "w", when)
        square = n_in == n_out and got.shape == (n_in, n_out)
        if square and np.allclose(got, np.asarray(q) * np.asarray(scale)[:, None]):
            raise Mistake(say("check.efficiency.scaled_rows", when=when))
        same_shape(got, (n_in, n_out), "w", when)
        if np.allclose(got, np.asarray(q) / np.asarray(scale)[None, :], rtol=1e-5):
            raise Mistake(say("check.efficiency.divided", when=when))
        close(got, dequantize(q, scale), "w", when, rtol=1e-5, atol=1e-7)


# --- speculative decoding -----------------------------------------------------------------


def binomial_range(n: int, p: float, tail: float = TAIL) -> tuple[int, int]:
    """The range [lo, hi] of a binomial(n, p) count, with P(count < lo) <= tail and
    P(count > hi) <= tail, as narrow as that allows (exact sums, no normal approximation).

    Example: binomial_range(500, 0.5) -> (192, 308); binomial_range(500, 0.0) -> (0, 0).
    """
    if p <= 0.0 or p >= 1.0:
        return (0, 0) if p <= 0.0 else (n, n)
    k = np.arange(n + 1)
    log_pmf = (math.lgamma(n + 1) - np.array([math.lgamma(j + 1) + math.lgamma(n - j + 1)
               for j in k]) + k * math.log(p) + (n - k) * math.log1p(-p))  # fmt: skip
    pmf = np.exp(log_pmf)
    below = np.cumsum(pmf)  # P(count <= j)
    above = np.cumsum(pmf[::-1])[::-1] - pmf  # P(count > j), summed from the small end
    return int(np.sum(below <= tail)), int(np.argmax(above <= tail))


def speculative_case(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A target p and a draft q over V = 4..6 tokens, shuffled: a token only the target likes,
    one both like but the draft 5-15% more, one only the draft likes (p = 0), and a thin tail.
    Both are float32 and sum to 1.
    """
    V = int(rng.integers(4, 7))
    p, q = rng.uniform(0.0, 0.02, size=V), rng.uniform(0.0, 0.02, size=V)
    p[0] += rng.uniform(0.42, 0.5)
    p[1] += rng.uniform(0.42, 0.5)
    p[2] = 0.0
    p /= p.sum()
    q[1] = p[1] * rng.uniform(1.05, 1.15)
    q[2] = 1.0 - (q.sum() - q[2])  # the draft's favourite takes what is left, about 0.3-0.45
    order = rng.permutation(V)
    p, q = (np.asarray(a[order], np.float32) for a in (p, q))
    return p / p.sum(), q / q.sum()


def _step(fn, key, p, q, token, when) -> tuple[bool, int]:
    """Call the learner's step on p, q (jax arrays) and read (accepted, token) from its answer."""
    got = call(fn, key, p, q, token, when=when)
    if not (isinstance(got, tuple | list) and len(got) == 2):
        raise Mistake(say("check.efficiency.pair_accepted", when=when))
    accepted = as_array(got[0], "accepted", when)
    out = as_array(got[1], "token", when)
    if accepted.size != 1 or out.size != 1 or not np.issubdtype(out.dtype, np.integer):
        raise Mistake(say("check.efficiency.pair_accepted", when=when))
    out = int(out.reshape(()))
    if not 0 <= out < len(p):
        raise Mistake(say("check.efficiency.out_of_range", token=out, V=len(p), when=when))
    return bool(accepted.reshape(())), out


def _show(a: np.ndarray) -> str:
    return "[" + ", ".join(f"{x:.3f}" for x in a) + "]"


@task(LESSON, "accept_or_resample", references=("llmlab.speculative.accept_or_resample",))
def check_accept_or_resample(fn, rng):
    p, q = speculative_case(rng)
    V, p_jax, q_jax = len(p), jnp.asarray(p), jnp.asarray(q)
    p64, q64 = (a.astype(np.float64) / a.astype(np.float64).sum() for a in (p, q))
    for token in (int(rng.choice(V, p=p64)), int(np.argmax(p))):  # p = q: all kept
        when = say("check.efficiency.when_same", p=_show(p), token=token)
        key = jax.random.key(int(rng.integers(2**31)))
        if _step(fn, key, p_jax, p_jax, token, when) != (True, token):
            raise Mistake(say("check.efficiency.same_rejected", when=when))
    counts = np.zeros(V, np.int64)
    for _ in range(CALLS):
        token = int(rng.choice(V, p=q64))
        when = say("check.efficiency.when_step", p=_show(p), q=_show(q), token=token)
        key = jax.random.key(int(rng.integers(2**31)))
        accepted, out = _step(fn, key, p_jax, q_jax, token, when)
        if accepted and out != token:
            raise Mistake(say("check.efficiency.accepted_other", out=out, when=when))
        if accepted and p[token] == 0:
            raise Mistake(say("check.efficiency.kept_impossible", when=when))
        if not accepted and p[token] >= q[token]:
            raise Mistake(say("check.efficiency.rejected_likely", when=when))
        if not accepted and p[out] <= q[out]:
            raise Mistake(say("check.efficiency.not_residual", out=out, when=when))
        counts[out] += 1
    for i in range(V):
        lo, hi = binomial_range(CALLS, float(p[i]))
        if not lo <= counts[i] <= hi:
            raise Mistake(
                say("check.efficiency.distribution", n=CALLS, token=i, count=int(counts[i]),
                    lo=lo, hi=hi, p=_show(p), q=_show(q), want=f"{p[i]:.3f}")
            )  # fmt: skip


# --- cost arithmetic ----------------------------------------------------------------------


@task(LESSON, "training_days", references=("llmlab.cost.training_days",))
def check_training_days(fn, rng):
    cases = [(175e9, 300e9, 1000, 312e12, 0.5)]  # GPT-3 on 1,000 A100s, as in cost.py
    for _ in range(3):
        n_params = float(rng.choice([125e6, 1.3e9, 7e9, 70e9])) * rng.uniform(0.9, 1.1)
        utilisation = float(rng.choice([0.4, 0.45, 0.5, 0.55]))
        n_gpus = int(rng.choice([8, 64, 512, 2048]))
        cases.append((n_params, 20 * n_params, n_gpus, 989e12, utilisation))
    for n_params, n_tokens, n_gpus, peak, utilisation in cases:
        when = say("check.efficiency.when_run", N=f"{n_params:.3g}", D=f"{n_tokens:.3g}",
                   gpus=n_gpus, peak=f"{peak:.3g}", u=utilisation)  # fmt: skip
        name = say("check.name.days")
        got = _number(call(fn, n_params, n_tokens, n_gpus, peak, utilisation, when=when),
                      name, when)  # fmt: skip
        want = cost.training_days(cost.training_flops(n_params, n_tokens), n_gpus, peak,
                                  utilisation)  # fmt: skip
        for factor, key in [(1 / 3, "forward_only"), (utilisation, "no_utilisation"),
                            (utilisation**2, "times_utilisation"), (86_400, "seconds"),
                            (24, "hours"), (n_gpus, "one_gpu")]:  # fmt: skip
            if _ratio_is(got, want, factor):
                raise Mistake(say(f"check.efficiency.{key}", when=when))
        close(got, want, name, when, rtol=1e-4, atol=0.0)


@task(LESSON, "kv_cache_bytes", references=("llmlab.cost.kv_cache_bytes",))
def check_kv_cache_bytes(fn, rng):
    cases = [(12, 1024, 768, 1, "float32")]  # GPT-2 small, as in cost.py
    for dtype in ("float32", "bfloat16", "int8"):
        n_layer, batch = (int(x) for x in rng.choice([3, 5, 6, 12, 24, 32], size=2, replace=False))
        n_tokens, n_embd = int(rng.choice([512, 2048, 8192])), int(rng.choice([768, 4096, 8192]))
        cases.append((n_layer, n_tokens, n_embd, batch, dtype))
    for n_layer, n_tokens, n_embd, batch, dtype in cases:
        nbytes = cost.BYTES_PER[dtype]
        when = say("check.efficiency.when_cache", L=n_layer, T=n_tokens, C=n_embd, B=batch,
                   dtype=dtype, nbytes=nbytes)  # fmt: skip
        name = say("check.name.bytes")
        got = _number(call(fn, n_layer, n_tokens, n_embd, batch, nbytes, when=when), name, when)
        want = cost.kv_cache_bytes(n_layer, n_tokens, n_embd, batch, dtype)
        factors = {"keys_only": 0.5, "one_layer": 1 / n_layer, "one_sequence": 1 / batch,
                   "values_not_bytes": 1 / nbytes}  # fmt: skip
        for key, factor in factors.items():  # the first case tells each one apart
            if got != want and factor != 1 and _ratio_is(got, want, factor):
                raise Mistake(say(f"check.efficiency.{key}", when=when))
        close(got, want, name, when, rtol=1e-6, atol=0.0)
