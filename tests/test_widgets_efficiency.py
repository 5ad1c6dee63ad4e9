"""Lesson 12's widgets, driven: the scaling plot and the speed/quality trade-off explorer."""

from __future__ import annotations

import jax
import numpy as np
import pytest
from flax import nnx

import llmlab
from llmlab.model import GPT, GPTConfig
from llmlab.quantize import quantized_bytes
from llmlab.scaling import fit_power_law
from llmlab.train import TrainConfig, evaluate
from llmlab.widgets.scaling import scaling_plot
from llmlab.widgets.tradeoff import tradeoff_explorer, tradeoff_table

SIZES = [2_536, 8_144, 28_576, 106_304]
LOSSES = [3.186, 3.019, 2.789, 2.496]


@pytest.fixture(autouse=True)
def _english_around_each_test():
    llmlab.set_language("en")
    yield
    llmlab.set_language("en")


def test_scaling_plot_refuses_bad_points_with_the_library_sentence():
    with pytest.raises(ValueError, match=r"at least 2 .*points, got 1"):
        scaling_plot([10], [1.0])
    with pytest.raises(ValueError, match="same length"):
        scaling_plot([10, 100, 1000], [1.0, 2.0])
    with pytest.raises(ValueError, match="positive"):
        scaling_plot([10, 100], [1.0, -2.0])
    with pytest.raises(ValueError, match="got 3 sizes and 2 losses"):
        scaling_plot([10, 100], [1.0, 2.0], names=["a", "b", "c"])


def test_scaling_plot_refits_on_fewer_sizes_and_reports_the_held_out_ones():
    w = scaling_plot(SIZES, LOSSES, names=["C8", "C16", "C32", "C64"])
    assert (w.a, w.b) == pytest.approx(fit_power_law(SIZES, LOSSES)[:2]), "all 4 sizes at first"
    assert w.held_out == [], "nothing is held out while every size is fitted"
    png = w.image.value
    w.fit_on.value = 2
    assert (w.a, w.b) == pytest.approx(fit_power_law(SIZES[:2], LOSSES[:2])[:2]), (
        "fit_on = 2 must fit the two smallest sizes only"
    )
    assert [name for name, _, _ in w.held_out] == ["C32", "C64"], "the two biggest held out"
    _, predicted, measured = w.held_out[-1]
    assert predicted == pytest.approx(w.a * SIZES[-1] ** (-w.b)), "prediction from the new fit"
    assert measured == LOSSES[-1], "the held-out size keeps its measured loss"
    assert "C64" in w.readout.value and f"{measured:.3f}" in w.readout.value, (
        "the readout must compare the held-out prediction with the measurement"
    )
    assert w.image.value != png, "the picture must be redrawn when the fit changes"


def test_moving_predict_at_moves_the_prediction_along_the_line():
    w = scaling_plot(SIZES, LOSSES)
    w.predict_at.value = 7.0
    assert w.predicted == pytest.approx(w.a * 1e7 ** (-w.b)), "prediction at N = 10^7"
    star = next(line for line in w.figure.axes[0].lines if line.get_gid() == "prediction")
    assert star.get_xdata()[0] == pytest.approx(1e7), "the star must sit at the chosen size"
    assert f"{w.predicted:.3f}" in w.readout.value, "the readout states the predicted loss"


def test_scaling_plot_speaks_chinese_when_built_in_chinese():
    llmlab.set_language("zh")
    w = scaling_plot(SIZES, LOSSES)
    assert w.fit_on.description == "拟合用", "control names come from the catalogue"
    assert "预测的损失" in w.readout.value, f"Chinese readout expected, got {w.readout.value}"
    assert w.figure.axes[0].get_xlabel() == "参数量 N"


@pytest.fixture(scope="module")
def tiny():
    model = GPT(GPTConfig(8, block_size=8, n_layer=1, n_head=2, n_embd=16), rngs=nnx.Rngs(0))
    data = np.asarray(jax.random.randint(jax.random.key(1), (400,), 0, 8))
    cfg = TrainConfig(batch_size=4, block_size=8, eval_iters=3)
    return model, data, cfg


@pytest.fixture(scope="module")
def table(tiny):
    model, data, cfg = tiny
    return tradeoff_table(model, data, cfg, jax.random.key(0), sparsities=(0.0, 0.5))


def test_tradeoff_table_measures_every_format_and_sparsity_on_the_same_windows(tiny, table):
    model, data, cfg = tiny
    assert {(r["bits"], r["sparsity"]) for r in table} == {
        (b, s) for b in (None, 8, 4) for s in (0.0, 0.5)
    }, "one row per weight format and sparsity"
    base = next(r for r in table if r["bits"] is None and r["sparsity"] == 0)
    assert base["loss"] == pytest.approx(evaluate(model, data, cfg, jax.random.key(0))), (
        "the float32 dense row is the model's own validation loss on the same key"
    )
    for row in table:
        assert row["bytes"] == quantized_bytes(model, row["bits"]), "bytes of the dense format"
    int8 = next(r for r in table if r["bits"] == 8 and r["sparsity"] == 0)
    assert abs(int8["loss"] - base["loss"]) < 0.01, "int8 barely changes a small model's loss"
    pruned = next(r for r in table if r["bits"] is None and r["sparsity"] == 0.5)
    assert pruned["loss"] != base["loss"], "pruning half the weights must change the loss"


def test_tradeoff_explorer_looks_up_the_row_the_controls_choose(table):
    w = tradeoff_explorer(table)
    base = w.row
    assert base["bits"] is None and base["sparsity"] == 0, "float32, dense at first"
    png = w.image.value
    w.bits.value = "int4"
    w.sparsity.value = 0.5
    want = next(r for r in table if r["bits"] == 4 and r["sparsity"] == 0.5)
    assert w.row == want, "the chosen format and sparsity pick their row of the table"
    assert w.change == pytest.approx(want["loss"] - base["loss"]), "change against float32"
    assert w.ratio == pytest.approx(want["bytes"] / base["bytes"]), "size against float32"
    assert "int4" in w.readout.value and f"{want['loss']:.3f}" in w.readout.value
    circle = next(line for line in w.figure.axes[0].lines if line.get_gid() == "chosen")
    assert (circle.get_xdata()[0], circle.get_ydata()[0]) == (0.5, want["loss"]), (
        "the circle must move to the chosen point"
    )
    assert w.image.value != png, "the picture must be redrawn"
    assert "image/png" in w.fallback_bundle(), "a static picture for front ends without widgets"


def test_tradeoff_explorer_refuses_a_table_without_the_float32_baseline(table):
    with pytest.raises(ValueError, match="float32"):
        tradeoff_explorer([r for r in table if r["bits"] is not None])
    with pytest.raises(ValueError, match="bits, sparsity, loss and bytes"):
        tradeoff_explorer([{"bits": None, "sparsity": 0.0}])


def test_tradeoff_explorer_speaks_chinese_when_built_in_chinese(table):
    llmlab.set_language("zh")
    w = tradeoff_explorer(table)
    assert w.sparsity.description == "稀疏度", "control names come from the catalogue"
    assert "验证集损失" in w.readout.value, f"Chinese readout expected, got {w.readout.value}"
