"""What the side-by-side chat widget (lesson 10) shows: control names, column notes, messages.

Keys are "side_by_side.<what>". Symbols (top-k) and `<|end|>` stay as they are in both languages.
"""

MESSAGES = {
    "side_by_side.request": {"en": "request", "zh": "请求"},
    "side_by_side.no_end": {
        "en": "(no <|end|>: the model did not end its answer; cut at the context's end)",
        "zh": "（没有 <|end|>：模型没有自己结束回答，到上下文末尾被截断）",
    },
    "side_by_side.empty": {
        "en": "(empty answer)",
        "zh": "（空回答）",
    },
    "side_by_side.settings": {
        "en": "temperature {temperature:g}, top-k {top_k}, seed {seed}",
        "zh": "温度 {temperature:g}，top-k {top_k}，随机种子 {seed}",
    },
    "side_by_side.cannot_encode": {
        "en": "Cannot put this request into the chat format: {reason}",
        "zh": "无法把这条请求放进对话格式：{reason}",
    },
    "side_by_side.too_long": {
        "en": "The request is {n} tokens with its role markers, but the context holds "
        "{block_size}: shorten it so there is room for an answer.",
        "zh": "这条请求连同角色标记共 {n} 个词元，而上下文只能容纳 {block_size} 个："
        "请缩短它，给回答留出位置。",
    },
    "side_by_side.no_models": {
        "en": "expected a dict {{name: model}} of at least one llmlab GPT, got {got}",
        "zh": "需要一个至少含一个 llmlab GPT 的字典 {{名字: 模型}}，收到的是 {got}",
    },
    "side_by_side.bad_model": {
        "en": "model {name!r} is not an llmlab GPT (with .config): got {kind}",
        "zh": "模型 {name!r} 不是 llmlab 的 GPT（带有 .config）：收到的是 {kind}",
    },
    "side_by_side.vocab_mismatch": {
        "en": "all models must share the tokenizer's vocabulary of {vocab}; {name!r} has {got}",
        "zh": "所有模型必须共用分词器的 {vocab} 个词元的词表；{name!r} 的词表有 {got} 个",
    },
}
