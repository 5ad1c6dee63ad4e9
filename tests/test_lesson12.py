"""Lesson 12 (efficiency and scale): what its prose says is what its saved cells printed.

Both editions run the same code, so both must state the numbers the cells printed; a rebuild
that changes a measurement must fail here until the prose is brought up to date.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from saved_notebooks import assert_every_cell_ran, one, read_saved

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = {"en": ROOT / "notebooks" / "12_efficiency.ipynb",
            "zh": ROOT / "notebooks" / "zh" / "12_efficiency.ipynb"}  # fmt: skip


@pytest.fixture(scope="module", params=sorted(EDITIONS))
def edition(request):
    return request.param, *read_saved(EDITIONS[request.param])


def test_every_cell_ran_without_an_error(edition):
    lang, _, _, code = edition
    assert_every_cell_ran(lang, code)


def test_the_token_budget_and_the_shipped_models_loss_are_the_printed_ones(edition):
    lang, prose, printed, _ = edition
    budget = one(r"tokens seen by every model: ([\d,]+)", printed, "the sweep cell")
    assert budget in prose, f"{lang}: the prose must state the budget the sweep printed, {budget}"
    loss = float(one(r"float32 .*validation loss ([\d.]+)", printed, "the quantisation table"))
    assert f"{loss:.3f}" in prose, f"{lang}: the prose must give the shipped loss {loss:.3f}"
    line = float(one(r"predicted loss at N = [\d,]+: ([\d.]+)", printed, "the fit cell"))
    assert line > loss + 0.1, f"the prose says {loss} is far below the line's {line}"


def test_emergence_picture_is_flat_then_jumps_as_the_prose_says(edition):
    _, _, printed, _ = edition
    accuracy = [float(p) for p in re.findall(r"characters right ([\d.]+)%", printed)]
    assert len(accuracy) == 5, f"four sweep models and the shipped one, got {accuracy}"
    assert accuracy == sorted(accuracy), f"per-character accuracy must rise steadily: {accuracy}"
    five = [(p / 100) ** 5 for p in accuracy]
    assert five[-1] > 5 * five[-2], f"p^5 must jump at the last model: {five}"


def test_quantisation_ratios_and_texts_are_the_ones_the_prose_states(edition):
    lang, prose, printed, _ = edition
    size = {name: int(one(rf"{name} +([\d,]+) bytes", printed, name).replace(",", ""))
            for name in ("float32", "int8", "int4")}  # fmt: skip
    assert f"{size['float32'] / size['int8']:.1f}" == "3.6" and "3.6" in prose, (
        f"{lang}: int8 is {size['float32'] / size['int8']:.2f} times smaller; prose says 3.6"
    )
    assert size["float32"] / size["int4"] > 6, "the prose says int4 is more than 6 times smaller"
    texts = re.findall(r"--- (float32|int8|int4) ---\n(.*?)\n\n", printed, flags=re.DOTALL)
    texts = dict(texts)
    assert texts["int8"] == texts["float32"], "the prose says int8 writes exactly float32's text"
    assert texts["int4"] != texts["float32"], "the prose says int4 takes another turn"


def test_pruning_a_quarter_is_nearly_free_and_past_half_the_loss_climbs(edition):
    _, _, printed, _ = edition
    change = {
        int(s): float(c)
        for s, c in re.findall(
            r"sparsity +(\d+)%: validation loss [\d.]+ \(([+-][\d.]+)\)", printed
        )
    }
    assert change[25] < 0.01, f"a quarter pruned costs {change[25]}: not 'almost free'"
    assert change[75] > 5 * change[50] > 0, f"past half the loss must climb fast: {change}"


def test_the_soft_target_student_is_ahead_at_every_measurement(edition):
    _, _, printed, _ = edition
    rows = re.findall(r"step +\d+: hard labels ([\d.]+) +soft targets ([\d.]+)", printed)
    assert len(rows) == 6, f"a measurement every 25 of 150 steps, got {len(rows)}"
    behind = [(h, s) for h, s in rows if float(s) >= float(h)]
    assert not behind, f"the prose says soft targets lead at every step; not at {behind}"


def test_speculative_decoding_figures_match_the_prose(edition):
    lang, prose, printed, _ = edition
    assert "identical greedy text for all 54 tokens: True" in printed
    per_token = one(r"target passes per token ([\d.]+)", printed, "the speculative cell")
    assert per_token in prose, f"{lang}: the prose must state {per_token} target passes/token"
    speed_up = float(one(r"speed-up x([\d.]+)", printed, "the timing cell"))
    assert speed_up < 1, f"the prose says speculative decoding was slower, measured x{speed_up}"
    formula = float(one(r"γ = 4: ([\d.]+) tokens per round", printed, "the formula cell"))
    measured = float(one(r"rounds = ([\d.]+) tokens per round", printed, "the formula cell"))
    assert 1 <= formula <= 5 and 1 <= measured <= 5, "a round yields 1 to γ + 1 tokens"


def test_batching_and_data_parallel_show_what_the_prose_says(edition):
    _, _, printed, _ = edition
    assert "each row equals its prompt generated alone" in printed
    static = int(one(r"static batches: (\d+) steps", printed, "the batching cell"))
    continuous = int(one(r"continuous: +(\d+) steps", printed, "the batching cell"))
    assert continuous < static, "continuous batching must need fewer steps, as the prose says"
    held = re.findall(r"holds windows (\d+)\.\.(\d+) of the batch of 8", printed)
    assert [(int(a), int(b)) for a, b in held] == [(0, 1), (2, 3), (4, 5), (6, 7)], (
        f"four devices, two of the eight windows each, as the prose says; got {held}"
    )
    diff = float(one(r"1-device gradients: ([\d.e+-]+)", printed, "the data-parallel cell"))
    assert diff < 1e-5, f"4-device gradients must equal 1-device ones up to rounding, got {diff}"


def test_the_lesson_links_to_its_exercise_notebook_in_its_own_language(edition):
    lang, prose, _, _ = edition
    link = {"en": "(../exercises/12_efficiency.ipynb)",
            "zh": "(../../exercises/zh/12_efficiency.ipynb)"}[lang]  # fmt: skip
    assert link in prose, f"{lang}: the lesson must end with a link to {link}"


def test_every_idea_built_by_hand_is_checked_against_the_library(edition):
    lang, _, printed, code = edition
    for check in ("the same fit as llmlab.scaling.fit_power_law",
                  "the same tokens as llmlab.batching.generate_batch",
                  "the same step counts as llmlab.batching.static_batching and "
                  "continuous_batching"):  # fmt: skip
        assert check in printed, f"{lang}: the lesson must print {check!r} after its check"
    source = "\n".join("".join(c["source"]) for c in code[1:])  # the set-up cell aside
    assert "simulate_data_parallel(4)" in source, "the 4-device demo is llmlab.parallel's"
    assert "subprocess" not in source, f"{lang}: no hand-rolled subprocess in the lesson's code"
