"""The checks of lessons 05-07 (llmlab/grading/embeddings, attention, transformer): names,
inputs ("check.when.*" finish a sentence) and planted mistakes, as in checks_basics.py."""

MESSAGES = {
    # shared
    "check.name.output": {"en": "output", "zh": "输出"},
    "check.when.x_shape": {"en": "for x of shape {shape}", "zh": "对于形状为 {shape} 的 x"},
    "check.pair_xy": {
        "en": "your function should return a pair (x, y) {when}.",
        "zh": "{when}，你的函数应该返回一对 (x, y)。",
    },
    # 05 embeddings
    "check.name.one_hot": {"en": "one-hot vectors", "zh": "one-hot 向量"},
    "check.name.embeddings": {"en": "embeddings", "zh": "嵌入向量"},
    "check.name.similarity": {"en": "similarity", "zh": "相似度"},
    "check.name.contexts": {"en": "contexts x", "zh": "上下文 x"},
    "check.name.targets": {"en": "targets y", "zh": "目标 y"},
    "check.embeddings.when_ids": {
        "en": "for ids of shape {shape} and V = {V}",
        "zh": "对于形状为 {shape} 的 id、V = {V}",
    },
    "check.embeddings.floats": {
        "en": "your one-hot vectors have dtype {dtype} {when}: use floats.",
        "zh": "{when}，你的 one-hot 向量 dtype 是 {dtype}：请用浮点数。",
    },
    "check.embeddings.when_table": {
        "en": "for a table of shape ({V}, {C}) and ids of shape {shape}",
        "zh": "对于形状为 ({V}, {C}) 的表和形状为 {shape} 的 id",
    },
    "check.embeddings.when_same": {
        "en": "for a vector and 3 times itself (cosine 1)",
        "zh": "对于一个向量和它的 3 倍（余弦为 1）",
    },
    "check.embeddings.when_opposite": {
        "en": "for a vector and its opposite (cosine -1)",
        "zh": "对于一个向量和它的反向量（余弦为 -1）",
    },
    "check.embeddings.when_random": {
        "en": "for two random vectors of shape ({C},)",
        "zh": "对于两个形状为 ({C},) 的随机向量",
    },
    "check.embeddings.when_batches": {
        "en": "for batches of shape (4, {C})",
        "zh": "对于形状为 (4, {C}) 的两批向量",
    },
    "check.embeddings.outside": {
        "en": "your similarity is {value} {when}, outside [-1, 1]: "
        "divide the dot product by both lengths.",
        "zh": "{when}，你的相似度是 {value}，超出了 [-1, 1]：点积要除以两个向量的长度。",
    },
    "check.embeddings.when_windows": {
        "en": "for {length} ids and a context of {n}",
        "zh": "对于 {length} 个 id、上下文长度为 {n}",
    },
    "check.embeddings.one_too_many": {
        "en": "you made one window too many {when}: the last id has nothing after it to "
        "predict, so there are len(ids) - n windows.",
        "zh": "{when}，你多做了一个窗口：最后一个 id 后面没有要预测的东西，"
        "所以一共是 len(ids) - n 个窗口。",
    },
    "check.embeddings.last_of_context": {
        "en": "your targets are the last id of each context {when}: the target is the "
        "id right after the context.",
        "zh": "{when}，你的目标是每个上下文的最后一个 id：目标应该是紧跟在上下文后面的那个 id。",
    },
    # 06 attention
    "check.name.mask": {"en": "mask", "zh": "掩码"},
    "check.name.heads": {"en": "heads", "zh": "多头张量"},
    "check.name.merged_output": {"en": "merged output", "zh": "合并后的输出"},
    "check.name.split_merge": {
        "en": "split_heads(merge_heads(heads))",
        "zh": "split_heads(merge_heads(heads)) 的结果",
    },
    "check.attention.when_T": {"en": "for T = {T}", "zh": "对于 T = {T}"},
    "check.attention.bool": {
        "en": "your mask has dtype {dtype} {when}: use .astype(bool).",
        "zh": "{when}，你的掩码 dtype 是 {dtype}：请用 .astype(bool)。",
    },
    "check.attention.sees_future": {
        "en": "position {t} can see position {s} {when}: that is the future.",
        "zh": "{when}，位置 {t} 能看到位置 {s}：那是未来。",
    },
    "check.attention.itself": {"en": "itself", "zh": "它自己"},
    "check.attention.position": {"en": "position {s}", "zh": "位置 {s}"},
    "check.attention.blind": {
        "en": "position {t} cannot see {who} {when}, but it should.",
        "zh": "{when}，位置 {t} 看不到{who}，但它应该能看到。",
    },
    "check.attention.when_qkv": {
        "en": "for q, k, v of shape ({T}, {D}) and a causal mask",
        "zh": "对于形状为 ({T}, {D}) 的 q、k、v 和因果掩码",
    },
    "check.attention.when_single": {"en": "for a single token", "zh": "对于只有一个词元的情况"},
    "check.attention.when_full": {
        "en": "when the mask allows every position",
        "zh": "当掩码允许看所有位置时",
    },
    "check.attention.unscaled": {
        "en": "your scores are not divided by √D {when} (D = {D}).",
        "zh": "{when}，你的分数没有除以 √D（D = {D}）。",
    },
    "check.attention.no_mask": {
        "en": "your output ignores the mask {when}: later tokens leak in.",
        "zh": "{when}，你的输出忽略了掩码：后面的词元漏了进来。",
    },
    "check.attention.zeroed": {
        "en": "you set the hidden scores to 0 {when}, but exp(0) = 1 still gives the "
        "future some weight: use a huge negative number such as -1e30.",
        "zh": "{when}，你把要遮住的分数设成了 0，可是 exp(0) = 1 仍会给未来一些权重："
        "请用 -1e30 这样极大的负数。",
    },
    "check.attention.when_last_value": {
        "en": "when only the last value row changes (T = {T})",
        "zh": "当只有最后一行值（value）改变时（T = {T}）",
    },
    "check.attention.leak": {
        "en": "earlier positions changed {when}: they can see the future.",
        "zh": "{when}，前面位置的输出变了：它们看到了未来。",
    },
    "check.attention.when_split": {
        "en": "for x of shape ({B}, {T}, {C}) and {H} heads",
        "zh": "对于形状为 ({B}, {T}, {C}) 的 x 和 {H} 个头",
    },
    "check.attention.straight": {
        "en": "you reshaped straight to (B, H, T, D) {when}: reshape to (B, T, H, D) "
        "first, then move the head axis with transpose(0, 2, 1, 3).",
        "zh": "{when}，你直接 reshape 成了 (B, H, T, D)：要先 reshape 成 (B, T, H, D)，"
        "再用 transpose(0, 2, 1, 3) 移动头的轴。",
    },
    "check.attention.when_merge": {
        "en": "for heads of shape ({B}, {H}, {T}, {D})",
        "zh": "对于形状为 ({B}, {H}, {T}, {D}) 的多头张量",
    },
    "check.attention.no_transpose": {
        "en": "you reshaped without moving the head axis back {when}: transpose(0, 2, 1, 3) "
        "first, then reshape.",
        "zh": "{when}，你没有把头的轴移回去就 reshape 了：先 transpose(0, 2, 1, 3)，再 reshape。",
    },
    # 07 transformer
    "check.name.count": {"en": "count", "zh": "参数个数"},
    "check.transformer.mean_0": {
        "en": "with scale 1 and bias 0 your rows do not have mean 0 {when}: normalise over "
        "the last axis (axis=-1, keepdims=True).",
        "zh": "{when}，在 scale 为 1、bias 为 0 时你的每一行均值不是 0：要沿最后一个轴归一化"
        "（axis=-1, keepdims=True）。",
    },
    "check.transformer.whole_array": {
        "en": "you normalised over the whole array {when}: use axis=-1.",
        "zh": "{when}，你对整个数组做了归一化：请用 axis=-1。",
    },
    "check.transformer.var_1": {
        "en": "with scale 1 and bias 0 your rows do not have variance 1 {when}: divide by "
        "sqrt(variance + eps), the standard deviation.",
        "zh": "{when}，在 scale 为 1、bias 为 0 时你的每一行方差不是 1：要除以 "
        "sqrt(variance + eps)，也就是标准差。",
    },
    "check.transformer.linear": {
        "en": "your MLP has no non-linearity {when}: two linear layers in a row are still "
        "one linear layer; put jax.nn.gelu between them.",
        "zh": "{when}，你的 MLP 没有非线性：两个线性层连在一起仍然只是一个线性层；"
        "请在中间加上 jax.nn.gelu。",
    },
    "check.transformer.when_block": {
        "en": "for x of shape ({B}, {T}, {C}) and {H} heads",
        "zh": "对于形状为 ({B}, {T}, {C}) 的 x 和 {H} 个头",
    },
    "check.transformer.no_residual": {
        "en": "your block forgets the residual {when}: add the input back (x + ...).",
        "zh": "{when}，你的块忘了残差连接：要把输入加回去（x + ...）。",
    },
    "check.transformer.post_norm": {
        "en": "you normalised after adding (post-LayerNorm) {when}: our GPT normalises the "
        "input of each sub-layer, x + attn(ln(x)).",
        "zh": "{when}，你在相加之后才归一化（后置 LayerNorm）："
        "我们的 GPT 归一化的是每个子层的输入，x + attn(ln(x))。",
    },
    "check.transformer.unmasked": {
        "en": "changing the last token changed earlier outputs {when}: mask.",
        "zh": "{when}，改动最后一个词元改变了前面位置的输出：需要掩码。",
    },
    "check.transformer.when_config": {
        "en": "for vocab_size={V}, block_size={T}, n_layer={L}, n_embd={C}",
        "zh": "对于 vocab_size={V}、block_size={T}、n_layer={L}、n_embd={C}",
    },
    "check.transformer.not_int": {
        "en": "your count is a {kind} {when}: return an int.",
        "zh": "{when}，你的参数个数是 {kind}：请返回 int。",
    },
    "check.transformer.untied": {
        "en": "you counted an output head of V·C {when}: GPT-2 reuses the token embedding "
        "matrix for it (tied weights).",
        "zh": "{when}，你多算了一个 V·C 的输出头：GPT-2 的输出头复用词元嵌入矩阵（权重绑定）。",
    },
}
