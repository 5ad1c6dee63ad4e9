"""Retrieval over the Tang corpus, and what it does for the chat model (RAG), measured.

    .venv/bin/python benchmarks/retrieval.py           # the 126 poems no model trained on
    .venv/bin/python benchmarks/retrieval.py --n 40    # quicker
    .venv/bin/python benchmarks/retrieval.py --json    # one JSON object, for scripts

1. Retrieval. The library is all 13,744 poems; a query is the first or third line of an unseen
   poem (`llmlab.evaluate.unseen_rows`: no shipped model trained on it), as a reader would
   type it. Printed: where the poem the line comes from ranks (1 = first) among all poems,
   by cosine similarity of (a) bags of characters, (b) the mean final hidden state of the
   shipped `tang` model (`llmlab.retrieval`).
2. RAG. `tang_chat` is asked for the next line ("上句：X", a task it was fine-tuned on, on
   other poems). Printed: the mean log-probability of the true next line (and <|end|>), and
   how often its greedy answer is exactly right, without a poem in the context, with the
   poem retrieved by (a), with the true poem (retrieval at its best), and with a random
   other poem (a control: does any poem help?). The poem is put in the context two ways:
   quoted in the request ("「poem」上句：X", the way the fine-tuning quoted poems) or as a
   system message.
"""

from __future__ import annotations

import argparse
import json
import random

import jax
import numpy as np
from flax import nnx

from llmlab.chat import END, encode_prompt, reply
from llmlab.data import load_tang_poems
from llmlab.data.instructions import lines
from llmlab.evaluate import exact_match, score_choices, unseen_rows
from llmlab.pretrained import load
from llmlab.retrieval import bag_of_chars, char_vocabulary, model_embeddings, rank_of, top_k


def rank_figures(ranks: list[int], size: int) -> dict[str, float]:
    r = np.asarray(ranks)
    return {
        "top1": float((r == 1).mean()),
        "top5": float((r <= 5).mean()),
        "median_rank": float(np.median(r)),
        "mean_reciprocal_rank": float((1 / r).mean()),
        "library": size,
    }


def conversation(line: str, poem: str | None, where: str) -> list[dict[str, str]]:
    ask = f"上句：{line}"
    if poem is None:
        return [{"role": "user", "content": ask}]
    if where == "quote":
        return [{"role": "user", "content": f"「{poem}」{ask}"}]
    return [{"role": "system", "content": poem}, {"role": "user", "content": ask}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=None, help="unseen poems to use (default all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    poems = load_tang_poems()
    texts = [p.poem for p in poems]
    rng = random.Random(0)
    rows = unseen_rows(poems)[: args.n]
    asked = [rng.choice([0, 2]) for _ in rows]
    queries = [lines(texts[r])[i] for r, i in zip(rows, asked)]
    answers = [lines(texts[r])[i + 1] for r, i in zip(rows, asked)]

    # 1. Retrieval: rank of the right poem among all of them.
    vocab = char_vocabulary(texts)
    chars = bag_of_chars(texts, vocab).astype(np.float64)  # converted once, not per query
    char_queries = bag_of_chars(queries, vocab)
    tang, tang_tok = load("tang")
    hidden = model_embeddings(tang, tang_tok, texts).astype(np.float64)
    hidden_queries = model_embeddings(tang, tang_tok, queries)
    out: dict = {"n": len(rows)}
    out["retrieval"] = {
        "chars": rank_figures(
            [rank_of(q, chars, r) for q, r in zip(char_queries, rows)], len(texts)
        ),
        "model": rank_figures(
            [rank_of(q, hidden, r) for q, r in zip(hidden_queries, rows)], len(texts)
        ),
    }
    retrieved = [int(top_k(q, chars, 1).indices[0]) for q in char_queries]

    # 2. RAG: the chat model's next line with and without a poem in the context.
    chat, tok = load("tang_chat")
    forward = nnx.jit(lambda m, x: m(x))
    end = tok.special_tokens[END]
    others = [(r * 7919 + 1) % len(texts) for r in rows]  # a fixed other poem per question
    contexts = {
        "none": [None] * len(rows),
        "retrieved": [texts[k] for k in retrieved],
        "true_poem": [texts[r] for r in rows],
        "other_poem": [texts[k] for k in others],
    }
    rag = {}
    for where in ("quote", "system"):
        for name, poems_in in contexts.items():
            if name == "none" and where == "system":
                continue
            logps, said = [], []
            for k, (line, poem, answer) in enumerate(zip(queries, poems_in, answers)):
                conv = conversation(line, poem, where)
                prompt = encode_prompt(conv, tok).tolist()
                target = [[*tok.encode(answer), end]]
                s = score_choices(lambda x: forward(chat, x), prompt, target)
                logps.append(float(s.total[0]))
                said.append(reply(chat, tok, conv, key=jax.random.key(k)).text)
            label = name if name == "none" else f"{name}/{where}"
            rag[label] = {
                "mean_logp": float(np.mean(logps)),
                "exact_match": exact_match(said, answers),
            }
    out["rag"] = rag
    if args.json:
        print(json.dumps(out))
        return
    print(f"{out['n']} unseen poems; queries are their first or third line")
    print(f"retrieval among {len(texts):,} poems: rank of the poem the line comes from")
    for name, f in out["retrieval"].items():
        print(
            f"  {name:<6} top-1 {f['top1']:.1%}  top-5 {f['top5']:.1%}  median rank "
            f"{f['median_rank']:g}  MRR {f['mean_reciprocal_rank']:.3f}"
        )
    print("tang_chat, 上句：X -> the next line: mean ln p(line + <|end|>), greedy exact match")
    for label, f in rag.items():
        print(f"  {label:<22} ln p {f['mean_logp']:8.2f}   exact {f['exact_match']:.1%}")


if __name__ == "__main__":
    main()
