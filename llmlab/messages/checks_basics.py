"""The checks of lessons 03-04 (llmlab/grading/sampling, loss) and what several lessons share:
what the learner's answer is called ("check.name.*"), the inputs a sentence names
("check.when.*", each finishing a sentence of llmlab/messages/grading.py) and the planted
mistakes each check names."""

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
        "zh": "{when}，你丢掉了让累计概率达到 p 的那个词元：只要一个词元之前的概率总和还小于 p "
        "就保留它，这样保留下来的概率总和至少是 p。",
    },
}
