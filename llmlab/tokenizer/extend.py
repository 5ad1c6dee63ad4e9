"""Growing a trained tokenizer without moving any id it already has.

Fine-tuning needs tokens a pretrained model never saw: role markers such as "<|user|>" and,
for a character tokenizer, characters missing from its corpus (a quatrain corpus has no 《》
or ？). Old ids keep their meaning, so the model's old embedding rows stay valid; new ids come
after the old ones (`llmlab.model.grow_vocab` gives the model a row for each).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from llmlab.tokenizer.bpe import BPETokenizer
from llmlab.tokenizer.char import CharTokenizer
from llmlab.tokenizer.split import split_special


def add_tokens(tokenizer: Any, text: str = "", special_tokens: Iterable[str] = ()) -> Any:
    """A copy of `tokenizer` that also covers the characters of `text` and `special_tokens`.

    A CharTokenizer gets the characters of text it lacks (sorted) after its own; a
    BPETokenizer already encodes any text through its bytes, so text changes nothing there.
    New special tokens get the next free ids; ones the tokenizer has already keep theirs.

    Example: add_tokens(CharTokenizer.from_text("ab"), "abc", ["<|end|>"])
        -> chars ['a', 'b', 'c'], special_tokens {'<|end|>': 3}
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    special_tokens = [special_tokens] if isinstance(special_tokens, str) else list(special_tokens)
    d = tokenizer.to_dict() if isinstance(tokenizer, (CharTokenizer, BPETokenizer)) else None
    if d is None:
        raise TypeError(f"expected a CharTokenizer or BPETokenizer, got {type(tokenizer).__name__}")
    specials = dict(d.get("special_tokens") or {})
    if isinstance(tokenizer, CharTokenizer):
        # Special tokens are never cut into characters, so leave their text out.
        plain = "".join(split_special(text, [*specials, *special_tokens])[::2])
        new_chars = sorted(set(plain) - set(d["chars"]))
        if new_chars and specials:
            raise ValueError(
                f"this CharTokenizer already has special tokens {sorted(specials)} at the ids "
                f"after its characters, so the characters {''.join(new_chars)!r} cannot be added "
                f"without moving them: add characters and special tokens in one call"
            )
        d["chars"] = d["chars"] + new_chars
    next_id = max(tokenizer.vocab_size, len(d.get("chars", ())))
    for s in special_tokens:
        if not isinstance(s, str) or not s:
            raise ValueError(f"special tokens must be non-empty strings, got {s!r}")
        if s not in specials:
            specials[s] = next_id
            next_id += 1
    d["special_tokens"] = specials
    return type(tokenizer).from_dict(d)
