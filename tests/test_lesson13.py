"""Lesson 13 (thinking, tools, retrieval, safety): what its prose says is what its cells printed.

Both editions run the same code, so both must state the numbers the cells printed; a rebuild
that changes a measurement must fail here until the prose is brought up to date.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from saved_notebooks import assert_every_cell_ran, one, read_saved

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = {"en": ROOT / "notebooks" / "13_thinking.ipynb",
            "zh": ROOT / "notebooks" / "zh" / "13_thinking.ipynb"}  # fmt: skip


def _percent(pattern: str, text: str, what: str) -> float:
    return float(one(pattern, text, what)) / 100


@pytest.fixture(scope="module", params=sorted(EDITIONS))
def edition(request):
    return request.param, *read_saved(EDITIONS[request.param])


def test_every_cell_ran_without_an_error(edition):
    lang, _, _, code = edition
    assert_every_cell_ran(lang, code)


def test_the_tiny_model_neither_copies_nor_learns_from_examples_as_the_prose_says(edition):
    _, _, printed, _ = edition
    first = float(one(r"first copy ([\d.]+)", printed, "the copying cell"))
    second = float(one(r"repeated copy ([\d.]+)", printed, "the copying cell"))
    assert second > first - 0.1, f"the prose says the repeat is not easier: {first} -> {second}"
    shots = [float(x) for x in re.findall(r"\d examples: mean ln p\(right answer\) = (-[\d.]+)",
                                          printed)]  # fmt: skip
    assert len(shots) == 4, f"0 to 3 examples, got {shots}"
    assert max(shots[1:]) < shots[0] + 1, f"the prose says examples do not help: {shots}"


def test_the_scratchpad_beats_the_direct_adder_beyond_one_digit(edition):
    lang, prose, printed, _ = edition
    rows = {name: [float(x) / 100 for x in re.findall(r"\d digits +(\d+)%", line)]
            for name, line in re.findall(r"(add_direct|add_scratch): (.*)", printed)}  # fmt: skip
    assert len(rows.get("add_direct", [])) == len(rows.get("add_scratch", [])) == 4, rows
    for d in (2, 3, 4):
        assert rows["add_scratch"][d - 1] > rows["add_direct"][d - 1] + 0.15, (
            f"the prose says the scratchpad wins on {d} digits: {rows}"
        )
    distinct = one(r"(\d+) distinct 1-digit ones", printed, "the accuracy cell")
    assert re.search(rf"\b{distinct}\b", prose), f"{lang}: the prose must say {distinct} sums"


def test_the_tool_is_always_right_when_run_and_never_when_not(edition):
    lang, _, printed, _ = edition
    run = one(r"add_tool: (.*)", printed, "the tool cell")
    unrun = one(r"add_tool, not run: (.*)", printed, "the tool cell")
    assert re.findall(r"(\d+)%", run) == ["100"] * 4, f"with the calculator: {run}"
    assert re.findall(r"(\d+)%", unrun) == ["0"] * 4, f"without the calculator: {unrun}"
    refusal = {"en": "calculator error", "zh": "计算器错误"}[lang]  # the library speaks `lang`
    assert refusal in printed, f"{lang}: the hostile calls must be answered by a sentence"


def test_retrieval_and_rag_figures_are_the_ones_the_prose_states(edition):
    lang, prose, printed, _ = edition
    chars = _percent(r"characters: right poem first for ([\d.]+)%", printed, "retrieval")
    model = _percent(r"tang model: right poem first for ([\d.]+)%", printed, "retrieval")
    assert chars > model + 0.5, f"the prose says characters win by far: {chars} vs {model}"
    for setting in ("no poem", "retrieved poem"):
        logp = one(rf"{setting}: mean ln p\(true first line\) +(-[\d.]+)", printed, setting)
        assert logp in prose, f"{lang}: the prose must give {setting}'s ln p {logp}"
        exact = one(rf"{setting}: .*exactly right (\d+)%", printed, setting)
        assert exact == "0", f"the prose says the greedy answer is never right ({setting})"
    gain = one(r"with the poem: \+([\d.]+) nats", printed, "the RAG cell")
    times = one(r"nats, (\d+) times the probability", printed, "the RAG cell")
    assert gain in prose and times in prose, f"{lang}: the prose must say +{gain}, x{times}"


def test_injection_rates_are_the_ones_the_prose_states(edition):
    lang, prose, printed, _ = edition
    rate, done = {}, {}
    for defence, which, injected, task, refused in re.findall(
        r"^(none|data markers|filter|markers \+ filter) +(seen|held-out) +(\d+)% +(\d+)% +(\d+)%",
        printed, flags=re.MULTILINE):  # fmt: skip
        rate[defence, which], done[defence, which] = (int(injected), int(refused)), int(task)
    assert len(rate) == 8, f"four defences by two phrasings, got {rate}"
    for which in ("seen", "held-out"):
        injected = rate["none", which][0]
        assert re.search(rf"\b{injected} ?%", prose), f"{lang}: prose must state {injected} %"
        assert rate["data markers", which][0] == 0, "the prose says the markers stop them all"
        task = done["data markers", which]
        assert re.search(rf"\b{task} ?%", prose), f"{lang}: prose must state the task done {task} %"
    assert rate["filter", "seen"] == (0, 100), "the filter refuses every phrasing it knows"
    assert rate["filter", "held-out"] == (rate["none", "held-out"][0], 0), (
        "the prose says new phrasings pass the filter and succeed as with no defence"
    )
    clean = re.findall(r"clean accuracy with(?:out)? the data markers: (\d+)%", printed)
    assert len(clean) == 2 and int(clean[1]) >= int(clean[0]), (
        f"the prose says the markers cost no clean accuracy: {clean}"
    )


def test_the_multiple_choice_score_is_at_chance_as_the_prose_says(edition):
    _, _, printed, _ = edition
    got = _percent(r"tang_base on \d+ questions: ([\d.]+)% right", printed, "the MC cell")
    assert abs(got - 0.25) <= 0.1, f"the prose says tang_base is at chance (25%), got {got}"
    assert "<- true" in printed and "<- picked" in printed, "one question's scores are shown"


def test_the_limits_cells_show_the_context_message(edition):
    lang, prose, printed, _ = edition
    window = {"en": r"the model's context holds (\d+)", "zh": r"模型的上下文只能容纳 (\d+) 个"}
    held = one(window[lang], printed, "the context-window cell")
    said = {"en": f"{held} tokens", "zh": f"{held} 个词元"}[lang]
    assert said in prose, f"{lang}: the prose must state the window: {said!r}"
