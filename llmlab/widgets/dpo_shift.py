"""DPO probability shift (lesson 11): how P(chosen) and P(rejected) move, step by step, per β.

The runs are computed once in the lesson (a few β values, tens of steps each); the β slider
picks one and redraws its curves: the log-probabilities of the chosen and the rejected answer
to one prompt (left), and how far the policy drifted from the reference, with the preference
accuracy on training and on held-out pairs (right).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from llmlab.i18n import say
from llmlab.widgets.panel import Panel
from llmlab.widgets.render.labels import font_family

FIELDS = ("chosen", "rejected", "drift", "train_acc", "held_acc")


def _check_runs(runs: Any) -> dict[float, dict[str, np.ndarray]]:
    """Runs as {β: {field: (S,) float array}}, every field of every run the same length S."""
    if not isinstance(runs, Mapping) or not runs:
        raise ValueError(say("widgets.dpo.no_runs", got=repr(runs)[:80]))
    checked = {}
    for beta, record in runs.items():
        arrays = {f: np.asarray(record.get(f, []), float).ravel()
                  for f in FIELDS} if isinstance(record, Mapping) else {}  # fmt: skip
        lengths = [len(a) for a in arrays.values()]
        if len(lengths) != len(FIELDS) or len(set(lengths)) != 1 or lengths[0] < 1:
            raise ValueError(say("widgets.dpo.bad_run", beta=beta, fields=", ".join(FIELDS),
                                 lengths=lengths))  # fmt: skip
        step = record.get("step") if isinstance(record, Mapping) else None
        step = np.arange(1, lengths[0] + 1) if step is None else np.asarray(step, float).ravel()
        if step.shape != (lengths[0],):
            raise ValueError(say("widgets.dpo.bad_run", beta=beta, fields="step",
                                 lengths=[len(step), lengths[0]]))  # fmt: skip
        checked[float(beta)] = {"step": step, **arrays}
    steps = {len(r["chosen"]) for r in checked.values()}
    if len(steps) != 1:
        raise ValueError(say("widgets.dpo.bad_run", beta="*", fields=", ".join(FIELDS),
                             lengths=sorted(steps)))  # fmt: skip
    return dict(sorted(checked.items()))


def dpo_figure(chosen: str, rejected: str, steps: np.ndarray) -> Figure:
    """Empty axes for runs measured at `steps` (S,): log-probabilities left, drift, accuracy right.

    Lines by gid: "chosen", "rejected" (left axis), "drift" (right, own axis), "train_acc",
    "held_acc" (right, twin axis). Fill them with `update_dpo_figure`.
    """
    family = font_family()
    fig = Figure(figsize=(9.5, 3.4), layout="constrained")
    left, right = fig.subplots(1, 2)
    x, steps = np.asarray(steps, float), len(steps)
    left.plot(x, np.zeros(steps), "o-", color="tab:green", gid="chosen",
              label=say("widgets.dpo.chosen", answer=chosen))  # fmt: skip
    left.plot(x, np.zeros(steps), "o-", color="tab:red", gid="rejected",
              label=say("widgets.dpo.rejected", answer=rejected))  # fmt: skip
    left.set_ylabel(say("widgets.dpo.logp"), fontfamily=family)
    right.plot(x, np.zeros(steps), color="tab:purple", gid="drift",
               label=say("widgets.dpo.drift"))  # fmt: skip
    right.set_ylabel(say("widgets.dpo.drift_axis"), fontfamily=family)
    twin = right.twinx()
    twin.plot(x, np.zeros(steps), "--", color="tab:blue", gid="train_acc",
              label=say("widgets.dpo.train_acc"))  # fmt: skip
    twin.plot(x, np.zeros(steps), ":", color="tab:orange", gid="held_acc",
              label=say("widgets.dpo.held_acc"))  # fmt: skip
    twin.set_ylim(0, 1.02)
    twin.set_ylabel(say("widgets.dpo.accuracy_axis"), fontfamily=family)
    for ax in (left, right):
        ax.set_xlabel(say("widgets.dpo.step"), fontfamily=family)
        ax.grid(alpha=0.3)
    left.legend(loc="lower left", prop={"family": family, "size": 8})
    handles = right.get_lines() + twin.get_lines()
    right.legend(handles, [h.get_label() for h in handles], loc="upper left",
                 prop={"family": family, "size": 8})  # fmt: skip
    return fig


def update_dpo_figure(fig: Figure, run: Mapping[str, np.ndarray], title: str = "") -> None:
    """Put one run's values on the lines drawn by `dpo_figure` and rescale the axes."""
    for ax in fig.axes:
        for line in ax.get_lines():
            if line.get_gid() in run:
                line.set_data(run["step"], run[line.get_gid()])
    left, right = fig.axes[0], fig.axes[1]
    for ax, names in ((left, ("chosen", "rejected")), (right, ("drift",))):
        values = np.concatenate([run[n] for n in names])
        low, high = float(values.min()), float(values.max())
        pad = max(0.05 * (high - low), 0.1)
        ax.set_ylim(low - pad, high + pad)
    fig.suptitle(title, fontfamily=font_family(), fontsize=11)


class DPOShift(Panel):
    """A β slider over precomputed DPO runs; attributes `run` (the run shown) and `figure`."""

    def __init__(self, runs: Mapping, chosen: str, rejected: str):
        super().__init__()
        self.runs = _check_runs(runs)
        self.chosen, self.rejected = chosen, rejected
        betas = list(self.runs)
        self.beta = widgets.SelectionSlider(
            options=[(f"{b:g}", b) for b in betas], value=betas[len(betas) // 2],
            description=say("widgets.dpo.beta"), continuous_update=False,
        )  # fmt: skip
        self.readout = widgets.HTML()
        self.figure = dpo_figure(chosen, rejected, next(iter(self.runs.values()))["step"])
        self.beta.observe(self.guard(self.update), names="value")
        self.arrange(self.beta, self.image, self.readout)
        self.update()

    def update(self, change: object = None) -> None:
        """Show the run of the β on the slider."""
        beta = self.beta.value
        self.run = run = self.runs[beta]
        update_dpo_figure(self.figure, run, say("widgets.dpo.title", beta=f"{beta:g}"))
        first, last = {k: v[0] for k, v in run.items()}, {k: v[-1] for k, v in run.items()}
        self.readout.value = html.escape(say(
            "widgets.dpo.readout", beta=f"{beta:g}", steps=f"{last['step']:g}",
            chosen=self.chosen, rejected=self.rejected, c0=first["chosen"], c1=last["chosen"],
            r0=first["rejected"], r1=last["rejected"], drift=last["drift"],
            train=last["train_acc"], held=last["held_acc"]))  # fmt: skip
        self.show_figure()

    def fallback_html(self) -> str:
        return self.readout.value


def dpo_shift(runs: Mapping, chosen: str = "上海", rejected: str = "北京") -> DPOShift:
    """The probability shift over DPO steps, one run per β, chosen with a slider.

    Args:
        runs: {β: {"chosen", "rejected": ln P of each answer (S,), "drift": the policy's
            distance from the reference (S,), "train_acc", "held_acc": preference accuracy on
            training and held-out pairs (S,), optionally "step": when each was measured (S,),
            default 1 .. S}}; every run measured at the same S points.
        chosen, rejected: the two answers' text, for the legend.

    Example: w = dpo_shift(runs); w.beta.value = 0.01; w.run["rejected"][-1]
    """
    return DPOShift(runs, chosen, rejected)
