"""Side-by-side chat (lesson 10): one request, answered by several models at once.

Type a request; every model (a base model, its fine-tuned assistant, a LoRA version...)
answers it in its own column through `llmlab.chat.reply`. Changing the request, the
temperature, top-k or the seed answers again, with the same key for every model, so the
columns differ only by the models' weights.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import jax

from llmlab.chat import encode_prompt, reply
from llmlab.i18n import say
from llmlab.widgets.panel import BadInput, Panel, check_seed


class SideBySide(Panel):
    """Request box, temperature / top-k / seed controls, and one answer column per model.

    Attributes: request (Text), temperature (FloatSlider), top_k (IntSlider; top-k = V
    filters nothing), seed (IntText), output (HTML), answers ({name: Reply} of the last
    request), runs (how many times the models have answered).
    """

    def __init__(self, models: dict[str, Any], tokenizer: Any, request: str,
                 temperature: float, top_k: int, seed: int):  # fmt: skip
        super().__init__()
        self.models, self.tokenizer = models, tokenizer
        V = tokenizer.vocab_size
        self.request = widgets.Text(value=request, description=say("side_by_side.request"),
                                    continuous_update=False)  # fmt: skip
        self.temperature = widgets.FloatSlider(
            value=temperature, min=0.0, max=2.0, step=0.05, description=say("widgets.temperature"),
            continuous_update=False,
        )  # fmt: skip
        self.top_k = widgets.IntSlider(value=min(max(top_k, 1), V), min=1, max=V,
                                       description="top-k", continuous_update=False)  # fmt: skip
        self.seed = widgets.IntText(value=seed, description=say("widgets.seed"))
        self.output = widgets.HTML()
        self.answers: dict[str, Any] = {}
        self.runs = 0
        for control in (self.request, self.temperature, self.top_k, self.seed):
            control.observe(self.guard(lambda _: self.answer()), names="value")
        self.arrange(
            self.request,
            widgets.HBox([self.temperature, self.top_k, self.seed]),
            self.output,
        )

    def _conversation(self) -> list[dict[str, str]]:
        """The request as a one-message chat, or BadInput saying why it cannot be answered."""
        text = self.request.value.strip()
        if not text:
            raise BadInput(say("widgets.prompt_empty"))
        conversation = [{"role": "user", "content": text}]
        try:
            ids = encode_prompt(conversation, self.tokenizer)
        except ValueError as exc:  # a character the vocabulary lacks, a forged role token
            raise BadInput(say("side_by_side.cannot_encode", reason=exc)) from None
        block_size = min(m.config.block_size for m in self.models.values())
        if len(ids) >= block_size:
            raise BadInput(say("side_by_side.too_long", n=len(ids), block_size=block_size))
        return conversation

    def answer(self) -> dict[str, Any]:
        """Every model answers the request with the current settings; returns {name: Reply}.

        The same key for every model; same settings and seed, same answers.
        """
        conversation = self._conversation()
        seed = check_seed(self.seed.value)
        self.answers = {
            name: reply(model, self.tokenizer, conversation, key=jax.random.key(seed),
                        temperature=self.temperature.value, top_k=self.top_k.value)
            for name, model in self.models.items()
        }  # fmt: skip
        self.runs += 1
        self._show()
        return self.answers

    def _show(self) -> None:
        width = 100 // len(self.answers)
        cells = []
        for name, answer in self.answers.items():
            text = html.escape(answer.text) or f"<i>{html.escape(say('side_by_side.empty'))}</i>"
            note = "" if answer.finished else (
                f"<br><small style='color:#b35900'>{html.escape(say('side_by_side.no_end'))}"
                "</small>"
            )  # fmt: skip
            cells.append(
                f"<td style='vertical-align:top;width:{width}%;padding:4px'>"
                f"<b>{html.escape(name)}</b><pre style='white-space:pre-wrap;font-size:13px'>"
                f"{text}</pre>{note}</td>"
            )
        settings = say("side_by_side.settings", temperature=self.temperature.value,
                       top_k=self.top_k.value, seed=self.seed.value)  # fmt: skip
        self.output.value = (
            f"<div><b>{html.escape(self.request.value.strip())}</b>"
            f"<br><small style='color:#555'>{html.escape(settings)}</small></div>"
            f"<table><tr>{''.join(cells)}</tr></table>"
        )

    def fallback_html(self) -> str:
        return self.output.value or html.escape(self.request.value)


def side_by_side(
    models: Mapping[str, Any],
    tokenizer: Any,
    request: str = "上句：床前明月光",
    *,
    temperature: float = 0.0,
    top_k: int = 40,
    seed: int = 0,
    run: bool = True,
) -> SideBySide:
    """One request answered by every model of `models`, side by side; controls re-answer.

    Args:
        models: {column title: GPT}, all with `tokenizer`'s vocabulary (e.g. tang_base,
            tang_chat and a LoRA model).
        tokenizer: their chat tokenizer (`llmlab.chat.chat_tokenizer`).
        request: the user's message; temperature, top_k, seed: the starting settings.
        run: answer at once (so a static copy of the notebook shows the answers).

    Example: w = side_by_side({"base": base, "SFT": chat}, tok); w.answers["SFT"].text
    """
    if not isinstance(models, Mapping) or not models:
        raise TypeError(say("side_by_side.no_models", got=type(models).__name__))
    for name, model in models.items():
        if not hasattr(model, "config"):
            raise TypeError(say("side_by_side.bad_model", name=name, kind=type(model).__name__))
        if model.config.vocab_size < tokenizer.vocab_size:
            raise ValueError(say("side_by_side.vocab_mismatch", vocab=tokenizer.vocab_size,
                                 name=name, got=model.config.vocab_size))  # fmt: skip
    widget = SideBySide(dict(models), tokenizer, request, temperature, top_k, seed)
    if run:
        widget.guard(widget.answer)()
    return widget
