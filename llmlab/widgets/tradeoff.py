"""Speed/quality trade-off explorer (lesson 12): weight format and sparsity against loss and size.

`tradeoff_table` measures, once, the validation loss and the stored size of a model at every
weight format (float32, int8, int4: `llmlab.quantize`) and sparsity (`llmlab.prune`: pruned
first, then quantised, so the zeros stay exact zeros). The explorer then only looks rows up,
so moving a control costs a redraw, never a forward pass.

Size is what a dense file of that format holds: zeros cost as much as any weight, so pruning
alone saves nothing until a sparse format or sparse hardware skips them (see `llmlab.prune`).
"""

from __future__ import annotations

import ipywidgets as widgets
import jax
from matplotlib.figure import Figure

from llmlab.i18n import say
from llmlab.prune import prune_gpt
from llmlab.quantize import quantize_gpt, quantized_bytes
from llmlab.train import TrainConfig, evaluate
from llmlab.widgets.panel import BadInput, Panel
from llmlab.widgets.render.labels import font_family

FORMATS = {None: "float32", 8: "int8", 4: "int4"}  # bits -> name
_COLOURS = {None: "tab:blue", 8: "tab:orange", 4: "tab:green"}


def tradeoff_table(model, data, cfg: TrainConfig, key: jax.Array, bits=(None, 8, 4),
                   sparsities=(0.0, 0.25, 0.5, 0.75)) -> list[dict]:  # fmt: skip
    """Validation loss and bytes of `model` pruned to each sparsity, then quantised to each bits.

    Every row is measured on the same windows (`evaluate` with the same key and cfg), so the
    differences between rows are the model's, not the sample's.
    Returns rows {"bits": None | 8 | 4, "sparsity": float, "loss": float, "bytes": int}.
    """
    rows = []
    for sparsity in sparsities:
        pruned = prune_gpt(model, sparsity)[0] if sparsity else model
        for b in bits:
            copy = quantize_gpt(pruned, b) if b else pruned
            rows.append({"bits": b, "sparsity": float(sparsity),
                         "loss": evaluate(copy, data, cfg, key),
                         "bytes": quantized_bytes(model, b)})  # fmt: skip
    return rows


def _megabytes(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def tradeoff_figure(rows: list[dict], bits, sparsity: float) -> Figure:
    """Loss against sparsity, one line per weight format, the chosen (bits, sparsity) circled."""
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlabel(say("widgets.tradeoff.sparsity_axis"), fontfamily=font_family())
    ax.set_ylabel(say("widgets.tradeoff.loss_axis"), fontfamily=font_family())
    ax.grid(alpha=0.3)
    for b in sorted({r["bits"] for r in rows}, key=lambda b: -(b or 32)):
        mine = sorted((r for r in rows if r["bits"] == b), key=lambda r: r["sparsity"])
        ax.plot([r["sparsity"] for r in mine], [r["loss"] for r in mine], "-o", markersize=4,
                color=_COLOURS[b], label=FORMATS[b], gid=f"bits={b}")  # fmt: skip
    ax.plot([], [], "o", markersize=14, mfc="none", mec="tab:red", mew=2, gid="chosen")
    ax.legend(fontsize=8)
    update_tradeoff(fig, rows, bits, sparsity)
    return fig


def _row(rows: list[dict], bits, sparsity: float) -> dict:
    for row in rows:
        if row["bits"] == bits and abs(row["sparsity"] - sparsity) < 1e-9:
            return row
    raise BadInput(say("widgets.tradeoff.no_row", name=FORMATS.get(bits, bits), sparsity=sparsity))


def update_tradeoff(fig: Figure, rows: list[dict], bits, sparsity: float) -> dict:
    """Circle the chosen row and title the figure with it; returns that row."""
    row = _row(rows, bits, sparsity)
    ax = fig.axes[0]
    chosen = next(line for line in ax.lines if line.get_gid() == "chosen")
    chosen.set_data([row["sparsity"]], [row["loss"]])
    title = say("widgets.tradeoff.title", name=FORMATS[bits], sparsity=sparsity,
                loss=row["loss"], size=_megabytes(row["bytes"]))  # fmt: skip
    ax.set_title(title, fontfamily=font_family(), fontsize=10)
    return row


class TradeoffExplorer(Panel):
    """Controls: bits ("float32", "int8" or "int4"), sparsity (the table's sparsities).

    Attributes after each update: row (the chosen row of the table), change (its loss minus the
    dense float32 loss), ratio (its bytes over float32's).
    """

    def __init__(self, rows: list[dict]):
        super().__init__()
        self.rows = rows
        self.base = _row(rows, None, 0.0)
        formats = [b for b in FORMATS if any(r["bits"] == b for r in rows)]
        # the options are the names: a selection widget reads the value None as "nothing chosen"
        self.bits = widgets.ToggleButtons(options=[FORMATS[b] for b in formats], value="float32",
                                          description=say("widgets.tradeoff.bits"))  # fmt: skip
        levels = sorted({r["sparsity"] for r in rows})
        self.sparsity = widgets.SelectionSlider(
            options=[(f"{s:.0%}", s) for s in levels], value=levels[0],
            description=say("widgets.tradeoff.sparsity"),
        )  # fmt: skip
        self.readout = widgets.HTML()
        self.figure = tradeoff_figure(rows, None, levels[0])
        update = self.guard(self.update)
        self.bits.observe(update, names="value")
        self.sparsity.observe(update, names="value")
        self.arrange(self.bits, self.sparsity, self.image, self.readout)
        self.update()

    def update(self, change: object = None) -> None:
        """Look the chosen row up, circle it, and say its loss and size."""
        bits = {name: b for b, name in FORMATS.items()}[self.bits.value]
        sparsity = self.sparsity.value
        self.row = update_tradeoff(self.figure, self.rows, bits, sparsity)
        self.change = self.row["loss"] - self.base["loss"]
        self.ratio = self.row["bytes"] / self.base["bytes"]
        self.readout.value = say("widgets.tradeoff.readout", name=FORMATS[bits],
                                 sparsity=sparsity, loss=self.row["loss"], change=self.change,
                                 size=_megabytes(self.row["bytes"]), ratio=self.ratio,
                                 kept=1 - sparsity)  # fmt: skip
        self.show_figure()

    def fallback_html(self) -> str:
        return self.readout.value


def tradeoff_explorer(rows: list[dict]) -> TradeoffExplorer:
    """Pick a weight format and a sparsity; see the loss, the change and the stored size.

    rows: from `tradeoff_table` (or any rows with bits, sparsity, loss, bytes, including
    float32, bits None, at sparsity 0).

    Example: w = tradeoff_explorer(tradeoff_table(gpt, val, cfg, key)); w.bits.value = 4
    """
    keys = {"bits", "sparsity", "loss", "bytes"}
    ok = isinstance(rows, list) and rows and all(isinstance(r, dict) and keys <= set(r)
                                                 for r in rows)  # fmt: skip
    if not ok or not any(r["bits"] is None and r["sparsity"] == 0 for r in rows):
        raise ValueError(say("widgets.tradeoff.bad_table", got=repr(rows)[:120]))
    if any(r["bits"] not in FORMATS for r in rows):
        raise ValueError(say("widgets.tradeoff.bad_table", got=repr(rows)[:120]))
    return TradeoffExplorer(rows)
