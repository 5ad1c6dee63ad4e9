"""Loss explorer (lesson 04): the probability given to the right token against −log p."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np

from llmlab.i18n import say
from llmlab.loss import nll, perplexity
from llmlab.widgets.panel import Panel
from llmlab.widgets.render.loss import loss_figure, update_loss
from llmlab.widgets.temperature import BOY_PROBS, BOY_WORDS


def prediction_with(base: np.ndarray, target: int, p: float) -> np.ndarray:
    """A distribution (V,) giving `p` to `target` and sharing 1 - p like `base` does elsewhere.

    Example: prediction_with([0.5, 0.25, 0.25], 0, 0.8) -> [0.8, 0.1, 0.1]
    """
    base = np.asarray(base, dtype=np.float64)
    rest = np.delete(base, target)
    rest = rest / rest.sum() if rest.sum() > 0 else np.full_like(rest, 1 / len(rest))
    return np.insert(rest * (1.0 - p), target, p)


class LossExplorer(Panel):
    """A slider for p (the right token's probability) and a menu for the right token.

    Attributes: p (FloatSlider), target (Dropdown of labels), probs (V,) the prediction,
    loss (the library's `nll` of it), readout (HTML).
    """

    def __init__(self, labels: Sequence[str], base: np.ndarray, target: int, p: float):
        super().__init__()
        self.labels, self.base = list(labels), np.asarray(base, dtype=np.float64)
        self.p = widgets.FloatSlider(
            value=p,
            min=0.01,
            max=1.0,
            step=0.01,
            description=say("widgets.loss.p"),
            readout_format=".2f",
        )
        self.target = widgets.Dropdown(
            options=[(label, i) for i, label in enumerate(self.labels)],
            value=target,
            description=say("widgets.loss.target"),
        )
        self.readout = widgets.HTML()
        self.probs = prediction_with(self.base, target, p)
        self.figure = loss_figure(self.labels, self.probs, target)
        update = self.guard(self.update)
        self.p.observe(update, names="value")
        self.target.observe(update, names="value")
        self.arrange(widgets.HBox([self.p, self.target]), self.readout, self.image)
        self.update()

    def update(self, change: object = None) -> None:
        """Rebuild the prediction from the controls, compute the loss, redraw."""
        target = self.target.value
        self.probs = prediction_with(self.base, target, self.p.value)
        with np.errstate(divide="ignore"):
            logits = np.log(self.probs).astype(np.float32)  # log 0 = -inf: a token ruled out
        self.loss = float(nll(logits[None, :], np.array([target])))
        self.readout.value = say("widgets.loss.readout", token=self.labels[target],
                                 p=self.p.value, loss=self.loss,
                                 perplexity=float(perplexity(self.loss)))  # fmt: skip
        update_loss(self.figure, self.probs, target)
        self.show_figure()

    def fallback_html(self) -> str:
        return self.readout.value


def loss_explorer(
    labels: Sequence[str] = BOY_WORDS,
    probs: Sequence[float] = BOY_PROBS,
    *,
    target: int = 2,
    p: float = 0.4,
) -> LossExplorer:
    """Probability given to the right token vs the loss −ln p; prediction vs one-hot target.

    Starts on "The boy went to the ..." with Playground as the right word. Moving p gives the
    right token p and shares 1 - p among the others in their original proportions.

    Example: w = loss_explorer(); w.p.value = 0.9; w.loss  # −ln 0.9 ≈ 0.105
    """
    probs = np.asarray(probs, dtype=np.float64)
    if probs.shape != (len(labels),) or len(labels) < 2:
        raise ValueError(say("widgets.loss.bad_probs", n=len(labels), shape=probs.shape))
    if not 0 <= target < len(labels):
        raise ValueError(say("widgets.loss.bad_target", last=len(labels) - 1, value=target))
    if not 0.01 <= p <= 1.0:
        raise ValueError(say("widgets.loss.bad_p", value=p))
    return LossExplorer(labels, probs, target, p)
