"""Why GPT-2 could not be fetched from the Hugging Face Hub (llmlab.pretrained.hub)."""

MESSAGES = {
    "hub.not_allowed": {
        "en": "GPT-2 needs the internet (about {size} MB), so it is only downloaded on Colab: "
        "open this notebook on Colab, or set the environment variable LLMLAB_ALLOW_DOWNLOAD=1 "
        "to download it on this machine.",
        "zh": "GPT-2 需要联网下载（约 {size} MB），所以只在 Colab 上下载：请在 Colab 上打开这个"
        "笔记本，或者设置环境变量 LLMLAB_ALLOW_DOWNLOAD=1，在这台机器上下载。",
    },
    "hub.missing": {
        "en": "GPT-2 is downloaded with the huggingface_hub package, which is not installed: "
        "run  pip install huggingface_hub  and run this cell again.",
        "zh": "下载 GPT-2 要用 huggingface_hub 包，但它没有安装：请运行  pip install "
        "huggingface_hub  然后重新运行这个单元格。",
    },
    "hub.offline": {
        "en": "HF_HUB_OFFLINE is set and {repo} is not in the Hugging Face cache: unset "
        "HF_HUB_OFFLINE to download it (about {size} MB), then run this cell again.",
        "zh": "设置了 HF_HUB_OFFLINE，而 Hugging Face 缓存里没有 {repo}：请取消 HF_HUB_OFFLINE"
        "（下载约 {size} MB），然后重新运行这个单元格。",
    },
    "hub.failed": {
        "en": "GPT-2 could not be downloaded from the Hugging Face Hub ({error}): check the "
        "internet connection and run this cell again.",
        "zh": "无法从 Hugging Face Hub 下载 GPT-2（{error}）：请检查网络连接，然后重新运行这个"
        "单元格。",
    },
}
