"""Tests for llmlab.model.grow: new vocabulary rows for a trained GPT."""

import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from llmlab.model import GPT, GPTConfig, grow_vocab


def test_grown_model_keeps_every_old_row_and_old_logit_bit_identical():
    model = GPT(GPTConfig.tiny(65), rngs=nnx.Rngs(0))
    grown = grow_vocab(model, 69, rngs=nnx.Rngs(1))
    assert grown.config.vocab_size == 69 and model.config.vocab_size == 65, "a copy, not in place"
    np.testing.assert_array_equal(grown.wte.embedding[...][:65], model.wte.embedding[...])
    x = jnp.arange(20)[None] % 65
    logits = grown(x)
    assert logits.shape == (1, 20, 69)
    np.testing.assert_array_equal(logits[..., :65], model(x), "old tokens score exactly as before")
    new_rows = np.asarray(grown.wte.embedding[...][65:])
    assert 0 < new_rows.std() < 0.1, "new rows start small and random, like a fresh GPT's"
    assert grown(jnp.array([[66, 3]])).shape == (1, 2, 69), "new ids can be read"


def test_grow_vocab_refuses_to_shrink():
    model = GPT(GPTConfig.tiny(65), rngs=nnx.Rngs(0))
    with pytest.raises(ValueError, match=">= the model's vocabulary 65"):
        grow_vocab(model, 60, rngs=nnx.Rngs(1))


def test_a_grown_model_with_a_chat_tokenizer_survives_a_checkpoint(tmp_path):
    from llmlab.chat import chat_tokenizer
    from llmlab.checkpoint import load_checkpoint, save_checkpoint
    from llmlab.tokenizer import CharTokenizer

    tok = chat_tokenizer(CharTokenizer.from_text("abc"), "《》")
    model = grow_vocab(GPT(GPTConfig.tiny(3), rngs=nnx.Rngs(0)), tok.vocab_size, rngs=nnx.Rngs(1))
    path = save_checkpoint(tmp_path / "chat.safetensors", model, tokenizer=tok)
    back = load_checkpoint(path)
    assert back.tokenizer.special_tokens == tok.special_tokens, "role tokens must be saved"
    x = jnp.array([[tok.special_tokens["<|user|>"], 0, 3, 4]])
    np.testing.assert_array_equal(back.model(x), model(x))
