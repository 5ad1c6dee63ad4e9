"""Every learner-facing sentence of the library, in English and in Chinese, by key.

Each area has its own module (`widgets`, `grading`, `errors`, ...) holding a dict
`MESSAGES = {"area.name": {"en": "...", "zh": "..."}}`; this package merges them into
`CATALOGUE`, which `llmlab.i18n.say` reads. Placeholders such as `{total}` must be the same
in both languages (tests/test_i18n.py checks every entry).
"""

from __future__ import annotations

from llmlab.messages import (
    arithmetic,
    checks_basics,
    checks_counting,
    checks_efficiency,
    checks_finetuning,
    checks_model,
    checks_preferences,
    checks_thinking,
    checks_training,
    efficiency,
    environment,
    errors,
    grader,
    grading,
    hub,
    model_widgets,
    preference_widgets,
    progress,
    scale,
    side_by_side,
    tasks,
    tools,
    tools_widgets,
    widgets,
)

AREAS = (
    environment,
    errors,
    widgets,
    model_widgets,
    efficiency,
    preference_widgets,
    progress,
    hub,
    grading,
    tasks,
    checks_basics,
    checks_counting,
    checks_model,
    checks_training,
    checks_finetuning,
    checks_preferences,
    checks_efficiency,
    checks_thinking,
    grader,
    side_by_side,
    tools,
    tools_widgets,
    arithmetic,
    scale,
)


def _merge() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for area in AREAS:
        for key, entry in area.MESSAGES.items():
            if key in merged:
                raise ValueError(f"message {key!r} is defined twice (again in {area.__name__})")
            merged[key] = entry
    return merged


CATALOGUE = _merge()
