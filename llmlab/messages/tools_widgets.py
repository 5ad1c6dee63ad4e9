"""What the lesson-13 widgets show: the tool-call trace and the retrieval explorer.

Keys "tool_trace.<what>" (llmlab/widgets/tool_trace.py) and "retrieval_widget.<what>"
(llmlab/widgets/retrieval.py). Markers (<|calc|>), numbers and "k" stay as they are.
"""

MESSAGES = {
    # --- tool-call trace (tool_trace.py) -------------------------------------------------------
    "tool_trace.digits": {"en": "digits", "zh": "位数"},
    "tool_trace.random": {"en": "random problem", "zh": "随机出题"},
    "tool_trace.run_tools": {"en": "run the calculator", "zh": "运行计算器"},
    "tool_trace.step": {"en": "step", "zh": "步骤"},
    "tool_trace.legend": {
        "en": "grey: the prompt · black: the model's words · blue: the call it writes · "
        "green: the result the program pastes in",
        "zh": "灰色：提示 · 黑色：模型写的字 · 蓝色：模型写的调用 · 绿色：程序贴进来的结果",
    },
    "tool_trace.prompt": {
        "en": "Step {step}: the prompt {text}, written the way the adder was trained to read it.",
        "zh": "第 {step} 步：提示 {text}，写法和加法模型训练时读到的一样。",
    },
    "tool_trace.open": {
        "en": "Step {step}: the model writes {text}: it opens a calculator call.",
        "zh": "第 {step} 步：模型写出 {text}，打开一次计算器调用。",
    },
    "tool_trace.close": {
        "en": "Step {step}: the model writes {text}: the call is closed, the program takes over.",
        "zh": "第 {step} 步：模型写出 {text}，调用结束，接下来由程序接手。",
    },
    "tool_trace.close_unrun": {
        "en": "Step {step}: the model writes {text}, but the calculator is off: nothing runs, "
        "so the model has to write the result itself.",
        "zh": "第 {step} 步：模型写出 {text}，但计算器关着：什么也不运行，结果只能由模型自己写。",
    },
    "tool_trace.expression": {
        "en": "Step {step}: the model writes {text}, part of the expression the calculator "
        "will read.",
        "zh": "第 {step} 步：模型写出 {text}，这是计算器将要读的算式的一部分。",
    },
    "tool_trace.piece": {
        "en": "Step {step}: the model writes {text}, its most likely next token.",
        "zh": "第 {step} 步：模型写出 {text}，这是它认为最可能的下一个词元 (token)。",
    },
    "tool_trace.newline": {
        "en": "Step {step}: the model writes the newline: it says its answer is done.",
        "zh": "第 {step} 步：模型写出换行符，表示它的回答写完了。",
    },
    "tool_trace.tool": {
        "en": "Step {step}: the program, not the model, runs the calculator on {expr} and "
        "pastes {text} into the context; the model carries on after it.",
        "zh": "第 {step} 步：由程序（不是模型）用计算器算出 {expr}，把 {text} 贴进上下文；"
        "模型接着往下写。",
    },
    "tool_trace.stop_end": {
        "en": "Step {step}: the loop ends, the model has finished.",
        "zh": "第 {step} 步：循环结束，模型已经写完。",
    },
    "tool_trace.stop_full": {
        "en": "Step {step}: the loop ends before the model finished: no room or steps were left.",
        "zh": "第 {step} 步：模型还没写完循环就结束了：没有剩余的位置或步数。",
    },
    "tool_trace.right": {
        "en": "{problem}: answer {answer}, true {truth}. Right.",
        "zh": "{problem}：回答 {answer}，正确答案 {truth}。答对了。",
    },
    "tool_trace.wrong": {
        "en": "{problem}: answer {answer}, true {truth}. Wrong.",
        "zh": "{problem}：回答 {answer}，正确答案 {truth}。答错了。",
    },
    "tool_trace.unreadable": {
        "en": "{problem}: no answer can be read from what was written (true {truth}). Wrong.",
        "zh": "{problem}：从写出的内容里读不出答案（正确答案 {truth}）。答错了。",
    },
    "tool_trace.empty": {
        "en": "Type a number into {name}: it is empty.",
        "zh": "请在 {name} 里输入一个数：现在是空的。",
    },
    "tool_trace.not_a_number": {
        "en": "{name} must be a whole number written with the digits 0-9, got {value}.",
        "zh": "{name} 必须是只用数字 0-9 写成的整数，收到的是 {value}。",
    },
    "tool_trace.too_many_digits": {
        "en": "{name} has {digits} digits; the adder was trained on numbers of 1 to {limit} "
        "digits, got {value}.",
        "zh": "{name} 有 {digits} 位；加法模型只学过 1 到 {limit} 位的数，收到的是 {value}。",
    },
    "tool_trace.not_a_gpt": {
        "en": "tool_trace needs an llmlab GPT (with .config), got {kind}",
        "zh": "tool_trace 需要一个 llmlab 的 GPT（带有 .config），收到的是 {kind}",
    },
    "tool_trace.no_markers": {
        "en": "the tokenizer must know the calculator's markers {markers} as special tokens "
        "(load the model with llmlab.pretrained.load('add_tool')): {reason}",
        "zh": "分词器必须把计算器标记 {markers} 当作特殊词元（请用 "
        "llmlab.pretrained.load('add_tool') 加载模型）：{reason}",
    },
    "tool_trace.bad_events": {
        "en": "expected a trace, a non-empty list of llmlab.tools.Event, got {got}",
        "zh": "需要一条轨迹，即非空的 llmlab.tools.Event 列表，收到的是 {got}",
    },
    "tool_trace.bad_step": {
        "en": "step must be an int between 0 and {last}, got {value}",
        "zh": "step 必须是 0 到 {last} 之间的整数，收到的是 {value}",
    },
    # --- retrieval explorer (retrieval.py) -----------------------------------------------------
    "retrieval_widget.query": {"en": "query", "zh": "查询"},
    "retrieval_widget.method": {"en": "method", "zh": "方法"},
    "retrieval_widget.characters": {"en": "bag of characters", "zh": "字袋"},
    "retrieval_widget.rank": {"en": "rank", "zh": "名次"},
    "retrieval_widget.score": {"en": "cosine", "zh": "余弦"},
    "retrieval_widget.poem": {"en": "poem", "zh": "诗"},
    "retrieval_widget.heading": {
        "en": "The {k} poems nearest to {query} by {method}, of {n:,}; shared characters "
        "are marked.",
        "zh": "按{method}，{n:,} 首诗里与 {query} 最接近的 {k} 首；和查询相同的字已标出。",
    },
    "retrieval_widget.empty": {
        "en": "Type a query: a line of a poem, a few characters, a name.",
        "zh": "请输入查询：一句诗、几个字或一个名字都可以。",
    },
    "retrieval_widget.no_known": {
        "en": "No character of {query} is in the poems' vocabulary, so the query points "
        "nowhere: try characters that poems use.",
        "zh": "{query} 里没有一个字在诗的字表中，所以查询向量没有方向：请换成诗里用到的字。",
    },
    "retrieval_widget.cannot_embed": {
        "en": "{method} cannot embed {query}: {reason}",
        "zh": "{method} 无法把 {query} 变成向量：{reason}",
    },
    "retrieval_widget.bad_poems": {
        "en": "expected a non-empty list of poems (llmlab.data.load_tang_poems()), got {got}",
        "zh": "需要一个非空的诗列表（llmlab.data.load_tang_poems()），收到的是 {got}",
    },
    "retrieval_widget.bad_matrix": {
        "en": "the matrix of {method!r} must be (N, C) with N = {n} rows, one per poem, "
        "got shape {shape}",
        "zh": "{method!r} 的矩阵必须是 (N, C)，N = {n} 行，每首诗一行，收到的形状是 {shape}",
    },
    "retrieval_widget.bad_methods": {
        "en": "matrices and embedders must name the same methods, got {matrices} and {embedders}",
        "zh": "matrices 和 embedders 必须列出同样的方法，收到的是 {matrices} 和 {embedders}",
    },
    "retrieval_widget.bad_vector": {
        "en": "the embedder of {method!r} must return a vector (C,) with C = {width}, "
        "got shape {shape}",
        "zh": "{method!r} 的嵌入函数必须返回形状为 (C,) 的向量，C = {width}，收到的形状是 {shape}",
    },
    "retrieval_widget.bad_k": {
        "en": "k must be an int between 1 and {limit}, got {value}",
        "zh": "k 必须是 1 到 {limit} 之间的整数，收到的是 {value}",
    },
}
