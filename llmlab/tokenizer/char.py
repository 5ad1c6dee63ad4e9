"""The simplest tokenizer: one token per character.

Ids are positions in a fixed character list (sorted, when built from text), so
"hello" with chars [' ', 'e', 'h', 'l', 'o'] -> [2, 1, 3, 3, 4].
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from llmlab.tokenizer.files import check_char_dict, read_json


class CharTokenizer:
    """Maps each character to an id and back.

    Args:
        chars: the vocabulary, one character per id, in id order (no repeats).
        unk: a character from `chars` to use for characters not in the vocabulary; None (the
            default) makes an unknown character an error.

    Example: CharTokenizer.from_text("hello").encode("hell") -> [1, 0, 2, 2]
    """

    def __init__(self, chars: Iterable[str], unk: str | None = None):
        self.chars = list(chars)
        check_char_dict({"type": "char", "chars": self.chars, "unk": unk}, "CharTokenizer")
        self.unk = unk
        self.stoi = {c: i for i, c in enumerate(self.chars)}

    @classmethod
    def from_text(cls, text: str, unk: str | None = None) -> CharTokenizer:
        """A tokenizer for the distinct characters of text, sorted by code point.

        If unk is given and not in text, it is added to the vocabulary.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        chars = set(text) | ({unk} if unk is not None else set())
        if not chars:
            raise ValueError("the text is empty: there are no characters to build a vocabulary")
        return cls(sorted(chars), unk)

    @property
    def vocab_size(self) -> int:
        """How many ids there are (V)."""
        return len(self.chars)

    def encode(self, text: str) -> list[int]:
        """Text -> ids, one per character. Example: "hell" with chars "ehlo" -> [1, 0, 2, 2]"""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        stoi = self.stoi
        if self.unk is not None:
            unk_id = stoi[self.unk]
            return [stoi.get(c, unk_id) for c in text]
        try:
            return [stoi[c] for c in text]
        except KeyError as e:
            pos = next(i for i, c in enumerate(text) if c not in stoi)
            raise ValueError(
                f"character {e.args[0]!r} (U+{ord(e.args[0]):04X}) at position {pos} is not in "
                f"the vocabulary of {self.vocab_size} characters; build the tokenizer from text "
                f"that contains it (CharTokenizer.from_text) or pass unk=... to map unknown "
                f"characters to one token"
            ) from None

    def decode(self, ids: Iterable[int]) -> str:
        """Ids -> text. Example: [1, 0, 2, 2] with chars "ehlo" -> "hell" """
        chars, n = self.chars, len(self.chars)
        out = []
        for i in ids:
            if not (isinstance(i, int) or hasattr(i, "__index__")) or not 0 <= i < n:
                raise ValueError(
                    f"token id {i!r} is outside the vocabulary: ids go from 0 to {n - 1} "
                    f"(vocab_size {n})"
                )
            out.append(chars[i])
        return "".join(out)

    def token_text(self, token_id: int) -> str:
        """A readable form of one token: the character, or an escape such as \\n."""
        c = self.decode([token_id])
        return c if c.isprintable() else repr(c)[1:-1]

    def to_dict(self) -> dict:
        """JSON-friendly data that rebuilds this tokenizer."""
        return {"type": "char", "chars": list(self.chars), "unk": self.unk}

    @classmethod
    def from_dict(cls, d: dict, source: str = "the tokenizer data") -> CharTokenizer:
        """Rebuild from to_dict() output; ValueError says what is wrong with d."""
        check_char_dict(d, source)
        return cls(d["chars"], d.get("unk"))

    def save(self, path: str | Path) -> None:
        """Write the tokenizer to a JSON file."""
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> CharTokenizer:
        """Read a tokenizer written by save()."""
        return cls.from_dict(read_json(path), f"the tokenizer file {path}")

    def __repr__(self) -> str:
        shown = "".join(self.chars[:40])
        more = "..." if self.vocab_size > 40 else ""
        return f"CharTokenizer(vocab_size={self.vocab_size}, chars={shown!r}{more})"
