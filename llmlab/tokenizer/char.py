"""The simplest tokenizer: one token per character.

Ids are positions in a fixed character list (sorted, when built from text), so
"hello" with chars [' ', 'e', 'h', 'l', 'o'] -> [2, 1, 3, 3, 4]. Special tokens such as
"<|user|>" (a chat format's role markers) get ids after the characters and are one id each.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from llmlab.i18n import say
from llmlab.tokenizer.files import check_char_dict, read_json
from llmlab.tokenizer.split import allowed_specials, split_special


class CharTokenizer:
    """Maps each character to an id and back.

    Args:
        chars: the vocabulary, one character per id, in id order (no repeats).
        unk: a character from `chars` to use for characters not in the vocabulary; None (the
            default) makes an unknown character an error.
        special_tokens: e.g. {"<|user|>": 65}; ids from len(chars) on, one id per token.

    Example: CharTokenizer.from_text("hello").encode("hell") -> [1, 0, 2, 2]
    """

    def __init__(
        self,
        chars: Iterable[str],
        unk: str | None = None,
        special_tokens: dict[str, int] | None = None,
    ):
        self.chars = list(chars)
        self.special_tokens = dict(special_tokens or {})
        d = {"type": "char", "chars": self.chars, "unk": unk, "special_tokens": self.special_tokens}
        check_char_dict(d, "CharTokenizer")
        self.unk = unk
        self.stoi = {c: i for i, c in enumerate(self.chars)}
        self._special_text = {i: s for s, i in self.special_tokens.items()}

    @classmethod
    def from_text(cls, text: str, unk: str | None = None) -> CharTokenizer:
        """A tokenizer for the distinct characters of text, sorted by code point.

        If unk is given and not in text, it is added to the vocabulary.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        chars = set(text) | ({unk} if unk is not None else set())
        if not chars:
            raise ValueError(say("errors.empty_text_vocabulary"))
        return cls(sorted(chars), unk)

    @property
    def vocab_size(self) -> int:
        """One more than the largest id (V): the characters, then the special tokens."""
        return max([len(self.chars) - 1, *self.special_tokens.values()]) + 1

    def encode(self, text: str, allowed_special: str | Iterable[str] = "none_raise") -> list[int]:
        """Text -> ids, one per character. Example: "hell" with chars "ehlo" -> [1, 0, 2, 2]

        allowed_special works as in BPETokenizer.encode: by default a special token written
        in the text raises, so text from a user cannot smuggle in control tokens.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not self.special_tokens:
            return self._encode_chars(text)
        allowed = allowed_specials(text, self.special_tokens, allowed_special)
        out: list[int] = []
        for k, part in enumerate(split_special(text, allowed)):
            out.extend([self.special_tokens[part]] if k % 2 else self._encode_chars(part))
        return out

    def _encode_chars(self, text: str) -> list[int]:
        stoi = self.stoi
        if self.unk is not None:
            unk_id = stoi[self.unk]
            return [stoi.get(c, unk_id) for c in text]
        try:
            return [stoi[c] for c in text]
        except KeyError as e:
            pos = next(i for i, c in enumerate(text) if c not in stoi)
            ch = e.args[0]
            raise ValueError(
                say("errors.unknown_character", char=repr(ch), code=f"{ord(ch):04X}",
                    position=pos, vocab_size=self.vocab_size)
            ) from None  # fmt: skip

    def decode(self, ids: Iterable[int]) -> str:
        """Ids -> text. Example: [1, 0, 2, 2] with chars "ehlo" -> "hell" """
        chars, n, special = self.chars, len(self.chars), self._special_text
        out = []
        for i in ids:
            is_int = isinstance(i, int) or hasattr(i, "__index__")
            if is_int and not 0 <= i < n and int(i) in special:
                out.append(special[int(i)])
                continue
            if not is_int or not 0 <= i < n:
                extra = say("errors.or_special", ids=sorted(special)) if special else ""
                raise ValueError(
                    say("errors.token_id_outside", value=repr(i), last=n - 1, extra=extra,
                        vocab_size=self.vocab_size)
                )  # fmt: skip
            out.append(chars[i])
        return "".join(out)

    def token_text(self, token_id: int) -> str:
        """A readable form of one token: the character, or an escape such as \\n."""
        c = self.decode([token_id])
        return c if c.isprintable() else repr(c)[1:-1]

    def to_dict(self) -> dict:
        """JSON-friendly data that rebuilds this tokenizer."""
        d = {"type": "char", "chars": list(self.chars), "unk": self.unk}
        if self.special_tokens:  # only then, so files without special tokens stay as they were
            d["special_tokens"] = dict(self.special_tokens)
        return d

    @classmethod
    def from_dict(cls, d: dict, source: str = "the tokenizer data") -> CharTokenizer:
        """Rebuild from to_dict() output; ValueError says what is wrong with d."""
        check_char_dict(d, source)
        return cls(d["chars"], d.get("unk"), d.get("special_tokens"))

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
        special = f", special_tokens={self.special_tokens}" if self.special_tokens else ""
        return f"CharTokenizer(vocab_size={self.vocab_size}, chars={shown!r}{more}{special})"
