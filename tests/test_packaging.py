"""The packaging promises: one source of dependencies, corpora inside the package, Colab floors."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

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
    requires = _pyproject()["project"]["requires-python"]  # ">=3.11"
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


# --- the Python version: what the dependency floors need, said the same way everywhere --------


def _floors() -> dict[str, Version]:
    """Each dependency with a floor in pyproject.toml: {"flax": Version("0.11.2"), ...}."""
    floors = {}
    for line in _pyproject()["project"]["dependencies"]:
        req = Requirement(line)
        lows = [Version(s.version) for s in req.specifier if s.operator == ">="]
        if lows:
            floors[req.name] = max(lows)
    return floors


def _lowest_python(spec: str) -> Version:
    """The oldest 3.x release a Requires-Python accepts: ">=3.11" -> 3.11."""
    ok = [
        Version(f"3.{minor}")
        for minor in range(6, 40)
        if Version(f"3.{minor}") in SpecifierSet(spec)
    ]
    assert ok, f"no Python 3 release satisfies {spec!r}"
    return ok[0]


def _floor_pythons() -> dict[str, Version]:
    """The oldest Python each dependency's floor accepts, read from its installed metadata.

    Only a dependency installed at exactly its floor says anything about the floor (the Colab
    environment pins jax, flax and optax there); newer releases may need a newer Python.
    """
    found = {}
    for name, floor in _floors().items():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if Version(dist.version) == floor and dist.metadata.get("Requires-Python"):
            found[name] = _lowest_python(dist.metadata["Requires-Python"])
    return found


def _requires_python() -> Version:
    return _lowest_python(_pyproject()["project"]["requires-python"])


def test_requires_python_admits_no_python_that_a_dependency_floor_refuses():
    ours, needs = _requires_python(), _floor_pythons()
    assert needs, "no dependency is installed at its floor here: nothing to compare with"
    refused = {name: str(v) for name, v in needs.items() if v > ours}
    assert not refused, (
        f"pyproject.toml says Python >={ours}, but these floors need a newer one: {refused}; "
        f"on Python {ours} pip would stop with a resolver error instead of a sentence"
    )


def test_requires_python_is_no_stricter_than_the_floors_need():
    ours, needs = _requires_python(), _floor_pythons()
    if not {"jax", "flax"} & set(needs):
        pytest.skip(
            f"only {sorted(needs)} are at their floors here; jax and flax decide the Python "
            "version, and the Colab environment pins both to their floors"
        )
    strictest = max(needs.values())
    assert strictest == ours, (
        f"the floors installed here ({sorted(needs)}) need Python >={strictest}, "
        f"pyproject.toml says >={ours}: make them agree"
    )


def test_readme_states_the_python_version_that_pyproject_requires():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ours = _requires_python()
    stated = re.findall(r"Python (3\.\d+) or newer", readme)
    assert stated == [str(ours)], (
        f'the README must say "Python {ours} or newer" once (pyproject.toml requires '
        f">={ours}), it says {[f'Python {s} or newer' for s in stated]}"
    )


def test_ruff_targets_the_oldest_python_the_package_supports():
    target = _pyproject()["tool"]["ruff"]["target-version"]
    ours = _requires_python()
    assert target == f"py3{ours.minor}", (
        f"ruff's target-version is {target}, the package requires Python >={ours}"
    )
