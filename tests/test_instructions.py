"""Tests for llmlab.data.instructions: the shipped SFT and preference sets and their builder."""

from collections import Counter
from importlib import resources

import pytest

from llmlab.chat import chat_tokenizer, encode_chat
from llmlab.data import load_tang_poems
from llmlab.data.instructions import (
    FILES,
    build,
    form,
    lines,
    load_instructions,
    load_preferences,
)
from llmlab.tokenizer import CharTokenizer

POEMS = load_tang_poems()


def test_rebuilding_gives_byte_identical_files(tmp_path):
    paths = build(tmp_path)
    for name, file in FILES.items():
        shipped = resources.files("llmlab.data").joinpath(file).read_bytes()
        assert paths[name].read_bytes() == shipped, f"{file} must be what the builder makes"


def test_lines_and_form_worked_example():
    poem = "四时运灰琯，一夕变冬春。送寒余雪尽，迎岁早梅新。"
    assert lines(poem) == ["四时运灰琯", "一夕变冬春", "送寒余雪尽", "迎岁早梅新"]
    assert form(poem) == "五言绝句"
    with pytest.raises(ValueError, match="not a quatrain"):
        lines("床前明月光")


def test_sft_set_has_thousands_of_conversations_over_six_tasks_held_out_by_poem():
    train, test = load_instructions("train"), load_instructions("test")
    assert len(train) >= 5000 and len(test) >= 500
    assert len(Counter(c["task"] for c in train)) >= 5
    assert not {c["poem"] for c in train} & {c["poem"] for c in test}, "no held-out poem in train"
    pref_train = {p["poem"] for p in load_preferences("train")}
    assert not pref_train & {c["poem"] for c in test}, "preference training avoids them too"


def test_every_answer_is_true_to_its_poem():
    for c in load_instructions(None):
        p, answer = POEMS[c["poem"]], c["messages"][-1]["content"]
        request = c["messages"][-2]["content"]
        want = {
            "write": p.poem,
            "author": p.author,
            "title": f"《{p.title}》",
            "form": f"{form(p.poem)}。",
            "first": lines(p.poem)[0],
        }.get(c["task"])
        if c["task"] == "next":
            ls = lines(p.poem)
            assert request[3:] in ls[::2] and answer == ls[ls.index(request[3:]) + 1]
        else:
            assert answer == want, f"{c['task']} on poem {c['poem']}: {answer!r} != {want!r}"


def test_preferences_start_with_the_notes_example_and_always_differ():
    pairs = load_preferences("train")
    first = pairs[0]
    assert first["prompt"] == [{"role": "user", "content": "中国最美的城市是哪里？"}]
    assert (first["chosen"], first["rejected"]) == ("上海", "北京")
    assert len(pairs) >= 2000 and all(p["chosen"] != p["rejected"] for p in pairs)
    for p in pairs:
        if p["task"] in ("author", "write", "next") and p["poem"] is not None:
            poem = POEMS[p["poem"]]
            truth = {"author": poem.author, "write": poem.poem}.get(p["task"], p["chosen"])
            assert p["chosen"] == truth, "the chosen answer is the corpus's"


def test_every_conversation_encodes_in_the_chat_format():
    convs = load_instructions(None)
    text = "".join(m["content"] for c in convs for m in c["messages"])
    tok = chat_tokenizer(CharTokenizer.from_text(text))
    lengths = [len(encode_chat(c["messages"], tok)[0]) for c in convs]
    assert max(lengths) <= 128, f"the longest conversation has {max(lengths)} tokens"


def test_every_true_answer_of_the_set_has_its_form():
    from llmlab.data.instructions import has_form

    for c in load_instructions(None):
        request, answer = (m["content"] for m in c["messages"][-2:])
        assert has_form(c["task"], request, answer), f"{c['task']}: {request} -> {answer}"


@pytest.mark.parametrize(
    ("task", "asked", "answer"),
    [
        (
            "write",
            "写一首题为《静夜思》的五言绝句。",
            "床前明月光，疑是地上霜。举头望明月，低头思故乡",
        ),
        (
            "write",
            "写一首题为《静夜思》的七言绝句。",
            "床前明月光，疑是地上霜。举头望明月，低头思故乡。",
        ),
        ("next", "上句：床前明月光", "疑是地上霜。"),
        ("next", "上句：床前明月光", "疑是地上霜霜"),
        ("author", "「…」这首诗的作者是谁？", "李白，杜甫"),
        ("author", "「…」这首诗的作者是谁？", "床前明月光疑是地上霜"),
        ("title", "「…」这首诗的题目是什么？", "静夜思"),
        ("form", "「…」是五言绝句还是七言绝句？", "五言"),
        ("first", "「…」的第一句是什么？", "床前明月"),
    ],
)
def test_answers_of_the_wrong_form_are_caught(task, asked, answer):
    from llmlab.data.instructions import has_form

    assert not has_form(task, asked, answer), f"{answer!r} does not have the {task} form"
    with pytest.raises(ValueError, match="unknown task 'poem'"):
        has_form("poem", asked, answer)
