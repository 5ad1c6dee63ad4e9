"""Embedding map (lesson 05): a model's token embeddings in 2-D, with nearest neighbours."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import numpy as np

from llmlab.i18n import say
from llmlab.widgets.panel import Panel
from llmlab.widgets.render.scatter import (
    cosine_neighbours,
    embedding_figure,
    mark_neighbours,
    pca_2d,
)
from llmlab.widgets.render.tokens import visible


def embedding_matrix(model: Any) -> np.ndarray:
    """The token embedding table (V, C) of an llmlab GPT (its `wte` layer)."""
    wte = getattr(model, "wte", None)
    table = getattr(wte, "embedding", None)
    if table is None:
        raise TypeError(say("widgets.embedding.no_table", kind=type(model).__name__))
    return np.asarray(table[...] if hasattr(table, "__getitem__") else table.value)


class EmbeddingMap(Panel):
    """A menu of tokens and a k slider; the map marks the token and its k nearest neighbours.

    Attributes: token (Dropdown of ids), k (IntSlider), coords (V, 2), neighbours (ids),
    similarities, table (HTML).
    """

    def __init__(self, vectors: np.ndarray, labels: list[str], token: int, k: int):
        super().__init__()
        self.vectors, self.labels = vectors, labels
        self.coords, self.explained = pca_2d(vectors)
        options = [(f"{visible(label)}  ({i})", i) for i, label in enumerate(labels)]
        self.token = widgets.Dropdown(
            options=options, value=token, description=say("widgets.embedding.token")
        )
        kmax = min(15, len(labels) - 1)
        self.k = widgets.IntSlider(
            value=min(k, kmax), min=1, max=kmax, description=say("widgets.embedding.neighbours")
        )
        self.table = widgets.HTML()
        self.figure = embedding_figure(self.coords, labels, self.explained, kmax)
        update = self.guard(self.update)
        self.token.observe(update, names="value")
        self.k.observe(update, names="value")
        self.arrange(widgets.HBox([self.token, self.k]), widgets.HBox([self.image, self.table]))
        self.update()

    def update(self, change: object = None) -> None:
        """Find the neighbours of the chosen token and mark them."""
        index = self.token.value
        self.neighbours, self.similarities = cosine_neighbours(self.vectors, index, self.k.value)
        mark_neighbours(self.figure, self.coords, self.labels, index, self.neighbours)
        rows = "".join(
            f"<tr><td>{html.escape(repr(self.labels[i]), quote=False)}</td><td>{s:+.3f}</td></tr>"
            for i, s in zip(self.neighbours, self.similarities)
        )
        token = html.escape(repr(self.labels[index]), quote=False)
        self.table.value = (
            f"<b>{say('widgets.embedding.nearest', token=token)}</b>"
            f"<table><tr><th>{say('widgets.embedding.token')}</th>"
            f"<th>{say('widgets.embedding.cosine')}</th></tr>{rows}</table>"
        )
        self.show_figure()

    def fallback_html(self) -> str:
        return self.table.value


def embedding_map(
    model: Any = None,
    tokenizer: Any = None,
    *,
    embeddings: Any = None,
    labels: Any = None,
    token: str | int = 0,
    k: int = 5,
) -> EmbeddingMap:
    """A 2-D PCA map of token embeddings; pick a token to see its nearest neighbours (cosine).

    Pass a model and its tokenizer, or an embeddings array (V, C) with labels (V,). token is
    an id or the text of one token. The 2-D picture loses information; the neighbours are
    computed in all C dimensions.

    Example: w = embedding_map(model, tokenizer, token="a"); w.neighbours
    """
    if embeddings is None:
        if model is None or tokenizer is None:
            raise ValueError(say("widgets.embedding.no_model"))
        embeddings = embedding_matrix(model)
        text = getattr(tokenizer, "token_text", None)
        labels = [text(i) if text else tokenizer.decode([i]) for i in range(len(embeddings))]
    embeddings = np.asarray(embeddings, dtype=np.float64)
    if embeddings.ndim != 2 or embeddings.shape[0] < 2:
        raise ValueError(say("widgets.embedding.bad_shape", shape=embeddings.shape))
    broken = np.flatnonzero(~np.isfinite(embeddings).all(axis=1))
    if broken.size:
        raise ValueError(
            say("widgets.embedding.broken", n=broken.size, total=len(embeddings), first=broken[0])
        )
    labels = [str(i) for i in range(len(embeddings))] if labels is None else list(labels)
    if len(labels) != len(embeddings):
        raise ValueError(say("widgets.embedding.label_count", n=len(embeddings), got=len(labels)))
    if isinstance(token, str):
        if token not in labels:
            raise ValueError(say("widgets.embedding.unknown_token", token=repr(token)))
        token = labels.index(token)
    if not 0 <= token < len(labels):
        raise ValueError(say("widgets.embedding.bad_id", n=len(labels), value=token))
    return EmbeddingMap(embeddings, labels, token, k)
