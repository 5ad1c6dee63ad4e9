"""`Panel`: the box every llmlab widget is built on — controls, a picture, a message line.

A Panel does three things the bare ipywidgets do not:

1. **Bad input is one line, not a traceback.** A callback raises `BadInput("...")`; the panel
   shows that sentence in its message line and keeps working.
2. **Bugs are never hidden.** ipywidgets swallows exceptions raised in callbacks into the
   kernel log. A Panel catches any other exception, prints the full traceback into its own
   error area (part of the widget, so the learner sees it), records it in `panel.errors`, and
   re-raises it: when the change came from code (`slider.value = 3` in a cell, or a test) the
   cell fails as it should; when it came from the browser, the traceback is still on screen.
3. **A picture without a front end.** When displayed, a Panel sends the usual widget view plus
   a PNG (or HTML) of its current state, so GitHub, nbviewer and exported notebooks, which
   cannot run widgets, show the figure as it was.

Pictures are drawn once with matplotlib (`matplotlib.figure.Figure`, not pyplot, so nothing is
shown twice or leaked), updated in place, and sent to the browser as PNG bytes in an
`ipywidgets.Image`: this works with ipywidgets 7 and 8, needs no ipympl, and tests can read
the bytes back.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import traceback
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import PIL.Image
from IPython.display import display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from llmlab.i18n import say

_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


class BadInput(ValueError):
    """Input the learner can fix (empty text, an unknown character...): shown as one line."""


def check_seed(value: Any) -> int:
    """A seed box's value as an int that `jax.random.key` and int32 accept, else BadInput."""
    low, high = -(2**31), 2**31 - 1
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadInput(
            say("widgets.seed_range", low=f"{low:,}", high=f"{high:,}", value=repr(value))
        )
    return value


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    """The figure as PNG bytes (what the widget shows and the static fallback stores).

    Draws once on an Agg canvas and encodes with light compression: about twice as fast as
    `savefig`, which matters at every slider step. A constrained layout is computed on the
    first draw and then frozen, so the axes stop moving (and the layout stops costing time).
    """
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    if fig.get_dpi() != dpi:
        fig.set_dpi(dpi)
    fig.canvas.draw()
    if fig.get_layout_engine() is not None:
        fig.set_layout_engine("none")
    width, height = fig.canvas.get_width_height()
    image = PIL.Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba())
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class Panel(widgets.VBox):
    """A VBox with a message line, an error area, safe callbacks and a static fallback.

    Subclasses put their controls and view in `children` via `arrange(...)`, wrap callbacks with
    `self.guard`, and keep `self.figure` (a Figure) or `self.html` (an HTML widget) current.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.message = widgets.HTML(value="")
        self.error = widgets.HTML(value="")
        self.errors: list[BaseException] = []
        self.figure: Figure | None = None
        self.image = widgets.Image(format="png")
        self.dpi = 80
        self._display_handles: list[Any] = []  # where this widget was displayed

    def arrange(self, *rows: widgets.Widget) -> None:
        """Set the children: the given rows, then the message line and the error area."""
        self.children = (*rows, self.message, self.error)

    # --- messages -------------------------------------------------------------------------

    def say(self, text: str, kind: str = "warning") -> None:
        """Show one line under the widget; kind is "warning" (orange) or "info" (grey)."""
        colour = {"warning": "#b35900", "info": "#555"}.get(kind, "#555")
        first_line = str(text).strip().splitlines()[0] if str(text).strip() else ""
        self.message.value = (
            f'<span style="color:{colour}">{html.escape(first_line)}</span>' if first_line else ""
        )

    @property
    def message_text(self) -> str:
        """The message line as plain text ('' when there is none)."""
        value = self.message.value
        if not value:
            return ""
        return html.unescape(value.split(">", 1)[1].rsplit("<", 1)[0])

    def guard(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a callback: BadInput -> message line; other errors -> traceback shown, re-raised."""

        @functools.wraps(callback)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.say("")
            try:
                return callback(*args, **kwargs)
            except BadInput as exc:
                self.say(str(exc))
                return None
            except Exception as exc:
                self.errors.append(exc)
                text = html.escape(traceback.format_exc())
                self.error.value = (
                    '<pre style="color:#b00020;white-space:pre-wrap;font-size:11px">'
                    f"{html.escape(say('widgets.bug'))}\n{text}</pre>"
                )
                raise

        return guarded

    # --- pictures -------------------------------------------------------------------------

    def show_figure(self) -> None:
        """Send the current state of `self.figure` to the Image widget as PNG bytes."""
        if self.figure is not None:
            self.image.value = figure_png(self.figure, self.dpi)

    def fallback_html(self) -> str:
        """HTML to show beside the picture in the static fallback (readouts, tables); '' none."""
        return ""

    def fallback_bundle(self) -> dict[str, str]:
        """Static outputs for front ends without widgets: a PNG of the figure (if there is
        one) and, when the widget has readouts, an HTML page with the picture and them."""
        bundle, extra = {}, self.fallback_html()
        if self.figure is not None:
            png = self.image.value or figure_png(self.figure, self.dpi)
            bundle["image/png"] = base64.b64encode(png).decode("ascii")
            if extra:
                extra = f'<img src="data:image/png;base64,{bundle["image/png"]}"/>{extra}'
        if extra:
            bundle["text/html"] = extra
        return bundle

    def refresh_fallback(self) -> None:
        """Replace the static picture saved where this widget was displayed with the current one.

        A widget displayed before a long computation (the training dashboard before `run`)
        would otherwise leave its starting state, empty axes, in a saved notebook.
        """
        for handle in self._display_handles:
            handle.update(self._repr_mimebundle_(), raw=True)

    # --- display: the widget view plus the static fallback ----------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        base = getattr(super(), "_repr_mimebundle_", None)
        if callable(base):  # ipywidgets 8
            data = dict(base(**kwargs) or {})
        else:  # ipywidgets 7 builds the same bundle inside _ipython_display_
            data = {"text/plain": type(self).__name__}
            if self._view_name is not None and self.comm is not None:
                data[_VIEW_MIME] = {
                    "version_major": 2,
                    "version_minor": 0,
                    "model_id": self.model_id,
                }
        data.update(self.fallback_bundle())
        return data

    def _ipython_display_(self, **kwargs: Any) -> None:
        # a display id lets refresh_fallback() replace the saved picture after a long run
        handle = display(self._repr_mimebundle_(), raw=True, display_id=True)
        if handle is not None:
            self._display_handles.append(handle)
        handle_displayed = getattr(self, "_handle_displayed", None)  # ipywidgets 7 only
        if handle_displayed is not None:
            handle_displayed(**kwargs)
