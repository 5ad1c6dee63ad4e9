"""Next-token explorer (lesson 01, again in lesson 09): P(next | context) as bars.

The distribution comes from an n-gram count table (lesson 01) or from a trained model. Pick
a token and append it, or sample one, and the context grows: generation one step at a time.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import jax
import numpy as np

from llmlab.i18n import say
from llmlab.probability import conditional_distribution, next_token_distribution, ngram_counts
from llmlab.sampling import softmax
from llmlab.widgets.panel import BadInput, Panel
from llmlab.widgets.prompt import block_size_of, encode_prompt, next_token_logits
from llmlab.widgets.render.bars import bars_figure, update_bars
from llmlab.widgets.render.tokens import visible


def _token_label(tokenizer: Any, token_id: int) -> str:
    text = getattr(tokenizer, "token_text", None)
    return text(token_id) if text is not None else tokenizer.decode([token_id])


class NextTokenExplorer(Panel):
    """Type a context; bars of P(next | context); append the chosen or a sampled token.

    Attributes: context (Text), choice (Dropdown of the top tokens), append / sample (Buttons),
    probs (V,) the current distribution, top_ids (the ids of the bars).
    """

    def __init__(self, tokenizer: Any, context: str, top: int, *, table=None, model=None):
        super().__init__()
        self.tokenizer, self.table, self.model, self.top = tokenizer, table, model, top
        self.context = widgets.Text(
            value=context, description=say("widgets.next.context"), continuous_update=False
        )
        self.choice = widgets.Dropdown(description=say("widgets.next.choice"))
        self.append = widgets.Button(description=say("widgets.next.append"))
        self.sample = widgets.Button(description=say("widgets.next.sample"))
        self.series = say("widgets.next.series")  # the bars' name, in the language built in
        self.draws = 0  # key for the n-th sample: jax.random.key(draws), so runs repeat
        V = tokenizer.vocab_size
        self.top = min(top, V)
        self.figure = bars_figure([""] * self.top, {self.series: np.zeros(self.top)}, ylim=None)
        self.context.observe(self.guard(self.update), names="value")
        self.append.on_click(self.guard(lambda _: self._extend(self.choice.value)))
        self.sample.on_click(self.guard(lambda _: self._extend(self._draw())))
        self.arrange(
            self.context, widgets.HBox([self.choice, self.append, self.sample]), self.image
        )
        self.update()

    def distribution(self, text: str) -> np.ndarray:
        """P(next | text) over the whole vocabulary (V,); BadInput for unusable text."""
        if self.model is not None:
            ids, note = encode_prompt(self.tokenizer, text, block_size_of(self.model))
            if note:
                self.say(note, kind="info")
            return np.asarray(softmax(next_token_logits(self.model, ids)), dtype=np.float64)
        ids, _ = encode_prompt(self.tokenizer, text)
        n = self.table.ndim
        if len(ids) < n - 1:
            raise BadInput(say("widgets.next.short_context", n=n, need=n - 1))
        return next_token_distribution(self.table, ids)

    def update(self, change: object = None) -> None:
        """Recompute the distribution for the context and redraw the bars."""
        self.probs = self.distribution(self.context.value)
        self.top_ids = np.argsort(-self.probs, kind="stable")[: self.top]
        labels = [_token_label(self.tokenizer, int(i)) for i in self.top_ids]
        self.choice.options = [
            (f"{visible(label)}  ({self.probs[i]:.3f})", int(i))
            for label, i in zip(labels, self.top_ids)
        ]
        self.choice.value = int(self.top_ids[0])
        shown = self.probs[self.top_ids]
        update_bars(
            self.figure,
            {self.series: shown},
            labels=labels,
            title=say(
                "widgets.next.title",
                context=repr(self.context.value[-30:]),
                top=self.top,
                total=len(self.probs),
                mass=shown.sum(),
            ),
        )
        self.show_figure()

    def _draw(self) -> int:
        key = jax.random.key(self.draws)
        self.draws += 1
        return int(jax.random.choice(key, len(self.probs), p=self.probs))

    def _extend(self, token_id: int) -> None:
        self.context.value += self.tokenizer.decode([token_id])


def next_token_explorer(
    table: Any = None,
    tokenizer: Any = None,
    *,
    context: str = "First Citizen:\nBefore we proc",
    model: Any = None,
    text: str | None = None,
    n: int = 2,
    top: int = 15,
) -> NextTokenExplorer:
    """Bars of the next-token distribution for a typed context, from counts or from a model.

    Args:
        table: an n-gram table (V,)*n of counts or probabilities (rows are normalised), with
            its tokenizer; None builds a character n-gram table from `text`.
        tokenizer: encodes the context (needed with table or model).
        context: the starting context.
        model: a GPT to ask instead of a table (then pass its tokenizer).
        text: corpus for the default table (default: Shakespeare); n: its order (2 to 4).
        top: how many bars.

    Example: w = next_token_explorer(probs, tok, context="Th"); w.append.click()
    """
    if model is not None:
        if tokenizer is None:
            raise ValueError(say("widgets.needs_tokenizer", widget="next_token_explorer"))
        return NextTokenExplorer(tokenizer, context, top, model=model)
    if table is None:
        from llmlab.data import load_text
        from llmlab.tokenizer import CharTokenizer

        if not isinstance(n, int) or not 2 <= n <= 4:
            raise ValueError(say("widgets.next.bad_n", value=repr(n)))
        text = load_text("shakespeare") if text is None else text
        tokenizer = CharTokenizer.from_text(text) if tokenizer is None else tokenizer
        table = ngram_counts(np.array(tokenizer.encode(text)), n, tokenizer.vocab_size)
    elif tokenizer is None:
        raise ValueError(say("widgets.next.table_needs_tokenizer"))
    table = np.asarray(table)
    V = tokenizer.vocab_size
    if table.ndim < 1 or table.shape != (V,) * table.ndim:
        raise ValueError(say("widgets.next.bad_table", V=V, shape=table.shape))
    return NextTokenExplorer(tokenizer, context, top, table=conditional_distribution(table))
