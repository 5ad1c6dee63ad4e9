"""GPT-2's own tokenizer files: read vocab.json + merges.txt and encode with GPT-2's ids.

GPT-2 (and the Hugging Face hub's `gpt2` folder) describes its tokenizer in two text files:

- merges.txt: a "#version: 0.2" line, then one merge per line, best first: "Ġ t" joins the
  tokens "Ġ" and "t". The line number is the merge's rank.
- vocab.json: each token's text -> its id: {"!": 0, ..., "Ġt": 256, ..., "<|endoftext|>": 50256}.

Tokens are bytes, but these files hold text, so GPT-2 writes each byte as one printable character
(`bytes_to_unicode`): printable bytes stand for themselves ("a" is byte 97), the others move up
past 255 (the space, byte 32, is "Ġ"). GPT-2 also numbers the 256 single bytes in that table's
order ("!" is id 0), while llmlab's ids 0-255 are the byte values. So GPT2Tokenizer keeps a
BPETokenizer with llmlab's ids inside and translates at the boundary, matching each llmlab id to
the GPT-2 id that stands for the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from llmlab.tokenizer.bpe import BPETokenizer
from llmlab.tokenizer.split import GPT2_SPLIT_PATTERN


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's table byte -> printable character, in the order of GPT-2's single-byte ids.

    Example: bytes_to_unicode()[97] -> "a";  bytes_to_unicode()[32] -> "Ġ" (chr(256 + 32))
    """
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    printable += range(ord("®"), ord("ÿ") + 1)
    table = {b: chr(b) for b in printable}
    moved = [b for b in range(256) if b not in table]  # spaces, control bytes, ...
    table.update({b: chr(256 + k) for k, b in enumerate(moved)})
    return table


def gpt2_to_llmlab(
    vocab: dict[str, int], merges: Sequence[tuple[str, str]], source: str = "the GPT-2 files"
) -> tuple[dict[tuple[int, int], int], list[int], dict[str, int]]:
    """Translate GPT-2's vocab and merges (as text) into llmlab's ids.

    Args:
        vocab: token text -> GPT-2 id (vocab.json).
        merges: (left, right) token texts, best first (merges.txt).
        source: names the files in error messages.

    Returns:
        merges: llmlab's (left, right) -> new_id, new ids 256, 257, ... in rank order.
        ids: the GPT-2 id of each llmlab id 0 .. 255 + len(merges).
        special_tokens: every other vocab entry (e.g. "<|endoftext|>") -> its GPT-2 id.

    Example: vocab {"a": 64, "b": 65, "ab": 256, ...}, merges [("a", "b")] -> merges
        {(97, 98): 256}, ids[97] == 64
    """
    decoder = {ch: b for b, ch in bytes_to_unicode().items()}
    llmlab_id = {bytes([b]): b for b in range(256)}  # the bytes a token stands for -> llmlab id
    out: dict[tuple[int, int], int] = {}
    for rank, (left, right) in enumerate(merges):
        where = f"{source}: merge {rank + 1} ({left} {right})"
        if any(ch not in decoder for ch in left + right):
            raise ValueError(f"{where} is not written in GPT-2's byte characters")
        a, b = (bytes(decoder[ch] for ch in text) for text in (left, right))
        if a not in llmlab_id or b not in llmlab_id:
            raise ValueError(f"{where} joins a token that no earlier merge makes")
        if a + b in llmlab_id:
            raise ValueError(f"{where} makes {left + right!r}, which an earlier merge makes too")
        out[llmlab_id[a], llmlab_id[b]] = llmlab_id[a + b] = 256 + rank
    if len(set(vocab.values())) < len(vocab):
        raise ValueError(f"{source}: vocab.json gives two tokens the same id")
    ids: list[int] = [-1] * len(llmlab_id)
    special_tokens = {}
    for text, gpt2_id in vocab.items():
        token = bytes(decoder[ch] for ch in text) if all(ch in decoder for ch in text) else None
        if token in llmlab_id:
            ids[llmlab_id[token]] = gpt2_id
        else:
            special_tokens[text] = gpt2_id  # written as plain text, e.g. "<|endoftext|>"
    if -1 in ids:
        token = next(t for t, i in llmlab_id.items() if ids[i] == -1)
        text = "".join(bytes_to_unicode()[b] for b in token)
        raise ValueError(f"{source}: vocab.json has no id for the token {text!r}")
    return out, ids, special_tokens


def read_merges(path: str | Path) -> list[tuple[str, str]]:
    """The merges of a merges.txt file, best first; ValueError names a malformed line."""
    merges = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line or (number == 1 and line.startswith("#version")):
            continue
        parts = line.split(" ")
        if len(parts) != 2 or not all(parts):
            raise ValueError(
                f"{path} line {number} should be two tokens with one space between, "
                f"like 'Ġ t', got {line!r}"
            )
        merges.append((parts[0], parts[1]))
    return merges


def read_vocab(path: str | Path) -> dict[str, int]:
    """The token -> id map of a vocab.json file; ValueError if it is not one."""
    try:
        vocab = json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValueError(f"{path} is not valid JSON: {e}") from None
    if not isinstance(vocab, dict) or not all(type(i) is int and i >= 0 for i in vocab.values()):
        raise ValueError(
            f'{path} should map each token to an id >= 0, like {{"!": 0, ...}}, got '
            f"{str(vocab)[:80]}"
        )
    return vocab


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


def write_gpt2_files(tok: BPETokenizer, path: str | Path) -> None:
    """Write a BPETokenizer as GPT-2-format vocab.json + merges.txt into the folder `path`.

    Single bytes get GPT-2's ids (the order of bytes_to_unicode), merge k gets 256 + k, and
    special tokens keep their ids.
    """
    chars = bytes_to_unicode()
    text = dict(chars)  # llmlab id -> the token written in GPT-2's characters
    vocab = {text[b]: k for k, b in enumerate(chars)}
    lines = ["#version: 0.2"]
    for (a, b), new_id in tok.merges.items():
        text[new_id] = text[a] + text[b]
        vocab[text[new_id]] = new_id
        lines.append(f"{text[a]} {text[b]}")
    vocab.update(tok.special_tokens)
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "merges.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
