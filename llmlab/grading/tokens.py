"""Checks for lesson 02 (tokens): UTF-8 bytes, counting byte pairs, one BPE merge, and a
character tokenizer whose decode(encode(s)) gives back s."""

from __future__ import annotations

import numpy as np

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import call, equal
from llmlab.i18n import say
from llmlab.tokenizer import CharTokenizer, get_stats, merge

LESSON = "02_tokens"
WORDS = ["the", "cat", "sat", "on", "a", "mat", "床前", "明月光", "疑是", "地上霜", "🙂", "héllo"]


def random_text(rng: np.random.Generator, n_words: int = 6) -> str:
    """A short mix of English, Chinese, accents and an emoji."""
    return " ".join(str(w) for w in rng.choice(WORDS, size=n_words))


@task(
    LESSON,
    "utf8_bytes",
)
def check_utf8_bytes(fn, rng):
    for text in ["hello", "床前明月光", random_text(rng), ""]:
        when = say("check.tokens.when_text", text=repr(text))
        got = call(fn, text, when=when)
        want = list(text.encode("utf-8"))
        if isinstance(got, bytes):
            raise Mistake(say("check.tokens.returned_bytes", when=when))
        if isinstance(got, list) and got == [ord(c) for c in text] and got != want:
            raise Mistake(say("check.tokens.code_points", when=when))
        answer = list(got) if isinstance(got, list | tuple) else got
        equal(answer, want, say("check.name.bytes"), when)


@task(
    LESSON,
    "count_pairs",
    references=("llmlab.tokenizer.naive.get_stats",),
)
def check_count_pairs(fn, rng):
    cases = [list(random_text(rng).encode("utf-8")) for _ in range(3)]
    cases += [[1, 1, 1], [5, 6, 5, 6, 5, 6], [7], []]
    ambiguous = None  # where the counts were wrong in a way two mistakes share
    for ids in cases:
        when = (
            say("check.tokens.when_ids", ids=ids)
            if len(ids) < 8
            else say("check.tokens.when_random_ids", n=len(ids))
        )
        got = call(fn, list(ids), when=when)
        if not isinstance(got, dict):
            raise Mistake(say("check.tokens.not_dict", kind=type(got).__name__, when=when))
        want = get_stats(ids)
        try:
            got = {(int(a), int(b)): int(n) for (a, b), n in got.items()}
        except (TypeError, ValueError):
            raise Mistake(say("check.tokens.dict_shape", when=when)) from None
        if ids == [1, 1, 1] and got.get((1, 1)) == 1:
            raise Mistake(say("check.tokens.overlap", when=when))
        once = dict.fromkeys(want, 1)
        without_last = get_stats(ids[:-1])
        if got != want and got == once == without_last:
            ambiguous = ambiguous or when  # [5, 6, 5, 6, 5, 6] tells the two apart
            continue
        if got == once and once != want:
            raise Mistake(say("check.tokens.once", when=when))
        if got == without_last and without_last != want:
            raise Mistake(say("check.tokens.missed_last", when=when))
        equal(got, want, say("check.name.pair_counts"), when)
    if ambiguous:
        raise Mistake(say("check.tokens.ambiguous", when=ambiguous))


@task(
    LESSON,
    "merge_pair",
    references=("llmlab.tokenizer.naive.merge",),
)
def check_merge_pair(fn, rng):
    cases = [([5, 6, 6, 6, 7], (6, 6)), ([1, 2, 3, 1, 2], (1, 2)), ([3], (3, 3))]
    cases.append(([1, 2, 1], (2, 1)))
    for _ in range(3):
        ids = [int(i) for i in rng.integers(0, 4, size=int(rng.integers(8, 20)))]
        cases.append((ids, (ids[0], ids[1])))
    for ids, pair in cases:
        new_id = int(rng.integers(256, 300))
        when = say("check.tokens.when_merge", ids=ids, pair=pair)
        got = call(fn, list(ids), pair, new_id, when=when)
        want = merge(ids, pair, new_id)
        if isinstance(got, list) and got.count(new_id) == 1 and want.count(new_id) > 1:
            raise Mistake(say("check.tokens.first_only", when=when))
        answer = list(got) if isinstance(got, list | tuple) else got
        equal(answer, want, say("check.name.merged_ids"), when)


@task(
    LESSON,
    "char_tokenizer",
)
def check_char_tokenizer(fn, rng):
    text = random_text(rng, 12)
    when = say("check.tokens.when_text", text=repr(text))
    got = call(fn, text, when=when)
    if not (isinstance(got, tuple) and len(got) == 2 and all(map(callable, got))):
        raise Mistake(say("check.tokens.two_functions", when=when))
    encode, decode = got
    ids = call(encode, text, when=say("check.tokens.in_encode", when=when))
    if not isinstance(ids, list) or not all(isinstance(i, int | np.integer) for i in ids):
        raise Mistake(say("check.tokens.encode_ints", when=when))
    if len(ids) != len(text):
        raise Mistake(say("check.tokens.one_per_char", n=len(ids), chars=len(text), when=when))
    want = CharTokenizer.from_text(text).encode(text)  # vocabulary sorted by code point
    in_order = list(dict.fromkeys(text))  # characters in order of first appearance
    if [int(i) for i in ids] == [in_order.index(c) for c in text] != want:
        raise Mistake(say("check.tokens.first_seen", when=when))
    hint = say("check.tokens.sorted_hint")
    equal([int(i) for i in ids], want, say("check.name.ids"), when, hint)
    back = call(decode, ids, when=say("check.tokens.in_decode", when=when))
    equal(back, text, say("check.name.round_trip"), when)
    piece = text[len(text) // 2 :]
    equal(call(decode, call(encode, piece)), piece, say("check.name.round_trip_part"), when)
