"""Checkpoints: a trained model in one safetensors file, safe to share and to resume from.

A checkpoint holds the weights (tensors "params/<path>"), optionally the optimiser state
(tensors "opt/<path>") and, in the file's text metadata as JSON, the model config, the
tokenizer, the step and the TrainConfig. safetensors stores only named arrays and strings,
so loading a file can never run code (unlike pickle). Saving writes a temporary file in the
same folder and renames it over the target, so a crash mid-save never leaves half a file.
A SHA-256 checksum of the tensors rides in the metadata; loading recomputes it, so a file
damaged on disk or in transfer is named as corrupted instead of loading wrong numbers.

Example:
    save_checkpoint("run.safetensors", model, tokenizer=tok, opt_state=h.opt_state, step=h.step,
                    train_config=cfg)
    ckpt = load_checkpoint("run.safetensors")
    fit(ckpt.model, train, val, cfg, opt_state=ckpt.opt_state, start_step=ckpt.step)
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx
from safetensors import SafetensorError
from safetensors.numpy import load, save_file

from llmlab.i18n import say
from llmlab.model import GPT, GPTConfig
from llmlab.optimizer import TrainConfig, make_optimizer
from llmlab.tokenizer import tokenizer_from_dict, tokenizer_to_dict

FORMAT = "llmlab-checkpoint-1"


class Checkpoint(NamedTuple):
    """What `load_checkpoint` gives back; opt_state and train_config are None if not saved."""

    model: GPT
    config: GPTConfig
    tokenizer: Any
    opt_state: Any
    step: int
    train_config: TrainConfig | None


def _name(path) -> str:
    """jax key path -> "blocks.0.attn.c_attn.kernel" (dropping the Variable's .value)."""
    parts = []
    for k in path:
        part = getattr(k, "key", getattr(k, "idx", getattr(k, "name", None)))
        if part not in ("value", "raw_value"):  # the array inside an nnx.Variable
            parts.append(str(part))
    return ".".join(parts)


def _flatten(tree: Any, prefix: str) -> dict[str, np.ndarray]:
    leaves = jax.tree_util.tree_flatten_with_path(tree)[0]
    return {f"{prefix}/{_name(path)}": np.asarray(leaf) for path, leaf in leaves}


def checksum(tensors: dict[str, np.ndarray]) -> str:
    """SHA-256 over every tensor's name, dtype, shape and bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name])
        digest.update(f"{name}|{array.dtype.str}|{array.shape}|".encode())
        digest.update(array.tobytes())
    return "sha256:" + digest.hexdigest()


def _unflatten(template: Any, tensors: dict[str, np.ndarray], prefix: str, what: str) -> Any:
    """Fill `template`'s leaves with `tensors`; raise ValueError naming the first mismatch."""
    paths, treedef = jax.tree_util.tree_flatten_with_path(template)
    wanted = {f"{prefix}/{_name(p)}": leaf for p, leaf in paths}
    found = {k for k in tensors if k.startswith(prefix + "/")}
    if found != set(wanted):
        missing, extra = sorted(set(wanted) - found), sorted(found - set(wanted))
        raise ValueError(
            say("errors.checkpoint_mismatch", what=what, missing=missing[:3], extra=extra[:3],
                n_missing=len(missing), n_extra=len(extra))
        )  # fmt: skip
    leaves = []
    for name, leaf in wanted.items():
        got = tensors[name]
        if got.shape != tuple(leaf.shape):
            raise ValueError(
                say("errors.checkpoint_shape", what=what, name=name,
                    expected=tuple(leaf.shape), got=got.shape)
            )  # fmt: skip
        leaves.append(jnp.asarray(got, dtype=leaf.dtype))
    return jax.tree_util.tree_unflatten(treedef, leaves)


def save_checkpoint(
    path: str | os.PathLike,
    model: GPT,
    *,
    tokenizer: Any,
    opt_state: Any = None,
    step: int = 0,
    train_config: TrainConfig | None = None,
    dtype: Any = np.float32,
) -> Path:
    """Write model (+ optimiser state) to one safetensors file, atomically.

    Args:
        path: the file to write (conventionally *.safetensors); its folder must exist.
        model: a GPT; tokenizer: the tokenizer its ids come from.
        opt_state, train_config: give both to make the checkpoint resumable.
        step: the number of optimiser steps taken so far.
        dtype: the weights' storage type; np.float16 halves the file (loads as float32).

    Returns:
        the path written.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be a llmlab GPT, got {type(model).__name__}")
    if opt_state is not None and train_config is None:
        raise ValueError("opt_state needs the train_config that made its optimizer, got None")
    tokenizer_data = json.dumps(tokenizer_to_dict(tokenizer), ensure_ascii=False)
    _check_vocab(model.config, tokenizer, say("errors.checkpoint_the_model"))
    params = {
        k: v.astype(dtype) for k, v in _flatten(nnx.state(model, nnx.Param), "params").items()
    }
    tensors = params | (_flatten(opt_state, "opt") if opt_state is not None else {})
    metadata = {
        "format": FORMAT,
        "config": json.dumps(model.config.to_dict()),
        "tokenizer": tokenizer_data,
        "step": str(int(step)),
        "checksum": checksum(tensors),
    }
    if train_config is not None:
        metadata["train_config"] = json.dumps(train_config.to_dict())
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        save_file(tensors, tmp, metadata=metadata)
        os.chmod(tmp, 0o644)  # mkstemp makes it private (0600); a checkpoint is for sharing
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


def load_checkpoint(path: str | os.PathLike) -> Checkpoint:
    """Read a `save_checkpoint` file back into a ready-to-use GPT (float32 weights).

    Raises:
        FileNotFoundError: no file at `path`; IsADirectoryError: `path` is a folder;
        PermissionError (or another OSError): the file cannot be read.
        ValueError: the file is truncated, corrupted (checksum) or not a checkpoint, a
            metadata field is missing or malformed, or its config, tokenizer, weights and
            optimiser state do not fit together (the message says which).
    """
    path = Path(path)
    tensors, metadata = _read(path)
    if metadata.get("format") != FORMAT:
        raise ValueError(
            say("errors.checkpoint_not_llmlab", path=path, format=repr(metadata.get("format")))
        )
    config = _field(path, metadata, "config", lambda s: GPTConfig.from_dict(json.loads(s)))
    source = f"{path}'s tokenizer"
    tokenizer = _field(path, metadata, "tokenizer",
                       lambda s: tokenizer_from_dict(json.loads(s), source))  # fmt: skip
    step = _field(path, metadata, "step", _step)
    train_config = None
    if "train_config" in metadata:
        train_config = _field(path, metadata, "train_config",
                              lambda s: TrainConfig.from_dict(json.loads(s)))  # fmt: skip
    _check_vocab(config, tokenizer, str(path))
    model = GPT(config, rngs=nnx.Rngs(0))
    params = _unflatten(
        nnx.state(model, nnx.Param),
        tensors,
        "params",
        say("errors.checkpoint_weights", config=config),
    )
    opt_state = None
    if any(k.startswith("opt/") for k in tensors):
        if train_config is None:
            raise ValueError(f"{path} holds an optimiser state but no train_config to rebuild it")
        template = jax.eval_shape(make_optimizer(train_config).init, params)
        opt_state = _unflatten(template, tensors, "opt", say("errors.checkpoint_opt_state"))
    saved = _field(path, metadata, "checksum", str)
    if saved != checksum(tensors):
        raise ValueError(say("errors.checkpoint_corrupted", path=path))
    nnx.update(model, params)
    return Checkpoint(model, config, tokenizer, opt_state, step, train_config)


def _read(path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The file's tensors and metadata; each way of failing gets its own sentence."""
    if path.is_dir():
        raise IsADirectoryError(say("errors.checkpoint_folder", path=path))
    if not path.exists():
        raise FileNotFoundError(say("errors.checkpoint_missing_file", path=path))
    try:
        data = path.read_bytes()
    except PermissionError as e:
        raise PermissionError(f"cannot read {path}: permission denied ({e.strerror})") from e
    except OSError as e:
        raise OSError(e.errno, f"cannot read {path}: {e.strerror or e}") from e
    try:
        tensors = load(data)
        size = int.from_bytes(data[:8], "little")
        header = json.loads(data[8 : 8 + size])
    except (SafetensorError, ValueError) as e:
        raise ValueError(say("errors.checkpoint_truncated", path=path, reason=e)) from e
    return tensors, header.get("__metadata__") or {}


def _field(path: Path, metadata: dict[str, str], name: str, parse) -> Any:
    """metadata[name] parsed; a missing or malformed field is named in a sentence."""
    if name not in metadata:
        raise ValueError(say("errors.checkpoint_missing_field", path=path, name=repr(name)))
    try:
        return parse(metadata[name])
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        raise ValueError(
            say("errors.checkpoint_malformed", path=path, name=repr(name), reason=e)
        ) from None


def _step(text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"step must be a whole number >= 0, got {text!r}")
    return int(text)


def _check_vocab(config: GPTConfig, tokenizer: Any, where: str) -> None:
    if tokenizer.vocab_size != config.vocab_size:
        raise ValueError(
            say("errors.checkpoint_vocab", where=where, model_size=config.vocab_size,
                tokenizer_size=tokenizer.vocab_size)
        )  # fmt: skip
