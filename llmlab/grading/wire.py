"""What the batch grader and a learner's kernel send each other through a pipe.

Frames are a 4-byte big-endian length and the bytes. The grader sends pickles (it chose the
inputs, and the kernel is the untrusted side anyway). The kernel answers with JSON only: the
learner's return value becomes plain data (`to_plain`): None, bool, int, float, str, bytes,
Fraction, numpy arrays and scalars (np.save with allow_pickle=False), lists, tuples, dicts and
sets of those, optax's state tuples, and a numbered handle for a function it returned. The
grader rebuilds them with `from_plain`, which constructs only those types, so no method the
learner wrote ever runs in the grader.
"""

from __future__ import annotations

import base64
import io
import json
import os
import select
import sys
import time
from fractions import Fraction

import numpy as np

MAX_FRAME = 256 << 20  # bytes; a bigger answer is refused rather than read
MAX_DEPTH = 32
NAMEDTUPLE_MODULES = ("optax.",)  # whose state tuples may be rebuilt by class


class Unreadable(Exception):
    """The learner's value cannot be sent as plain data; the message names its type."""


class Closed(Exception):
    """The other end closed the pipe (the kernel died) or sent a broken frame."""


def write_frame(fd: int, data: bytes, deadline: float | None = None) -> None:
    """Write one frame to `fd`; TimeoutError past `deadline` (time.monotonic)."""
    view = memoryview(len(data).to_bytes(4, "big") + data)
    while view:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not select.select([], [fd], [], wait)[1]:
            raise TimeoutError
        try:
            view = view[os.write(fd, view[: 1 << 16]) :]
        except (BrokenPipeError, OSError) as error:
            raise Closed(str(error)) from None


def _read_exactly(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, got = [], 0
    while got < n:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not select.select([fd], [], [], wait)[0]:
            raise TimeoutError
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise Closed("the pipe was closed")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_frame(fd: int, deadline: float | None = None) -> bytes:
    """Read one frame from `fd`; TimeoutError past `deadline`, Closed at end of file."""
    size = int.from_bytes(_read_exactly(fd, 4, deadline), "big")
    if size > MAX_FRAME:
        raise Closed(f"a frame of {size} bytes is over the {MAX_FRAME} byte limit")
    return _read_exactly(fd, size, deadline)


def _npy(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _array(text: str) -> np.ndarray:
    return np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)


def to_plain(value: object, handles: dict, depth: int = 0):
    """`value` as JSON-ready plain data (kernel side); functions are kept in `handles`."""
    if depth > MAX_DEPTH:
        raise Unreadable(f"a value nested more than {MAX_DEPTH} levels deep")
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if isinstance(value, np.generic) and (
        np.issubdtype(value.dtype, np.number) or value.dtype == np.bool_
    ):
        return {"t": "scalar", "v": _npy(np.asarray(value))}
    if isinstance(value, bool | int | float | str):  # subclasses: their plain value only
        base = next(b for b in (bool, int, float, str) if isinstance(value, b))
        return to_plain(base(value), handles, depth + 1)
    if kind is Fraction:
        return {"t": "fraction", "v": [str(value.numerator), str(value.denominator)]}
    if isinstance(value, bytes | bytearray):
        return {"t": "bytes", "v": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, tuple) and hasattr(kind, "_fields"):
        items = [to_plain(v, handles, depth + 1) for v in value]
        return {"t": "namedtuple", "cls": [kind.__module__, kind.__qualname__], "v": items}
    if isinstance(value, list | tuple | set | frozenset):
        name = "list" if isinstance(value, list) else "tuple" if isinstance(value, tuple) else "set"
        return {"t": name, "v": [to_plain(v, handles, depth + 1) for v in value]}
    if isinstance(value, dict):
        pairs = [
            [to_plain(k, handles, depth + 1), to_plain(v, handles, depth + 1)]
            for k, v in dict.items(value)
        ]
        return {"t": "dict", "v": pairs}
    if callable(value) and not hasattr(value, "__array__"):
        handles[len(handles) + 1] = value
        name = str(getattr(value, "__name__", kind.__name__))[:80]
        return {"t": "function", "id": len(handles), "name": name}
    try:
        array = np.asarray(value)
    except Exception:
        array = None
    if array is None or not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        dtype = f" of dtype {array.dtype}" if array is not None and array.ndim else ""
        raise Unreadable(f"{kind.__module__}.{kind.__qualname__}{dtype}")
    return {"t": "array", "v": _npy(array)}


def _namedtuple_class(module: str, qualname: str) -> type | None:
    """An already imported state-tuple class of an allowed library, else None."""
    if not str(module).startswith(NAMEDTUPLE_MODULES) or module not in sys.modules:
        return None
    found: object = sys.modules[module]
    for part in str(qualname).split("."):
        found = getattr(found, part, None)
    ok = isinstance(found, type) and issubclass(found, tuple) and hasattr(found, "_fields")
    return found if ok else None


def from_plain(data: object, function=None, depth: int = 0):
    """Rebuild a value from `to_plain`'s data (grader side); `function(id, name)` makes a
    stand-in for a returned function. Anything unexpected raises ValueError."""
    if depth > MAX_DEPTH + 1:
        raise ValueError("nested too deeply")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is not dict or type(data.get("t")) is not str:
        raise ValueError(f"unexpected {type(data).__name__}")
    kind, value = data["t"], data.get("v")

    def items():
        if type(value) is not list:
            raise ValueError(f"{kind} without items")
        return [from_plain(v, function, depth + 1) for v in value]

    if kind in ("array", "scalar"):
        array = _array(value)
        if array.dtype == object:
            raise ValueError("an object array")
        return array if kind == "array" else array[()]
    if kind == "fraction":
        return Fraction(int(value[0]), int(value[1]))
    if kind == "bytes":
        return base64.b64decode(value, validate=True)
    if kind == "list":
        return items()
    if kind == "tuple":
        return tuple(items())
    if kind == "set":
        return set(items())
    if kind == "namedtuple":
        cls = _namedtuple_class(*data["cls"])
        return cls(*items()) if cls is not None else tuple(items())
    if kind == "dict":
        if type(value) is not list or not all(type(p) is list and len(p) == 2 for p in value):
            raise ValueError("a dict without (key, value) pairs")
        return {
            from_plain(k, function, depth + 1): from_plain(v, function, depth + 1) for k, v in value
        }
    if kind == "function" and function is not None:
        return function(int(data["id"]), str(data.get("name", "function"))[:80])
    raise ValueError(f"unknown kind {kind!r}")


def dumps(message: dict) -> bytes:
    return json.dumps(message, allow_nan=True).encode("utf-8")


def loads(data: bytes) -> dict:
    message = json.loads(data.decode("utf-8"))
    if type(message) is not dict:
        raise ValueError("a reply must be a JSON object")
    return message
