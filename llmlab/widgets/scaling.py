"""Scaling plot (lesson 12): loss against parameters on log-log axes, with a power-law fit.

A power law loss ≈ a · N^(-b) is a straight line on log-log axes: log L = log a - b log N,
so the fit is a least-squares line through (log N, log L), made by
`llmlab.scaling.fit_power_law`. The slider `fit_on` keeps only the k smallest sizes in the
fit, so the learner sees how far a line drawn through small models reaches: the held-out
bigger sizes show whether the prediction holds.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from llmlab.i18n import say
from llmlab.scaling import fit_power_law
from llmlab.widgets.panel import Panel
from llmlab.widgets.render.labels import font_family


def scaling_figure(n_params, losses, k: int, at: float) -> Figure:
    """Log-log scatter of (N, loss), the fit on the k smallest sizes, and its value at N = at."""
    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(say("widgets.scaling.params_axis"), fontfamily=font_family())
    ax.set_ylabel(say("widgets.scaling.loss_axis"), fontfamily=font_family())
    ax.grid(alpha=0.3, which="both")
    ax.plot([], [], "o", color="tab:blue", gid="used", label=say("widgets.scaling.used"))
    ax.plot([], [], "o", mfc="none", color="tab:blue", gid="held_out",
            label=say("widgets.scaling.held_out"))  # fmt: skip
    ax.plot([], [], "-", color="tab:orange", gid="line")
    ax.plot([], [], "*", color="tab:red", markersize=14, gid="prediction",
            label=say("widgets.scaling.prediction"))  # fmt: skip
    update_scaling(fig, n_params, losses, k, at)
    return fig


def update_scaling(fig: Figure, n_params, losses, k: int, at: float) -> tuple[float, float, float]:
    """Redraw the fit on the k smallest sizes; returns (a, b, predicted loss at N = at)."""
    ax = fig.axes[0]
    lines = {line.get_gid(): line for line in ax.lines}
    order = np.argsort(n_params)
    n, loss = np.asarray(n_params, float)[order], np.asarray(losses, float)[order]
    a, b, _ = fit_power_law(n[:k], loss[:k])
    predicted = a * at ** (-b)
    lines["used"].set_data(n[:k], loss[:k])
    lines["held_out"].set_data(n[k:], loss[k:])
    xs = np.geomspace(n[0], max(n[-1], at), 50)
    lines["line"].set_data(xs, a * xs ** (-b))
    lines["line"].set_label(say("widgets.scaling.line", a=a, b=b))
    lines["prediction"].set_data([at], [predicted])
    ax.set_xlim(n[0] / 1.5, max(n[-1], at) * 1.5)
    low, high = min(loss.min(), predicted), max(loss.max(), predicted)
    ax.set_ylim(low / 1.1, high * 1.1)
    ax.set_title(say("widgets.scaling.title", a=a, b=b, k=k), fontfamily=font_family())
    ax.legend(prop={"family": font_family()}, fontsize=8, loc="upper right")
    return a, b, float(predicted)


class ScalingPlot(Panel):
    """Controls: fit_on (how many of the smallest sizes the fit uses), predict_at (log10 N).

    Attributes after each update: a, b (loss ≈ a · N^-b), predicted (the loss the fit gives at
    N = 10^predict_at), held_out (list of (name, predicted, measured) for sizes not fitted).
    """

    def __init__(self, n_params, losses, names=None):
        super().__init__()
        order = np.argsort(n_params)
        self.n_params = np.asarray(n_params, float)[order]
        self.losses = np.asarray(losses, float)[order]
        names = list(names) if names is not None else [f"N={int(x):,}" for x in n_params]
        self.names = [names[i] for i in order]
        K = len(self.n_params)
        top = float(np.log10(self.n_params[-1]))
        self.fit_on = widgets.IntSlider(value=K, min=2, max=K,
                                        description=say("widgets.scaling.fit_on"))  # fmt: skip
        self.predict_at = widgets.FloatSlider(
            value=round(top + 1, 1), min=round(float(np.log10(self.n_params[0])), 1),
            max=round(top + 3, 1), step=0.1, description=say("widgets.scaling.predict_at"),
        )  # fmt: skip
        self.readout = widgets.HTML()
        self.figure = scaling_figure(self.n_params, self.losses, K, 10**self.predict_at.value)
        update = self.guard(self.update)
        self.fit_on.observe(update, names="value")
        self.predict_at.observe(update, names="value")
        self.arrange(widgets.HBox([self.fit_on, self.predict_at]), self.image, self.readout)
        self.update()

    def update(self, change: object = None) -> None:
        """Refit on the chosen sizes, move the prediction, and redraw."""
        k, at = self.fit_on.value, 10**self.predict_at.value
        self.a, self.b, self.predicted = update_scaling(self.figure, self.n_params,
                                                        self.losses, k, at)  # fmt: skip
        self.held_out = [(name, float(self.a * n ** (-self.b)), float(loss))
                         for name, n, loss in zip(self.names[k:], self.n_params[k:],
                                                  self.losses[k:])]  # fmt: skip
        text = say("widgets.scaling.readout", k=k, n=len(self.n_params), at=f"{at:,.3g}",
                   predicted=self.predicted)  # fmt: skip
        for name, predicted, measured in self.held_out:
            text += say("widgets.scaling.check", name=html.escape(name), predicted=predicted,
                        measured=measured)  # fmt: skip
        self.readout.value = text
        self.show_figure()

    def fallback_html(self) -> str:
        return self.readout.value


def scaling_plot(n_params, losses, names=None) -> ScalingPlot:
    """Loss against parameters (log-log), a power law fitted on the smallest sizes, a prediction.

    n_params, losses: one per model size (K >= 2); names: optional labels for the sizes.

    Example: w = scaling_plot([2e3, 8e3, 3e4, 1e5], [3.1, 2.9, 2.7, 2.5]); w.fit_on.value = 3
    """
    fit_power_law(n_params, losses)  # refuses bad points with the sentence, before any widget
    if names is not None and len(names) != len(n_params):
        raise ValueError(say("widgets.scaling.bad_points", n=len(names), m=len(n_params)))
    return ScalingPlot(n_params, losses, names)
