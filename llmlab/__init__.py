"""llmlab: learn how large language models work by building one in JAX and Flax NNX."""

__version__ = "0.1.0"
