"""Tokenizers: text <-> integer ids.

Files, in reading order:
1. char.py   - CharTokenizer, one id per character.
2. naive.py  - get_stats, merge, train_bpe_naive: byte-pair encoding the readable way.
3. fast.py   - the same training with numpy arrays (iter_merges).
4. split.py  - GPT-style regex pre-split patterns (stdlib `re`) and special-token splitting.
5. encode.py - merge_word: encode one word with the merges, lowest rank first; a word cache.
6. vocab.py  - build_vocab, render_token, MergeStep: what each id stands for.
7. bpe.py    - BPETokenizer: train / encode / decode / save / load.
8. files.py  - JSON files and tokenizer_to_dict / tokenizer_from_dict for checkpoints.
9. extend.py - add_tokens: new characters and special tokens, old ids unchanged (fine-tuning).
10. gpt2_format.py - GPT-2's files (vocab.json + merges.txt), bytes written as characters.
11. gpt2.py  - GPT2Tokenizer, load_gpt2_tokenizer: GPT-2's own ids from those files.
"""

from llmlab.tokenizer.bpe import BPETokenizer
from llmlab.tokenizer.char import CharTokenizer
from llmlab.tokenizer.encode import merge_word
from llmlab.tokenizer.extend import add_tokens
from llmlab.tokenizer.fast import iter_merges
from llmlab.tokenizer.files import tokenizer_from_dict, tokenizer_to_dict
from llmlab.tokenizer.gpt2 import GPT2Tokenizer, load_gpt2_tokenizer
from llmlab.tokenizer.gpt2_format import write_gpt2_files
from llmlab.tokenizer.naive import get_stats, merge, train_bpe_naive
from llmlab.tokenizer.split import GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN, split_text
from llmlab.tokenizer.vocab import MergeStep, build_vocab, render_token

__all__ = [
    "GPT2_SPLIT_PATTERN",
    "GPT4_SPLIT_PATTERN",
    "BPETokenizer",
    "CharTokenizer",
    "GPT2Tokenizer",
    "MergeStep",
    "add_tokens",
    "build_vocab",
    "get_stats",
    "iter_merges",
    "load_gpt2_tokenizer",
    "merge",
    "merge_word",
    "render_token",
    "split_text",
    "tokenizer_from_dict",
    "tokenizer_to_dict",
    "train_bpe_naive",
    "write_gpt2_files",
]
