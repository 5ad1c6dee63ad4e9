"""Accuracy of the three shipped adders on held-out problems, by number of digits.

    .venv/bin/python benchmarks/arithmetic.py              # 100 test problems per length
    .venv/bin/python benchmarks/arithmetic.py --per-length 50 --seed 1

add_direct writes the answer at once, add_scratch writes the column sums first (a chain of
thought), add_tool writes a calculator call. The tool model is scored twice: with the tool
loop executing its calls (`llmlab.tools.run_with_tools`), and with no tool, where it has to
write the result itself (it was never trained to). Answers are greedy and scored by exact
match of the final answer; the problems come from the test split, never seen in training.
"""

from __future__ import annotations

import argparse
import time

from llmlab.arithmetic import accuracy_by_digits, answers
from llmlab.data.arithmetic import MAX_DIGITS, make_problems
from llmlab.pretrained import load
from llmlab.tools import CALL_CLOSE, CALL_OPEN

RUNS = (  # column title, model, run the calculator's calls?
    ("direct", "add_direct", False),
    ("scratchpad", "add_scratch", False),
    ("tool", "add_tool", True),
    ("tool, not run", "add_tool", False),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-length", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    problems = []
    for d in range(1, MAX_DIGITS + 1):
        problems += make_problems(args.per_length, "test", seed=args.seed + d, digits=d)
    table, seconds = {}, {}
    for title, name, run_tools in RUNS:
        model, tokenizer = load(name)
        fmt = name.removeprefix("add_")
        start = time.perf_counter()
        table[title] = accuracy_by_digits(
            problems, answers(model, tokenizer, fmt, problems, run_tools=run_tools)
        )
        seconds[title] = time.perf_counter() - start
    print(f"{len(problems)} held-out problems ({args.per_length} per length), seed {args.seed}; "
          f"greedy, exact match. Tool calls are {CALL_OPEN}a+b{CALL_CLOSE}.")  # fmt: skip
    print("digits  " + "".join(f"{t:>15}" for t in table))
    for d in range(1, MAX_DIGITS + 1):
        print(f"{d:>6}  " + "".join(f"{table[t][d]:>15.1%}" for t in table))
    print("seconds " + "".join(f"{seconds[t]:>15.1f}" for t in table))


if __name__ == "__main__":
    main()
