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
        raise Mistake(
            f"your function raised {type(error).__name__}{detail} {when}".rstrip() + "."
        ) from None


def as_array(value: object, name: str, when: str = "") -> np.ndarray:
    """The learner's answer as a numpy array; None, strings and ragged lists are mistakes."""
    if value is None:
        raise Mistake(f"your function returned None {when}: did you forget `return`?")
    if isinstance(value, str | bytes | dict | set):
        raise Mistake(f"you returned {name} as a {type(value).__name__}, not an array, {when}.")
    if isinstance(value, tuple) and value and all(hasattr(v, "shape") for v in value):
        raise Mistake(f"your function returned a tuple of {len(value)} arrays {when}, not one.")
    try:
        array = np.asarray(jax.device_get(value))
    except Exception:
        raise Mistake(f"the {name} you returned cannot be read as an array {when}.") from None
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_
    ):
        raise Mistake(f"the {name} you returned are not numbers {when} (dtype {array.dtype}).")
    return array


def same_shape(got: np.ndarray, want_shape: tuple, name: str, when: str = "") -> None:
    if got.shape != tuple(want_shape):
        raise Mistake(
            f"you returned {name} of shape {got.shape} "
            f"where shape {tuple(want_shape)} is expected {when}."
        )


def finite(got: np.ndarray, name: str, when: str = "", hint: str | None = None) -> None:
    """No NaN (and no +inf; -inf is allowed where `allow_neg_inf`)."""
    if np.isnan(got).any():
        raise Mistake(f"you returned {name} with NaN in it {when}.", hint)
    if np.isinf(got).any():
        raise Mistake(f"you returned {name} with inf in it {when}.", hint)


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
        raise Mistake(f"you returned {name} with NaN in it {when}.", hint)
    wrong = ~np.isclose(got.astype(np.float64), want.astype(np.float64), rtol, atol, True)
    if wrong.any():
        worst = tuple(int(i) for i in np.argwhere(wrong)[0])
        where = f" at index {worst}" if want.ndim else ""
        raise Mistake(
            f"you returned wrong {name} {when}{where}: "
            f"{_number(got[worst])} instead of {_number(want[worst])}.",
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
                f"you returned {name} {_short(got)} instead of {_short(want)} {when}.", hint
            )
        return
    want = np.asarray(want)
    got = as_array(got, name, when)
    same_shape(got, want.shape, name, when)
    if not np.array_equal(got, want):
        bad = np.argwhere(got != want)[0]
        raise Mistake(
            f"you returned wrong {name} {when} at index {tuple(int(i) for i in bad)}: "
            f"{_number(got[tuple(bad)])} instead of {_number(want[tuple(bad)])}.",
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
