"""The course-wide progress view and its warnings (llmlab.progress)."""

MESSAGES = {
    "progress.heading": {
        "en": "Your progress across the course: {done} of {total} tasks done",
        "zh": "你在整门课程中的进度：共 {total} 个任务，已完成 {done} 个",
    },
    "progress.exercise": {"en": "Exercise", "zh": "练习"},
    "progress.task": {"en": "Task", "zh": "任务"},
    "progress.done": {"en": "Done", "zh": "完成"},
    "progress.first_passed": {"en": "First passed", "zh": "首次通过"},
    "progress.not_yet": {"en": "not yet", "zh": "尚未完成"},
    "progress.where": {
        "en": "Kept on this computer in {path}: no account, nothing is sent anywhere. Only passes "
        "are recorded, so a later failed check does not erase one.",
        "zh": "进度保存在这台电脑上的 {path}：不需要账号，也不会发送到任何地方。"
        "这里只记录通过的检查，所以之后某次检查没通过，也不会抹掉已经通过的记录。",
    },
    "progress.off": {
        "en": "Recording is switched off here (LLMLAB_PROGRESS={value}).",
        "zh": "这里关闭了进度记录（LLMLAB_PROGRESS={value}）。",
    },
    "progress.corrupt": {
        "en": "Your progress file {path} could not be read ({reason}); it was kept as {kept}, "
        "and recording starts afresh.",
        "zh": "无法读取你的进度文件 {path}（{reason}）；旧文件已另存为 {kept}，进度从头开始记录。",
    },
    "progress.stuck": {
        "en": "Your progress file {path} could not be read ({reason}) nor moved aside ({error}); "
        "it was left as it is, and passes are not recorded until you move or delete it.",
        "zh": "无法读取你的进度文件 {path}（{reason}），也无法把它移到一边（{error}）；"
        "文件保持原样，在你移走或删除它之前，通过的检查不会被记录。",
    },
    "progress.unwritable": {
        "en": "Your progress could not be saved in {folder} ({error}): your checks still work, "
        "but passes are not remembered. Set LLMLAB_HOME to a folder you can write to.",
        "zh": "无法把你的进度保存到 {folder}（{error}）：检查照常进行，但通过的记录不会被保存。"
        "请把 LLMLAB_HOME 设为一个你有写入权限的文件夹。",
    },
    "progress.failed": {
        "en": "Your pass was not recorded because of an unexpected error ({error}); your check "
        "result above still stands. This is a bug in llmlab, please report it.",
        "zh": "由于意外错误（{error}），这次通过没有被记录；上面的检查结果仍然有效。"
        "这是 llmlab 的一个缺陷，请报告给我们。",
    },
    "progress.reason_json": {
        "en": "it is not valid JSON: {detail}",
        "zh": "它不是有效的 JSON：{detail}",
    },
    "progress.reason_layout": {
        "en": "it is not laid out as llmlab writes it",
        "zh": "它的内容格式不是 llmlab 写入的格式",
    },
}
