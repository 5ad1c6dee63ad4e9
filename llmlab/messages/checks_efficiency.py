"""The checks of lesson 12 (llmlab/grading/efficiency.py): its task titles and hints, names,
inputs ("check.efficiency.when_*" finish a sentence) and the mistakes each check names.

The task titles and hints sit here with the checks rather than in tasks.py, so that the lesson's
sentences are one module, as its checks are."""

MESSAGES = {
    # task titles and hints
    "task.quantize.title": {
        "en": "Absmax quantisation per output channel",
        "zh": "按输出通道做 absmax 量化",
    },
    "task.quantize.hint": {
        "en": "qmax = 2 ** (bits - 1) - 1; absmax = jnp.max(jnp.abs(w), axis=0) (one per column); "
        "scale = jnp.where(absmax > 0, absmax / qmax, 1.0); q = jnp.clip(jnp.round(w / scale), "
        "-qmax, qmax).astype(jnp.int8).",
        "zh": "qmax = 2 ** (bits - 1) - 1；absmax = jnp.max(jnp.abs(w), axis=0)（每列一个）；"
        "scale = jnp.where(absmax > 0, absmax / qmax, 1.0)；q = jnp.clip(jnp.round(w / scale), "
        "-qmax, qmax).astype(jnp.int8)。",
    },
    "task.dequantize.title": {"en": "Back from integers to floats", "zh": "从整数还原成浮点数"},
    "task.dequantize.hint": {
        "en": "Column j was divided by scale[j], so multiply it back: q * scale[None, :] "
        "(the scales line up with the last axis, the output channels).",
        "zh": "第 j 列当初除以了 scale[j]，现在乘回去：q * scale[None, :]"
        "（缩放因子对齐最后一个轴，也就是输出通道）。",
    },
    "task.accept_or_resample.title": {
        "en": "Speculative decoding: keep the draft's token or draw a new one",
        "zh": "推测解码：保留草稿模型的词元，还是重新抽一个",
    },
    "task.accept_or_resample.hint": {
        "en": "Split the key in two. Keep the token when jax.random.uniform(k1) < p[token] / "
        "q[token] (that is probability min(1, p/q)). Otherwise residual = jnp.maximum(p - q, 0), "
        "divide it by its sum, and draw from it with k2: jax.random.choice(k2, len(p), "
        "p=residual).",
        "zh": "先把 key 拆成两个。当 jax.random.uniform(k1) < p[token] / q[token] 时保留这个词元"
        "（这正好是概率 min(1, p/q)）。否则 residual = jnp.maximum(p - q, 0)，除以它的总和，"
        "再用 k2 从中抽取：jax.random.choice(k2, len(p), p=residual)。",
    },
    "task.training_days.title": {
        "en": "Training compute and days",
        "zh": "训练的计算量和天数",
    },
    "task.training_days.hint": {
        "en": "FLOPs = 6 * n_params * n_tokens (2 for the forward pass, 4 for the backward "
        "pass). The GPUs together do n_gpus * peak_flops * utilisation FLOPs per second; "
        "divide, then divide by 86,400 seconds per day.",
        "zh": "FLOPs = 6 * n_params * n_tokens（前向 2，反向 4）。所有 GPU 每秒合计完成 "
        "n_gpus * peak_flops * utilisation 次浮点运算；相除，再除以每天的 86,400 秒。",
    },
    "task.kv_cache_bytes.title": {"en": "The size of a KV cache", "zh": "KV 缓存有多大"},
    "task.kv_cache_bytes.hint": {
        "en": "Every layer keeps, for every token of every sequence, a key AND a value of n_embd "
        "numbers: n_layer * 2 * n_tokens * n_embd * batch_size * bytes_per_value.",
        "zh": "每一层都要为每条序列的每个词元存一个键【和】一个值，各有 n_embd 个数："
        "n_layer * 2 * n_tokens * n_embd * batch_size * bytes_per_value。",
    },
    # names and shared sentences
    "check.name.days": {"en": "days", "zh": "天数"},
    "check.efficiency.one_number": {
        "en": "your {name} should be one number, not an array of shape {shape}, {when}.",
        "zh": "{when}，你的{name}应该是一个数，而不是形状为 {shape} 的数组。",
    },
    # quantize, dequantize
    "check.efficiency.when_w": {
        "en": "for w of shape ({n_in}, {n_out}) with an all-zero column, and bits = {bits}",
        "zh": "对于形状为 ({n_in}, {n_out})、含一整列 0 的 w，以及 bits = {bits}",
    },
    "check.efficiency.when_q": {
        "en": "for q of shape ({n_in}, {n_out}) and scale of shape ({n_out},)",
        "zh": "对于形状为 ({n_in}, {n_out}) 的 q 和形状为 ({n_out},) 的 scale",
    },
    "check.efficiency.pair_q_scale": {
        "en": "your function should return a pair (q, scale) {when}.",
        "zh": "{when}，你的函数应该返回一对 (q, scale)。",
    },
    "check.efficiency.one_scale": {
        "en": "you used one scale for the whole matrix {when}: per output channel means one "
        "scale per column, from that column's largest |w|.",
        "zh": "{when}，你给整个矩阵只用了一个缩放因子：按输出通道量化意味着每一列一个缩放因子，"
        "由该列最大的 |w| 决定。",
    },
    "check.efficiency.per_row": {
        "en": "you made one scale per row (input feature) {when}: an output channel is a "
        "column of w (in, out), so take the max over axis 0.",
        "zh": "{when}，你给每一行（输入特征）算了一个缩放因子：输出通道是 w (in, out) 的一列，"
        "所以要沿 axis 0 取最大值。",
    },
    "check.efficiency.zero_column": {
        "en": "a scale is 0 or NaN {when}: an all-zero column has absmax 0, and dividing by it "
        "gives NaN; give such a column scale 1 (its integers are then all 0).",
        "zh": "{when}，有一个缩放因子是 0 或 NaN：全为 0 的列 absmax 是 0，除以它会得到 NaN；"
        "请给这样的列缩放因子 1（它的整数也就全是 0）。",
    },
    "check.efficiency.qmax": {
        "en": "your scales are absmax / {wrong} {when}: the grid is symmetric, -qmax..qmax with "
        "qmax = 2 ** (bits - 1) - 1 = {qmax}, so divide by {qmax}.",
        "zh": "{when}，你的缩放因子是 absmax / {wrong}：整数网格是对称的，从 -qmax 到 qmax，"
        "qmax = 2 ** (bits - 1) - 1 = {qmax}，所以要除以 {qmax}。",
    },
    "check.efficiency.not_integers": {
        "en": "your q has dtype {dtype} {when}: it should hold integers; use "
        ".astype(jnp.int8) after rounding.",
        "zh": "{when}，你的 q 的 dtype 是 {dtype}：它应该存整数；取整之后用 .astype(jnp.int8)。",
    },
    "check.efficiency.range": {
        "en": "some of your integers lie outside -{qmax}..{qmax} {when}: clip them.",
        "zh": "{when}，你有些整数超出了 -{qmax}..{qmax} 的范围：请用 clip 截断。",
    },
    "check.efficiency.truncated": {
        "en": "you cut off the fractions (truncated) instead of rounding {when}: the error can "
        "then reach a whole step; jnp.round keeps it within half a step.",
        "zh": "{when}，你把小数部分直接截掉了，而不是四舍五入：这样误差会达到整整一个步长；"
        "用 jnp.round 才能把误差控制在半个步长之内。",
    },
    "check.efficiency.round_trip": {
        "en": "q * scale is {steps} steps away from w in column {j} {when}: rounding to the "
        "nearest integer keeps every weight within half a step (scale / 2).",
        "zh": "{when}，第 {j} 列的 q * scale 离 w 有 {steps} 个步长：四舍五入到最近的整数，"
        "每个权重的误差都不会超过半个步长（scale / 2）。",
    },
    "check.efficiency.not_rounded": {
        "en": "q[{i}, {j}] is {got} but round(w / scale) is {want} {when}.",
        "zh": "{when}，q[{i}, {j}] 是 {got}，而 round(w / scale) 是 {want}。",
    },
    "check.efficiency.scaled_rows": {
        "en": "you multiplied the rows by the scales {when}: each scale belongs to a column "
        "(an output channel), so use scale[None, :].",
        "zh": "{when}，你把缩放因子乘到了行上：每个缩放因子属于一列（一个输出通道），"
        "请用 scale[None, :]。",
    },
    "check.efficiency.divided": {
        "en": "you divided q by the scales {when}: quantising divided w by them, so multiply to "
        "get w back.",
        "zh": "{when}，你用 q 除以了缩放因子：量化时是 w 除以它们，还原时要乘回去。",
    },
    # accept_or_resample
    "check.efficiency.when_same": {
        "en": "for p = q = {p} and draft token {token}",
        "zh": "对于 p = q = {p}、草稿词元 {token}",
    },
    "check.efficiency.when_step": {
        "en": "for p = {p}, q = {q} and draft token {token}",
        "zh": "对于 p = {p}、q = {q}、草稿词元 {token}",
    },
    "check.efficiency.pair_accepted": {
        "en": "your function should return a pair (accepted, token): a bool and one int {when}.",
        "zh": "{when}，你的函数应该返回一对 (accepted, token)：一个布尔值和一个整数。",
    },
    "check.efficiency.out_of_range": {
        "en": "you returned token {token}, which is not in 0..{V}-1, {when}.",
        "zh": "{when}，你返回的词元是 {token}，不在 0..{V}-1 之内。",
    },
    "check.efficiency.same_rejected": {
        "en": "you did not keep the draft's token {when}: when the draft agrees with the target, "
        "p/q = 1 and every proposal must be kept, as (True, token).",
        "zh": "{when}，你没有保留草稿模型的词元：草稿模型和目标模型一致时 p/q = 1，"
        "每个提议都必须保留，返回 (True, token)。",
    },
    "check.efficiency.accepted_other": {
        "en": "you said accepted but returned token {out} {when}: an accepted step returns the "
        "draft's own token.",
        "zh": "{when}，你说接受了，却返回了词元 {out}：接受时返回的应该就是草稿模型的那个词元。",
    },
    "check.efficiency.kept_impossible": {
        "en": "you kept a token the target gives probability 0 {when}: keep it only with "
        "probability min(1, p/q), which is 0 here, not always.",
        "zh": "{when}，你保留了一个目标模型给出概率 0 的词元：只能以概率 min(1, p/q) 保留，"
        "这里它是 0，不能总是保留。",
    },
    "check.efficiency.rejected_likely": {
        "en": "you rejected a token with p ≥ q {when}: min(1, p/q) = 1 there, so it is always "
        "kept (accept when uniform < p/q, not the other way round).",
        "zh": "{when}，你拒绝了一个 p ≥ q 的词元：这时 min(1, p/q) = 1，必须总是保留"
        "（uniform < p/q 时接受，不要弄反）。",
    },
    "check.efficiency.not_residual": {
        "en": "after a rejection you returned token {out}, where p ≤ q {when}: draw the new "
        "token from the residual max(p - q, 0) (normalised), not from p or q.",
        "zh": "{when}，拒绝之后你返回了词元 {out}，而那里 p ≤ q：新词元要从剩余分布"
        " max(p - q, 0)（归一化之后）中抽取，而不是从 p 或 q 中抽。",
    },
    "check.efficiency.distribution": {
        "en": "over {n} calls with draft tokens drawn from q = {q}, your function returned token "
        "{token} {count} times; if its tokens followed p = {p} (p[{token}] = {want}), that count "
        "would lie in {lo}..{hi} (a right answer falls outside less than once in a million "
        "checks). Accept with probability min(1, p/q), else draw from the residual.",
        "zh": "用从 q = {q} 抽出的草稿词元调用你的函数 {n} 次，它返回词元 {token} 共 {count} 次；"
        "如果输出服从 p = {p}（p[{token}] = {want}），这个次数应该落在 {lo}..{hi} 之内"
        "（正确的答案落在范围外的机会不到百万分之一）。请以概率 min(1, p/q) 接受，"
        "否则从剩余分布中抽取。",
    },
    # training_days
    "check.efficiency.when_run": {
        "en": "for N = {N} parameters, {D} tokens, {gpus} GPUs of {peak} FLOP/s at utilisation {u}",
        "zh": "对于 N = {N} 个参数、{D} 个词元、{gpus} 块每秒 {peak} 次浮点运算的 GPU、利用率 {u}",
    },
    "check.efficiency.forward_only": {
        "en": "your answer is a third of the right one {when}: you counted the forward pass "
        "only (2 N per token); the backward pass costs twice that, 6 N in all.",
        "zh": "{when}，你的答案只有正确答案的三分之一：你只算了前向（每个词元 2N），"
        "反向还要两倍，总共 6N。",
    },
    "check.efficiency.no_utilisation": {
        "en": "your answer is too short by the utilisation {when}: GPUs never run at peak; "
        "divide by n_gpus * peak_flops * utilisation.",
        "zh": "{when}，你的答案少除了利用率：GPU 从来跑不满峰值，"
        "要除以 n_gpus * peak_flops * utilisation。",
    },
    "check.efficiency.times_utilisation": {
        "en": "you multiplied by the utilisation instead of dividing by it {when}: at 50% "
        "utilisation a run takes twice as long, not half.",
        "zh": "{when}，你乘了利用率，而应该除以它：利用率 50% 时训练要多花一倍时间，而不是一半。",
    },
    "check.efficiency.seconds": {
        "en": "your answer is in seconds {when}: divide by 86,400 seconds per day.",
        "zh": "{when}，你的答案单位是秒：请除以每天的 86,400 秒。",
    },
    "check.efficiency.hours": {
        "en": "your answer is in hours {when}: divide by 24 more to get days.",
        "zh": "{when}，你的答案单位是小时：再除以 24 才是天数。",
    },
    "check.efficiency.one_gpu": {
        "en": "your answer is the time on one GPU {when}: the GPUs share the work, so divide by "
        "n_gpus too.",
        "zh": "{when}，你算的是一块 GPU 所需的时间：这些 GPU 一起分担工作，还要除以 n_gpus。",
    },
    # kv_cache_bytes
    "check.efficiency.when_cache": {
        "en": "for L = {L} layers, T = {T} tokens, C = {C} channels, batch size B = {B}, in "
        "{dtype} ({nbytes} bytes per value)",
        "zh": "对于 L = {L} 层、T = {T} 个词元、C = {C} 个通道、批大小 B = {B}，数据类型 {dtype}"
        "（每个数 {nbytes} 字节）",
    },
    "check.efficiency.keys_only": {
        "en": "your answer is half the right one {when}: each layer keeps a key AND a value per "
        "token, hence the factor 2.",
        "zh": "{when}，你的答案只有正确答案的一半：每层要为每个词元存一个键【和】一个值，"
        "所以要乘 2。",
    },
    "check.efficiency.one_layer": {
        "en": "you counted one layer {when}: every layer has its own cache, so multiply by "
        "n_layer.",
        "zh": "{when}，你只算了一层：每一层都有自己的缓存，要乘以 n_layer。",
    },
    "check.efficiency.one_sequence": {
        "en": "you counted one sequence {when}: a batch of B sequences keeps B caches, so "
        "multiply by batch_size.",
        "zh": "{when}，你只算了一条序列：一批 B 条序列要存 B 份缓存，要乘以 batch_size。",
    },
    "check.efficiency.values_not_bytes": {
        "en": "you counted numbers, not bytes {when}: multiply by bytes_per_value.",
        "zh": "{when}，你数的是数的个数，而不是字节：要乘以 bytes_per_value。",
    },
}
