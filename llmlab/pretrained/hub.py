"""GPT-2 124M from the Hugging Face Hub, fetched only where a download is allowed.

    from llmlab.pretrained.hub import HubUnavailable, load_gpt2_from_hub
    try:
        model, tokenizer = load_gpt2_from_hub()   # GPT, GPT2Tokenizer
    except HubUnavailable as why:
        print(why)                                # one sentence: why, and what to do

About 550 MB come down (model.safetensors, config.json, vocab.json, merges.txt), so a download
happens only on Colab or when the environment variable LLMLAB_ALLOW_DOWNLOAD=1 is set; a
notebook run in CI or on a laptop never starts one by surprise. With HF_HUB_OFFLINE set, only
the Hugging Face cache is read. `huggingface_hub` is not a dependency of llmlab (Colab has it):
it is imported only when a download is allowed. Every way of failing to get the files raises
`HubUnavailable`, whose message is one sentence in the learner's language.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from llmlab.i18n import say
from llmlab.model import GPT, load_gpt2
from llmlab.tokenizer.gpt2 import GPT2Tokenizer, load_gpt2_tokenizer

REPO = "openai-community/gpt2"  # GPT-2 small, 124M parameters, OpenAI's 2019 release
FILES = ("config.json", "model.safetensors", "vocab.json", "merges.txt")
SIZE_MB = 550  # what FILES weigh together (model.safetensors is 548 MB)
ALLOW_VARIABLE = "LLMLAB_ALLOW_DOWNLOAD"


class HubUnavailable(RuntimeError):
    """GPT-2's files could not be had: downloads not allowed here, no huggingface_hub,
    offline with an empty cache, or the download failed. The message says what to do."""


def download_allowed() -> bool:
    """True on Colab or when the environment variable LLMLAB_ALLOW_DOWNLOAD is "1"."""
    return "google.colab" in sys.modules or os.environ.get(ALLOW_VARIABLE, "").strip() == "1"


def _hub_offline() -> bool:
    """HF_HUB_OFFLINE as huggingface_hub reads it ("1", "true", "yes", "on")."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().upper() in {"1", "ON", "YES", "TRUE"}


def fetch_gpt2(repo: str = REPO) -> Path:
    """The local folder holding GPT-2's FILES, downloaded into the Hugging Face cache if needed.

    One `snapshot_download` call fetches all four files from one revision into one folder
    (four separate downloads could straddle a new commit of the repository).

    Raises:
        HubUnavailable: not allowed here, huggingface_hub missing, offline and not cached,
            or the download failed (the original error is chained as __cause__).
    """
    if not download_allowed():
        raise HubUnavailable(say("hub.not_allowed", size=SIZE_MB))
    try:
        import huggingface_hub
    except ImportError:
        raise HubUnavailable(say("hub.missing")) from None
    offline = _hub_offline()
    try:
        folder = huggingface_hub.snapshot_download(
            repo, allow_patterns=list(FILES), local_files_only=offline
        )
    except Exception as error:  # requests, httpx and the hub's own errors share no base class
        if offline:
            raise HubUnavailable(say("hub.offline", repo=repo, size=SIZE_MB)) from error
        raise HubUnavailable(say("hub.failed", error=type(error).__name__)) from error
    return Path(folder)


def load_gpt2_from_hub(repo: str = REPO) -> tuple[GPT, GPT2Tokenizer]:
    """GPT-2 (weights from the Hub, in llmlab's `GPT`) and its tokenizer, with GPT-2's ids.

    Args:
        repo: a Hub repository in GPT-2's layout (FILES at its top level).

    Returns:
        (model, tokenizer): model(ids) maps (B, T) ids to (B, T, V) logits, V = 50257 for
        GPT-2; tokenizer.encode("Hello world") -> [15496, 995].

    Raises:
        HubUnavailable: see `fetch_gpt2`.
        ValueError: the tokenizer has ids the model has no embedding for.
    """
    folder = fetch_gpt2(repo)
    model, config = load_gpt2(folder)
    tokenizer = load_gpt2_tokenizer(folder)
    if tokenizer.vocab_size > config.vocab_size:
        raise ValueError(
            f"{repo}: the tokenizer uses ids up to {tokenizer.vocab_size - 1}, but the model "
            f"has embeddings for {config.vocab_size} ids (0 .. {config.vocab_size - 1})"
        )
    return model, tokenizer
