"""Build the course website from the saved notebooks, then check every link and picture in it.

    python site/build.py              # build into site/_build/html (from nothing), then check
    python site/build.py --check      # only check an existing build
    python -m http.server -d site/_build/html 8000    # preview at http://localhost:8000

Sphinx (settings in site/conf.py) turns README.md, notebooks/*.ipynb and exercises/*.ipynb into
HTML pages, warnings are errors (-W), and then every page is read back: each local link, picture,
stylesheet and script must point to a file of the build, and each #anchor to an id on its page.
A problem is named with its page and exits 1, so CI fails on a broken link or a missing image.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).resolve().parent
OUT = SITE / "_build"
HTML = OUT / "html"
# (tag, attribute) pairs that make the browser fetch or go to a URL
FETCHED = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
           ("source", "src"), ("iframe", "src"), ("video", "src"), ("audio", "src")}  # fmt: skip


class _Page(HTMLParser):
    """The URLs a page refers to, and the ids it defines (anchors other pages can link to)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            elif (tag, name) in FETCHED:
                self.urls.append((tag, value))


def _read(page: Path) -> _Page:
    parsed = _Page()
    parsed.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parsed


def _pages(html_dir: Path) -> list[Path]:
    """The site's pages: every .html file but the theme's template fragments in _static/."""
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts)


def problems(html_dir: Path) -> list[str]:
    """Every local link or picture in `html_dir` that points nowhere, as one sentence each.

    External URLs (http, https, mailto, data: pictures) are left alone: the check runs offline.
    Example: an <img src="_images/a.png"> with no such file ->
    "notebooks/01_x.html: <img> points to _images/a.png, which is not in the build"
    """
    html_dir = html_dir.resolve()
    pages = {p: _read(p) for p in _pages(html_dir)}
    if not pages:
        return [f"{html_dir} holds no HTML page: build the site first (python site/build.py)"]
    found = []
    for page, parsed in pages.items():
        name = page.relative_to(html_dir).as_posix()
        base = f"file://{page.as_posix()}"
        for tag, url in parsed.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith("//"):
                continue  # http(s), mailto, data:, javascript: ... not ours to check offline
            if not parts.path:
                if parts.fragment and parts.fragment not in parsed.ids:
                    found.append(f"{name}: <{tag}> points to #{parts.fragment}, no such anchor")
                continue
            target = Path(unquote(urlsplit(urljoin(base, parts.path)).path))
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(html_dir):
                found.append(f"{name}: <{tag}> points to {url}, outside the site")
            elif not target.is_file():
                found.append(f"{name}: <{tag}> points to {url}, which is not in the build")
            elif parts.fragment and target in pages and parts.fragment not in pages[target].ids:
                found.append(f"{name}: <{tag}> points to {url}, but that page has no such anchor")
    return found


def build(out: Path = OUT) -> Path:
    """Build the site into `out`/html from nothing (Sphinx, warnings as errors); return it."""
    from sphinx.cmd.build import build_main

    shutil.rmtree(out, ignore_errors=True)
    html = out / "html"
    args = ["-b", "html", "-c", str(SITE), "-d", str(out / "doctrees"), "-W", "--keep-going"]
    code = build_main([*args, "-q", str(ROOT), str(html)])
    if code != 0:
        raise SystemExit(f"sphinx-build failed (exit {code}): see its warnings above")
    # the README is the home page; a copy as index.html is what a web server serves for "/"
    shutil.copy(html / "README.html", html / "index.html")
    return html


def size(folder: Path) -> int:
    """Bytes of all files under `folder`."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check an existing build")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    html = HTML if args.check else build()
    seconds = time.perf_counter() - start
    found = problems(html)
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print(f"{len(found)} broken link(s) or missing picture(s) in {html}", file=sys.stderr)
        return 1
    pages = len(_pages(html))
    where = html.relative_to(ROOT) if html.is_relative_to(ROOT) else html
    print(f"site: {pages} pages, {size(html) / 1e6:.1f} MB in {where}, built in {seconds:.0f} s;")
    print(f"every local link and picture resolves. Preview: python -m http.server -d {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
