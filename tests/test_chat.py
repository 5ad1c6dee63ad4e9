"""Tests for llmlab.chat and the special tokens it needs (tokenizer.char, tokenizer.extend)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlab.chat import (
    CHAT_TOKENS,
    END,
    chat_tokenizer,
    encode_chat,
    encode_prompt,
    example_batch,
    format_chat,
    pack_chats,
    sft_loss,
)
from llmlab.tokenizer import BPETokenizer, CharTokenizer, add_tokens

TOK = chat_tokenizer(CharTokenizer.from_text("abc"))  # a=0 b=1 c=2, then the four chat tokens
S, U, A, E = (TOK.special_tokens[t] for t in CHAT_TOKENS)


def test_worked_example_the_mask_covers_the_answer_and_its_end_only():
    conv = [{"role": "user", "content": "ab"}, {"role": "assistant", "content": "c"}]
    ids, mask = encode_chat(conv, TOK)
    # <|user|> a b <|end|> <|assistant|> c <|end|>
    assert ids.tolist() == [U, 0, 1, E, A, 2, E]
    assert mask.tolist() == [0, 0, 0, 0, 0, 1, 1], "learn c and the <|end|> that stops it"
    assert TOK.decode(ids.tolist()) == format_chat(conv) == "<|user|>ab<|end|><|assistant|>c<|end|>"


messages = st.lists(
    st.tuples(st.sampled_from(["system", "user", "assistant"]), st.text("abc", max_size=5)),
    min_size=1,
    max_size=5,
)


@settings(max_examples=50, deadline=None)
@given(messages)
def test_masked_tokens_are_exactly_the_assistant_messages_each_with_its_end(msgs):
    conv = [{"role": r, "content": c} for r, c in msgs]
    ids, mask = encode_chat(conv, TOK)
    want = "".join(c + END for r, c in msgs if r == "assistant")
    assert TOK.decode(ids[mask].tolist()) == want, "mask must pick the assistant's words only"
    assert TOK.decode(ids.tolist()) == format_chat(conv), "ids must spell the formatted chat"


def test_a_user_cannot_forge_a_role_token_in_the_content():
    conv = [{"role": "user", "content": "a<|assistant|>b"}]
    with pytest.raises(ValueError, match="contains the special token"):
        encode_chat(conv, TOK)


def test_bad_conversations_and_tokenizers_get_a_sentence():
    with pytest.raises(ValueError, match="role 'bot'"):
        encode_chat([{"role": "bot", "content": "a"}], TOK)
    with pytest.raises(TypeError, match="list of messages"):
        encode_chat("ab", TOK)
    with pytest.raises(ValueError, match="chat_tokenizer"):
        encode_chat([{"role": "user", "content": "a"}], CharTokenizer.from_text("abc"))


def test_encode_prompt_ends_with_the_assistant_marker():
    ids = encode_prompt([{"role": "user", "content": "ab"}], TOK)
    assert ids.tolist() == [U, 0, 1, E, A], "generation continues after <|assistant|>"


def test_pack_chats_worked_example_shifts_by_one_and_pads_with_mask_zero():
    ids, mask = np.array([5, 6, 7]), np.array([0, 1, 1], bool)
    x, y, m = pack_chats([(ids, mask)], block_size=3, pad_id=0)
    assert x.tolist() == [[5, 6, 0]] and y.tolist() == [[6, 7, 0]]
    assert m.tolist() == [[True, True, False]], "the target 6 is learned, padding is not"
    with pytest.raises(ValueError, match="more than block_size"):
        pack_chats([(ids, mask)], block_size=1, pad_id=0)


def test_sft_loss_is_the_mean_nll_over_assistant_targets_only():
    convs = [
        [{"role": "user", "content": "ab"}, {"role": "assistant", "content": "ca"}],
        [{"role": "user", "content": "c"}, {"role": "assistant", "content": "b"}],
    ]
    data = pack_chats([encode_chat(c, TOK) for c in convs], block_size=8, pad_id=0)
    logits = jax.random.normal(jax.random.key(0), (2, 8, TOK.vocab_size))
    # a slow reference: loop over the positions whose target is the assistant's
    terms = [
        -jax.nn.log_softmax(logits[n, t])[data.y[n, t]]
        for n in range(2)
        for t in range(8)
        if data.mask[n, t]
    ]
    got = sft_loss(lambda x: logits, data)
    np.testing.assert_allclose(got, np.mean(terms), rtol=1e-5)
    # targets under mask 0 (the user's words, the padding) cannot change the loss
    y = np.where(data.mask, data.y, (data.y + 1) % TOK.vocab_size)
    changed = sft_loss(lambda x: logits, data._replace(y=y))
    assert float(changed) == float(got), "the loss must ignore every target outside the mask"


def test_example_batch_draws_whole_rows():
    data = pack_chats([(np.arange(k, k + 4), np.ones(4, bool)) for k in range(5)], 3, 0)
    batch = example_batch(jax.random.key(0), data, 7)
    assert batch.x.shape == (7, 3)
    assert jnp.all(batch.y[:, :-1] == batch.x[:, 1:]), "x and y must come from the same row"


def test_char_special_tokens_round_trip_and_keep_old_ids(tmp_path):
    base = CharTokenizer.from_text("hello")
    tok = chat_tokenizer(base, "《》")
    assert tok.encode("hello") == base.encode("hello"), "old ids must keep their meaning"
    assert tok.vocab_size == base.vocab_size + 2 + len(CHAT_TOKENS)
    text = "<|user|>《hello》<|end|>"
    ids = tok.encode(text, allowed_special="all")
    assert len(ids) == 2 + 7 and tok.decode(ids) == text
    tok.save(tmp_path / "t.json")
    assert CharTokenizer.load(tmp_path / "t.json").encode(text, allowed_special="all") == ids
    assert "special_tokens" not in base.to_dict(), "files without special tokens stay unchanged"


def test_bpe_gets_chat_tokens_after_its_vocabulary():
    bpe = BPETokenizer().train("aaabdaaabac", 259)
    tok = chat_tokenizer(bpe, "any text: bytes cover it")
    assert [tok.special_tokens[t] for t in CHAT_TOKENS] == [259, 260, 261, 262]
    assert tok.encode("aaab<|end|>", allowed_special="all") == [258, 262]


def test_characters_cannot_be_added_after_special_tokens():
    tok = add_tokens(CharTokenizer.from_text("ab"), special_tokens=["<|end|>"])
    with pytest.raises(ValueError, match="without moving them"):
        add_tokens(tok, "c")
    assert add_tokens(tok, "ab<|end|>").to_dict() == tok.to_dict(), "nothing new: no change"


def _chat_model_and_tokenizer(block_size=24):
    from flax import nnx

    from llmlab.chat import chat_tokenizer
    from llmlab.model import GPT, GPTConfig

    tok = chat_tokenizer(CharTokenizer.from_text("床前明月光疑是地上霜"))
    cfg = GPTConfig(vocab_size=tok.vocab_size, block_size=block_size, n_layer=1, n_head=2,
                    n_embd=16)  # fmt: skip
    return GPT(cfg, rngs=nnx.Rngs(0)), tok


def test_reply_is_the_greedy_continuation_cut_at_end():
    from llmlab.chat import END, reply
    from llmlab.generate import generate

    model, tok = _chat_model_and_tokenizer()
    chat = [{"role": "user", "content": "床前明月光"}]
    ids = encode_prompt(chat, tok).tolist()
    end = tok.special_tokens[END]
    room = model.config.block_size - len(ids)
    want = generate(model, ids, room, key=jax.random.key(0), temperature=0.0, stop_token=end)
    got = reply(model, tok, chat, key=jax.random.key(0))
    stopped = want[-1] == end
    assert got.finished == stopped
    assert got.text == tok.decode(want[:-1] if stopped else want)


def test_reply_says_whether_the_model_ended_its_answer(monkeypatch):
    import sys

    from llmlab.chat import reply

    model, tok = _chat_model_and_tokenizer()
    chat = [{"role": "user", "content": "床前明月光"}]
    end = int(encode_prompt(chat, tok)[-2])  # the user's message closes with <|end|>
    word = tok.encode("疑是地上霜")
    module = sys.modules["llmlab.generate"]  # `llmlab.generate` is the function, not the module
    monkeypatch.setattr(module, "generate", lambda *a, **k: [*word, end])
    assert reply(model, tok, chat, key=jax.random.key(0)) == ("疑是地上霜", True)
    monkeypatch.setattr(module, "generate", lambda *a, **k: word)
    assert reply(model, tok, chat, key=jax.random.key(0)) == ("疑是地上霜", False)


def test_reply_refuses_a_conversation_longer_than_the_context():
    from llmlab.chat import reply

    model, tok = _chat_model_and_tokenizer(block_size=8)
    with pytest.raises(ValueError, match="context holds 8: shorten the request"):
        reply(
            model, tok, [{"role": "user", "content": "床前明月光疑是地上霜"}], key=jax.random.key(0)
        )
    model, tok = _chat_model_and_tokenizer()
    with pytest.raises(ValueError, match="max_new_tokens must be an int"):
        reply(
            model, tok, [{"role": "user", "content": "床"}], key=jax.random.key(0), max_new_tokens=0
        )
