"""The title and the hint of every graded task (llmlab/grading/<lesson>.py), by task id: the
title names the task in the score cell, the hint opens under a ❌."""

MESSAGES = {
    # 01 probability
    "task.p_a_given_b.title": {"en": "P(A∣B) from counts", "zh": "由计数求 P(A∣B)"},
    "task.p_a_given_b.hint": {
        "en": "P(A∣B) = P(A∩B) / P(B): of the people who like B (both + only_b), "
        "which fraction also like A (both)?",
        "zh": "P(A∣B) = P(A∩B) / P(B)：在喜欢 B 的人（both + only_b）中，"
        "同时也喜欢 A 的人（both）占多少比例？",
    },
    "task.count_bigrams.title": {"en": "Count bigrams", "zh": "统计二元组"},
    "task.count_bigrams.hint": {
        "en": "Loop over neighbours: for a, b in zip(ids, ids[1:]): counts[a, b] += 1.",
        "zh": "遍历相邻的一对：for a, b in zip(ids, ids[1:]): counts[a, b] += 1。",
    },
    "task.normalise_rows.title": {
        "en": "Counts to conditional distributions",
        "zh": "把计数变成条件分布",
    },
    "task.normalise_rows.hint": {
        "en": "Divide each row by its own sum (keepdims=True); a row of zeros has no data, so give "
        "it the uniform distribution 1/V.",
        "zh": "每一行除以它自己的和（keepdims=True）；全是 0 的行没有数据，就给它均匀分布 1/V。",
    },
    # 02 tokens
    "task.utf8_bytes.title": {"en": "Text to UTF-8 bytes", "zh": "把文本变成 UTF-8 字节"},
    "task.utf8_bytes.hint": {
        "en": "text.encode('utf-8') gives a bytes object; list(...) of it gives the numbers 0-255.",
        "zh": "text.encode('utf-8') 得到一个 bytes 对象；对它用 list(...) 就得到 0-255 的数字。",
    },
    "task.count_pairs.title": {"en": "Count neighbouring pairs", "zh": "统计相邻的一对"},
    "task.count_pairs.hint": {
        "en": "for pair in zip(ids, ids[1:]): counts[pair] = counts.get(pair, 0) + 1.",
        "zh": "for pair in zip(ids, ids[1:]): counts[pair] = counts.get(pair, 0) + 1。",
    },
    "task.merge_pair.title": {"en": "Apply one BPE merge", "zh": "做一次 BPE 合并"},
    "task.merge_pair.hint": {
        "en": "Walk with an index i: if ids[i], ids[i+1] is the pair, append new_id and jump 2; "
        "else append ids[i] and step 1. Careful at the last position.",
        "zh": "用下标 i 往前走：如果 ids[i], ids[i+1] 正是这一对，就追加 new_id 并前进 2；"
        "否则追加 ids[i] 并前进 1。注意最后一个位置。",
    },
    "task.char_tokenizer.title": {"en": "A character tokenizer", "zh": "字符级分词器"},
    "task.char_tokenizer.hint": {
        "en": "sorted(set(text)) gives the vocabulary; build stoi = {{ch: i}} and itos = "
        "{{i: ch}}, then encode = [stoi[c] for c in s] and decode = ''.join(itos[i] for i in ids).",
        "zh": "sorted(set(text)) 就是词表；建立 stoi = {{ch: i}} 和 itos = {{i: ch}}，"
        "然后 encode = [stoi[c] for c in s]，decode = ''.join(itos[i] for i in ids)。",
    },
    # 03 sampling
    "task.stable_softmax.title": {"en": "A stable softmax", "zh": "数值稳定的 softmax"},
    "task.stable_softmax.hint": {
        "en": "z = logits - logits.max(axis=-1, keepdims=True); e = jnp.exp(z); "
        "return e / e.sum(axis=-1, keepdims=True).",
        "zh": "z = logits - logits.max(axis=-1, keepdims=True); e = jnp.exp(z); "
        "return e / e.sum(axis=-1, keepdims=True)。",
    },
    "task.softmax_temperature.title": {
        "en": "Softmax with temperature",
        "zh": "带温度的 softmax",
    },
    "task.softmax_temperature.hint": {
        "en": "Divide the logits by the temperature first, then take a stable softmax: "
        "low T sharpens the distribution, high T flattens it.",
        "zh": "先把对数值除以温度，再做稳定的 softmax：T 低，分布变尖；T 高，分布变平。",
    },
    "task.top_k_filter.title": {"en": "Top-k filter", "zh": "Top-k 过滤"},
    "task.top_k_filter.hint": {
        "en": "Sort to find the k-th largest logit of each row (keepdims=True), then "
        "jnp.where(logits >= kth, logits, -jnp.inf).",
        "zh": "排序找出每一行第 k 大的对数值（keepdims=True），"
        "然后 jnp.where(logits >= kth, logits, -jnp.inf)。",
    },
    "task.top_p_filter.title": {"en": "Top-p (nucleus) filter", "zh": "Top-p（核）过滤"},
    "task.top_p_filter.hint": {
        "en": "Sort the probabilities from largest to smallest and take the cumulative sum; keep a "
        "token while the mass before it is still below p — so the token that crosses p is kept.",
        "zh": "把概率从大到小排序并求累积和；只要一个词元之前的概率总和还小于 p，就保留它"
        "——所以让总和越过 p 的那个词元也会保留。",
    },
    # 04 loss
    "task.log_softmax.title": {
        "en": "Log-softmax with logsumexp",
        "zh": "用 logsumexp 算 log-softmax",
    },
    "task.log_softmax.hint": {
        "en": "log softmax(z) = z - logsumexp(z), and logsumexp(z) = m + log(sum(exp(z - m))) with "
        "m the largest logit of the row (keepdims=True).",
        "zh": "log softmax(z) = z - logsumexp(z)，而 logsumexp(z) = m + log(sum(exp(z - m)))，"
        "其中 m 是这一行最大的对数值（keepdims=True）。",
    },
    "task.nll_loss.title": {"en": "NLL from logits", "zh": "由对数值算负对数似然"},
    "task.nll_loss.hint": {
        "en": "Take the log-probabilities, pick each target's one with jnp.take_along_axis "
        "(or one-hot), and return minus their mean.",
        "zh": "先求对数概率，用 jnp.take_along_axis（或 one-hot）取出每个目标词元的那一个，"
        "返回它们平均值的相反数。",
    },
    "task.perplexity.title": {"en": "Perplexity", "zh": "困惑度"},
    "task.perplexity.hint": {
        "en": "Perplexity = exp(mean NLL): a uniform guess over V tokens has NLL ln V and "
        "perplexity V.",
        "zh": "困惑度 = exp(平均负对数似然)：在 V 个词元里均匀瞎猜，"
        "负对数似然是 ln V，困惑度是 V。",
    },
    # 05 embeddings
    "task.one_hot.title": {"en": "One-hot vectors", "zh": "one-hot 向量"},
    "task.one_hot.hint": {
        "en": "Compare each id with jnp.arange(V): "
        "(ids[..., None] == jnp.arange(V)).astype(float).",
        "zh": "把每个 id 和 jnp.arange(V) 比较：(ids[..., None] == jnp.arange(V)).astype(float)。",
    },
    "task.embed.title": {"en": "Embedding lookup", "zh": "查嵌入表"},
    "task.embed.hint": {
        "en": "Row i of the table is the vector of token i, so table[ids] looks them all up; "
        "it equals one_hot(ids) @ table.",
        "zh": "表的第 i 行就是词元 i 的向量，所以 table[ids] 一次全查出来；"
        "它等于 one_hot(ids) @ table。",
    },
    "task.cosine_similarity.title": {"en": "Cosine similarity", "zh": "余弦相似度"},
    "task.cosine_similarity.hint": {
        "en": "cos = (a · b) / (|a| |b|) along the last axis: jnp.sum(a * b, axis=-1) divided by "
        "jnp.linalg.norm(a, axis=-1) * jnp.linalg.norm(b, axis=-1).",
        "zh": "沿最后一个轴 cos = (a · b) / (|a| |b|)：jnp.sum(a * b, axis=-1) 除以 "
        "jnp.linalg.norm(a, axis=-1) * jnp.linalg.norm(b, axis=-1)。",
    },
    "task.context_windows.title": {
        "en": "Training windows for an MLP model",
        "zh": "MLP 模型的训练窗口",
    },
    "task.context_windows.hint": {
        "en": "For every position t from n to len(ids) - 1: the context is ids[t - n : t] and the "
        "target is ids[t].",
        "zh": "对从 n 到 len(ids) - 1 的每个位置 t：上下文是 ids[t - n : t]，目标是 ids[t]。",
    },
    # 06 attention
    "task.causal_mask.title": {"en": "The causal mask", "zh": "因果掩码"},
    "task.causal_mask.hint": {
        "en": "Position t may look at positions 0..t (itself and the past): jnp.tril of a (T, T) "
        "matrix of ones, as booleans.",
        "zh": "位置 t 可以看位置 0..t（自己和过去）："
        "对 (T, T) 的全 1 矩阵取 jnp.tril，转成布尔值。",
    },
    "task.attention.title": {"en": "Scaled dot-product attention", "zh": "缩放点积注意力"},
    "task.attention.hint": {
        "en": "scores = q @ k.swapaxes(-1, -2) / sqrt(D); jnp.where(mask, scores, -1e30) where the "
        "mask is False; softmax over the last axis; then weights @ v.",
        "zh": "scores = q @ k.swapaxes(-1, -2) / sqrt(D)；掩码为 False 的地方用 "
        "jnp.where(mask, scores, -1e30)；沿最后一个轴做 softmax；再算 weights @ v。",
    },
    "task.split_heads.title": {"en": "Split the channels into heads", "zh": "把通道拆成多个头"},
    "task.split_heads.hint": {
        "en": "(B, T, C) -> reshape to (B, T, H, D) -> transpose to (B, H, T, D). Reshaping "
        "straight to (B, H, T, D) mixes positions into heads.",
        "zh": "(B, T, C) -> reshape 成 (B, T, H, D) -> transpose 成 (B, H, T, D)。"
        "直接 reshape 成 (B, H, T, D) 会把不同位置混进同一个头。",
    },
    "task.merge_heads.title": {"en": "Merge the heads back", "zh": "把多个头合并回来"},
    "task.merge_heads.hint": {
        "en": "(B, H, T, D) -> transpose to (B, T, H, D) -> reshape to (B, T, H * D): the exact "
        "reverse of split_heads.",
        "zh": "(B, H, T, D) -> transpose 成 (B, T, H, D) -> reshape 成 (B, T, H * D)："
        "正好是 split_heads 的逆操作。",
    },
    # 07 transformer
    "task.layer_norm.title": {"en": "LayerNorm", "zh": "层归一化（LayerNorm）"},
    "task.layer_norm.hint": {
        "en": "Over the last axis (keepdims=True): mean, variance (the mean of squared "
        "differences), then (x - mean) / sqrt(var + 1e-5) * scale + bias.",
        "zh": "沿最后一个轴（keepdims=True）：先求均值、方差（差的平方的均值），"
        "再算 (x - mean) / sqrt(var + 1e-5) * scale + bias。",
    },
    "task.mlp.title": {"en": "The MLP (feed-forward) layer", "zh": "MLP（前馈）层"},
    "task.mlp.hint": {
        "en": "h = x @ w_fc + b_fc (C -> 4C); h = jax.nn.gelu(h); return h @ w_out + b_out "
        "(4C -> C).",
        "zh": "h = x @ w_fc + b_fc（C -> 4C）；h = jax.nn.gelu(h)；return h @ w_out + b_out"
        "（4C -> C）。",
    },
    "task.transformer_block.title": {"en": "A transformer block", "zh": "一个 Transformer 块"},
    "task.transformer_block.hint": {
        "en": "Pre-LayerNorm: x = x + attn(layer_norm(x)); then x = x + mlp(layer_norm(x)). "
        "The residual x itself is never normalised.",
        "zh": "前置 LayerNorm：x = x + attn(layer_norm(x))；然后 x = x + mlp(layer_norm(x))。"
        "残差 x 本身从不做归一化。",
    },
    "task.param_count.title": {"en": "Count GPT's parameters", "zh": "数一数 GPT 的参数"},
    "task.param_count.hint": {
        "en": "Embeddings V·C + T·C; per block 12·C² weights plus biases (3C + C + 4C + C) and two "
        "LayerNorms (2C each); a final LayerNorm (2C); the output head reuses the token "
        "embedding.",
        "zh": "嵌入 V·C + T·C；每个块 12·C² 个权重，加上偏置（3C + C + 4C + C）和两个 LayerNorm"
        "（各 2C）；最后还有一个 LayerNorm（2C）；输出头复用词元嵌入（权重绑定）。",
    },
    # 08 pretraining
    "task.get_batch.title": {"en": "Random training windows", "zh": "随机训练窗口"},
    "task.get_batch.hint": {
        "en": "starts = jax.random.randint(key, (B,), 0, len(data) - T); x[b] = data[s : s + T] "
        "and y[b] = data[s + 1 : s + T + 1], the same window shifted by one.",
        "zh": "starts = jax.random.randint(key, (B,), 0, len(data) - T)；x[b] = data[s : s + T]，"
        "y[b] = data[s + 1 : s + T + 1]，也就是同一个窗口错开一位。",
    },
    "task.lr_at.title": {"en": "Warm-up, then cosine decay", "zh": "先预热，再余弦衰减"},
    "task.lr_at.hint": {
        "en": "During warm-up lr · step / warmup_steps; after it, with progress p from 0 to 1, "
        "min_lr + (lr - min_lr) · (1 + cos(π p)) / 2; min_lr from max_steps on.",
        "zh": "预热期间是 lr · step / warmup_steps；之后设进度 p 从 0 到 1，"
        "学习率为 min_lr + (lr - min_lr) · (1 + cos(π p)) / 2；从 max_steps 起一直是 min_lr。",
    },
    "task.train_step.title": {"en": "One training step with optax", "zh": "用 optax 训练一步"},
    "task.train_step.hint": {
        "en": "loss, grads = jax.value_and_grad(loss_fn)(params, x, y); updates, opt_state = "
        "optimizer.update(grads, opt_state, params); params = optax.apply_updates(params, "
        "updates).",
        "zh": "loss, grads = jax.value_and_grad(loss_fn)(params, x, y)；updates, opt_state = "
        "optimizer.update(grads, opt_state, params)；params = optax.apply_updates(params, "
        "updates)。",
    },
    # 09 generation
    "task.greedy_decode.title": {"en": "A greedy decoding loop", "zh": "贪心解码循环"},
    "task.greedy_decode.hint": {
        "en": "Repeat max_new_tokens times: logits = logits_fn(jnp.asarray(ids)); take the argmax "
        "of the LAST row, logits[-1]; append it to ids. Return only the new ids.",
        "zh": "重复 max_new_tokens 次：logits = logits_fn(jnp.asarray(ids))；取【最后一行】"
        "logits[-1] 的 argmax；把它追加到 ids。只返回新生成的 id。",
    },
    "task.cache_update.title": {
        "en": "Write new keys and values into the KV cache",
        "zh": "把新的键和值写进 KV 缓存",
    },
    "task.cache_update.hint": {
        "en": "Slots pos .. pos + T_new - 1 of the time axis get the new rows and nothing else "
        "changes: cache.at[:, :, pos : pos + T_new].set(new), for k and for v.",
        "zh": "时间轴上的槽位 pos .. pos + T_new - 1 写入新的行，其他都不变："
        "cache.at[:, :, pos : pos + T_new].set(new)，k 和 v 各做一次。",
    },
    "task.cached_attention.title": {"en": "Attend over the KV cache", "zh": "在 KV 缓存上做注意力"},
    "task.cached_attention.hint": {
        "en": "The new token sits at position pos, so it may see slots 0..pos (itself included) "
        "and not the empty slots after: mask = jnp.arange(S) <= pos, then attention(q, k, v, "
        "mask).",
        "zh": "新词元在位置 pos，所以它能看到槽位 0..pos（包括自己），看不到后面的空槽位："
        "mask = jnp.arange(S) <= pos，然后 attention(q, k, v, mask)。",
    },
}
