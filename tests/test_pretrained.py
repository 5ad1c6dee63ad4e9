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


def test_the_chat_models_share_one_vocabulary_with_the_chat_tokens_and_fit_every_conversation():
    from llmlab.chat import CHAT_TOKENS, encode_chat
    from llmlab.data.instructions import load_instructions

    base, base_tok = pretrained.load("tang_base")
    chat, chat_tok = pretrained.load("tang_chat")
    assert base_tok.to_dict() == chat_tok.to_dict(), "SFT keeps the base model's tokenizer"
    assert set(CHAT_TOKENS) <= set(chat_tok.special_tokens), "role markers are special tokens"
    longest = max(len(encode_chat(c["messages"], chat_tok)[0]) for c in load_instructions(None))
    assert longest <= chat.config.block_size + 1 == base.config.block_size + 1, (
        f"every conversation ({longest} tokens at most) fits the context for SFT"
    )


def test_fine_tuning_teaches_the_form_of_the_answers():
    from llmlab.chat import reply
    from llmlab.data.instructions import has_form, load_instructions

    held_out = [c for c in load_instructions("test") if c["task"] in ("next", "form")][:8]

    def rate(name):
        model, tok = pretrained.load(name)
        answers = [reply(model, tok, c["messages"][:-1], key=jax.random.key(k))
                   for k, c in enumerate(held_out)]  # fmt: skip
        return sum(
            a.finished and has_form(c["task"], c["messages"][-2]["content"], a.text)
            for a, c in zip(answers, held_out, strict=True)
        ) / len(held_out)

    base, chat = rate("tang_base"), rate("tang_chat")
    assert base <= 0.25 and chat >= 0.75, f"form rate before SFT {base:.0%}, after {chat:.0%}"
