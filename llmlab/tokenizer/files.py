"""Tokenizers as JSON data: reading files, checking them, and picking the right class.

A tokenizer file is small JSON, e.g. {"type": "char", "chars": [...], "unk": null} or
{"type": "bpe", "pattern": null, "special_tokens": {}, "merges": [[97, 97, 256], ...]}.
Checkpoints store the same dict. A damaged file gives a ValueError that says what is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_json(path: str | Path) -> Any:
    """Parse a JSON file; ValueError naming the file if it is not JSON."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValueError(f"the tokenizer file {path} is not valid JSON: {e}") from e


def check_type(d: Any, expected: str, source: str) -> None:
    """Check that d is a dict with d["type"] == expected."""
    if not isinstance(d, dict):
        raise ValueError(f"{source} should hold a JSON object, got {type(d).__name__}")
    if d.get("type") != expected:
        raise ValueError(f"{source} has type {d.get('type')!r}, expected {expected!r}")


def check_char_dict(d: Any, source: str) -> None:
    """Check the fields of a CharTokenizer dict: chars (distinct single characters) and unk."""
    check_type(d, "char", source)
    chars = d.get("chars")
    if not isinstance(chars, list) or not all(isinstance(c, str) and len(c) == 1 for c in chars):
        raise ValueError(f"{source}: 'chars' should be a list of single characters, got {chars!r}")
    if len(set(chars)) != len(chars):
        raise ValueError(f"{source}: 'chars' lists a character twice")
    if d.get("unk") is not None and d["unk"] not in chars:
        raise ValueError(f"{source}: 'unk' is {d['unk']!r}, which is not one of the chars")
    check_special_dict(d.get("special_tokens") or {}, len(chars), source)


def check_special_dict(specials: Any, first_free: int, source: str) -> None:
    """Special tokens map distinct non-empty strings to distinct ids >= first_free."""
    if not isinstance(specials, dict):
        raise ValueError(f"{source}: 'special_tokens' should map strings to ids, got {specials!r}")
    for s, i in specials.items():
        if not isinstance(s, str) or not s or type(i) is not int:
            raise ValueError(f"{source}: special tokens map non-empty str -> int, got {s!r}: {i!r}")
        if i < first_free:
            raise ValueError(
                f"{source}: special token {s!r} has id {i}, but ids below {first_free} are "
                f"taken by the vocabulary: give special tokens ids >= {first_free}"
            )
    if len(set(specials.values())) < len(specials):
        raise ValueError(f"{source}: two special tokens share an id: {specials}")


def check_bpe_dict(d: Any, source: str) -> None:
    """Check a BPETokenizer dict: merges numbered 256, 257, ... from earlier ids, and the rest."""
    check_type(d, "bpe", source)
    missing = {"pattern", "special_tokens", "merges"} - set(d)
    if missing:
        raise ValueError(f"{source} is missing the fields {sorted(missing)}")
    if d["pattern"] is not None and not isinstance(d["pattern"], str):
        raise ValueError(f"{source}: 'pattern' should be a string or null, got {d['pattern']!r}")
    specials = d["special_tokens"]
    if not isinstance(specials, dict) or not all(isinstance(i, int) for i in specials.values()):
        raise ValueError(f"{source}: 'special_tokens' should map strings to ids, got {specials!r}")
    merges = d["merges"]
    if not isinstance(merges, list):
        raise ValueError(f"{source}: 'merges' should be a list, got {type(merges).__name__}")
    seen = set()
    for k, m in enumerate(merges):
        new_id = 256 + k
        ok = isinstance(m, list) and len(m) == 3 and all(type(x) is int for x in m)
        if not ok:
            raise ValueError(f"{source}: merge {k} should be [left, right, new_id], got {m!r}")
        a, b, got = m
        if got != new_id:
            raise ValueError(f"{source}: merge {k} should create id {new_id}, but creates {got}")
        if not (0 <= a < new_id and 0 <= b < new_id):
            raise ValueError(
                f"{source}: merge {k} joins ids {a} and {b}, but only ids 0-{new_id - 1} "
                f"exist at that point"
            )
        if (a, b) in seen:
            raise ValueError(f"{source}: merge {k} repeats the pair {(a, b)}")
        seen.add((a, b))


def tokenizer_to_dict(tok: Any) -> dict:
    """A CharTokenizer or BPETokenizer as JSON-friendly data (for checkpoints)."""
    if not hasattr(tok, "to_dict"):
        raise TypeError(f"expected a CharTokenizer or BPETokenizer, got {type(tok).__name__}")
    return tok.to_dict()


def tokenizer_from_dict(d: Any, source: str = "the tokenizer data") -> Any:
    """Rebuild a tokenizer from tokenizer_to_dict output, choosing the class by d["type"]."""
    from llmlab.tokenizer.bpe import BPETokenizer
    from llmlab.tokenizer.char import CharTokenizer

    classes = {"char": CharTokenizer, "bpe": BPETokenizer}
    kind = d.get("type") if isinstance(d, dict) else None
    if kind not in classes:
        raise ValueError(f"{source} has type {kind!r}, expected one of {sorted(classes)}")
    return classes[kind].from_dict(d, source)
