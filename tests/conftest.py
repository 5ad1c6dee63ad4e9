"""Make JAX strict so silent broadcasting and dtype drift fail loudly in tests; set up hypothesis.

Hypothesis profiles (choose one with `--hypothesis-profile NAME`; `make test` and CI use "ci"):
- "ci": derandomised, so every run draws the same examples and a red CI is a real failure,
  never a lottery ticket; no example database, no deadline.
- "dev" (the default for a bare `pytest`): random examples on every run, to keep exploring.
Both print the reproduction blob of a failing example (`@reproduce_failure(...)`).

`LLMLAB_HYPOTHESIS_SCALE=20` multiplies every property test's `max_examples` by 20 (a sweep:
run it with `--hypothesis-profile dev -m hypothesis`, in both environments, before trusting
new properties or tolerances). Each test's own `@settings(max_examples=N)` stays the base count.
"""

import os

os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")

import jax
import pytest
from hypothesis import settings

jax.config.update("jax_numpy_rank_promotion", "raise")
jax.config.update("jax_enable_x64", False)

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
if settings.get_current_profile_name() == "default":  # --hypothesis-profile was not given
    settings.load_profile("dev")

SCALE = float(os.environ.get("LLMLAB_HYPOTHESIS_SCALE", "1"))


def pytest_collection_modifyitems(items):
    """Scale each property test's example count by LLMLAB_HYPOTHESIS_SCALE (1: unchanged)."""
    if SCALE == 1:
        return
    for item in items:
        test = getattr(item, "obj", None)
        if not getattr(test, "is_hypothesis_test", False):
            continue
        # @given reads this attribute on every call, so a scaled copy takes effect here.
        base = getattr(test, "_hypothesis_internal_use_settings", None) or settings.default
        test._hypothesis_internal_use_settings = settings(
            base, max_examples=max(1, round(base.max_examples * SCALE))
        )


@pytest.fixture(autouse=True, scope="session")
def _report_hypothesis_scale():
    if SCALE != 1:
        print(f"\nhypothesis: every property test runs {SCALE:g}x its max_examples")
    yield


@pytest.fixture(autouse=True, scope="session")
def _progress_never_in_the_real_home(tmp_path_factory):
    """Passed checks are recorded in $LLMLAB_HOME (llmlab.progress): a test must never write
    the real ~/.local/share/llmlab, so every test session gets a folder of its own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LLMLAB_HOME", str(tmp_path_factory.mktemp("llmlab-home")))
        yield
