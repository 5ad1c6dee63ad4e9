"""llmlab: learn how large language models work by building one in JAX and Flax NNX.

The short list below is what a lesson usually needs; everything else lives in the module named
after its concept (`llmlab.sampling`, `llmlab.attention`, ...). Widgets are in `llmlab.widgets`
and are never imported by the core library.
"""

import os

# Let two notebooks share one GPU: without this JAX takes 75% of GPU memory at start-up.
# It must be set before JAX creates its GPU client, which happens at the first computation.
os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")

from llmlab.checkpoint import load_checkpoint, save_checkpoint
from llmlab.generate import generate
from llmlab.i18n import language, set_language
from llmlab.model import GPT, GPTConfig, count_params, load_gpt2
from llmlab.optimizer import TrainConfig
from llmlab.progress import progress
from llmlab.tokenizer import BPETokenizer, CharTokenizer
from llmlab.train import fit

__version__ = "0.1.0"

__all__ = [
    "GPT",
    "BPETokenizer",
    "CharTokenizer",
    "GPTConfig",
    "TrainConfig",
    "count_params",
    "fit",
    "generate",
    "language",
    "load_checkpoint",
    "load_gpt2",
    "progress",
    "save_checkpoint",
    "set_language",
]
