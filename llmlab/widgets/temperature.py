"""Temperature explorer (lesson 03): temperature, top-k and top-p reshape the distribution.

One jitted function computes the filtered distribution and draws the samples. Temperature,
top-k, top-p, the number of samples and the seed all enter it as traced values ("off" is
top_k = V and top_p = 1, which keep everything), so moving a slider never recompiles.
"""

from __future__ import annotations

import functools
import html
from typing import Any

import ipywidgets as widgets
import jax
import jax.numpy as jnp
import numpy as np

from llmlab.i18n import say
from llmlab.sampling import entropy, probabilities, sample
from llmlab.widgets.panel import Panel, check_seed
from llmlab.widgets.prompt import block_size_of, encode_prompt, next_token_logits
from llmlab.widgets.render.bars import bars_figure, update_bars

# The course's example: the next word after "The boy went to the".
BOY_WORDS = ("Cafe", "Hospital", "Playground", "Park", "School")
BOY_PROBS = (0.10, 0.05, 0.40, 0.15, 0.30)
MAX_SAMPLES = 2000


@functools.partial(jax.jit, static_argnames="max_samples")
def explore(logits, temperature, top_k, top_p, seed, num_samples, max_samples=MAX_SAMPLES):
    """The sampled distribution (V,), its entropy, and counts (V,) of num_samples draws.

    Shapes: logits (V,) -> (probs (V,), entropy (), counts (V,) int32). Draws max_samples ids
    and counts the first num_samples, so num_samples can change without a new compilation.
    """
    probs = probabilities(logits, temperature, top_k, top_p)
    key = jax.random.key(seed)
    rows = jnp.broadcast_to(logits, (max_samples, logits.shape[-1]))
    ids = sample(key, rows, temperature, top_k, top_p)  # (max_samples,)
    used = jnp.arange(max_samples) < num_samples
    counts = jnp.zeros(logits.shape[-1], jnp.int32).at[ids].add(used.astype(jnp.int32))
    return probs, entropy(probs), counts


class TemperatureExplorer(Panel):
    """Controls: temperature, top_k, top_p, num_samples, seed (and prompt with a model).

    Attributes after each update: probs (V,) the distribution sampled from, counts (V,) the
    sample counts, entropy (nats); figure with series "T = 1" (before), `after` and `sampled`
    (their names: "after" and "samples" in English).
    """

    def __init__(self, logits, labels, *, model=None, tokenizer=None, prompt="", max_bars=12):
        super().__init__()
        self.model, self.tokenizer, self.max_bars = model, tokenizer, max_bars
        self.logits = np.asarray(logits, np.float32)
        self.labels = list(labels)
        V = self.logits.shape[-1]
        self.temperature = widgets.FloatSlider(
            value=1.0, min=0.0, max=3.0, step=0.05, description=say("widgets.temperature")
        )
        self.top_k = widgets.IntSlider(value=V, min=1, max=V, description="top-k")
        self.top_p = widgets.FloatSlider(
            value=1.0, min=0.05, max=1.0, step=0.05, description="top-p"
        )
        self.num_samples = widgets.IntSlider(
            value=200, min=1, max=MAX_SAMPLES, description=say("widgets.temperature.samples")
        )
        self.seed = widgets.IntText(value=0, description=say("widgets.seed"))
        self.prompt = widgets.Text(
            value=prompt, description=say("widgets.prompt"), continuous_update=False
        )
        self.readout = widgets.HTML()
        # the series' names, in the language the widget was built in
        self.after = say("widgets.temperature.after")
        self.sampled = say("widgets.temperature.sampled")
        self.other = say("widgets.temperature.other")
        self._build_figure()
        update = self.guard(self.update)
        for control in (self.temperature, self.top_k, self.top_p, self.num_samples, self.seed):
            control.observe(update, names="value")
        self.prompt.observe(self.guard(self._new_prompt), names="value")
        rows = [self.prompt] if model is not None else []
        rows += [
            widgets.HBox(
                [
                    widgets.VBox([self.temperature, self.top_k, self.top_p]),
                    widgets.VBox([self.num_samples, self.seed, self.readout]),
                ]
            ),
            self.image,
        ]
        self.arrange(*rows)
        self.update()

    def _shown(self) -> np.ndarray:
        """Ids of the bars: the max_bars most likely tokens at T = 1."""
        order = np.argsort(-self.logits, kind="stable")
        return order[: self.max_bars] if len(order) > self.max_bars else np.arange(len(order))

    def _bars(self, values: np.ndarray) -> np.ndarray:
        shown = values[self.shown]
        if len(self.shown) < len(values):  # everything not shown, in one "other" bar
            shown = np.append(shown, values.sum() - shown.sum())
        return shown

    def _build_figure(self) -> None:
        """Draw the bars for the current logits, reusing the figure when the bar count allows."""
        self.shown = self._shown()
        names = [self.labels[i] for i in self.shown]
        if len(self.shown) < len(self.labels):
            names.append(self.other)
        self.before = np.asarray(probabilities(self.logits))
        if self.figure is not None and len(self.figure.axes[0].containers[0]) == len(names):
            update_bars(self.figure, {"T = 1": self._bars(self.before)}, labels=names)
            return
        zeros = np.zeros(len(names))
        self.figure = bars_figure(
            names, {"T = 1": self._bars(self.before), self.after: zeros, self.sampled: zeros}
        )

    def _new_prompt(self, change: object = None) -> None:
        ids, note = encode_prompt(self.tokenizer, self.prompt.value, block_size_of(self.model))
        self.logits = next_token_logits(self.model, ids)
        self._build_figure()
        self.update()
        if note:
            self.say(note, kind="info")

    def update(self, change: object = None) -> None:
        """Recompute the distribution and the samples from the controls, and redraw."""
        probs, ent, counts = explore(
            self.logits,
            jnp.float32(self.temperature.value),
            jnp.int32(self.top_k.value),
            jnp.float32(self.top_p.value),
            jnp.int32(check_seed(self.seed.value)),
            jnp.int32(self.num_samples.value),
        )
        self.probs, self.entropy, self.counts = np.asarray(probs), float(ent), np.asarray(counts)
        n = self.num_samples.value
        kept = int((self.probs > 0).sum())
        before = float(entropy(self.before))
        title = say("widgets.temperature.title", t=self.temperature.value,
                    entropy=self.entropy, before=before, kept=kept)  # fmt: skip
        update_bars(
            self.figure,
            {self.after: self._bars(self.probs), self.sampled: self._bars(self.counts / n)},
            title=title,
        )
        top = int(np.argmax(self.counts))
        self.readout.value = say("widgets.temperature.readout", entropy=self.entropy, kept=kept,
                                 n=n, token=html.escape(self.labels[top]),
                                 count=self.counts[top])  # fmt: skip
        self.show_figure()

    def fallback_html(self) -> str:
        return self.readout.value


def temperature_explorer(
    logits: Any = None,
    labels: Any = None,
    *,
    model: Any = None,
    tokenizer: Any = None,
    prompt: str = "",
    max_bars: int = 12,
) -> TemperatureExplorer:
    """Temperature (0 = greedy), top-k and top-p sliders on a next-token distribution.

    Shows the distribution before (T = 1) and after, its entropy, and a histogram of N samples
    drawn with the chosen settings. With no arguments: "The boy went to the ..." (Cafe 0.10,
    Hospital 0.05, Playground 0.40, Park 0.15, School 0.30). Pass logits (V,) and labels (V,),
    or a model and tokenizer (with a prompt) to explore the model's next token.

    Example: w = temperature_explorer(); w.temperature.value = 0.5; w.probs  # sharper
    """
    if model is not None:
        if tokenizer is None:
            raise ValueError(say("widgets.needs_tokenizer", widget="temperature_explorer"))
        ids, _ = encode_prompt(tokenizer, prompt or "\n", block_size_of(model))
        logits = next_token_logits(model, ids)
        labels = [tokenizer.decode([i]) for i in range(len(logits))]
        return TemperatureExplorer(
            logits,
            labels,
            model=model,
            tokenizer=tokenizer,
            prompt=prompt or "\n",
            max_bars=max_bars,
        )
    if logits is None:
        logits, labels = np.log(np.array(BOY_PROBS, np.float32)), BOY_WORDS
    logits = np.asarray(logits, np.float32)
    if logits.ndim != 1 or logits.shape[0] < 1:
        raise ValueError(say("widgets.temperature.bad_logits", shape=logits.shape))
    if labels is None:
        labels = [str(i) for i in range(logits.shape[0])]
    if len(labels) != logits.shape[0]:
        raise ValueError(say("widgets.temperature.label_count", n=logits.shape[0], got=len(labels)))
    return TemperatureExplorer(logits, labels, max_bars=max_bars)
