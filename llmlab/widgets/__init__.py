"""Interactive widgets for the lessons: one function per picture, each returning a widget.

    lesson  function                                   shows
    00      device_check()                             devices, platform, versions (HTML)
    00, 09  generation_playground(model, tok, prompt)  streaming text; T, top-k, top-p, seed
    01      venn_explorer()                            P(A), P(B), P(A∩B), P(A∣B), P(B∣A)
    01      next_token_explorer(table, tok)            bars of P(next ∣ context); append
    02      token_viewer(text)                         characters, bytes, BPE tokens, counts
    02      merge_stepper(text)                        BPE merges one at a time
    03      temperature_explorer(logits, labels)       T, top-k, top-p; entropy; samples
    04      loss_explorer()                            −ln p against p; one-hot target
    04, 08  training_dashboard(model, train, val, cfg) live curves, samples, Train / Stop
    05      embedding_map(model, tok)                  PCA map, cosine nearest neighbours
    06      attention_heatmap(model, tok, text)        weights by layer and head, causal mask
    07      model_view(model), param_calculator()      parameters per part; GPT-1/2/3 sizes
    10      side_by_side(models, tok, request)         one request, base / SFT / LoRA answers
    11      dpo_shift(runs)                            ln P(chosen), ln P(rejected) per β, by step
    11      arena_leaderboard(names, winners, losers)  ratings ± 95 % as the votes come in
    12      scaling_plot(n_params, losses)             log-log fit on k sizes, its prediction
    12      tradeoff_explorer(rows)                    bits and sparsity against loss and size
    13      tool_trace(adder, tok)                     a calculator call, step by step; tool on/off
    13      retrieval_explorer(poems, mats, embedders) the k nearest poems to a query, by method

Files: `panel.py` (the base every widget shares: one-line messages for bad input, visible
tracebacks for bugs, a static picture for front ends without widgets), one module per
widget, `prompt.py` (text -> model input without recompiling), and `render/`: pure
renderers, arrays in and a matplotlib Figure (or HTML) out, testable without any widget.

Every widget works without a widget front end too: displayed on GitHub, nbviewer or in an
exported notebook it shows a static picture of its current state. The core library never
imports this package.
"""

from llmlab.widgets.arena import arena_leaderboard
from llmlab.widgets.attention import attention_heatmap
from llmlab.widgets.device import device_check
from llmlab.widgets.dpo_shift import dpo_shift
from llmlab.widgets.embedding import embedding_map
from llmlab.widgets.generation import generation_playground
from llmlab.widgets.loss import loss_explorer
from llmlab.widgets.model_view import model_view, param_calculator
from llmlab.widgets.next_token import next_token_explorer
from llmlab.widgets.retrieval import retrieval_explorer
from llmlab.widgets.scaling import scaling_plot
from llmlab.widgets.side_by_side import side_by_side
from llmlab.widgets.temperature import temperature_explorer
from llmlab.widgets.tokens import merge_stepper, token_viewer
from llmlab.widgets.tool_trace import tool_trace
from llmlab.widgets.tradeoff import tradeoff_explorer
from llmlab.widgets.training import training_dashboard
from llmlab.widgets.venn import venn_explorer

__all__ = [
    "arena_leaderboard",
    "attention_heatmap",
    "device_check",
    "dpo_shift",
    "embedding_map",
    "generation_playground",
    "loss_explorer",
    "merge_stepper",
    "model_view",
    "next_token_explorer",
    "param_calculator",
    "retrieval_explorer",
    "scaling_plot",
    "side_by_side",
    "temperature_explorer",
    "token_viewer",
    "tool_trace",
    "tradeoff_explorer",
    "training_dashboard",
    "venn_explorer",
]
