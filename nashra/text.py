"""Arabic-aware text functions: cleaning, folding, slugs, excerpts, digits, direction."""

from __future__ import annotations

import functools
import re
import reprlib
import unicodedata

from babel import Locale, UnknownLocaleError
from slugify import slugify

# Characters XML 1.0 forbids; they make feeds unparsable, so they never get past loading.
XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Paired embeddings, overrides and isolates spill over into the page around them; LRM/RLM/ALM stay.
PAIRED_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
BIDI_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
KEY_CONTROLS = re.compile("[\u200b-\u200f\u061c\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u08d3-\u08ff]")
TATWEEL = "\u0640"
WHITESPACE = re.compile(r"\s+")
MOJIBAKE = re.compile("[\u00d8\u00d9][\u0080-\u00bf]")

ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
LETTER_FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ة": "ه", "ک": "ك"})

# A value quoted in a message shows at most this many characters: a value may be megabytes long.
SHOWN_LENGTH = 40

SLUG_MAX_LENGTH = 60
EXCERPT_TRAILING = "\u060c\u061b\u061f:;,.-\u2013\u2014\u0640 "


def shown(value: object, limit: int = SHOWN_LENGTH) -> str:
    """A value quoted for a message like `repr`, cut to about `limit` characters with `…`.

    The work is bounded too: nested lists are not walked beyond a few items and levels.
    """
    if isinstance(value, str):
        return repr(value if len(value) <= limit else value[:limit] + "…")
    return clip(_short_repr().repr(value), limit)


@functools.lru_cache(maxsize=1)
def _short_repr() -> reprlib.Repr:
    short = reprlib.Repr()
    short.maxlevel, short.maxdict, short.maxlist, short.maxtuple = 2, 3, 3, 3
    short.maxstring = short.maxother = SHOWN_LENGTH
    return short


def clip(text: str, limit: int = SHOWN_LENGTH) -> str:
    """The first `limit` characters of text, `…` when it was longer; invisible characters escaped."""
    cut = text if len(text) <= limit else text[:limit] + "…"
    return cut if cut.isprintable() else "".join(char if char.isprintable() else repr(char)[1:-1] for char in cut)


def remove_xml_invalid(text: str) -> tuple[str, int]:
    """Drop characters that XML 1.0 forbids; return the text and how many were dropped."""
    cleaned, count = XML_INVALID.subn("", text)
    return cleaned, count


def remove_paired_bidi(text: str) -> tuple[str, int]:
    """Drop paired bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069)."""
    return PAIRED_BIDI.subn("", text)


def without_bidi_marks(text: str) -> str:
    """Text with every bidi control gone (LRM, RLM, ALM too): for data such as JSON-LD, not for display."""
    return BIDI_MARKS.sub("", text)


def normalize(text: str) -> str:
    """NFC with stray byte-order marks removed: the form every stored string takes."""
    return unicodedata.normalize("NFC", text.replace("\ufeff", ""))


def strip_marks(text: str) -> str:
    """Remove tashkeel and tatweel, which decorate a word without changing it."""
    return TASHKEEL.sub("", text).replace(TATWEEL, "")


def fold_key(text: str) -> str:
    """The identity of a tag: spelling variants that readers treat as one word fold together."""
    text = unicodedata.normalize("NFKC", text)
    text = KEY_CONTROLS.sub("", text)
    text = strip_marks(text).translate(LETTER_FOLDS).translate(ASCII_DIGITS)
    return WHITESPACE.sub(" ", text.casefold()).strip()


def make_slug(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """A readable Unicode slug: Arabic letters kept, marks and controls gone, digits ASCII."""
    text = unicodedata.normalize("NFKC", text)
    text = strip_marks(KEY_CONTROLS.sub("", text)).translate(ASCII_DIGITS)
    slug = slugify(text, allow_unicode=True, max_length=max_length, word_boundary=True)
    return unicodedata.normalize("NFC", slug)


def to_display_digits(text: str, digits: str) -> str:
    """Render ASCII digits as Arabic-Indic ones when the site asks for `arab` digits."""
    if digits != "arab":
        return text
    text = re.sub(r"(?<=\d),(?=\d)", "\u066c", text)
    text = re.sub(r"(?<=\d)\.(?=\d)", "\u066b", text)
    return text.translate(ARABIC_INDIC_DIGITS)


@functools.lru_cache(maxsize=64)
def text_direction(lang: str) -> str:
    """`rtl` or `ltr` for a BCP 47 language tag, from CLDR via Babel."""
    try:
        return Locale.parse(lang, sep="-").text_direction
    except (UnknownLocaleError, ValueError):
        return "ltr"


def is_known_language(lang: str) -> bool:
    """True when Babel knows the language tag."""
    try:
        Locale.parse(lang, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    return True


def starts_with_latin(text: str) -> bool:
    """True when the first strongly directional character is left-to-right."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("L",):
            return True
        if kind in ("R", "AL"):
            return False
    return False


def excerpt(text: str, limit: int) -> str:
    """Cut text on a word boundary to at most `limit` characters, ending with an ellipsis."""
    text = WHITESPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    # A first word longer than the limit is kept whole: half a word (or a mark without its letter) reads worse.
    cut = cut[:space] if space > 0 else text.split(" ", 1)[0]
    return cut.rstrip(EXCERPT_TRAILING) + "…"


# Markup that a plain-text field (title, summary, tag, source, author) shows literally.
MARKUP = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,200})?/?>"  # an HTML tag
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"  # a character reference
    r"|\*\*[^*\s](?:[^*]{0,200}[^*\s])?\*\*|__[^_\s](?:[^_]{0,200}[^_\s])?__"  # Markdown strong emphasis
    r"|`[^`]{1,200}`|\[[^\]]{1,200}\]\([^)\s]{1,500}\)"  # Markdown code and links (bounded: no slow cases)
)
STRAIGHT_QUOTED = re.compile(r'"([^"]*\w[^"]*)"')


def find_markup(text: str) -> str | None:
    """The first piece of HTML or Markdown in text meant to be plain, or None."""
    found = MARKUP.search(text)
    return found.group() if found else None


def find_straight_quotes(text: str) -> str | None:
    """Words in straight double quotes (`"…"`), which Arabic writes as «…»; or None."""
    found = STRAIGHT_QUOTED.search(text)
    return found.group(1) if found else None


WORD = re.compile(r"\w")
# The six CLDR plural forms of Arabic: 0 zero, 1 one, 2 two, 3-10 few, 11-99 many, 100-102 other (103 few again).
# A noun's forms name the number in words where Arabic does ("خبران", not "2 خبر").
PLURALS = {
    "minute": {
        "zero": "{n} دقيقة",
        "one": "دقيقة واحدة",
        "two": "دقيقتان",
        "few": "{n} دقائق",
        "many": "{n} دقيقة",
        "other": "{n} دقيقة",
    },
    "story": {
        "zero": "لا أخبار",
        "one": "خبر واحد",
        "two": "خبران",
        "few": "{n} أخبار",
        "many": "{n} خبرًا",
        "other": "{n} خبر",
    },
}


def count_words(text: str) -> int:
    """Whitespace-separated tokens with a letter or digit: a lone dash or Arabic comma is no word."""
    return sum(1 for token in text.split() if WORD.search(token))


def reading_minutes(words: int, words_per_minute: int) -> int:
    """Whole minutes to read, at least one; none for a text without words."""
    return -(-words // words_per_minute)


def count_phrase(count: int, noun: str, digits: str = "latn") -> str:
    """A counted noun in the right one of Arabic's six plural forms: `خبر واحد`, `خبران`, `3 أخبار`, `11 خبرًا`.

    Every count the site's chrome shows goes through here, so digits follow the site's setting.
    """
    form = PLURALS[noun][_arabic().plural_form(count)]
    return to_display_digits(form.format(n=count), digits)


def minutes_phrase(minutes: int, digits: str = "latn") -> str:
    """`دقيقة واحدة`, `دقيقتان`, `3 دقائق`, `11 دقيقة`: the six Arabic plural forms via CLDR."""
    return count_phrase(minutes, "minute", digits)


@functools.lru_cache(maxsize=1)
def _arabic() -> Locale:
    return Locale("ar")


def looks_like_mojibake(text: str) -> bool:
    """True when UTF-8 Arabic seems to have been decoded as cp1252 somewhere upstream."""
    return MOJIBAKE.search(text) is not None
