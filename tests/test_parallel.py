"""Tests for llmlab.parallel: a batch split over 4 devices gives the gradient of 1 device."""

import stat
import sys

import jax
import numpy as np
import pytest
from tolerances import float32_atol

from llmlab import parallel
from llmlab.parallel import compare_gradients, simulate_data_parallel
from llmlab.train import data_parallel_mesh


@pytest.mark.slow
def test_four_simulated_devices_give_the_gradient_of_one_device():
    check = simulate_data_parallel(4)
    assert len(check.devices) == 4 and len(set(check.devices)) == 4, "4 distinct devices"
    assert [s[1:] for s in check.shards] == [(0, 2), (2, 4), (4, 6), (6, 8)], (
        "each device must hold its own 2 of the 8 rows"
    )
    assert sorted(s[0] for s in check.shards) == sorted(check.devices)
    assert check.max_abs_grad > 1e-3, "the gradient must not be zero, or any split would match"
    # the all-reduce adds the 4 partial sums in another order: float32 rounding, no more
    assert check.max_abs_diff <= float32_atol(check.max_abs_grad), (
        f"gradients differ by {check.max_abs_diff}, more than float32 rounding of "
        f"{check.max_abs_grad}"
    )
    np.testing.assert_allclose(check.loss_many, check.loss_one, atol=float32_atol(check.loss_one))


def test_a_mesh_of_this_process_devices_gives_the_gradient_of_one_device():
    check = compare_gradients(data_parallel_mesh(jax.devices()[:1]), batch_size=4, seed=1)
    assert check.shards == [(check.devices[0], 0, 4)], "one device holds every row"
    assert check.max_abs_diff <= float32_atol(check.max_abs_grad)
    assert check.max_abs_grad > 1e-3


def fake_python(tmp_path, body):
    """An executable standing in for Python, so that the child process can fail on purpose."""
    path = tmp_path / "python"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in is a shell script")
def test_a_failing_child_process_is_reported_with_its_last_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel.sys, "executable", fake_python(tmp_path, "echo boom >&2; exit 3"))
    with pytest.raises(RuntimeError, match=r"(?s)4-device run.*exit code 3.*unharmed.*boom"):
        simulate_data_parallel(4)


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in is a shell script")
def test_a_child_process_that_hangs_is_stopped_after_the_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel.sys, "executable", fake_python(tmp_path, "sleep 30"))
    with pytest.raises(RuntimeError, match=r"longer than 0.5 s"):
        simulate_data_parallel(2, timeout=0.5)


@pytest.mark.parametrize(
    ("n_devices", "batch_size", "message"),
    [
        (0, 8, r"n_devices must be an int between 1 and 64, got 0"),
        (65, 65, r"between 1 and 64, got 65"),
        (True, 8, r"got True"),
        (4, 6, r"batch_size 6 must split evenly over 4 devices"),
    ],
)
def test_bad_device_counts_and_batches_are_refused_before_starting_anything(
    n_devices, batch_size, message
):
    with pytest.raises(ValueError, match=message):
        simulate_data_parallel(n_devices, batch_size=batch_size)


def test_a_batch_that_does_not_split_over_the_mesh_is_refused():
    mesh = data_parallel_mesh(jax.devices()[:1])
    with pytest.raises(ValueError, match=r"batch_size 0 must split evenly over 1 devices"):
        compare_gradients(mesh, batch_size=0)
