"""The language setting and the message catalogue: every sentence exists in both languages."""

import string

import pytest

import llmlab
from llmlab import i18n
from llmlab.messages import CATALOGUE


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_exists_in_both_languages_with_the_same_fields(key):
    entry = CATALOGUE[key]
    assert set(entry) == set(i18n.LANGUAGES), f"{key} has {sorted(entry)}, expected en and zh"
    assert all(entry[lang].strip() for lang in i18n.LANGUAGES), f"{key} has an empty sentence"
    assert _fields(entry["en"]) == _fields(entry["zh"]), (
        f"{key}: the English fills in {_fields(entry['en'])}, the Chinese {_fields(entry['zh'])}"
    )


def test_the_chinese_sentences_are_chinese():
    def has_han(text):
        return any("\u4e00" <= ch <= "\u9fff" for ch in text)

    english_only = [key for key, entry in CATALOGUE.items() if not has_han(entry["zh"])]
    # a few entries may be symbols or names only; nearly every one must read as Chinese
    assert len(english_only) <= len(CATALOGUE) // 10, f"untranslated: {english_only}"


def test_set_language_switches_what_say_returns_and_english_is_the_default():
    assert i18n.language() == "en"
    assert i18n.say("environment.versions_ok") == "Versions OK."
    assert llmlab.set_language("zh-CN") == "zh"
    assert i18n.say("environment.versions_ok") == "版本没有问题。"
    llmlab.set_language("en")
    assert i18n.say("environment.versions_ok") == "Versions OK."


def test_an_unknown_language_gets_a_sentence_naming_the_choices():
    with pytest.raises(ValueError, match=r"expects one of en, zh.*got 'fr'"):
        llmlab.set_language("fr")
    assert i18n.language() == "en", "a refused language must not change the setting"


def test_an_unknown_key_names_the_catalogue():
    with pytest.raises(KeyError, match="add it in both languages"):
        i18n.say("no.such.message")


def test_the_set_up_report_speaks_the_language_set(capsys):
    from llmlab.environment import report, version_problems

    llmlab.set_language("zh")
    assert "设备" in report()
    assert "没有安装 jax" in version_problems({"jax": None})[0]
    llmlab.set_language("en")
    assert report().startswith("Device:")


def test_bilingual_gives_the_string_of_the_language_set():
    assert i18n.bilingual("Loss", "损失") == "Loss"
    llmlab.set_language("zh")
    assert i18n.bilingual("Loss", "损失") == "损失"
