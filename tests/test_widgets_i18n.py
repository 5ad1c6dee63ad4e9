"""Widgets built after llmlab.set_language("zh") speak Chinese; English stays the default.

Each test builds a widget in Chinese, drives it (a slider, a button, bad input) and reads
back what a learner sees: control names, status and message lines, readouts, the figure's
title, axis labels and legend.
"""

from __future__ import annotations

import pytest
from flax import nnx

import llmlab
from llmlab.model import GPT, GPTConfig
from llmlab.tokenizer import CharTokenizer
from llmlab.widgets import (
    attention_heatmap,
    device_check,
    embedding_map,
    generation_playground,
    loss_explorer,
    merge_stepper,
    model_view,
    next_token_explorer,
    param_calculator,
    temperature_explorer,
    token_viewer,
    training_dashboard,
    venn_explorer,
)
from llmlab.widgets.render.bars import bar_heights
from llmlab.widgets.render.curves import curves_figure

TEXT = "abcdefghijklmnopqrstuvwxyz .:\n床前明月光"


@pytest.fixture(autouse=True)
def _english_around_each_test():
    llmlab.set_language("en")
    yield
    llmlab.set_language("en")


@pytest.fixture
def zh():
    llmlab.set_language("zh")


@pytest.fixture(scope="module")
def tok():
    return CharTokenizer.from_text(TEXT)


@pytest.fixture(scope="module")
def model(tok):
    config = GPTConfig(tok.vocab_size, block_size=16, n_layer=2, n_head=2, n_embd=16)
    return GPT(config, rngs=nnx.Rngs(0))


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _axis_texts(fig) -> list[str]:
    texts = []
    for ax in fig.axes:
        texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return [t for t in texts if t]


def test_temperature_explorer_in_chinese_names_its_sliders_and_reads_out_in_chinese(zh):
    w = temperature_explorer()
    assert (w.temperature.description, w.num_samples.description) == ("温度", "样本数")
    assert w.seed.description == "随机种子"
    w.temperature.value = 0.5
    assert w.figure.axes[0].get_title().startswith("T = 0.5：熵 "), w.figure.axes[0].get_title()
    assert "可抽到 5 个词元" in w.readout.value and "次抽样：最常见的是" in w.readout.value
    assert set(bar_heights(w.figure)) == {"T = 1", "调整后", "抽样"}
    assert w.figure.axes[0].get_ylabel() == "概率"
    w.seed.value = 2**40
    assert w.message_text.startswith("seed（随机种子）必须是"), w.message_text
    assert w.errors == [], "a bad seed is a message, not a bug report"


def test_a_widget_built_in_english_keeps_todays_labels():
    llmlab.set_language("zh")
    llmlab.set_language("en")
    w = temperature_explorer()
    w.temperature.value = 0.5
    assert w.temperature.description == "temperature" and w.num_samples.description == "samples"
    assert set(bar_heights(w.figure)) == {"T = 1", "after", "samples"}
    assert "nats" in w.figure.axes[0].get_title() and w.figure.axes[0].get_ylabel() == (
        "probability"
    )
    assert not any(_has_han(t) for t in _axis_texts(w.figure))


def test_labels_are_read_when_the_widget_is_built():
    before = temperature_explorer()
    llmlab.set_language("zh")
    after = temperature_explorer()
    assert before.temperature.description == "temperature", "built in English, stays English"
    assert after.temperature.description == "温度"


def test_venn_explorer_in_chinese_names_the_regions_and_refuses_an_empty_diagram(zh):
    w = venn_explorer()
    names = [s.description for s in w.sliders]
    assert names == ["只有网球", "只有足球", "两者都有", "两者都无"]
    assert "事件" in w.table.value and "14 人" in w.table.value
    w.both.value = 4
    assert "4/9" in w.table.value
    for slider in w.sliders:
        slider.value = 0
    assert w.message_text == "四个区域都是 0：至少要在某个区域里放一个人。"
    with pytest.raises(ValueError, match="必须是 0 到 20 之间的整数"):
        venn_explorer(only_a=99)


def test_loss_explorer_in_chinese_reads_out_cross_entropy_and_labels_its_axes(zh):
    w = loss_explorer()
    assert (w.p.description, w.target.description) == ("p(正确)", "正确词元")
    w.p.value = 0.9
    assert "交叉熵" in w.readout.value and "−ln 0.90 = <b>0.105</b> 奈特" in w.readout.value
    texts = _axis_texts(w.figure)
    assert "p = 给正确词元的概率" in texts and {"预测", "目标"} <= set(texts)


def test_next_token_explorer_in_chinese_appends_and_titles_its_bars(zh):
    w = next_token_explorer(text="the cat sat on the mat. " * 4, context="th")
    assert (w.append.description, w.sample.description) == ("接上它", "抽一个")
    w.append.click()
    assert w.context.value == "the", "the most likely letter after 'th' is 'e'"
    title = w.figure.axes[0].get_title()
    assert title.startswith("'the' 之后：") and "占概率质量的" in title, title
    assert list(bar_heights(w.figure)) == ["P(下一个 | 上下文)"]
    w.context.value = ""
    assert w.message_text == "请先输入一些文字：提示词是空的。"


def test_token_viewer_and_merge_stepper_in_chinese(zh):
    bpe = token_viewer("ab").bpe
    w = token_viewer("床前", bpe)
    assert "字符（2）" in w.view.value and "字节（6）" in w.view.value
    assert "平均每个词元" in w.view.value
    w.text.value = ""
    assert w.message_text == "输入一些文字，就能看到它的词元。"
    m = merge_stepper("aaabdaaabac")
    assert (m.previous.description, m.next.description) == ("◀ 上一步", "下一步 ▶")
    m.next.click()
    assert "第 1 次合并：(97, 97) → 256" in m.view.value and "（出现 4 次）" in m.view.value


def test_generation_playground_in_chinese_names_an_unknown_character(model, tok, zh):
    w = generation_playground(model, tok, "ab", length=3)
    assert (w.button.description, w.length.description) == ("生成", "词元数")
    w.prompt.value = "aX"
    w.button.click()
    assert w.message_text.startswith("无法对这段文字做词元化：位置 1 上的字符 'X'"), w.message_text
    w.prompt.value = "a" * 20
    w.button.click()
    assert w.message_text == "提示词有 20 个词元，但模型只能看到 16 个：只用最后 16 个。"
    assert len(w.new_ids) == 3 and w.errors == []


def test_attention_heatmap_in_chinese_titles_the_chosen_head(model, tok, zh):
    w = attention_heatmap(model, tok, "to be")
    assert (w.layer.description, w.head.description) == ("层", "头")
    w.layer.value = 1
    texts = _axis_texts(w.figure)
    assert texts[0].startswith("第 1 层，第 0 个头"), texts
    assert "键 s：被看的词元" in texts and "查询 t：正在看的词元" in texts
    assert w.figure.axes[1].get_ylabel() == "注意力权重", "the colour bar's label"


def test_embedding_map_in_chinese_titles_the_neighbours(model, tok, zh):
    w = embedding_map(model, tok, token="a", k=3)
    w.k.value = 2
    title = w.figure.axes[0].get_title()
    assert title == "a 和它最近的 2 个邻居（余弦相似度）", title
    assert w.figure.axes[0].get_xlabel().startswith("PCA 第 1 方向（占方差的")
    assert "与 'a' 最近的" in w.table.value and "<th>余弦</th>" in w.table.value


def test_training_dashboard_in_chinese_shows_its_status_and_refuses_train_without_a_model(zh):
    dash = training_dashboard()
    assert (dash.train_button.description, dash.stop_button.description) == ("训练", "停止")
    dash.record({"step": 10, "train_loss": 3.25, "val_loss": 3.5, "tokens_per_s": 1234.0})
    assert dash.status.value == "<b>第 1 次</b> · 第 10 步 · 训练损失 3.2500 · 验证损失 3.5000 · " \
        "每秒 1,234 个词元"  # fmt: skip
    legend = _axis_texts(dash.figure)
    assert {"步数", "损失（每个词元的奈特数）", "第 1 次：训练", "第 1 次：验证"} <= set(legend)
    dash.train_button.click()
    assert dash.message_text == "这个面板只能画记录：创建它时没有给模型。"


def test_model_view_parameter_calculator_and_device_check_in_chinese(model, zh):
    view = model_view(model)
    assert view.tabs.get_title(0) == "参数" and "<th>部分</th>" in view.table.value
    calc = param_calculator(model=model)
    calc.n_layer.value = 24
    assert "个参数" in calc.readout.value and "内存：float32 下" in calc.readout.value
    assert calc.figure.axes[0].get_title().startswith("当前配置：")
    assert calc.figure.axes[0].get_xticklabels()[0].get_text() == "当前配置"
    assert "设备" in device_check().data


def test_a_renderer_reads_the_language_when_it_draws():
    english = curves_figure()
    llmlab.set_language("zh")
    chinese = curves_figure()
    assert english.axes[0].get_xlabel() == "step" and chinese.axes[0].get_xlabel() == "步数"
