"""How fast does each widget answer a control? Drives every control and times the response.

    .venv/bin/python benchmarks/widgets.py           # a table: median wall / CPU ms per control
    .venv/bin/python benchmarks/widgets.py --json    # one JSON object, for scripts

Each widget is built once (and warmed up, so compilation is not timed); then each control is
set to a few different values and the callback's time is measured, from setting the value to
the new PNG being ready. Wall time includes waiting for a core on a shared machine; CPU time
(this process) does not. The target is under 200 ms. It also checks that no control made a
jitted function compile again (the jit caches must not grow while values change).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings

import numpy as np
from flax import nnx

from llmlab.model import GPT, GPTConfig
from llmlab.tokenizer import BPETokenizer, CharTokenizer
from llmlab.widgets import (
    attention_heatmap,
    embedding_map,
    generation_playground,
    loss_explorer,
    merge_stepper,
    next_token_explorer,
    param_calculator,
    temperature_explorer,
    token_viewer,
    venn_explorer,
)
from llmlab.widgets.attention import attention_weights
from llmlab.widgets.prompt import _forward
from llmlab.widgets.temperature import explore

TARGET_MS = 200.0


def time_control(setter, values) -> tuple[float, float]:
    """Median wall and CPU milliseconds of setter(v) over the values."""
    walls, cpus = [], []
    for value in values:
        start, cpu = time.perf_counter(), time.process_time()
        setter(value)
        walls.append(1000 * (time.perf_counter() - start))
        cpus.append(1000 * (time.process_time() - cpu))
    return statistics.median(walls), statistics.median(cpus)


def setter(widget, name):
    return lambda v: setattr(getattr(widget, name), "value", v)


def clicker(widget, name):
    return lambda _: getattr(widget, name).click()


def cache_sizes() -> dict[str, int]:
    return {
        f.__name__ if hasattr(f, "__name__") else str(f): f._cache_size()
        for f in (explore, attention_weights, _forward)
        if hasattr(f, "_cache_size")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    text = "First Citizen:\nBefore we proceed any further, hear me speak.\n床前明月光，疑是地上霜。"
    tok = CharTokenizer.from_text(text + "abcdefghijklmnopqrstuvwxyz")
    model = GPT(GPTConfig.tiny(tok.vocab_size), rngs=nnx.Rngs(0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bpe = BPETokenizer().train(text * 20, 300)

    # (widget name, widget, [(control, action, values)])
    cases = []
    w = venn_explorer()
    cases.append(
        (
            "venn_explorer",
            w,
            [
                ("both", setter(w, "both"), [4, 5, 2, 3]),
                ("neither", setter(w, "neither"), [6, 1, 3, 2]),
            ],
        )
    )
    w = temperature_explorer()
    cases.append(("temperature_explorer", w, [
        ("temperature", setter(w, "temperature"), [0.0, 0.5, 1.5, 2.5, 1.0]),
        ("top_k", setter(w, "top_k"), [1, 2, 3, 5]),
        ("top_p", setter(w, "top_p"), [0.3, 0.6, 0.9, 1.0]),
        ("num_samples", setter(w, "num_samples"), [10, 500, 2000, 200]),
        ("seed", setter(w, "seed"), [1, 2, 3, 0]),
    ]))  # fmt: skip
    w = temperature_explorer(model=model, tokenizer=tok, prompt="First")
    cases.append(("temperature_explorer(model)", w, [
        ("temperature", setter(w, "temperature"), [0.2, 0.7, 1.3, 1.0]),
        ("prompt", setter(w, "prompt"), ["Fir", "Before we", "hear me", "First"]),
    ]))  # fmt: skip
    w = next_token_explorer(context="First Cit")
    cases.append(("next_token_explorer", w, [
        ("context", setter(w, "context"), ["Th", "q", "Before w", "First Cit"]),
        ("append", clicker(w, "append"), range(4)),
        ("sample", clicker(w, "sample"), range(4)),
    ]))  # fmt: skip
    w = next_token_explorer(model=model, tokenizer=tok, context="First")
    cases.append(("next_token_explorer(model)", w, [
        ("context", setter(w, "context"), ["Fir", "Before", "hear me", "First"]),
    ]))  # fmt: skip
    w = token_viewer(text, bpe=bpe)
    cases.append(("token_viewer", w, [
        ("text", setter(w, "text"), ["hello", "床前明月光", text, "First Citizen"]),
    ]))  # fmt: skip
    w = merge_stepper()
    cases.append(("merge_stepper", w, [
        ("next", clicker(w, "next"), range(4)),
        ("step", setter(w, "step"), [0, 5, 2, 8]),
    ]))  # fmt: skip
    w = loss_explorer()
    cases.append(("loss_explorer", w, [
        ("p", setter(w, "p"), [0.1, 0.5, 0.9, 0.4]),
        ("target", setter(w, "target"), [0, 1, 3, 2]),
    ]))  # fmt: skip
    w = embedding_map(model, tok, token="a")
    cases.append(("embedding_map", w, [
        ("token", setter(w, "token"), [1, 5, 9, 2]),
        ("k", setter(w, "k"), [3, 8, 12, 5]),
    ]))  # fmt: skip
    w = attention_heatmap(model, tok, "First Citizen")
    cases.append(("attention_heatmap", w, [
        ("layer", setter(w, "layer"), [1, 0, 1, 0]),
        ("head", setter(w, "head"), [1, 2, 3, 0]),
        ("text", setter(w, "text"), ["Before we", "hear me speak", "床前明月光", "First Citizen"]),
    ]))  # fmt: skip
    w = param_calculator()
    cases.append(("param_calculator", w, [
        ("preset", setter(w, "preset"), ["GPT-3 (2020, 175B)", "GPT-1 (2018, 117M)",
                                         "GPT-2 XL (2019, 1.5B)", "GPT-2 small (124M)"]),
        ("n_layer", setter(w, "n_layer"), [24, 6, 48, 12]),
    ]))  # fmt: skip
    w = generation_playground(model, tok, "First", length=50, run=True)
    cases.append(("generation_playground (50 tokens)", w, [
        ("generate", clicker(w, "button"), range(3)),
    ]))  # fmt: skip

    before = cache_sizes()
    rows = []
    for name, widget, controls in cases:
        for control, action, values in controls:
            action(next(iter(values)))  # warm-up: first-time paths (fonts, caches)
            wall, cpu = time_control(action, values)
            rows.append({"widget": name, "control": control, "wall_ms": round(wall, 1),
                         "cpu_ms": round(cpu, 1)})  # fmt: skip
            if widget.errors:
                raise RuntimeError(f"{name}.{control} raised {widget.errors[-1]!r}")
    after = cache_sizes()
    result = {
        "target_ms": TARGET_MS,
        "controls": rows,
        "recompiled": {k: after[k] - before.get(k, 0) for k in after},
        "slower_than_target_cpu": [
            f"{r['widget']}.{r['control']}" for r in rows if r["cpu_ms"] > TARGET_MS
        ],
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{'widget':<36}{'control':<14}{'wall ms':>9}{'cpu ms':>9}")
    for r in rows:
        flag = "" if r["cpu_ms"] <= TARGET_MS else "  > target"
        print(f"{r['widget']:<36}{r['control']:<14}{r['wall_ms']:>9.1f}{r['cpu_ms']:>9.1f}{flag}")
    print(f"new compilations while controls changed: {result['recompiled']}")
    cpu_all = [r["cpu_ms"] for r in rows if not r["widget"].startswith("generation")]
    print(f"median over controls: {np.median(cpu_all):.1f} ms CPU; worst {max(cpu_all):.1f} ms")


if __name__ == "__main__":
    main()
