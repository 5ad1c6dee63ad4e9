"""The Chinese edition: every lesson and exercise has a twin that runs the English code cells.

A twin (lessons/zh/NN.md, exercises/src/zh/NN.md) holds the Chinese prose; its code cells are
empty placeholders the builds fill from the English source. These tests fail when a lesson or
exercise lands without its twin, when a built twin's code differs from the English notebook's,
or when a twin's prose is not Chinese.
"""

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lessons = _load(ROOT / "lessons" / "build.py", "lesson_build")
exercises = _load(ROOT / "exercises" / "build.py", "exercise_build")
ENGLISH_LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.md"))
ENGLISH_EXERCISES = sorted((ROOT / "exercises" / "src").glob("[0-9][0-9]_*.md"))
HAN = re.compile(r"[\u4e00-\u9fff]")


def _pairs():
    """(English notebook, Chinese notebook) for every lesson, exercise and solution."""
    for lesson in ENGLISH_LESSONS:
        yield (
            ROOT / "notebooks" / f"{lesson.stem}.ipynb",
            ROOT / "notebooks/zh" / (f"{lesson.stem}.ipynb"),
        )
    for source in ENGLISH_EXERCISES:
        for sub in ("", "solutions/"):
            name = f"{sub}{source.stem}.ipynb"
            yield ROOT / "exercises" / name, ROOT / "exercises/zh" / name


PAIRS = list(_pairs())


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _code(path: Path) -> list[str]:
    code = ["".join(c["source"]) for c in _cells(path) if c["cell_type"] == "code"]
    return [c for c in code if not c.startswith(lessons.SETUP_MARKER)]


@pytest.mark.parametrize("lesson", ENGLISH_LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_a_chinese_twin(lesson):
    twin = ROOT / "lessons" / "zh" / lesson.name
    assert twin.exists(), f"{lesson.name} has no Chinese twin: write lessons/zh/{lesson.name}"


@pytest.mark.parametrize("source", ENGLISH_EXERCISES, ids=lambda p: p.stem)
def test_every_exercise_has_a_chinese_twin(source):
    twin = ROOT / "exercises" / "src" / "zh" / source.name
    assert twin.exists(), f"{source.name} has no Chinese twin: write exercises/src/zh/{source.name}"


def test_no_twin_without_an_english_original():
    for folder, english in (("lessons", "lessons"), ("exercises/src", "exercises/src")):
        for twin in (ROOT / folder / "zh").glob("*.md"):
            assert (ROOT / english / twin.name).exists(), f"{twin} has no English original"


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: str(p[1].relative_to(ROOT)))
def test_a_twin_runs_exactly_the_english_code(pair):
    english, chinese = pair
    assert chinese.exists(), f"{chinese.relative_to(ROOT)} is missing: build it"
    assert _code(chinese) == _code(english), f"{chinese.name}: code cells differ from English"


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: str(p[1].relative_to(ROOT)))
def test_a_twin_switches_the_library_to_chinese_first(pair):
    _, chinese = pair
    code = next(c for c in _cells(chinese) if c["cell_type"] == "code")
    assert 'llmlab.set_language("zh")' in "".join(code["source"]), "the set-up cell sets zh"


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: str(p[1].relative_to(ROOT)))
def test_a_twins_prose_is_chinese(pair):
    _, chinese = pair
    prose = ["".join(c["source"]) for c in _cells(chinese) if c["cell_type"] == "markdown"]
    english = [text for text in prose if len(text) > 40 and not HAN.search(text)]
    assert not english, f"{chinese.name}: markdown cells without Chinese: {english[:2]}"


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: str(p[1].relative_to(ROOT)))
def test_a_twin_links_to_chinese_lessons(pair):
    _, chinese = pair
    text = "".join("".join(c["source"]) for c in _cells(chinese))
    for link in re.findall(r"\]\((\.\.?/[^)#\s]*notebooks/[^)#\s]+\.ipynb)", text):
        target = (chinese.parent / link).resolve()
        assert target.parent == ROOT / "notebooks" / "zh", f"{chinese.name}: {link} is not zh"
        assert target.exists(), f"{chinese.name}: broken link {link}"


ENGLISH = """# 99 · Demo

Intro.

```{code-cell} ipython3
x = 1
```

More.

```{code-cell} ipython3
print(x)
```
"""


PLACEHOLDER = "```{code-cell} ipython3\n```"


def test_filling_a_twin_copies_the_english_code_into_its_placeholders():
    twin = f"# 99 · 演示\n\n引言。\n\n{PLACEHOLDER}\n\n更多。\n\n{PLACEHOLDER}\n"
    nb = lessons.fill_twin(twin, ENGLISH, "zh/99_demo.md")
    assert [c.source for c in nb.cells] == ["# 99 · 演示\n\n引言。", "x = 1", "更多。", "print(x)"]


def test_a_twin_whose_cells_do_not_line_up_is_refused_with_where():
    twin = f"# 99 · 演示\n\n引言。\n\n{PLACEHOLDER}\n"
    with pytest.raises(ValueError, match="twin has 2 cells and the English lesson 4"):
        lessons.fill_twin(twin, ENGLISH, "zh/99_demo.md")


def test_a_twin_may_not_carry_its_own_code():
    code = "```{code-cell} ipython3\nx = 2\n```"
    twin = f"# 99 · 演示\n\n引言。\n\n{code}\n\n更多。\n\n{PLACEHOLDER}\n"
    with pytest.raises(ValueError, match="code cell 1 must be empty"):
        lessons.fill_twin(twin, ENGLISH, "zh/99_demo.md")
