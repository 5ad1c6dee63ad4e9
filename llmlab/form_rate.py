"""How often a model's answers have the form a request asks for: SFT's yardstick.

A base model continues text; an assistant answers. `form_rates` asks a model every held-out
request of the instruction set (`llmlab.data.instructions`) and counts an answer when it has
the requested form (`has_form`: a line as long as the given one, four lines of five
characters...) AND the model ended it with `<|end|>` itself. It measures the format, not the
facts: a wrong author's name in the right form counts.

Shape letters: N number of conversations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import jax

from llmlab.chat import reply
from llmlab.data.instructions import has_form


def form_rates(
    model: Any,
    tokenizer: Any,
    conversations: Sequence[dict],
    *,
    key: Any,
    temperature: float = 0.0,
) -> dict[str, float]:
    """Fraction of answers with the requested form and a proper end, per task and "all".

    Args:
        model: a GPT with the chat tokens in its vocabulary (tang_base, tang_chat...).
        tokenizer: its chat tokenizer.
        conversations: N records of `load_instructions(...)`, each {"task", "messages"}; the
            last message (the reference answer) is dropped and the model answers instead.
        key: conversation k is answered with fold_in(key, k) (unused when greedy).
        temperature: 0 (greedy) by default.

    Example: form_rates(chat, tok, load_instructions("test")[:60], key=jax.random.key(0))
        -> {"all": 0.9, "author": ..., "first": ..., ...}
    """
    if isinstance(conversations, (str, dict)) or not isinstance(conversations, Sequence):
        raise TypeError(
            "conversations must be a list of instruction records, "
            f"got {type(conversations).__name__}"
        )
    if not conversations:
        raise ValueError("there are no conversations to answer: got an empty list")
    hits: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for k, record in enumerate(conversations):
        if not isinstance(record, dict) or not {"task", "messages"} <= set(record):
            raise ValueError(
                f"conversation {k} must be a record with 'task' and 'messages', got {record!r}"
            )
        request = record["messages"][-2]["content"]
        answer = reply(model, tokenizer, record["messages"][:-1],
                       key=jax.random.fold_in(key, k), temperature=temperature)  # fmt: skip
        ok = answer.finished and has_form(record["task"], request, answer.text)
        for name in (record["task"], "all"):
            hits[name] += ok
            counts[name] += 1
    return {name: hits[name] / counts[name] for name in sorted(counts)}
