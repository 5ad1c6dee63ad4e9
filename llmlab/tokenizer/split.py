"""Cutting text into pieces before BPE: GPT-style split patterns and special tokens.

GPT-2 and GPT-4 first split text with a regular expression (words, numbers, punctuation,
spaces), then run BPE inside each piece, so a token never spans "dog." or "the cat".
Their patterns use `\\p{L}` (any letter) and `\\p{N}` (any number), which need the third-party
`regex` package. Python's own `re` has no `\\p{...}`, so the patterns below approximate them:

- `\\p{L}` (letter)  ->  `[^\\W\\d_]`  a word character that is not a digit or "_"
- `\\p{N}` (number)  ->  `\\d`        a decimal digit (any script)
- "neither letter nor number" -> `(?:_|[^\\w...])`

Differences from the originals: number signs that are not decimal digits (², ½, Ⅻ) count as
letters here; combining marks (as in Hindi) count as punctuation. The GPT-4 pattern's
possessive quantifiers (`?+`, `++`, not in `re` before Python 3.11) are dropped: in these
places they only save backtracking and never change the pieces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

GPT2_SPLIT_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?[^\W\d_]+| ?\d+| ?(?:_|[^\s\w])+|\s+(?!\S)|\s+"""
"""GPT-2's split pattern, for stdlib `re` (see the module docstring for the approximation)."""

GPT4_SPLIT_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|(?:_|[^\r\n\w])?[^\W\d_]+|\d{1,3}| ?(?:_|[^\s\w])+[\r\n]*"""
    r"""|\s*[\r\n]|\s+(?!\S)|\s+"""
)
"""GPT-4's (cl100k) split pattern, for stdlib `re`: words with one leading space or symbol,
numbers in groups of up to 3 digits, punctuation runs, newlines, other spaces."""


def split_text(text: str, pattern: str | re.Pattern | None) -> list[str]:
    """Cut text into the pieces that BPE works inside; joining them gives back the text.

    Characters the pattern does not match become pieces of their own, so no text is ever lost,
    whatever the pattern.

    Example: split_text("Hello world!!", GPT4_SPLIT_PATTERN) -> ['Hello', ' world', '!!']
    """
    if pattern is None:
        return [text] if text else []
    regex = re.compile(pattern)
    if regex.groups == 0:  # findall gives whole matches only when the pattern has no groups
        pieces = regex.findall(text)
        if sum(map(len, pieces)) == len(text) and "" not in pieces:
            return pieces  # the usual case (GPT patterns match every character): no gaps
    pieces, end = [], 0
    for m in regex.finditer(text):
        if m.start() > end:
            pieces.append(text[end : m.start()])
        if m.end() > m.start():
            pieces.append(m.group())
        end = max(end, m.end())
    if end < len(text):
        pieces.append(text[end:])
    return pieces


def split_special(text: str, specials: Iterable[str]) -> list[str]:
    """Cut text around special tokens: odd positions of the result are the special tokens.

    Longer special tokens are tried first, so "<|end|>" wins over "<|e" when both exist.

    Example: split_special("a<|eot|>b", ["<|eot|>"]) -> ['a', '<|eot|>', 'b']
    """
    specials = sorted(specials, key=len, reverse=True)
    if not specials:
        return [text]
    return re.split("(" + "|".join(map(re.escape, specials)) + ")", text)


def allowed_specials(
    text: str, specials: Iterable[str], allowed_special: str | Iterable[str]
) -> set:
    """Which special tokens encode() should treat as special, from its allowed_special argument.

    "all" -> every one; "none" -> none (they are encoded as plain text); "none_raise" -> none,
    but raise if one appears in text (so text from a user cannot smuggle in control tokens);
    or an explicit set of special tokens.
    """
    specials = set(specials)
    if isinstance(allowed_special, str) and allowed_special == "all":
        return specials
    if isinstance(allowed_special, str) and allowed_special in ("none", "none_raise"):
        found = [s for s in sorted(specials) if s in text]
        if found and allowed_special == "none_raise":
            raise ValueError(
                f"the text contains the special token {found[0]!r}; pass allowed_special='all' "
                f"to encode it as a special token or 'none' to encode it as plain text"
            )
        return set()
    if isinstance(allowed_special, str):
        raise ValueError(
            f"allowed_special must be 'all', 'none', 'none_raise' or a set of special tokens, "
            f"got {allowed_special!r}"
        )
    unknown = set(allowed_special) - specials
    if unknown:
        raise ValueError(
            f"allowed_special names {sorted(unknown)}, which are not special tokens of this "
            f"tokenizer (it has {sorted(specials)})"
        )
    return set(allowed_special)
