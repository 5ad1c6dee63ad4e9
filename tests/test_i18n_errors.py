"""The errors learners meet most speak the language set with llmlab.set_language."""

import jax
import numpy as np
import pytest
from flax import nnx

import llmlab
from llmlab.checkpoint import load_checkpoint, save_checkpoint
from llmlab.generate import generate
from llmlab.model import GPT, GPTConfig
from llmlab.sampling import probabilities, sample
from llmlab.tokenizer import CharTokenizer


@pytest.fixture(autouse=True)
def _english_afterwards():
    llmlab.set_language("en")
    yield
    llmlab.set_language("en")


@pytest.fixture(scope="module")
def model():
    return GPT(GPTConfig(vocab_size=4, block_size=8, n_layer=1, n_head=2, n_embd=8),
               rngs=nnx.Rngs(0))  # fmt: skip


def test_a_negative_temperature_is_refused_in_chinese():
    llmlab.set_language("zh")
    with pytest.raises(ValueError, match=r"temperature（温度）必须是 >= 0 的数.*-0\.5"):
        probabilities(np.zeros(3, np.float32), -0.5)
    with pytest.raises(ValueError, match="top_p 必须是 \\(0, 1\\] 之间的概率质量"):
        sample(jax.random.key(0), np.zeros(3, np.float32), top_p=1.5)


def test_the_same_error_stays_english_by_default():
    with pytest.raises(ValueError, match=r"temperature must be a number >= 0 \(0 means greedy\)"):
        probabilities(np.zeros(3, np.float32), -0.5)


def test_generate_refuses_an_empty_prompt_and_a_bad_temperature_in_chinese(model):
    llmlab.set_language("zh")
    with pytest.raises(ValueError, match="prompt_ids 是空的：至少给出一个词元"):
        generate(model, [], 3, key=jax.random.key(0))
    with pytest.raises(ValueError, match=r"temperature（温度）必须 >= 0.*-1"):
        generate(model, [1], 3, key=jax.random.key(0), temperature=-1.0)
    with pytest.raises(ValueError, match="位置 1 上是 9"):
        generate(model, [1, 9], 3, key=jax.random.key(0))


def test_an_unknown_character_is_named_in_chinese_with_its_position():
    tok = CharTokenizer.from_text("abc")
    llmlab.set_language("zh")
    with pytest.raises(ValueError, match=r"位置 2 上的字符 '床'（U\+5E8A）不在这 3 个字符的词表里"):
        tok.encode("ab床")
    llmlab.set_language("en")
    with pytest.raises(ValueError, match=r"character '床' \(U\+5E8A\) at position 2 is not in"):
        tok.encode("ab床")


def test_a_corrupt_checkpoint_is_named_in_chinese(model, tmp_path):
    path = save_checkpoint(tmp_path / "m.safetensors", model, tokenizer=CharTokenizer("abcd"))
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x01
    path.write_bytes(bytes(data))
    llmlab.set_language("zh")
    with pytest.raises(ValueError, match="已损坏：其中的张量与一同保存的校验和不符"):
        load_checkpoint(path)
    truncated = tmp_path / "t.safetensors"
    truncated.write_bytes(b"\x00\x01")
    with pytest.raises(ValueError, match="不完整，或者不是 safetensors 文件"):
        load_checkpoint(truncated)
    with pytest.raises(FileNotFoundError, match="处没有检查点"):
        load_checkpoint(tmp_path / "none.safetensors")
