"""The check framework's sentences: a check's verdict, the score, and the comparisons of
llmlab/grading/expect.py, in which `{when}` finishes the sentence ("for logits of shape (5,)")
and `{name}` names what the learner returned ("probabilities"); both come from the lesson's
own catalogue (llmlab/messages/grading_*.py), already in the learner's language."""

MESSAGES = {
    # core.py: what one run of a check can end with
    "grading.core.name_first": {
        "en": 'check needs the task name first, as in check("{name}", {name}).',
        "zh": '检查需要先写任务名，例如 check("{name}", {name})。',
    },
    "grading.core.not_done": {
        "en": "not done yet: replace the `raise NotImplementedError` with your code, "
        "then run this cell again.",
        "zh": "还没有完成：把 `raise NotImplementedError` 换成你的代码，然后重新运行这个单元格。",
    },
    "grading.core.input": {
        "en": "your function called input(): a check cannot type for you, "
        "so take the value as an argument instead.",
        "zh": "你的函数调用了 input()：检查没法替你敲键盘，请把这个值改成函数的参数传进来。",
    },
    "grading.core.bad_seed": {
        "en": "seed must be a non-negative int, such as a Result's .seed; got {seed}.",
        "zh": "seed 必须是非负整数（例如某个 Result 的 .seed），收到的是 {seed}。",
    },
    "grading.core.no_task": {
        "en": "there is no task called {task} ({names}).",
        "zh": "没有叫 {task} 的任务（现有的任务：{names}）。",
    },
    "grading.core.no_tasks": {"en": "none", "zh": "无"},
    "grading.core.not_a_function": {
        "en": "expected a function, got {kind}: define it with `def`.",
        "zh": "这里需要一个函数，收到的却是 {kind}：请用 `def` 定义它。",
    },
    "grading.core.passed": {
        "en": "passed: your function agrees with llmlab on fresh random inputs.",
        "zh": "通过：在新抽取的随机输入上，你的函数和 llmlab 的结果一致。",
    },
    "grading.core.timeout": {
        "en": "your function did not finish within {seconds} s: "
        "look for a loop that never stops (while without a step forward).",
        "zh": "你的函数在 {seconds} 秒内没有结束：找一找停不下来的循环"
        "（比如 while 循环里变量一直没有向前推进）。",
    },
    "grading.core.interrupted": {
        "en": "the check was interrupted before it finished.",
        "zh": "检查在完成之前被中断了。",
    },
    "grading.core.checker_bug": {
        "en": "the checker itself failed ({error}); this is a bug in llmlab, please report it.",
        "zh": "检查程序自身出错了（{error}）；这是 llmlab 的缺陷，请报告给我们。",
    },
    "grading.core.exit": {
        "en": "your function raised {error}: did it call exit()?",
        "zh": "你的函数抛出了 {error}：是不是调用了 exit()？",
    },
    # report.py: the ✅/❌ line, its hint, and the score cell
    "grading.report.hint": {"en": "Hint", "zh": "提示"},
    "grading.report.hint_line": {"en": "Hint: {hint}", "zh": "提示：{hint}"},
    "grading.report.score": {
        "en": "Score for {lesson}: {passed}/{total} tasks passed",
        "zh": "{lesson} 的得分：{total} 个任务通过了 {passed} 个",
    },
    "grading.report.unchecked_line": {
        "en": "  ⬜ {title} ({task}): not checked yet: run its check cell.",
        "zh": "  ⬜ {title}（{task}）：还没有检查，请运行它的检查单元格。",
    },
    "grading.report.unchecked": {
        "en": "not checked yet: run its check cell",
        "zh": "还没有检查，请运行它的检查单元格",
    },
    "grading.report.checked_line": {
        "en": "  {mark} {title} ({task})",
        "zh": "  {mark} {title}（{task}）",
    },
    # expect.py: calling the learner's function and comparing its answer
    "grading.expect.raised": {
        "en": "your function raised {error}{detail} {when}.",
        "zh": "{when}，你的函数抛出了 {error}{detail}。",
    },
    "grading.expect.raised_plain": {
        "en": "your function raised {error}{detail}.",
        "zh": "你的函数抛出了 {error}{detail}。",
    },
    "grading.expect.none": {
        "en": "your function returned None {when}: did you forget `return`?",
        "zh": "{when}，你的函数返回了 None：是不是忘了写 `return`？",
    },
    "grading.expect.not_array": {
        "en": "you returned {name} as a {kind}, not an array, {when}.",
        "zh": "{when}，你返回的{name}是 {kind}，不是数组。",
    },
    "grading.expect.tuple": {
        "en": "your function returned a tuple of {count} arrays {when}, not one.",
        "zh": "{when}，你的函数返回了 {count} 个数组组成的元组，而不是一个数组。",
    },
    "grading.expect.unreadable": {
        "en": "the {name} you returned cannot be read as an array {when}.",
        "zh": "{when}，你返回的{name}无法读成数组。",
    },
    "grading.expect.not_numbers": {
        "en": "the {name} you returned are not numbers {when} (dtype {dtype}).",
        "zh": "{when}，你返回的{name}不是数字（dtype {dtype}）。",
    },
    "grading.expect.shape": {
        "en": "you returned {name} of shape {got} where shape {want} is expected {when}.",
        "zh": "{when}，你返回的{name}形状是 {got}，应该是 {want}。",
    },
    "grading.expect.nan": {
        "en": "you returned {name} with NaN in it {when}.",
        "zh": "{when}，你返回的{name}里有 NaN。",
    },
    "grading.expect.inf": {
        "en": "you returned {name} with inf in it {when}.",
        "zh": "{when}，你返回的{name}里有 inf。",
    },
    "grading.expect.at_index": {"en": " at index {index}", "zh": "（下标 {index} 处）"},
    "grading.expect.wrong": {
        "en": "you returned wrong {name} {when}{where}: {got} instead of {want}.",
        "zh": "{when}，你返回的{name}不对{where}：得到 {got}，应为 {want}。",
    },
    "grading.expect.unequal": {
        "en": "you returned {name} {got} instead of {want} {when}.",
        "zh": "{when}，你返回的{name}是 {got}，应为 {want}。",
    },
    "grading.expect.wrong_at": {
        "en": "you returned wrong {name} {when} at index {index}: {got} instead of {want}.",
        "zh": "{when}，你返回的{name}在下标 {index} 处不对：得到 {got}，应为 {want}。",
    },
}
