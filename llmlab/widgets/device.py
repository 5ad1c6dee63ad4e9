"""Device and version check (lesson 00): where JAX runs and which versions are installed."""

from __future__ import annotations

import html
import platform
import sys

from IPython.display import HTML

from llmlab.environment import MINIMUM_VERSIONS, device_info, installed_version, version_problems
from llmlab.i18n import say


def device_check() -> HTML:
    """An HTML table: JAX's devices and platform, Python, the OS, and the library versions.

    Static HTML (not a live widget), so it reads the same on GitHub, nbviewer and Colab.
    Versions older than the course needs are listed in red, each with the command that fixes it.

    Example: device_check()  # Device: CPU (1 device: cpu) ...
    """
    import jax

    info = device_info()
    devices = ", ".join(str(d) for d in jax.devices())
    rows = [
        (say("widgets.device.device"), f"{info.platform.upper()} ({info.count} × {info.kind})"),
        ("jax.devices()", devices),
        (say("widgets.device.backend"), jax.default_backend()),
        ("Python", sys.version.split()[0]),
        (
            say("widgets.device.system"),
            f"{platform.system()} {platform.release()} ({platform.machine()})",
        ),
    ]
    missing = say("widgets.device.missing")
    rows += [(name, installed_version(name) or missing) for name in ["llmlab", *MINIMUM_VERSIONS]]
    body = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    problems = version_problems()
    notes = (
        "".join(f'<div style="color:#b00020">⚠ {html.escape(p)}</div>' for p in problems)
        if problems
        else f'<div style="color:#2b8a3e">✔ {html.escape(say("environment.versions_ok"))}</div>'
    )
    accelerator = say("widgets.device.accelerator" if info.is_accelerator else "widgets.device.cpu")
    return HTML(f"<table>{body}</table>{notes}<div>{accelerator}</div>")
