"""llmlab.pretrained.hub: GPT-2 from the Hugging Face Hub, never downloaded unless allowed.

No test touches the network: `huggingface_hub` is replaced by a fake module whose
`snapshot_download` returns a tiny GPT-2-format folder written in tmp_path (random weights in
Hugging Face's layout + the fixture tokenizer tests/fixtures/gpt2_tiny), or raises.
"""

import json
import shutil
import socket
import sys
import types
from pathlib import Path

import jax
import pytest
from test_gpt2 import HF_CONFIG, random_gpt2_weights, write_checkpoint

from llmlab import i18n
from llmlab.generate import generate
from llmlab.pretrained import hub
from llmlab.pretrained.hub import HubUnavailable, load_gpt2_from_hub

FIXTURE = Path(__file__).parent / "fixtures" / "gpt2_tiny"
TINY = {**HF_CONFIG, "vocab_size": 657, "n_positions": 32, "n_ctx": 32}  # the fixture's 657 ids


@pytest.fixture(autouse=True)
def _no_network_no_colab_english(monkeypatch):
    """Any socket connection fails the test; start outside Colab, without permission."""

    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    for name in ("LLMLAB_ALLOW_DOWNLOAD", "HF_HUB_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    yield
    i18n.set_language("en")


def tiny_gpt2_folder(folder: Path, config=TINY) -> Path:
    """A Hugging Face GPT-2 folder: config.json, model.safetensors, vocab.json, merges.txt."""
    write_checkpoint(folder, random_gpt2_weights(config), config=config, prefix="transformer.")
    for name in ("vocab.json", "merges.txt"):
        shutil.copy(FIXTURE / name, folder / name)
    return folder


def fake_hub(monkeypatch, answer):
    """Install a fake `huggingface_hub`; `answer(**call)` returns a folder or raises."""
    calls = []

    def snapshot_download(repo_id, **kwargs):
        calls.append({"repo_id": repo_id, **kwargs})
        return str(answer(repo_id=repo_id, **kwargs))

    module = types.ModuleType("huggingface_hub")
    module.snapshot_download = snapshot_download
    monkeypatch.setitem(sys.modules, "huggingface_hub", module)
    return calls


def on_colab(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))


def one_sentence(text: str) -> bool:
    return "\n" not in text and text.endswith((".", "。")) and text.count(": ") <= 1


@pytest.mark.parametrize("permission", [None, "0", "yes"])
def test_outside_colab_without_permission_nothing_is_downloaded_and_one_sentence_says_why(
    monkeypatch, permission
):
    if permission is not None:
        monkeypatch.setenv("LLMLAB_ALLOW_DOWNLOAD", permission)
    calls = fake_hub(monkeypatch, lambda **_: pytest.fail("the hub must not be called"))
    with pytest.raises(HubUnavailable) as caught:
        load_gpt2_from_hub()
    message = str(caught.value)
    assert calls == [], "no download may even be attempted without permission"
    assert message.startswith("GPT-2 needs the internet (about 550 MB)"), message
    assert "Colab" in message and "LLMLAB_ALLOW_DOWNLOAD=1" in message, message
    assert one_sentence(message), f"the reason should be one sentence, got {message!r}"


def test_the_refusal_speaks_the_learners_language(monkeypatch):
    i18n.set_language("zh")
    with pytest.raises(HubUnavailable, match=r"只在 Colab 上下载.*LLMLAB_ALLOW_DOWNLOAD=1"):
        load_gpt2_from_hub()


@pytest.mark.parametrize("where", ["colab", "permission"])
def test_where_allowed_the_hub_folder_becomes_a_working_model_and_tokenizer(
    monkeypatch, tmp_path, where
):
    if where == "colab":
        on_colab(monkeypatch)
    else:
        monkeypatch.setenv("LLMLAB_ALLOW_DOWNLOAD", "1")
    folder = tiny_gpt2_folder(tmp_path / "snapshot")
    calls = fake_hub(monkeypatch, lambda **_: folder)

    model, tokenizer = load_gpt2_from_hub()

    four_files = ["config.json", "model.safetensors", "vocab.json", "merges.txt"]
    one_call = {"repo_id": "openai-community/gpt2", "allow_patterns": four_files}
    assert calls == [{**one_call, "local_files_only": False}], f"one snapshot, 4 files: {calls}"
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    for sample in expected[:3]:
        assert tokenizer.encode(sample["text"]) == sample["ids"], "GPT-2's ids, from vocab.json"
    assert (model.config.vocab_size, model.config.n_layer, model.config.block_size) == (657, 2, 32)
    prompt = tokenizer.encode("ROMEO:\n")
    greedy = generate(model, prompt, 12, key=jax.random.key(0), temperature=0.0)
    again = generate(model, prompt, 12, key=jax.random.key(1), temperature=0.0)
    assert len(greedy) == 12 and all(0 <= t < 657 for t in greedy), greedy
    assert greedy == again, "greedy continuation of the loaded model must not depend on the key"
    assert isinstance(tokenizer.decode(greedy), str)


def test_without_huggingface_hub_the_sentence_says_how_to_install_it(monkeypatch):
    on_colab(monkeypatch)
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # makes `import` fail
    with pytest.raises(HubUnavailable) as caught:
        load_gpt2_from_hub()
    message = str(caught.value)
    assert "huggingface_hub" in message and "pip install huggingface_hub" in message, message
    assert one_sentence(message), message


class ConnectError(Exception):
    """Like httpx.ConnectError: a network failure that is not an OSError."""


@pytest.mark.parametrize("error", [ConnectError("[Errno -3] name resolution"), TimeoutError()])
def test_a_network_failure_becomes_one_sentence_keeping_the_cause(monkeypatch, error):
    monkeypatch.setenv("LLMLAB_ALLOW_DOWNLOAD", "1")

    def fail(**_):
        raise error

    fake_hub(monkeypatch, fail)
    with pytest.raises(HubUnavailable) as caught:
        load_gpt2_from_hub()
    message = str(caught.value)
    assert message == (
        f"GPT-2 could not be downloaded from the Hugging Face Hub ({type(error).__name__}): "
        "check the internet connection and run this cell again."
    ), message
    assert caught.value.__cause__ is error, "the original error stays attached for debugging"


def test_with_hf_hub_offline_only_the_cache_is_read(monkeypatch, tmp_path):
    on_colab(monkeypatch)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    folder = tiny_gpt2_folder(tmp_path / "cached")
    calls = fake_hub(monkeypatch, lambda **_: folder)
    model, tokenizer = load_gpt2_from_hub()
    assert calls[0]["local_files_only"] is True, "HF_HUB_OFFLINE must mean: cache only"
    assert model.config.vocab_size == tokenizer.vocab_size == 657


def test_with_hf_hub_offline_and_an_empty_cache_the_sentence_names_the_variable(monkeypatch):
    monkeypatch.setenv("LLMLAB_ALLOW_DOWNLOAD", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "true")

    def not_cached(**_):
        raise FileNotFoundError("LocalEntryNotFoundError: cannot find the requested files")

    fake_hub(monkeypatch, not_cached)
    with pytest.raises(HubUnavailable, match=r"^HF_HUB_OFFLINE is set and openai-community/gpt2 "):
        load_gpt2_from_hub()


def test_a_tokenizer_with_more_ids_than_the_model_is_refused_with_both_sizes(monkeypatch, tmp_path):
    monkeypatch.setenv("LLMLAB_ALLOW_DOWNLOAD", "1")
    folder = tiny_gpt2_folder(tmp_path / "snapshot", config={**TINY, "vocab_size": 600})
    fake_hub(monkeypatch, lambda **_: folder)
    with pytest.raises(ValueError, match=r"ids up to 656.*embeddings for 600 ids"):
        load_gpt2_from_hub()


def test_download_allowed_reads_colab_and_the_variable_at_call_time(monkeypatch):
    assert not hub.download_allowed()
    monkeypatch.setenv("LLMLAB_ALLOW_DOWNLOAD", " 1 ")
    assert hub.download_allowed()
    monkeypatch.delenv("LLMLAB_ALLOW_DOWNLOAD")
    on_colab(monkeypatch)
    assert hub.download_allowed()
