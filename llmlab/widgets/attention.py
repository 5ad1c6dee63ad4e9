"""Attention heatmap (lesson 06): a sentence through a model, one layer and head at a time.

The model runs once per text, padded to its full context so the jitted forward pass compiles
once; choosing a layer or a head only picks a slice of the weights already computed.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from llmlab.i18n import say
from llmlab.widgets.panel import Panel
from llmlab.widgets.prompt import block_size_of, encode_prompt, padded
from llmlab.widgets.render.heatmap import attention_figure, update_attention


@nnx.jit
def attention_weights(model: nnx.Module, idx: jax.Array) -> jax.Array:
    """All attention weights of a GPT, stacked: idx (B, T) -> (L, B, H, T, T)."""
    _, weights = model(idx, return_attention=True)
    return jnp.stack(weights)


def _labels(tokenizer: Any, ids: list[int]) -> list[str]:
    text = getattr(tokenizer, "token_text", None)
    return [text(i) if text is not None else tokenizer.decode([i]) for i in ids]


class AttentionHeatmap(Panel):
    """Text box, layer and head sliders, and the heatmap of that head's weights.

    Attributes: text (Text), layer, head (IntSliders), weights (L, H, T, T) for the text,
    figure.
    """

    def __init__(self, model: Any, tokenizer: Any, text: str):
        super().__init__()
        self.model, self.tokenizer = model, tokenizer
        config = model.config
        self.text = widgets.Text(
            value=text, description=say("widgets.text"), continuous_update=False
        )
        self.layer = widgets.IntSlider(
            value=0, min=0, max=config.n_layer - 1, description=say("widgets.attention.layer")
        )
        self.head = widgets.IntSlider(
            value=0, min=0, max=config.n_head - 1, description=say("widgets.attention.head")
        )
        self.text.observe(self.guard(self._new_text), names="value")
        pick = self.guard(self.update)
        self.layer.observe(pick, names="value")
        self.head.observe(pick, names="value")
        self.arrange(self.text, widgets.HBox([self.layer, self.head]), self.image)
        self._new_text()

    def _new_text(self, change: object = None) -> None:
        ids, note = encode_prompt(self.tokenizer, self.text.value, block_size_of(self.model))
        T = len(ids)
        stacked = attention_weights(self.model, padded(ids, block_size_of(self.model)))
        # Causal: the real tokens never see the padding after them, so the top-left T x T
        # block is exactly the attention of the unpadded text.
        self.weights = np.asarray(stacked[:, 0, :, :T, :T])
        self.labels = _labels(self.tokenizer, ids)
        if self.figure is None:
            self.figure = attention_figure(self.weights[0, 0], self.labels)
        else:
            update_attention(self.figure, self.weights[0, 0], labels=self.labels)
        self.update()
        if note:
            self.say(note, kind="info")

    def update(self, change: object = None) -> None:
        """Show the chosen layer and head."""
        layer, head = self.layer.value, self.head.value
        update_attention(
            self.figure,
            self.weights[layer, head],
            title=say("widgets.attention.title", layer=layer, head=head),
        )
        self.show_figure()


def attention_heatmap(
    model: Any, tokenizer: Any, text: str = "ROMEO:\nBut soft"
) -> AttentionHeatmap:
    """A sentence through a GPT: choose the layer and the head, see its attention weights.

    Row t is the token looking, column s the token looked at; the hatched grey triangle is the
    causal mask (a token cannot see the future). Text longer than the context is cropped.

    Example: w = attention_heatmap(model, tokenizer, "To be"); w.layer.value = 1
    """
    if not hasattr(model, "config"):
        raise TypeError(say("widgets.not_a_gpt", kind=type(model).__name__))
    return AttentionHeatmap(model, tokenizer, text)
