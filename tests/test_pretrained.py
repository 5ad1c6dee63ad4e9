"""Tests for llmlab.pretrained: the shipped models load fast and write their kind of text."""

import re
import time

import jax
import pytest

from llmlab import pretrained
from llmlab.data import load_text
from llmlab.generate import generate


def test_shakespeare_loads_in_under_a_second_and_writes_english_play_text():
    pretrained.load("shakespeare")  # first import and compilation costs are not the file's
    start = time.perf_counter()
    model, tokenizer = pretrained.load("shakespeare")
    assert time.perf_counter() - start < 1.0, "loading the shipped weights must take < 1 s"
    assert tokenizer.vocab_size == 65 and model.config.vocab_size == 65
    ids = generate(model, tokenizer.encode("ROMEO:\n"), 300, key=jax.random.key(0),
                   temperature=0.8)  # fmt: skip
    text = tokenizer.decode(ids)
    words = re.findall(r"[a-z]+", text.lower())
    common = {"the", "and", "to", "i", "of", "my", "you", "a", "that", "is", "in", "not", "me"}
    assert len(words) > 30 and sum(w in common for w in words) >= 8, f"not English: {text!r}"
    assert re.search(r"\n[A-Z][A-Za-z ]+:\n", text), f"no speaker line like 'KING:': {text!r}"


def test_tang_writes_lines_of_five_or_seven_characters():
    model, tokenizer = pretrained.load("tang")
    ids = generate(model, tokenizer.encode("春"), 200, key=jax.random.key(0), temperature=0.8)
    poems = ("春" + tokenizer.decode(ids)).split("\n")[:-1]  # drop the unfinished last poem
    lines = [line for poem in poems for line in re.split("[，。？！]", poem) if line]
    lengths = [len(line) for line in lines]
    regular = sum(n in (5, 7) for n in lengths)
    assert len(lines) >= 8 and regular >= 0.8 * len(lines), f"line lengths {lengths}: {poems}"
    assert set("".join(lines)) <= set(load_text("tang")), "only characters of the corpus"


def test_unknown_name_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"'gpt5'.*shakespeare.*tang"):
        pretrained.load("gpt5")


@pytest.mark.parametrize("name", pretrained.NAMES)
def test_shipped_files_carry_the_checksum_of_their_tensors(name):
    from safetensors import safe_open
    from safetensors.numpy import load_file

    from llmlab.checkpoint import checksum

    with safe_open(pretrained.path(name), framework="np") as f:
        saved = f.metadata().get("checksum")
    assert saved == checksum(load_file(pretrained.path(name))), "load_checkpoint verifies it"
