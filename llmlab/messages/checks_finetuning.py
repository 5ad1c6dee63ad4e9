"""Exercise 10 (fine-tuning): the title and hint of each task (as tasks.py keeps those of
lessons 01-09), the inputs a sentence names, and the planted mistakes its checks name."""

MESSAGES = {
    "task.assistant_mask.title": {
        "en": "The assistant-only loss mask",
        "zh": "只覆盖助手回答的损失掩码",
    },
    "task.assistant_mask.hint": {
        "en": "Walk through the ids with a flag `inside`: at assistant_id set inside = True "
        "(the marker itself gets 0); every id while inside gets 1, end_id included, and end_id "
        "sets inside = False again. Everything else gets 0.",
        "zh": "用一个标志 `inside` 逐个走过这些编号：遇到 assistant_id 时令 inside = True"
        "（这个标记本身记 0）；inside 期间的每个编号都记 1，包括 end_id，遇到 end_id 后再令 "
        "inside = False。其余位置都记 0。",
    },
    "task.masked_nll.title": {
        "en": "The masked NLL of supervised fine-tuning",
        "zh": "监督微调的带掩码负对数似然",
    },
    "task.masked_nll.hint": {
        "en": "logp = jax.nn.log_softmax(logits); take the target's entry with "
        "jnp.take_along_axis(logp, targets[..., None], -1)[..., 0]; then "
        "-(that * mask).sum() / mask.sum(): the mean over the masked-in tokens only.",
        "zh": "logp = jax.nn.log_softmax(logits)；用 jnp.take_along_axis(logp, targets[..., None], "
        "-1)[..., 0] 取出目标词元那一项；再算 -(它 * mask).sum() / mask.sum()：只在掩码为 1 "
        "的词元上求平均。",
    },
    "task.lora_forward.title": {"en": "The LoRA forward pass", "zh": "LoRA 的前向计算"},
    "task.lora_forward.hint": {
        "en": "r = a.shape[1]; y = x @ kernel + (alpha / r) * (x @ a) @ b, then add bias when it "
        "is not None.",
        "zh": "r = a.shape[1]；y = x @ kernel + (alpha / r) * (x @ a) @ b，bias 不是 None 时"
        "再加上 bias。",
    },
    "task.merge_lora.title": {
        "en": "Merge a LoRA adapter into its kernel",
        "zh": "把 LoRA 适配器合并进权重矩阵",
    },
    "task.merge_lora.hint": {
        "en": "The adapted layer computes x @ (kernel + (alpha / r) * a @ b): return that "
        "matrix, with r = a.shape[1].",
        "zh": "加了适配器的层算的是 x @ (kernel + (alpha / r) * a @ b)：返回括号里的矩阵，"
        "其中 r = a.shape[1]。",
    },
    "check.name.kernel": {"en": "merged kernel", "zh": "合并后的权重矩阵"},
    "check.finetuning.when_chat": {
        "en": "for the conversation {roles} ({T} tokens)",
        "zh": "对于对话 {roles}（共 {T} 个词元）",
    },
    "check.finetuning.mask_not_bool": {
        "en": "your mask should hold only True/False (or 1/0) {when}.",
        "zh": "{when}，你的掩码里应该只有 True/False（或 1/0）。",
    },
    "check.finetuning.mask_inverted": {
        "en": "your mask is the wrong way round {when}: it is 1 on the user's tokens and 0 on "
        "the assistant's answer, so the model would learn to ask, not to answer.",
        "zh": "{when}，你的掩码正好反了：它在用户的词元上是 1，在助手的回答上是 0，"
        "这样模型学会的是提问，而不是回答。",
    },
    "check.finetuning.mask_marker": {
        "en": "your mask is 1 on the <|assistant|> role marker {when}: the model never has to "
        "predict the marker (the chat format puts it there), so it gets 0.",
        "zh": "{when}，你的掩码在角色标记 <|assistant|> 上是 1：模型从来不需要预测这个标记"
        "（它是对话格式自己放进去的），所以它应该是 0。",
    },
    "check.finetuning.mask_no_end": {
        "en": "your mask is 0 on the <|end|> that closes an answer {when}: it must be 1, or the "
        "model never learns to stop.",
        "zh": "{when}，你的掩码在结束一段回答的 <|end|> 上是 0：它必须是 1，否则模型永远学不会"
        "停下来。",
    },
    "check.finetuning.mask_first_only": {
        "en": "your mask covers only the first answer {when}: mark every assistant turn.",
        "zh": "{when}，你的掩码只覆盖了第一段回答：助手的每一轮回答都要标出来。",
    },
    "check.finetuning.mask_at": {
        "en": "your mask is {got} at position {t} but should be {want} {when}.",
        "zh": "{when}，你的掩码在位置 {t} 上是 {got}，应为 {want}。",
    },
    "check.finetuning.when_nll": {
        "en": "for logits of shape ({B}, {T}, {V}) and a mask with {n} ones",
        "zh": "对于形状为 ({B}, {T}, {V}) 的对数值和含 {n} 个 1 的掩码",
    },
    "check.finetuning.nll_not_scalar": {
        "en": "your loss has shape {shape} {when}: return one number, the mean over the "
        "masked-in tokens.",
        "zh": "{when}，你的损失形状是 {shape}：应该返回一个数，即掩码为 1 的词元上的平均值。",
    },
    "check.finetuning.nll_every_position": {
        "en": "you divided by every position {when}: divide by mask.sum(), the number of "
        "tokens that count, not by B·T.",
        "zh": "{when}，你除以了所有位置的个数：应该除以 mask.sum()，也就是真正计入的词元个数，"
        "而不是 B·T。",
    },
    "check.finetuning.nll_no_mask": {
        "en": "your loss ignores the mask {when}: it also counts the user's tokens and the "
        "padding.",
        "zh": "{when}，你的损失没有用掩码：它把用户的词元和填充位置也算进去了。",
    },
    "check.finetuning.nll_summed": {
        "en": "you summed the masked losses {when}: take their mean (divide by mask.sum()).",
        "zh": "{when}，你把带掩码的损失加起来了：应该取平均（除以 mask.sum()）。",
    },
    "check.finetuning.nll_row_means": {
        "en": "you averaged each row first, then the rows {when}: every masked-in token should "
        "count once, so a long answer weighs more than a short one.",
        "zh": "{when}，你先对每一行求平均，再对各行求平均：每个掩码为 1 的词元都应该只算一次，"
        "所以长回答的分量比短回答重。",
    },
    "check.finetuning.when_lora": {
        "en": "for x of shape {x}, rank r = {r} and alpha = {alpha}{bias}",
        "zh": "对于形状为 {x} 的 x、秩 r = {r}、alpha = {alpha}{bias}",
    },
    "check.finetuning.no_bias": {"en": " and bias None", "zh": "、bias 为 None"},
    "check.finetuning.lora_scale_alpha": {
        "en": "you scaled the update by alpha {when}: the scale is alpha / r.",
        "zh": "{when}，你用 alpha 缩放了更新量：缩放系数应该是 alpha / r。",
    },
    "check.finetuning.lora_no_scale": {
        "en": "you forgot the scale alpha / r of the update {when}.",
        "zh": "{when}，你忘了给更新量乘上缩放系数 alpha / r。",
    },
    "check.finetuning.lora_scale_upside_down": {
        "en": "you scaled the update by r / alpha {when}: the scale is alpha / r.",
        "zh": "{when}，你用 r / alpha 缩放了更新量：缩放系数应该是 alpha / r。",
    },
    "check.finetuning.lora_no_bias": {
        "en": "you forgot the bias {when}: the frozen layer's x @ kernel + bias stays.",
        "zh": "{when}，你忘了偏置：冻结的那一层算的 x @ kernel + bias 要保留。",
    },
    "check.finetuning.lora_no_base": {
        "en": "you forgot the frozen layer's x @ kernel {when}: LoRA adds a correction to the "
        "layer, it does not replace it.",
        "zh": "{when}，你忘了冻结层的 x @ kernel：LoRA 是给这一层加一个修正，而不是替换它。",
    },
    "check.finetuning.when_merge": {
        "en": "for a kernel of shape {shape}, rank r = {r} and alpha = {alpha}",
        "zh": "对于形状为 {shape} 的权重矩阵、秩 r = {r}、alpha = {alpha}",
    },
    "check.finetuning.merge_no_base": {
        "en": "you returned only the update (alpha / r) · a @ b {when}: add it to the kernel.",
        "zh": "{when}，你只返回了更新量 (alpha / r) · a @ b：要把它加到原来的权重矩阵上。",
    },
    "check.finetuning.merged_output": {
        "en": "output of the merged layer",
        "zh": "合并后那一层的输出",
    },
}
