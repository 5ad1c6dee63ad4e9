"""Tiny pretrained character-level GPTs shipped with the course, ready to write text.

    from llmlab.pretrained import load
    from llmlab.generate import generate
    model, tokenizer = load("shakespeare")
    ids = generate(model, tokenizer.encode("ROMEO:"), 200, key=jax.random.key(0))
    print(tokenizer.decode(ids))

===========  ===========================  ====================  ==========  ========  =======
name         layers, heads, channels, ctx vocabulary            parameters  val loss  file
===========  ===========================  ====================  ==========  ========  =======
shakespeare  4, 4, 128, 64                65 characters         809,856     1.876     1.6 MB
tang         4, 4, 128, 32                5,043 characters      1,442,944   5.529     2.9 MB
tang_base    4, 4, 128, 80                5,119 chars + 4 chat  1,459,328   5.427     3.0 MB
tang_chat    the same, after SFT          the same              1,459,328   4.369*    3.0 MB
add_direct   2, 4, 64, 64                 14 chars + 2 tool     105,216     1.101**   214 kB
add_scratch  the same                     the same              105,216     0.085**   214 kB
add_tool     the same                     the same              105,216     0.001**   214 kB
follow       2, 4, 64, 96                 78 chars + 2 data     111,360     0.017***  227 kB
===========  ===========================  ====================  ==========  ========  =======

Validation loss: mean cross-entropy (nats per character) over 200 random batches of the last
10% of the corpus, for the float16 weights as shipped (nanoGPT reports 1.88 for the same
Shakespeare recipe; uniform guessing would give ln 65 = 4.17 and ln 5043 = 8.53). Training
steps: 2,000 (Shakespeare, batch 12) and 1,500 (Tang, batch 24; tang_base batch 10 of 80
characters). *tang_chat: the masked loss on the assistant's words of the 500 held-out
conversations of the instruction set (tang_base scores 9.34 there), after 600 SFT steps.
**The adders (`llmlab.data.arithmetic`: the answer at once, a scratchpad of column sums, or a
calculator call): the masked loss on what the model writes, for 2,000 held-out problems, after
800 steps of 64 problems; accuracy by digits: `benchmarks/arithmetic.py`.
***follow (`llmlab.pretrained.follow`, `llmlab.injection`): applies a command to a piece of
text, with or without data markers; the masked loss on the answers of 2,000 held-out requests,
after 1,500 steps of 64; accuracy and injection rates: `benchmarks/injection.py`.
All were made by one command, `python -m llmlab.pretrained build` (recipes and seeds in
`llmlab/pretrained/build.py`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from llmlab.checkpoint import load_checkpoint
from llmlab.model import GPT

NAMES = ("shakespeare", "tang", "tang_base", "tang_chat", "add_direct", "add_scratch", "add_tool",
         "follow")  # fmt: skip


def path(name: str) -> Path:
    """Where the weights of pretrained model `name` are stored."""
    if name not in NAMES:
        raise ValueError(f"unknown pretrained model {name!r}: expected one of {list(NAMES)}")
    return Path(str(resources.files(__package__).joinpath(f"{name}.safetensors")))


def load(name: str) -> tuple[GPT, Any]:
    """The pretrained model `name` (one of NAMES) and its character tokenizer."""
    file = path(name)
    if not file.is_file():
        raise FileNotFoundError(
            f"{file} is missing; rebuild it with `python -m llmlab.pretrained build {name}`"
        )
    ckpt = load_checkpoint(file)
    return ckpt.model, ckpt.tokenizer
