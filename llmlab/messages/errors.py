"""The errors learners meet most: sampling knobs, prompts, unknown characters, checkpoints.

Used by llmlab.sampling, llmlab.generate, llmlab.tokenizer.char and llmlab.checkpoint. Names
of arguments and functions (temperature, top_k, unk=..., save_checkpoint) stay in English in
both languages: they are what the learner types.
"""

MESSAGES = {
    # --- a chat longer than the model's context (llmlab.chat.reply) -----------------------
    "errors.chat_too_long": {
        "en": "the conversation is {length} tokens with the answer's role marker, but the "
        "model's context holds {block_size}: shorten the request",
        "zh": "这段对话连同回答的角色标记共 {length} 个词元，但模型的上下文只能容纳 {block_size} "
        "个：请把请求写短一些",
    },
    # --- sampling knobs (llmlab.sampling, llmlab.generate) ---------------------------------
    "errors.temperature_negative": {
        "en": "temperature must be a number >= 0 (0 means greedy), got {value}",
        "zh": "temperature（温度）必须是 >= 0 的数（0 表示贪心解码），收到的是 {value}",
    },
    "errors.generate_temperature_negative": {
        "en": "temperature must be >= 0 (0 means greedy), got {value}",
        "zh": "temperature（温度）必须 >= 0（0 表示贪心解码），收到的是 {value}",
    },
    "errors.temperature_zero_divide": {
        "en": "temperature 0 cannot divide the logits; it means greedy decoding: "
        "use softmax(logits, 0.0), probabilities or sample, which handle it",
        "zh": "温度 0 不能用来除对数值 (logits)；温度 0 的意思是贪心解码：请改用 "
        "softmax(logits, 0.0)、probabilities 或 sample，它们会处理这种情况",
    },
    "errors.top_k_not_int": {
        "en": "top_k must be an integer number of tokens, got {value}",
        "zh": "top_k 必须是整数（保留的词元个数），收到的是 {value}",
    },
    "errors.top_k_too_small": {
        "en": "top_k must keep at least 1 token, got {value}",
        "zh": "top_k 至少要保留 1 个词元，收到的是 {value}",
    },
    "errors.top_p_range": {
        "en": "top_p must be a probability mass in (0, 1], got {value}",
        "zh": "top_p 必须是 (0, 1] 之间的概率质量，收到的是 {value}",
    },
    "errors.generate_top_k": {
        "en": "top_k must be an int >= 1 or None, got {value}",
        "zh": "top_k 必须是 >= 1 的整数或 None，收到的是 {value}",
    },
    "errors.generate_top_p": {
        "en": "top_p must be in (0, 1] or None, got {value}",
        "zh": "top_p 必须在 (0, 1] 之间或为 None，收到的是 {value}",
    },
    "errors.undrawable_logits": {
        "en": "no token can be drawn from these logits{where}: they hold NaN or +inf, or only "
        "-inf. Such logits come from a broken model (NaN weights, or a training run whose "
        "loss became NaN): check the model before sampling from it.",
        "zh": "无法从这些对数值 (logits){where} 中抽取任何词元：其中有 NaN 或 +inf，或者全是 "
        "-inf。这样的对数值来自一个坏掉的模型（权重里有 NaN，或训练时损失变成了 NaN）："
        "请先检查模型再采样。",
    },
    "errors.undrawable_row": {"en": " (row {row})", "zh": "（第 {row} 行）"},
    "errors.broken_model": {
        "en": "the model's logits hold NaN or +inf (or only -inf), so no token can be drawn: "
        "its weights are broken (did its training loss become NaN?); check them with "
        "llmlab.sampling.broken_rows(model(ids)) or load a good checkpoint.",
        "zh": "模型输出的对数值 (logits) 含有 NaN 或 +inf（或者全是 -inf），所以抽不出任何词元："
        "它的权重坏了（训练时损失是不是变成了 NaN？）；请用 "
        "llmlab.sampling.broken_rows(model(ids)) 检查，或加载一个好的检查点。",
    },
    # --- prompts (llmlab.generate) ----------------------------------------------------------
    "errors.prompt_empty": {
        "en": "prompt_ids is empty: give at least one token to continue from",
        "zh": "prompt_ids 是空的：至少给出一个词元，模型才能接着往下写",
    },
    "errors.prompt_ids_range": {
        "en": "token ids must be in [0, {vocab_size}) (the vocabulary), got {value} at position "
        "{position}",
        "zh": "词元编号必须在 [0, {vocab_size}) 之内（即词表范围），但位置 {position} 上是 {value}",
    },
    "errors.max_new_tokens": {
        "en": "max_new_tokens must be at least 1, got {value}",
        "zh": "max_new_tokens 至少是 1，收到的是 {value}",
    },
    # --- characters (llmlab.tokenizer.char) --------------------------------------------------
    "errors.unknown_character": {
        "en": "character {char} (U+{code}) at position {position} is not in the vocabulary of "
        "{vocab_size} characters; build the tokenizer from text that contains it "
        "(CharTokenizer.from_text) or pass unk=... to map unknown characters to one token",
        "zh": "位置 {position} 上的字符 {char}（U+{code}）不在这 {vocab_size} 个字符的词表里；"
        "请用包含它的文本来构建词元化器 (CharTokenizer.from_text)，或者传入 unk=...，"
        "把所有未知字符映射到同一个词元",
    },
    "errors.empty_text_vocabulary": {
        "en": "the text is empty: there are no characters to build a vocabulary",
        "zh": "文本是空的：没有字符可以用来构建词表",
    },
    "errors.token_id_outside": {
        "en": "token id {value} is outside the vocabulary: ids go from 0 to {last}{extra} "
        "(vocab_size {vocab_size})",
        "zh": "词元编号 {value} 超出了词表：编号只能从 0 到 {last}{extra}"
        "（vocab_size 为 {vocab_size}）",
    },
    "errors.or_special": {"en": " or a special token {ids}", "zh": "，或特殊词元 {ids}"},
    # --- checkpoints (llmlab.checkpoint) -----------------------------------------------------
    "errors.checkpoint_corrupted": {
        "en": "{path} is corrupted: its tensors do not match the checksum saved with them "
        "(bytes changed on disk or in a copy); use another copy of the file",
        "zh": "{path} 已损坏：其中的张量与一同保存的校验和不符（磁盘上或复制时字节变了）；"
        "请换用这个文件的另一份副本",
    },
    "errors.checkpoint_truncated": {
        "en": "{path} is truncated or not a safetensors file ({reason})",
        "zh": "{path} 不完整，或者不是 safetensors 文件（{reason}）",
    },
    "errors.checkpoint_not_llmlab": {
        "en": "{path} is not an llmlab checkpoint (format {format})",
        "zh": "{path} 不是 llmlab 的检查点（格式为 {format}）",
    },
    "errors.checkpoint_missing_field": {
        "en": "{path} has no {name} in its metadata: it was not written by save_checkpoint "
        "(or by an older llmlab); save the model again",
        "zh": "{path} 的元数据里没有 {name}：它不是 save_checkpoint 写的（或者是旧版 llmlab "
        "写的）；请重新保存模型",
    },
    "errors.checkpoint_malformed": {
        "en": "{path}'s {name} metadata is malformed: {reason}",
        "zh": "{path} 的元数据 {name} 格式不对：{reason}",
    },
    "errors.checkpoint_mismatch": {
        "en": "the checkpoint's {what} does not match: missing {missing}, unexpected {extra} "
        "({n_missing} missing, {n_extra} unexpected)",
        "zh": "检查点里的{what}对不上：缺少 {missing}，多出 {extra}（缺少 {n_missing} 个，"
        "多出 {n_extra} 个）",
    },
    "errors.checkpoint_shape": {
        "en": "the checkpoint's {what} does not match: {name} should have shape {expected}, "
        "the file holds {got}",
        "zh": "检查点里的{what}对不上：{name} 的形状应为 {expected}，文件里的是 {got}",
    },
    "errors.checkpoint_vocab": {
        "en": "the {where}'s vocabulary has {model_size} tokens but the tokenizer has "
        "{tokenizer_size}: save a model with the tokenizer whose ids it was trained on",
        "zh": "{where}的词表有 {model_size} 个词元，而词元化器有 {tokenizer_size} 个："
        "请把模型和训练它时所用的那个词元化器一起保存",
    },
    "errors.checkpoint_weights": {"en": "weights (config {config})", "zh": "权重（配置 {config}）"},
    "errors.checkpoint_opt_state": {
        "en": "optimiser state (from another optimizer?)",
        "zh": "优化器状态（是不是来自另一个优化器？）",
    },
    "errors.checkpoint_the_model": {"en": "model", "zh": "模型"},
    "errors.checkpoint_missing_file": {
        "en": "no checkpoint at {path}",
        "zh": "{path} 处没有检查点",
    },
    "errors.checkpoint_folder": {
        "en": "{path} is a folder, not a checkpoint: give the file inside it",
        "zh": "{path} 是一个文件夹，不是检查点：请给出文件夹里的那个文件",
    },
}
