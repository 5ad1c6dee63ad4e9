"""Generation playground (lessons 00 and 09): a prompt, the sampling knobs, streaming text.

`generate` from llmlab.generate calls `on_token` with every new token; the playground appends
it to the output at once, so the text appears token by token. Generation compiles once per
model: temperature, top-k and top-p travel as arrays (see llmlab.generate).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import jax

from llmlab.generate import generate
from llmlab.i18n import say
from llmlab.widgets.panel import Panel, check_seed
from llmlab.widgets.prompt import block_size_of, encode_prompt


class GenerationPlayground(Panel):
    """Prompt box, temperature / top-k / top-p / seed / length controls, Generate button.

    Attributes: prompt (Textarea), temperature, top_k, top_p (sliders; top-k = V and top-p = 1
    filter nothing), seed (IntText), length (IntSlider), button, output (HTML), new_ids (the
    tokens of the last run), text (their decoded text), updates (how many times the output
    was redrawn during the last run: one per token, which is the streaming).
    """

    def __init__(self, model: Any, tokenizer: Any, prompt: str, length: int):
        super().__init__()
        self.model, self.tokenizer = model, tokenizer
        V = model.config.vocab_size
        self.prompt = widgets.Textarea(value=prompt, description=say("widgets.prompt"), rows=2)
        self.temperature = widgets.FloatSlider(
            value=0.8, min=0.0, max=2.0, step=0.05, description=say("widgets.temperature")
        )
        self.top_k = widgets.IntSlider(value=V, min=1, max=V, description="top-k")
        self.top_p = widgets.FloatSlider(
            value=1.0, min=0.05, max=1.0, step=0.05, description="top-p"
        )
        self.seed = widgets.IntText(value=0, description=say("widgets.seed"))
        self.length = widgets.IntSlider(
            value=length, min=1, max=1000, description=say("widgets.generation.tokens")
        )
        self.button = widgets.Button(
            description=say("widgets.generation.button"), button_style="primary"
        )
        self.output = widgets.HTML()
        self.new_ids: list[int] = []
        self.text, self.updates = "", 0
        self.button.on_click(self.guard(lambda _: self.generate()))
        self.arrange(
            self.prompt,
            widgets.HBox([
                widgets.VBox([self.temperature, self.top_k, self.top_p]),
                widgets.VBox([self.seed, self.length, self.button]),
            ]),
            self.output,
        )  # fmt: skip

    def _show(self, prompt: str) -> None:
        self.output.value = (
            '<pre style="white-space:pre-wrap;font-size:13px">'
            f'<span style="color:#888">{html.escape(prompt)}</span>'
            f"<b>{html.escape(self.text)}</b></pre>"
        )

    def generate(self) -> str:
        """Generate with the current settings, streaming into the output; returns the new text.

        Blocking: call it from a notebook cell (or press the button). Same settings and seed,
        same text.
        """
        prompt = self.prompt.value
        check_seed(self.seed.value)
        ids, note = encode_prompt(self.tokenizer, prompt, block_size_of(self.model))
        self.new_ids, self.text, self.updates = [], "", 0
        self._show(prompt)
        if note:
            self.say(note, kind="info")

        def on_token(token_id: int) -> None:
            self.new_ids.append(token_id)
            # Decode everything so far: a character split over two byte tokens comes out whole.
            self.text = self.tokenizer.decode(self.new_ids)
            self.updates += 1
            self._show(prompt)

        generate(
            self.model,
            ids,
            self.length.value,
            key=jax.random.key(self.seed.value),
            temperature=self.temperature.value,
            top_k=self.top_k.value,
            top_p=self.top_p.value,
            on_token=on_token,
        )
        return self.text

    def fallback_html(self) -> str:
        return self.output.value or html.escape(self.prompt.value)


def generation_playground(
    model: Any, tokenizer: Any, prompt: str = "ROMEO:\n", *, length: int = 200, run: bool = False
) -> GenerationPlayground:
    """Prompt, temperature, top-k, top-p, seed and length; the text streams in token by token.

    run=True generates once straight away (so a static copy of the notebook shows a sample).

    Example: w = generation_playground(model, tokenizer, "床前", run=True); w.text
    """
    if not hasattr(model, "config"):
        raise TypeError(say("widgets.not_a_gpt", kind=type(model).__name__))
    if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= 1000:
        raise ValueError(say("widgets.generation.bad_length", value=repr(length)))
    playground = GenerationPlayground(model, tokenizer, prompt, length)
    if run:
        playground.guard(playground.generate)()
    return playground
