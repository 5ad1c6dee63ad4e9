"""What checkers use to call the learner's function and to compare its answer with llmlab's.

Every helper raises `Mistake` with one sentence that says what is wrong, in the learner's words:
"your probabilities have shape (5,) but should have shape (2, 5) when logits have shape (2, 5)".
`when` arguments finish that sentence, so each one starts with "when" or "for".
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import numpy as np

from llmlab.grading.core import Mistake, NotDone
from llmlab.i18n import say


def shape_of(x: object) -> str:
    """A short description of an argument for messages: "shape (2, 5)" or its repr."""
    if hasattr(x, "shape"):
        return f"shape {tuple(x.shape)}"
    text = repr(x)
    return text if len(text) <= 40 else text[:37] + "..."


def call(fn: Callable, *args, when: str = "", **kwargs):
    """Call the learner's function; turn its exceptions into a Mistake that names them."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise NotDone() from None
    except Mistake:
        raise
    except Exception as error:
        text = str(error).strip().splitlines()[0] if str(error).strip() else ""
        if len(text) > 160:
            text = text[:157] + "..."
        detail = f" ({text})" if text else ""
        key = "grading.expect.raised" if when.strip() else "grading.expect.raised_plain"
        raise Mistake(say(key, error=type(error).__name__, detail=detail, when=when)) from None


def as_array(value: object, name: str, when: str = "") -> np.ndarray:
    """The learner's answer as a numpy array; None, strings and ragged lists are mistakes."""
    if value is None:
        raise Mistake(say("grading.expect.none", when=when))
    if isinstance(value, str | bytes | dict | set):
        raise Mistake(
            say("grading.expect.not_array", name=name, kind=type(value).__name__, when=when)
        )
    if isinstance(value, tuple) and value and all(hasattr(v, "shape") for v in value):
        raise Mistake(say("grading.expect.tuple", count=len(value), when=when))
    try:
        array = np.asarray(jax.device_get(value))
    except Exception:
        raise Mistake(say("grading.expect.unreadable", name=name, when=when)) from None
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_
    ):
        raise Mistake(say("grading.expect.not_numbers", name=name, when=when, dtype=array.dtype))
    return array


def same_shape(got: np.ndarray, want_shape: tuple, name: str, when: str = "") -> None:
    if got.shape != tuple(want_shape):
        raise Mistake(
            say("grading.expect.shape", name=name, got=got.shape, want=tuple(want_shape), when=when)
        )


def finite(got: np.ndarray, name: str, when: str = "", hint: str | None = None) -> None:
    """No NaN (and no +inf; -inf is allowed where `allow_neg_inf`)."""
    if np.isnan(got).any():
        raise Mistake(say("grading.expect.nan", name=name, when=when), hint)
    if np.isinf(got).any():
        raise Mistake(say("grading.expect.inf", name=name, when=when), hint)


def close(
    got: object,
    want: object,
    name: str,
    when: str = "",
    *,
    rtol: float = 1e-4,
    atol: float = 1e-5,
    hint: str | None = None,
) -> np.ndarray:
    """`got` has `want`'s shape, no NaN where `want` has none, and the same values; returns it."""
    want = np.asarray(jax.device_get(want))
    got = as_array(got, name, when)
    same_shape(got, want.shape, name, when)
    if np.isnan(got).any() and not np.isnan(want).any():
        raise Mistake(say("grading.expect.nan", name=name, when=when), hint)
    wrong = ~np.isclose(got.astype(np.float64), want.astype(np.float64), rtol, atol, True)
    if wrong.any():
        worst = tuple(int(i) for i in np.argwhere(wrong)[0])
        where = say("grading.expect.at_index", index=worst) if want.ndim else ""
        got_at, want_at = _number(got[worst]), _number(want[worst])
        raise Mistake(
            say(
                "grading.expect.wrong", name=name, when=when, where=where, got=got_at, want=want_at
            ),
            hint,
        )
    return got


def equal(got: object, want: object, name: str, when: str = "", hint: str | None = None) -> None:
    """Exactly equal values (ints, booleans, lists of ids)."""
    if isinstance(want, list | dict | tuple | int | str):
        if isinstance(want, list | int) and hasattr(got, "tolist"):
            got = got.tolist()  # an array of ids is as good as a list of them
        try:
            same = bool(got == want)
        except Exception:  # e.g. comparing an object that has no single truth value
            same = False
        if not same:
            raise Mistake(
                say(
                    "grading.expect.unequal",
                    name=name,
                    got=_short(got),
                    want=_short(want),
                    when=when,
                ),
                hint,
            )
        return
    want = np.asarray(want)
    got = as_array(got, name, when)
    same_shape(got, want.shape, name, when)
    if not np.array_equal(got, want):
        bad = np.argwhere(got != want)[0]
        index = tuple(int(i) for i in bad)
        got_at, want_at = _number(got[index]), _number(want[index])
        raise Mistake(
            say(
                "grading.expect.wrong_at",
                name=name,
                when=when,
                index=index,
                got=got_at,
                want=want_at,
            ),
            hint,
        )


def _number(x) -> str:
    x = np.asarray(x)
    if x.dtype == np.bool_ or np.issubdtype(x.dtype, np.integer):
        return str(x.item())
    return f"{float(x):.4g}"


def _short(x: object) -> str:
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."
