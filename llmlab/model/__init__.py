"""The GPT model: its config (`config.py`), the network (`gpt.py`), GPT-2 import (`gpt2.py`),
new tokens for a trained model (`grow.py`)."""

from llmlab.model.config import GPTConfig, param_count_formula
from llmlab.model.gpt import GPT, MLP, Block, KVCache, count_params
from llmlab.model.gpt2 import load_gpt2
from llmlab.model.grow import grow_vocab

__all__ = [
    "GPT",
    "MLP",
    "Block",
    "GPTConfig",
    "KVCache",
    "count_params",
    "grow_vocab",
    "load_gpt2",
    "param_count_formula",
]
