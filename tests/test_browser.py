"""The course as a learner meets it: JupyterLab in a real headless Chromium.

Starts JupyterLab on localhost over a copy of two lessons, runs every cell from the Run menu,
moves the Venn explorer's and the temperature explorer's sliders with the keyboard and the
mouse, and checks that the numbers on the page follow and that no cell shows an error.
Screenshots are saved under artifacts/browser/ (or $LLMLAB_ARTIFACTS) for CI to keep.

Chromium is Debian's (`apt-get install chromium`, done by .ci/run); Playwright drives it through
`executable_path`, so no browser is ever downloaded.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("LLMLAB_ARTIFACTS", ROOT / "artifacts" / "browser"))
TOKEN = "llmlab-browser-test"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on localhost serving a scratch copy of lessons 01 and 03."""
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: run  apt-get install chromium  (see .ci/run)")
    work = tmp_path_factory.mktemp("lab")
    for name in ("01_probability.ipynb", "03_sampling.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, work / name)
    # Render every cell, not only those in view, so widgets far down the page are in the DOM.
    settings = work / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    tracker = {"windowingMode": "none", "autoStartDefaultKernel": True}
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps(tracker))
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(work / ".settings"),
        JUPYTER_RUNTIME_DIR=str(work / ".runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(work / ".workspaces"),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
    )
    port = _free_port()
    log = open(work / "lab.log", "w")
    server = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
            f"--port={port}", "--ip=127.0.0.1", f"--ServerApp.token={TOKEN}",
            f"--ServerApp.root_dir={work}", "--LabApp.news_url=", "--ServerApp.open_browser=False",
        ],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail(f"JupyterLab did not start:\n{(work / 'lab.log').read_text()[-3000:]}")
            time.sleep(0.5)
    yield url
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# The input prompts ("[3]:", "[*]:") of the notebook on screen, not of tabs hidden behind it.
PROMPTS = (
    "[...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell"
    " .jp-InputPrompt')]"
)


def _menu(page, menu: str, item: str) -> None:
    """Click a JupyterLab menu item as a person would: the menu, then the item."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{menu}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


def _open_and_run_all(browser, lab: str, notebook: str):
    """Open a notebook, run all cells from the Run menu, wait until every cell has run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        return _run_all(page, lab, notebook)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / f"{Path(notebook).stem}_failed.png"), full_page=True)
        raise


def _run_all(page, lab: str, notebook: str):
    page.set_default_timeout(60_000)
    # ?reset: a fresh workspace, so only this notebook is open (no tabs restored from before)
    page.goto(f"{lab}/lab/tree/{notebook}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    # a fresh workspace may still ask which kernel to start: take the notebook's own
    select = page.locator(".jp-Dialog button", has_text=re.compile(r"^Select$"))
    try:
        select.wait_for(timeout=5_000)
        select.click()
    except Exception:  # no dialog came: the kernel started on its own
        pass
    # wait for the kernel to be ready before running
    page.wait_for_function(
        "() => { const s = document.querySelector('.jp-Notebook-ExecutionIndicator');"
        " return s && s.getAttribute('data-status') === 'idle'; }",
        timeout=120_000,
    )
    _menu(page, "Run", "Run All Cells")
    # Run All queues every cell ("[*]"), so seeing one queued proves the run has started; the
    # saved execution counts would otherwise make the notebook look finished before it ran.
    queued = f"() => {PROMPTS}.some(p => p.textContent.includes('*'))"
    page.wait_for_function(queued, timeout=30_000)
    # every code cell gets an execution count; none is left waiting ("[*]" or "[ ]")
    page.wait_for_function(
        f"() => {{ const ps = {PROMPTS}; return ps.length > 0"
        " && ps.every(p => /\\[\\d+\\]/.test(p.textContent)); }",
        timeout=480_000,
    )
    page.wait_for_function(
        "() => document.querySelector('.jp-Notebook-ExecutionIndicator')"
        ".getAttribute('data-status') === 'idle'"
    )
    page.wait_for_timeout(1500)  # let widget views finish rendering
    return page


def _assert_no_error_output(page, name: str) -> None:
    texts = page.locator(".jp-OutputArea-output").all_inner_texts()
    errors = [t for t in texts if "Traceback (most recent call last)" in t or re.search(
        r"^\w*(Error|Exception)\b.*Traceback", t, re.S)]  # fmt: skip
    assert errors == [], f"{name}: a cell shows an error:\n{errors[0][:2000]}"


def _slider(page, label: str):
    """The slider whose description is exactly `label` (ipywidgets 7 or 8 markup)."""
    box = page.locator(".widget-slider", has=page.locator(".widget-label", has_text=re.compile(
        rf"^\s*{re.escape(label)}\s*$"))).first  # fmt: skip
    box.scroll_into_view_if_needed()
    return box


def _readout(box) -> str:
    return box.locator(".widget-readout").inner_text().strip()


def _handle(box):
    return box.locator(".noUi-handle, .ui-slider-handle").first


def test_venn_explorer_in_lesson_01_follows_its_sliders(lab, browser):
    page = _open_and_run_all(browser, lab, "01_probability.ipynb")
    _assert_no_error_output(page, "01_probability")
    both = _slider(page, "both")
    table = page.locator(".widget-html", has_text="P(A∣B)").first
    assert _readout(both) == "3"
    assert "3/8" in table.inner_text(), "the Venn explorer must start at P(A∣B) = 3/8"
    page.screenshot(path=str(ARTIFACTS / "01_venn_start.png"), full_page=False)

    # a person presses the right arrow on the focused handle: both 3 -> 4, so P(A∣B) = 4/9
    _handle(both).focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "el => el.innerText.includes('4/9')", arg=table.element_handle(), timeout=10_000
    )
    assert _readout(both) == "4"
    # and drags the "neither" handle to the right with the mouse: the total grows
    neither = _slider(page, "neither")
    before = _readout(neither)
    handle = _handle(neither).bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(handle["x"] + 60, handle["y"] + handle["height"] / 2, steps=8)
    page.mouse.up()
    page.wait_for_timeout(1000)
    after = _readout(neither)
    assert int(after) > int(before), f"dragging 'neither' right must raise it ({before} -> {after})"
    total = 4 + 5 + 4 + int(after)
    assert f"{total} people" in table.inner_text(), f"the table must say {total} people"
    page.screenshot(path=str(ARTIFACTS / "01_venn_moved.png"), full_page=False)
    _assert_no_error_output(page, "01_probability after moving sliders")
    page.close()


def test_temperature_explorer_in_lesson_03_follows_its_slider(lab, browser):
    page = _open_and_run_all(browser, lab, "03_sampling.ipynb")
    _assert_no_error_output(page, "03_sampling")
    temperature = _slider(page, "temperature")
    readout = page.locator(".widget-html", has_text=re.compile(r"entropy [\d.]+ nats")).first
    start = readout.inner_text()
    match = re.search(r"entropy ([\d.]+) nats", start)
    assert match, f"the explorer must show the entropy, got {start!r}"
    page.screenshot(path=str(ARTIFACTS / "03_temperature_start.png"), full_page=False)

    # press Home: temperature 0 = greedy, so the entropy falls to 0.00
    _handle(temperature).focus()
    page.keyboard.press("Home")
    page.wait_for_function(
        "el => /entropy 0\\.00 nats/.test(el.innerText)",
        arg=readout.element_handle(),
        timeout=10_000,
    )
    assert float(_readout(temperature)) == 0.0
    page.screenshot(path=str(ARTIFACTS / "03_temperature_greedy.png"), full_page=False)
    _assert_no_error_output(page, "03_sampling after moving the slider")
    page.close()
