"""Tests for llmlab.checkpoint: round trip, resume, and an error that names each kind of damage."""

import dataclasses
import json

import jax
import numpy as np
import optax
import pytest
from flax import nnx
from safetensors.numpy import load_file, save_file

from llmlab.checkpoint import load_checkpoint, save_checkpoint
from llmlab.model import GPT, GPTConfig
from llmlab.tokenizer import CharTokenizer
from llmlab.train import TrainConfig, fit

TOKENIZER = CharTokenizer("abcdefgh")
CORPUS = np.array([0, 1, 2, 3, 4, 5, 6, 7] * 40, dtype=np.int32)
CFG = TrainConfig(batch_size=4, block_size=8, lr=1e-2, min_lr=1e-3, warmup_steps=2,
                  max_steps=20, eval_interval=10, eval_iters=2, log_interval=5)  # fmt: skip
CONFIG = GPTConfig(vocab_size=8, block_size=8, n_layer=1, n_head=2, n_embd=16)


def weights(model) -> list[np.ndarray]:
    return [np.asarray(x) for x in jax.tree.leaves(nnx.state(model, nnx.Param))]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model stopped at step 10 of 20, saved with its optimiser state."""
    model = GPT(CONFIG, rngs=nnx.Rngs(0))
    history = fit(model, CORPUS, CORPUS, CFG, callback=lambda r: r["step"] < 10)
    path = tmp_path_factory.mktemp("ckpt") / "run.safetensors"
    save_checkpoint(path, model, tokenizer=TOKENIZER, opt_state=history.opt_state,
                    step=history.step, train_config=CFG)  # fmt: skip
    return model, history, path


def test_round_trip_restores_weights_config_tokenizer_step_and_optimiser(trained):
    model, history, path = trained
    ckpt = load_checkpoint(path)
    assert ckpt.config == CONFIG and ckpt.step == 10 and ckpt.train_config == CFG
    assert ckpt.tokenizer.chars == TOKENIZER.chars
    for a, b in zip(weights(ckpt.model), weights(model), strict=True):
        np.testing.assert_array_equal(a, b, "float32 weights must come back bit for bit")
    for a, b in zip(
        jax.tree.leaves(ckpt.opt_state), jax.tree.leaves(history.opt_state), strict=True
    ):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_loading_and_continuing_gives_the_losses_of_an_uninterrupted_run(trained):
    _, first, path = trained
    full = fit(GPT(CONFIG, rngs=nnx.Rngs(0)), CORPUS, CORPUS, CFG)
    ckpt = load_checkpoint(path)
    rest = fit(ckpt.model, CORPUS, CORPUS, ckpt.train_config, opt_state=ckpt.opt_state,
               start_step=ckpt.step)  # fmt: skip
    np.testing.assert_allclose(first["train_loss"] + rest["train_loss"], full["train_loss"],
                               rtol=1e-6)  # fmt: skip


def test_float16_storage_halves_the_file_and_loads_close_to_the_original(trained, tmp_path):
    model, _, path = trained
    small = save_checkpoint(tmp_path / "half.safetensors", model, tokenizer=TOKENIZER,
                            dtype=np.float16)  # fmt: skip
    assert small.stat().st_size < 0.6 * path.stat().st_size / 2, "no optimiser state, half size"
    ckpt = load_checkpoint(small)
    assert ckpt.opt_state is None and ckpt.train_config is None
    for a, b in zip(weights(ckpt.model), weights(model), strict=True):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)


def test_saving_replaces_the_file_atomically_and_leaves_no_temporary_file(trained, tmp_path):
    model, _, _ = trained
    target = tmp_path / "m.safetensors"
    target.write_bytes(b"old")
    save_checkpoint(target, model, tokenizer=TOKENIZER)
    assert load_checkpoint(target).step == 0
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]
    assert target.stat().st_mode & 0o044 == 0o044, "others may read a checkpoint (not 0600)"


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint at"):
        load_checkpoint(tmp_path / "nothing.safetensors")


def test_a_truncated_file_says_truncated(trained, tmp_path):
    data = trained[2].read_bytes()
    for cut in (4, len(data) // 2, len(data) - 1):
        path = tmp_path / f"cut{cut}.safetensors"
        path.write_bytes(data[:cut])
        with pytest.raises(ValueError, match="truncated"):
            load_checkpoint(path)


def rewrite(src, dst, *, metadata=None, drop=None, tensors=None, drop_metadata=None):
    """Copy a checkpoint, changing its metadata or tensors, to fake a mismatched file."""
    from safetensors import safe_open

    with safe_open(src, framework="np") as f:
        meta = dict(f.metadata()) | (metadata or {})
    meta.pop(drop_metadata, None)
    arrays = {k: v for k, v in load_file(src).items() if k != drop} | (tensors or {})
    save_file(arrays, dst, metadata=meta)
    return dst


def test_a_config_that_does_not_fit_the_tensors_names_the_tensor(trained, tmp_path):
    wide = json.dumps(dataclasses.replace(CONFIG, n_embd=32).to_dict())
    path = rewrite(trained[2], tmp_path / "c.safetensors", metadata={"config": wide})
    with pytest.raises(ValueError, match=r"weights.*shape \(96,\), the file holds \(48,\)"):
        load_checkpoint(path)
    path = rewrite(trained[2], tmp_path / "d.safetensors", drop="params/ln_f.scale")
    with pytest.raises(ValueError, match=r"weights.*missing \['params/ln_f.scale'\]"):
        load_checkpoint(path)


def test_optimiser_state_from_another_optimiser_is_named(trained, tmp_path):
    model = trained[0]
    sgd_state = optax.sgd(0.1, momentum=0.9).init(nnx.state(model, nnx.Param))
    path = save_checkpoint(tmp_path / "o.safetensors", model, tokenizer=TOKENIZER,
                           opt_state=sgd_state, train_config=CFG)  # fmt: skip
    with pytest.raises(ValueError, match=r"optimiser state \(from another optimizer\?\)"):
        load_checkpoint(path)


def test_a_safetensors_file_that_is_not_a_checkpoint_is_refused(tmp_path):
    path = tmp_path / "plain.safetensors"
    save_file({"x": np.zeros(2, np.float32)}, path)
    with pytest.raises(ValueError, match="not an llmlab checkpoint"):
        load_checkpoint(path)


def test_a_flipped_byte_in_the_weights_is_named_as_corruption(trained, tmp_path):
    data = bytearray(trained[2].read_bytes())
    data[-5] ^= 0x01  # one bit of the last tensor's data
    path = tmp_path / "flipped.safetensors"
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="is corrupted: its tensors do not match the checksum"):
        load_checkpoint(path)


def test_a_tokenizer_whose_vocabulary_differs_from_the_model_is_refused_on_save_and_load(
    trained, tmp_path
):
    with pytest.raises(ValueError, match="vocabulary has 8 tokens but the tokenizer has 3"):
        save_checkpoint(tmp_path / "v.safetensors", trained[0], tokenizer=CharTokenizer("abc"))
    three = json.dumps(CharTokenizer("abc").to_dict())
    path = rewrite(trained[2], tmp_path / "t.safetensors", metadata={"tokenizer": three})
    with pytest.raises(ValueError, match="vocabulary has 8 tokens but the tokenizer has 3"):
        load_checkpoint(path)


@pytest.mark.parametrize("field", ["config", "tokenizer", "step", "checksum", "format"])
def test_each_missing_metadata_field_is_named(trained, tmp_path, field):
    path = rewrite(trained[2], tmp_path / "m.safetensors", drop_metadata=field)
    expected = "not an llmlab checkpoint" if field == "format" else f"has no '{field}'"
    with pytest.raises(ValueError, match=expected):
        load_checkpoint(path)


@pytest.mark.parametrize(
    "field, value",
    [("config", "{"), ("config", '{"vocab_size": 8}'), ("tokenizer", '{"type": "morse"}'),
     ("step", "ten"), ("train_config", '{"lr": "fast"}')],
)  # fmt: skip
def test_each_malformed_metadata_field_is_named(trained, tmp_path, field, value):
    path = rewrite(trained[2], tmp_path / "m.safetensors", metadata={field: value})
    with pytest.raises(ValueError, match=f"'{field}' metadata is malformed"):
        load_checkpoint(path)


def test_a_folder_is_not_called_a_truncated_file(tmp_path):
    with pytest.raises(IsADirectoryError, match="is a folder, not a checkpoint"):
        load_checkpoint(tmp_path)


def test_a_file_that_cannot_be_read_says_permission_denied(trained, monkeypatch):
    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(trained[2]), "read_bytes", refuse)  # root can read any file
    with pytest.raises(PermissionError, match=r"cannot read .* permission denied"):
        load_checkpoint(trained[2])
