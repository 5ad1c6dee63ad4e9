"""What supervised fine-tuning bought: how often an answer has the requested form, before/after.

    .venv/bin/python benchmarks/sft.py              # 300 held-out requests, greedy answers
    .venv/bin/python benchmarks/sft.py --n 60       # quicker
    .venv/bin/python benchmarks/sft.py --json       # one JSON object, for scripts

For each held-out conversation of the instruction set (poems never seen in fine-tuning), the
shipped base model `tang_base` and the fine-tuned `tang_chat` answer greedily; an answer
counts when it has the form the request asks for (`llmlab.data.instructions.has_form`: e.g.
a line as long as the given one, four lines of five characters) and the model ended it with
`<|end|>` itself. Also printed: the masked loss on the held-out answers, and the
pretraining validation loss of each (how much of the poems SFT made the model forget).
"""

from __future__ import annotations

import argparse
import json

import jax

from llmlab.chat import example_batch, sft_loss
from llmlab.data import encode_corpus, load_text, train_val_split
from llmlab.data.instructions import load_instructions
from llmlab.form_rate import form_rates
from llmlab.pretrained import load
from llmlab.pretrained.build import SFT, sft_data
from llmlab.train import TrainConfig, evaluate


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="held-out requests (of 500)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    test = load_instructions("test")[: args.n]
    text = load_text("tang")
    pretrain = TrainConfig(batch_size=10, block_size=80, eval_iters=100)
    figures = {}
    for name in ("tang_base", "tang_chat"):
        model, tokenizer = load(name)
        _, val = train_val_split(encode_corpus(text, tokenizer), 0.1)
        chat = sft_data(tokenizer, "test")
        figures[name] = {
            "form_rate": form_rates(model, tokenizer, test, key=jax.random.key(0)),
            "answer_loss": evaluate(model, chat, SFT, jax.random.key(0), loss_fn=sft_loss,
                                    batch_fn=example_batch),
            "poem_val_loss": evaluate(model, val, pretrain, jax.random.key(0)),
        }  # fmt: skip
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{len(test)} held-out requests, greedy answers")
        for name, f in figures.items():
            rates = "  ".join(f"{t} {r:.0%}" for t, r in f["form_rate"].items())
            print(f"{name:10s} form: {rates}")
            print(f"{'':10s} loss on held-out answers {f['answer_loss']:.3f}, "
                  f"on held-out poems {f['poem_val_loss']:.3f}")  # fmt: skip
    return figures


if __name__ == "__main__":
    main()
