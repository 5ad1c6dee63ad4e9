"""What the widgets around a model show: generation, attention, embeddings, training, sizes.

The generation playground, attention heatmap, embedding map, training dashboard, model view,
parameter calculator and device check (llmlab.widgets); keys "widgets.<widget>.<what>", as in
`llmlab.messages.widgets`, which holds the shared control names and the renderers' words.
"""

MESSAGES = {
    # --- generation playground (generation.py) ------------------------------------------------
    "widgets.generation.tokens": {"en": "tokens", "zh": "词元数"},
    "widgets.generation.button": {"en": "Generate", "zh": "生成"},
    "widgets.generation.bad_length": {
        "en": "length must be an int from 1 to 1000, got {value}",
        "zh": "length 必须是 1 到 1000 之间的整数，收到的是 {value}",
    },
    # --- attention heatmap (attention.py) -----------------------------------------------------
    "widgets.attention.layer": {"en": "layer", "zh": "层"},
    "widgets.attention.head": {"en": "head", "zh": "头"},
    "widgets.attention.title": {
        "en": "layer {layer}, head {head}: each row sums to 1; grey = future (masked)",
        "zh": "第 {layer} 层，第 {head} 个头：每行之和为 1；灰色 = 未来（被掩码遮住）",
    },
    # --- embedding map (embedding.py) ---------------------------------------------------------
    "widgets.embedding.token": {"en": "token", "zh": "词元"},
    "widgets.embedding.neighbours": {"en": "neighbours", "zh": "邻居数"},
    "widgets.embedding.nearest": {"en": "nearest to {token}", "zh": "与 {token} 最近的"},
    "widgets.embedding.cosine": {"en": "cosine", "zh": "余弦"},
    "widgets.embedding.no_table": {
        "en": "expected a model with a wte embedding table, got {kind}",
        "zh": "需要一个带有 wte 嵌入表的模型，收到的是 {kind}",
    },
    "widgets.embedding.no_model": {
        "en": "embedding_map needs model and tokenizer, or embeddings and labels",
        "zh": "embedding_map 需要 model 和 tokenizer，或者 embeddings 和 labels",
    },
    "widgets.embedding.bad_shape": {
        "en": "embeddings must have shape (V, C) with V >= 2, got {shape}",
        "zh": "embeddings 的形状必须是 (V, C) 且 V >= 2，收到的是 {shape}",
    },
    "widgets.embedding.broken": {
        "en": "{n} of {total} embedding rows hold NaN or infinite numbers (first: row {first}), "
        "so there is no map to draw: the model's weights are broken (did its training loss "
        "become NaN?)",
        "zh": "{total} 行嵌入中有 {n} 行含有 NaN 或无穷大（第一个是第 {first} 行），所以画不出图："
        "模型的权重坏了（训练时损失是不是变成了 NaN？）",
    },
    "widgets.embedding.label_count": {
        "en": "need one label per embedding row ({n}), got {got}",
        "zh": "每一行嵌入需要一个标签（共 {n} 行），收到的是 {got} 个",
    },
    "widgets.embedding.unknown_token": {
        "en": "token {token} is not one of the labels",
        "zh": "词元 {token} 不在标签里",
    },
    "widgets.embedding.bad_id": {
        "en": "token id must be in [0, {n}), got {value}",
        "zh": "词元编号必须在 [0, {n}) 之内，收到的是 {value}",
    },
    # --- training dashboard (training.py) -----------------------------------------------------
    "widgets.training.steps": {"en": "steps", "zh": "步数"},
    "widgets.training.train": {"en": "Train", "zh": "训练"},
    "widgets.training.stop": {"en": "Stop", "zh": "停止"},
    "widgets.training.status": {
        "en": "<b>{run}</b> · step {step} · train loss {loss:.4f}",
        "zh": "<b>{run}</b> · 第 {step} 步 · 训练损失 {loss:.4f}",
    },
    "widgets.training.status_val": {"en": " · val loss {loss:.4f}", "zh": " · 验证损失 {loss:.4f}"},
    "widgets.training.status_speed": {
        "en": " · {speed:,.0f} tokens/s",
        "zh": " · 每秒 {speed:,.0f} 个词元",
    },
    "widgets.training.status_time": {"en": " · {seconds:.1f} s", "zh": " · {seconds:.1f} 秒"},
    "widgets.training.bad_record": {
        "en": "a record needs 'step' and 'train_loss', got keys {keys}",
        "zh": "一条记录需要 'step' 和 'train_loss'，收到的键是 {keys}",
    },
    "widgets.training.no_model": {
        "en": "This dashboard only plots records: it was made without a model.",
        "zh": "这个面板只能画记录：创建它时没有给模型。",
    },
    "widgets.training.busy": {
        "en": "Already training: press Stop first, or wait.",
        "zh": "正在训练：请先按“停止”，或者等一等。",
    },
    "widgets.training.at_max": {
        "en": "This run reached cfg.max_steps = {max_steps}; start a new run (dash.new_run(...)) "
        "with a larger max_steps to train more.",
        "zh": "这次训练已经到了 cfg.max_steps = {max_steps}；要继续训练，请用更大的 max_steps "
        "开始一次新的训练 (dash.new_run(...))。",
    },
    "widgets.training.bad_steps": {
        "en": "steps must be a whole number >= 1, got {value}",
        "zh": "steps（步数）必须是 >= 1 的整数，收到的是 {value}",
    },
    "widgets.training.stopping": {
        "en": "Stopping after the current steps...",
        "zh": "当前这几步完成后就停止……",
    },
    "widgets.training.finished": {
        "en": "Finished: step {step} of {max_steps}.",
        "zh": "完成：第 {step} 步，共 {max_steps} 步。",
    },
    "widgets.training.failed": {
        "en": "Training failed at step {step}, and its optimiser state with it: Train would go "
        "on from these weights with a fresh Adam state.",
        "zh": "训练在第 {step} 步失败了，优化器状态也随之丢失：再按“训练”会从当前权重继续，"
        "但 Adam 状态是全新的。",
    },
    "widgets.training.stopped": {
        "en": "Stopped at step {step} of {max_steps}: press Train to continue.",
        "zh": "已停在第 {step} 步（共 {max_steps} 步）：按“训练”继续。",
    },
    "widgets.training.paused": {
        "en": "Paused at step {step} of {max_steps}: press Train to continue.",
        "zh": "已暂停在第 {step} 步（共 {max_steps} 步）：按“训练”继续。",
    },
    "widgets.training.run_exists": {
        "en": "a run called {name} exists already; pick a new name",
        "zh": "已经有一次叫 {name} 的训练了；请换一个名字",
    },
    "widgets.training.stop_first": {
        "en": "Stop the current run before starting a new one.",
        "zh": "开始新的训练之前，请先停止当前这次。",
    },
    "widgets.training.no_sample": {
        "en": "<b>no sample at step {step}</b>: {reason}",
        "zh": "<b>第 {step} 步没有样本</b>：{reason}",
    },
    "widgets.training.sample": {
        "en": "<b>sample at step {step}</b>",
        "zh": "<b>第 {step} 步的样本</b>",
    },
    "widgets.training.needs_data": {
        "en": "training_dashboard(model, ...) also needs train_data, val_data, cfg",
        "zh": "training_dashboard(model, ...) 还需要 train_data、val_data 和 cfg",
    },
    "widgets.training.empty_prompt": {
        "en": "prompt must not be empty: samples continue from it",
        "zh": "prompt 不能为空：样本要从它接着往下写",
    },
    "widgets.training.bad_prompt": {
        "en": "the sample prompt {prompt} cannot be encoded: {reason}",
        "zh": "样本提示词 {prompt} 无法词元化：{reason}",
    },
    "widgets.training.first_run": {"en": "run 1", "zh": "第 1 次"},
    # --- model view and parameter calculator (model_view.py) ----------------------------------
    "widgets.model.part": {"en": "part", "zh": "部分"},
    "widgets.model.shape": {"en": "shape", "zh": "形状"},
    "widgets.model.parameters": {"en": "parameters", "zh": "参数"},
    "widgets.model.share": {"en": "share", "zh": "占比"},
    "widgets.model.total": {"en": "total", "zh": "合计"},
    "widgets.model.tree": {"en": "tree (treescope)", "zh": "树状图 (treescope)"},
    "widgets.model.not_nnx": {
        "en": "model_view expects a Flax NNX module, got {kind}",
        "zh": "model_view 需要一个 Flax NNX 模块，收到的是 {kind}",
    },
    "widgets.calc.preset": {"en": "preset", "zh": "预设"},
    "widgets.calc.this_config": {"en": "this config", "zh": "当前配置"},
    "widgets.calc.our_model": {"en": "our model", "zh": "我们的模型"},
    "widgets.calc.readout": {
        "en": "<b>{count:,}</b> parameters ({short})<br>embeddings V·C + T·C = {embeddings:,}<br>"
        "blocks ≈ 12·L·C² = 12·{L}·{C}² = {rule:,} ({share:.0%} of all)<br>memory: {fp32} in "
        "float32, {bf16} in bfloat16",
        "zh": "<b>{count:,}</b> 个参数（{short}）<br>嵌入 V·C + T·C = {embeddings:,}<br>"
        "各个块 ≈ 12·L·C² = 12·{L}·{C}² = {rule:,}（占全部的 {share:.0%}）<br>内存：float32 "
        "下 {fp32}，bfloat16 下 {bf16}",
    },
    "widgets.calc.title": {
        "en": "this config: {short} parameters",
        "zh": "当前配置：{short} 个参数",
    },
    "widgets.calc.bytes": {"en": "{n} bytes", "zh": "{n} 字节"},
    "widgets.calc.bad_preset": {
        "en": "preset must be one of {presets}, got {value}",
        "zh": "preset 必须是 {presets} 之一，收到的是 {value}",
    },
    # --- device check (device.py) -------------------------------------------------------------
    "widgets.device.device": {"en": "device", "zh": "设备"},
    "widgets.device.backend": {"en": "default backend", "zh": "默认后端"},
    "widgets.device.system": {"en": "system", "zh": "操作系统"},
    "widgets.device.missing": {"en": "missing", "zh": "未安装"},
    "widgets.device.accelerator": {
        "en": "You are on an accelerator: lessons pick bigger presets automatically.",
        "zh": "你在用加速器：课程会自动选用更大的预设。",
    },
    "widgets.device.cpu": {
        "en": "You are on a CPU: every lesson runs here, with small presets.",
        "zh": "你在用 CPU：每一课都能在这里运行，用的是小预设。",
    },
}
