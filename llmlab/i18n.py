"""The learner's language: one setting that every learner-facing sentence reads.

    llmlab.set_language("zh")      # the Chinese notebooks' first cell does this
    say("widgets.temperature")     # -> "温度"

Sentences live in one catalogue, `llmlab.messages`, each key holding its English and its
Chinese text side by side, so a sentence cannot exist in one language only (a test checks).
English is the default. The setting can also come from the environment variable
`LLMLAB_LANGUAGE`, so a grader or a test can choose it before anything is imported.
"""

from __future__ import annotations

import os

LANGUAGES = ("en", "zh")
_NAMES = {"en": "en", "english": "en", "zh": "zh", "zh-cn": "zh", "zh_cn": "zh", "中文": "zh"}
_current = {"language": _NAMES.get(os.environ.get("LLMLAB_LANGUAGE", "en").lower(), "en")}


def set_language(language: str) -> str:
    """Make every later widget label, check message and error sentence use `language`.

    Args:
        language: "en" (English, the default) or "zh" (简体中文); "zh-CN" and "中文" also work.

    Returns:
        the language now in use ("en" or "zh").
    """
    if not isinstance(language, str) or language.lower() not in _NAMES:
        raise ValueError(
            f"set_language expects one of {', '.join(LANGUAGES)} (English, 简体中文), "
            f"got {language!r}"
        )
    _current["language"] = _NAMES[language.lower()]
    return _current["language"]


def language() -> str:
    """The language now in use: "en" or "zh"."""
    return _current["language"]


def say(key: str, **fields) -> str:
    """The catalogue's sentence `key` in the current language, with `fields` filled in.

    Example: say("environment.versions_ok") -> "Versions OK." (or "版本没有问题。" in zh)
    """
    from llmlab.messages import CATALOGUE

    try:
        entry = CATALOGUE[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in llmlab.messages: add it in both languages") from None
    return entry[language()].format(**fields)


def bilingual(en: str, zh: str) -> str:
    """`en` or `zh`, whichever the current language is: for labels a lesson's own code draws.

    The library's sentences live in the catalogue; a lesson's plot title is written once, in
    its code cell, in both languages, so the English and Chinese notebooks run the same cell.

    Example: ax.set_title(bilingual("Loss over steps", "损失随步数的变化"))
    """
    return zh if language() == "zh" else en
