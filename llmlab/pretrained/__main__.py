"""`python -m llmlab.pretrained build [name ...]`: retrain the shipped models (see build.py)."""

import sys

from llmlab.pretrained.build import main

if len(sys.argv) < 2 or sys.argv[1] != "build":
    raise SystemExit(
        "usage: python -m llmlab.pretrained build [name ...]   "
        "(names: shakespeare, tang, tang_base, tang_chat, add_direct, add_scratch, add_tool, "
        "follow; "
        "none: all, in that order)"
    )
main(sys.argv[2:])
