"""Where am I running? The device JAX will use and a check of the library versions.

Every notebook's first cell calls `report()`, so a learner sees at once whether they are on a
CPU, a GPU or a TPU, and gets one sentence telling them how to fix a version that is too old.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from llmlab.i18n import language, say

# The oldest versions the course is tested with: what Colab preinstalls.
MINIMUM_VERSIONS: dict[str, str] = {
    "jax": "0.7.2",
    "flax": "0.11.2",
    "optax": "0.2.8",
    "ipywidgets": "7.7",
    "numpy": "1.26",
    "matplotlib": "3.8",
}


def _as_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
        if not piece.isdigit():
            break
    return tuple(parts)


def installed_version(package: str) -> str | None:
    """The installed version of `package`, or None when it is not installed."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def version_problems(versions: dict[str, str | None] | None = None) -> list[str]:
    """One sentence per package that is missing or older than the course needs.

    Example: version_problems({"jax": "0.4.30"}) ->
        ["jax 0.4.30 is older than 0.7.2: run  pip install -U 'jax>=0.7.2'  and restart"]
    """
    if versions is None:
        versions = {name: installed_version(name) for name in MINIMUM_VERSIONS}
    problems = []
    for name, found in versions.items():
        need = MINIMUM_VERSIONS.get(name)
        if need is None:
            continue
        if found is None:
            problems.append(say("environment.missing", name=name, need=need))
        elif _as_tuple(found) < _as_tuple(need):
            problems.append(say("environment.too_old", name=name, found=found, need=need))
    return problems


@dataclass(frozen=True)
class DeviceInfo:
    """The accelerator JAX picked: platform is "cpu", "gpu" or "tpu"."""

    platform: str
    count: int
    kind: str

    @property
    def is_accelerator(self) -> bool:
        return self.platform in ("gpu", "tpu")


def device_info() -> DeviceInfo:
    """What JAX runs on: its default platform, how many devices, and the first one's kind."""
    import jax

    devices = jax.devices()
    return DeviceInfo(devices[0].platform, len(devices), devices[0].device_kind)


def report() -> str:
    """A two-line summary (device, then versions) for a notebook's first cell; also printed."""
    info = device_info()
    names = ["llmlab", *MINIMUM_VERSIONS]
    versions = " · ".join(f"{n} {installed_version(n) or 'missing'}" for n in names)
    plural = ("s" if info.count > 1 else "") if language() == "en" else ""
    device = say(
        "environment.device",
        platform=info.platform.upper(),
        count=info.count,
        plural=plural,
        kind=info.kind,
    )
    lines = [device, versions]
    problems = version_problems()
    lines += [f"⚠ {p}" for p in problems] if problems else [say("environment.versions_ok")]
    text = "\n".join(lines)
    print(text)
    return text
