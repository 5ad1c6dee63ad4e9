"""llmlab: learn how large language models work by building one in JAX and Flax NNX."""

import os

# Let two notebooks share one GPU: without this JAX takes 75% of GPU memory at start-up.
# It must be set before JAX creates its GPU client, which happens at the first computation.
os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")

__version__ = "0.1.0"
