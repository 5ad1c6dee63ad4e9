"""The shipped Tang models on a multiple-choice test: which line follows X? (chance: 25%).

    .venv/bin/python benchmarks/multiple_choice.py          # every unseen poem, and as many seen
    .venv/bin/python benchmarks/multiple_choice.py --json   # one JSON object, for scripts

The questions come from `llmlab.evaluate.next_line_questions` (seed 0): the true next line
against three lines of the same length from other poems. Each model picks the choice it gives
the highest log-probability, summed over the choice's tokens and per token (equal lengths
here, so both pick alike unless the chat's <|end|> breaks a tie). "unseen": the poems no model
trained on (`unseen_rows`); "seen": as many poems from the first 90% of the corpus, which the
models read during pretraining (tang_chat's fine-tuning may also have used them).

tang and tang_base read the poem so far and score "line。"; tang_chat is asked in its chat
format, user "上句：X", and scores "line<|end|>". "open book" puts the whole poem in the
context first (the answer is there to copy, as retrieval would put it): tang_base reads
"poem\n" before the poem so far, tang_chat is asked "「poem」上句：X". (tang's context of 32
characters has no room for it.)
"""

from __future__ import annotations

import argparse
import json

from flax import nnx

from llmlab.chat import END, encode_prompt
from llmlab.data import load_tang_poems
from llmlab.evaluate import exact_match, next_line_questions, score_choices, unseen_rows
from llmlab.pretrained import load

MODELS = ("tang", "tang_base", "tang_chat")


def logits_fn(model):
    """The model as a compiled ids (B, T) -> logits (B, T, V) function."""
    forward = nnx.jit(lambda m, x: m(x))
    return lambda x: forward(model, x)


def accuracy(name: str, questions, poems, open_book: bool = False) -> dict[str, float]:
    """Exact-match accuracy of the model's picks, by summed and by per-token log-probability."""
    model, tok = load(name)
    fn = logits_fn(model)
    picks_sum, picks_mean = [], []
    for q in questions:
        book = poems[q.poem].poem if open_book else ""
        if name == "tang_chat":
            ask = f"「{book}」上句：{q.line}" if open_book else f"上句：{q.line}"
            prompt = encode_prompt([{"role": "user", "content": ask}], tok).tolist()
            end = tok.special_tokens[END]
            choices = [[*tok.encode(c), end] for c in q.choices]
        else:
            prefix = f"{book}\n{q.prefix}" if open_book else q.prefix
            prompt, choices = tok.encode(prefix), [tok.encode(c + "。") for c in q.choices]
        s = score_choices(fn, prompt, choices)
        picks_sum.append(int(s.total.argmax()))
        picks_mean.append(int(s.per_token.argmax()))
    answers = [q.answer for q in questions]
    return {"sum": exact_match(picks_sum, answers), "per_token": exact_match(picks_mean, answers)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    poems = load_tang_poems()
    unseen = unseen_rows(poems)
    seen = range(len(poems) * 9 // 10)
    sets = {
        "unseen": next_line_questions(poems, unseen, len(unseen), seed=0),
        "seen": next_line_questions(poems, seen, len(unseen), seed=0),
    }
    out = {"chance": 0.25, "n": {k: len(v) for k, v in sets.items()}}
    for name in MODELS:
        out[name] = {k: accuracy(name, qs, poems) for k, qs in sets.items()}
        if name != "tang":
            out[name]["open_book"] = accuracy(name, sets["unseen"], poems, open_book=True)
    if args.json:
        print(json.dumps(out))
        return
    print(f"which line follows X? 4 choices, chance 25%; {out['n']} questions")
    print("accuracy by summed log-probability (per token: the same picks unless shown)")
    print(f"{'model':<10} {'unseen':>7} {'seen':>7} {'unseen, open book':>18}")
    for name in MODELS:
        row = [out[name].get(k) for k in ("unseen", "seen", "open_book")]
        cells = [
            "-"
            if f is None
            else f"{f['sum']:.1%}"
            + ("" if f["per_token"] == f["sum"] else f" ({f['per_token']:.1%})")
            for f in row
        ]
        print(f"{name:<10} {cells[0]:>7} {cells[1]:>7} {cells[2]:>18}")


if __name__ == "__main__":
    main()
