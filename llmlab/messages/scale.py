"""Errors of lesson 12's scale tools: the power-law fit and the sweep (llmlab.scaling), batched
generation and batching schedules (llmlab.batching), the data-parallel demo (llmlab.parallel).

Argument and function names (n_params, max_new_tokens, slots) stay in English in both
languages: they are what the learner types.
"""

MESSAGES = {
    # --- llmlab.scaling --------------------------------------------------------------------
    "scale.lengths_differ": {
        "en": "n_params and losses must have the same length (one loss per model size), "
        "got {n} and {m}",
        "zh": "n_params 和 losses 的长度必须相同（每个模型规模一个损失），收到的是 {n} 和 {m}",
    },
    "scale.too_few_points": {
        "en": "{what} needs at least {need} (n_params, loss) points, got {got}",
        "zh": "{what} 至少需要 {need} 个 (n_params, loss) 数据点，收到的是 {got} 个",
    },
    "scale.not_positive": {
        "en": "{name} must hold positive finite numbers (a power law lives on log-log axes), "
        "got {value} at position {position}",
        "zh": "{name} 里必须都是有限的正数（幂律要画在双对数坐标上），第 {position} 个是 {value}",
    },
    "scale.one_size": {
        "en": "n_params must hold at least 2 different sizes to fit a slope, got only {value}",
        "zh": "n_params 至少要有 2 个不同的模型规模才能拟合斜率，现在只有 {value}",
    },
    "scale.size": {
        "en": "each size must be (n_layer, n_head, n_embd), three positive ints with n_embd "
        "divisible by n_head, got {value!r}",
        "zh": "每个规模必须是 (n_layer, n_head, n_embd)：三个正整数，且 n_embd 能被 n_head "
        "整除，收到的是 {value!r}",
    },
    "scale.no_sizes": {
        "en": "sweep needs at least one size (n_layer, n_head, n_embd), got none",
        "zh": "sweep 至少需要一个规模 (n_layer, n_head, n_embd)，现在一个也没有",
    },
    "scale.tokens": {
        "en": "tokens must be an int of at least batch_size · block_size = {need} (one training "
        "step), got {got!r}",
        "zh": "tokens 必须是整数，且至少为 batch_size · block_size = {need}（一步训练），"
        "收到的是 {got!r}",
    },
    # --- llmlab.batching -------------------------------------------------------------------
    "scale.no_prompts": {
        "en": "generate_batch needs at least one prompt, got none",
        "zh": "generate_batch 至少需要一个提示词 (prompt)，现在一个也没有",
    },
    "scale.prompt_too_long": {
        "en": "prompt {index} has {length} tokens; with max_new_tokens={new} it needs {need} "
        "positions, but the model's block_size is {block}: shorten it or ask for fewer tokens",
        "zh": "第 {index} 个提示词有 {length} 个词元；再生成 max_new_tokens={new} 个共需要 {need} "
        "个位置，但模型的 block_size 只有 {block}：请缩短提示词或少生成一些",
    },
    "scale.output_lengths": {
        "en": "output_lengths must be positive ints (tokens each request generates), got "
        "{value!r} at position {position}",
        "zh": "output_lengths 必须都是正整数（每个请求要生成的词元数），第 {position} 个是 "
        "{value!r}",
    },
    "scale.no_requests": {
        "en": "output_lengths must hold at least one request, got none",
        "zh": "output_lengths 至少要有一个请求，现在一个也没有",
    },
    "scale.slots": {
        "en": "slots must be a positive int (requests served at once), got {value!r}",
        "zh": "slots 必须是正整数（同时服务的请求数），收到的是 {value!r}",
    },
    # --- llmlab.parallel -------------------------------------------------------------------
    "scale.n_devices": {
        "en": "n_devices must be an int between 1 and {most}, got {value!r}",
        "zh": "n_devices 必须是 1 到 {most} 之间的整数，收到的是 {value!r}",
    },
    "scale.batch_split": {
        "en": "batch_size {batch} must split evenly over {n} devices: a positive multiple of "
        "{n}, so that each device gets the same number of rows",
        "zh": "batch_size {batch} 必须能平均分给 {n} 个设备：它得是 {n} 的正整数倍，"
        "每个设备才能分到同样多的行",
    },
    "scale.subprocess_failed": {
        "en": "the {n}-device run in a separate Python process failed (exit code {code}); "
        "your notebook is unharmed. Its last lines:\n{tail}",
        "zh": "在另一个 Python 进程里运行的 {n} 设备实验失败了（退出码 {code}）；你的笔记本"
        "没有受影响。它最后输出的几行：\n{tail}",
    },
    "scale.subprocess_timeout": {
        "en": "the {n}-device run in a separate Python process took longer than {seconds} s "
        "and was stopped; your notebook is unharmed. Try again when the machine is less busy",
        "zh": "在另一个 Python 进程里运行的 {n} 设备实验超过了 {seconds} 秒，已被停止；你的"
        "笔记本没有受影响。请等机器空闲一些再试",
    },
}
