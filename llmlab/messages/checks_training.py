"""The checks of lessons 08-09 (llmlab/grading/pretraining, generation): names, inputs
("check.*.when_*" finish a sentence) and planted mistakes, as in checks_basics.py."""

MESSAGES = {
    # 08 pretraining
    "check.name.rate": {"en": "rate", "zh": "学习率"},
    "check.name.learning_rate": {"en": "learning rate", "zh": "学习率"},
    "check.name.new_values": {"en": "new {name} values", "zh": "新的 {name} 参数值"},
    "check.name.optimizer_state": {"en": "optimizer state", "zh": "优化器状态"},
    "check.pretraining.when_batch": {
        "en": "for data of {n} distinct ids, batch_size {B}, block_size {T}",
        "zh": "对于由 {n} 个互不相同的 id 组成的数据、batch_size {B}、block_size {T}",
    },
    "check.pretraining.int_x": {
        "en": "your x has dtype {dtype} {when}: token ids are ints.",
        "zh": "{when}，你的 x 的 dtype 是 {dtype}：词元 id 是整数。",
    },
    "check.pretraining.y_is_x": {
        "en": "your y equals x {when}: y must be x shifted by one token.",
        "zh": "{when}，你的 y 和 x 一样：y 应该是 x 错开一个词元。",
    },
    "check.pretraining.not_window": {
        "en": "a row of your x is not a window of the data {when}: {row}.",
        "zh": "{when}，你的 x 有一行不是数据中的一个窗口：{row}。",
    },
    "check.pretraining.no_next": {
        "en": "your window starting at position {s} has no next token for its last position "
        "{when}: starts must be below len(data) - block_size = {limit}.",
        "zh": "{when}，你从位置 {s} 开始的窗口，最后一个位置没有下一个词元："
        "起点必须小于 len(data) - block_size = {limit}。",
    },
    "check.pretraining.not_shifted": {
        "en": "for the window starting at {s}, your y is not x shifted by one {when}.",
        "zh": "{when}，对于从 {s} 开始的窗口，你的 y 不是 x 错开一位。",
    },
    "check.pretraining.narrow": {
        "en": "your windows start only at positions {low}..{high} {when}, never at "
        "0 or {last}: every window that fits should be possible.",
        "zh": "{when}，你的窗口只从位置 {low}..{high} 开始，从来不从 0 或 {last} 开始："
        "每个放得下的窗口都应该有机会被抽到。",
    },
    "check.pretraining.same_key": {
        "en": "the same key gave a different batch {when}: draw with the key you get.",
        "zh": "{when}，同一个 key 给出了不同的批次：请用传进来的 key 抽样。",
    },
    "check.pretraining.when_step": {
        "en": "at step {step} (lr {lr}, min_lr {min_lr}, warm-up {warmup}, {steps} steps)",
        "zh": "在第 {step} 步（lr {lr}、min_lr {min_lr}、预热 {warmup} 步、共 {steps} 步）",
    },
    "check.pretraining.rate_shape": {
        "en": "your learning rate has shape {shape} {when}: return one number.",
        "zh": "{when}，你的学习率形状是 {shape}：请返回一个数。",
    },
    "check.pretraining.peak_at_0": {
        "en": "your rate is already the peak {when}: warm up from 0 first.",
        "zh": "{when}，你的学习率一开始就是峰值：要先从 0 开始预热。",
    },
    "check.pretraining.not_min": {
        "en": "your rate is {value} {when}, but it should stay at min_lr.",
        "zh": "{when}，你的学习率是 {value}，但它应该保持在 min_lr。",
    },
    "check.pretraining.when_step_model": {
        "en": "for a bigram model with V = {V} and AdamW",
        "zh": "对于 V = {V} 的二元组模型和 AdamW 优化器",
    },
    "check.pretraining.triple": {
        "en": "your function should return (params, opt_state, loss) {when}.",
        "zh": "{when}，你的函数应该返回 (params, opt_state, loss)。",
    },
    "check.pretraining.params_dict": {
        "en": "your new params are not a dict like the old ones {when}.",
        "zh": "{when}，你的新参数不是和原来一样的 dict。",
    },
    "check.pretraining.unchanged": {
        "en": "your params did not change {when}: apply the updates.",
        "zh": "{when}，你的参数没有变：请应用更新量。",
    },
    "check.pretraining.subtracted": {
        "en": "you subtracted the updates {when}: optax's updates already point downhill, "
        "so add them with optax.apply_updates(params, updates).",
        "zh": "{when}，你减去了更新量：optax 的更新量本身已经指向下坡方向，"
        "所以要用 optax.apply_updates(params, updates) 加上去。",
    },
    "check.pretraining.state": {
        "en": "your opt_state is not the optimizer's new state {when}.",
        "zh": "{when}，你的 opt_state 不是优化器的新状态。",
    },
    "check.pretraining.return_state": {
        "en": "{when} (return the new opt_state)",
        "zh": "{when}（请返回新的 opt_state）",
    },
    "check.pretraining.second_step": {"en": "{when}, on the second step", "zh": "{when}，在第二步"},
    # 09 generation
    "check.generation.when_prompt": {
        "en": "for the prompt {prompt} and max_new_tokens={n}",
        "zh": "对于提示词 {prompt}、max_new_tokens={n}",
    },
    "check.generation.ints": {
        "en": "your function should return a list of ints {when}.",
        "zh": "{when}，你的函数应该返回由 int 组成的 list。",
    },
    "check.generation.prompt_too": {
        "en": "you returned the prompt too {when}: return only the new tokens.",
        "zh": "{when}，你把提示词也返回了：只返回新生成的词元。",
    },
    "check.generation.count": {
        "en": "you returned {got} tokens {when}: generate exactly {n}.",
        "zh": "{when}，你返回了 {got} 个词元：应该正好生成 {n} 个。",
    },
    "check.generation.first_row": {
        "en": "you picked from the first position's logits {when}: the next token comes "
        "from the last position, logits[-1].",
        "zh": "{when}，你是从第一个位置的对数值里选的：下一个词元来自最后一个位置，logits[-1]。",
    },
    "check.generation.not_argmax": {
        "en": "your token {i} is {got} but the most likely one is {want} "
        "{when}: feed every new token back in and take the argmax.",
        "zh": "{when}，你的第 {i} 个词元是 {got}，但最可能的是 {want}："
        "每个新词元都要喂回模型，再取 argmax。",
    },
    "check.generation.when_cache": {
        "en": "at pos = {pos} with {n} new position(s) and a cache of {S} slots",
        "zh": "在 pos = {pos}、有 {n} 个新位置、缓存共 {S} 个槽位时",
    },
    "check.generation.pair": {
        "en": "your function should return the pair (cache_k, cache_v) {when}.",
        "zh": "{when}，你的函数应该返回一对 (cache_k, cache_v)。",
    },
    "check.generation.grew": {
        "en": "your {name} grew to {slots} slots {when}: write into the "
        "fixed slots instead of concatenating, so its shape never changes.",
        "zh": "{when}，你的 {name} 变长到了 {slots} 个槽位：要写进固定的槽位，"
        "而不是拼接，这样它的形状永远不变。",
    },
    "check.generation.off_by_one": {
        "en": "you wrote position {pos} into slot {slot} {when}: off by one.",
        "zh": "{when}，你把位置 {pos} 写进了槽位 {slot}：差了一位。",
    },
    "check.generation.when_token": {
        "en": "for the token at pos = {pos} with a cache of {S} slots",
        "zh": "对于位置 pos = {pos} 的词元、缓存共 {S} 个槽位",
    },
    "check.generation.empty_slots": {
        "en": "your token attends to the empty cache slots after pos {when}: mask them out.",
        "zh": "{when}，你的词元关注到了 pos 之后的空缓存槽位：要用掩码把它们遮住。",
    },
    "check.generation.not_itself": {
        "en": "the token at pos cannot see itself {when}: use <= pos, not < pos.",
        "zh": "{when}，位置 pos 的词元看不到它自己：要用 <= pos，而不是 < pos。",
    },
    "check.generation.table_ids": {
        "en": "logits_fn takes ids of shape (T,), got shape {shape}",
        "zh": "logits_fn 接受形状为 (T,) 的 id，收到的形状是 {shape}",
    },
}
