"""llmlab.speculative: the draft proposes, the target decides, and the text is the target's."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

import llmlab.speculative as spec
from llmlab.generate import generate
from llmlab.model import GPT, GPTConfig
from llmlab.speculative import accept_or_resample, residual_distribution, speculative_generate

TARGET_CFG = GPTConfig(vocab_size=13, block_size=32, n_layer=2, n_head=2, n_embd=16)
DRAFT_CFG = GPTConfig(vocab_size=13, block_size=24, n_layer=1, n_head=2, n_embd=8)
PROMPTS = [[1, 2], [3, 1, 4], [4, 5, 6, 7, 8, 9, 10]]  # one-token prompts: see below


@pytest.fixture(scope="module")
def target():
    return GPT(TARGET_CFG, rngs=nnx.Rngs(0))


@pytest.fixture(scope="module")
def draft():
    return GPT(DRAFT_CFG, rngs=nnx.Rngs(1))


@pytest.mark.parametrize("gamma", [1, 3, 5])
def test_greedy_output_is_exactly_the_targets_greedy_text(target, draft, gamma):
    rejected = 0
    for prompt in PROMPTS:
        want = generate(target, prompt, 12, key=jax.random.key(0), temperature=0.0)
        got, st = speculative_generate(
            target, draft, prompt, 12, key=jax.random.key(5), gamma=gamma, temperature=0.0
        )
        assert got == want, f"gamma={gamma}, prompt {prompt}: {got} is not the greedy {want}"
        assert st.tokens == 12 and st.proposals % gamma == 0 and 0 <= st.accepted <= st.proposals
        rejected += st.proposals - st.accepted
    assert rejected > 0, "a different random draft must be rejected sometimes"


@pytest.fixture(scope="module")
def sharp():
    """The target with every weight times 8: its outputs react to any stale cache entry, so
    a draft cache left out of step after a full acceptance shows up as rejections."""
    model = GPT(TARGET_CFG, rngs=nnx.Rngs(0))
    nnx.update(model, jax.tree.map(lambda w: w * 8.0, nnx.state(model, nnx.Param)))
    return model


@pytest.mark.parametrize("gamma", [1, 3, 5])
def test_a_draft_equal_to_the_target_is_always_accepted(sharp, gamma):
    target = sharp
    for prompt in PROMPTS:
        want = generate(target, prompt, 12, key=jax.random.key(0), temperature=0.0)
        got, st = speculative_generate(
            target, target, prompt, 12, key=jax.random.key(2), gamma=gamma, temperature=0.0
        )
        assert got == want
        assert st.acceptance_rate == 1.0, f"the target agrees with itself, got {st}"
        # each round's one target pass yields gamma + 1 tokens; the prompt's prefill is one more
        assert st.target_passes == 1 + math.ceil(12 / (gamma + 1)), st
        assert st.target_passes_per_token <= 1 / (gamma + 1) + 1 / 12


def l1_bound(categories: int, samples: int, risk: float = 1e-6) -> float:
    """An L1 distance an empirical distribution exceeds with probability below `risk`.

    Bretagnolle-Huber-Carol: P(|p_hat - p|_1 >= l) <= 2^k exp(-N l^2 / 2), solved for l.
    """
    return math.sqrt(2 * (categories * math.log(2) + math.log(1 / risk)) / samples)


def empirical(tokens, V: int) -> np.ndarray:
    return np.bincount(np.asarray(tokens).ravel(), minlength=V) / np.asarray(tokens).size


P = jnp.array([0.5, 0.3, 0.15, 0.05, 0.0])
Q = jnp.array([0.1, 0.6, 0.05, 0.05, 0.2])


def test_residual_distribution_is_the_normalised_positive_part_of_p_minus_q():
    got = residual_distribution(jnp.array([0.5, 0.3, 0.2]), jnp.array([0.2, 0.6, 0.2]))
    np.testing.assert_allclose(got, [1.0, 0.0, 0.0], atol=1e-6)
    # max(0, P - Q) = [0.4, 0, 0.1, 0, 0] -> [0.8, 0, 0.2, 0, 0]
    np.testing.assert_allclose(residual_distribution(P, Q), [0.8, 0, 0.2, 0, 0], atol=1e-6)
    np.testing.assert_allclose(residual_distribution(P, P), P, atol=1e-6, err_msg="p == q -> p")


N_PURE = 20_000


@pytest.mark.parametrize("token", [0, 1, 2, 4])
def test_one_position_keeps_with_probability_min_1_p_over_q_else_draws_the_residual(token):
    keys = jax.random.split(jax.random.key(token), N_PURE)
    ok, out = jax.vmap(accept_or_resample, in_axes=(0, None, None, None))(keys, P, Q, token)
    ok, out = np.asarray(ok), np.asarray(out)
    want = min(1.0, float(P[token] / Q[token]))
    sd = math.sqrt(want * (1 - want) / N_PURE)
    assert abs(ok.mean() - want) <= 5 * sd + 1e-9, f"kept {ok.mean():.4f}, formula {want:.4f}"
    assert (out[ok] == token).all(), "a kept proposal is returned unchanged"
    if (~ok).sum() > 1000:
        l1 = np.abs(empirical(out[~ok], 5) - np.asarray(residual_distribution(P, Q))).sum()
        assert l1 <= l1_bound(5, int((~ok).sum())), f"rejections not drawn from the residual: {l1}"


def draw_through_one_position(rule, samples: int) -> np.ndarray:
    """Tokens proposed from Q, then passed through `rule` (key, p, q, token) -> (ok, token)."""
    proposal_keys, check_keys = jnp.split(jax.random.split(jax.random.key(9), 2 * samples), 2)
    proposals = jax.vmap(lambda k: jax.random.categorical(k, jnp.log(Q)))(proposal_keys)
    _, out = jax.vmap(rule, in_axes=(0, None, None, 0))(check_keys, P, Q, proposals)
    return np.asarray(out)


def always_accept(key, p, q, token):
    """A broken rule: keeps every proposal, so the output follows the draft instead."""
    return jnp.bool_(True), jnp.asarray(token, jnp.int32)


def test_proposals_through_the_check_follow_the_target_and_always_accepting_does_not():
    bound = l1_bound(5, N_PURE)
    l1 = np.abs(empirical(draw_through_one_position(accept_or_resample, N_PURE), 5) - P).sum()
    assert l1 <= bound, f"L1 {l1:.4f} from the target exceeds the {bound:.4f} allowed for N"
    broken = np.abs(empirical(draw_through_one_position(always_accept, N_PURE), 5) - P).sum()
    assert broken > bound, f"always accepting must be caught, its L1 is only {broken:.4f}"


TINY = GPTConfig(vocab_size=5, block_size=8, n_layer=1, n_head=1, n_embd=8)
N_MODEL = 8_000


def peaked(seed: int) -> GPT:
    """A tiny random GPT with large logits, so target and draft disagree clearly."""
    model = GPT(TINY, rngs=nnx.Rngs(seed))
    model.wte.embedding[...] = model.wte.embedding[...] * 60.0
    return model


def first_two_tokens(target, draft, gamma: int, samples: int) -> np.ndarray:
    """(samples, 2): the first two tokens after the prompt [0], one compiled round or two,
    vmapped over keys (the loop in `speculative_generate` does the same one sample at a time)."""
    (t_def, t_leaves), (d_def, d_leaves) = spec._flat(target), spec._flat(draft)
    window = jnp.zeros((1, TINY.block_size), jnp.int32)
    t_cache = spec._compiled_prefill(*t_def)(t_leaves, window)
    d_cache = spec._compiled_prefill(*d_def)(d_leaves, window)
    round_fn = spec._compiled_round(t_def, d_def, gamma)
    one = jnp.float32(1.0)

    def two(key):
        k1, k2 = jax.random.split(key)
        prompt = jnp.zeros((1, 1), jnp.int32)
        out, count, _, tc, dc = round_fn(t_leaves, d_leaves, prompt, 1, t_cache, d_cache, k1, one)
        text = jnp.concatenate([jnp.zeros(1, jnp.int32), out])  # prompt, then round 1
        feed = jax.lax.dynamic_slice(text, (count - 1,), (2,))[None]  # its last two tokens
        out2, *_ = round_fn(t_leaves, d_leaves, feed, 1 + count, tc, dc, k2, one)
        return jnp.stack([out[0], jnp.where(count >= 2, out[1], out2[0])])

    return np.asarray(jax.vmap(two)(jax.random.split(jax.random.key(gamma), samples)))


def target_pairs(target) -> np.ndarray:
    """The target's exact probability of each pair (a, b) after the prompt [0], flattened."""
    probs = jax.nn.softmax(target(jnp.array([[0, a] for a in range(5)])), axis=-1)  # (5, 2, V)
    return np.asarray(probs[0, 0][:, None] * probs[:, 1]).ravel()


def test_at_temperature_1_the_first_two_tokens_follow_the_target(monkeypatch):
    gamma = 2  # round one yields 1 to 3 tokens: a rejection, or the bonus, comes first
    target, draft = peaked(0), peaked(1)
    want, bound = target_pairs(target), l1_bound(25, N_MODEL)
    gap = np.abs(target_pairs(draft) - want).sum()
    assert gap > 3 * bound, f"the models must disagree clearly, L1 {gap:.3f}"

    pairs = first_two_tokens(target, draft, gamma, N_MODEL)
    l1 = np.abs(empirical(pairs[:, 0] * 5 + pairs[:, 1], 25) - want).sum()
    assert l1 <= bound, f"gamma={gamma}: L1 {l1:.4f} from the target's pairs, allowed {bound:.4f}"
    # The same check catches a broken rule: always accepting follows the draft.
    monkeypatch.setattr(spec, "accept_or_resample", always_accept)
    spec._compiled_round.cache_clear()
    try:
        pairs = first_two_tokens(target, draft, gamma, N_MODEL)
    finally:
        spec._compiled_round.cache_clear()
    broken = np.abs(empirical(pairs[:, 0] * 5 + pairs[:, 1], 25) - want).sum()
    assert broken > bound, f"always accepting must fail this check, its L1 is only {broken:.4f}"


def test_bad_input_gets_a_sentence_saying_what_was_expected(target, draft):
    key = jax.random.key(0)
    other = GPT(
        GPTConfig(vocab_size=7, block_size=32, n_layer=1, n_head=1, n_embd=8), rngs=nnx.Rngs(0)
    )
    with pytest.raises(ValueError, match=r"share one tokenizer.* 13 tokens, the draft's 7"):
        speculative_generate(target, other, [1], 4, key=key)
    for gamma in (0, -2):
        with pytest.raises(ValueError, match=rf"gamma .* must be an int >= 1, got {gamma}"):
            speculative_generate(target, draft, [1], 4, key=key, gamma=gamma)
    with pytest.raises(ValueError, match="empty"):
        speculative_generate(target, draft, [], 4, key=key)
    # draft block_size 24: 20 + 3 - 1 + 4 = 26 positions do not fit
    with pytest.raises(ValueError, match="must fit in the context window of 24 tokens"):
        speculative_generate(target, draft, list(range(1, 11)) * 2, 3, key=key, gamma=4)
    with pytest.raises(TypeError, match="draft must be a GPT"):
        speculative_generate(target, "small", [1], 4, key=key)
    with pytest.raises(ValueError, match="temperature"):
        speculative_generate(target, draft, [1], 4, key=key, temperature=-1.0)
