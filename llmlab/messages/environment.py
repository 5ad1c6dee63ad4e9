"""What the set-up cell prints: the device and the library versions (llmlab.environment)."""

MESSAGES = {
    "environment.device": {
        "en": "Device: {platform} ({count} device{plural}: {kind})",
        "zh": "设备：{platform}（{count} 个{plural}：{kind}）",
    },
    "environment.versions_ok": {"en": "Versions OK.", "zh": "版本没有问题。"},
    "environment.missing": {
        "en": "{name} is not installed: run  pip install -U '{name}>={need}'  and restart the "
        "kernel",
        "zh": "没有安装 {name}：请运行  pip install -U '{name}>={need}'  然后重启内核",
    },
    "environment.too_old": {
        "en": "{name} {found} is older than {need}: run  pip install -U '{name}>={need}'  and "
        "restart the kernel",
        "zh": "{name} {found} 比课程需要的 {need} 旧：请运行  pip install -U '{name}>={need}'  "
        "然后重启内核",
    },
}
