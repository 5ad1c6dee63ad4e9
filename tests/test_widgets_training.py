"""Training dashboard driven headlessly: records in, curves out; a blocking run; a background
run stopped by the Stop button and continued by the Train button."""

from __future__ import annotations

import numpy as np
import pytest
from flax import nnx

from llmlab.model import GPT, GPTConfig
from llmlab.tokenizer import CharTokenizer
from llmlab.train import TrainConfig
from llmlab.widgets.render.curves import curve_data, curves_figure, line_list, update_curves
from llmlab.widgets.training import training_dashboard

TEXT = "to be or not to be that is the question " * 40


def test_curves_figure_draws_train_and_validation_per_run():
    runs = {
        "a": [{"step": 10, "train_loss": 3.0, "val_loss": None},
              {"step": 20, "train_loss": 2.0, "val_loss": 2.5}],
        "b": [{"step": 10, "train_loss": 4.0}],
    }  # fmt: skip
    data = curve_data(curves_figure(runs))
    assert data["a/train_loss"][1].tolist() == [3.0, 2.0]
    assert data["a/val_loss"][0].tolist() == [20.0], "val points only where measured"
    assert data["b/train_loss"][0].tolist() == [10.0] and data["b/val_loss"][0].size == 0


def test_dashboard_without_a_model_plots_records_it_is_given():
    dash = training_dashboard()
    for step, loss in [(1, 4.0), (2, 3.5), (3, 3.1)]:
        assert dash.record({"step": step, "train_loss": loss}) is True
    dash._draw(force=True)
    assert curve_data(dash.figure)["run 1/train_loss"][1].tolist() == [4.0, 3.5, 3.1]
    assert "step 3" in dash.status.value and "3.1000" in dash.status.value
    dash.train_button.click()
    assert "only plots records" in dash.message_text, "no model: a message, not a traceback"
    with pytest.raises(ValueError, match="'step' and 'train_loss'"):
        dash.record({"loss": 1.0})


def test_add_run_puts_an_earlier_run_on_the_same_plot():
    dash = training_dashboard(name="new")
    dash.add_run("old", [{"step": 5, "train_loss": 2.0, "val_loss": 2.2}])
    dash.record({"step": 5, "train_loss": 1.5})
    dash._draw(force=True)
    data = curve_data(dash.figure)
    assert data["old/val_loss"][1].tolist() == [2.2] and data["new/train_loss"][1].tolist() == [1.5]
    assert bytes(dash.image.value).startswith(b"\x89PNG"), "the picture was redrawn"


@pytest.fixture(scope="module")
def setup():
    tok = CharTokenizer.from_text(TEXT)
    ids = np.array(tok.encode(TEXT), np.int32)
    config = GPTConfig(tok.vocab_size, block_size=16, n_layer=1, n_head=2, n_embd=16)
    cfg = TrainConfig(batch_size=4, block_size=16, max_steps=60, warmup_steps=5,
                      eval_interval=20, eval_iters=2, log_interval=10)  # fmt: skip
    return tok, ids, config, cfg


@pytest.mark.slow
def test_run_trains_live_then_stop_and_train_buttons_pause_and_continue(setup):
    tok, ids, config, cfg = setup
    model = GPT(config, rngs=nnx.Rngs(0))
    dash = training_dashboard(model, ids[:1400], ids[1400:], cfg, tokenizer=tok, prompt="to ",
                              sample_tokens=5)  # fmt: skip
    new = dash.run(20)  # blocking, as a notebook cell or nbval runs it
    assert [r["step"] for r in new] == [10, 20] and dash.step == 20
    assert new[-1]["val_loss"] is not None and new[-1]["tokens_per_s"] > 0
    assert dash.samples and dash.samples[0][0] == 20 and len(dash.samples[0][1]) == 5
    assert curve_data(dash.figure)["run 1/train_loss"][0].tolist() == [10.0, 20.0]
    assert "Paused at step 20" in dash.message_text
    # Train button: the kernel stays free; Stop pauses after the current steps
    dash.steps.value = 30
    dash.train_button.click()
    dash.train_button.click()  # pressed again while training: a message, no second run
    assert "Already training" in dash.message_text
    dash.stop_button.click()
    assert dash.wait(120), "Stop must pause the run"
    assert 20 < dash.step < 50, "Stop must pause before the 30 steps are done"
    assert "Stopped at step" in dash.message_text
    # Train again: the same fit call wakes up (no recompilation) and runs to max_steps
    assert dash.run() and dash.step == 60
    steps = [r["step"] for r in dash.runs["run 1"]]
    assert steps == list(range(10, 70, 10)), "one run, continued, no step twice"
    elapsed = [r["elapsed"] for r in dash.runs["run 1"]]
    assert elapsed == sorted(elapsed), "elapsed time keeps counting across pauses"
    assert dash.opt_state is not None and "Finished" in dash.message_text
    dash.train_button.click()
    assert "reached cfg.max_steps" in dash.message_text
    assert dash.errors == []


@pytest.mark.slow
def test_new_run_ends_a_paused_run_and_keeps_its_curve(setup):
    _, ids, config, cfg = setup
    dash = training_dashboard(GPT(config, rngs=nnx.Rngs(0)), ids[:1400], ids[1400:], cfg)
    dash.run(10)
    dash.new_run("run 2", model=GPT(config, rngs=nnx.Rngs(1)))
    assert not dash.thread.is_alive(), "the paused fit call of run 1 has returned"
    dash.run(10)
    data = curve_data(dash.figure)
    assert data["run 1/train_loss"][0].tolist() == [10.0] == data["run 2/train_loss"][0].tolist()
    dash.finish()
    assert not dash.thread.is_alive() and dash.opt_state is not None, "finish ends run 2 too"


def test_a_run_added_in_front_gets_its_own_colour_and_the_first_run_keeps_its_own():
    records = [{"step": 10, "train_loss": 3.0, "val_loss": 3.1}]
    fig = curves_figure({"lr 1e-3": records})
    first = {line.get_gid(): line.get_color() for line in line_list(fig)}
    update_curves(fig, {"lr 1e-4": records, "lr 1e-3": records})  # what add_run does
    colour = {line.get_gid(): line.get_color() for line in line_list(fig)}
    assert colour["lr 1e-3/train_loss"] == first["lr 1e-3/train_loss"], "a run keeps its colour"
    assert colour["lr 1e-4/train_loss"] != colour["lr 1e-3/train_loss"], (
        "two runs on one plot must not share a colour"
    )


@pytest.mark.slow
def test_a_diverging_run_says_why_it_stopped_instead_of_finished(setup):
    import dataclasses

    from llmlab.train import TrainingStopped

    _, ids, config, cfg = setup
    dash = training_dashboard(GPT(config, rngs=nnx.Rngs(0)), ids[:1400], ids[1400:],
                              dataclasses.replace(cfg, lr=1e9))  # fmt: skip
    with pytest.warns(TrainingStopped):
        dash.run()
    assert "loss became nan" in dash.message_text and "lower learning rate" in dash.message_text
    assert "Finished" not in dash.message_text and dash.errors == []


@pytest.mark.slow
def test_a_failed_sample_pauses_the_run_and_train_continues_with_the_same_adam_state(setup):
    tok, ids, config, cfg = setup
    reference = training_dashboard(GPT(config, rngs=nnx.Rngs(0)), ids[:1400], ids[1400:], cfg)
    reference.run()
    dash = training_dashboard(GPT(config, rngs=nnx.Rngs(0)), ids[:1400], ids[1400:], cfg,
                              tokenizer=tok, prompt="to ", sample_tokens=3)  # fmt: skip
    real, calls = dash._sample, []

    def fails_once(step):
        calls.append(step)
        if len(calls) == 1:
            raise RuntimeError("the sampler broke")
        return real(step)

    dash._sample = fails_once
    with pytest.raises(RuntimeError, match="the sampler broke"):
        dash.run()
    assert dash.step == 20 and "please report it" in dash.error.value, "shown, then paused"
    dash.run()
    losses = [r["train_loss"] for r in dash.runs["run 1"]]
    assert losses == [r["train_loss"] for r in reference.runs["run 1"]], (
        "continuing after the failed sample must keep the optimiser state: same losses"
    )


@pytest.mark.slow
def test_a_sample_prompt_the_tokenizer_cannot_encode_is_said_and_training_goes_on(setup):
    tok, ids, config, cfg = setup
    model = GPT(config, rngs=nnx.Rngs(0))
    with pytest.raises(ValueError, match="sample prompt 'Ω' cannot be encoded"):
        training_dashboard(model, ids[:1400], ids[1400:], cfg, tokenizer=tok, prompt="Ω")
    dash = training_dashboard(model, ids[:1400], ids[1400:], cfg, tokenizer=tok, prompt="to ")
    dash.prompt = "Ω"  # changed after the dashboard was made
    dash.run(20)
    assert dash.step == 20 and dash.errors == [] and dash.samples == []
    assert "no sample at step 20" in dash.sample.value and "Ω" in dash.sample.value


@pytest.mark.slow
def test_a_run_that_fails_inside_fit_says_its_optimiser_state_is_lost(setup):
    _, ids, config, cfg = setup
    dash = training_dashboard(GPT(config, rngs=nnx.Rngs(0)), ids[:1400], ids[1400:], cfg)

    def broken_record(record):
        raise RuntimeError("the plot broke")

    dash.record = broken_record
    with pytest.raises(RuntimeError, match="the plot broke"):
        dash.run(20)
    assert "fresh Adam state" in dash.message_text, "the learner is told before pressing Train"
