"""Lesson 11 (preferences): the claims its prose makes, checked on the library and the notebook.

- the saved DPO runs show what the prose says: P(上海) rises against P(北京) for every β, and
  the smallest β drifts furthest from the reference;
- with the city pairs in every batch, ln P(上海) ends above where it started and ln P(北京)
  below, step by step in the saved outputs;
- every number the prose states about the DPO runs, the reward model and the arena is one that
  a cell printed in the saved notebook, in both languages.
"""

import json
import re
from pathlib import Path

import jax
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [ROOT / "notebooks" / "11_preferences.ipynb",
             ROOT / "notebooks" / "zh" / "11_preferences.ipynb"]  # fmt: skip


def run_lines(path: Path) -> dict[float, dict[str, float]]:
    """The DPO cell's printed summary, one line per β: {β: {"shanghai", "beijing", "drift"}}."""
    text = "\n".join(cells(path, "output"))
    pattern = (r"β = *([\d.]+): ln P\(上海\) +(-?[\d.]+) -> +(-?[\d.]+), "
               r"ln P\(北京\) +(-?[\d.]+) -> +(-?[\d.]+), drift ([\d.]+)")  # fmt: skip
    runs = {}
    for m in re.finditer(pattern, text):
        beta, *numbers = map(float, m.groups())
        runs[beta] = dict(zip(("sh0", "sh1", "bj0", "bj1", "drift"), numbers))
    return runs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=["en", "zh"])
def test_the_saved_dpo_runs_show_what_the_prose_claims(path):
    runs = run_lines(path)
    assert sorted(runs) == [0.01, 0.1, 1.0], f"{path.name}: one summary line per β, got {runs}"
    for beta, r in runs.items():
        assert r["sh1"] - r["bj1"] > r["sh0"] - r["bj0"], (
            f"β = {beta}: DPO must raise ln P(上海) relative to ln P(北京): {r}"
        )
    assert runs[1.0]["bj1"] < runs[1.0]["bj0"], "with β = 1, ln P(北京) must fall"
    assert runs[0.01]["drift"] > runs[1.0]["drift"], (
        "the smallest β must drift furthest from the reference, as section 6 says"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=["en", "zh"])
def test_with_the_city_pairs_in_every_batch_shanghai_rises_and_beijing_falls(path):
    text = "\n".join(cells(path, "output"))
    rows = {}
    for name in ("step", "ln P(上海)", "ln P(北京)"):
        found = re.findall(rf"^{re.escape(name)}: *((?: +-?[\d.]+)+) *$", text, re.M)
        assert len(found) == 1, f"{path.name}: one row '{name}:' in the voted run, got {found}"
        rows[name] = [float(v) for v in found[0].split()]
    steps, shanghai, beijing = rows["step"], rows["ln P(上海)"], rows["ln P(北京)"]
    assert len(steps) == len(shanghai) == len(beijing) >= 5, (
        f"{path.name}: the voted run must be measured step by step, got steps {steps}"
    )
    assert shanghai[-1] > shanghai[0], (
        f"{path.name}: ln P(上海) must end above its start, went {shanghai[0]} -> {shanghai[-1]}"
    )
    assert beijing[-1] < beijing[0], (
        f"{path.name}: ln P(北京) must end below its start, went {beijing[0]} -> {beijing[-1]}"
    )
    summary = re.search(r"city pairs in every batch, β = 1\.0: ln P\(上海\) (-?[\d.]+) -> "
                        r"(-?[\d.]+), ln P\(北京\) (-?[\d.]+) -> (-?[\d.]+)", text)  # fmt: skip
    assert summary, f"{path.name}: the voted run's summary line is missing"
    ends = [shanghai[0], shanghai[-1], beijing[0], beijing[-1]]
    assert [float(v) for v in summary.groups()] == ends, "the summary and the table disagree"


def cells(path: Path, kind: str) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    if kind == "markdown":
        return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    texts = []
    for c in nb["cells"]:
        for out in c.get("outputs", []):
            texts.append("".join(out.get("text", "")))
            texts.append("".join(out.get("data", {}).get("text/plain", "")))
    return texts


@pytest.mark.parametrize("path", NOTEBOOKS, ids=["en", "zh"])
def test_every_measured_number_the_prose_states_is_in_the_saved_outputs(path):
    assert path.exists(), f"build the notebook first: python lessons/build.py 11 ({path.name})"
    outputs = "\n".join(cells(path, "output"))
    prose = "\n".join(cells(path, "markdown"))
    # measured numbers: signed decimals (ln P, drift) and percentages
    stated = re.findall(r"(?<![\w.])(−?-?\d+\.\d+|\d+ ?%)", prose)
    measured = [s for s in stated if s.replace("−", "-").replace(" ", "") not in
                {"0.001", "0.1", "0.01", "1.0", "2.5", "95%", "100%", "0%", "10%"}]  # fmt: skip
    assert measured, "the prose states the DPO results; none were found"
    for number in measured:
        plain = number.replace("−", "-").replace(" ", "")
        assert plain in outputs, f"{path.name}: the prose says {number}, no output shows it"


def test_the_lesson_and_its_twin_point_to_exercise_11_and_the_fixed_setup():
    english = (ROOT / "lessons" / "11_preferences.md").read_text(encoding="utf-8")
    chinese = (ROOT / "lessons" / "zh" / "11_preferences.md").read_text(encoding="utf-8")
    assert "(../exercises/11_preferences.ipynb)" in english
    assert "(../../exercises/zh/11_preferences.ipynb)" in chinese
    for key in ("jax.random.key(0)", "jax.random.key(1)", "nnx.Rngs(0)"):
        assert key in english, f"the lesson's randomness must come from fixed keys: {key}"


def test_a_tiny_beta_barely_moves_the_loss_even_when_the_log_ratio_moves():
    """β scales the log-ratio: a 10-nat gap counts as 0.1 with β = 0.01, as the lesson says."""
    from llmlab.dpo import dpo_loss

    loss = float(dpo_loss(np.array([10.0]), np.array([0.0]), np.zeros(1), np.zeros(1), 0.01))
    assert loss == pytest.approx(-np.log(jax.nn.sigmoid(0.1)), rel=1e-5)
    assert loss > 0.64, "still close to ln 2 ≈ 0.693: the loss is far from satisfied"
