"""What the widgets show: labels, buttons, slider names, status lines, axis labels, titles.

Used by llmlab.widgets and llmlab.widgets.render: the shared sentences and control names, the
widgets of lessons 01-04 and the renderers' words (the widgets around a model are in
`llmlab.messages.model_widgets`). Keys are "widgets.<widget>.<what>"; a widget reads its
labels when it is built, a renderer its axis labels when it draws. Symbols (T, top-k, top-p,
P(A∣B), −ln p) and argument names stay as they are in both languages.
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
    "widgets.no_block_size": {
        "en": "expected a model with config.block_size (an llmlab GPT), got {model}",
        "zh": "需要一个带有 config.block_size 的模型（llmlab 的 GPT），收到的是 {model}",
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
