"""What the calculator tool answers when it cannot compute (llmlab.tools.calculator)."""

MESSAGES = {
    "tools.empty": {
        "en": "calculator error: the expression is empty",
        "zh": "计算器错误：算式是空的",
    },
    "tools.too_long": {
        "en": "calculator error: the expression has {length} characters, at most {limit} "
        "are allowed",
        "zh": "计算器错误：算式有 {length} 个字符，最多只能有 {limit} 个",
    },
    "tools.bad_char": {
        "en": "calculator error: {char!r} at position {pos} is not allowed; only digits, "
        "+ - * and parentheses are",
        "zh": "计算器错误：第 {pos} 个位置上的 {char!r} 不允许出现；只能用数字、+ - * 和括号",
    },
    "tools.unexpected": {
        "en": "calculator error: expected {expected} at position {pos}, found {found}",
        "zh": "计算器错误：第 {pos} 个位置上应当是{expected}，却是{found}",
    },
    "tools.too_deep": {
        "en": "calculator error: more than {limit} nested parentheses or signs",
        "zh": "计算器错误：括号或正负号嵌套超过了 {limit} 层",
    },
    "tools.too_big": {
        "en": "calculator error: a number grew past {limit} digits",
        "zh": "计算器错误：有一个数超过了 {limit} 位",
    },
    "tools.no_open": {
        "en": "calculator error: {close} closes a call that {open} never opened",
        "zh": "计算器错误：{close} 之前没有与之配对的 {open}",
    },
    "tools.what_number": {"en": "a number or '('", "zh": "一个数或“(”"},
    "tools.what_operator": {"en": "an operator or the end", "zh": "运算符或算式结尾"},
    "tools.what_close": {"en": "')'", "zh": "“)”"},
    "tools.the_end": {"en": "the end", "zh": "算式结尾"},
}
