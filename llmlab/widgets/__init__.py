"""Interactive widgets for the lessons: one function per picture, each returning a widget.

Every widget works without a widget front end too: displayed on GitHub, nbviewer or in an
exported notebook it shows a static picture of its current state. The core library never
imports this package.

    from llmlab.widgets import venn_explorer, temperature_explorer
    venn_explorer()
"""

from llmlab.widgets.temperature import temperature_explorer
from llmlab.widgets.venn import venn_explorer

__all__ = ["temperature_explorer", "venn_explorer"]
