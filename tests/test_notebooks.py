"""Notebooks match their lessons, carry a working Colab badge, and link only to files that exist."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("lesson_build", ROOT / "lessons" / "build.py")
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)

LESSONS = build.sources(["en", *build.TWINS])
NOTEBOOKS = sorted(ROOT.glob("notebooks/**/*.ipynb")) + sorted(ROOT.glob("exercises/**/*.ipynb"))
# a Markdown link that is neither a web address (scheme:) nor an anchor (#) nor absolute (/)
RELATIVE_LINK = re.compile(r"\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:|[#/])([^)#\s]+)")
COLAB_LINK = re.compile(
    r"https://colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/([^/]+)/([^\s)\"']+)"
)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT / "lessons")))
def test_notebook_matches_its_lesson(lesson):
    assert build.problems(lesson) == []


def test_every_notebook_has_a_lesson_source():
    targets = {build.target_of(p) for p in LESSONS}
    orphans = [p.name for p in ROOT.glob("notebooks/**/*.ipynb") if p not in targets]
    assert orphans == [], f"notebooks without a lesson in lessons/: {orphans}"


def _texts():
    for readme in ("README.md", "README.zh-CN.md"):
        yield ROOT / readme, (ROOT / readme).read_text(encoding="utf-8")
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text())["cells"]
        yield nb, "\n".join("".join(c["source"]) for c in cells)


def test_every_colab_link_points_at_a_file_of_this_repository():
    owner_repo = build.repository_url().removeprefix("https://github.com/")
    seen = 0
    for path, text in _texts():
        for repo, branch, rel in COLAB_LINK.findall(text):
            seen += 1
            assert repo == owner_repo, f"{path.name}: Colab link to {repo}, expected {owner_repo}"
            assert branch == build.BRANCH, f"{path.name}: Colab link to branch {branch}"
            assert (ROOT / rel).is_file(), f"{path.name}: Colab link to missing file {rel}"
    assert seen >= 1, "the README must carry at least one Colab badge"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_opens_with_its_own_badge_and_the_setup_cell(nb):
    cells = json.loads(nb.read_text())["cells"]
    text = "".join(cells[0]["source"]) + "".join(cells[1]["source"]) if len(cells) > 1 else ""
    assert build.colab_url(nb) in text, f"{nb.name}: the first cells must carry its own badge"
    code = next(c for c in cells if c["cell_type"] == "code")
    assert "".join(code["source"]).startswith(build.SETUP_MARKER), (
        f"{nb.name}: the first code cell must be the set-up cell"
    )


def test_relative_links_in_notebooks_point_at_files_that_exist():
    for path, text in _texts():
        for target in RELATIVE_LINK.findall(text):
            assert (path.parent / target).resolve().exists(), f"{path.name}: broken link {target}"


def test_setup_cell_installs_without_upgrading_colabs_packages():
    cell = build.setup_cell()
    assert "--no-deps" in cell and "-U" not in cell and "--upgrade" not in cell
    assert 'if "google.colab" in sys.modules' in cell, "locally the cell must install nothing"


def test_refreshing_a_header_twice_changes_nothing(tmp_path):
    text = "# 99 · Demo\n\nIntro.\n\n```{code-cell} ipython3\nx = 1\n```\n"
    target = ROOT / "notebooks" / "99_demo.ipynb"
    once = build.refresh_header(text, target)
    assert build.refresh_header(once, target) == once
    assert once.count("Open In Colab") == 1 and once.count(build.SETUP_MARKER) == 1


def _prose_and_outputs(stem):
    """(markdown text, code-output text, code source) of notebooks/<stem>.ipynb."""
    cells = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text())["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    outputs = "\n".join(
        "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
        for c in cells
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    )
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return prose, outputs, code


def _one(pattern, text, where):
    found = re.search(pattern, text)
    assert found, f"{where}: expected text matching {pattern!r}, found none"
    return found.group(1)


def test_lesson_00_summary_states_the_compression_ratio_the_cell_printed():
    prose, outputs, _ = _prose_and_outputs("00_welcome")
    printed = _one(r"ratio about (\d+) : 1", outputs, "lesson 00's outputs")
    stated = _one(r"lossy compression, about (\d+) : 1", prose, "lesson 00's summary")
    assert stated == printed, f"the summary says {stated} : 1 but the cell printed {printed} : 1"


def test_lesson_09_states_the_tang_model_size_the_cell_printed():
    prose, outputs, _ = _prose_and_outputs("09_generation")
    printed = int(_one(r"Tang model: ([\d,]+) parameters", outputs, "lesson 09").replace(",", ""))
    stated = float(_one(r"a model of ([\d.]+) million parameters", prose, "lesson 09's prose"))
    assert stated == round(printed / 1e6, 2), f"prose says {stated} M, the cell printed {printed:,}"


def test_lesson_06_says_how_many_characters_lesson_05s_model_read():
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 8: "eight"}
    _, _, code05 = _prose_and_outputs("05_embeddings")
    context = int(_one(r"CONTEXT, C, HIDDEN = (\d+),", code05, "lesson 05's code"))
    prose06, _, _ = _prose_and_outputs("06_attention")
    stated = _one(r"saw a fixed window of (\w+) characters", prose06, "lesson 06's intro")
    assert stated == words[context], f"lesson 06 says {stated}; lesson 05 uses CONTEXT = {context}"


def test_lesson_07_gpt3_file_size_uses_lesson_00s_bytes_per_parameter():
    _, outputs00, _ = _prose_and_outputs("00_welcome")
    per_param = float(_one(r"bytes per parameter: ([\d.]+)", outputs00, "lesson 00's outputs"))
    _, outputs07, _ = _prose_and_outputs("07_transformer")
    n_bytes = round(per_param)
    pattern = rf"GPT-3, {n_bytes} bytes per parameter[^:]*: ([\d,]+) GB"
    gb = int(_one(pattern, outputs07, "lesson 07's outputs").replace(",", ""))
    assert gb == 175 * n_bytes, f"GPT-3 at {n_bytes} bytes per parameter: {gb} GB printed"


def test_lesson_08_states_the_bigram_and_trained_losses_the_cell_printed():
    prose, outputs, _ = _prose_and_outputs("08_pretraining")
    numbers = r"([\d.]+)\s+\(perplexity ([\d.]+)\)"
    printed = re.search(rf"bigram {numbers}, trained GPT {numbers}", outputs)
    stated = re.search(
        rf"the bigram model scores {numbers}\s+and the trained GPT\s+{numbers}", prose
    )
    assert printed, "lesson 08 must print the bigram's and the trained GPT's validation loss"
    assert stated, "lesson 08's prose must state the bigram's and the trained GPT's loss"
    assert stated.groups() == printed.groups(), (
        f"the prose says {stated.groups()} (bigram loss, perplexity, GPT loss, perplexity) "
        f"but the cell printed {printed.groups()}"
    )
    bigram, gpt = float(printed.group(1)), float(printed.group(3))
    assert gpt < bigram, f"the trained GPT ({gpt}) must beat the bigram ({bigram}), as it says"


def test_lesson_08_fit_outran_the_learners_loop_as_the_prose_says():
    prose, outputs, _ = _prose_and_outputs("08_pretraining")
    loop = float(_one(r"your loop: +([\d.]+) steps/s", outputs, "lesson 08's speed cell"))
    fit = float(_one(r"fit: +([\d.]+) steps/s", outputs, "lesson 08's speed cell"))
    claim = re.search(r"`fit` spent less\s+time between steps", prose)
    assert claim, "lesson 08's prose must say that fit spent less time between steps"
    assert fit > loop, f"the prose says fit is faster, but it ran {fit} steps/s, the loop {loop}"
