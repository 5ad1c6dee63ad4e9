"""A byte-level BPE tokenizer (like GPT-2/GPT-4): train, encode, decode, save, load.

Ids 0-255 are the raw bytes, so any text can be encoded; each merge adds one id. Training
uses the fast numpy trainer (`llmlab.tokenizer.fast`), which learns exactly the merges of the
readable `train_bpe_naive`. Ties between equally frequent pairs go to the pair whose first
occurrence comes earliest in the current sequence. Encoding goes word by word, lowest-ranked
merge first, remembering the words it has seen (`llmlab.tokenizer.encode`).
"""

from __future__ import annotations

import codecs
import json
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from llmlab.tokenizer.encode import WordCache
from llmlab.tokenizer.fast import iter_merges
from llmlab.tokenizer.files import check_bpe_dict, read_json
from llmlab.tokenizer.split import allowed_specials, split_special, split_text
from llmlab.tokenizer.vocab import MergeStep, build_vocab, render_token


class BPETokenizer:
    """Byte-pair encoding over UTF-8 bytes, with an optional regex pre-split and special tokens.

    Args:
        pattern: a regex that cuts text into pieces before BPE (e.g. GPT4_SPLIT_PATTERN);
            None (the default) is plain byte-level BPE over the whole text.
        special_tokens: e.g. {"<|endoftext|>": 512}; their ids must not be used by merges.

    Example:
        tok = BPETokenizer(); tok.train("aaabdaaabac", 259)
        tok.encode("aaabdaaabac") -> [258, 100, 258, 97, 99]
    """

    def __init__(self, pattern: str | None = None, special_tokens: dict[str, int] | None = None):
        if pattern is not None:
            try:
                re.compile(pattern)
            except (re.error, TypeError) as e:
                msg = f"pattern must be a regular expression, got {pattern!r}: {e}"
                raise ValueError(msg) from None
        self.pattern = pattern
        self.special_tokens = dict(special_tokens or {})
        self.merges: dict[tuple[int, int], int] = {}
        self.history: list[MergeStep] = []  # one entry per merge, filled by train()
        self._words = WordCache(self.merges)  # words already encoded, see encode.py
        self._check_special(256)
        self.vocab = self._build_vocab()

    # ---- training -------------------------------------------------------------------------

    def train(self, text: str, vocab_size: int, verbose: bool = False) -> BPETokenizer:
        """Learn vocab_size - 256 merges from text (special tokens come on top); returns self.

        Special tokens found in the text are cut out and never merged. With verbose=True, print
        each merge as it is learned; `self.history` keeps them all (pair, new_id, count, token).
        """
        for step in self.train_steps(text, vocab_size):
            if verbose:
                print(f"merge {step.new_id - 255}/{vocab_size - 256}: {step!r}")
        return self

    def train_steps(self, text: str, vocab_size: int) -> Iterator[MergeStep]:
        """Like train(), but a generator: yields each MergeStep as soon as it is learned."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not text:
            raise ValueError("the training text is empty: BPE needs text to count pairs in")
        if not isinstance(vocab_size, (int, np.integer)) or vocab_size < 256:
            raise ValueError(
                f"vocab_size must be an int >= 256 (the 256 byte values come first), got "
                f"{vocab_size!r}"
            )
        self._check_special(vocab_size)
        self.merges, self.history = {}, []
        self.vocab = self._build_vocab()
        for step in iter_merges(self._chunks(text, allowed=self.special_tokens), vocab_size - 256):
            self.merges[step.pair] = step.new_id
            self.history.append(step)
            self.vocab[step.new_id] = step.token  # the tokenizer stays usable mid-training
            yield step
        if len(self.merges) < vocab_size - 256:
            warnings.warn(
                f"the text ran out of pairs after {len(self.merges)} merges: there are "
                f"{256 + len(self.merges)} byte and merge ids instead of {vocab_size}",
                stacklevel=3,  # point at the caller of train()
            )

    # ---- encoding and decoding --------------------------------------------------------------

    def encode(self, text: str, allowed_special: str | Iterable[str] = "none_raise") -> list[int]:
        """Text -> token ids.

        Args:
            text: any string.
            allowed_special: which special tokens in the text become their special id:
                "all", "none" (encode them as ordinary text), "none_raise" (the default: raise
                if one appears, so text from a user cannot smuggle in control tokens), or a set.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        allowed = allowed_specials(text, self.special_tokens, allowed_special)
        out: list[int] = []
        for k, part in enumerate(split_special(text, allowed)):
            if k % 2:
                out.append(self.special_tokens[part])
            elif part:
                out.extend(self._encode_ordinary(part))
        return out

    def decode_bytes(self, ids: Iterable[int]) -> bytes:
        """Token ids -> the raw bytes they stand for (useful when streaming, see decode_stream)."""
        ids = list(ids)
        arr = np.asarray(ids)
        if len(ids) and arr.dtype.kind not in "iu":  # floats, strings, bools, huge ints
            for i in ids:
                if isinstance(i, bool) or not isinstance(i, (int, np.integer)):
                    raise ValueError(f"token ids must be ints, got {i!r} ({type(i).__name__})")
            arr = np.array([i if -1 <= i < self.vocab_size else -1 for i in ids])
        known = (arr >= 0) & (arr < 256 + len(self.merges))
        known |= np.isin(arr, list(self.special_tokens.values()))
        if not known.all():
            raise ValueError(
                f"token id {ids[int(np.argmin(known))]} is not in the vocabulary (vocab_size "
                f"{self.vocab_size}; valid ids are 0-{255 + len(self.merges)} and the special "
                f"tokens {sorted(self.special_tokens.values())})"
            )
        return b"".join(map(self.vocab.__getitem__, arr.tolist()))

    def decode(self, ids: Iterable[int]) -> str:
        """Token ids -> text. Never raises on a cut multi-byte character: it shows as "�"."""
        return self.decode_bytes(ids).decode("utf-8", errors="replace")

    def decode_stream(self, ids: Iterable[int]) -> Iterator[str]:
        """Decode one token at a time, yielding only complete characters (for streaming).

        A character split across two tokens comes out whole with the second one.

        Example: ids of "中" as bytes [228, 184, 173] -> yields "", "", "中"
        """
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        for i in ids:
            yield decoder.decode(self.decode_bytes([i]))
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail

    def token_text(self, token_id: int) -> str:
        """A readable form of one token (cut bytes as \\xNN, newlines as \\n)."""
        return render_token(self.decode_bytes([token_id]))

    @property
    def vocab_size(self) -> int:
        """One more than the largest id: the size of an embedding table for this tokenizer."""
        return max([255 + len(self.merges), *self.special_tokens.values()]) + 1

    # ---- saving -----------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """Everything needed to rebuild the tokenizer, as JSON-friendly data."""
        return {
            "type": "bpe",
            "pattern": self.pattern,
            "special_tokens": dict(self.special_tokens),
            "merges": [[a, b, new_id] for (a, b), new_id in self.merges.items()],
        }

    @classmethod
    def from_dict(cls, d: dict, source: str = "the tokenizer data") -> BPETokenizer:
        """Rebuild a tokenizer from to_dict() output; ValueError says what is wrong with it."""
        check_bpe_dict(d, source)
        tok = cls(d["pattern"], d["special_tokens"])
        tok.merges = {(a, b): new_id for a, b, new_id in d["merges"]}
        tok._check_special(256 + len(tok.merges))
        tok.vocab = tok._build_vocab()
        return tok

    def save(self, path: str | Path) -> None:
        """Write the tokenizer to a JSON file."""
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> BPETokenizer:
        """Read a tokenizer written by save()."""
        return cls.from_dict(read_json(path), f"the tokenizer file {path}")

    def __repr__(self) -> str:
        split = "no pre-split" if self.pattern is None else "regex pre-split"
        return (
            f"BPETokenizer(vocab_size={self.vocab_size}, merges={len(self.merges)}, {split}, "
            f"special_tokens={self.special_tokens})"
        )

    # ---- internals --------------------------------------------------------------------------

    def _encode_ordinary(self, text: str) -> list[int]:
        """Encode text with no special tokens, word by word (each distinct word merged once)."""
        if not self._words.fits(self.merges):
            self._words = WordCache(self.merges)
        out: list[int] = []
        for word in split_text(text, self.pattern):
            out.extend(self._words.encode(word))
        return out

    def _chunks(self, text: str, allowed: dict[str, int] | set[str]) -> Iterator[bytes]:
        for k, part in enumerate(split_special(text, allowed)):
            if k % 2 == 0:
                for piece in split_text(part, self.pattern):
                    yield piece.encode("utf-8")

    def _check_special(self, vocab_size: int) -> None:
        for s, i in self.special_tokens.items():
            if not isinstance(s, str) or not s or not isinstance(i, int):
                raise ValueError(f"special tokens map non-empty str -> int, got {s!r}: {i!r}")
            if i < vocab_size:
                raise ValueError(
                    f"special token {s!r} has id {i}, but ids below {vocab_size} belong to bytes "
                    f"and merges: give special tokens ids >= {vocab_size}"
                )
        if len(set(self.special_tokens.values())) < len(self.special_tokens):
            raise ValueError(f"two special tokens share an id: {self.special_tokens}")

    def _build_vocab(self) -> dict[int, bytes]:
        vocab = build_vocab(self.merges)
        vocab.update({i: s.encode("utf-8") for s, i in self.special_tokens.items()})
        return vocab
