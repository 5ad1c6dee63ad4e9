"""Training dashboard (lessons 04 and 08): live loss curves, speed, samples, stop and continue.

A button cannot interrupt a busy kernel: while a cell runs, the browser's clicks wait in a
queue. So the dashboard offers two ways to train:

- `dash.run(steps)` trains in the calling cell and blocks until done (what a notebook cell,
  nbval or any headless run should use); the curves still update live.
- The "Train" button starts `dash.start(steps)`: training runs in a background thread, the
  cell is free, and the "Stop" button sets a flag that the next `fit` callback reads, so the
  run stops cleanly after the current few steps. "Train" again continues the same run, with
  its optimizer state, from the step where it stopped.

Every `llmlab.train.fit` record lands in `dash.record(record)`; any loop can call that too
(lesson 04 feeds it its own losses). Earlier runs stay on the plot for comparison.
"""

from __future__ import annotations

import html
import threading
import time
from typing import Any

import ipywidgets as widgets
import jax

from llmlab.widgets.panel import BadInput, Panel
from llmlab.widgets.render.curves import curves_figure, update_curves


class TrainingDashboard(Panel):
    """Curves, a status line, the latest sample, and Train / Stop buttons.

    Attributes: runs (dict name -> list of records), run_name (the current run), step,
    opt_state (to continue), samples (list of (step, text)), steps (IntText: steps per press),
    train_button, stop_button, status (HTML), sample (HTML), thread (the background run).
    """

    def __init__(self, model, train_data, val_data, cfg, *, tokenizer, prompt, sample_every,
                 sample_tokens, name, redraw_every):  # fmt: skip
        super().__init__()
        self.model, self.train_data, self.val_data, self.cfg = model, train_data, val_data, cfg
        self.tokenizer, self.prompt = tokenizer, prompt
        self.sample_every, self.sample_tokens = sample_every, sample_tokens
        self.redraw_every = redraw_every
        self.runs: dict[str, list[dict[str, Any]]] = {name: []}
        self.run_name = name
        self.step, self.opt_state, self.elapsed = 0, None, 0.0
        self.samples: list[tuple[int, str]] = []
        self.thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._last_draw = 0.0
        self.steps = widgets.IntText(value=200, description="steps")
        self.train_button = widgets.Button(description="Train", button_style="success")
        self.stop_button = widgets.Button(description="Stop", button_style="danger")
        self.status = widgets.HTML()
        self.sample = widgets.HTML()
        self.figure = curves_figure(self.runs)
        self.train_button.on_click(self.guard(lambda _: self.start(self.steps.value)))
        self.stop_button.on_click(self.guard(lambda _: self.stop()))
        rows = [self.image, self.status, self.sample]
        if model is not None:
            rows.insert(0, widgets.HBox([self.steps, self.train_button, self.stop_button]))
        self.layout(*rows)
        self._draw(force=True)

    # --- records in -------------------------------------------------------------------------

    def record(self, record: dict[str, Any]) -> bool:
        """Add one record (step, train_loss, optional val_loss, tokens_per_s, elapsed) and
        redraw; returns False once Stop was pressed, so it works as `fit`'s callback."""
        record = dict(record)
        if "step" not in record or "train_loss" not in record:
            raise ValueError(f"a record needs 'step' and 'train_loss', got keys {sorted(record)}")
        self.runs[self.run_name].append(record)
        val = record.get("val_loss")
        self.status.value = (
            f"<b>{self.run_name}</b> · step {record['step']} · train loss "
            f"{record['train_loss']:.4f}"
            + (f" · val loss {val:.4f}" if val is not None else "")
            + (f" · {record['tokens_per_s']:,.0f} tokens/s" if "tokens_per_s" in record else "")
            + (f" · {record['elapsed']:.1f} s" if "elapsed" in record else "")
        )
        self._draw(force=val is not None)
        return not self._stop.is_set()

    def _draw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - self._last_draw >= self.redraw_every:
            update_curves(self.figure, self.runs)
            self.show_figure()
            self._last_draw = now

    # --- training ---------------------------------------------------------------------------

    def run(self, steps: int | None = None) -> Any:
        """Train `steps` more steps (default: up to cfg.max_steps) in this cell; blocking.

        Returns the `History` of this stretch. Call again to continue the same run.
        """
        from llmlab.train import fit

        if self.model is None:
            raise BadInput("This dashboard only plots records: it was made without a model.")
        if self.step >= self.cfg.max_steps:
            raise BadInput(
                f"This run reached cfg.max_steps = {self.cfg.max_steps}; start a new run "
                f"(dash.new_run(...)) with a larger max_steps to train more."
            )
        if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int)
                                  or steps < 1):  # fmt: skip
            raise BadInput(f"steps must be a whole number >= 1, got {steps!r}")
        target = self.cfg.max_steps if steps is None else min(self.step + steps, self.cfg.max_steps)
        self._stop.clear()
        offset = self.elapsed

        def callback(record: dict[str, Any]) -> bool:
            record = {**record, "elapsed": offset + record["elapsed"]}
            self.elapsed = record["elapsed"]
            keep_going = self.record(record)
            if self.sample_every and record["step"] % self.sample_every == 0:
                self._sample(record["step"])
            return keep_going and record["step"] < target

        history = fit(self.model, self.train_data, self.val_data, self.cfg, callback=callback,
                      opt_state=self.opt_state, start_step=self.step)  # fmt: skip
        self.opt_state, self.step = history.opt_state, history.step
        self._draw(force=True)
        stopped = self._stop.is_set()
        self.say(f"{'Stopped' if stopped else 'Paused'} at step {self.step} of "
                 f"{self.cfg.max_steps}: press Train to continue.", kind="info")  # fmt: skip
        return history

    def start(self, steps: int | None = None) -> threading.Thread:
        """Train in a background thread (what the Train button does); returns the thread."""
        if self.thread is not None and self.thread.is_alive():
            raise BadInput("Already training: press Stop first, or wait.")
        if self.model is None:
            raise BadInput("This dashboard only plots records: it was made without a model.")
        guarded = self.guard(self.run)

        def work() -> None:
            try:
                guarded(steps)
            except Exception:
                pass

        self.thread = threading.Thread(target=work, name="llmlab-training", daemon=True)
        self.thread.start()
        return self.thread

    def stop(self) -> None:
        """Ask a background run to stop after its current few steps (the Stop button)."""
        self._stop.set()
        self.say("Stopping after the current steps...", kind="info")

    def wait(self, timeout: float | None = None) -> None:
        """Block until a background run started with `start` has finished."""
        if self.thread is not None:
            self.thread.join(timeout)

    def new_run(self, name: str, model: Any = None, cfg: Any = None) -> None:
        """Start another run on the same plot (earlier runs stay, for comparison)."""
        if name in self.runs:
            raise ValueError(f"a run called {name!r} exists already; pick a new name")
        if self.thread is not None and self.thread.is_alive():
            raise BadInput("Stop the current run before starting a new one.")
        self.model = self.model if model is None else model
        self.cfg = self.cfg if cfg is None else cfg
        self.runs[name], self.run_name = [], name
        self.step, self.opt_state, self.elapsed, self.samples = 0, None, 0.0, []

    def add_run(self, name: str, records: Any) -> None:
        """Put a finished run (a History or a list of records) on the plot for comparison."""
        records = list(getattr(records, "records", records))
        self.runs = {name: [dict(r) for r in records], **self.runs}
        self._draw(force=True)

    def _sample(self, step: int) -> None:
        from llmlab.generate import generate

        if self.tokenizer is None:
            return
        ids = self.tokenizer.encode(self.prompt)
        # use_cache=False: one small compiled step instead of two (prefill and decode), which
        # matters more than speed for a short sample.
        new = generate(self.model, ids, self.sample_tokens, key=jax.random.key(step),
                       temperature=0.8, use_cache=False)  # fmt: skip
        text = self.tokenizer.decode(new)
        self.samples.append((step, text))
        self.sample.value = (
            f"<b>sample at step {step}</b>"
            f'<pre style="white-space:pre-wrap">{html.escape(self.prompt + text)}</pre>'
        )

    def fallback_bundle(self) -> dict[str, str]:
        bundle = super().fallback_bundle()
        bundle["text/html"] = (
            f'<img src="data:image/png;base64,{bundle["image/png"]}"/>'
            f"<div>{self.status.value}</div>{self.sample.value}"
        )
        return bundle


def training_dashboard(
    model: Any = None,
    train_data: Any = None,
    val_data: Any = None,
    cfg: Any = None,
    *,
    tokenizer: Any = None,
    prompt: str = "\n",
    sample_every: int | None = None,
    sample_tokens: int = 100,
    name: str = "run 1",
    redraw_every: float = 0.5,
) -> TrainingDashboard:
    """Live train/val loss, tokens/s, elapsed time and samples, with Train and Stop buttons.

    With a model, data and a `TrainConfig`: `dash.run(steps)` trains in the cell (blocking,
    for notebooks and tests); the Train button trains in the background and Stop stops it;
    either continues the same run. sample_every (default cfg.eval_interval) steps it writes a
    sample from `prompt` (needs tokenizer). Without a model it only plots: pass
    `dash.record` as a callback, or call it with your own records.

    Example: dash = training_dashboard(model, train_ids, val_ids, cfg, tokenizer=tok)
             dash.run(200)
    """
    if model is not None:
        if train_data is None or val_data is None or cfg is None:
            raise ValueError("training_dashboard(model, ...) also needs train_data, val_data, cfg")
        if sample_every is None:
            sample_every = cfg.eval_interval
    if prompt == "" and tokenizer is not None:
        raise ValueError("prompt must not be empty: samples continue from it")
    return TrainingDashboard(model, train_data, val_data, cfg, tokenizer=tokenizer,
                             prompt=prompt, sample_every=sample_every,
                             sample_tokens=sample_tokens, name=name,
                             redraw_every=redraw_every)  # fmt: skip
