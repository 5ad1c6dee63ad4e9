"""Token viewer and merge stepper (lesson 02): how text becomes ids, and how BPE learns merges."""

from __future__ import annotations

import html
import warnings
from typing import Any

import ipywidgets as widgets

from llmlab.i18n import say
from llmlab.tokenizer import BPETokenizer, build_vocab, get_stats, merge, render_token
from llmlab.widgets.panel import BadInput, Panel
from llmlab.widgets.render.tokens import labelled_rows_html, token_boxes_html

DEFAULT_TEXT = "The boy went to the park. 床前明月光，疑是地上霜。"
# Characters drawn as boxes: each costs about 700 bytes of HTML in three rows, so a whole
# corpus pasted in would send the browser hundreds of megabytes. Counts cover all the text.
MAX_SHOWN = 1000
# the rows' titles, in the learner's language (`counts` keeps the English names as keys)
_ROW_KEYS = {
    "characters": "widgets.tokens.characters",
    "bytes": "widgets.tokens.bytes",
    "BPE tokens": "widgets.tokens.bpe",
}


def default_bpe(vocab_size: int = 512) -> BPETokenizer:
    """A small byte-level BPE trained on a slice of both course corpora (English and Chinese)."""
    from llmlab.data import load_text

    sample = load_text("shakespeare")[:20_000] + "\n" + load_text("tang")[:6_000]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a short text may run out of pairs: fine here
        return BPETokenizer().train(sample, vocab_size)


def token_rows(text: str, bpe: Any) -> dict[str, tuple[list[str], list[int], list[int]]]:
    """Characters, UTF-8 bytes and BPE tokens of `text`: name -> (pieces, ids, colour groups).

    Characters show their Unicode code point as id; bytes are coloured by the character they
    belong to (one 汉字 = 3 bytes, one colour); BPE pieces are the bytes of each token.

    Example: token_rows("a中", bpe)["bytes"][1] -> [97, 228, 184, 173]
    """
    chars = list(text)
    byte_pieces, byte_ids, byte_groups = [], [], []
    for index, ch in enumerate(chars):
        encoded = ch.encode("utf-8")
        for b in encoded:
            byte_pieces.append(ch if len(encoded) == 1 else f"\\x{b:02x}")
            byte_ids.append(b)
            byte_groups.append(index)
    ids = bpe.encode(text)
    pieces = [render_token(bpe.decode_bytes([i])) for i in ids]
    return {
        "characters": (chars, [ord(c) for c in chars], list(range(len(chars)))),
        "bytes": (byte_pieces, byte_ids, byte_groups),
        "BPE tokens": (pieces, ids, list(range(len(ids)))),
    }


class TokenViewer(Panel):
    """A text box; below it the text cut into characters, bytes and BPE tokens, with counts.

    Attributes: text (Textarea), view (HTML), counts (dict name -> number of tokens).
    """

    def __init__(self, text: str, bpe: Any):
        super().__init__()
        self.bpe = bpe
        self.text = widgets.Textarea(value=text, description=say("widgets.text"), rows=2)
        self.view = widgets.HTML()
        self.counts: dict[str, int] = {}
        self.text.observe(self.guard(self.update), names="value")
        self.arrange(self.text, self.view)
        self.update()

    def update(self, change: object = None) -> None:
        """Re-tokenize the text and redraw the three rows."""
        text = self.text.value
        if not text:
            self.view.value = ""
            self.counts = {}
            raise BadInput(say("widgets.tokens.empty"))
        rows = token_rows(text[:MAX_SHOWN], self.bpe)
        self.counts = {name: len(ids) for name, (_, ids, _) in rows.items()}
        if len(text) > MAX_SHOWN:
            self.counts = {"characters": len(text), "bytes": len(text.encode("utf-8")),
                           "BPE tokens": len(self.bpe.encode(text))}  # fmt: skip
            self.say(say("widgets.tokens.too_long", shown=MAX_SHOWN, total=len(text)),
                     kind="info")  # fmt: skip
        n_bytes, n_bpe = self.counts["bytes"], self.counts["BPE tokens"]
        line = say("widgets.tokens.summary", chars=self.counts["characters"], n_bytes=n_bytes,
                   n_bpe=n_bpe, vocab=self.bpe.vocab_size, ratio=n_bytes / n_bpe)  # fmt: skip
        summary = f'<div style="margin-top:4px">{line}</div>'
        self.view.value = (
            labelled_rows_html(
                [
                    (
                        say("widgets.tokens.row", name=say(_ROW_KEYS[name]), n=len(row[1])),
                        token_boxes_html(*row),
                    )
                    for name, row in rows.items()
                ]
            )
            + summary
        )

    def fallback_html(self) -> str:
        return self.view.value or html.escape(self.message_text)


def token_viewer(text: str = DEFAULT_TEXT, bpe: Any = None) -> TokenViewer:
    """Type text, see its characters, UTF-8 bytes and BPE tokens as coloured boxes with ids.

    bpe: a trained `BPETokenizer`; None trains a small one (512 tokens) on both corpora.

    Example: w = token_viewer("床前明月光"); w.counts  # {'characters': 5, 'bytes': 15, ...}
    """
    if not isinstance(text, str):
        raise TypeError(say("widgets.tokens.text_type", kind=type(text).__name__))
    return TokenViewer(text, default_bpe() if bpe is None else bpe)


def merge_history(text: str, num_merges: int) -> list[tuple[list[int], tuple[int, int], int]]:
    """BPE training on one text, step by step: [(ids after the merge, pair, count), ...].

    The readable way (get_stats, merge), starting from the UTF-8 bytes; stops early when no
    pair occurs twice. Entry k is the state after merge k + 1 (new id 256 + k).

    Example: merge_history("aaab", 1) -> [([256, 97, 98], (97, 97), 2)]
    """
    ids = list(text.encode("utf-8"))
    history = []
    for k in range(num_merges):
        stats = get_stats(ids)
        if not stats:
            break
        pair = max(stats, key=stats.get)  # ties: the pair seen first
        if stats[pair] < 2:
            break
        ids = merge(ids, pair, 256 + k)
        history.append((ids, pair, stats[pair]))
    return history


class MergeStepper(Panel):
    """Step through BPE merges on a small text: a slider (and buttons) for the merge number.

    Attributes: text, step (IntSlider), previous/next (Buttons), view (HTML), ids (the tokens
    after `step` merges).
    """

    def __init__(self, text: str, num_merges: int):
        super().__init__()
        self.num_merges = num_merges
        self.text = widgets.Text(
            value=text, description=say("widgets.text"), continuous_update=False
        )
        self.step = widgets.IntSlider(
            value=0, min=0, max=1, description=say("widgets.merges.slider")
        )
        self.previous = widgets.Button(description=say("widgets.merges.previous"))
        self.next = widgets.Button(description=say("widgets.merges.next"))
        self.view = widgets.HTML()
        self.ids: list[int] = []
        self.text.observe(self.guard(self._new_text), names="value")
        self.step.observe(self.guard(self.update), names="value")
        self.previous.on_click(self.guard(lambda _: self._move(-1)))
        self.next.on_click(self.guard(lambda _: self._move(+1)))
        self.arrange(self.text, widgets.HBox([self.previous, self.step, self.next]), self.view)
        self._new_text()

    def _move(self, delta: int) -> None:
        self.step.value = min(max(self.step.value + delta, self.step.min), self.step.max)

    def _new_text(self, change: object = None) -> None:
        text = self.text.value
        self.history = merge_history(text, self.num_merges) if text else []
        self.bytes = list(text.encode("utf-8"))
        merges = {pair: 256 + k for k, (_, pair, _) in enumerate(self.history)}
        self.vocab = build_vocab(merges)
        self.step.max = max(len(self.history), 1)
        self.step.value = min(self.step.value, len(self.history))
        self.update()

    def update(self, change: object = None) -> None:
        """Show the tokens after `step` merges and the merges made so far."""
        if not self.text.value:
            self.view.value, self.ids = "", []
            raise BadInput(say("widgets.merges.empty"))
        k = min(self.step.value, len(self.history))
        self.ids = self.history[k - 1][0] if k else self.bytes
        pieces = [render_token(self.vocab[i]) for i in self.ids]
        lines = [
            say("widgets.merges.line", j=j + 1, a=a, b=b, new=256 + j,
                piece=html.escape(render_token(self.vocab[256 + j])), count=count)
            for j, (_, (a, b), count) in enumerate(self.history[:k])
        ]  # fmt: skip
        done = "" if self.history else say("widgets.merges.nothing")
        header = say("widgets.merges.header", n=len(self.ids), k=k, n_bytes=len(self.bytes),
                     done=done)  # fmt: skip
        self.view.value = labelled_rows_html(
            [
                (header, token_boxes_html(pieces, self.ids)),
                (
                    say("widgets.merges.so_far"),
                    "<br>".join(lines) or "<br>" + say("widgets.merges.none_yet"),
                ),
            ]
        )

    def fallback_html(self) -> str:
        return self.view.value or html.escape(self.message_text)


def merge_stepper(
    text: str = "aaabdaaabac hug hugs pug pugs", num_merges: int = 10
) -> MergeStepper:
    """Step through byte-pair-encoding merges on a small text, one merge at a time.

    Example: w = merge_stepper("aaabdaaabac"); w.next.click()  # first merge: (97, 97) -> 256
    """
    if not isinstance(text, str):
        raise TypeError(say("widgets.tokens.text_type", kind=type(text).__name__))
    if isinstance(num_merges, bool) or not isinstance(num_merges, int) or num_merges < 1:
        raise ValueError(say("widgets.merges.bad_count", value=repr(num_merges)))
    return MergeStepper(text, num_merges)
