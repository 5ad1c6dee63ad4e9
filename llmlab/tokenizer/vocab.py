"""What each token id stands for: its bytes, and a readable way to show them."""

from __future__ import annotations

import unicodedata
from typing import NamedTuple


def build_vocab(merges: dict[tuple[int, int], int], first_id: int = 256) -> dict[int, bytes]:
    """The bytes behind every id: 0-255 are single bytes, each merge joins two earlier tokens.

    Example: build_vocab({(104, 105): 256})[256] -> b"hi"
    """
    vocab = {i: bytes([i]) for i in range(first_id)}
    for (a, b), new_id in merges.items():
        vocab[new_id] = vocab[a] + vocab[b]
    return vocab


def render_token(token: bytes) -> str:
    """Show a token's bytes as readable text.

    Bytes that are not complete UTF-8 become \\xNN escapes, and control characters (newline,
    tab, ...) become escapes like \\n, so every token shows as one visible line.

    Example: render_token("中".encode()[:2]) -> '\\\\xe4\\\\xb8';  render_token(b"a\\n") -> 'a\\\\n'
    """
    text = token.decode("utf-8", errors="backslashreplace")
    return "".join(
        repr(ch)[1:-1] if unicodedata.category(ch).startswith("C") else ch for ch in text
    )


class MergeStep(NamedTuple):
    """One training step: `pair` was the most frequent pair (`count` times) and became `new_id`."""

    pair: tuple[int, int]
    new_id: int
    count: int
    token: bytes  # the bytes the new token stands for

    def __repr__(self) -> str:
        return (
            f"MergeStep({self.pair} -> {self.new_id} {render_token(self.token)!r}, "
            f"count={self.count})"
        )
