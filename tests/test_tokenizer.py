"""Tests for llmlab.tokenizer: worked examples, the tie-break rule, fast == naive, round trips,
streaming safety, files, and every bad input."""

import numpy as np
from hypothesis import strategies as st

from llmlab.tokenizer import (
    GPT2_SPLIT_PATTERN,
    GPT4_SPLIT_PATTERN,
    BPETokenizer,
    CharTokenizer,
    get_stats,
    merge,
    render_token,
    split_text,
    train_bpe_naive,
)
from llmlab.tokenizer.fast import merge_array, merge_positions, pack_chunks

# Arbitrary Unicode (no surrogates, which UTF-8 cannot encode), plus Chinese and emoji for sure.
unicode_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
mixed_text = st.lists(
    st.sampled_from(["床前明月光", "疑是地上霜", "🙂", "👩‍👩‍👧", "the ", "aaa", "\n", "x"])
    | unicode_text,
    max_size=6,
).map("".join)
small_alphabet = st.text(alphabet="ab c\n中🙂", min_size=1, max_size=40)


# ---- worked examples ------------------------------------------------------------------------


def test_get_stats_counts_neighbouring_pairs_in_first_occurrence_order():
    """[1, 2, 3, 1, 2]: pairs (1,2) (2,3) (3,1) (1,2) -> (1,2) twice, the others once."""
    stats = get_stats([1, 2, 3, 1, 2])
    assert stats == {(1, 2): 2, (2, 3): 1, (3, 1): 1}
    assert list(stats) == [(1, 2), (2, 3), (3, 1)], "keys must be in first-occurrence order"


def test_merge_goes_left_to_right_through_a_run():
    """[5, 6, 6, 6, 7] with (6, 6) -> 99: the first two 6s merge, the third is left alone."""
    assert merge([5, 6, 6, 6, 7], (6, 6), 99) == [5, 99, 6, 7]
    assert merge([6, 6, 6, 6], (6, 6), 99) == [99, 99]


def test_minbpe_example_aaabdaaabac_three_merges():
    """minbpe's worked example, bytes a=97 b=98 c=99 d=100.

    "aaabdaaabac": pairs aa aa ab bd da aa aa ab ba ac -> (a,a) 4 times (overlaps count) -> 256
    "XabdXabac" with X=aa: pairs Xa 2, ab 2, ... -> (256, a) is first of the 2s -> 257 = "aaa"
    "YbdYbac" with Y=aaa: (257, b) 2 -> 258 = "aaab";  "ZdZac" -> [258, 100, 258, 97, 99]
    """
    expected = {(97, 97): 256, (256, 97): 257, (257, 98): 258}
    assert train_bpe_naive(list(b"aaabdaaabac"), 3) == expected
    tok = BPETokenizer().train("aaabdaaabac", 259)
    assert tok.merges == expected, "the fast trainer must learn minbpe's merges"
    assert tok.encode("aaabdaaabac") == [258, 100, 258, 97, 99]
    assert [s.count for s in tok.history] == [4, 2, 2], "history records each pair's count"
    assert tok.history[1].token == b"aaa"
    assert tok.decode([258, 100, 258, 97, 99]) == "aaabdaaabac"


def test_ties_go_to_the_pair_that_occurs_first():
    """ "cdab": pairs (c,d) (d,a) (a,b) each once -> (c,d) is earliest, so it wins, even though
    (a,b) has the smaller code. Then "Xab": (X,a) and (a,b) tie at 1 -> (X,a) comes first."""
    expected = {(99, 100): 256, (256, 97): 257, (257, 98): 258}
    assert train_bpe_naive(list(b"cdab"), 3) == expected
    assert BPETokenizer().train("cdab", 259).merges == expected


def test_a_more_frequent_pair_beats_an_earlier_one():
    """ "xyabab": (a,b) occurs twice, (x,y) once -> (a,b) first despite (x,y) being earlier."""
    assert list(BPETokenizer().train("xyabab", 257).merges) == [(97, 98)]


def test_fast_merge_handles_overlapping_runs_like_the_naive_merge():
    """Codes of "aaaaab" for (a,a): matches at 0,1,2,3 -> merge at 0 and 2 -> [X, X, a, b]."""
    ids = np.array(list(b"aaaaab"))
    codes = ids[:-1] * 256 + ids[1:]
    pos = merge_positions(codes, 97 * 256 + 97, same=True)
    assert pos.tolist() == [0, 2]
    merged, _ = merge_array(ids, pos, 256)
    assert merged.tolist() == merge(list(b"aaaaab"), (97, 97), 256) == [256, 256, 97, 98]


def test_pack_chunks_stores_each_distinct_chunk_once_with_its_weight():
    """[ab, c, ab] -> "ab" twice, "c" once: ids a b SEP c, weights 2 2 2 1."""
    ids, weights = pack_chunks([b"ab", b"c", b"ab"])
    assert ids.tolist() == [97, 98, -1, 99]
    assert weights.tolist() == [2, 2, 2, 1]


def test_gpt4_pattern_splits_words_numbers_and_punctuation():
    pieces = split_text("I'VE got 12345 apples!!\n\n  ok", GPT4_SPLIT_PATTERN)
    assert pieces == ["I", "'VE", " got", " ", "123", "45", " apples", "!!\n\n", " ", " ok"]
    assert split_text("Hello world!!", GPT2_SPLIT_PATTERN) == ["Hello", " world", "!!"]
    assert split_text("床前明月光，疑是", GPT4_SPLIT_PATTERN) == ["床前明月光", "，疑是"]


def test_pre_split_keeps_merges_inside_pieces():
    """With the GPT-4 split, "a b" never merges across the space: " b" is a piece."""
    tok = BPETokenizer(GPT4_SPLIT_PATTERN).train("a b a b a b", 258)
    assert all(b" " not in t.token[1:] for t in tok.history), "no token may end a piece early"
    assert (97, 32) not in tok.merges, "'a ' crosses a piece boundary and must not be learned"


def test_render_token_shows_cut_bytes_and_control_characters():
    assert render_token("中".encode()[:2]) == "\\xe4\\xb8"
    assert render_token(b"a\n") == "a\\n"
    assert render_token("中".encode()) == "中"
    assert repr(BPETokenizer().train("aaab", 257).history[0]) == (
        "MergeStep((97, 97) -> 256 'aa', count=2)"
    )


def test_train_steps_yields_one_step_at_a_time():
    steps = BPETokenizer().train_steps("aaabdaaabac", 259)
    first = next(steps)
    assert (first.pair, first.new_id, first.count) == ((97, 97), 256, 4)
    assert len(list(steps)) == 2


def test_char_tokenizer_worked_example():
    """Sorted chars of "hello": e h l o -> ids 0 1 2 3, so "hell" -> [1, 0, 2, 2]."""
    tok = CharTokenizer.from_text("hello")
    assert tok.chars == ["e", "h", "l", "o"] and tok.vocab_size == 4
    assert tok.encode("hell") == [1, 0, 2, 2]
    assert tok.decode([1, 0, 2, 2]) == "hell"
    assert CharTokenizer.from_text("a\n").token_text(0) == "\\n", "newline shows as an escape"
    assert "vocab_size=4" in repr(tok)
