"""llmlab.speculative: the draft proposes, the target decides, and the text is the target's."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx
from scipy import stats

import llmlab.speculative as spec
from llmlab.generate import generate
from llmlab.model import GPT, GPTConfig
from llmlab.speculative import accept_or_resample, residual_distribution, speculative_generate

TARGET_CFG = GPTConfig(vocab_size=13, block_size=32, n_layer=2, n_head=2, n_embd=16)
DRAFT_CFG = GPTConfig(vocab_size=13, block_size=24, n_layer=1, n_head=2, n_embd=8)
PROMPTS = [[1], [1, 2, 3], [4, 5, 6, 7, 8, 9, 10]]


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


@pytest.mark.parametrize("gamma", [1, 3, 5])
def test_a_draft_equal_to_the_target_is_always_accepted(target, gamma):
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
