"""Tests for llmlab.data: the shipped corpora, the train/validation split and random batches."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlab.data import Poem, encode_corpus, get_batch, load_tang_poems, load_text, train_val_split

FEW = settings(max_examples=50, deadline=None)


class LetterTokenizer:
    """A stand-in tokenizer for these tests: 'a' -> 0, 'b' -> 1, ..."""

    def encode(self, text: str) -> list[int]:
        return [ord(c) - ord("a") for c in text]


# ---- the corpora -----------------------------------------------------------------------------


def test_shakespeare_has_1115394_characters():
    text = load_text("shakespeare")
    assert len(text) == 1_115_394, f"tiny Shakespeare has 1,115,394 characters, got {len(text):,}"
    assert text.startswith("First Citizen:"), "the corpus opens with the First Citizen"
    assert len(set(text)) == 65, "the classic character vocabulary has 65 symbols"


def test_tang_corpus_has_13744_poems_one_per_line():
    poems = load_tang_poems()
    assert len(poems) == 13_744, f"expected 13,744 quatrains, got {len(poems):,}"
    assert all(isinstance(p, Poem) and p.poem for p in poems), "every poem has a text"
    first = poems[0]
    assert first.poem == "四时运灰琯，一夕变冬春。送寒余雪尽，迎岁早梅新。"
    text = load_text("tang")
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == 13_744 + 1, "one poem per line, ending with a newline"
    assert lines[:3] == [p.poem for p in poems[:3]], "load_text('tang') holds the poems only"
    assert first.author not in lines[0], "authors are left out of the training text"


def test_unknown_corpus_names_the_choices():
    with pytest.raises(ValueError, match=r"'shakespeare', 'tang'"):
        load_text("homer")


# ---- train/validation split ------------------------------------------------------------------


def test_split_takes_the_first_90_percent_for_training():
    """10 letters, 20% validation: 10 * 0.8 = 8 for training, the last 2 for validation."""
    assert train_val_split("abcdefghij", 0.2) == ("abcdefgh", "ij")
    train, val = train_val_split(np.arange(1000))
    assert len(train) == 900 and len(val) == 100, "default: 1000 * 0.9 = 900 and 100"
    np.testing.assert_array_equal(val, np.arange(900, 1000), "validation is the end, in order")


@given(st.integers(2, 5000), st.floats(0.01, 0.99))
@FEW
def test_split_keeps_every_item_once_and_both_parts_non_empty(n, fraction):
    data = np.arange(n)
    train, val = train_val_split(data, fraction)
    assert len(train) >= 1 and len(val) >= 1, "neither part may be empty"
    np.testing.assert_array_equal(np.concatenate([train, val]), data)
    assert abs(len(val) - n * fraction) <= 1, f"{len(val)} items is not about {fraction} of {n}"


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_split_rejects_fractions_outside_zero_one(fraction):
    with pytest.raises(ValueError, match="val_fraction"):
        train_val_split("abcdef", fraction)


def test_split_needs_two_items():
    with pytest.raises(ValueError, match="at least 2"):
        train_val_split("a", 0.5)


# ---- encoding --------------------------------------------------------------------------------


def test_encode_corpus_gives_an_int32_array():
    ids = encode_corpus("abcab", LetterTokenizer())
    assert ids.dtype == np.int32 and ids.shape == (5,)
    np.testing.assert_array_equal(ids, [0, 1, 2, 0, 1])
    with pytest.raises(ValueError, match="empty"):
        encode_corpus("", LetterTokenizer())


# ---- batches ---------------------------------------------------------------------------------


def test_get_batch_shapes_and_next_token_targets():
    """data = 0, 1, ..., 99: a window starting at s is x = s..s+T-1 and y = x + 1."""
    data = np.arange(100, dtype=np.int32)
    x, y = get_batch(jax.random.key(0), data, batch_size=4, block_size=8)
    assert x.shape == (4, 8) and y.shape == (4, 8), "x and y are (B, T)"
    assert x.dtype == jnp.int32 and y.dtype == jnp.int32
    np.testing.assert_array_equal(y, x + 1, "y[b, t] is the token after x[b, t]")
    np.testing.assert_array_equal(x - x[:, :1], np.tile(np.arange(8), (4, 1)), "contiguous rows")


@given(st.integers(0, 2**31 - 1), st.lists(st.integers(0, 9), min_size=40, max_size=40))
@FEW
def test_get_batch_windows_come_from_the_data_and_y_is_x_shifted(seed, tokens):
    data = np.asarray(tokens, dtype=np.int32)
    x, y = get_batch(jax.random.key(seed), data, batch_size=3, block_size=5)
    np.testing.assert_array_equal(x[:, 1:], y[:, :-1], "y is x shifted left by one")
    windows = {tuple(data[s : s + 6]) for s in range(len(data) - 5)}
    for row_x, row_y in zip(np.asarray(x), np.asarray(y)):
        assert (*row_x, row_y[-1]) in windows, "each row must be a window of the data"


def test_get_batch_is_deterministic_for_a_key_and_reaches_every_window():
    data = jnp.arange(10)
    first = get_batch(jax.random.key(5), data, 64, 8)
    second = get_batch(jax.random.key(5), data, 64, 8)
    np.testing.assert_array_equal(first[0], second[0], "the same key must give the same batch")
    # 10 tokens, T = 8: windows start at 0 or 1 (a window needs T + 1 tokens); 64 draws see both.
    assert set(np.asarray(first[0][:, 0]).tolist()) == {0, 1}
    other = get_batch(jax.random.key(6), data, 64, 8)
    assert not np.array_equal(first[0], other[0]), "a different key should give another batch"


def test_get_batch_needs_block_size_plus_one_tokens():
    get_batch(jax.random.key(0), np.arange(9), 2, 8)  # exactly T + 1 tokens is enough
    with pytest.raises(ValueError, match="block_size"):
        get_batch(jax.random.key(0), np.arange(8), 2, 8)


@pytest.mark.parametrize("batch_size, block_size", [(2, -3), (-1, 4), (0, 4), (2, 0)])
def test_get_batch_rejects_sizes_below_one(batch_size, block_size):
    with pytest.raises(ValueError, match="at least 1"):
        get_batch(jax.random.key(0), np.arange(100), batch_size, block_size)


def test_get_batch_rejects_data_that_is_not_one_dimensional():
    with pytest.raises(ValueError, match="1-D"):
        get_batch(jax.random.key(0), np.zeros((20, 5), np.int32), 2, 4)
