"""The checks of lesson 13 (llmlab/grading/thinking.py and thinking_retrieval.py): its task
titles and hints, names, inputs ("check.thinking.when_*" finish a sentence) and the mistakes
each check names.

The task titles and hints sit here with the checks rather than in tasks.py, so that the lesson's
sentences are one module, as its checks are."""

MESSAGES = {
    # task titles and hints
    "task.choice_logprob.title": {
        "en": "The log-probability of an answer",
        "zh": "一个答案的对数概率",
    },
    "task.choice_logprob.hint": {
        "en": "Row t of the logits predicts the token AFTER ids[t], so the choice's token ids[j] "
        "is scored by row j - 1: lp = jax.nn.log_softmax(logits, axis=-1); then sum "
        "lp[j - 1, ids[j]] for j = start .. T-1, e.g. lp[start - 1 : -1][jnp.arange(T - start), "
        "ids[start:]].sum().",
        "zh": "对数值的第 t 行预测的是 ids[t] 【之后】的词元，"
        "所以答案里的词元 ids[j] 要用第 j - 1 行来打分：lp = jax.nn.log_softmax(logits, axis=-1)；"
        "再对 j = start .. T-1 把 "
        "lp[j - 1, ids[j]] 加起来，例如 lp[start - 1 : -1][jnp.arange(T - start), "
        "ids[start:]].sum()。",
    },
    "task.best_choice.title": {
        "en": "Pick the answer: summed or per token",
        "zh": "选出答案：按总和还是按每个词元",
    },
    "task.best_choice.hint": {
        "en": "scores = [lp.sum() for lp in token_logprobs], or lp.mean() when per_token is True; "
        "return int(np.argmax(scores)) (argmax returns the first of equal maxima).",
        "zh": "scores = [lp.sum() for lp in token_logprobs]，per_token 为 True 时改用 lp.mean()；"
        "返回 int(np.argmax(scores))（几个最大值相等时，argmax 返回第一个）。",
    },
    "task.run_tools.title": {
        "en": "The calculator loop of a tool-using model",
        "zh": "会用工具的模型：计算器循环",
    },
    "task.run_tools.hint": {
        "en": 'Keep text = prompt. Each step: piece = step_fn(text); stop on "". Look for '
        "CALL_CLOSE in text + piece from position max(len(text) - len(CALL_CLOSE) + 1, 0) on, "
        "so a marker split over two pieces is found. If found, cut text + piece right after "
        'the marker, then text += "=" + calculator(parse_call(text)) (parse_call raises '
        "ValueError for a marker nobody opened: append str(error) instead). Never eval.",
        "zh": '令 text = prompt。每一步：piece = step_fn(text)；遇到 "" 就停。从位置 '
        "max(len(text) - len(CALL_CLOSE) + 1, 0) 起在 text + piece 里找 CALL_CLOSE，这样"
        "被拆在两段里的标记也能找到。找到了就把 text + piece 切到这个标记之后为止，然后 "
        'text += "=" + calculator(parse_call(text))（没有开始标记的调用会让 parse_call 抛出 '
        "ValueError：改为追加 str(error)）。绝不要用 eval。",
    },
    "task.bag_of_chars.title": {
        "en": "A bag-of-characters embedding",
        "zh": "字袋（bag of characters）嵌入",
    },
    "task.bag_of_chars.hint": {
        "en": "counts = np.array([text.count(c) for c in vocabulary], float); norm = "
        "np.linalg.norm(counts); return counts / norm if norm > 0 else counts (a text with none "
        "of the characters stays all zeros).",
        "zh": "counts = np.array([text.count(c) for c in vocabulary], float)；norm = "
        "np.linalg.norm(counts)；norm > 0 时返回 counts / norm，否则直接返回 counts"
        "（一个字都不在字表里的文本保持全 0）。",
    },
    "task.top_k_similar.title": {
        "en": "Retrieval: the k most similar rows",
        "zh": "检索：最相似的 k 行",
    },
    "task.top_k_similar.hint": {
        "en": "If jnp.linalg.norm(query) == 0, raise ValueError. scores = matrix @ query / "
        "(norms * |query|) with norms = jnp.linalg.norm(matrix, axis=1) and a zero norm "
        "replaced by 1 (jnp.where), so a zero row scores 0; then jnp.argsort(-scores)[:k] "
        "(stable: equal scores keep the lower index first).",
        "zh": "如果 jnp.linalg.norm(query) == 0，就抛出 ValueError。scores = matrix @ query / "
        "(norms * |query|)，其中 norms = jnp.linalg.norm(matrix, axis=1)，为 0 的范数用 "
        "jnp.where 换成 1，这样全 0 的行得分为 0；然后取 jnp.argsort(-scores)[:k]"
        "（稳定排序：得分相同时下标小的在前）。",
    },
    # names and shared sentences
    "check.name.log_prob": {"en": "log-probability", "zh": "对数概率"},
    "check.name.indices": {"en": "indices", "zh": "下标"},
    "check.thinking.one_number": {
        "en": "your {name} should be one number, not an array of shape {shape}, {when}.",
        "zh": "{when}，你的{name}应该是一个数，而不是形状为 {shape} 的数组。",
    },
    "check.thinking.one_index": {
        "en": "your function should return one int index (e.g. int(np.argmax(scores))), {when}.",
        "zh": "{when}，你的函数应该返回一个整数下标（例如 int(np.argmax(scores))）。",
    },
    "check.thinking.index": {
        "en": "your function should return int indices (e.g. int(np.argmax(...))), {when}.",
        "zh": "{when}，你的函数应该返回整数下标（例如 int(np.argmax(...))）。",
    },
    # choice_logprob
    "check.thinking.when_choice": {
        "en": "for logits ({T}, {V}), ids ({T},) and start = {start}",
        "zh": "对于形状为 ({T}, {V}) 的对数值、形状为 ({T},) 的 ids 和 start = {start}",
    },
    "check.thinking.when_shifted": {
        "en": "for logits ({T}, {V}) all shifted by {shift}, ids ({T},) and start = {start}",
        "zh": "对于整体加了 {shift} 的 ({T}, {V}) 对数值、形状为 ({T},) 的 ids 和 start = {start}",
    },
    "check.thinking.not_finite": {
        "en": "your log-probability is not a finite number {when}: adding the same number to "
        "every logit changes no probability, but exp of a big logit overflows; use "
        "jax.nn.log_softmax (it subtracts the max first).",
        "zh": "{when}，你的对数概率不是一个有限的数：给所有对数值加上同一个数，任何概率都不会变，"
        "但大的对数值取 exp 会溢出；请用 jax.nn.log_softmax（它会先减去最大值）。",
    },
    "check.thinking.no_shift": {
        "en": "you scored ids[j] with row j of the logits {when}: row j predicts the NEXT token, "
        "so ids[j] is scored by row j - 1 (the next-token shift).",
        "zh": "{when}，你用对数值的第 j 行给 ids[j] 打分：第 j 行预测的是【下一个】词元，"
        "所以 ids[j] 要用第 j - 1 行打分（错开一位）。",
    },
    "check.thinking.whole": {
        "en": "you summed over the whole sequence {when}: only the choice's tokens, ids[start:], "
        "count; the prompt is given, not scored.",
        "zh": "{when}，你把整个序列都加起来了：只有答案的词元 ids[start:] 才算数；"
        "提示词是给定的，不打分。",
    },
    "check.thinking.one_late": {
        "en": "you left out the choice's first token {when}: ids[start] is scored too, by row "
        "start - 1.",
        "zh": "{when}，你漏掉了答案的第一个词元：ids[start] 也要打分，用第 start - 1 行。",
    },
    "check.thinking.one_early": {
        "en": "you scored one prompt token too many {when}: the choice starts at ids[start], "
        "scored by row start - 1.",
        "zh": "{when}，你多算了一个提示词里的词元：答案从 ids[start] 开始，用第 start - 1 行打分。",
    },
    "check.thinking.raw_logits": {
        "en": "you summed raw logits {when}: turn each row into log-probabilities first with "
        "log_softmax.",
        "zh": "{when}，你加的是原始的对数值：要先用 log_softmax 把每一行变成对数概率。",
    },
    "check.thinking.probabilities": {
        "en": "you summed probabilities {when}: the probability of a sequence is a product, so "
        "its log is the sum of the tokens' LOG-probabilities.",
        "zh": "{when}，你加的是概率：一个序列的概率是各词元概率的乘积，"
        "所以它的对数是各词元【对数】概率之和。",
    },
    "check.thinking.product": {
        "en": "you returned the probability itself {when}: return its log, the sum of the "
        "log-probabilities (a product of many probabilities underflows to 0).",
        "zh": "{when}，你返回的是概率本身：请返回它的对数，也就是各对数概率之和"
        "（许多概率相乘会下溢成 0）。",
    },
    "check.thinking.mean": {
        "en": "you took the mean over the choice's tokens {when}: return the sum; the mean "
        "per token is the next task.",
        "zh": "{when}，你对答案的词元取了平均：这里要返回总和；按词元取平均是下一题的事。",
    },
    # best_choice
    "check.thinking.when_rows": {
        "en": "for token log-probabilities {rows} and per_token = {per_token}",
        "zh": "对于各词元的对数概率 {rows} 和 per_token = {per_token}",
    },
    "check.thinking.sum_used": {
        "en": "you picked the best total {when}: per_token = True asks for the best mean per "
        "token, which does not punish a long answer for its length.",
        "zh": "{when}，你选了总和最高的：per_token = True 要的是每个词元平均最高的，"
        "它不会因为答案长就惩罚它。",
    },
    "check.thinking.mean_used": {
        "en": "you picked the best mean per token {when}: per_token = False asks for the best "
        "total (the summed log-probability).",
        "zh": "{when}，你选了每个词元平均最高的：per_token = False 要的是总和（对数概率之和）"
        "最高的。",
    },
    "check.thinking.least": {
        "en": "you picked the least likely choice {when}: log-probabilities are below 0 and the "
        "best is the highest (closest to 0); use argmax.",
        "zh": "{when}，你选了可能性最小的答案：对数概率都小于 0，最好的是最高的（最接近 0）；"
        "请用 argmax。",
    },
    "check.thinking.tie_first": {
        "en": "choices {got} and {want} score the same {when}; on a tie return the first, {want} "
        "(np.argmax does).",
        "zh": "{when}，第 {got} 个和第 {want} 个答案得分相同；相同时返回靠前的那个，也就是 {want}"
        "（np.argmax 就是这样做的）。",
    },
    "check.thinking.not_best": {
        "en": "you returned choice {got}, but the best is {want} {when}.",
        "zh": "{when}，你返回的是第 {got} 个答案，但最好的是第 {want} 个。",
    },
    # run_tools
    "check.thinking.when_script": {
        "en": "for prompt {prompt}, a model writing {pieces} (<echo> repeats the last result), "
        "and max_steps = {n}",
        "zh": "对于提示词 {prompt}、依次写出 {pieces} 的模型（<echo> 会复述最后一个结果）"
        "和 max_steps = {n}",
    },
    "check.thinking.not_text": {
        "en": "your function returned a {kind} {when}: return the final context, one str.",
        "zh": "{when}，你的函数返回的是 {kind}：请返回最终的上下文，一个 str。",
    },
    "check.thinking.eval": {
        "en": "your loop computed the model's text as Python {when} (it wrote 1024 for 2**10, or "
        "21 for len('abc')*7): that is eval, and a model, or whoever wrote its prompt, could "
        "then run any code on your computer. Use llmlab.tools.calculator, which only does "
        "integer + - * and refuses the rest with a sentence.",
        "zh": "{when}，你的循环把模型写的文字当作 Python 代码来算了（2**10 写成了 1024，或 "
        "len('abc')*7 写成了 21）：这就是 eval，模型（或者写提示词的人）就能在你的电脑上运行任意"
        "代码。请用 llmlab.tools.calculator，它只算整数的 + - *，其余的一律用一句话拒绝。",
    },
    "check.thinking.not_cut": {
        "en": "you kept what the model wrote after <|/calc|> in the same piece {when}: the "
        "program takes over right after the marker, so cut the piece there and append the "
        "calculator's result; the model must never write a result itself.",
        "zh": "{when}，你保留了模型在同一段里 <|/calc|> 之后写的内容：标记一出现就轮到程序接手，"
        "所以要把这一段切在标记之后，再追加计算器的结果；结果绝不能由模型自己写。",
    },
    "check.thinking.split_marker": {
        "en": "you missed a <|/calc|> split over two pieces {when}: look for the marker in text "
        "+ piece, starting a few characters before the end of the old text.",
        "zh": "{when}，你漏掉了被拆在两段里的 <|/calc|>：要在 text + piece 里找这个标记，"
        "从旧文本末尾往前几个字符的位置开始找。",
    },
    "check.thinking.no_result": {
        "en": 'you did not append "=" and the result after a call {when}: when <|/calc|> '
        'closes a call, append "=" + calculator(expression) before the model goes on.',
        "zh": '{when}，调用之后你没有追加 "=" 和结果：<|/calc|> 结束一次调用时，要先追加 '
        '"=" + calculator(算式)，模型才接着写。',
    },
    "check.thinking.steps": {
        "en": "you called the model a different number of times than max_steps = {n} allows "
        '{when}: call step_fn at most max_steps times (fewer if it returns "").',
        "zh": "{when}，你调用模型的次数和 max_steps = {n} 不符：step_fn 最多调用 max_steps 次"
        '（它返回 "" 时提前停止）。',
    },
    "check.thinking.differs": {
        "en": "your context differs from the right one at character {i} {when}: yours has "
        "{got} there, the right one {want}.",
        "zh": "{when}，你的上下文从第 {i} 个字符起与正确答案不同：你的是 {got}，正确的是 {want}。",
    },
    # bag_of_chars
    "check.thinking.when_text": {
        "en": "for the text {text} and the vocabulary {vocabulary!r}",
        "zh": "对于文本 {text} 和字表 {vocabulary!r}",
    },
    "check.thinking.empty_nan": {
        "en": "your vector has NaN {when}: the text has none of the vocabulary's characters, so "
        "its counts are all 0 and so is their norm; return the zeros as they are.",
        "zh": "{when}，你的向量里有 NaN：这段文本一个字表里的字都没有，计数全是 0，范数也是 0；"
        "这时直接返回全 0 的向量。",
    },
    "check.thinking.raw_counts": {
        "en": "you returned the counts {when}: divide them by their L2 norm, so that every text "
        "becomes a unit vector whatever its length.",
        "zh": "{when}，你返回的是计数：要除以它们的 L2 范数，这样不论文本多长，都变成单位向量。",
    },
    "check.thinking.l1": {
        "en": "you divided the counts by their sum {when}: divide by the L2 norm, "
        "sqrt(sum of squares), so that the vector has length 1.",
        "zh": "{when}，你用计数之和去除：要除以 L2 范数，即平方和的平方根，这样向量长度才是 1。",
    },
    "check.thinking.once": {
        "en": "you counted each character once, however often it occurs {when}: count every "
        "occurrence (text.count(c)).",
        "zh": "{when}，不论一个字出现几次你都只算了一次：每次出现都要算（text.count(c)）。",
    },
    "check.thinking.by_length": {
        "en": "you divided the counts by the text's length {when}: divide by their L2 norm "
        "instead (characters outside the vocabulary do not count).",
        "zh": "{when}，你用文本长度去除计数：应当除以它们的 L2 范数（字表以外的字不算）。",
    },
    # top_k_similar
    "check.thinking.when_rows_k": {
        "en": "for a query ({C},), a matrix ({N}, {C}) with an all-zero row and two equal rows, "
        "and k = {k}",
        "zh": "对于形状为 ({C},) 的查询向量、形状为 ({N}, {C}) 且含一整行 0 和两行相同的矩阵，"
        "以及 k = {k}",
    },
    "check.thinking.when_zero_query": {
        "en": "for a query of zeros ({C},) and a matrix ({N}, {C})",
        "zh": "对于全为 0 的查询向量 ({C},) 和形状为 ({N}, {C}) 的矩阵",
    },
    "check.thinking.all_rows": {
        "en": "you returned every row {when}: keep the first k = {k} of the ranking.",
        "zh": "{when}，你返回了所有的行：只保留排序中的前 k = {k} 个。",
    },
    "check.thinking.bad_rows": {
        "en": "your indices {got} should be k different rows, each in 0..{N}-1, {when}.",
        "zh": "{when}，你的下标 {got} 应当是 k 个互不相同的行号，每个都在 0..{N}-1 之内。",
    },
    "check.thinking.least_first": {
        "en": "you ranked the least similar rows first {when}: sort by -scores, so that the "
        "highest cosine comes first.",
        "zh": "{when}，你把最不相似的行排在了前面：要按 -scores 排序，让余弦最高的排第一。",
    },
    "check.thinking.reversed": {
        "en": "your ranking is the right one reversed {when}: the most similar row comes first.",
        "zh": "{when}，你的排序正好反了：最相似的行应该排第一。",
    },
    "check.thinking.dot_product": {
        "en": "you ranked by the dot product {when}: a long row then wins whatever its "
        "direction; divide by both lengths (norms) to get the cosine.",
        "zh": "{when}，你按点积排序：这样长的行不管方向如何都会胜出；要除以两者的长度（范数）"
        "才是余弦。",
    },
    "check.thinking.zero_row_nan": {
        "en": "the all-zero row came last {when}, as if its score were NaN (0 / 0): give it score "
        "0, so that it ranks above the rows pointing away from the query; replace a zero norm "
        "by 1 before dividing.",
        "zh": "{when}，全 0 的行被排到了最后，就像它的得分是 NaN（0 / 0）一样：要让它得 0 分，"
        "排在与查询方向相反的行之前；相除之前把为 0 的范数换成 1。",
    },
    "check.thinking.tie_rows": {
        "en": "two equal rows came in the wrong order {when}: on equal scores the lower index "
        'comes first (a stable sort, such as jnp.argsort or np.argsort(..., kind="stable")).',
        "zh": "{when}，两行相同的行顺序反了：得分相同时下标小的排在前面（用稳定排序，如 "
        'jnp.argsort 或 np.argsort(..., kind="stable")）。',
    },
    "check.thinking.not_nearest": {
        "en": "place {i} of your ranking holds row {got}, the right one row {want} {when}.",
        "zh": "{when}，你的排序第 {i} 位是第 {got} 行，正确的是第 {want} 行。",
    },
    "check.thinking.zero_query": {
        "en": "your function returned an answer {when}: a zero query has no direction, so no "
        "row is nearer to it than another; raise ValueError, as llmlab.retrieval does.",
        "zh": "{when}，你的函数给出了答案：全 0 的查询向量没有方向，没有哪一行比别的行更接近它；"
        "请像 llmlab.retrieval 那样抛出 ValueError。",
    },
    "check.thinking.zero_query_raised": {
        "en": "your function raised {error} {when}: raise ValueError with a sentence instead.",
        "zh": "{when}，你的函数抛出了 {error}：请改为抛出带一句说明的 ValueError。",
    },
}
