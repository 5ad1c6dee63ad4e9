"""Tokenizers: text <-> integer ids.

Files, in reading order:
1. char.py   - CharTokenizer, one id per character.
2. naive.py  - get_stats, merge, train_bpe_naive: byte-pair encoding the readable way.
3. fast.py   - the same training with numpy arrays (iter_merges), and fast encoding.
4. split.py  - GPT-style regex pre-split patterns (stdlib `re`) and special-token splitting.
5. vocab.py  - build_vocab, render_token, MergeStep: what each id stands for.
6. bpe.py    - BPETokenizer: train / encode / decode / save / load.
7. files.py  - JSON files and tokenizer_to_dict / tokenizer_from_dict for checkpoints.
8. extend.py - add_tokens: new characters and special tokens, old ids unchanged (fine-tuning).
"""

from llmlab.tokenizer.bpe import BPETokenizer
from llmlab.tokenizer.char import CharTokenizer
from llmlab.tokenizer.extend import add_tokens
from llmlab.tokenizer.fast import iter_merges
from llmlab.tokenizer.files import tokenizer_from_dict, tokenizer_to_dict
from llmlab.tokenizer.naive import get_stats, merge, train_bpe_naive
from llmlab.tokenizer.split import GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN, split_text
from llmlab.tokenizer.vocab import MergeStep, build_vocab, render_token

__all__ = [
    "GPT2_SPLIT_PATTERN",
    "GPT4_SPLIT_PATTERN",
    "BPETokenizer",
    "CharTokenizer",
    "MergeStep",
    "add_tokens",
    "build_vocab",
    "get_stats",
    "iter_merges",
    "merge",
    "render_token",
    "split_text",
    "tokenizer_from_dict",
    "tokenizer_to_dict",
    "train_bpe_naive",
]
