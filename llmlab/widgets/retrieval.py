"""Retrieval explorer (lesson 13): type a query, see the k poems nearest to it, and why.

    from llmlab.data import load_tang_poems
    from llmlab.widgets import retrieval_explorer
    poems = load_tang_poems()
    retrieval_explorer(poems)                  # bags of characters, built from the poems

    # several embeddings, each computed once by the caller (the model's takes a while):
    from llmlab.pretrained import load
    from llmlab.retrieval import bag_of_chars, char_vocabulary, model_embeddings
    texts = [p.poem for p in poems]
    vocab = char_vocabulary(texts)
    tang, tok = load("tang")
    matrices = {"characters": bag_of_chars(texts, vocab),
                "tang model": model_embeddings(tang, tok, texts)}
    embedders = {"characters": lambda q: bag_of_chars([q], vocab)[0],
                 "tang model": lambda q: model_embeddings(tang, tok, [q])[0]}
    retrieval_explorer(poems, matrices, embedders, query="床前明月光", k=5)

Each method is a matrix (N, C), one row per poem, and a function that embeds the query as
a vector (C,); the widget only embeds the query and ranks the rows by cosine similarity
(as `llmlab.retrieval.top_k`, in float32 so a query over all 13,744 poems stays quick).
The shown poems mark the characters they share with the query.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from llmlab.i18n import say
from llmlab.retrieval import PUNCTUATION, Retrieved, bag_of_chars, char_vocabulary
from llmlab.widgets.panel import BadInput, Panel

MAX_K = 10


def nearest(vector: Any, matrix: np.ndarray, k: int, norms: np.ndarray | None = None) -> Retrieved:
    """The k rows of `matrix` (N, C) most cosine-similar to `vector` (C,), best first.

    The same ranking as `llmlab.retrieval.top_k` (equal scores keep the lower index first)
    computed in float32 without copying the matrix; `norms` (N,), the rows' lengths, can be
    passed in once instead of being recomputed for every query. A zero row scores 0.

    Example: nearest([1, 0], [[0, 1], [1, 0], [1, 1]], 2) -> indices [1, 2], scores [1, 0.707]
    """
    m = np.asarray(matrix, np.float32)
    v = np.asarray(vector, np.float32)
    if norms is None:
        norms = np.sqrt(np.einsum("nc,nc->n", m, m))
    scores = (m @ v) / (np.where(norms > 0, norms, 1.0) * np.linalg.norm(v))  # (N,)
    order = np.argsort(-scores, kind="stable")[:k]
    return Retrieved(order, scores[order])


def highlight(text: str, query: str) -> str:
    """`text` as HTML with every character it shares with `query` (punctuation aside) marked.

    Example: highlight("床前看月光，", "明月光") -> '床前看<mark>月</mark><mark>光</mark>，'
    """
    shared = set(query) - set(PUNCTUATION)
    return "".join(
        f"<mark>{html.escape(c)}</mark>" if c in shared else html.escape(c) for c in text
    )


class RetrievalExplorer(Panel):
    """Query box, method menu and k slider over a fixed library of poems.

    Attributes: query (Text), method (Dropdown of the methods' names), k (IntSlider),
    output (HTML: the top-k table), results (the last `Retrieved`: row indices and cosine
    scores), runs (how many searches have run).
    """

    def __init__(self, poems: list[Any], matrices: dict[str, np.ndarray],
                 embedders: dict[str, Callable[[str], Any]], query: str, k: int):  # fmt: skip
        super().__init__()
        self.poems, self.matrices, self.embedders = poems, matrices, embedders
        self.norms = {name: np.sqrt(np.einsum("nc,nc->n", m, m)) for name, m in matrices.items()}
        self.query = widgets.Text(value=query, description=say("retrieval_widget.query"),
                                  continuous_update=False)  # fmt: skip
        self.method = widgets.Dropdown(options=list(matrices),
                                       description=say("retrieval_widget.method"))  # fmt: skip
        self.k = widgets.IntSlider(value=k, min=1, max=min(MAX_K, len(poems)), description="k",
                                   continuous_update=False)  # fmt: skip
        self.output = widgets.HTML()
        self.results: Retrieved | None = None
        self.runs = 0
        for control in (self.query, self.method, self.k):
            control.observe(self.guard(lambda _: self.search()), names="value")
        self.arrange(widgets.HBox([self.query, self.method, self.k]), self.output)

    def _vector(self, name: str, text: str) -> np.ndarray:
        """The query embedded by method `name`, or BadInput when it cannot be or points nowhere."""
        try:
            vector = np.asarray(self.embedders[name](text), np.float32)
        except (ValueError, KeyError) as exc:  # an unknown character, a query too long
            raise BadInput(say("retrieval_widget.cannot_embed", method=name, query=repr(text),
                               reason=exc)) from None  # fmt: skip
        width = self.matrices[name].shape[1]
        if vector.shape != (width,):  # the caller's embedder does not fit its matrix: a bug
            raise ValueError(say("retrieval_widget.bad_vector", method=name, width=width,
                                 shape=vector.shape))  # fmt: skip
        if not np.any(vector):
            raise BadInput(say("retrieval_widget.no_known", query=repr(text)))
        return vector

    def search(self) -> Retrieved:
        """Rank the poems for the current query, method and k; show the top k."""
        text = self.query.value.strip()
        if not text:
            raise BadInput(say("retrieval_widget.empty"))
        name = self.method.value
        vector = self._vector(name, text)
        self.results = nearest(vector, self.matrices[name], self.k.value, self.norms[name])
        self.runs += 1
        self._show(text, name)
        return self.results

    def _show(self, text: str, name: str) -> None:
        rows = []
        for rank, (row, score) in enumerate(zip(*self.results), start=1):
            poem = self.poems[row]
            rows.append(
                f"<tr><td>{rank}</td><td>{score:.3f}</td>"
                f"<td><b>{highlight(poem.title, text)}</b> · {highlight(poem.author, text)}"
                f"<br>{highlight(poem.poem, text)}</td></tr>"
            )
        heading = say("retrieval_widget.heading", k=len(rows), query=repr(text), method=name,
                      n=len(self.poems))  # fmt: skip
        head = "".join(f"<th>{html.escape(say(f'retrieval_widget.{c}'))}</th>"
                       for c in ("rank", "score", "poem"))  # fmt: skip
        self.output.value = (
            f"<div>{html.escape(heading)}</div><table><tr>{head}</tr>{''.join(rows)}</table>"
        )

    def fallback_html(self) -> str:
        return self.output.value or html.escape(self.query.value)


def _check(poems: Any, matrices: Any, embedders: Any, k: Any) -> None:
    if isinstance(poems, str) or not isinstance(poems, Sequence) or not poems or not all(
        hasattr(p, "poem") and hasattr(p, "title") and hasattr(p, "author") for p in poems
    ):  # fmt: skip
        raise TypeError(say("retrieval_widget.bad_poems", got=type(poems).__name__))
    if not isinstance(matrices, Mapping) or not isinstance(embedders, Mapping) or not matrices \
            or set(matrices) != set(embedders):  # fmt: skip
        raise ValueError(say("retrieval_widget.bad_methods", matrices=list(matrices or ()),
                             embedders=list(embedders or ())))  # fmt: skip
    for name, m in matrices.items():
        shape = np.shape(m)
        if len(shape) != 2 or shape[0] != len(poems):
            raise ValueError(say("retrieval_widget.bad_matrix", method=name, n=len(poems),
                                 shape=shape))  # fmt: skip
    limit = min(MAX_K, len(poems))
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= limit:
        raise ValueError(say("retrieval_widget.bad_k", limit=limit, value=repr(k)))


def retrieval_explorer(
    poems: Sequence[Any],
    matrices: Mapping[str, Any] | None = None,
    embedders: Mapping[str, Callable[[str], Any]] | None = None,
    *,
    query: str = "床前明月光",
    k: int = 5,
    run: bool = True,
) -> RetrievalExplorer:
    """The k poems nearest to a query by each method's embedding; the controls search again.

    Args:
        poems: the library, e.g. `llmlab.data.load_tang_poems()` (author, title, poem each).
        matrices: {method name: (N, C) embedding of the N poems}, computed once by the caller;
            None: bags of characters over the poems' own characters.
        embedders: {method name: function query text -> (C,) vector}, the same names.
        query, k: the starting query and how many poems to show (1 to 10).
        run: search at once (so a static copy of the notebook shows the poems).

    Example: w = retrieval_explorer(load_tang_poems(), k=3); w.results.indices -> 3 rows
    """
    if matrices is None and embedders is None:
        texts = [getattr(p, "poem", None) for p in poems] if isinstance(poems, Sequence) else []
        if texts and all(isinstance(t, str) for t in texts):
            vocab = char_vocabulary(texts)
            name = say("retrieval_widget.characters")
            matrices = {name: bag_of_chars(texts, vocab)}
            embedders = {name: lambda q: bag_of_chars([q], vocab)[0]}
    _check(poems, matrices, embedders, k)
    order = list(matrices)  # the menu lists the methods as the caller gave them
    widget = RetrievalExplorer(list(poems), {n: np.asarray(matrices[n], np.float32) for n in order},
                               {n: embedders[n] for n in order}, query, k)  # fmt: skip
    if run:
        widget.guard(widget.search)()
    return widget
