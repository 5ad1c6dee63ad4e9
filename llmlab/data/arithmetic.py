"""Addition problems written three ways, for models that answer directly, think, or call a tool.

    direct   345+12=357
    scratch  345+12=5+2+0=07,4+1+0=05,3+0+0=03,=357
    tool     345+12=<|calc|>345+12<|/calc|>=357      (markers from llmlab.tools)

Every line ends with a newline, the model's "I am done". The answer is always the digits
after the last "=".

The scratchpad ("chain of thought") adds the numbers column by column from the right, as on
paper: step k writes the k-th digit from the right of each number (0 once a number has run
out), the carry that came in, "=", and their sum as two digits, so the carry into step k+1 is
the first digit of step k's sum. Every step has the same width (8 characters and a comma), so
each token the model writes is a small problem: copy a digit, copy a carry, add three digits.
The answer then reads the second digits of the sums backwards (plus the last carry if it is 1).
A direct model has to do all of that in the single forward pass that writes each digit.

Problems are split into train and test by the problem itself (a hash of "a+b"), so no test
problem is ever seen in training, whatever the seeds. A problem has d digits when its longer
number has d digits.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from llmlab.i18n import say

MAX_DIGITS = 4
FORMATS = ("direct", "scratch", "tool")
STOP = "\n"  # ends every written answer
TEST_PERCENT = 10  # share of all problems that is held out for testing


class Problem(NamedTuple):
    """a + b, two non-negative integers."""

    a: int
    b: int

    @property
    def digits(self) -> int:
        """How many digits the longer number has. Example: Problem(345, 12).digits -> 3"""
        return max(len(str(self.a)), len(str(self.b)))

    @property
    def prompt(self) -> str:
        """What the model is given. Example: Problem(345, 12).prompt -> "345+12=" """
        return f"{self.a}+{self.b}="


def _check_problem(problem: Problem) -> Problem:
    if not isinstance(problem, tuple) or len(problem) != 2:
        raise TypeError(say("arithmetic.not_a_problem", value=repr(problem)))
    a, b = problem
    for name, x in (("a", a), ("b", b)):
        if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < 0:
            raise ValueError(say("arithmetic.bad_number", name=name, value=repr(x)))
    return Problem(int(a), int(b))


def direct(problem: Problem) -> str:
    """The prompt and the answer at once. Example: Problem(345, 12) -> "345+12=357\\n" """
    p = _check_problem(problem)
    return f"{p.prompt}{p.a + p.b}{STOP}"


def scratch_steps(problem: Problem) -> list[str]:
    """The column-by-column steps, rightmost column first.

    Example: Problem(95, 7) -> ["5+7+0=12", "9+0+1=10"]   (95 + 7 = 102)
    """
    a, b = _check_problem(problem)
    steps, carry = [], 0
    for k in range(Problem(a, b).digits):
        da, db = a // 10**k % 10, b // 10**k % 10
        total = da + db + carry
        steps.append(f"{da}+{db}+{carry}={total:02d}")
        carry = total // 10
    return steps


def scratch(problem: Problem) -> str:
    """The prompt, the steps, then the answer. Example: Problem(95, 7) ->
    "95+7=5+7+0=12,9+0+1=10,=102\\n" """
    p = _check_problem(problem)
    return f"{p.prompt}{','.join(scratch_steps(p))},={p.a + p.b}{STOP}"


def tool(problem: Problem) -> str:
    """The prompt, a calculator call, the result the program pastes in, and the newline.

    Example: Problem(345, 12) -> "345+12=<|calc|>345+12<|/calc|>=357\\n"
    (markers from `llmlab.tools`; the model writes the call and the newline, the tool loop
    `llmlab.tools.run_with_tools` writes "=357").
    """
    from llmlab.tools import CALL_CLOSE, CALL_OPEN, RESULT_PREFIX, calculator

    p = _check_problem(problem)
    expr = f"{p.a}+{p.b}"
    return f"{p.prompt}{CALL_OPEN}{expr}{CALL_CLOSE}{RESULT_PREFIX}{calculator(expr)}{STOP}"


WRITERS: dict[str, Callable[[Problem], str]] = {"direct": direct, "scratch": scratch, "tool": tool}


def write(problem: Problem, fmt: str) -> str:
    """`problem` as a training line in format `fmt` (one of FORMATS)."""
    if fmt not in WRITERS:
        raise ValueError(say("arithmetic.unknown_format", fmt=repr(fmt), formats=list(FORMATS)))
    return WRITERS[fmt](problem)


def is_test(problem: Problem) -> bool:
    """Whether `problem` belongs to the held-out test split (TEST_PERCENT of all problems).

    Decided by a checksum of the text "a+b", so the split is the same on every machine and for
    every seed. Example: is_test(Problem(345, 12)) -> False
    """
    p = _check_problem(problem)
    return zlib.crc32(f"{p.a}+{p.b}".encode()) % 100 < TEST_PERCENT


def _number(rng: np.random.Generator, digits: int) -> int:
    low = 0 if digits == 1 else 10 ** (digits - 1)
    return int(rng.integers(low, 10**digits))


def _draw(rng: np.random.Generator, digits: int) -> Problem:
    """A problem of exactly `digits` digits: one number has them, the other 1 to `digits`."""
    other = int(rng.integers(1, digits + 1))
    a, b = _number(rng, digits), _number(rng, other)
    return Problem(a, b) if rng.integers(2) else Problem(b, a)


def make_problems(
    n: int, split: str, *, seed: int, digits: int | None = None, max_digits: int = MAX_DIGITS
) -> list[Problem]:
    """`n` random problems of the "train" or "test" split, the same for the same seed.

    Args:
        n: how many problems.
        split: "train" or "test"; the two never share a problem (see `is_test`).
        seed: the random seed.
        digits: every problem has exactly this many digits; None: 1 to max_digits, equally
            often (so short problems are not drowned out by long ones).
        max_digits: the most digits when `digits` is None.

    Returns:
        a list of n Problems (repeats possible: there are only 100 one-digit problems).

    Example: make_problems(2, "test", seed=0, digits=1) -> e.g. [Problem(a=7, b=6), ...]
    """
    if split not in ("train", "test"):
        raise ValueError(say("arithmetic.bad_split", split=repr(split)))
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(say("arithmetic.bad_number", name="n", value=repr(n)))
    for name, d in (("digits", digits), ("max_digits", max_digits)):
        if d is not None and (isinstance(d, bool) or not isinstance(d, int) or d < 1):
            raise ValueError(say("arithmetic.not_positive", name=name, value=repr(d)))
    rng = np.random.default_rng(seed)
    want_test = split == "test"
    out: list[Problem] = []
    while len(out) < n:
        d = digits if digits is not None else int(rng.integers(1, max_digits + 1))
        problem = _draw(rng, d)
        if is_test(problem) == want_test:
            out.append(problem)
    return out


def arithmetic_tokenizer():
    """One character tokenizer for every format: digits, "+", "=", ",", the newline, then the
    tool's markers as special tokens (so the three models share one vocabulary and size)."""
    from llmlab.tokenizer import CharTokenizer
    from llmlab.tokenizer.extend import add_tokens
    from llmlab.tools import TOOL_TOKENS

    return add_tokens(CharTokenizer.from_text("0123456789+=," + STOP), "", TOOL_TOKENS)


def encode_example(problem: Problem, fmt: str, tokenizer) -> tuple[np.ndarray, np.ndarray]:
    """Token ids of `write(problem, fmt)` and the loss mask: 1 on what the model must write.

    The prompt is given, so it is never learned; in the tool format neither is the result,
    which the program pastes in (a model taught to predict it would learn to invent it).

    Returns:
        ids int32 (T,) and mask bool (T,), ready for `llmlab.chat.pack_chats`.

    Example: Problem(1, 2), "direct" -> ids of "1+2=3\\n", mask [0, 0, 0, 0, 1, 1]
    """
    from llmlab.tools import CALL_CLOSE

    p = _check_problem(problem)
    text = write(p, fmt)
    learn = np.zeros(len(text), bool)
    learn[len(p.prompt) :] = True
    if fmt == "tool":  # the pasted "=result" is the program's, not the model's
        start = text.index(CALL_CLOSE) + len(CALL_CLOSE)
        learn[start : len(text) - len(STOP)] = False
    ids, mask = [], []
    pos = 0
    for part_ids, part_len in _pieces(text, tokenizer):
        ids += part_ids
        mask += [bool(learn[pos])] * len(part_ids)  # a special token is learned as a whole
        pos += part_len
    return np.asarray(ids, np.int32), np.asarray(mask, bool)


def _pieces(text: str, tokenizer):
    """(ids, characters covered) for each token of `text`, special tokens as one id."""
    from llmlab.tokenizer.split import split_special

    for k, part in enumerate(split_special(text, list(tokenizer.special_tokens))):
        if k % 2:
            yield [tokenizer.special_tokens[part]], len(part)
        else:
            for ch in part:
                yield tokenizer.encode(ch), 1
