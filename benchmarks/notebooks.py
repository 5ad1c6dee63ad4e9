"""How long each course notebook takes to run top to bottom (the budget: < 3 min on a laptop CPU).

    python benchmarks/notebooks.py                   # every notebook in notebooks/
    python benchmarks/notebooks.py 00 03 --json      # only names starting with 00 or 03, as JSON
    -> {"device": "cpu", "notebooks": {"00_welcome": {"seconds": 41.2, "ok": true}, ...}}

Each notebook runs in a fresh kernel, from the notebooks/ folder (as in JupyterLab), exactly as
stored; nothing is written back. Seconds are wall-clock time from the first cell to the last,
kernel start-up excluded. A notebook whose cell raises is reported with ok = false and the
error's first line, and the script exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def run_notebook(path: Path, timeout: int) -> dict:
    """Execute one notebook in a fresh kernel; return its seconds, ok flag and first error line."""
    nb = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources=resources)
    with client.setup_kernel():
        start = time.perf_counter()
        error = None
        try:
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
        except CellExecutionError as exc:
            plain = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # drop the traceback's colours
            lines = [line for line in plain.splitlines() if line.strip()]
            error = lines[-1] if lines else type(exc).__name__
        seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 1), "ok": error is None, "error": error}


def device_platform() -> str:
    """The platform JAX would use here ("cpu", "gpu" or "tpu"), as the notebooks see it."""
    import jax

    return jax.devices()[0].platform


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="only notebooks whose name starts so")
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell")
    args = parser.parse_args(argv)

    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.prefixes:
        paths = [p for p in paths if p.name.startswith(tuple(args.prefixes))]
    if not paths:
        print(f"no notebook in {NOTEBOOKS} matched {args.prefixes}", file=sys.stderr)
        return 1

    results = {}
    for path in paths:
        result = run_notebook(path, args.timeout)
        results[path.stem] = result
        if not args.json:
            status = "ok" if result["ok"] else f"FAILED: {result['error']}"
            print(f"{path.stem:24s} {result['seconds']:7.1f} s  {status}", flush=True)
    if args.json:
        print(json.dumps({"device": device_platform(), "notebooks": results}, indent=2))
    else:
        print(f"{'total':24s} {sum(r['seconds'] for r in results.values()):7.1f} s")
    return 0 if all(r["ok"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
