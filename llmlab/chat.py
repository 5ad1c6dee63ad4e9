"""A chat format: who says what, as one token stream, and which tokens the model learns.

A conversation is a list of messages {"role": "user" | "assistant" | "system", "content": str}.
Each message becomes `<|role|>content<|end|>`; the role markers and `<|end|>` are special
tokens, so no text a user types can forge them (encoding raises if the content contains one).

    <|user|>上句：床前明月光<|end|><|assistant|>疑是地上霜<|end|>
                                              ^^^^^^^^^^^^^^^^^ loss mask = 1 here only

Supervised fine-tuning (SFT) trains on the whole stream but counts the loss only where the
mask is 1: on the assistant's words and its `<|end|>` (so it learns to stop), never on the
user's request (the model should answer questions, not learn to ask them).

Shape letters: T time, N number of examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from llmlab.i18n import say
from llmlab.loss import nll
from llmlab.tokenizer.extend import add_tokens

ROLES = ("system", "user", "assistant")
ROLE_TOKENS = {role: f"<|{role}|>" for role in ROLES}
END = "<|end|>"
CHAT_TOKENS = (*ROLE_TOKENS.values(), END)

Conversation = Sequence[dict[str, str]]


def chat_tokenizer(tokenizer: Any, text: str = "") -> Any:
    """`tokenizer` plus the chat's special tokens (and, for characters, those of `text`).

    Old ids keep their meaning; grow the model with `llmlab.model.grow_vocab(model,
    new.vocab_size, ...)` so it has a row for every new id.
    """
    return add_tokens(tokenizer, text, CHAT_TOKENS)


def check_conversation(conversation: Any) -> list[dict[str, str]]:
    """The messages as a list, or ValueError/TypeError saying which message is wrong and how."""
    if isinstance(conversation, (str, dict)) or not isinstance(conversation, Sequence):
        raise TypeError(
            "a conversation must be a list of messages {'role': ..., 'content': ...}, "
            f"got {type(conversation).__name__}"
        )
    if not conversation:
        raise ValueError("the conversation is empty: it needs at least one message")
    for k, m in enumerate(conversation):
        if not isinstance(m, dict) or set(m) != {"role", "content"}:
            raise ValueError(
                f"message {k} must be a dict with exactly the keys 'role' and 'content', got {m!r}"
            )
        if m["role"] not in ROLES:
            raise ValueError(f"message {k} has role {m['role']!r}, expected one of {ROLES}")
        if not isinstance(m["content"], str):
            raise TypeError(
                f"message {k}'s content must be a str, got {type(m['content']).__name__}"
            )
    return list(conversation)


def format_chat(conversation: Conversation) -> str:
    """The conversation as the text the model reads.

    Example: [{"role": "user", "content": "hi"}] -> "<|user|>hi<|end|>"
    """
    return "".join(
        f"{ROLE_TOKENS[m['role']]}{m['content']}{END}" for m in check_conversation(conversation)
    )


def _special_id(tokenizer: Any, token: str) -> int:
    specials = getattr(tokenizer, "special_tokens", {})
    if token not in specials:
        raise ValueError(
            f"the tokenizer has no special token {token!r} (it has {sorted(specials)}); "
            "make one with llmlab.chat.chat_tokenizer(tokenizer)"
        )
    return specials[token]


def encode_chat(conversation: Conversation, tokenizer: Any) -> tuple[np.ndarray, np.ndarray]:
    """Token ids of a conversation and its loss mask, 1 only on the assistant's tokens.

    Returns:
        ids int32 (T,) and mask bool (T,): mask[t] is True where ids[t] is a word of an
        assistant message or the `<|end|>` that closes it. To train, predict ids[1:] from
        ids[:-1] and weight position t by mask[t + 1] (see `pack_chats`).

    Example (char tokenizer): user "ab", assistant "c" ->
        <|user|> a b <|end|> <|assistant|> c <|end|>
        mask  0  0 0    0          0       1    1
    """
    conversation = check_conversation(conversation)
    end = _special_id(tokenizer, END)
    ids: list[int] = []
    mask: list[bool] = []
    for m in conversation:
        # The content is encoded as plain text: a role marker typed by a user raises.
        words = tokenizer.encode(m["content"])
        ids += [_special_id(tokenizer, ROLE_TOKENS[m["role"]]), *words, end]
        learn = m["role"] == "assistant"
        mask += [False] + [learn] * (len(words) + 1)
    return np.asarray(ids, np.int32), np.asarray(mask, bool)


def encode_prompt(conversation: Conversation, tokenizer: Any) -> np.ndarray:
    """Ids that ask the model for the next assistant message: the chat, then `<|assistant|>`.

    Generate from these ids until the model writes `<|end|>`; the text between is the answer.
    """
    ids, _ = encode_chat(conversation, tokenizer)
    return np.append(ids, _special_id(tokenizer, ROLE_TOKENS["assistant"])).astype(np.int32)


class ChatArrays(NamedTuple):
    """Padded examples for next-token training: x, y int32 (N, T), mask bool (N, T)."""

    x: np.ndarray
    y: np.ndarray
    mask: np.ndarray


def pack_chats(
    examples: Sequence[tuple[np.ndarray, np.ndarray]], block_size: int, pad_id: int
) -> ChatArrays:
    """Pad encoded conversations into arrays a training step can index.

    Row n holds x = ids[:-1], y = ids[1:], mask = mask[1:], padded on the right to
    block_size with `pad_id` and mask 0 (padding is never learned). An example longer than
    block_size + 1 tokens raises ValueError: cutting it would cut off the answer.

    Example: ids [5, 6, 7], mask [0, 1, 1], block_size 3, pad 0 ->
        x [5, 6, 0], y [6, 7, 0], mask [1, 1, 0]
    """
    if not examples:
        raise ValueError("there are no examples to pack")
    if not isinstance(block_size, int) or block_size < 1:
        raise ValueError(f"block_size must be a positive int, got {block_size!r}")
    n = len(examples)
    x = np.full((n, block_size), pad_id, np.int32)
    y = np.full((n, block_size), pad_id, np.int32)
    mask = np.zeros((n, block_size), bool)
    for k, (ids, m) in enumerate(examples):
        if len(ids) != len(m) or len(ids) < 2:
            raise ValueError(
                f"example {k} needs ids and mask of one length >= 2, got {len(ids)} and {len(m)}"
            )
        t = len(ids) - 1
        if t > block_size:
            raise ValueError(
                f"example {k} has {len(ids)} tokens, more than block_size + 1 = "
                f"{block_size + 1}: use a larger block_size or drop the long examples"
            )
        x[k, :t], y[k, :t], mask[k, :t] = ids[:-1], ids[1:], m[1:]
    return ChatArrays(x, y, mask)


def example_batch(key: Any, data: ChatArrays, batch_size: int) -> ChatArrays:
    """B rows of packed examples drawn at random (with replacement): a `fit` batch_fn.

    Shapes: data fields (N, T) -> batch fields (B, T). Pure, so it runs inside a jitted step.
    """
    rows = jax.random.randint(key, (batch_size,), 0, data.x.shape[0])
    return ChatArrays(*(jnp.asarray(a)[rows] for a in data))


def sft_loss(model: Any, batch: ChatArrays) -> jax.Array:
    """The masked NLL: mean -ln p(target) over the assistant's tokens only (a `fit` loss_fn)."""
    return nll(model(batch.x), batch.y, batch.mask)


class Reply(NamedTuple):
    """What the model answered: its text, and whether it ended it with `<|end|>` itself."""

    text: str
    finished: bool


def reply(
    model: Any,
    tokenizer: Any,
    conversation: Conversation,
    *,
    key: Any,
    temperature: float = 0.0,
    top_k: int | None = None,
    max_new_tokens: int | None = None,
) -> Reply:
    """The model's next assistant message for `conversation` (greedy by default).

    Generates after `encode_prompt(conversation)` until the model writes `<|end|>` or the
    context is full (or `max_new_tokens`, default: the room left in the context).
    temperature and top_k sample as in `llmlab.sampling.sample`.

    Example: reply(chat_model, tok, [{"role": "user", "content": "上句：床前明月光"}],
                   key=jax.random.key(0)) -> Reply(text="疑是地上霜", finished=True)
    """
    from llmlab.generate import generate

    ids = encode_prompt(conversation, tokenizer)
    room = model.config.block_size - len(ids)
    if room < 1:
        raise ValueError(
            say("errors.chat_too_long", length=len(ids), block_size=model.config.block_size)
        )
    limit = room if max_new_tokens is None else max_new_tokens
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= room:
        raise ValueError(f"max_new_tokens must be an int in [1, {room}], got {max_new_tokens!r}")
    end = _special_id(tokenizer, END)
    new = generate(model, ids.tolist(), limit, key=key, temperature=temperature, top_k=top_k,
                   stop_token=end)  # fmt: skip
    finished = bool(new) and new[-1] == end
    return Reply(tokenizer.decode(new[:-1] if finished else new), finished)
