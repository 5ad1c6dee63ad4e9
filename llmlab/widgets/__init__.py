"""Interactive widgets for the lessons: one function per picture, each returning a widget.

Every widget works without a widget front end too: displayed on GitHub, nbviewer or in an
exported notebook it shows a static picture of its current state. The core library never
imports this package.

    from llmlab.widgets import venn_explorer, temperature_explorer
    venn_explorer()
"""

from llmlab.widgets.attention import attention_heatmap
from llmlab.widgets.device import device_check
from llmlab.widgets.embedding import embedding_map
from llmlab.widgets.generation import generation_playground
from llmlab.widgets.loss import loss_explorer
from llmlab.widgets.model_view import model_view, param_calculator
from llmlab.widgets.next_token import next_token_explorer
from llmlab.widgets.temperature import temperature_explorer
from llmlab.widgets.tokens import merge_stepper, token_viewer
from llmlab.widgets.training import training_dashboard
from llmlab.widgets.venn import venn_explorer

__all__ = [
    "attention_heatmap",
    "device_check",
    "embedding_map",
    "generation_playground",
    "loss_explorer",
    "merge_stepper",
    "model_view",
    "next_token_explorer",
    "param_calculator",
    "temperature_explorer",
    "token_viewer",
    "training_dashboard",
    "venn_explorer",
]
