"""What a learner's kernel sends the batch grader is plain data: it round-trips the answers the
checkers read, and nothing in it can run the learner's code in the grader."""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from fractions import Fraction

import jax.numpy as jnp
import numpy as np
import optax
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmlab.grading import wire
from llmlab.grading.core import CheckTimeout, Mistake
from llmlab.grading.remote import Session


def through_the_pipe(value, function=None):
    """`value` as the grader sees it after the kernel sent it."""
    handles: dict = {}
    data = json.loads(wire.dumps({"value": wire.to_plain(value, handles)}))
    return wire.from_plain(data["value"], function), handles


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=3) | st.integers(), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(plain)
def test_plain_python_values_arrive_equal_and_of_the_same_types(value):
    got, _ = through_the_pipe(value)
    assert got == value and type(got) is type(value)


def test_the_answers_checkers_read_arrive_as_they_left():
    state = optax.adamw(0.1).init({"w": jnp.ones(2)})
    value = {
        (1, 2): 3,
        "array": jnp.arange(6.0).reshape(2, 3),
        "fraction": Fraction(3, 8),
        "scalar": np.float32(0.5),
        "bytes": b"\xe5\xba\x8a",
        "state": state,
    }
    got, _ = through_the_pipe(value)
    assert got[(1, 2)] == 3 and got["fraction"] == Fraction(3, 8) and got["bytes"] == value["bytes"]
    assert isinstance(got["scalar"], np.float32) and got["scalar"] == np.float32(0.5)
    np.testing.assert_array_equal(got["array"], np.arange(6.0).reshape(2, 3))
    assert type(got["state"][0]) is type(state[0]), "optax's state tuples keep their class"


class Anything:
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("value", [Anything(), [1, Anything()], np.array([Anything()])])
def test_an_object_of_the_learners_class_is_refused_by_name(value):
    with pytest.raises(wire.Unreadable, match=r"Anything|dtype object"):
        wire.to_plain(value, {})


def test_subclasses_of_plain_types_arrive_as_the_plain_type_without_their_methods():
    class Sneaky(int):
        def __eq__(self, other):
            return True

    class SneakyDict(OrderedDict):
        def __eq__(self, other):
            return True

    got, _ = through_the_pipe([Sneaky(3), SneakyDict(a=1)])
    assert type(got[0]) is int and got[0] != 4
    assert type(got[1]) is dict and got[1] != {}


def test_a_named_tuple_of_a_module_outside_optax_arrives_as_a_plain_tuple():
    data = {"t": "namedtuple", "cls": ["os", "stat_result"], "v": [{"t": "list", "v": []}]}
    assert wire.from_plain(data) == ([],) and type(wire.from_plain(data)) is tuple
    data["cls"] = ["posix", "system"]
    assert type(wire.from_plain(data)) is tuple, "never a call of an arbitrary function"


def test_a_returned_function_becomes_a_handle_the_grader_can_call_back():
    got, handles = through_the_pipe((len, str.upper), lambda i, name: (i, name))
    assert got == ((1, "len"), (2, "upper")) and handles == {1: len, 2: str.upper}


def test_frames_pass_through_a_pipe_and_a_closed_pipe_is_reported():
    read, write = os.pipe()
    wire.write_frame(write, b"hello")
    assert wire.read_frame(read) == b"hello"
    os.close(write)
    with pytest.raises(wire.Closed):
        wire.read_frame(read)
    os.close(read)


@pytest.mark.parametrize(
    ("reply", "raised", "words"),
    [
        ({"timeout": True}, CheckTimeout, ""),
        ({"unreadable": "x.Anything"}, Mistake, "object of type x.Anything"),
        ({"missing": "merge_pair", "type": "NoneType"}, Mistake, "no function called merge_pair"),
        ({"raised": "ZeroDivisionError", "message": "division by zero"}, Exception, "division"),
        ({"raised": "NotImplementedError", "not_implemented": True}, NotImplementedError, ""),
        ({"raised": "SystemExit", "base": True}, SystemExit, ""),
        ({"value": {"t": "pickle", "v": "gASV"}}, Mistake, "unreadable"),
    ],
)
def test_each_reply_of_the_kernel_becomes_what_the_checker_expects(reply, raised, words):
    session = Session(kernel=None, notebook_deadline=0.0, notebook_seconds=1.0)
    with pytest.raises(raised, match=words or None) as info:
        session.answer(reply)
    if reply.get("raised") == "ZeroDivisionError":
        assert type(info.value).__name__ == "ZeroDivisionError", "call() names it to the learner"
