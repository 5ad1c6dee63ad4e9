"""Interactive widgets for the lessons: one function per picture, each returning a widget.

Every widget works without a widget front end too: displayed on GitHub, nbviewer or in an
exported notebook it shows a static picture of its current state. The core library never
imports this package.

    from llmlab.widgets import venn_explorer, temperature_explorer
    venn_explorer()
"""

from llmlab.widgets.loss import loss_explorer
from llmlab.widgets.next_token import next_token_explorer
from llmlab.widgets.temperature import temperature_explorer
from llmlab.widgets.tokens import merge_stepper, token_viewer
from llmlab.widgets.venn import venn_explorer

__all__ = [
    "loss_explorer",
    "merge_stepper",
    "next_token_explorer",
    "temperature_explorer",
    "token_viewer",
    "venn_explorer",
]
