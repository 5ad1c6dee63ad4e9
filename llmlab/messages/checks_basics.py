"""The checks of lessons 01-04 (llmlab/grading/probability, tokens, sampling, loss): what the
learner's answer is called ("check.name.*"), the inputs a sentence names ("check.when.*", each
finishing a sentence of llmlab/messages/grading.py) and the planted mistakes each check names."""

MESSAGES = {
    # shared by several lessons
    "check.when.logits_shape": {
        "en": "for logits of shape {shape}",
        "zh": "对于形状为 {shape} 的对数值",
    },
    "check.when.batch_shape": {
        "en": "for a batch of shape {shape}",
        "zh": "对于形状为 {shape} 的一批输入",
    },
    "check.when.large_logits": {
        "en": "for large logits (around {size})",
        "zh": "对于很大的对数值（{size} 左右）",
    },
    "check.name.loss": {"en": "loss", "zh": "损失"},
    "check.name.probabilities": {"en": "probabilities", "zh": "概率"},
    "check.name.counts": {"en": "counts", "zh": "计数"},
    # 04 loss
    "check.name.log_probs": {"en": "log-probabilities", "zh": "对数概率"},
    "check.name.perplexity": {"en": "perplexity", "zh": "困惑度"},
    "check.loss.when_tiny": {
        "en": "for logits [0, -200, 3, 1] (one tiny probability)",
        "zh": "对于对数值 [0, -200, 3, 1]（其中一个概率极小）",
    },
    "check.loss.log_softmax_nan": {
        "en": "your log-probabilities contain NaN or inf {when}: log(softmax) underflows "
        "or exp overflows; use z - logsumexp(z) with the max subtracted.",
        "zh": "{when}，你的对数概率里有 NaN 或 inf：log(softmax) 会下溢，exp 会上溢；"
        "请用减去最大值的 z - logsumexp(z)。",
    },
    "check.loss.positive": {
        "en": "some of your log-probabilities are positive {when}: log p ≤ 0.",
        "zh": "{when}，你的对数概率有的是正数：log p ≤ 0。",
    },
    "check.loss.when_nll": {
        "en": "for logits of shape {logits} and targets of shape {targets}",
        "zh": "对于形状为 {logits} 的对数值和形状为 {targets} 的目标",
    },
    "check.loss.not_scalar": {
        "en": "your loss has shape {shape} {when}: average over all positions to get one number.",
        "zh": "{when}，你的损失形状是 {shape}：要对所有位置求平均，得到一个数。",
    },
    "check.loss.negative": {
        "en": "your loss is negative {when}: NLL is MINUS the mean log-probability.",
        "zh": "{when}，你的损失是负数：负对数似然是平均对数概率的【相反数】。",
    },
    "check.loss.summed": {
        "en": "you summed the losses {when}: take their mean instead.",
        "zh": "{when}，你把损失加起来了：应该取平均值。",
    },
    "check.loss.when_huge": {
        "en": "for the huge logits [2000, 0, -2000] with target 1 (loss 2000)",
        "zh": "对于极大的对数值 [2000, 0, -2000]、目标为 1（损失是 2000）",
    },
    "check.loss.nll_nan": {
        "en": "your loss is NaN or inf {when}: compute log-softmax with logsumexp.",
        "zh": "{when}，你的损失是 NaN 或 inf：请用 logsumexp 计算 log-softmax。",
    },
    "check.loss.when_uniform": {
        "en": "for the NLL ln {V} of a uniform guess over {V} tokens",
        "zh": "对于在 {V} 个词元中均匀猜测的负对数似然 ln {V}",
    },
    "check.loss.when_zero": {
        "en": "for a loss of 0 (a model that is always sure and right)",
        "zh": "对于损失为 0（模型总是很确定而且总是对的）",
    },
    "check.loss.when_random": {"en": "for a random loss", "zh": "对于一个随机的损失"},
    "check.loss.ppl_shape": {
        "en": "your perplexity has shape {shape} {when}: return one number.",
        "zh": "{when}，你的困惑度形状是 {shape}：请返回一个数。",
    },
    "check.loss.exp_minus": {
        "en": "you computed exp(-NLL) {when}: perplexity is exp(+NLL) ≥ 1.",
        "zh": "{when}，你算的是 exp(-NLL)：困惑度是 exp(+NLL) ≥ 1。",
    },
    "check.loss.base_2": {
        "en": "you used base 2 {when}: our NLL is in nats, so use exp.",
        "zh": "{when}，你用了以 2 为底：我们的负对数似然以奈特（nat）为单位，所以要用 exp。",
    },
    # 03 sampling
    "check.name.filtered_logits": {"en": "filtered logits", "zh": "过滤后的对数值"},
    "check.name.kept_logits": {"en": "kept logits", "zh": "保留下来的对数值"},
    "check.sampling.overflow": {
        "en": "your probabilities contain NaN or inf {when}: exp overflowed; subtract the "
        "largest logit of each row before exp (it does not change the result).",
        "zh": "{when}，你的概率里有 NaN 或 inf：exp 上溢了；在 exp 之前先减去每一行最大的对数值"
        "（这不会改变结果）。",
    },
    "check.sampling.batch_sums_to_1": {
        "en": "your whole batch sums to 1 but each row should {when}: sum over axis=-1 "
        "with keepdims=True.",
        "zh": "{when}，你让整批加起来等于 1，但应该是每一行各自等于 1：请用 axis=-1、"
        "keepdims=True 求和。",
    },
    "check.sampling.not_sum_1": {
        "en": "your probabilities do not sum to 1 {when} (one row sums to {total}).",
        "zh": "{when}，你的概率加起来不等于 1（有一行的和是 {total}）。",
    },
    "check.sampling.when_batch": {
        "en": "for a batch of logits of shape {shape}",
        "zh": "对于形状为 {shape} 的一批对数值",
    },
    "check.sampling.when_spread": {
        "en": "for logits of shape (2, 3, V) spread ±100",
        "zh": "对于形状为 (2, 3, V)、数值散布在 ±100 之间的对数值",
    },
    "check.sampling.when_single": {
        "en": "for a single token (V = 1)",
        "zh": "对于只有一个词元的情况（V = 1）",
    },
    "check.sampling.when_temperature": {
        "en": "when temperature = {temperature}",
        "zh": "当温度 = {temperature} 时",
    },
    "check.sampling.multiplied": {
        "en": "you multiplied the logits by T {when}: divide them by T instead.",
        "zh": "{when}，你把对数值乘以了 T：应该除以 T。",
    },
    "check.sampling.ignores_t": {
        "en": "your probabilities ignore the temperature {when}.",
        "zh": "{when}，你的概率没有考虑温度。",
    },
    "check.sampling.filter_nan": {
        "en": "your filtered logits contain NaN {when}.",
        "zh": "{when}，你过滤后的对数值里有 NaN。",
    },
    "check.sampling.dropped_to_0": {
        "en": "you set the dropped logits to 0 {when}, but exp(0) = 1 still gives them "
        "probability: set them to -jnp.inf.",
        "zh": "{when}，你把要丢掉的对数值设成了 0，可是 exp(0) = 1，它们仍然有概率："
        "请设成 -jnp.inf。",
    },
    "check.sampling.kept_count": {
        "en": "you kept {n} tokens but {what} keeps {m} {when}.",
        "zh": "{when}，你保留了 {n} 个词元，而 {what} 应保留 {m} 个。",
    },
    "check.sampling.wrong_tokens": {
        "en": "you kept the wrong tokens {when}: keep the largest logits.",
        "zh": "{when}，你保留的词元不对：应该保留对数值最大的那些。",
    },
    "check.sampling.when_k": {
        "en": "when k = {k} for logits of shape {shape}",
        "zh": "当 k = {k}、对数值形状为 {shape} 时",
    },
    "check.sampling.top_k": {"en": "top-k with k = {k}", "zh": "k = {k} 的 top-k"},
    "check.sampling.when_p": {
        "en": "when p = {p} for logits of shape {shape}",
        "zh": "当 p = {p}、对数值形状为 {shape} 时",
    },
    "check.sampling.top_p": {"en": "top-p with p = {p}", "zh": "p = {p} 的 top-p"},
    "check.sampling.dropped_crossing": {
        "en": "you dropped the token that makes the total reach p {when}: keep tokens "
        "while the mass before them is below p, so that the kept mass is at least p.",
        "zh": "{when}，你丢掉了让累计概率达到 p 的那个词元：只要一个词元之前的概率总和还小于 p"
        "就保留它，这样保留下来的概率总和至少是 p。",
    },
    # 01 probability
    "check.probability.when_venn": {
        "en": "for only_a={only_a}, only_b={only_b}, both={both}, neither={neither}",
        "zh": "对于 only_a={only_a}、only_b={only_b}、both={both}、neither={neither}",
    },
    "check.probability.not_number": {
        "en": "your function returned a {kind}, not a number, {when}.",
        "zh": "{when}，你的函数返回了 {kind}，不是一个数。",
    },
    "check.probability.b_given_a": {
        "en": "you computed P(B∣A) = {value} {when}: P(A∣B) divides by "
        "the people who like B, not by those who like A.",
        "zh": "{when}，你算的是 P(B∣A) = {value}：P(A∣B) 要除以喜欢 B 的人数，"
        "而不是喜欢 A 的人数。",
    },
    "check.probability.a_and_b": {
        "en": "you computed P(A∩B) = {value} {when}: divide by the people who "
        "like B, not by everybody.",
        "zh": "{when}，你算的是 P(A∩B) = {value}：要除以喜欢 B 的人数，而不是所有人。",
    },
    "check.probability.when_ids": {
        "en": "for {n} ids and vocab_size={V}",
        "zh": "对于 {n} 个 id、vocab_size={V}",
    },
    "check.probability.transposed": {
        "en": "your counts are transposed {when}: counts[a, b] must count a followed by b.",
        "zh": "{when}，你的计数表转置了：counts[a, b] 要数的是 a 后面紧跟 b 的次数。",
    },
    "check.probability.one_too_many": {
        "en": "your counts add up to {n} {when}, but a sequence of {n} ids has "
        "only {pairs} neighbouring pairs: the last id has no next id.",
        "zh": "{when}，你的计数加起来是 {n}，但 {n} 个 id 的序列只有 {pairs} 对相邻的 id："
        "最后一个 id 后面没有下一个。",
    },
    "check.probability.when_single": {"en": "for a single token", "zh": "对于只有一个词元的序列"},
    "check.probability.when_single_no_pairs": {
        "en": "for a single token (no pairs)",
        "zh": "对于只有一个词元的序列（没有相邻的一对）",
    },
    "check.probability.when_table": {
        "en": "for a ({V}, {V}) count table",
        "zh": "对于 ({V}, {V}) 的计数表",
    },
    "check.probability.table_sums_to_1": {
        "en": "your whole table sums to 1 but its rows do not {when}: divide each row by "
        "its own sum, because each row is P(next ∣ this token).",
        "zh": "{when}，你让整张表加起来等于 1，但每一行并不等于 1：每一行要除以它自己的和，"
        "因为每一行是 P(下一个 ∣ 这个词元)。",
    },
    "check.probability.columns": {
        "en": "your columns sum to 1 instead of your rows {when}: use axis=-1.",
        "zh": "{when}，加起来等于 1 的是你的列而不是行：请用 axis=-1。",
    },
    "check.probability.when_zero_row": {
        "en": "when a row of the count table is all zeros",
        "zh": "当计数表有一整行都是 0 时",
    },
    "check.probability.zero_row_nan": {
        "en": "your probabilities contain NaN {when} (0 / 0): give such a row the uniform "
        "distribution instead.",
        "zh": "{when}，你的概率里有 NaN（0 / 0）：这样的行应该给均匀分布。",
    },
    # 02 tokens
    "check.name.bytes": {"en": "bytes", "zh": "字节"},
    "check.name.pair_counts": {"en": "pair counts", "zh": "相邻对的计数"},
    "check.name.merged_ids": {"en": "merged ids", "zh": "合并后的 id"},
    "check.name.ids": {"en": "ids", "zh": "id"},
    "check.name.round_trip": {"en": "decode(encode(text))", "zh": "decode(encode(text)) 的结果"},
    "check.name.round_trip_part": {
        "en": "decode(encode(part of the text))",
        "zh": "decode(encode(文本的一部分)) 的结果",
    },
    "check.tokens.when_text": {"en": "for the text {text}", "zh": "对于文本 {text}"},
    "check.tokens.returned_bytes": {
        "en": "your function returned bytes {when}: wrap it in list(...).",
        "zh": "{when}，你的函数返回的是 bytes：请用 list(...) 把它包起来。",
    },
    "check.tokens.code_points": {
        "en": "you returned character code points (ord) {when}: a Chinese character "
        "such as 床 is 3 bytes in UTF-8, so encode the text first.",
        "zh": "{when}，你返回的是字符的码位（ord）：像“床”这样的汉字在 UTF-8 里占 3 个字节，"
        "所以要先把文本编码。",
    },
    "check.tokens.when_ids": {"en": "for ids {ids}", "zh": "对于 id 序列 {ids}"},
    "check.tokens.when_random_ids": {
        "en": "for {n} ids of a random text",
        "zh": "对于一段随机文本的 {n} 个 id",
    },
    "check.tokens.not_dict": {
        "en": "your function returned a {kind} {when}, not a dict.",
        "zh": "{when}，你的函数返回了 {kind}，而不是 dict。",
    },
    "check.tokens.dict_shape": {
        "en": "your dict should map pairs (a, b) to counts {when}.",
        "zh": "{when}，你的 dict 应该把一对 (a, b) 映射到它的次数。",
    },
    "check.tokens.overlap": {
        "en": "you counted (1, 1) once {when}: overlapping pairs count twice.",
        "zh": "{when}，你只把 (1, 1) 数了一次：重叠的相邻对要数两次。",
    },
    "check.tokens.once": {
        "en": "you counted each pair only once {when}: add 1 for every occurrence.",
        "zh": "{when}，你每一对只数了一次：每出现一次都要加 1。",
    },
    "check.tokens.missed_last": {
        "en": "you missed the last pair {when}: zip(ids, ids[1:]) reaches it.",
        "zh": "{when}，你漏掉了最后一对：zip(ids, ids[1:]) 能遍历到它。",
    },
    "check.tokens.ambiguous": {
        "en": "your pair counts are wrong {when}: count every pair, the last one too, "
        "and add 1 for every occurrence.",
        "zh": "{when}，你的相邻对计数不对：每一对都要数，包括最后一对，而且每出现一次都加 1。",
    },
    "check.tokens.when_merge": {
        "en": "for ids {ids} and pair {pair}",
        "zh": "对于 id 序列 {ids} 和相邻对 {pair}",
    },
    "check.tokens.first_only": {
        "en": "you merged only the first occurrence {when}: merge all of them.",
        "zh": "{when}，你只合并了第一次出现的那一对：要全部合并。",
    },
    "check.tokens.two_functions": {
        "en": "your function should return two functions (encode, decode) {when}.",
        "zh": "{when}，你的函数应该返回两个函数 (encode, decode)。",
    },
    "check.tokens.in_encode": {"en": "in encode {when}", "zh": "{when}，在 encode 中"},
    "check.tokens.in_decode": {"en": "in decode {when}", "zh": "{when}，在 decode 中"},
    "check.tokens.encode_ints": {
        "en": "your encode should return a list of ints {when}.",
        "zh": "{when}，你的 encode 应该返回由 int 组成的 list。",
    },
    "check.tokens.one_per_char": {
        "en": "your encode gave {n} ids for {chars} characters {when}: one id per character.",
        "zh": "{when}，你的 encode 对 {chars} 个字符给出了 {n} 个 id：应该每个字符一个 id。",
    },
    "check.tokens.first_seen": {
        "en": "you numbered the characters in the order they first appear {when}: "
        "sort them first, with sorted(set(text)).",
        "zh": "{when}，你按字符第一次出现的顺序编号：应该先用 sorted(set(text)) 排序。",
    },
    "check.tokens.sorted_hint": {
        "en": "number the sorted characters 0, 1, 2...",
        "zh": "给排好序的字符依次编号 0, 1, 2……",
    },
}
