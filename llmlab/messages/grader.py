"""The batch grader's sentences (python -m llmlab.grade: llmlab/grade.py, grading/remote.py,
sandbox.py, gradebook.py): why a notebook or a task was not graded, what came back from the
learner's kernel, and the lines of the score table. The grader speaks the notebook's language."""

MESSAGES = {
    # grade.py: a notebook that could not be graded, or stopped early
    "grader.unreadable": {
        "en": "the file is not a readable notebook ({error})",
        "zh": "这个文件不是可读的笔记本（{error}）",
    },
    "grader.wrong_lesson": {
        "en": "this is a notebook of lesson {lesson}, not of {wanted}: "
        "it was not run; hand in the exercise notebook of the right lesson",
        "zh": "这是课程 {lesson} 的笔记本，不是 {wanted} 的：它没有运行；"
        "请提交正确那一课的练习笔记本",
    },
    "grader.not_graded": {"en": "not graded: {reason}.", "zh": "未评分：{reason}。"},
    "grader.not_checked": {"en": "not checked: {reason}.", "zh": "未检查：{reason}。"},
    "grader.never_checked": {"en": "it was not checked", "zh": "它没有被检查"},
    "grader.no_lesson": {
        "en": "no graded task found: there is no lesson called {lesson}.",
        "zh": "没有找到要评分的任务：没有叫 {lesson} 的课。",
    },
    "grader.cell_timeout": {
        "en": "the notebook ran past the {seconds} s limit in code cell {number}",
        "zh": "笔记本运行到第 {number} 个代码单元格时超过了 {seconds} 秒的时限",
    },
    "grader.cell_died": {
        "en": "the kernel died while running code cell {number} (it crashed or exited)",
        "zh": "运行第 {number} 个代码单元格时内核死掉了（崩溃或退出了）",
    },
    "grader.grader_failed": {
        "en": "the grader failed on this notebook ({error})",
        "zh": "评分程序在这个笔记本上出错了（{error}）",
    },
    "grader.no_start": {
        "en": "the kernel could not start ({error})",
        "zh": "内核无法启动（{error}）",
    },
    # sandbox.py: the kernel is gone
    "grader.kernel_no_start": {"en": "the kernel did not start", "zh": "内核没有启动"},
    "grader.kernel_died": {
        "en": "the kernel died (it crashed or exited)",
        "zh": "内核死掉了（崩溃或退出了）",
    },
    "grader.kernel_format": {
        "en": "the kernel sent a reply that is not the grader's format",
        "zh": "内核发回的答复不是评分程序的格式",
    },
    # remote.py: what came back from the learner's function
    "grader.flag": {
        "en": "your function calls {names}, llmlab's own answer to this task: "
        "the instructor may ask you to write it yourself.",
        "zh": "你的函数调用了 {names}，也就是 llmlab 自己对这道题的答案：老师可能会要求你自己写。",
    },
    "grader.notebook_timeout": {
        "en": "the notebook ran past the {seconds} s limit",
        "zh": "笔记本超过了 {seconds} 秒的时限",
    },
    "grader.kernel_stopped": {
        "en": "the kernel was stopped when a function would not stop in time",
        "zh": "有个函数没能按时结束，内核被停掉了",
    },
    "grader.gone_while_checked": {
        "en": "{error} while a task was checked",
        "zh": "检查任务时{error}",
    },
    "grader.gone_while_ran": {
        "en": "{error} while your function ran.",
        "zh": "你的函数运行时{error}。",
    },
    "grader.unreadable_value": {
        "en": "your function returned something unreadable ({error}).",
        "zh": "你的函数返回了无法读取的东西（{error}）。",
    },
    "grader.missing": {
        "en": "your notebook has no function called {name} "
        "(found {kind}): keep the name the exercise gives it.",
        "zh": "你的笔记本里没有叫 {name} 的函数（找到的是 {kind}）：请保留练习给它起的名字。",
    },
    "grader.unreadable_type": {
        "en": "your function returned an object of type {kind}, which the "
        "grader does not read: return numbers, arrays, strings, or lists, tuples and "
        "dicts of them.",
        "zh": "你的函数返回了 {kind} 类型的对象，评分程序读不了它：请返回数字、数组、字符串，"
        "或者由它们组成的 list、tuple 和 dict。",
    },
    "grader.unknown_reply": {
        "en": "the kernel sent a reply the grader does not know.",
        "zh": "内核发回了评分程序不认识的答复。",
    },
    # gradebook.py: the score table the instructor reads
    "grader.table_notebook": {
        "en": "{path}: {passed}/{total} passed ({seconds} s)",
        "zh": "{path}：{total} 个任务通过了 {passed} 个（{seconds} 秒）",
    },
    "grader.table_stopped": {"en": "  stopped early: {reason}", "zh": "  提前停止：{reason}"},
    "grader.table_total": {
        "en": "Total: {passed}/{total} tasks passed",
        "zh": "合计：{total} 个任务通过了 {passed} 个",
    },
}
