"""Encoding with learned merges: one pre-split word at a time, lowest rank first, with a cache.

This is how GPT-2's own encoder works: cut the text into words with the split pattern, encode
each word on its own, and remember the words already seen. English repeats its words, so most
of a long text is dictionary look-ups, and a short prompt costs only its few new words.

Inside a word, the rule is minbpe's "merge the lowest-ranked pair present, repeat" (the rank of
a merge is its new id: merges are numbered in the order they were learned). A heap of the pairs
present, ordered by (rank, position), does that in O(n log n) for a word of n bytes, so a whole
text with no pre-split (one long "word") still encodes in seconds, not hours. (For such a text
with few merges, one numpy pass per merge was faster; it cost 300 ms per prompt with GPT-2's
50,000 merges, whatever the prompt's length.)
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from itertools import pairwise

MAX_CACHED_WORDS = 100_000  # the cache starts afresh when it holds this many words


def merge_word(ids: Sequence[int], merges: dict[tuple[int, int], int]) -> list[int]:
    """Apply the merges to one word: repeatedly merge the lowest-ranked pair present.

    Equal pairs merge left to right, so (a, a, a) with (a, a) -> X becomes (X, a). A merge only
    makes pairs of a higher rank than its own (its new id is larger than any id before it), so
    popping pairs from a heap in (rank, position) order merges exactly as minbpe does.

    Args:
        ids: the word's token ids, length n (its UTF-8 bytes, to start with).
        merges: (left, right) -> new_id, where new ids grow in the order merges were learned.

    Returns:
        the merged ids.

    Example: merge_word([97, 97, 97, 98], {(97, 97): 256, (256, 97): 257}) -> [257, 98]
    """
    ids = list(ids)
    n = len(ids)
    nxt = list(range(1, n + 1))  # a linked list over the positions still alive; n is the end
    prev = list(range(-1, n - 1))
    rank = merges.get  # the rank of a pair is its new id; None if the pair is not a merge
    # a heap entry is one int, rank * n + position (ints compare faster than tuples); the
    # smallest is the lowest-ranked pair, and the leftmost among equals
    heap = [merges[pair] * n + i for i, pair in enumerate(pairwise(ids)) if pair in merges]
    heapq.heapify(heap)
    while heap:
        new_id, i = divmod(heapq.heappop(heap), n)
        if ids[i] < 0 or nxt[i] == n:
            continue  # stale: position i was used up by an earlier merge, or is now the last
        j = nxt[i]
        if rank((ids[i], ids[j])) != new_id:
            continue  # stale: an earlier merge changed one side of this pair
        ids[i], ids[j] = new_id, -1  # i now holds the merged token; j is gone
        nxt[i] = k = nxt[j]
        # the new token forms new pairs with its neighbours (k on the right, prev[i] on the left)
        if k < n:
            prev[k] = i
            r = rank((new_id, ids[k]))
            if r is not None:
                heapq.heappush(heap, r * n + i)
        if prev[i] >= 0:
            r = rank((ids[prev[i]], new_id))
            if r is not None:
                heapq.heappush(heap, r * n + prev[i])
    return [t for t in ids if t >= 0]


class WordCache:
    """Encoded words for one merges dict, so each distinct word is merged only once.

    It notices when it no longer fits the merges (a new dict, or merges added during training),
    and it starts afresh when it holds `max_words` words, so its memory stays bounded.

    Example: WordCache({(104, 105): 256}).encode("hi") -> [256]
    """

    def __init__(self, merges: dict[tuple[int, int], int], max_words: int = MAX_CACHED_WORDS):
        self.merges, self.num_merges, self.max_words = merges, len(merges), max_words
        self.words: dict[str, list[int]] = {}

    def fits(self, merges: dict[tuple[int, int], int]) -> bool:
        """Whether the cached words were encoded with these merges."""
        return merges is self.merges and len(merges) == self.num_merges

    def encode(self, word: str) -> list[int]:
        """The token ids of one word (shared with the cache: copy before changing them)."""
        ids = self.words.get(word)
        if ids is None:
            if len(self.words) >= self.max_words:
                self.words = {}
            ids = self.words[word] = merge_word(word.encode("utf-8"), self.merges)
        return ids
