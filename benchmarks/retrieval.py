"""Retrieval over the Tang corpus, and what it does for the chat model (RAG), measured.

    .venv/bin/python benchmarks/retrieval.py           # every unseen poem (about 120)
    .venv/bin/python benchmarks/retrieval.py --n 40    # quicker
    .venv/bin/python benchmarks/retrieval.py --json    # one JSON object, for scripts

1. Retrieval. The library is all 13,744 poems; a query is the first or third line of an unseen
   poem (`llmlab.evaluate.unseen_rows`: no shipped model trained on it, and whose author and
   title use only characters tang_chat knows), as a reader would type it. Printed: where the
   poem the line comes from ranks (1 = first) among all poems,
   by cosine similarity of (a) bags of characters, (b) the mean final hidden state of the
   shipped `tang` model (`llmlab.retrieval`).
   Also by name: the query is the poem's author and title, the library the 13,744 names.
2. RAG. `tang_chat` answers two requests about each unseen poem; printed for each: the mean
   log-probability of the true answer (and <|end|>) and how often its greedy answer is
   exactly right, with no poem in the context, with the poem retrieved by characters, with
   the true poem (retrieval at its best), and with a fixed other poem (a control: does any
   poem help?). The poem is quoted in the request, as the fine-tuning quoted poems.
   - next: "上句：X" -> the next line; with a poem, "「poem」上句：X" (a combination it was
     never fine-tuned on);
   - first: "author《title》的第一句是什么？" -> the first line; with the poem retrieved by
     name, "「poem」的第一句是什么？" (a request it was fine-tuned on, on other poems).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=None, help="unseen poems to use (default all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    poems = load_tang_poems()
    texts = [p.poem for p in poems]
    rng = random.Random(0)
    chat, tok = load("tang_chat")
    # Requests name the poem's author and title: keep poems whose names tang_chat can read.
    readable = set(tok.chars)
    rows = [r for r in unseen_rows(poems) if set(poems[r].author + poems[r].title) <= readable]
    rows = rows[: args.n]
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

    # Retrieval by name: the author and title a reader would ask about, over the same records.
    names = [f"{p.author}{p.title}" for p in poems]
    name_vocab = char_vocabulary(names)
    name_matrix = bag_of_chars(names, name_vocab).astype(np.float64)
    name_queries = bag_of_chars([names[r] for r in rows], name_vocab)
    out["retrieval"]["chars_by_name"] = rank_figures(
        [rank_of(q, name_matrix, r) for q, r in zip(name_queries, rows)], len(texts)
    )
    by_name = [int(top_k(q, name_matrix, 1).indices[0]) for q in name_queries]

    # 2. RAG: tang_chat answers with and without a poem in its context.
    forward = nnx.jit(lambda m, x: m(x))
    end = tok.special_tokens[END]
    others = [(r * 7919 + 1) % len(texts) for r in rows]  # a fixed other poem per question
    firsts = [lines(texts[r])[0] for r in rows]
    tasks = {
        # task: (how it is asked without a poem, with poem P, the answer, what retrieval found)
        "next": (lambda k: f"上句：{queries[k]}", lambda k, p: f"「{p}」上句：{queries[k]}",
                 answers, retrieved),
        "first": (lambda k: f"{poems[rows[k]].author}《{poems[rows[k]].title}》的第一句是什么？",
                  lambda k, p: f"「{p}」的第一句是什么？", firsts, by_name),
    }  # fmt: skip
    rag = {}
    for task, (bare, with_poem, truth, found) in tasks.items():
        contexts = {
            "none": [None] * len(rows),
            "retrieved": [texts[k] for k in found],
            "true_poem": [texts[r] for r in rows],
            "other_poem": [texts[k] for k in others],
        }
        for name, poems_in in contexts.items():
            logps, said = [], []
            for k, poem in enumerate(poems_in):
                ask = bare(k) if poem is None else with_poem(k, poem)
                conv = [{"role": "user", "content": ask}]
                prompt = encode_prompt(conv, tok).tolist()
                target = [[*tok.encode(truth[k]), end]]
                logps.append(float(score_choices(lambda x: forward(chat, x), prompt, target)[0][0]))
                said.append(reply(chat, tok, conv, key=jax.random.key(k)).text)
            rag[f"{task}/{name}"] = {
                "mean_logp": float(np.mean(logps)),
                "exact_match": exact_match(said, truth),
            }
    out["rag"] = rag
    if args.json:
        print(json.dumps(out))
        return
    print(f"{out['n']} unseen poems; queries are their first or third line")
    print(f"retrieval among {len(texts):,} poems: rank of the poem the line comes from")
    for name, f in out["retrieval"].items():
        print(
            f"  {name:<13} top-1 {f['top1']:.1%}  top-5 {f['top5']:.1%}  median rank "
            f"{f['median_rank']:g}  MRR {f['mean_reciprocal_rank']:.3f}"
        )
    print("tang_chat: mean ln p(true answer + <|end|>) and greedy exact match, by poem in context")
    for label, f in rag.items():
        print(f"  {label:<22} ln p {f['mean_logp']:8.2f}   exact {f['exact_match']:.1%}")


if __name__ == "__main__":
    main()
