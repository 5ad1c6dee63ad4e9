"""The checks of lessons 01-02 (llmlab/grading/probability, tokens): names, inputs
("check.*.when_*" finish a sentence) and planted mistakes, as in checks_basics.py."""

MESSAGES = {
    # 01 probability
    "check.probability.when_venn": {
        "en": "for only_a={only_a}, only_b={only_b}, both={both}, neither={neither}",
        "zh": "对于 only_a={only_a}、only_b={only_b}、both={both}、neither={neither}",
    },
    "check.probability.not_number": {
        "en": "your function returned a {kind}, not a number, {when}.",
        "zh": "{when}，你的函数返回了 {kind}，不是一个数。",
    },
    "check.probability.b_given_a": {
        "en": "you computed P(B∣A) = {value} {when}: P(A∣B) divides by "
        "the people who like B, not by those who like A.",
        "zh": "{when}，你算的是 P(B∣A) = {value}：P(A∣B) 要除以喜欢 B 的人数，"
        "而不是喜欢 A 的人数。",
    },
    "check.probability.a_and_b": {
        "en": "you computed P(A∩B) = {value} {when}: divide by the people who "
        "like B, not by everybody.",
        "zh": "{when}，你算的是 P(A∩B) = {value}：要除以喜欢 B 的人数，而不是所有人。",
    },
    "check.probability.when_ids": {
        "en": "for {n} ids and vocab_size={V}",
        "zh": "对于 {n} 个 id、vocab_size={V}",
    },
    "check.probability.transposed": {
        "en": "your counts are transposed {when}: counts[a, b] must count a followed by b.",
        "zh": "{when}，你的计数表转置了：counts[a, b] 要数的是 a 后面紧跟 b 的次数。",
    },
    "check.probability.one_too_many": {
        "en": "your counts add up to {n} {when}, but a sequence of {n} ids has "
        "only {pairs} neighbouring pairs: the last id has no next id.",
        "zh": "{when}，你的计数加起来是 {n}，但 {n} 个 id 的序列只有 {pairs} 对相邻的 id："
        "最后一个 id 后面没有下一个。",
    },
    "check.probability.when_single": {"en": "for a single token", "zh": "对于只有一个词元的序列"},
    "check.probability.when_single_no_pairs": {
        "en": "for a single token (no pairs)",
        "zh": "对于只有一个词元的序列（没有相邻的一对）",
    },
    "check.probability.when_table": {
        "en": "for a ({V}, {V}) count table",
        "zh": "对于 ({V}, {V}) 的计数表",
    },
    "check.probability.table_sums_to_1": {
        "en": "your whole table sums to 1 but its rows do not {when}: divide each row by "
        "its own sum, because each row is P(next ∣ this token).",
        "zh": "{when}，你让整张表加起来等于 1，但每一行并不等于 1：每一行要除以它自己的和，"
        "因为每一行是 P(下一个 ∣ 这个词元)。",
    },
    "check.probability.columns": {
        "en": "your columns sum to 1 instead of your rows {when}: use axis=-1.",
        "zh": "{when}，加起来等于 1 的是你的列而不是行：请用 axis=-1。",
    },
    "check.probability.when_zero_row": {
        "en": "when a row of the count table is all zeros",
        "zh": "当计数表有一整行都是 0 时",
    },
    "check.probability.zero_row_nan": {
        "en": "your probabilities contain NaN {when} (0 / 0): give such a row the uniform "
        "distribution instead.",
        "zh": "{when}，你的概率里有 NaN（0 / 0）：这样的行应该给均匀分布。",
    },
    # 02 tokens
    "check.name.bytes": {"en": "bytes", "zh": "字节"},
    "check.name.pair_counts": {"en": "pair counts", "zh": "相邻对的计数"},
    "check.name.merged_ids": {"en": "merged ids", "zh": "合并后的 id"},
    "check.name.ids": {"en": "ids", "zh": "id"},
    "check.name.round_trip": {"en": "decode(encode(text))", "zh": "decode(encode(text)) 的结果"},
    "check.name.round_trip_part": {
        "en": "decode(encode(part of the text))",
        "zh": "decode(encode(文本的一部分)) 的结果",
    },
    "check.tokens.when_text": {"en": "for the text {text}", "zh": "对于文本 {text}"},
    "check.tokens.returned_bytes": {
        "en": "your function returned bytes {when}: wrap it in list(...).",
        "zh": "{when}，你的函数返回的是 bytes：请用 list(...) 把它包起来。",
    },
    "check.tokens.code_points": {
        "en": "you returned character code points (ord) {when}: a Chinese character "
        "such as 床 is 3 bytes in UTF-8, so encode the text first.",
        "zh": "{when}，你返回的是字符的码位（ord）：像“床”这样的汉字在 UTF-8 里占 3 个字节，"
        "所以要先把文本编码。",
    },
    "check.tokens.when_ids": {"en": "for ids {ids}", "zh": "对于 id 序列 {ids}"},
    "check.tokens.when_random_ids": {
        "en": "for {n} ids of a random text",
        "zh": "对于一段随机文本的 {n} 个 id",
    },
    "check.tokens.not_dict": {
        "en": "your function returned a {kind} {when}, not a dict.",
        "zh": "{when}，你的函数返回了 {kind}，而不是 dict。",
    },
    "check.tokens.dict_shape": {
        "en": "your dict should map pairs (a, b) to counts {when}.",
        "zh": "{when}，你的 dict 应该把一对 (a, b) 映射到它的次数。",
    },
    "check.tokens.overlap": {
        "en": "you counted (1, 1) once {when}: overlapping pairs count twice.",
        "zh": "{when}，你只把 (1, 1) 数了一次：重叠的相邻对要数两次。",
    },
    "check.tokens.once": {
        "en": "you counted each pair only once {when}: add 1 for every occurrence.",
        "zh": "{when}，你每一对只数了一次：每出现一次都要加 1。",
    },
    "check.tokens.missed_last": {
        "en": "you missed the last pair {when}: zip(ids, ids[1:]) reaches it.",
        "zh": "{when}，你漏掉了最后一对：zip(ids, ids[1:]) 能遍历到它。",
    },
    "check.tokens.ambiguous": {
        "en": "your pair counts are wrong {when}: count every pair, the last one too, "
        "and add 1 for every occurrence.",
        "zh": "{when}，你的相邻对计数不对：每一对都要数，包括最后一对，而且每出现一次都加 1。",
    },
    "check.tokens.when_merge": {
        "en": "for ids {ids} and pair {pair}",
        "zh": "对于 id 序列 {ids} 和相邻对 {pair}",
    },
    "check.tokens.first_only": {
        "en": "you merged only the first occurrence {when}: merge all of them.",
        "zh": "{when}，你只合并了第一次出现的那一对：要全部合并。",
    },
    "check.tokens.two_functions": {
        "en": "your function should return two functions (encode, decode) {when}.",
        "zh": "{when}，你的函数应该返回两个函数 (encode, decode)。",
    },
    "check.tokens.in_encode": {"en": "in encode {when}", "zh": "{when}，在 encode 中"},
    "check.tokens.in_decode": {"en": "in decode {when}", "zh": "{when}，在 decode 中"},
    "check.tokens.encode_ints": {
        "en": "your encode should return a list of ints {when}.",
        "zh": "{when}，你的 encode 应该返回由 int 组成的 list。",
    },
    "check.tokens.one_per_char": {
        "en": "your encode gave {n} ids for {chars} characters {when}: one id per character.",
        "zh": "{when}，你的 encode 对 {chars} 个字符给出了 {n} 个 id：应该每个字符一个 id。",
    },
    "check.tokens.first_seen": {
        "en": "you numbered the characters in the order they first appear {when}: "
        "sort them first, with sorted(set(text)).",
        "zh": "{when}，你按字符第一次出现的顺序编号：应该先用 sorted(set(text)) 排序。",
    },
    "check.tokens.sorted_hint": {
        "en": "number the sorted characters 0, 1, 2...",
        "zh": "给排好序的字符依次编号 0, 1, 2……",
    },
}
