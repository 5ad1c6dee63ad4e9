"""llmlab.model.load_gpt2: a Hugging Face GPT-2 folder, written here at random, loads exactly."""

import json

import jax.numpy as jnp
import numpy as np
import pytest
from safetensors.numpy import save_file

from llmlab.model import load_gpt2

HF_CONFIG = {"model_type": "gpt2", "vocab_size": 23, "n_positions": 12, "n_ctx": 12,
             "n_embd": 16, "n_layer": 2, "n_head": 4, "layer_norm_epsilon": 1e-5}  # fmt: skip


def random_gpt2_weights(config, seed=0):
    """Random weights with Hugging Face's GPT-2 names and Conv1D (in, out) shapes."""
    rng = np.random.default_rng(seed)
    V, P, C = config["vocab_size"], config["n_positions"], config["n_embd"]
    normal = lambda *shape: rng.normal(0.0, 0.2, shape).astype(np.float32)  # noqa: E731
    w = {"wte.weight": normal(V, C), "wpe.weight": normal(P, C)}
    for i in range(config["n_layer"]):
        p = f"h.{i}."
        for ln in ("ln_1", "ln_2"):
            w[p + ln + ".weight"] = 1.0 + normal(C)
            w[p + ln + ".bias"] = normal(C)
        for name, n_in, n_out in [("attn.c_attn", C, 3 * C), ("attn.c_proj", C, C),
                                  ("mlp.c_fc", C, 4 * C), ("mlp.c_proj", 4 * C, C)]:  # fmt: skip
            w[p + name + ".weight"] = normal(n_in, n_out)
            w[p + name + ".bias"] = normal(n_out)
    w["ln_f.weight"], w["ln_f.bias"] = 1.0 + normal(C), normal(C)
    return w


def write_checkpoint(folder, weights, config=HF_CONFIG, prefix=""):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config))
    save_file({prefix + k: v for k, v in weights.items()}, str(folder / "model.safetensors"))
    return folder


def numpy_gpt2(w, config, ids):
    """GPT-2's forward pass in plain numpy, one sequence (T,) -> logits (T, V)."""
    C, H = config["n_embd"], config["n_head"]
    D, T = C // H, len(ids)

    def layer_norm(x, g, b):
        mu, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + 1e-5) * g + b

    def gelu(x):  # the tanh approximation GPT-2 uses
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))

    x = w["wte.weight"][ids] + w["wpe.weight"][:T]
    for i in range(config["n_layer"]):
        p = f"h.{i}."
        h = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"])
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        heads = []
        for j in range(H):
            q, k, v = (qkv[:, s * C + j * D : s * C + (j + 1) * D] for s in range(3))
            scores = q @ k.T / np.sqrt(D)
            scores[np.triu(np.ones((T, T), dtype=bool), k=1)] = -np.inf
            e = np.exp(scores - scores.max(-1, keepdims=True))
            heads.append((e / e.sum(-1, keepdims=True)) @ v)
        x = x + np.concatenate(heads, -1) @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"])
        h = gelu(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        x = x + h @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    x = layer_norm(x, w["ln_f.weight"], w["ln_f.bias"])
    return x @ w["wte.weight"].T


@pytest.mark.parametrize("prefix", ["", "transformer."])
def test_loaded_model_equals_a_plain_numpy_gpt2(tmp_path, prefix):
    weights = random_gpt2_weights(HF_CONFIG)
    buffers = {f"h.{i}.attn.bias": np.tril(np.ones((1, 1, 12, 12), np.float32)) for i in range(2)}
    folder = write_checkpoint(tmp_path / "gpt2", {**weights, **buffers}, prefix=prefix)
    model, config = load_gpt2(folder)
    assert (config.vocab_size, config.block_size, config.n_layer) == (23, 12, 2)
    assert (config.n_head, config.n_embd, config.bias, config.dropout) == (4, 16, True, 0.0)
    ids = np.array([3, 14, 15, 9, 2, 6, 5, 22, 0, 7])
    ours = np.asarray(model(jnp.asarray(ids[None], jnp.int32)))[0]
    np.testing.assert_allclose(ours, numpy_gpt2(weights, HF_CONFIG, ids), atol=1e-4, rtol=1e-4)


def test_a_missing_file_names_the_file(tmp_path):
    folder = write_checkpoint(tmp_path / "gpt2", random_gpt2_weights(HF_CONFIG))
    (folder / "model.safetensors").unlink()
    with pytest.raises(FileNotFoundError, match=r"model\.safetensors"):
        load_gpt2(folder)
    with pytest.raises(FileNotFoundError, match=r"config\.json"):
        load_gpt2(tmp_path / "nowhere")


def test_a_wrong_shape_names_the_key_and_both_shapes(tmp_path):
    weights = random_gpt2_weights(HF_CONFIG)
    weights["h.1.mlp.c_fc.weight"] = weights["h.1.mlp.c_fc.weight"].T.copy()  # (4C, C)
    folder = write_checkpoint(tmp_path / "gpt2", weights)
    with pytest.raises(ValueError, match=r"h\.1\.mlp\.c_fc\.weight.*\(64, 16\).*\(16, 64\)"):
        load_gpt2(folder)


def test_a_missing_layer_is_reported(tmp_path):
    weights = random_gpt2_weights(HF_CONFIG)
    del weights["h.1.ln_2.bias"]
    with pytest.raises(ValueError, match=r"missing keys \['h\.1\.ln_2\.bias'\]"):
        load_gpt2(write_checkpoint(tmp_path / "gpt2", weights))


def test_a_config_without_gpt2_fields_is_refused(tmp_path):
    config = {k: v for k, v in HF_CONFIG.items() if k != "n_head"}
    folder = write_checkpoint(tmp_path / "gpt2", random_gpt2_weights(HF_CONFIG), config=config)
    with pytest.raises(ValueError, match="n_head"):
        load_gpt2(folder)
