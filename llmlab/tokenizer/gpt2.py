"""GPT-2's tokenizer with GPT-2's own ids, read from its vocab.json + merges.txt.

GPT2Tokenizer keeps a BPETokenizer with llmlab's ids inside (bytes are 0-255, merge k is
256 + k) and translates at the boundary to GPT-2's ids, which number the single bytes in
another order (see gpt2_format.py). Encoding is llmlab's word-by-word encoder, so the ids are
GPT-2's and a prompt encodes in well under a millisecond even with GPT-2's 50,000 merges.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from llmlab.tokenizer.bpe import BPETokenizer
from llmlab.tokenizer.gpt2_format import gpt2_to_llmlab, read_merges, read_vocab
from llmlab.tokenizer.split import GPT2_SPLIT_PATTERN


class GPT2Tokenizer:
    """GPT-2's byte-level BPE with GPT-2's own ids, encoded by llmlab's BPETokenizer.

    Args:
        merges: llmlab's (left, right) -> new_id (bytes are 0-255, merge k makes 256 + k).
        ids: the GPT-2 id of each llmlab id 0 .. 255 + len(merges).
        special_tokens: text -> GPT-2 id, e.g. {"<|endoftext|>": 50256}.
        pattern: the pre-split pattern (GPT-2's, in stdlib `re`; see split.py).

    Example:
        tok = load_gpt2_tokenizer("checkpoints/gpt2")  # a folder with vocab.json, merges.txt
        tok.encode("Hello world") -> [15496, 995]
    """

    def __init__(
        self,
        merges: dict[tuple[int, int], int],
        ids: Sequence[int],
        special_tokens: dict[str, int],
        pattern: str | None = GPT2_SPLIT_PATTERN,
    ):
        inside = {s: 256 + len(merges) + k for k, s in enumerate(special_tokens)}
        merges_list = [[a, b, new_id] for (a, b), new_id in merges.items()]
        d = {"type": "bpe", "pattern": pattern, "special_tokens": inside, "merges": merges_list}
        self.bpe = BPETokenizer.from_dict(d, "the GPT-2 merges")
        if len(ids) != 256 + len(merges):
            raise ValueError(
                f"ids should give a GPT-2 id to each of the {256 + len(merges)} "
                f"bytes and merges, got {len(ids)}"
            )
        self.special_tokens = dict(special_tokens)
        to_gpt2 = [int(i) for i in ids] + list(special_tokens.values())
        if min(to_gpt2) < 0 or len(set(to_gpt2)) < len(to_gpt2):
            raise ValueError("GPT-2 ids must be distinct and >= 0 (bytes, merges and specials)")
        self._to_gpt2 = to_gpt2  # llmlab id -> GPT-2 id
        self._to_llmlab = np.full(max(to_gpt2) + 1, -1, np.int64)  # GPT-2 id -> llmlab id
        self._to_llmlab[to_gpt2] = np.arange(len(to_gpt2))

    @classmethod
    def from_files(cls, vocab_file: str | Path, merges_file: str | Path) -> GPT2Tokenizer:
        """Read a GPT-2-format vocab.json and merges.txt (OpenAI's encoder.json, vocab.bpe)."""
        for file in (vocab_file, merges_file):
            if not Path(file).is_file():
                raise FileNotFoundError(
                    f"{file} does not exist: a GPT-2 tokenizer needs vocab.json and merges.txt"
                )
        source = f"{vocab_file} + {merges_file}"
        return cls(*gpt2_to_llmlab(read_vocab(vocab_file), read_merges(merges_file), source))

    def encode(self, text: str, allowed_special: str | Iterable[str] = "none_raise") -> list[int]:
        """Text -> GPT-2 token ids (allowed_special as in BPETokenizer.encode)."""
        to_gpt2 = self._to_gpt2
        return [to_gpt2[i] for i in self.bpe.encode(text, allowed_special)]

    def decode_bytes(self, ids: Iterable[int]) -> bytes:
        """GPT-2 token ids -> the bytes they stand for."""
        return self.bpe.decode_bytes(self.llmlab_ids(ids))

    def decode(self, ids: Iterable[int]) -> str:
        """GPT-2 token ids -> text (a cut multi-byte character shows as "�")."""
        return self.bpe.decode(self.llmlab_ids(ids))

    def decode_stream(self, ids: Iterable[int]) -> Iterator[str]:
        """Decode one token at a time, yielding only complete characters (for streaming)."""
        return self.bpe.decode_stream(self.llmlab_ids([i])[0] for i in ids)

    def token_text(self, token_id: int) -> str:
        """A readable form of one token (cut bytes as \\xNN, newlines as \\n)."""
        return self.bpe.token_text(self.llmlab_ids([token_id])[0])

    def llmlab_ids(self, ids: Iterable[int]) -> list[int]:
        """GPT-2 ids -> the ids of the BPETokenizer inside; ValueError for an unknown id."""
        ids = list(ids)
        arr = np.asarray(ids)
        V = self.vocab_size
        if len(ids) and arr.dtype.kind not in "iu":  # floats, strings, bools, huge ints
            for i in ids:
                if isinstance(i, bool) or not isinstance(i, (int, np.integer)):
                    raise ValueError(f"token ids must be ints, got {i!r} ({type(i).__name__})")
            arr = np.array([i if 0 <= i < V else -1 for i in ids])
        arr = arr.astype(np.int64)
        inside = np.where((arr >= 0) & (arr < V), self._to_llmlab[np.clip(arr, 0, V - 1)], -1)
        if (inside < 0).any():
            raise ValueError(
                f"token id {ids[int(np.argmax(inside < 0))]} is not in the vocabulary "
                f"(vocab_size {V})"
            )
        return inside.tolist()

    @property
    def vocab_size(self) -> int:
        """One more than the largest GPT-2 id (50257 for GPT-2)."""
        return len(self._to_llmlab)

    def __repr__(self) -> str:
        return (
            f"GPT2Tokenizer(vocab_size={self.vocab_size}, merges={len(self.bpe.merges)}, "
            f"special_tokens={self.special_tokens})"
        )


def load_gpt2_tokenizer(path: str | Path) -> GPT2Tokenizer:
    """GPT-2's tokenizer from a folder holding vocab.json and merges.txt (as the hub's gpt2).

    Example: load_gpt2_tokenizer("checkpoints/gpt2").encode("Hello world") -> [15496, 995]
    """
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{folder} is not a folder; expected one with vocab.json and "
            "merges.txt (as in Hugging Face's gpt2)"
        )
    return GPT2Tokenizer.from_files(folder / "vocab.json", folder / "merges.txt")
