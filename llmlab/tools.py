"""Tools for a language model: a calculator the model calls with special tokens.

A tool call is the text `<|calc|>EXPR<|/calc|>`; both markers are special tokens (add them
with `llmlab.tokenizer.extend.add_tokens(tokenizer, text, TOOL_TOKENS)`), so no digit or
sign the model writes can be mistaken for one. The program, not the model, evaluates EXPR
and appends `=RESULT` right after the closing marker; the model then carries on:

    3+4*5=<|calc|>3+4*5<|/calc|>=23 ...
                                ^^^ written by the program, never by the model
"""

from __future__ import annotations

CALL_OPEN = "<|calc|>"
CALL_CLOSE = "<|/calc|>"
RESULT_PREFIX = "="
TOOL_TOKENS = (CALL_OPEN, CALL_CLOSE)
