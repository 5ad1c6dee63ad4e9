"""Lesson 10 (fine-tuning): each figure its prose states, in both editions, is one it printed."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = {"en": ROOT / "notebooks" / "10_finetuning.ipynb",
            "zh": ROOT / "notebooks" / "zh" / "10_finetuning.ipynb"}  # fmt: skip


def _prose_and_outputs(language):
    cells = json.loads(EDITIONS[language].read_text(encoding="utf-8"))["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    outputs = "\n".join(
        "".join(o.get("text", "")) for c in cells if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    )  # fmt: skip
    # a sentence may wrap: English lines join with a space, Chinese ones with nothing
    prose = re.sub(r"\s*\n\s*", " " if language == "en" else "", prose)
    return prose, outputs


def _one(pattern, text, where):
    found = re.search(pattern, text)
    assert found, f"{where}: expected text matching {pattern!r}, found none"
    return found.groups()


PROSE = {  # what each edition's prose says, as patterns with the figures as groups
    "en": {
        "form": r"`tang_chat` answered (\d+)% of them in the requested form, `tang_base` (\d+)%",
        "sft": r"from ([\d.]+) to ([\d.]+) on the held-out answers",
        "lora": r"LoRA trains ([\d.]+)% of the weights",
        "forget": r"from ([\d.]+) to ([\d.]+) after 20 full steps and ([\d.]+) after 20 LoRA",
        "few": r"request layout: (\d+) of (\d+); poem layout: (\d+) of \d+; `tang_chat`: (\d+)",
    },
    "zh": {
        "form": r"`tang_chat` 有 (\d+)% 按请求的格式作答，`tang_base` 是 (\d+)%",
        "sft": r"从 ([\d.]+) 降到 ([\d.]+)",
        "lora": r"LoRA 只训练 ([\d.]+)% 的权重",
        "forget": r"从 ([\d.]+) 升到全参数微调 20 步后的 ([\d.]+) 和 LoRA 20 步后的 ([\d.]+)",
        "few": r"请求排法 (\d+)/(\d+)，诗的排法 (\d+)/\d+，`tang_chat` (\d+)/",
    },
}


def _printed(outputs):
    chat = _one(r"tang_chat in the requested form: (\d+)%", outputs, "form-rate cell")[0]
    base = _one(r"tang_base in the requested form: (\d+)%", outputs, "form-rate cell")[0]
    before, after = _one(r"held-out masked loss: ([\d.]+) before, ([\d.]+) after", outputs, "SFT")
    lora = _one(r"LoRA r=8\s+([\d.]+)%", outputs, "LoRA table")[0]
    poems = {name: _one(rf"{re.escape(name)}\s+poem validation loss ([\d.]+)", outputs,
                        "forgetting cell")[0] for name in
             ("tang_base", "full, 20 steps", "LoRA, 20 steps")}  # fmt: skip
    few = {name: _one(rf"{name}\s+(\d+)/(\d+) a line", outputs, "few-shot cell")
           for name in ("request layout", "poem layout", "tang_chat")}  # fmt: skip
    return {
        "form": (chat, base),
        "sft": (before, after),
        "lora": (lora,),
        "forget": (poems["tang_base"], poems["full, 20 steps"], poems["LoRA, 20 steps"]),
        "few": (*few["request layout"], few["poem layout"][0], few["tang_chat"][0]),
    }


@pytest.mark.parametrize("language", EDITIONS)
@pytest.mark.parametrize("figure", ["form", "sft", "lora", "forget", "few"])
def test_lesson_10_prose_states_the_figures_its_cells_printed(language, figure):
    prose, outputs = _prose_and_outputs(language)
    stated = _one(PROSE[language][figure], prose, f"lesson 10 ({language}) prose, {figure}")
    printed = _printed(outputs)[figure]
    assert stated == printed, (
        f"lesson 10 ({language}) says {stated} for {figure!r} but its cells printed {printed}"
    )


def test_lesson_10_lora_leaves_every_base_layer_unchanged_and_merging_keeps_the_logits():
    _, outputs = _prose_and_outputs("en")
    same, total = _one(r"identical to tang_base's after LoRA: (\d+) of (\d+)", outputs, "LoRA")
    assert same == total, f"LoRA training changed {int(total) - int(same)} frozen base layers"
    assert "same logits as base + adapters: True" in outputs, "merging must keep the logits"


def test_lesson_10_short_sft_run_lowers_the_loss_at_every_record():
    _, outputs = _prose_and_outputs("en")
    losses = [float(x) for x in re.findall(r"step +\d+ +train loss ([\d.]+)", outputs)]
    assert len(losses) >= 3, f"expected the short run's loss records, found {losses}"
    assert all(b < a for a, b in itertools.pairwise(losses)), f"SFT loss must fall: {losses}"
