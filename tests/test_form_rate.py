"""Tests for llmlab.form_rate: the fraction of answers with the requested form and an end."""

from __future__ import annotations

import jax
import pytest

import llmlab.form_rate as form_rate_module
from llmlab.chat import Reply
from llmlab.form_rate import form_rates


def _record(task, request):
    return {"task": task, "messages": [{"role": "user", "content": request},
                                       {"role": "assistant", "content": "reference"}]}  # fmt: skip


RECORDS = [
    _record("next", "上句：床前明月光"),  # answered 疑是地上霜, ended: counts
    _record("next", "上句：春眠不觉晓"),  # answered in form but never ended: does not count
    _record("form", "「...」是五言绝句还是七言绝句？"),  # answered 五言绝句。 ended: counts
    _record("form", "「...」是五言绝句还是七言绝句？"),  # answered 五言 (wrong form): does not
]
ANSWERS = [Reply("疑是地上霜", True), Reply("处处闻啼鸟", False), Reply("五言绝句。", True),
           Reply("五言", True)]  # fmt: skip


def test_worked_example_counts_form_and_end_per_task_and_overall(monkeypatch):
    asked = []

    def fake_reply(model, tokenizer, conversation, *, key, temperature):
        asked.append(conversation)
        return ANSWERS[len(asked) - 1]

    monkeypatch.setattr(form_rate_module, "reply", fake_reply)
    rates = form_rates(None, None, RECORDS, key=jax.random.key(0))
    assert rates == {"all": 0.5, "form": 0.5, "next": 0.5}, (
        "one of two in each task has the form AND an <|end|>: 2 of 4 overall"
    )
    assert all(c[-1]["role"] == "user" for c in asked), (
        "the reference answer must be dropped: the model answers the request itself"
    )


def test_each_conversation_gets_its_own_key(monkeypatch):
    keys = []

    def fake_reply(model, tokenizer, conversation, *, key, temperature):
        keys.append(jax.random.key_data(key).tolist())
        return Reply("", True)

    monkeypatch.setattr(form_rate_module, "reply", fake_reply)
    form_rates(None, None, RECORDS, key=jax.random.key(3), temperature=1.0)
    assert len({str(k) for k in keys}) == len(RECORDS), "sampled answers need distinct keys"


def test_bad_conversations_get_a_sentence():
    with pytest.raises(ValueError, match="empty"):
        form_rates(None, None, [], key=jax.random.key(0))
    with pytest.raises(TypeError, match="list of instruction records"):
        form_rates(None, None, "上句：床前明月光", key=jax.random.key(0))
    with pytest.raises(ValueError, match="conversation 0 must be a record"):
        form_rates(None, None, [{"messages": []}], key=jax.random.key(0))
