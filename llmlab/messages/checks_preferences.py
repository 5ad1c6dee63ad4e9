"""Exercise 11 (preferences): the title and hint of each task (as tasks.py keeps those of
lessons 01-09), the inputs a sentence names, and the planted mistakes its checks name."""

MESSAGES = {
    "task.bradley_terry_prob.title": {
        "en": "The Bradley–Terry probability",
        "zh": "Bradley–Terry 概率",
    },
    "task.bradley_terry_prob.hint": {
        "en": "P(a beats b) = σ(r_a − r_b): jax.nn.sigmoid(r_a - r_b). Written as "
        "exp(r_a) / (exp(r_a) + exp(r_b)) it is the same number but overflows for big ratings.",
        "zh": "P(a 胜 b) = σ(r_a − r_b)：jax.nn.sigmoid(r_a - r_b)。写成 "
        "exp(r_a) / (exp(r_a) + exp(r_b)) 数值上相同，但评分大时会溢出。",
    },
    "task.bt_loss.title": {
        "en": "The Bradley–Terry loss of a batch of votes",
        "zh": "一批投票的 Bradley–Terry 损失",
    },
    "task.bt_loss.hint": {
        "en": "The mean of −ln σ(r_chosen − r_rejected) over the votes: "
        "-jnp.mean(jax.nn.log_sigmoid(r_chosen - r_rejected)). log_sigmoid stays finite where "
        "jnp.log(jax.nn.sigmoid(...)) gives -inf.",
        "zh": "对所有投票求 −ln σ(r_chosen − r_rejected) 的平均："
        "-jnp.mean(jax.nn.log_sigmoid(r_chosen - r_rejected))。在 "
        "jnp.log(jax.nn.sigmoid(...)) 得到 -inf 的地方，log_sigmoid 仍然是有限值。",
    },
    "task.sequence_logprob.title": {
        "en": "The log-probability of an answer",
        "zh": "一段回答的对数概率",
    },
    "task.sequence_logprob.hint": {
        "en": "logp = jax.nn.log_softmax(logits); pick the targets with "
        "jnp.take_along_axis(logp, targets[..., None], -1)[..., 0]; then "
        "jnp.sum(jnp.where(mask, picked, 0.0), axis=-1): a sum, one number per row.",
        "zh": "logp = jax.nn.log_softmax(logits)；用 jnp.take_along_axis(logp, targets[..., None], "
        "-1)[..., 0] 取出目标词元；再算 jnp.sum(jnp.where(mask, 取出的值, 0.0), axis=-1)："
        "是求和，每行一个数。",
    },
    "task.dpo_loss.title": {"en": "The DPO loss", "zh": "DPO 损失"},
    "task.dpo_loss.hint": {
        "en": "Implicit rewards: chosen = beta * (policy_chosen - ref_chosen), rejected = "
        "beta * (policy_rejected - ref_rejected); the loss is the Bradley–Terry loss "
        "-mean(log_sigmoid(chosen - rejected)).",
        "zh": "隐式奖励：chosen = beta * (policy_chosen - ref_chosen)，rejected = "
        "beta * (policy_rejected - ref_rejected)；损失就是 Bradley–Terry 损失 "
        "-mean(log_sigmoid(chosen - rejected))。",
    },
    "task.reward_margin_accuracy.title": {
        "en": "DPO's reward margin and preference accuracy",
        "zh": "DPO 的奖励差距与偏好准确率",
    },
    "task.reward_margin_accuracy.hint": {
        "en": "With the implicit rewards r = beta * (policy - ref) of both answers: margin = "
        "mean(r_chosen - r_rejected); accuracy = mean(r_chosen > r_rejected), strictly greater "
        "(a tie is not a win).",
        "zh": "先算两个回答的隐式奖励 r = beta * (policy - ref)：margin = "
        "mean(r_chosen - r_rejected)；accuracy = mean(r_chosen > r_rejected)，必须严格大于"
        "（打平不算赢）。",
    },
    "check.name.margin": {"en": "margin", "zh": "奖励差距"},
    "check.name.accuracy": {"en": "accuracy", "zh": "准确率"},
    "check.preferences.when_ratings": {
        "en": "for ratings of shape {shape} as large as {big}",
        "zh": "对于形状为 {shape}、最大达到 {big} 的评分",
    },
    "check.preferences.bt_overflow": {
        "en": "your probabilities are NaN {when}: exp of a big rating overflows; use "
        "jax.nn.sigmoid(r_a - r_b), which only sees the difference.",
        "zh": "{when}，你的概率出现了 NaN：大评分的 exp 会溢出；请用 "
        "jax.nn.sigmoid(r_a - r_b)，它只看差值。",
    },
    "check.preferences.bt_backwards": {
        "en": "your probability is backwards {when}: you gave P(b beats a); a wins more often "
        "when r_a is larger.",
        "zh": "{when}，你的概率方向反了：你算的是 P(b 胜 a)；r_a 越大，a 赢得越多。",
    },
    "check.preferences.bt_ratio": {
        "en": "you divided the ratings, r_a / (r_a + r_b) {when}: Bradley–Terry compares "
        "their difference through σ, so ratings can be any real numbers.",
        "zh": "{when}，你把评分相除了，r_a / (r_a + r_b)：Bradley–Terry 用 σ 比较的是两者之差，"
        "所以评分可以是任意实数。",
    },
    "check.preferences.bt_no_sigmoid": {
        "en": "you returned r_a − r_b {when}: pass the difference through the sigmoid to get a "
        "probability.",
        "zh": "{when}，你返回的是 r_a − r_b：要把差值送进 sigmoid 才是概率。",
    },
    "check.preferences.when_votes": {
        "en": "for {N} votes with margins r_chosen − r_rejected from {lo} to {hi}",
        "zh": "对于 {N} 次投票、差值 r_chosen − r_rejected 从 {lo} 到 {hi} 时",
    },
    "check.preferences.not_scalar": {
        "en": "your loss has shape {shape} {when}: return one number, the mean over the batch.",
        "zh": "{when}，你的损失形状是 {shape}：应该返回一个数，即整批的平均值。",
    },
    "check.preferences.log_of_sigmoid": {
        "en": "your loss is not finite {when}: jnp.log(jax.nn.sigmoid(m)) underflows to "
        "log 0 for a big margin; use jax.nn.log_sigmoid(m).",
        "zh": "{when}，你的损失不是有限值：差值很大时 jnp.log(jax.nn.sigmoid(m)) 会下溢成 log 0；"
        "请用 jax.nn.log_sigmoid(m)。",
    },
    "check.preferences.loss_backwards": {
        "en": "your loss rewards the rejected answers {when}: use σ(r_chosen − r_rejected), "
        "chosen first.",
        "zh": "{when}，你的损失奖励的是被拒绝的回答：应该用 σ(r_chosen − r_rejected)，"
        "被选中的在前。",
    },
    "check.preferences.loss_summed": {
        "en": "you summed the losses of the pairs {when}: take their mean.",
        "zh": "{when}，你把各对的损失加起来了：应该取平均。",
    },
    "check.preferences.loss_negative": {
        "en": "your loss is negative {when}: the loss is −ln σ(...), with the minus sign.",
        "zh": "{when}，你的损失是负的：损失是 −ln σ(...)，要带负号。",
    },
    "check.preferences.loss_no_log": {
        "en": "you averaged 1 − σ(margin) {when}: the loss is the negative log-likelihood "
        "−ln σ(margin).",
        "zh": "{when}，你对 1 − σ(差值) 求了平均：损失是负对数似然 −ln σ(差值)。",
    },
    "check.preferences.when_sequence": {
        "en": "for logits of shape ({B}, {T}, {V}) and a mask with {n} ones",
        "zh": "对于形状为 ({B}, {T}, {V}) 的对数值和含 {n} 个 1 的掩码",
    },
    "check.preferences.logp_mean": {
        "en": "you took the mean over the answer's tokens {when}: the log-probability of a "
        "whole answer is the sum.",
        "zh": "{when}，你对回答的各个词元取了平均：整段回答的对数概率是求和。",
    },
    "check.preferences.logp_no_mask": {
        "en": "your sum ignores the mask {when}: it also counts the prompt and the padding.",
        "zh": "{when}，你的求和没有用掩码：它把提示词和填充位置也算进去了。",
    },
    "check.preferences.logp_raw_logits": {
        "en": "you summed the raw logits {when}: turn them into log-probabilities with "
        "jax.nn.log_softmax first.",
        "zh": "{when}，你加的是原始对数值：要先用 jax.nn.log_softmax 把它们变成对数概率。",
    },
    "check.preferences.logp_negative": {
        "en": "your log-probabilities are positive {when}: you returned the NLL; a "
        "log-probability is ≤ 0.",
        "zh": "{when}，你的对数概率是正的：你返回的是负对数似然；对数概率应该 ≤ 0。",
    },
    "check.preferences.when_dpo": {
        "en": "for a batch of {B} pairs and beta = {beta}",
        "zh": "对于一批 {B} 对回答、beta = {beta}",
    },
    "check.preferences.dpo_no_beta": {
        "en": "you forgot beta {when}: the implicit reward is beta · (log π − log π_ref).",
        "zh": "{when}，你忘了 beta：隐式奖励是 beta · (log π − log π_ref)。",
    },
    "check.preferences.dpo_no_reference": {
        "en": "you left out the reference model {when}: each answer's reward is measured "
        "against it, beta · (log π − log π_ref).",
        "zh": "{when}，你漏掉了参考模型：每个回答的奖励都要相对它来算，"
        "beta · (log π − log π_ref)。",
    },
    "check.preferences.dpo_backwards": {
        "en": "your DPO loss prefers the rejected answers {when}: the margin is "
        "reward(chosen) − reward(rejected).",
        "zh": "{when}，你的 DPO 损失偏向被拒绝的回答：差值应是 reward(chosen) − reward(rejected)。",
    },
    "check.preferences.dpo_reference_added": {
        "en": "you added the reference's log-probabilities {when}: subtract them, "
        "log π − log π_ref.",
        "zh": "{when}，你把参考模型的对数概率加上去了：应该减去，log π − log π_ref。",
    },
    "check.preferences.dpo_not_bt": {
        "en": "your DPO loss {got} is not the Bradley–Terry loss {bt} of the implicit rewards "
        "{when}.",
        "zh": "{when}，你的 DPO 损失 {got} 不等于隐式奖励上的 Bradley–Terry 损失 {bt}。",
    },
    "check.preferences.pair": {
        "en": "your function should return the pair (margin, accuracy) {when}.",
        "zh": "{when}，你的函数应该返回一对 (margin, accuracy)。",
    },
    "check.preferences.not_scalar_named": {
        "en": "your {name} has shape {shape} {when}: return one number.",
        "zh": "{when}，你的{name}形状是 {shape}：应该返回一个数。",
    },
    "check.preferences.margin_no_beta": {
        "en": "your margin forgets beta {when}: the rewards are beta · (log π − log π_ref).",
        "zh": "{when}，你的奖励差距忘了乘 beta：奖励是 beta · (log π − log π_ref)。",
    },
    "check.preferences.margin_no_reference": {
        "en": "your margin leaves out the reference model {when}: compare the implicit "
        "rewards, not the raw log-probabilities.",
        "zh": "{when}，你的奖励差距漏掉了参考模型：要比较隐式奖励，而不是原始的对数概率。",
    },
    "check.preferences.margin_backwards": {
        "en": "your margin is backwards {when}: reward(chosen) − reward(rejected).",
        "zh": "{when}，你的奖励差距方向反了：应是 reward(chosen) − reward(rejected)。",
    },
    "check.preferences.accuracy_ties": {
        "en": "you counted ties as right {when}: a pair counts only when the chosen answer's "
        "reward is strictly greater (before training every reward is 0).",
        "zh": "{when}，你把打平也算成对了：只有被选中回答的奖励严格更大时才算（训练开始前"
        "所有奖励都是 0）。",
    },
    "check.preferences.accuracy_no_reference": {
        "en": "your accuracy compares the raw log-probabilities {when}: compare the implicit "
        "rewards, which subtract the reference's.",
        "zh": "{when}，你的准确率比较的是原始对数概率：要比较减去了参考模型对数概率的隐式奖励。",
    },
    "check.preferences.accuracy_count": {
        "en": "your accuracy is a count {when}: divide by the number of pairs for a fraction.",
        "zh": "{when}，你的准确率是个计数：要除以回答对的个数，得到一个比例。",
    },
}
