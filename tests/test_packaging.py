"""The packaging promises: one source of dependencies, corpora inside the package, Colab floors."""

import re
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def _environment_yml() -> dict:
    """A tiny reader for environment.yml's two-level lists (no YAML dependency needed)."""
    conda, pip, section = [], [], None
    for raw in (ROOT / "environment.yml").read_text().splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if re.match(r"^\w", line):
            section = line.split(":")[0]
        elif section == "dependencies" and re.match(r"^  - pip:\s*$", line):
            section = "pip"
        elif section == "dependencies" and line.startswith("  - "):
            conda.append(line[4:].strip())
        elif section == "pip" and line.startswith("      - "):
            pip.append(line[8:].strip().strip('"'))
    return {"conda": conda, "pip": pip}


def test_environment_yml_asks_for_the_python_that_pyproject_requires():
    requires = _pyproject()["project"]["requires-python"]  # ">=3.10"
    pythons = [d for d in _environment_yml()["conda"] if d.startswith("python")]
    assert pythons == [f"python{requires}"], (
        f"environment.yml asks for {pythons}, pyproject.toml requires python {requires}"
    )


def test_environment_yml_installs_the_package_with_every_software_extra():
    extras = set(_pyproject()["project"]["optional-dependencies"])
    hardware = {"cuda12", "cuda13", "tpu"}
    pip = _environment_yml()["pip"]
    assert len(pip) == 1, f"environment.yml must install only the package itself, got {pip}"
    match = re.fullmatch(r"-e \"?\.\[([\w,]+)\]\"?", pip[0].replace('"', ""))
    assert match, f"expected  -e .[extras]  in environment.yml, got {pip[0]!r}"
    asked = set(match.group(1).split(","))
    assert asked <= extras, f"environment.yml names extras pyproject lacks: {asked - extras}"
    assert asked == extras - hardware, (
        f"environment.yml installs extras {sorted(asked)}, "
        f"pyproject has {sorted(extras - hardware)}"
    )


@pytest.mark.parametrize(
    "name, floor",
    [("jax", "0.7.2"), ("flax", "0.11.2"), ("optax", "0.2.8"), ("ipywidgets", "7.7")],
)
def test_dependency_floors_are_what_colab_preinstalls(name, floor):
    deps = _pyproject()["project"]["dependencies"]
    spec = next((d for d in deps if re.match(rf"^{name}\b", d)), None)
    assert spec is not None, f"{name} is not a dependency"
    assert f">={floor}" in spec, f"{name} must have the floor >={floor} (Colab), got {spec!r}"


def test_colab_constraints_pin_what_the_floors_allow():
    pins = dict(
        line.split("==")
        for line in (ROOT / ".ci/colab-constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert pins["jax"] == "0.7.2" and pins["flax"] == "0.11.2" and pins["optax"] == "0.2.8"
    assert pins["ipywidgets"] == "7.7.1"


def test_both_corpora_ship_inside_the_package():
    from importlib import resources

    files = {p.name: p for p in resources.files("llmlab.data").iterdir()}
    assert files["tinyshakespeare.txt"].read_bytes().__len__() == 1_115_394
    assert files["tang_quatrains.tsv"].read_bytes().__len__() == 1_633_794


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci/run").read_text()
    assert "make test" in readme and "make lab" in readme, "README must show the two commands"
    assert re.search(r"^make test$", ci, re.MULTILINE), ".ci/run must run `make test`"
