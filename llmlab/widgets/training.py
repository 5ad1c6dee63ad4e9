"""Training dashboard (lessons 04 and 08): live loss curves, speed, samples, stop and continue.

A button cannot interrupt a busy kernel: while a cell runs, the browser's clicks wait in a
queue. So training never runs in the cell itself: one `llmlab.train.fit` call runs in a
worker thread, and the cell (or the button) only tells it how far to go.

- The "Train" button (`dash.start(steps)`) returns at once; the kernel stays free, so the
  "Stop" button is heard: it sets a flag that fit's callback reads after the current few
  steps. The worker then waits inside the callback; "Train" wakes it and the same fit call
  goes on: same optimizer state, same learning-rate schedule, nothing recompiled.
- `dash.run(steps)` does the same and waits until those steps are done: what a notebook
  cell, nbval or a script uses. The curves still update live while it waits.

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

from llmlab.i18n import say
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
        self.failure: BaseException | None = None
        self._stop, self._resume, self._parked = (threading.Event() for _ in range(3))
        self._target, self._paused_for, self._closing = 0, 0.0, False
        self._last_draw = 0.0
        self.steps = widgets.IntText(value=200, description=say("widgets.training.steps"))
        self.train_button = widgets.Button(
            description=say("widgets.training.train"), button_style="success"
        )
        self.stop_button = widgets.Button(
            description=say("widgets.training.stop"), button_style="danger"
        )
        self.status = widgets.HTML()
        self.sample = widgets.HTML()
        self.figure = curves_figure(self.runs)
        self.train_button.on_click(self.guard(lambda _: self.start(self.steps.value)))
        self.stop_button.on_click(self.guard(lambda _: self.stop()))
        rows = [self.image, self.status, self.sample]
        if model is not None:
            rows.insert(0, widgets.HBox([self.steps, self.train_button, self.stop_button]))
        self.arrange(*rows)
        self._draw(force=True)

    # --- records in -------------------------------------------------------------------------

    def record(self, record: dict[str, Any]) -> bool:
        """Add one record (step, train_loss, optional val_loss, tokens_per_s, elapsed) and
        redraw. Returns False once Stop was pressed, so it also works as `fit`'s callback
        for a fit call of your own."""
        record = dict(record)
        if "step" not in record or "train_loss" not in record:
            raise ValueError(say("widgets.training.bad_record", keys=sorted(record)))
        self.runs[self.run_name].append(record)
        val = record.get("val_loss")
        parts = [say("widgets.training.status", run=self.run_name, step=record["step"],
                     loss=record["train_loss"])]  # fmt: skip
        if val is not None:
            parts.append(say("widgets.training.status_val", loss=val))
        if "tokens_per_s" in record:
            parts.append(say("widgets.training.status_speed", speed=record["tokens_per_s"]))
        if "elapsed" in record:
            parts.append(say("widgets.training.status_time", seconds=record["elapsed"]))
        self.status.value = "".join(parts)
        self._draw(force=val is not None)
        return not self._stop.is_set()

    def _draw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - self._last_draw >= self.redraw_every:
            update_curves(self.figure, self.runs)
            self.show_figure()
            self._last_draw = now

    # --- training ---------------------------------------------------------------------------
    #
    # One `fit` call serves the whole run, in a worker thread. When the run reaches the step
    # asked for (or Stop is pressed), the worker parks inside fit's callback until "Train"
    # asks for more. Continuing therefore costs nothing: no new fit call, no recompilation,
    # the optimizer state and the learning-rate schedule go on exactly where they were.

    def start(self, steps: int | None = None) -> threading.Thread:
        """Train `steps` more steps (default: to cfg.max_steps) in the background; returns at
        once with the worker thread. This is what the Train button does."""
        if self.model is None:
            raise BadInput(say("widgets.training.no_model"))
        if self.thread is not None and self.thread.is_alive() and not self._parked.is_set():
            raise BadInput(say("widgets.training.busy"))
        if self.step >= self.cfg.max_steps:
            raise BadInput(say("widgets.training.at_max", max_steps=self.cfg.max_steps))
        if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int)
                                  or steps < 1):  # fmt: skip
            raise BadInput(say("widgets.training.bad_steps", value=repr(steps)))
        self._target = self.cfg.max_steps if steps is None else self.step + steps
        self._stop.clear()
        self._parked.clear()
        self.failure = None
        if self.thread is not None and self.thread.is_alive():
            self._resume.set()  # wake the parked worker: same fit call, nothing recompiles
        else:
            self.thread = threading.Thread(target=self._work, name="llmlab-training", daemon=True)
            self.thread.start()
        return self.thread

    def run(self, steps: int | None = None) -> list[dict[str, Any]]:
        """Train `steps` more steps (default: to cfg.max_steps) and wait: blocking, for
        notebook cells, nbval and scripts. The curves still update live. Returns the new
        records. Interrupting the kernel stops the run cleanly (it can be continued)."""
        before = len(self.runs[self.run_name])
        self.start(steps)
        try:
            self.wait()
        except KeyboardInterrupt:
            self.stop()
            self.wait()
            raise
        if self.failure is not None:
            raise self.failure
        self.refresh_fallback()
        return self.runs[self.run_name][before:]

    def stop(self) -> None:
        """Pause the run after its current few steps (the Stop button); Train continues it."""
        self._stop.set()
        if self.thread is not None and self.thread.is_alive() and not self._parked.is_set():
            self.say(say("widgets.training.stopping"), kind="info")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker is paused or finished; False if the timeout came first."""
        if self.thread is None:
            return True
        return self._parked.wait(timeout)

    def _work(self) -> None:
        from llmlab.train import fit

        offset = self.elapsed

        def callback(record: dict[str, Any]) -> bool:
            record = {**record, "elapsed": offset + record["elapsed"] - self._paused_for}
            self.elapsed, self.step = record["elapsed"], record["step"]
            self.record(record)
            if self.sample_every and record["step"] % self.sample_every == 0:
                try:
                    self.guard(self._sample)(record["step"])
                except Exception as exc:  # shown by the guard; pause, keeping fit's state
                    self.failure = exc
                    return self._park()
            if self.step >= self.cfg.max_steps:
                return True  # fit ends by itself
            if self._stop.is_set() or self.step >= self._target:
                return self._park()
            return True

        try:
            history = self.guard(fit)(
                self.model, self.train_data, self.val_data, self.cfg, callback=callback,
                opt_state=self.opt_state, start_step=self.step,
            )  # fmt: skip
            self.opt_state, self.step = history.opt_state, history.step
            self._draw(force=True)
            if history.stopped is not None:  # diverged (NaN loss) or interrupted: say why
                self.say(history.stopped)
            elif not self._closing:
                self.say(
                    say("widgets.training.finished", step=self.step, max_steps=self.cfg.max_steps),
                    kind="info",
                )
        except Exception as exc:  # the guard has already shown the traceback in the widget
            self.failure = exc
            self.say(say("widgets.training.failed", step=self.step))
        finally:
            self._parked.set()

    def _park(self) -> bool:
        """Inside fit's callback: wait for Train (True: go on) or for the run's end (False)."""
        self._draw(force=True)
        key = "widgets.training.stopped" if self._stop.is_set() else "widgets.training.paused"
        self.say(say(key, step=self.step, max_steps=self.cfg.max_steps), kind="info")
        tick = time.perf_counter()
        self._parked.set()
        self._resume.wait()
        self._resume.clear()
        self._paused_for += time.perf_counter() - tick
        return not self._closing

    def finish(self) -> None:
        """End the run's fit call if it is paused (it can no longer continue); new_run does this.

        Call it when you are done with a run, so that no paused worker thread stays behind.
        """
        if self.thread is not None and self.thread.is_alive():
            self._stop.set()  # a running worker parks after its current steps...
            self._parked.wait()
            self._closing = True  # ...and a parked one lets fit return
            self._resume.set()
            self.thread.join()
        self._closing = False
        self._paused_for = 0.0

    def new_run(self, name: str, model: Any = None, cfg: Any = None) -> None:
        """Start another run on the same plot (earlier runs stay, for comparison)."""
        if name in self.runs:
            raise ValueError(say("widgets.training.run_exists", name=repr(name)))
        if self.thread is not None and self.thread.is_alive() and not self._parked.is_set():
            raise BadInput(say("widgets.training.stop_first"))
        self.finish()
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
        try:
            ids = self.tokenizer.encode(self.prompt)
        except (ValueError, KeyError) as exc:  # a prompt set later: say so where samples go
            reason = html.escape(str(exc))
            self.sample.value = say("widgets.training.no_sample", step=step, reason=reason)
            return
        # use_cache=False: one small compiled step instead of two (prefill and decode), which
        # matters more than speed for a short sample.
        new = generate(self.model, ids, self.sample_tokens, key=jax.random.key(step),
                       temperature=0.8, use_cache=False)  # fmt: skip
        text = self.tokenizer.decode(new)
        self.samples.append((step, text))
        self.sample.value = (
            say("widgets.training.sample", step=step)
            + f'<pre style="white-space:pre-wrap">{html.escape(self.prompt + text)}</pre>'
        )

    def fallback_html(self) -> str:
        return f"<div>{self.status.value}</div>{self.sample.value}"


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
    name: str | None = None,
    redraw_every: float = 0.5,
) -> TrainingDashboard:
    """Live train/val loss, tokens/s, elapsed time and samples, with Train and Stop buttons.

    With a model, data and a `TrainConfig`: `dash.run(steps)` trains in the cell (blocking,
    for notebooks and tests); the Train button trains in the background and Stop stops it;
    either continues the same run. sample_every (default cfg.eval_interval) steps it writes a
    sample from `prompt` (needs tokenizer). Without a model it only plots: pass
    `dash.record` as a callback, or call it with your own records. name: the first run's
    name in the legend (None: "run 1" in the learner's language).

    Example: dash = training_dashboard(model, train_ids, val_ids, cfg, tokenizer=tok)
             dash.run(200)
    """
    if model is not None:
        if train_data is None or val_data is None or cfg is None:
            raise ValueError(say("widgets.training.needs_data"))
        if sample_every is None:
            sample_every = cfg.eval_interval
    if prompt == "" and tokenizer is not None:
        raise ValueError(say("widgets.training.empty_prompt"))
    if tokenizer is not None:
        try:
            tokenizer.encode(prompt)
        except (ValueError, KeyError) as exc:
            raise ValueError(
                say("widgets.training.bad_prompt", prompt=repr(prompt), reason=exc)
            ) from None
    name = say("widgets.training.first_run") if name is None else name
    return TrainingDashboard(model, train_data, val_data, cfg, tokenizer=tokenizer,
                             prompt=prompt, sample_every=sample_every,
                             sample_tokens=sample_tokens, name=name,
                             redraw_every=redraw_every)  # fmt: skip
