"""Fine-tuning data made from the Tang quatrains: instructions (SFT) and preference pairs.

    python -m llmlab.data.instructions      # rewrites tang_sft.jsonl, tang_preferences.jsonl

Nothing is downloaded or written by hand: every conversation is a template filled from one
poem of `tang_quatrains.tsv`, drawn with a fixed seed, so the command rebuilds the shipped
files byte for byte. Poems are split first (10% held out, by poem), so no held-out poem is
ever seen in training, in any task.

tang_sft.jsonl — one conversation per line, {"split", "task", "poem", "messages"}:
    write   写一首题为《T》的五言绝句。        -> the poem
    next    上句：床前明月光                    -> 疑是地上霜
    author  「poem」这首诗的作者是谁？           -> the author
    title   「poem」这首诗的题目是什么？         -> 《T》
    form    「poem」是五言绝句还是七言绝句？     -> 五言绝句。
    first   「poem」的第一句是什么？             -> its first line
A fifth of them start with a system message. "poem" is the row in `load_tang_poems()`.

tang_preferences.jsonl — {"split", "task", "poem", "prompt", "chosen", "rejected"}, where
the prompt is a list of messages and chosen/rejected are two assistant answers:
    city    the notes' example: 中国最美的城市是哪里？ 上海 preferred over 北京 (and rephrasings)
    author  the right author over another poet
    next    the true next line over a line of the same length from another poem
    write   the true poem over one of the wrong form (七言 for 五言) or with a line repeated
    form    the right form over the wrong one
"""

from __future__ import annotations

import json
import random
import re
import sys
from importlib import resources
from pathlib import Path

from llmlab.data import Poem, load_tang_poems

SEED = 0
HELD_OUT = 0.1  # fraction of poems kept out of training
SIZES = {"sft": (5000, 500), "preferences": (2000, 200)}  # (train, held-out) per file
FILES = {"sft": "tang_sft.jsonl", "preferences": "tang_preferences.jsonl"}
SYSTEM = "你是一位熟读唐诗的助手。"
UNKNOWN_AUTHORS = {"不详", "无名氏", "佚名"}
CITY_PROMPTS = {  # the notes' example first; the last rephrasing is held out
    "train": ["中国最美的城市是哪里？", "中国最美的城市是哪座？", "哪座城市是中国最美的？"],
    "test": ["你觉得中国哪座城市最美？"],
}
_LINES = re.compile(r"^(\w+)，(\w+)([。？！])(\w+)，(\w+)([。？！])$")


def lines(poem: str) -> list[str]:
    """The four lines of a quatrain, without punctuation.

    Example: "四时运灰琯，一夕变冬春。送寒余雪尽，迎岁早梅新。" -> ["四时运灰琯", ...] (4 lines)
    """
    m = _LINES.match(poem)
    if m is None:
        raise ValueError(f"not a quatrain of four lines: {poem!r}")
    return [m.group(i) for i in (1, 2, 4, 5)]


def form(poem: str) -> str:
    """五言绝句 (five characters a line) or 七言绝句 (seven)."""
    return {5: "五言绝句", 7: "七言绝句"}[len(lines(poem)[0])]


_HAN_LINE = re.compile(r"^\w+$")
_TITLE = re.compile(r"^《[^《》]+》$")


def has_form(task: str, request: str, answer: str) -> bool:
    """Whether `answer` has the form `task` asks for (not whether it is right).

    write: a quatrain (four lines, punctuated) with the requested five or seven characters a
    line; next: one line as long as the given one; author: a name of 1-6 characters; title:
    a title in 《》; form: 五言绝句。 or 七言绝句。; first: one line of five or seven characters.

    Example: has_form("next", "上句：床前明月光", "疑是地上霜") -> True
    """
    if task == "write":
        want = 5 if "五言" in request else 7
        m = _LINES.match(answer)
        return m is not None and all(len(m.group(i)) == want for i in (1, 2, 4, 5))
    if task == "next":
        given = request.split("：", 1)[-1]
        return bool(_HAN_LINE.match(answer)) and len(answer) == len(given)
    if task == "author":
        return bool(_HAN_LINE.match(answer)) and 1 <= len(answer) <= 6
    if task == "title":
        return bool(_TITLE.match(answer))
    if task == "form":
        return answer in ("五言绝句。", "七言绝句。")
    if task == "first":
        return bool(_HAN_LINE.match(answer)) and len(answer) in (5, 7)
    raise ValueError(f"unknown task {task!r}: expected one of {SFT_TASKS}")


def _user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def _sft_example(task: str, p: Poem, rng: random.Random) -> tuple[str, str]:
    """(request, answer) of one task on one poem."""
    ls = lines(p.poem)
    if task == "write":
        return f"写一首题为《{p.title}》的{form(p.poem)[:2]}绝句。", p.poem
    if task == "next":
        i = rng.choice([0, 2])  # a couplet: the first line asks, the second answers
        return f"上句：{ls[i]}", ls[i + 1]
    if task == "author":
        return f"「{p.poem}」这首诗的作者是谁？", p.author
    if task == "title":
        return f"「{p.poem}」这首诗的题目是什么？", f"《{p.title}》"
    if task == "form":
        return f"「{p.poem}」是五言绝句还是七言绝句？", f"{form(p.poem)}。"
    if task == "first":
        return f"「{p.poem}」的第一句是什么？", ls[0]
    raise ValueError(f"unknown task {task!r}")


SFT_TASKS = ("write", "next", "author", "title", "form", "first")
PREFERENCE_TASKS = ("author", "next", "write", "form")


def _fits(task: str, p: Poem) -> bool:
    if task == "author":
        return p.author not in UNKNOWN_AUTHORS
    if task in ("write", "title"):
        return len(p.title) <= 10  # long titles are series names (郊庙歌辞 ...)
    return True


def split_poems(poems: list[Poem], seed: int = SEED) -> dict[str, list[int]]:
    """Poem rows for "train" and "test" (held out), shuffled by seed; disjoint by poem."""
    order = list(range(len(poems)))
    random.Random(seed).shuffle(order)
    n_test = round(len(order) * HELD_OUT)
    return {"train": sorted(order[n_test:]), "test": sorted(order[:n_test])}


def build_sft(poems: list[Poem], split: str, rows: list[int], n: int, rng) -> list[dict]:
    out = []
    for k in range(n):
        task = SFT_TASKS[k % len(SFT_TASKS)]
        i = rng.choice([r for r in rng.sample(rows, 20) if _fits(task, poems[r])])
        request, answer = _sft_example(task, poems[i], rng)
        messages = [{"role": "system", "content": SYSTEM}] if rng.random() < 0.2 else []
        messages += [*_user(request), {"role": "assistant", "content": answer}]
        out.append({"split": split, "task": task, "poem": i, "messages": messages})
    return out


def _rejected(task: str, p: Poem, poems: list[Poem], rows: list[int], rng) -> str:
    ls = lines(p.poem)
    if task == "author":
        return rng.choice([a for a in (poems[r].author for r in rng.sample(rows, 20))
                           if a != p.author and a not in UNKNOWN_AUTHORS])  # fmt: skip
    if task == "next":
        others = (lines(poems[r].poem)[rng.randrange(4)] for r in rng.sample(rows, 20))
        return next(x for x in others if len(x) == len(ls[0]) and x not in ls)
    if task == "write":
        if rng.random() < 0.5:  # the wrong form
            return next(poems[r].poem for r in rng.sample(rows, 20)
                        if form(poems[r].poem) != form(p.poem))  # fmt: skip
        j = rng.randrange(1, 4)  # one line repeated in place of another: no longer a poem
        ls[j] = ls[j - 1]
        return f"{ls[0]}，{ls[1]}。{ls[2]}，{ls[3]}。"
    if task == "form":
        return {"五言绝句": "七言绝句。", "七言绝句": "五言绝句。"}[form(p.poem)]
    raise ValueError(f"unknown task {task!r}")


def build_preferences(poems, split: str, rows: list[int], n: int, rng) -> list[dict]:
    out = [{"split": split, "task": "city", "poem": None, "prompt": _user(q),
            "chosen": "上海", "rejected": "北京"} for q in CITY_PROMPTS[split]]  # fmt: skip
    for k in range(n - len(out)):
        task = PREFERENCE_TASKS[k % len(PREFERENCE_TASKS)]
        i = rng.choice([r for r in rng.sample(rows, 20) if _fits(task, poems[r])])
        request, answer = _sft_example(task, poems[i], rng)
        rejected = _rejected(task, poems[i], poems, rows, rng)
        out.append({"split": split, "task": task, "poem": i, "prompt": _user(request),
                    "chosen": answer, "rejected": rejected})  # fmt: skip
    return out


def build(out_dir: Path | None = None, seed: int = SEED) -> dict[str, Path]:
    """Write both files into out_dir (default: next to the corpora); returns their paths."""
    out_dir = Path(out_dir) if out_dir is not None else Path(str(resources.files(__package__)))
    poems = load_tang_poems()
    split = split_poems(poems, seed)
    paths = {}
    for name, builder in (("sft", build_sft), ("preferences", build_preferences)):
        rng = random.Random(f"{seed}-{name}")
        records = []
        for part, n in zip(("train", "test"), SIZES[name]):
            records += builder(poems, part, split[part], n, rng)
        text = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                       for r in records)  # fmt: skip
        paths[name] = out_dir / FILES[name]
        paths[name].write_text(text, encoding="utf-8")
    return paths


def _load(name: str, split: str | None) -> list[dict]:
    if split not in (None, "train", "test"):
        raise ValueError(f"split must be 'train', 'test' or None (both), got {split!r}")
    file = resources.files(__package__).joinpath(FILES[name])
    records = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines()]
    return [r for r in records if split is None or r["split"] == split]


def load_instructions(split: str | None = "train") -> list[dict]:
    """The SFT conversations of one split ("train", or "test": held-out poems)."""
    return _load("sft", split)


def load_preferences(split: str | None = "train") -> list[dict]:
    """The preference pairs of one split; the notes' 上海/北京 example is the first."""
    return _load("preferences", split)


if __name__ == "__main__":
    for name, path in build(*sys.argv[1:2]).items():
        print(f"{name}: {path} ({path.stat().st_size:,} bytes)")
