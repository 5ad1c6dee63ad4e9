"""The first cell's device report and version check."""

from llmlab import environment


def test_an_old_version_gets_a_sentence_that_says_how_to_fix_it():
    (problem,) = environment.version_problems({"jax": "0.4.30"})
    assert problem.startswith("jax 0.4.30 is older than 0.7.2")
    assert "pip install -U 'jax>=0.7.2'" in problem


def test_a_missing_package_is_named():
    assert environment.version_problems({"optax": None}) == [
        "optax is not installed: run  pip install -U 'optax>=0.2.8'  and restart the kernel"
    ]


def test_versions_at_or_above_the_floor_pass():
    ok = {"jax": "0.7.2", "flax": "0.12.0rc1", "ipywidgets": "7.7.1", "numpy": "2.1.3"}
    assert environment.version_problems(ok) == []


def test_report_names_the_device_and_every_checked_library(capsys):
    text = environment.report()
    assert text == capsys.readouterr().out.rstrip("\n")
    assert "Device: CPU" in text
    for name in environment.MINIMUM_VERSIONS:
        assert name in text
