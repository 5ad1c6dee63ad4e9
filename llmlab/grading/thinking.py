"""Checks for lesson 13 (thinking, tools, retrieval): scoring a multiple-choice answer by its
log-probability, picking the best choice, and the calculator loop of a tool-using model. (The
retrieval checks, a bag-of-characters embedding and cosine top-k, are in thinking_retrieval.py.)

The tool loop is driven by `Script`, a stand-in model that writes fixed pieces of text. Two of
its expressions are harmless Python that the calculator refuses ("2**10", "len('abc')*7"): a
loop that runs the model's text with eval writes 1024 or 21 where the calculator's refusal
belongs, which the check names, without anything in the expression being able to do harm.
"""

from __future__ import annotations

import numpy as np

from llmlab import evaluate, tools
from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close
from llmlab.i18n import say

LESSON = "13_thinking"
EVAL_VALUES = {"2**10": "1024", "len('abc')*7": "21"}  # what Python's eval would make of them


def _number(got: object, name: str, when: str) -> float:
    value = as_array(got, name, when)
    if value.size != 1:
        raise Mistake(say("check.thinking.one_number", name=name, shape=value.shape, when=when))
    return float(value.reshape(()))


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


# --- choice_logprob -------------------------------------------------------------------------


def choice_logprob_reference(logits, ids, start: int) -> float:
    """llmlab.evaluate.score_choices on one sequence: prompt ids[:start], choice ids[start:]."""
    logits = np.asarray(logits)
    ids = [int(i) for i in ids]
    scores = evaluate.score_choices(
        lambda x: logits[None, : x.shape[1]], ids[:start], [ids[start:]]
    )
    return float(scores.total[0])


@task(LESSON, "choice_logprob", references=("llmlab.evaluate.score_choices",))
def check_choice_logprob(fn, rng):
    T, V = int(rng.integers(6, 10)), int(rng.integers(11, 16))  # never square
    cases = [
        (int(rng.integers(2, T - 1)), 0.0),
        (T - 1, 0.0),
        (1, 0.0),
        (int(rng.integers(2, T - 1)), 1000.0),
    ]
    name = say("check.name.log_prob")
    for start, shift in cases:
        logits = (rng.normal(0, 3, size=(T, V)) + shift).astype(np.float32)
        ids = rng.integers(0, V, size=T)
        key = "check.thinking.when_shifted" if shift else "check.thinking.when_choice"
        when = say(key, T=T, V=V, start=start, shift=f"{shift:g}")
        got = _number(call(fn, logits, ids.copy(), start, when=when), name, when)
        want = choice_logprob_reference(logits, ids, start)
        if not np.isfinite(got):
            raise Mistake(say("check.thinking.not_finite", when=when))
        lp = _log_softmax(logits.astype(np.float64))
        shifted = lp[np.arange(T - 1), ids[1:]]  # shifted[j - 1] = ln p(ids[j] | ids[:j])
        raw = logits.astype(np.float64)[np.arange(T - 1), ids[1:]]
        candidates = [
            ("no_shift", lp[np.arange(start, T), ids[start:]].sum()),
            ("whole", shifted.sum()),
            ("one_late", shifted[start:].sum()),
            ("one_early", shifted[start - 2 :].sum() if start >= 2 else want),
            ("raw_logits", raw[start - 1 :].sum()),
            ("probabilities", np.exp(shifted[start - 1 :]).sum()),
            ("product", np.exp(want)),
            ("mean", want / (T - start)),
        ]
        for key, value in candidates:
            if not np.isclose(value, want, rtol=1e-4, atol=1e-3) and np.isclose(
                got, value, rtol=1e-4, atol=1e-3
            ):
                raise Mistake(say(f"check.thinking.{key}", when=when))
        close(got, want, name, when, rtol=1e-4, atol=1e-3)


# --- best_choice ----------------------------------------------------------------------------


def best_choice_reference(token_logprobs, per_token: bool) -> int:
    """The index of the highest ChoiceScores total (or per_token), the first one on a tie."""
    total = np.array([np.sum(np.asarray(c, np.float64)) for c in token_logprobs])
    scores = evaluate.ChoiceScores(total, total / np.array([len(c) for c in token_logprobs]))
    return int(np.argmax(scores.per_token if per_token else scores.total))


def _choices(rng: np.random.Generator) -> list[np.ndarray]:
    """4-5 choices of 1-6 tokens whose best by sum and best by mean differ, with no near-ties;
    each ln p a multiple of 1/8, so every sum is exact in float32."""
    while True:
        K = int(rng.integers(4, 6))
        rows = [-rng.integers(1, 40, size=int(rng.integers(1, 7))) / 8.0 for _ in range(K)]
        total = np.array([r.sum() for r in rows])
        mean = np.array([r.mean() for r in rows])
        gaps = [np.diff(np.sort(s))[-1] for s in (total, mean)]
        if np.argmax(total) != np.argmax(mean) and min(gaps) > 1e-3:
            return [r.astype(np.float32) for r in rows]


def _ties(rng: np.random.Generator) -> list[np.ndarray]:
    """[-0.5, -0.5], [-1] and [-0.75, -0.25] all total -1, and the first and last both have
    the mean -0.5; two worse choices around them. The first of the tied ones is the answer."""
    worse = [-rng.integers(12, 40, size=int(rng.integers(1, 4))) / 8.0 for _ in range(2)]
    rows = [worse[0], np.array([-0.5, -0.5]), np.array([-1.0]), worse[1], np.array([-0.75, -0.25])]
    return [r.astype(np.float32) for r in rows]


@task(LESSON, "best_choice")
def check_best_choice(fn, rng):
    for kind, rows in [("random", _choices(rng)), ("ties", _ties(rng)), ("one", [-np.ones(2)])]:
        for per_token in (False, True):
            shown = "[" + ", ".join(np.array2string(r, separator=", ") for r in rows) + "]"
            when = say("check.thinking.when_rows", rows=shown, per_token=per_token)
            got = as_array(call(fn, [r.copy() for r in rows], per_token, when=when), "index", when)
            if got.size != 1 or not np.issubdtype(got.dtype, np.integer):
                raise Mistake(say("check.thinking.one_index", when=when))
            got = int(got.reshape(()))
            want = best_choice_reference(rows, per_token)
            if got == want:
                continue
            if got == best_choice_reference(rows, not per_token):
                raise Mistake(
                    say(f"check.thinking.{'sum' if per_token else 'mean'}_used", when=when)
                )
            scores = [float(r.mean() if per_token else r.sum()) for r in rows]
            if got == int(np.argmin(scores)):
                raise Mistake(say("check.thinking.least", when=when))
            if kind == "ties" and 0 <= got < len(rows) and scores[got] == scores[want]:
                raise Mistake(say("check.thinking.tie_first", got=got, want=want, when=when))
            raise Mistake(say("check.thinking.not_best", got=got, want=want, when=when))


# --- run_tools ------------------------------------------------------------------------------

ECHO = "\x00echo"  # in a Script: a piece that repeats the last result the context holds


class Script:
    """A stand-in model for the tool loop: call n returns pieces[n] ("" once they run out).

    The piece ECHO becomes " so " + what follows the context's last "=", as a model that read
    the calculator's answer would write; a loop that does not hand the model its whole context
    shows. A class rather than a closure so that the batch grader can send it to a kernel.
    """

    def __init__(self, pieces: list[str]):
        self.pieces, self.calls = list(pieces), 0

    def __call__(self, context: str) -> str:
        piece = self.pieces[self.calls] if self.calls < len(self.pieces) else ""
        self.calls += 1
        if piece == ECHO:
            return " so " + (str(context).rsplit("=", 1)[-1] if "=" in str(context) else "?")
        return piece


def tool_loop(step_fn, prompt, max_steps, *, run=tools.calculator, cut=True, across=True,
              append=True):  # fmt: skip
    """run_with_tools's context with one mistake switched on: `run` instead of the calculator,
    no cut after a closing marker, a marker split over two pieces unseen (`across=False`), or
    no result appended. With the defaults it equals context(run_with_tools(...))."""
    text, size = prompt, len(tools.CALL_CLOSE)
    for _ in range(max_steps):
        piece = step_fn(text)
        if not piece:
            break
        end = (text + piece).find(tools.CALL_CLOSE, max(len(text) - size + 1, 0))
        if not across and tools.CALL_CLOSE not in piece:
            end = -1
        full = text + piece
        text = full[: end + size] if end >= 0 and cut else full
        if end >= 0 and append:
            try:
                result = run(tools.parse_call(full[: end + size]))
            except ValueError as why:
                result = str(why)
            text += tools.RESULT_PREFIX + result
    return text


def _as_if_eval(expr: str) -> str:
    return EVAL_VALUES.get(expr, tools.calculator(expr))


def _tool_cases(rng: np.random.Generator) -> list[tuple[str, list[str], int]]:
    a, b, c = (int(x) for x in rng.integers(2, 99, size=3))
    o, e = tools.CALL_OPEN, tools.CALL_CLOSE
    return [
        (f"{a}*{b}+{c}=", [o, f"{a}*{b}+{c}", e, ECHO, ""], 20),
        (f"{a}+{b}=", [o[:4], o[4:] + f"{a}+", f"{b}{e[:3]}", e[3:], ECHO, ""], 20),
        (f"{a}*{b}=", [o, f"{a}*{b}", f"{e}={a * b + 1} I think", ECHO, ""], 20),
        (f"{a}-{b} {c}=", [o, f"{a}-{b}", e, ECHO, " and ", o + str(c), e, ECHO, ""], 20),
        ("2**10=", [f"{a}{e}", " then ", o, "2**10", e, ECHO, ""], 20),
        (f"{c}?", [o, "len('abc')*7", e, ECHO, ""], 20),
        (f"{a}*{c}=", [o, f"{a}*{c}", e] + [ECHO] * 9, int(rng.integers(4, 7))),
        (f"{b}+1=", [o, f"{b}+1", ""], 20),
    ]


def _difference(got: str, want: str) -> tuple[int, str, str]:
    i = next((j for j, (x, y) in enumerate(zip(got, want)) if x != y), min(len(got), len(want)))
    return i, repr(got[max(i - 20, 0) : i + 20]), repr(want[max(i - 20, 0) : i + 20])


@task(LESSON, "run_tools", references=("llmlab.tools.run_with_tools",))
def check_run_tools(fn, rng):
    for prompt, pieces, max_steps in _tool_cases(rng):
        shown = [p if p != ECHO else "<echo>" for p in pieces]
        when = say("check.thinking.when_script", prompt=repr(prompt), pieces=shown, n=max_steps)
        got = call(fn, Script(pieces), prompt, max_steps, when=when)
        if not isinstance(got, str):
            raise Mistake(say("check.thinking.not_text", kind=type(got).__name__, when=when))
        want = tools.context(tools.run_with_tools(Script(pieces), prompt, max_steps))
        if got == want:
            continue
        wrong = {
            "eval": dict(run=_as_if_eval),
            "not_cut": dict(cut=False),
            "split_marker": dict(across=False),
            "no_result": dict(append=False),
        }
        for key, switches in wrong.items():
            if got == tool_loop(Script(pieces), prompt, max_steps, **switches):
                raise Mistake(say(f"check.thinking.{key}", when=when))
        for steps in (max_steps - 1, max_steps + 1):
            if got == tools.context(tools.run_with_tools(Script(pieces), prompt, steps)):
                raise Mistake(say("check.thinking.steps", n=max_steps, when=when))
        i, got_at, want_at = _difference(got, want)
        raise Mistake(say("check.thinking.differs", i=i, got=got_at, want=want_at, when=when))
