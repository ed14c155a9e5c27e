import pytest
from babel import Locale

from nashra.text import (
    count_phrase,
    count_words,
    excerpt,
    fold_key,
    looks_like_mojibake,
    make_slug,
    minutes_phrase,
    reading_minutes,
    remove_paired_bidi,
    remove_xml_invalid,
    shown,
    starts_with_latin,
    text_direction,
    to_display_digits,
)

SAME_TAG = [
    ("الذكاء الاصطناعي", "الذكاء الاصطناعي"),
    ("الذَّكَاءُ الاصْطِنَاعِيُّ", "الذكاء الاصطناعي"),
    ("الذكاء  الاصطناعي ", "الذكاء الاصطناعي"),
    ("الذكاء\xa0الاصطناعي", "الذكاء الاصطناعي"),
    ("الذكـــاء الاصطناعي", "الذكاء الاصطناعي"),
    ("\u200fالذكاء الاصطناعي", "الذكاء الاصطناعي"),
    ("ﺍﻟﺬﻛﺎﺀ ﺍﻻﺻﻄﻨﺎﻋﻲ", "الذكاء الاصطناعي"),
    ("أمريكا", "امريكا"),
    ("السعودية", "السعوديه"),
    ("مستشفى", "مستشفي"),
    ("ذكاء اصطناعی", "ذكاء اصطناعي"),
    ("الکويت", "الكويت"),
    ("OpenAI", "openai"),
    ("Open AI", "open ai"),
    ("كوفيد-١٩", "كوفيد-19"),
]


@pytest.mark.parametrize(("tag", "key"), SAME_TAG)
def test_fold_key_groups_spelling_variants(tag: str, key: str) -> None:
    assert fold_key(tag) == key


@pytest.mark.parametrize(
    ("first", "second"),
    [("ذكاء اصطناعي", "الذكاء الاصطناعي"), ("OpenAI", "Open AI"), ("مسؤول", "مسئول")],
)
def test_fold_key_keeps_different_words_apart(first: str, second: str) -> None:
    assert fold_key(first) != fold_key(second)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("إقالات وصفقات ومليارات.. ميتا تخوض معركة بقاء", "إقالات-وصفقات-ومليارات-ميتا-تخوض-معركة-بقاء"),
        ("OpenAI تطلق نموذج GPT-5 في ٢٠٢٥", "openai-تطلق-نموذج-gpt-5-في-2025"),
        ("الذَّكَاءُ الاصْطِنَاعِيُّ يُغَيِّرُ الإعلام", "الذكاء-الاصطناعي-يغير-الإعلام"),
        ("أسعار النفـــط ترتفع ٣٪ مع توتّرات الخليج", "أسعار-النفط-ترتفع-3-مع-توترات-الخليج"),
        ("هل تنجح آبل في إنقاذ «سيري»؟", "هل-تنجح-آبل-في-إنقاذ-سيري"),
        ("\u200fالذكاء الاصطناعي", "الذكاء-الاصطناعي"),
    ],
)
def test_make_slug_keeps_arabic_and_drops_marks(title: str, slug: str) -> None:
    assert make_slug(title) == slug


def test_make_slug_caps_length_on_a_word_boundary() -> None:
    slug = make_slug("مصر: البنك المركزي يثبت أسعار الفائدة عند 27.25% للمرة الثالثة على التوالي هذا العام")
    assert len(slug) <= 60
    assert not slug.endswith("-")
    assert slug.startswith("مصر-البنك-المركزي")


def test_make_slug_of_punctuation_only_is_empty() -> None:
    assert make_slug("«»؟!") == ""


def test_remove_xml_invalid_counts_what_it_drops() -> None:
    assert remove_xml_invalid("a\x0bb\x00c\ufffe\t\n") == ("abc\t\n", 3)


def test_remove_paired_bidi_keeps_marks() -> None:
    assert remove_paired_bidi("\u202eعنوان\u202c \u200fOpenAI\u2067") == ("عنوان \u200fOpenAI", 3)


@pytest.mark.parametrize(("text", "latin"), [("OpenAI تطلق", True), ("تطلق OpenAI", False), ("2025: عام", False)])
def test_starts_with_latin(text: str, latin: bool) -> None:
    assert starts_with_latin(text) is latin


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("ar-EG", "rtl"), ("en", "ltr"), ("fa", "rtl")])
def test_text_direction_comes_from_cldr(lang: str, direction: str) -> None:
    assert text_direction(lang) == direction


def test_display_digits() -> None:
    assert to_display_digits("30 يونيو 2025، 1,234.5", "arab") == "٣٠ يونيو ٢٠٢٥، ١٬٢٣٤٫٥"
    assert to_display_digits("30 يونيو 2025", "latn") == "30 يونيو 2025"


def test_excerpt_cuts_on_a_word_and_drops_trailing_punctuation() -> None:
    text = "قال الرئيس التنفيذي لشركة OpenAI، سام ألتمان، إنّ الذَّكَاءَ الاصطناعي سيغير كل شيء"
    assert excerpt(text, 20) == "قال الرئيس التنفيذي…"
    assert excerpt(text, 47) == "قال الرئيس التنفيذي لشركة OpenAI، سام ألتمان…"
    assert excerpt("قصير", 20) == "قصير"


@pytest.mark.parametrize("limit", range(5, 80, 3))
def test_excerpt_never_ends_in_a_mark_or_comma(limit: int) -> None:
    text = "الذَّكَاءُ الاصْطِنَاعِيُّ، يُغَيِّرُ الإعلامَ؛ والنفـــط يرتفع: ٣٪ اليوم في الخليج العربي كله"
    cut = excerpt(text, limit)
    assert cut.endswith("…")
    assert cut[-2] not in "،؛:ـ "
    source_words = {word.strip("،؛:") for word in text.split()}
    assert all(word.strip("،؛:") in source_words for word in cut[:-1].split())


def test_mojibake_is_detected() -> None:
    assert looks_like_mojibake("العربية".encode().decode("cp1252", errors="replace"))
    assert not looks_like_mojibake("العربية")


def test_word_count_ignores_lone_punctuation_and_keeps_zwnj_words() -> None:
    assert count_words("أولاً – ثم ، ثانياً") == 3
    assert count_words("می\u200cخواهم 2025 OpenAI") == 3


@pytest.mark.parametrize(("words", "minutes"), [(300, 2), (1, 1), (0, 0), (150, 1), (151, 2)])
def test_reading_minutes_at_150_words_a_minute(words: int, minutes: int) -> None:
    assert reading_minutes(words, 150) == minutes


@pytest.mark.parametrize(
    ("minutes", "phrase"),
    [(1, "دقيقة واحدة"), (2, "دقيقتان"), (3, "3 دقائق"), (10, "10 دقائق"), (11, "11 دقيقة"), (100, "100 دقيقة")],
)
def test_minutes_phrase_uses_arabic_plural_forms(minutes: int, phrase: str) -> None:
    assert minutes_phrase(minutes) == phrase


def test_minutes_phrase_with_arabic_digits() -> None:
    assert minutes_phrase(3, "arab") == "٣ دقائق"


@pytest.mark.parametrize(
    ("count", "form", "phrase"),
    [
        (0, "zero", "لا أخبار"),
        (1, "one", "خبر واحد"),
        (2, "two", "خبران"),
        (3, "few", "3 أخبار"),
        (10, "few", "10 أخبار"),
        (11, "many", "11 خبرًا"),
        (99, "many", "99 خبرًا"),
        (100, "other", "100 خبر"),
        (102, "other", "102 خبر"),
        (103, "few", "103 أخبار"),
    ],
)
def test_count_phrase_covers_the_six_arabic_plural_forms(count: int, form: str, phrase: str) -> None:
    assert Locale("ar").plural_form(count) == form  # the row tests the form it names
    assert count_phrase(count, "story") == phrase


def test_count_phrase_writes_digits_as_the_site_asks() -> None:
    assert count_phrase(5, "story", "arab") == "٥ أخبار"
    assert count_phrase(28, "minute", "arab") == "٢٨ دقيقة"
    assert count_phrase(2, "story", "arab") == "خبران"


def test_shown_quotes_a_short_excerpt_and_escapes_invisible_characters() -> None:
    assert shown("ميتا") == "'ميتا'"
    assert shown("ب" * 100) == "'" + "ب" * 40 + "…'"
    assert shown("a\x1b[31m\u202e") == "'a\\x1b[31m\\u202e'"
    assert shown([[1, 2, 3]] * 10**6) == "[[1, 2, 3], [1, 2, 3], [1, 2, 3], ...]"
    assert shown(2025) == "2025"
