"""Load a Hugging Face GPT-2 checkpoint from a local folder into our `GPT`.

The folder holds `config.json` and `model.safetensors` in Hugging Face's layout. Nothing is
downloaded here: fetch the two files yourself (e.g. from huggingface.co/gpt2) first.

Hugging Face stores GPT-2's Linear weights in "Conv1D" orientation (in, out), e.g.
`h.0.attn.c_attn.weight` is (C, 3C) — the same orientation as `nnx.Linear.kernel`, so the
arrays are copied without transposing.
"""

from __future__ import annotations

import json
from pathlib import Path

import jax.numpy as jnp
from flax import nnx
from safetensors.numpy import load_file

from llmlab.model.config import GPTConfig
from llmlab.model.gpt import GPT

# Buffers that Hugging Face saves next to the weights: the causal mask (we build our own) and
# the output head (tied to wte, so it is the same matrix).
_IGNORED_SUFFIXES = (".attn.bias", ".attn.masked_bias", "lm_head.weight")


def _config_from_hf(hf: dict) -> GPTConfig:
    """Our GPTConfig from the fields of a Hugging Face GPT-2 config.json."""
    if hf.get("model_type", "gpt2") != "gpt2":
        raise ValueError(f"expected a GPT-2 config (model_type 'gpt2'), got {hf['model_type']!r}")
    try:
        return GPTConfig(
            vocab_size=hf["vocab_size"],
            block_size=hf.get("n_positions", hf.get("n_ctx")),
            n_layer=hf["n_layer"],
            n_head=hf["n_head"],
            n_embd=hf["n_embd"],
        )
    except KeyError as missing:
        raise ValueError(f"config.json lacks the GPT-2 field {missing}") from None


def _weight_layout(config: GPTConfig) -> dict[str, tuple[tuple, tuple[int, ...]]]:
    """Hugging Face key (without 'transformer.') -> (path of our nnx.Param, its shape)."""
    V, C = config.vocab_size, config.n_embd
    layout = {
        "wte.weight": (("wte", "embedding"), (V, C)),
        "wpe.weight": (("wpe", "embedding"), (config.block_size, C)),
        "ln_f.weight": (("ln_f", "scale"), (C,)),
        "ln_f.bias": (("ln_f", "bias"), (C,)),
    }
    linears = {"attn.c_attn": (C, 3 * C), "attn.c_proj": (C, C), "mlp.c_fc": (C, 4 * C)}
    linears["mlp.c_proj"] = (4 * C, C)
    for i in range(config.n_layer):
        for ln in ("ln_1", "ln_2"):
            layout[f"h.{i}.{ln}.weight"] = (("blocks", i, ln, "scale"), (C,))
            layout[f"h.{i}.{ln}.bias"] = (("blocks", i, ln, "bias"), (C,))
        for name, (n_in, n_out) in linears.items():
            path = ("blocks", i, *name.split("."))
            layout[f"h.{i}.{name}.weight"] = ((*path, "kernel"), (n_in, n_out))
            layout[f"h.{i}.{name}.bias"] = ((*path, "bias"), (n_out,))
    return layout


def load_gpt2(path: str | Path) -> tuple[GPT, GPTConfig]:
    """Build a `GPT` holding the weights of a local Hugging Face GPT-2 checkpoint.

    Args:
        path: folder with `config.json` and `model.safetensors` (keys such as
            `h.0.attn.c_attn.weight`, with or without a `transformer.` prefix).

    Returns:
        (model, config); the model is in eval mode, its logits (B, T, 50257) for GPT-2 small.

    Example:
        model, config = load_gpt2("checkpoints/gpt2")  # config.n_layer -> 12
    """
    folder = Path(path)
    config_file, weights_file = folder / "config.json", folder / "model.safetensors"
    for file in (config_file, weights_file):
        if not file.is_file():
            raise FileNotFoundError(
                f"load_gpt2 expected {file.name} in {folder}, but {file} does not exist; "
                "a Hugging Face GPT-2 folder holds config.json and model.safetensors"
            )
    config = _config_from_hf(json.loads(config_file.read_text()))

    weights = {}
    for key, array in load_file(str(weights_file)).items():
        key = key.removeprefix("transformer.")
        if not key.endswith(_IGNORED_SUFFIXES):
            weights[key] = array

    layout = _weight_layout(config)
    missing = sorted(set(layout) - set(weights))
    unexpected = sorted(set(weights) - set(layout))
    if missing or unexpected:
        raise ValueError(
            f"{weights_file} does not match a {config.n_layer}-layer GPT-2: "
            f"missing keys {missing[:5]}{'...' if len(missing) > 5 else ''}, "
            f"unexpected keys {unexpected[:5]}{'...' if len(unexpected) > 5 else ''}"
        )
    params: dict = {}
    for key, (path, shape) in layout.items():
        if weights[key].shape != shape:
            raise ValueError(
                f"{key} has shape {weights[key].shape} in {weights_file}, "
                f"but config.json implies {shape}"
            )
        node = params
        for name in path[:-1]:
            node = node.setdefault(name, {})
        node[path[-1]] = jnp.asarray(weights[key], dtype=jnp.float32)

    # Build the model's structure without drawing 124M random numbers, then fill it in.
    graphdef, state = nnx.split(nnx.eval_shape(lambda: GPT(config, rngs=nnx.Rngs(0))))
    nnx.replace_by_pure_dict(state, params)
    model = nnx.merge(graphdef, state)
    return model, config
