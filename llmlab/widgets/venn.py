"""Venn explorer (lesson 01): move people between regions, watch P(A), P(A|B)... change."""

from __future__ import annotations

from fractions import Fraction

import ipywidgets as widgets

from llmlab.i18n import say
from llmlab.probability import VennProbabilities, venn
from llmlab.widgets.panel import BadInput, Panel
from llmlab.widgets.render.venn import update_venn, venn_figure


def _fraction_cell(value: Fraction | None, num: int, den: int) -> str:
    if value is None:
        undefined = say("widgets.venn.undefined", den=den)
        return f"<td>{num}/{den}</td><td colspan=2><i>{undefined}</i></td>"
    reduced = f" = {value.numerator}/{value.denominator}" if value.denominator != den else ""
    return f"<td>{num}/{den}{reduced}</td><td>{float(value):.3f}</td>"


def probability_table_html(p: VennProbabilities, names: tuple[str, str]) -> str:
    """The five probabilities as an HTML table: counts, reduced fraction, decimal."""
    a, b = names
    n_a, n_b = p.only_a + p.both, p.only_b + p.both
    rows = [
        (f"P(A) = P({a})", _fraction_cell(p.p_a, n_a, p.total)),
        (f"P(B) = P({b})", _fraction_cell(p.p_b, n_b, p.total)),
        ("P(A∩B)", _fraction_cell(p.p_a_and_b, p.both, p.total)),
        ("P(A∣B) = P(A∩B) / P(B)", _fraction_cell(p.p_a_given_b, p.both, n_b)),
        ("P(B∣A) = P(A∩B) / P(A)", _fraction_cell(p.p_b_given_a, p.both, n_a)),
    ]
    body = "".join(f"<tr><td>{name}</td>{cells}</tr>" for name, cells in rows)
    return (
        f"<table><tr><th>{say('widgets.venn.total')}</th>"
        f"<td colspan=2>{say('widgets.venn.people', n=p.total)}</td></tr>"
        f"<tr><th>{say('widgets.venn.event')}</th><th>{say('widgets.venn.fraction')}</th>"
        f"<th>{say('widgets.venn.decimal')}</th></tr>{body}</table>"
    )


class VennExplorer(Panel):
    """Sliders for the four regions; the diagram and the probability table follow them.

    Attributes: only_a, only_b, both, neither (IntSliders); table (HTML); probabilities
    (the current `VennProbabilities`); figure.
    """

    def __init__(self, counts: tuple[int, int, int, int], names: tuple[str, str], maximum: int):
        super().__init__()
        self.names = names
        labels = (
            say("widgets.venn.only", name=names[0]),
            say("widgets.venn.only", name=names[1]),
            say("widgets.venn.both"),
            say("widgets.venn.neither"),
        )
        self.only_a, self.only_b, self.both, self.neither = (
            widgets.IntSlider(value=v, min=0, max=maximum, description=label)
            for v, label in zip(counts, labels)
        )
        self.table = widgets.HTML()
        self.probabilities: VennProbabilities = venn(*counts)
        self.figure = venn_figure(*counts, names=names)
        self.dpi = 70
        self._update = self.guard(self._redraw)
        for slider in self.sliders:
            slider.observe(self._update, names="value")
        self.arrange(
            widgets.HBox([widgets.VBox(list(self.sliders)), self.table]),
            self.image,
        )
        self._redraw()

    @property
    def sliders(self) -> tuple[widgets.IntSlider, ...]:
        return (self.only_a, self.only_b, self.both, self.neither)

    def _redraw(self, change: object = None) -> None:
        counts = tuple(s.value for s in self.sliders)
        if sum(counts) == 0:
            raise BadInput(say("widgets.venn.all_zero"))
        self.probabilities = venn(*counts)
        self.table.value = probability_table_html(self.probabilities, self.names)
        update_venn(self.figure, *counts)
        self.show_figure()

    def fallback_html(self) -> str:
        return self.table.value


def venn_explorer(
    only_a: int = 4,
    only_b: int = 5,
    both: int = 3,
    neither: int = 2,
    *,
    names: tuple[str, str] | None = None,
    maximum: int = 20,
) -> VennExplorer:
    """Sliders for the four regions of a Venn diagram and the probabilities they give.

    Starts on the course's example: 14 people, 7 like tennis (A), 8 football (B), 3 both,
    2 neither, so P(A∣B) = 3/8. names None: ("tennis", "football") in the learner's language.

    Example: w = venn_explorer(); w.both.value = 4  # P(A∣B) becomes 4/9
    """
    for name, value in zip(
        ("only_a", "only_b", "both", "neither"), (only_a, only_b, both, neither)
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
            raise ValueError(
                say("widgets.venn.bad_count", name=name, maximum=maximum, value=repr(value))
            )
    if names is None:
        names = (say("widgets.venn.tennis"), say("widgets.venn.football"))
    return VennExplorer((only_a, only_b, both, neither), tuple(names), maximum)
