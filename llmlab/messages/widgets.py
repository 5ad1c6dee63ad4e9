"""What the widgets show: labels, buttons, slider names, status lines, axis labels, titles.

Used by llmlab.widgets and llmlab.widgets.render. Keys are "widgets.<widget>.<what>"; the
labels of a widget are read when it is built, a renderer's axis labels when it draws.
Symbols (T, top-k, top-p, P(A∣B), −ln p) stay as they are in both languages.
"""

MESSAGES = {}
