"""What a model costs: training FLOPs and days, and the bytes of weights, AdamW state, KV cache.

Training FLOPs ≈ 6 · N · tokens: each token meets every parameter once in a multiply-add
(2 FLOPs) on the forward pass and twice as much on the backward pass (gradients for the
activations and for the weights), 2 + 4 = 6 (Kaplan et al., 2020). Attention's own T² work is
left out; for big models it is a few percent.

Days = FLOPs / (GPUs · peak FLOP/s · utilisation) / 86,400: a GPU never runs at its data-sheet
peak (memory traffic, communication, pipeline bubbles); big runs reach about 30-55% of it.

Shape letters: L layers, C channels, T tokens held, B batch.
"""

from __future__ import annotations

import math

SECONDS_PER_DAY = 86_400
BYTES_PER = {"float32": 4, "bfloat16": 2, "float16": 2, "int8": 1, "int4": 0.5}


def _positive(**values) -> None:
    for name, value in values.items():
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be a positive number, got {value!r}")


def _bytes_per(dtype: str) -> float:
    if dtype not in BYTES_PER:
        raise ValueError(f"dtype must be one of {list(BYTES_PER)}, got {dtype!r}")
    return BYTES_PER[dtype]


def training_flops(n_params: float, n_tokens: float) -> float:
    """FLOPs to train N parameters on `n_tokens` tokens: 6 · N · tokens.

    Example: GPT-3, 175e9 parameters on 300e9 tokens -> 6 · 175e9 · 300e9 = 3.15e23 FLOPs.
    """
    _positive(n_params=n_params, n_tokens=n_tokens)
    return 6.0 * n_params * n_tokens


def training_days(flops: float, n_gpus: int, peak_flops: float, utilisation: float) -> float:
    """Wall-clock days for `flops` on `n_gpus` GPUs of `peak_flops` FLOP/s each.

    utilisation: the fraction of peak actually reached, in (0, 1] ("MFU").

    Example: 3.15e23 FLOPs, 1,000 A100s at 312e12 FLOP/s, utilisation 0.5
    -> 3.15e23 / (1000 · 312e12 · 0.5) / 86,400 ≈ 23.4 days.
    """
    _positive(flops=flops, n_gpus=n_gpus, peak_flops=peak_flops, utilisation=utilisation)
    if utilisation > 1:
        raise ValueError(f"utilisation is a fraction of peak in (0, 1], got {utilisation!r}")
    return flops / (n_gpus * peak_flops * utilisation) / SECONDS_PER_DAY


def weight_bytes(n_params: float, dtype: str = "bfloat16") -> float:
    """Bytes of N parameters stored as `dtype` (a key of BYTES_PER).

    Example: 70e9 parameters in bfloat16 -> 2 · 70e9 = 140e9 bytes (140 GB).
    """
    _positive(n_params=n_params)
    return n_params * _bytes_per(dtype)


def adamw_bytes(n_params: float, dtype: str = "float32") -> float:
    """Bytes of AdamW's state: two moments (m and v) per parameter, each `dtype`.

    Mixed-precision training also keeps a float32 master copy of the weights: add
    `weight_bytes(N, "float32")` for it.

    Example: 70e9 parameters, float32 moments -> 2 · 4 · 70e9 = 560e9 bytes.
    """
    _positive(n_params=n_params)
    return 2 * n_params * _bytes_per(dtype)


def kv_cache_bytes(n_layer: int, n_tokens: int, n_embd: int, batch_size: int = 1,
                   dtype: str = "bfloat16") -> float:  # fmt: skip
    """Bytes of a KV cache: L · 2 (a key and a value) · T · C · bytes · B.

    Every layer keeps, for every token held, a key and a value of C channels (H heads of D).

    Example: GPT-2 small (L 12, C 768), 1,024 tokens, float32, B 1
    -> 12 · 2 · 1024 · 768 · 4 = 75,497,472 bytes (75.5 MB).
    """
    _positive(n_layer=n_layer, n_tokens=n_tokens, n_embd=n_embd, batch_size=batch_size)
    return n_layer * 2 * n_tokens * n_embd * _bytes_per(dtype) * batch_size
