"""Tests for llmlab.cost: the notes' figures worked from first principles."""

import math

import pytest
from flax import nnx

from llmlab.cost import (
    adamw_bytes,
    kv_cache_bytes,
    training_days,
    training_flops,
    weight_bytes,
)
from llmlab.model import GPT, GPTConfig


def test_gpt3_on_a_thousand_a100s_takes_about_22_days():
    flops = training_flops(175e9, 300e9)
    assert flops == pytest.approx(3.15e23), "6 · 175e9 · 300e9 = 3.15e23 FLOPs"
    # At the data-sheet peak it would take 11.7 days; the notes' 22 days means about 53%
    # of peak, a realistic utilisation for a large run. We assume 50%.
    peak = training_days(flops, 1000, 312e12, 1.0)
    assert peak == pytest.approx(11.68, abs=0.01), f"at 100% of peak: {peak} days"
    days = training_days(flops, 1000, 312e12, 0.5)
    assert days == pytest.approx(23.37, abs=0.01), f"at 50% utilisation: {days} days"
    assert abs(days - 22) < 3, f"the notes say about 22 days, got {days:.1f}"


def test_seventy_billion_parameters_at_two_bytes_are_140_gigabytes():
    assert weight_bytes(70e9, "bfloat16") == 140e9, "70e9 · 2 bytes = 140 GB"
    assert weight_bytes(70e9, "int4") == 35e9, "int4: half a byte each"
    assert adamw_bytes(70e9) == 560e9, "AdamW: two float32 moments, 8 bytes per parameter"


def test_kv_cache_bytes_match_the_cache_a_gpt_allocates():
    config = GPTConfig(vocab_size=11, block_size=16, n_layer=3, n_head=2, n_embd=8)
    cache = GPT(config, rngs=nnx.Rngs(0)).init_cache(batch_size=5)
    real = sum(k.nbytes + v.nbytes for k, v in cache)
    assert kv_cache_bytes(3, 16, 8, batch_size=5, dtype="float32") == real, (
        f"L · 2 · T · C · 4 bytes · B must equal the arrays init_cache makes ({real} bytes)"
    )
    assert kv_cache_bytes(12, 1024, 768, dtype="float32") == 75_497_472, "GPT-2 small, 1k tokens"


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: training_flops(-1, 10), "n_params must be a positive number"),
        (lambda: training_flops(1e9, math.nan), "n_tokens must be a positive number"),
        (lambda: training_days(1e20, 8, 1e14, 1.5), r"utilisation is a fraction of peak"),
        (lambda: training_days(1e20, 0, 1e14, 0.5), "n_gpus must be a positive number"),
        (lambda: weight_bytes(7e9, "fp8"), "dtype must be one of"),
        (lambda: kv_cache_bytes(12, "1024", 768), "n_tokens must be a positive number"),
    ],
)
def test_bad_input_gets_a_clear_sentence(call, message):
    with pytest.raises(ValueError, match=message):
        call()
