"""GPT-2's tokenizer file format: vocab.json + merges.txt, and bytes written as characters.

GPT-2 (and the Hugging Face hub's `gpt2` folder) describes its tokenizer in two text files:

- merges.txt: a "#version: 0.2" line, then one merge per line, best first: "Ġ t" joins the
  tokens "Ġ" and "t". The line number is the merge's rank.
- vocab.json: each token's text -> its id: {"!": 0, ..., "Ġt": 256, ..., "<|endoftext|>": 50256}.

Tokens are bytes, but these files hold text, so GPT-2 writes each byte as one printable character
(`bytes_to_unicode`): printable bytes stand for themselves ("a" is byte 97), the others move up
past 255 (the space, byte 32, is "Ġ"). GPT-2 also numbers the 256 single bytes in that table's
order ("!" is id 0), while llmlab's ids 0-255 are the byte values: `gpt2_to_llmlab` matches each
llmlab id with the GPT-2 id that stands for the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llmlab.tokenizer.bpe import BPETokenizer


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


def gpt2_bytes(text: str) -> bytes | None:
    """The bytes a token written in GPT-2's characters stands for; None if it is not so written.

    Example: gpt2_bytes("Ġthe") -> b" the";  gpt2_bytes("<|endoftext|>") -> b"<|endoftext|>";
        gpt2_bytes("中") -> None
    """
    try:  # str.translate maps every character at C speed; a character outside the table fails
        return text.translate(_TO_BYTES).encode("latin-1")
    except UnicodeEncodeError:
        return None


_TO_BYTES = {ord(ch): chr(b) for b, ch in bytes_to_unicode().items()}
# GPT-2 writes the space as "Ġ", so a plain " " (and the like) must not pass as a byte: it maps
# to a character that latin-1 cannot encode
_TO_BYTES |= {c: "\uffff" for c in range(256) if c not in _TO_BYTES}


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
    llmlab_id = {bytes([b]): b for b in range(256)}  # the bytes a token stands for -> llmlab id
    out: dict[tuple[int, int], int] = {}
    for rank, (left, right) in enumerate(merges):
        where = f"{source}: merge {rank + 1} ({left} {right})"
        a, b = gpt2_bytes(left), gpt2_bytes(right)
        if a is None or b is None:
            raise ValueError(f"{where} is not written in GPT-2's byte characters")
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
        token = gpt2_bytes(text)
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
