"""Sphinx settings for the course website: `make site` (see site/build.py), never by hand.

The source directory is the repository root, so the site is made of the very files a learner
opens on GitHub: README.md is the home page, notebooks/*.ipynb the lessons (with the outputs
saved by lessons/build.py; nothing is executed here), exercises/*.ipynb the exercises, and
their Chinese twins under zh/ when they exist. Two small hooks below adapt the README to the
web (a table of contents, links to source files go to GitHub) and add a language switch.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
with open(ROOT / "pyproject.toml", "rb") as _f:
    _project = tomllib.load(_f)["project"]
REPOSITORY = _project["urls"]["Repository"].rstrip("/")
BRANCH = "main"

project = "llmlab"
author = "llmlab authors"
copyright = "llmlab authors"
release = _project["version"]
language = "en"

extensions = ["myst_nb"]
root_doc = "README"
include_patterns = [
    "README.md",
    "notebooks/*.ipynb",
    "notebooks/zh/*.ipynb",
    "exercises/README.md",
    "exercises/*.ipynb",
    "exercises/zh/*.ipynb",
]
# never walk into environments or build output looking for sources
exclude_patterns = [".*", "build", "dist", "site/_build", "**/.ipynb_checkpoints"]

# The notebooks are shown as saved: lessons/build.py ran them, the site never does.
nb_execution_mode = "off"
# A saved widget has no state to render on a web page; its mimebundle also carries the static
# picture (PNG, or HTML with the PNG inside: llmlab/widgets/panel.py), and that is what we show.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}  # so no page loads require.js or the widget manager from a CDN
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = "llmlab"
html_static_path = ["_static"]
html_css_files = ["llmlab.css"]
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": BRANCH,
    "use_repository_button": True,
    "use_download_button": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
html_show_sourcelink = False
html_copy_source = True  # the theme's download button offers each page's .ipynb

LESSON_LINK = re.compile(r"^(?:\./)?(notebooks|exercises)/[^/]+\.(?:ipynb|md)$")
LINK = re.compile(r"\]\((?!https?://|mailto:|#)([^)\s]+)\)")


def _web_link(target: str) -> str:
    """Where a README link points on the site: a page for lessons, GitHub for other files."""
    if LESSON_LINK.match(target):
        return target
    if target.rstrip("/") == "exercises":
        return "exercises/README.md"
    path = (ROOT / target).resolve()
    kind = "tree" if path.is_dir() else "blob"
    return f"{REPOSITORY}/{kind}/{BRANCH}/{target.rstrip('/')}"


def _toctree(caption: str, pattern: str) -> str:
    return f"\n\n```{{toctree}}\n:hidden:\n:glob:\n:caption: {caption}\n\n{pattern}\n```\n"


def adapt_readme(app, docname: str, source: list[str]) -> None:
    """Give the home page the site's table of contents and send source-file links to GitHub."""
    if docname != root_doc:
        return
    text = LINK.sub(lambda m: f"]({_web_link(m.group(1))})", source[0])
    text += _toctree("Lessons", "notebooks/[0-9]*")
    text += _toctree("Exercises", "exercises/README\nexercises/[0-9]*")
    if any((ROOT / "notebooks" / "zh").glob("*.ipynb")):
        text += _toctree("中文版 · 课程", "notebooks/zh/[0-9]*")
    if any((ROOT / "exercises" / "zh").glob("*.ipynb")):
        text += _toctree("中文版 · 练习", "exercises/zh/[0-9]*")
    source[0] = text


def twin(docname: str, found: set[str]) -> tuple[str, str] | None:
    """The other edition of a page, and the name of its language: ("notebooks/zh/01_x", "中文").

    Example: twin("notebooks/01_x", {"notebooks/zh/01_x"}) -> ("notebooks/zh/01_x", "中文")
    """
    folder, name = posixpath.split(docname)
    if posixpath.basename(folder) == "zh":
        other, label = posixpath.join(posixpath.dirname(folder), name), "English"
    else:
        other, label = posixpath.join(folder, "zh", name), "中文"
    return (other, label) if other in found else None


def language_switch(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Put a link to the same page in the other language at the top of the page."""
    other = twin(pagename, set(app.env.found_docs))
    if other is None or "body" not in context:
        return
    href = app.builder.get_relative_uri(pagename, other[0])
    lang = "en" if other[1] == "English" else "zh"
    switch = f'<p class="llmlab-language"><a href="{href}" hreflang="{lang}">{other[1]}</a></p>'
    context["body"] = switch + context["body"]


def setup(app):
    app.connect("source-read", adapt_readme)
    app.connect("html-page-context", language_switch)
