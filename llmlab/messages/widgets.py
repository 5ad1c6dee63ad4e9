"""What the widgets show: labels, buttons, slider names, status lines, axis labels, titles.

Used by llmlab.widgets and llmlab.widgets.render. Keys are "widgets.<widget>.<what>"; a
widget reads its labels when it is built, a renderer its axis labels when it draws.
Symbols (T, top-k, top-p, P(A∣B), −ln p) and argument names stay as they are in both
languages.
"""

MESSAGES = {
    # --- every widget (panel.py, prompt.py) --------------------------------------------------
    "widgets.seed_range": {
        "en": "seed must be a whole number from {low} to {high}, got {value}",
        "zh": "seed（随机种子）必须是 {low} 到 {high} 之间的整数，收到的是 {value}",
    },
    "widgets.bug": {
        "en": "Error in this widget (please report it):",
        "zh": "这个小部件出错了（请报告这个问题）：",
    },
    "widgets.prompt_empty": {
        "en": "Type some text first: the prompt is empty.",
        "zh": "请先输入一些文字：提示词是空的。",
    },
    "widgets.cannot_encode": {
        "en": "Cannot encode this text: {reason}",
        "zh": "无法对这段文字做词元化：{reason}",
    },
    "widgets.no_tokens": {
        "en": "This text encodes to no tokens at all.",
        "zh": "这段文字词元化后一个词元也没有。",
    },
    "widgets.prompt_cropped": {
        "en": "The prompt has {n} tokens but the model sees only {block_size}: using the last "
        "{block_size}.",
        "zh": "提示词有 {n} 个词元，但模型只能看到 {block_size} 个：只用最后 {block_size} 个。",
    },
    "widgets.needs_tokenizer": {
        "en": "{widget}(model=...) also needs tokenizer=..., got None",
        "zh": "{widget}(model=...) 还需要 tokenizer=...，但收到的是 None",
    },
    "widgets.not_a_gpt": {
        "en": "expected an llmlab GPT (with .config), got {kind}",
        "zh": "需要一个 llmlab 的 GPT（带有 .config），收到的是 {kind}",
    },
    # --- control names shared by several widgets ----------------------------------------------
    "widgets.temperature": {"en": "temperature", "zh": "温度"},
    "widgets.seed": {"en": "seed", "zh": "随机种子"},
    "widgets.prompt": {"en": "prompt", "zh": "提示词"},
    "widgets.text": {"en": "text", "zh": "文本"},
    # --- temperature explorer (temperature.py) ------------------------------------------------
    "widgets.temperature.samples": {"en": "samples", "zh": "样本数"},
    "widgets.temperature.other": {"en": "(other)", "zh": "（其他）"},
    "widgets.temperature.after": {"en": "after", "zh": "调整后"},
    "widgets.temperature.sampled": {"en": "samples", "zh": "抽样"},
    "widgets.temperature.title": {
        "en": "T = {t:g}: entropy {entropy:.2f} nats (T = 1: {before:.2f}); {kept} tokens can "
        "be drawn",
        "zh": "T = {t:g}：熵 {entropy:.2f} 奈特（T = 1 时为 {before:.2f}）；可抽到 {kept} 个词元",
    },
    "widgets.temperature.readout": {
        "en": "entropy {entropy:.2f} nats · {kept} tokens can be drawn<br>{n} samples: most "
        "often <b>{token}</b> ({count} times)",
        "zh": "熵 {entropy:.2f} 奈特 · 可抽到 {kept} 个词元<br>{n} 次抽样：最常见的是 "
        "<b>{token}</b>（{count} 次）",
    },
    "widgets.temperature.bad_logits": {
        "en": "logits must have shape (V,), got {shape}",
        "zh": "logits（对数值）的形状必须是 (V,)，收到的是 {shape}",
    },
    "widgets.temperature.label_count": {
        "en": "need one label per logit ({n}), got {got}",
        "zh": "每个对数值需要一个标签（共 {n} 个），收到的是 {got} 个",
    },
    # --- Venn explorer (venn.py) --------------------------------------------------------------
    "widgets.venn.only": {"en": "only {name}", "zh": "只有{name}"},
    "widgets.venn.both": {"en": "both", "zh": "两者都有"},
    "widgets.venn.neither": {"en": "neither", "zh": "两者都无"},
    "widgets.venn.undefined": {"en": "undefined ({den} people)", "zh": "无定义（{den} 人）"},
    "widgets.venn.total": {"en": "total", "zh": "总数"},
    "widgets.venn.people": {"en": "{n} people", "zh": "{n} 人"},
    "widgets.venn.event": {"en": "event", "zh": "事件"},
    "widgets.venn.fraction": {"en": "fraction", "zh": "分数"},
    "widgets.venn.decimal": {"en": "decimal", "zh": "小数"},
    "widgets.venn.all_zero": {
        "en": "All four regions are 0: put at least one person somewhere.",
        "zh": "四个区域都是 0：至少要在某个区域里放一个人。",
    },
    "widgets.venn.bad_count": {
        "en": "{name} must be an int between 0 and {maximum}, got {value}",
        "zh": "{name} 必须是 0 到 {maximum} 之间的整数，收到的是 {value}",
    },
    "widgets.venn.tennis": {"en": "tennis", "zh": "网球"},
    "widgets.venn.football": {"en": "football", "zh": "足球"},
    # --- loss explorer (loss.py) --------------------------------------------------------------
    "widgets.loss.p": {"en": "p(right)", "zh": "p(正确)"},
    "widgets.loss.target": {"en": "right token", "zh": "正确词元"},
    "widgets.loss.readout": {
        "en": "cross-entropy with the one-hot target = −ln p(<b>{token}</b>) = −ln {p:.2f} = "
        "<b>{loss:.3f}</b> nats · perplexity e<sup>loss</sup> = {perplexity:.2f}",
        "zh": "与独热 (one-hot) 目标的交叉熵 = −ln p(<b>{token}</b>) = −ln {p:.2f} = "
        "<b>{loss:.3f}</b> 奈特 · 困惑度 e<sup>loss</sup> = {perplexity:.2f}",
    },
    "widgets.loss.bad_probs": {
        "en": "need >= 2 labels and one probability each, got {n} and {shape}",
        "zh": "需要至少 2 个标签，每个标签一个概率，收到的是 {n} 个标签和形状 {shape}",
    },
    "widgets.loss.bad_target": {
        "en": "target must index the labels (0 to {last}), got {value}",
        "zh": "target 必须是标签的下标（0 到 {last}），收到的是 {value}",
    },
    "widgets.loss.bad_p": {
        "en": "p must be in [0.01, 1], got {value}",
        "zh": "p 必须在 [0.01, 1] 之间，收到的是 {value}",
    },
    # --- next-token explorer (next_token.py) --------------------------------------------------
    "widgets.next.context": {"en": "context", "zh": "上下文"},
    "widgets.next.choice": {"en": "next token", "zh": "下一个词元"},
    "widgets.next.append": {"en": "append it", "zh": "接上它"},
    "widgets.next.sample": {"en": "sample one", "zh": "抽一个"},
    "widgets.next.series": {"en": "P(next | context)", "zh": "P(下一个 | 上下文)"},
    "widgets.next.title": {
        "en": "after {context}: top {top} of {total} tokens ({mass:.0%} of the mass)",
        "zh": "{context} 之后：{total} 个词元中的前 {top} 个（占概率质量的 {mass:.0%}）",
    },
    "widgets.next.short_context": {
        "en": "A {n}-gram table needs at least {need} tokens of context.",
        "zh": "{n} 元语法 (n-gram) 表至少需要 {need} 个词元的上下文。",
    },
    "widgets.next.bad_n": {
        "en": "n must be 2, 3 or 4 (a table of V**n counts), got {value}",
        "zh": "n 必须是 2、3 或 4（一张 V**n 个计数的表），收到的是 {value}",
    },
    "widgets.next.table_needs_tokenizer": {
        "en": "next_token_explorer(table, ...) also needs the table's tokenizer",
        "zh": "next_token_explorer(table, ...) 还需要这张表所用的词元化器 (tokenizer)",
    },
    "widgets.next.bad_table": {
        "en": "table must have shape (V,)*n with V = {V}, got {shape}",
        "zh": "table 的形状必须是 (V,)*n，其中 V = {V}，收到的是 {shape}",
    },
    # --- token viewer and merge stepper (tokens.py) --------------------------------------------
    "widgets.tokens.characters": {"en": "characters", "zh": "字符"},
    "widgets.tokens.bytes": {"en": "bytes", "zh": "字节"},
    "widgets.tokens.bpe": {"en": "BPE tokens", "zh": "BPE 词元"},
    "widgets.tokens.row": {"en": "{name} ({n})", "zh": "{name}（{n}）"},
    "widgets.tokens.empty": {
        "en": "Type some text to see its tokens.",
        "zh": "输入一些文字，就能看到它的词元。",
    },
    "widgets.tokens.too_long": {
        "en": "Showing the first {shown:,} of {total:,} characters as boxes; the counts below "
        "are for the whole text.",
        "zh": "方框只显示了 {total:,} 个字符中的前 {shown:,} 个；下面的计数针对整段文字。",
    },
    "widgets.tokens.summary": {
        "en": "{chars} characters · {n_bytes} bytes · {n_bpe} BPE tokens (vocabulary {vocab}): "
        "{ratio:.2f} bytes per token",
        "zh": "{chars} 个字符 · {n_bytes} 个字节 · {n_bpe} 个 BPE 词元（词表大小 {vocab}）："
        "平均每个词元 {ratio:.2f} 个字节",
    },
    "widgets.tokens.text_type": {
        "en": "text must be a str, got {kind}",
        "zh": "text 必须是字符串 (str)，收到的是 {kind}",
    },
    "widgets.merges.slider": {"en": "merges", "zh": "合并次数"},
    "widgets.merges.previous": {"en": "◀ previous", "zh": "◀ 上一步"},
    "widgets.merges.next": {"en": "next ▶", "zh": "下一步 ▶"},
    "widgets.merges.empty": {
        "en": "Type a short text to train BPE on.",
        "zh": "输入一小段文字，用来训练 BPE。",
    },
    "widgets.merges.line": {
        "en": "merge {j}: ({a}, {b}) → {new} '{piece}' (seen {count} times)",
        "zh": "第 {j} 次合并：({a}, {b}) → {new} '{piece}'（出现 {count} 次）",
    },
    "widgets.merges.nothing": {
        "en": " — no pair occurs twice: nothing to merge",
        "zh": " —— 没有哪一对出现两次：没有可合并的",
    },
    "widgets.merges.header": {
        "en": "{n} tokens after {k} merges (started from {n_bytes} bytes){done}",
        "zh": "{k} 次合并后有 {n} 个词元（开始时是 {n_bytes} 个字节）{done}",
    },
    "widgets.merges.so_far": {"en": "merges so far", "zh": "到目前为止的合并"},
    "widgets.merges.none_yet": {"en": "none yet", "zh": "还没有"},
    "widgets.merges.bad_count": {
        "en": "num_merges must be an int >= 1, got {value}",
        "zh": "num_merges 必须是 >= 1 的整数，收到的是 {value}",
    },
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
    # --- renderers (render/) -----------------------------------------------------------------
    "widgets.render.probability": {"en": "probability", "zh": "概率"},
    "widgets.render.step": {"en": "step", "zh": "步数"},
    "widgets.render.loss_axis": {"en": "loss (nats per token)", "zh": "损失（每个词元的奈特数）"},
    "widgets.render.train_line": {"en": "{name}: train", "zh": "{name}：训练"},
    "widgets.render.val_line": {"en": "{name}: validation", "zh": "{name}：验证"},
    "widgets.render.key_axis": {"en": "key s: token looked at", "zh": "键 s：被看的词元"},
    "widgets.render.query_axis": {"en": "query t: token looking", "zh": "查询 t：正在看的词元"},
    "widgets.render.attention_weight": {"en": "attention weight", "zh": "注意力权重"},
    "widgets.render.p_axis": {
        "en": "p = probability given to the right token",
        "zh": "p = 给正确词元的概率",
    },
    "widgets.render.predicted": {"en": "predicted", "zh": "预测"},
    "widgets.render.target": {"en": "target", "zh": "目标"},
    "widgets.render.pca_1": {
        "en": "PCA direction 1 ({share:.0%} of the variance)",
        "zh": "PCA 第 1 方向（占方差的 {share:.0%}）",
    },
    "widgets.render.pca_2": {
        "en": "PCA direction 2 ({share:.0%})",
        "zh": "PCA 第 2 方向（{share:.0%}）",
    },
    "widgets.render.neighbours_title": {
        "en": "{token} and its {k} nearest neighbours (cosine)",
        "zh": "{token} 和它最近的 {k} 个邻居（余弦相似度）",
    },
}
