"""What the addition data and its evaluation say when asked for something they cannot do
(llmlab.data.arithmetic, llmlab.arithmetic)."""

MESSAGES = {
    "arithmetic.not_a_problem": {
        "en": "expected a Problem(a, b), got {value}",
        "zh": "需要一道题 Problem(a, b)，收到的是 {value}",
    },
    "arithmetic.bad_number": {
        "en": "{name} must be a non-negative int, got {value}",
        "zh": "{name} 必须是非负整数，收到的是 {value}",
    },
    "arithmetic.unknown_format": {
        "en": "unknown format {fmt}: expected one of {formats}",
        "zh": "没有 {fmt} 这种格式：可选的是 {formats}",
    },
    "arithmetic.bad_split": {
        "en": "split must be 'train' or 'test', got {split}",
        "zh": "split 必须是 'train'（训练）或 'test'（测试），收到的是 {split}",
    },
    "arithmetic.not_positive": {
        "en": "{name} must be a positive int, got {value}",
        "zh": "{name} 必须是正整数，收到的是 {value}",
    },
    "arithmetic.answer_count": {
        "en": "need one answer per problem, got {problems} problems and {answers} answers",
        "zh": "每道题需要一个答案，但有 {problems} 道题、{answers} 个答案",
    },
    "arithmetic.empty_prompt": {
        "en": "every prompt needs at least one token, got an empty prompt",
        "zh": "每个提示至少要有一个词元 (token)，这里有一个是空的",
    },
    "arithmetic.no_room": {
        "en": "a prompt of {prompt} tokens plus {new} new ones needs a context of {need}, "
        "but the model's block_size is {block_size}",
        "zh": "{prompt} 个词元的提示再加 {new} 个新词元，需要 {need} 的上下文，"
        "但模型的 block_size 只有 {block_size}",
    },
}
