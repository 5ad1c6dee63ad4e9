"""Model view and parameter calculator (lesson 07): what is inside a GPT, and how big it gets."""

from __future__ import annotations

import html
from collections import defaultdict
from typing import Any

import ipywidgets as widgets
import jax
import numpy as np
from flax import nnx
from IPython.display import display

from llmlab.i18n import say
from llmlab.model import GPTConfig, param_count_formula
from llmlab.widgets.panel import BadInput, Panel
from llmlab.widgets.render.bars import bars_figure, update_bars

# name -> (n_layer, n_embd, n_head, vocab_size, block_size): the published shapes.
PRESETS: dict[str, tuple[int, int, int, int, int]] = {
    "GPT-1 (2018, 117M)": (12, 768, 12, 40478, 512),
    "GPT-2 small (124M)": (12, 768, 12, 50257, 1024),
    "GPT-2 XL (2019, 1.5B)": (48, 1600, 25, 50257, 1024),
    "GPT-3 (2020, 175B)": (96, 12288, 96, 50257, 2048),
    "llmlab tiny (65 chars)": (2, 64, 4, 65, 64),
    "llmlab nanogpt_cpu (65 chars)": (4, 128, 4, 65, 64),
}
REFERENCE = {"GPT-1": 117e6, "GPT-2": 1.5e9, "GPT-3": 175e9}


def _key_name(key: Any) -> str:
    for attr in ("key", "name", "idx"):
        if hasattr(key, attr):
            return str(getattr(key, attr))
    return str(key)


def parameter_rows(model: nnx.Module) -> list[tuple[str, tuple[int, ...], int]]:
    """Every parameter array of a model: (dotted path, shape, number of values).

    Example: for a GPT, ("wte.embedding", (V, C), V·C) comes among the first rows.
    """
    state = nnx.state(model, nnx.Param)
    rows = []
    for path, leaf in jax.tree_util.tree_flatten_with_path(state)[0]:
        names = [_key_name(k) for k in path]
        if names and names[-1] == "value":
            names = names[:-1]
        rows.append((".".join(names), tuple(np.shape(leaf)), int(np.size(leaf))))
    return rows


def parameter_table_html(model: nnx.Module) -> str:
    """An HTML table of parameters grouped by part (embeddings, each block, final norm)."""
    groups: dict[str, list[tuple[str, tuple[int, ...], int]]] = defaultdict(list)
    for path, shape, size in parameter_rows(model):
        parts = path.split(".")
        group = ".".join(parts[:2]) if parts[0] == "blocks" else parts[0]
        groups[group].append((path, shape, size))
    total = sum(size for rows in groups.values() for _, _, size in rows)
    lines = []
    for group, rows in groups.items():
        subtotal = sum(size for _, _, size in rows)
        lines.append(
            f'<tr style="background:#eef"><td><b>{html.escape(group)}</b></td><td></td>'
            f"<td style='text-align:right'><b>{subtotal:,}</b></td>"
            f"<td style='text-align:right'>{subtotal / total:.1%}</td></tr>"
        )
        for path, shape, size in rows:
            lines.append(
                f"<tr><td>&nbsp;&nbsp;{html.escape(path)}</td><td>{shape}</td>"
                f"<td style='text-align:right'>{size:,}</td><td></td></tr>"
            )
    return (
        "<table><tr>"
        + "".join(
            f"<th>{say(f'widgets.model.{name}')}</th>"
            for name in ("part", "shape", "parameters", "share")
        )
        + "</tr>"
        + "".join(lines)
        + f"<tr><td><b>{say('widgets.model.total')}</b></td><td></td>"
        f"<td style='text-align:right'><b>{total:,}</b></td><td>100%</td></tr></table>"
    )


class ModelView(Panel):
    """Two tabs: a parameter table (always) and the treescope tree (drawn when opened).

    Attributes: table (HTML), tree (Output), tabs (Tab).
    """

    def __init__(self, model: nnx.Module):
        super().__init__()
        self.model = model
        self.table = widgets.HTML(value=parameter_table_html(model))
        self.tree = widgets.Output()
        self.tabs = widgets.Tab(children=[self.table, self.tree])
        self.tabs.set_title(0, say("widgets.model.parameters"))
        self.tabs.set_title(1, say("widgets.model.tree"))
        self.tree_drawn = False
        self.tabs.observe(self.guard(self._open_tab), names="selected_index")
        self.arrange(self.tabs)

    def _open_tab(self, change: object = None) -> None:
        if self.tabs.selected_index == 1 and not self.tree_drawn:
            self.tree_drawn = True
            with self.tree:
                if hasattr(nnx, "display"):  # treescope's interactive tree, where flax has it
                    nnx.display(self.model)
                else:
                    display(self.model)

    def fallback_html(self) -> str:
        return self.table.value


def model_view(model: nnx.Module) -> ModelView:
    """The structure of a model: each part's parameter arrays, shapes and counts, plus the
    interactive treescope tree (nnx.display) in a second tab.

    Example: model_view(GPT(GPTConfig.tiny(65), rngs=nnx.Rngs(0)))
    """
    if not isinstance(model, nnx.Module):
        raise TypeError(say("widgets.model.not_nnx", kind=type(model).__name__))
    return ModelView(model)


class ParamCalculator(Panel):
    """Preset menu and five number boxes; the count, its parts and a log-scale comparison.

    Attributes: preset (Dropdown), n_layer, n_embd, n_head, vocab_size, block_size (IntTexts),
    count (the exact parameter count), readout (HTML), figure.
    """

    def __init__(self, preset: str, ours: int | None):
        super().__init__()
        self.preset = widgets.Dropdown(
            options=list(PRESETS), value=preset, description=say("widgets.calc.preset")
        )
        values = PRESETS[preset]
        names = ("n_layer", "n_embd", "n_head", "vocab_size", "block_size")
        self.boxes = [widgets.IntText(value=v, description=n) for n, v in zip(names, values)]
        self.n_layer, self.n_embd, self.n_head, self.vocab_size, self.block_size = self.boxes
        self.readout = widgets.HTML()
        self.count = 0
        self._loading = False
        labels = [say("widgets.calc.this_config"), *REFERENCE]
        labels += [say("widgets.calc.our_model")] if ours else []
        self.reference = [*REFERENCE.values()] + ([ours] if ours else [])
        self.series = say("widgets.model.parameters")  # the bars' name, in the language built in
        self.figure = bars_figure(
            labels,
            {self.series: np.ones(len(labels))},
            ylabel=self.series,
            ylim=None,
            figsize=(5.5, 2.8),
            words=True,
        )
        ax = self.figure.axes[0]
        ax.set_yscale("log")
        ax.set_ylim(1e3, 1e12)
        self.preset.observe(self.guard(self._load_preset), names="value")
        update = self.guard(self.update)
        for box in self.boxes:
            box.observe(update, names="value")
        self.arrange(
            self.preset,
            widgets.HBox([widgets.VBox(self.boxes), self.readout]),
            self.image,
        )
        self.update()

    def _load_preset(self, change: object = None) -> None:
        # Each box change would recount with half-updated shapes (maybe an invalid one, such
        # as n_embd not divisible by n_head): mute the boxes, set all five, count once.
        self._loading = True
        try:
            for box, value in zip(self.boxes, PRESETS[self.preset.value]):
                box.value = value
        finally:
            self._loading = False
        self.update()

    def update(self, change: object = None) -> None:
        """Recount from the boxes and redraw."""
        if self._loading:
            return
        try:
            config = GPTConfig(
                vocab_size=self.vocab_size.value, block_size=self.block_size.value,
                n_layer=self.n_layer.value, n_head=self.n_head.value, n_embd=self.n_embd.value,
            )  # fmt: skip
        except ValueError as exc:
            raise BadInput(str(exc)) from None
        C, L = config.n_embd, config.n_layer
        self.count = param_count_formula(config)
        embeddings = config.vocab_size * C + config.block_size * C
        rule = 12 * L * C * C
        self.readout.value = say(
            "widgets.calc.readout", count=self.count, short=_short(self.count),
            embeddings=embeddings, L=L, C=C, rule=rule, share=rule / self.count,
            fp32=_bytes(self.count * 4), bf16=_bytes(self.count * 2),
        )  # fmt: skip
        update_bars(
            self.figure, {self.series: np.array([self.count, *self.reference], float)},
            title=say("widgets.calc.title", short=_short(self.count)),
        )  # fmt: skip
        self.show_figure()

    def fallback_html(self) -> str:
        return self.readout.value


def _short(n: float) -> str:
    for unit, size in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= size:
            return f"{n / size:.3g}{unit}"
    return str(int(n))


def _bytes(n: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return say("widgets.calc.bytes", n=int(n))


def param_calculator(
    preset: str = "GPT-2 small (124M)", *, model: nnx.Module | None = None
) -> ParamCalculator:
    """Parameter counts for any GPT shape, with presets for GPT-1, GPT-2 and GPT-3.

    Shows the exact count (`llmlab.model.param_count_formula`), the 12·L·C² rule of thumb,
    the memory it needs, and a log-scale comparison with GPT-1/2/3 (and `model`, if given).

    Example: w = param_calculator("GPT-3 (2020, 175B)"); w.count  # ≈ 175 billion
    """
    if preset not in PRESETS:
        raise ValueError(say("widgets.calc.bad_preset", presets=list(PRESETS), value=repr(preset)))
    ours = None
    if model is not None:
        ours = sum(size for _, _, size in parameter_rows(model))
    return ParamCalculator(preset, ours)
