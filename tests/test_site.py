"""The course website (site/): its link checker, its pages, and two pages in a real browser.

The checker and the language switch are tested on small made-up inputs everywhere. Tests
marked `site` read the site that `make site` built into site/_build/html (`make test-site` builds
it, then runs them); those marked `browser` as well open it in Debian's headless Chromium and
save screenshots under artifacts/browser/ (or $LLMLAB_ARTIFACTS).
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import re
import threading
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def _load(path: Path, name: str):
    """A module from a file (site/ is no package, and `site` is a standard-library name)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load(ROOT / "site" / "build.py", "llmlab_site_build")
conf = _load(ROOT / "site" / "conf.py", "llmlab_site_conf")
lessons = _load(ROOT / "lessons" / "build.py", "llmlab_lessons_build")


# --- the checker, on made-up sites -----------------------------------------------------------


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_the_checker_accepts_a_site_whose_links_and_pictures_all_resolve(tmp_path):
    site = _write(tmp_path, {
        "index.html": '<a href="lessons/a.html#start">a</a><a href="#top">top</a><p id="top">'
                      '<a href="https://example.org/x">out</a><img src="data:image/png;base64,AA">',
        "lessons/a.html": '<h1 id="start">A</h1><img src="../_images/a.png"><a href="../">home</a>'
                          '<link href="../_static/s.css?v=1" rel="stylesheet">',
        "_images/a.png": "png", "_static/s.css": "css",
    })  # fmt: skip
    assert build.problems(site) == [], "every link and picture here resolves"


def test_the_checker_names_a_missing_picture_and_a_broken_link_with_their_page(tmp_path):
    site = _write(tmp_path, {
        "index.html": '<a href="lessons/gone.html">gone</a>',
        "lessons/a.html": '<img src="../_images/missing.png">',
    })  # fmt: skip
    found = build.problems(site)
    assert found == [
        "index.html: <a> points to lessons/gone.html, which is not in the build",
        "lessons/a.html: <img> points to ../_images/missing.png, which is not in the build",
    ], f"both problems must be named with their page, got {found}"


def test_the_checker_names_a_missing_anchor_and_a_link_out_of_the_site(tmp_path):
    site = _write(tmp_path, {
        "index.html": '<a href="a.html#nowhere">x</a><a href="#none">y</a>'
                      '<script src="../outside.js"></script>',
        "a.html": '<h1 id="somewhere">A</h1>',
    })  # fmt: skip
    found = build.problems(site)
    assert len(found) == 3, f"expected three problems, got {found}"
    assert "no such anchor" in found[0] and "#none" in found[1] and "outside" in found[2]


def test_the_checker_refuses_an_empty_build(tmp_path):
    assert "holds no HTML page" in build.problems(tmp_path)[0]


def test_the_language_switch_pairs_a_page_with_its_twin_under_zh():
    docs = {"notebooks/01_p", "notebooks/zh/01_p", "notebooks/02_t"}
    assert conf.twin("notebooks/01_p", docs) == ("notebooks/zh/01_p", "中文")
    assert conf.twin("notebooks/zh/01_p", docs) == ("notebooks/01_p", "English")
    assert conf.twin("notebooks/02_t", docs) is None, "no switch to a page that does not exist"


def test_readme_links_to_source_files_go_to_github_and_lesson_links_stay_pages():
    repo = conf.REPOSITORY
    assert conf._web_link("notebooks/03_sampling.ipynb") == "notebooks/03_sampling.ipynb"
    assert conf._web_link("exercises/") == "exercises/README.md"
    assert conf._web_link("llmlab/loss.py") == f"{repo}/blob/main/llmlab/loss.py"
    assert conf._web_link("llmlab/widgets/") == f"{repo}/tree/main/llmlab/widgets"


# --- the built site (make site) --------------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> Path:
    """site/_build/html, built by `make site` no earlier than its newest source."""
    html = build.HTML
    if not (html / "index.html").is_file():
        pytest.fail(f"no site in {html}: build it with  make site  (or make test-site)")
    sources = [ROOT / "README.md", *NOTEBOOKS, *EXERCISES, *(ROOT / "site").glob("*.py")]
    newest = max(sources, key=lambda p: p.stat().st_mtime)
    if newest.stat().st_mtime > (html / "index.html").stat().st_mtime:
        pytest.fail(f"the site is older than {newest.relative_to(ROOT)}: run  make site  again")
    return html


def _pictures(notebook: Path) -> int:
    """How many outputs of a saved notebook are pictures (a PNG, or HTML holding an <img>)."""
    nb = nbformat.read(notebook, as_version=4)
    outputs = [o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])]
    return sum("image/png" in d or "<img" in d.get("text/html", "") for d in outputs)


@pytest.mark.site
def test_the_built_site_has_no_broken_link_or_missing_picture(site):
    assert build.problems(site) == [], "site/build.py's check must pass on the built site"


@pytest.mark.site
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_lesson_page_shows_every_picture_its_notebook_saved(site, notebook):
    page = (site / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
    outputs = page[page.index('<article class="bd-article">') :]
    shown = len(re.findall(r'<img [^>]*src="(?:data:image/png|\.\./_images/)', outputs))
    assert shown >= _pictures(notebook), (
        f"{notebook.name} saved {_pictures(notebook)} pictures, its page shows {shown}"
    )
    assert WIDGET not in page, f"{notebook.stem}.html shows an empty widget instead of its picture"


@pytest.mark.site
@pytest.mark.parametrize("notebook", EXERCISES, ids=lambda p: p.stem)
def test_every_exercise_is_a_page_with_its_colab_badge(site, notebook):
    page = site / "exercises" / f"{notebook.stem}.html"
    assert page.is_file(), f"exercise {notebook.name} has no page"
    badge = f'href="{lessons.colab_url(notebook)}"'
    assert badge in page.read_text(encoding="utf-8"), f"{page.name} lacks its Colab badge"


# --- two pages in a real browser -------------------------------------------------------------


@pytest.fixture(scope="module")
def server(site):
    """The built site over HTTP on localhost, as a static host would serve it."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright
    from test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: run  apt-get install chromium  (see .ci/run)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1300, "height": 1000})
        # offline: only the local site loads (the Colab badge's SVG lives on the web)
        tab.route(re.compile(r"^(?!http://127\.0\.0\.1:)"), lambda route: route.abort())
        yield tab
        browser.close()


# every picture on the page that has finished loading without a picture to show
BROKEN_IMAGES = """() => [...document.querySelectorAll('article img')]
    .filter(img => !/^https?:/.test(img.getAttribute('src')) || img.src.includes('127.0.0.1'))
    .filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.src.slice(0, 80))"""
VISIBLE_IMAGES = """() => [...document.querySelectorAll('article img')]
    .filter(img => img.naturalWidth > 0 && img.getBoundingClientRect().width > 50).length"""


@pytest.mark.site
@pytest.mark.browser
def test_a_lesson_page_in_chromium_shows_its_text_plots_and_widget_pictures(server, page):
    from test_browser import ARTIFACTS

    notebook = ROOT / "notebooks" / "03_sampling.ipynb"
    page.goto(f"{server}/notebooks/03_sampling.html", wait_until="load")
    title = page.locator("article h1").first.inner_text()
    assert "Softmax, temperature and sampling" in title, f"the lesson title is missing: {title!r}"
    text = page.locator("article").inner_text()
    assert "logit" in text and "temperature" in text, "the lesson's prose must be on the page"
    assert page.evaluate(BROKEN_IMAGES) == [], "every picture of the page must load"
    shown, saved = page.evaluate(VISIBLE_IMAGES), _pictures(notebook)
    assert shown >= saved, f"the page shows {shown} pictures, the notebook saved {saved}"
    # the temperature explorer's static picture comes with its readout
    assert re.search(r"entropy [\d.]+ nats", text), "the temperature explorer's readout is missing"
    page.screenshot(path=str(ARTIFACTS / "site_03_sampling.png"), full_page=True)


@pytest.mark.site
@pytest.mark.browser
def test_the_home_page_in_chromium_is_the_readme_and_leads_to_the_lessons(server, page):
    from test_browser import ARTIFACTS

    page.goto(f"{server}/", wait_until="load")
    heading = page.locator("article h1").first.inner_text()
    assert heading.startswith("llmlab"), f"the home page must be the README, got {heading!r}"
    page.screenshot(path=str(ARTIFACTS / "site_home.png"), full_page=False)
    page.locator("article a", has_text="Conditional probability").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/notebooks/01_probability.html"), f"went to {page.url}"
    assert "P(A∣B)" in page.locator("article").inner_text(), "lesson 01's text must show"
    assert page.evaluate(BROKEN_IMAGES) == [], "every picture of lesson 01 must load"
    assert page.evaluate(VISIBLE_IMAGES) >= _pictures(ROOT / "notebooks" / "01_probability.ipynb")
    page.screenshot(path=str(ARTIFACTS / "site_01_probability.png"), full_page=True)
