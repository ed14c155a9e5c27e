"""Hypothesis strategies for whole generated sites: site.toml, front matter, Markdown bodies.

Values are mostly right, now and then of a wrong type or hostile (raw HTML, control and bidi
characters, odd dates, deep nesting, huge lines), so that a generated site often builds and, when
it does not, the build has something to report. `sites()` is the entry point.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from conftest import write_tree
from hypothesis import strategies as st

FIXED_EPOCH = "1752537600"  # 2025-07-15T00:00:00Z: stories of 2025 are partly past, partly scheduled

# ---------------------------------------------------------------- weights


def weighted(*choices: tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """one_of with weights: a strategy of weight 3 is drawn about three times as often (the first shrinks best).

    Not st.one_of with repeated branches: nested one_ofs flatten, and thousands of branches draw slowly.
    """
    table = st.sampled_from(tuple(index for index, (weight, _) in enumerate(choices) for _ in range(weight)))
    return table.flatmap(lambda index: choices[index][1])


def rarely(draw: st.DrawFn, odds: int) -> bool:
    """True about once in odds + 1 draws; False is the simpler choice, so shrinking drops the rare case."""
    return draw(st.integers(0, odds)) == odds


def mostly(good: st.SearchStrategy, bad: st.SearchStrategy, odds: int = 40) -> st.SearchStrategy:
    """Usually a good value, now and then a bad one: a site with many fields then still builds often."""
    return weighted((odds, good), (1, bad))


# ---------------------------------------------------------------- text

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةیکپ"
DECORATION = "\u064b\u064e\u064f\u0650\u0651\u0652\u0670\u0640"  # tashkeel and tatweel
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۴"
BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0"
PUNCTUATION = " .,:;!?'\"«»،؛؟-–—_/\\#&<>[](){}*`~|=+%@$^"
LATIN = "aeSTéßİﬁ"
# load.decode drops what XML forbids (with a warning); YAML reads the rest of these, but not \x7f-\x9f.
CONTROLS = "\x00\x01\x08\x0b\x0c\x1b\x85\u2028\u2029\ufffe\uffff"
UNREADABLE = "\x7f\x80\x9f"
ASTRAL = "\U0001f600\U000e0001\U0010fffd"
NOT_C1 = "".join(map(chr, range(0x7F, 0xA0)))

# Whole strings over string alphabets: Hypothesis draws each in one go, which keeps generation fast.
clean_words = weighted(
    (6, st.text(ARABIC + " ", min_size=1, max_size=30)),
    (6, st.text(ARABIC + DECORATION + DIGITS + PUNCTUATION + LATIN, max_size=30)),
    (2, st.text(ARABIC + BIDI + INVISIBLE + ASTRAL + PUNCTUATION, max_size=20)),
)
odd_words = st.one_of(  # characters XML forbids (dropped at load time; YAML and TOML escapes keep them)
    st.text(ARABIC + CONTROLS, max_size=10),
    st.text(st.characters(codec="utf-8", exclude_characters=NOT_C1), max_size=10),
)
SPECIAL_TEXT = (
    "ميتا تعيد ترتيب أوراقها", "OpenAI تطلق نموذجًا", "الذَّكَاءُ الاصْطِنَاعِيُّ", "الذكـــاء", "", " ",
    "<script>alert(1)</script>", "</script><script>alert(1)</script>", "]]>", "&amp; &lt; &#x627;", "<!--<script>",
    "\u202eمقلوب\u202c", "x" * 300, "كلمة " * 100, "javascript:alert(1)", "{{ site.title }}", "{% raw %}",
    "Breaking: news", "a: b", "- x", "# x", "'", '"', "\\", "@", "`", "|", ">", "!", "%", "*", "&", "?", "---",
)  # fmt: skip
SNIPPETS = ("</script>", "<script>", "<!--", "-->", "]]>", "&amp;", "&", "<", ">", '"', "'", "\u202e", "\u200f",
            "javascript:", "{{ x }}", "{%", "\\", "\n", "\t", "  ", "،", "ـ")  # fmt: skip
# Text XML allows, which is what most YAML and TOML strings hold (their escapes can carry control
# characters in; other strategies do). Raw control characters in a file are dropped at load time.
clean_texts = weighted(
    (8, clean_words),
    (1, st.sampled_from(SPECIAL_TEXT)),
    (2, st.tuples(clean_words, st.sampled_from(SNIPPETS), clean_words).map("".join)),  # text around a sharp piece
)
texts = mostly(clean_texts, odd_words, odds=8)
xml_texts = mostly(clean_texts, odd_words)
titles = mostly(clean_texts.filter(lambda text: text.strip() != ""), texts)

# ---------------------------------------------------------------- YAML values


def _single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _block(text: str, indicator: str) -> str:
    return indicator + "\n" + "\n".join("  " + line for line in text.split("\n"))


YAML_STYLES = {
    "double": lambda text: json.dumps(text, ensure_ascii=False),
    "single": _single_quoted,
    "escaped": json.dumps,  # \uXXXX escapes, and surrogate pairs for astral characters
    "literal": lambda text: _block(text, "|"),
    "folded": lambda text: _block(text, ">-"),
    "plain": lambda text: text,  # often not what was meant: another type, or invalid YAML
}
yaml_styles = weighted((8, st.just("double")), (4, st.just("single")), (1, st.sampled_from(sorted(YAML_STYLES))))


@st.composite
def yaml_strings(draw: st.DrawFn, text: st.SearchStrategy[str] = xml_texts) -> str:
    """A string in one of YAML's styles."""
    return YAML_STYLES[draw(yaml_styles)](draw(text))


WRONG_YAML = (
    "123", "-0", "1.5", "1e400", ".nan", "-.inf", "0x1F", "0o17", "1_000", "12345678901234567890",
    "true", "no", "on", "null", "~", "", "[]", "{}", "[1, 2]", "[[a]]", "{a: 1}", "[a, {b: c}]",
    "2025-06-30", "12:30:00", "!!binary aGVsbG8=", "!!null x", "!!str 5", "!!timestamp 2025-06-30",
    "!!timestamp 0001-01-01", "!!float 1", "!!set {a, b}", "!!omap [a: 1]", "!!python/object:os.system x",
    "!custom x", "!!merge x", "'unterminated", '"unterminated', "[a, ", "{a: [}", "a: b: c", "a # comment",
    "@x", "`x", "%x", "? a", "- a", "|", ">", "!!int abc", "!!float x", "!!bool maybe", "!!timestamp 2025-02-30",
    "!!timestamp 2025-06-30T14:05",
)  # fmt: skip
wrong_values = st.sampled_from(WRONG_YAML)

# ---------------------------------------------------------------- dates

ZONES = (
    "Asia/Riyadh", "UTC", "Africa/Cairo", "Asia/Kathmandu", "America/St_Johns", "Pacific/Kiritimati",
    "Pacific/Chatham", "Etc/GMT+12", "Europe/Dublin", "Asia/Tehran", "America/Sao_Paulo",
    "Australia/Lord_Howe", "Africa/Casablanca", "Antarctica/Troll", "Asia/Gaza",
)  # fmt: skip
moments = weighted(  # SOURCE_DATE_EPOCH is 2025-07-15: most stories are published, some scheduled
    (72, st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2025, 7, 14))),
    (18, st.datetimes(min_value=datetime(2025, 7, 15), max_value=datetime(2026, 12, 31))),
    (1, st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59, 999999))),
    (1, st.sampled_from((datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59, 999999), datetime(1970, 1, 1)))),
)


def _offset(seconds: int) -> str:
    sign, seconds = ("+" if seconds >= 0 else "-"), abs(seconds)
    text = f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}"
    return text + (f":{seconds % 60:02d}" if seconds % 60 else "")


offsets = weighted(
    (4, st.sampled_from(("", "Z", "z", "+00:00", "-00:00", "+03:00", "+0530", "+05", "-12:00", "+14:00"))),
    (4, st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda minutes: _offset(minutes * 60))),
    (1, st.integers(-(24 * 3600 - 1), 24 * 3600 - 1).map(_offset)),  # with seconds, like local mean time
    (16, st.sampled_from(("+03:00", "Z"))),
)
date_shapes = st.sampled_from(("day", "minutes", "seconds", "fraction"))


@st.composite
def date_texts(draw: st.DrawFn, moments: st.SearchStrategy[datetime] = moments) -> str:
    """A date as editors write it: date only, with minutes, seconds or fractions, with an offset or not."""
    moment = draw(moments)
    text = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    shape = draw(date_shapes)
    if shape != "day":
        text += draw(st.sampled_from("TTT t")) + f"{moment.hour:02d}:{moment.minute:02d}"
        if shape != "minutes":
            text += f":{moment.second:02d}"
        if shape == "fraction":
            text += "." + f"{moment.microsecond:06d}"[: draw(st.integers(1, 6))]
        text += draw(offsets)
    if rarely(draw, 30):
        text = text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    style = draw(weighted((20, st.just("plain")), (10, st.sampled_from(("single", "double"))), (1, st.just("tag"))))
    return "!!timestamp " + text if style == "tag" else YAML_STYLES[style](text)


dates = mostly(date_texts(), st.one_of(wrong_values, yaml_strings()))
# Corrections come later than most stories (an earlier one is an error).
updates = mostly(date_texts(st.datetimes(min_value=datetime(2025, 6, 1), max_value=datetime(2025, 7, 14))), dates, 5)

# ---------------------------------------------------------------- front matter

GOOD_URLS = (
    "https://example.com/story", "http://example.com:8080/a?b=c#d", "https://[::1]:8443/x", "https://[2001:db8::1]/",
    "https://xn--mgbh0fb.xn--kgbechtv/", "HTTPS://EXAMPLE.COM/A", "https://user:pw@example.com/",
    "http://example.com:99999/", "https://example.com/a%2Fb?x=%D9%86#top",
)  # fmt: skip
ODD_WEB_URLS = (
    "https://مثال.إختبار/خبر", "https://example.com/مسار/خبر?س=ع", "https://example.com/a b", "https://example.com/%",
    "https://example.com/\"><script>alert(1)</script>", "https://exa\u200bmple.com/", "https://example.com/\u202e",
    "https://example.com/a%2Fb?x=%D9%86#%",
)  # fmt: skip
OTHER_URLS = (
    "//example.com/x", "/absolute/path", "relative/img.png", "../up.png", "img.png?x=1#y", "#frag", "?q", "", " ",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "vbscript:msgbox(1)",
    "data:image/png;base64,AAAA", "data:text/html,<script>x</script>", "mailto:a@example.com", "ftp://example.com/",
    "http://[", "http://[::1", "https://[/x/", "http://example.com:abc/", "http://%zz/",
)  # fmt: skip
urls = weighted(
    (12, st.sampled_from(GOOD_URLS)),
    (1, st.sampled_from(ODD_WEB_URLS)),
    (1, texts.map(lambda text: "https://example.com/" + text)),
    (1, st.sampled_from(OTHER_URLS)),
)
IMAGES = ("img.png", "../img.png", "/img.png", "صورة.png", "a b.png", "img.png?x=<y>#z", "//cdn.example.com/i.png")
LANGUAGES = ("ar", "en", "fa", "he", "ur", "fr", "ar-EG", "en-US", "zh-Hant-TW")
ODD_LANGUAGES = ("ar_EG", "AR", "xx", "", "und", "root", "ar-", "i-klingon", "ar-u-nu-arab")
URI_IDS = ("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "tag:example.com,2025:1", "https://example.com/id/1",
           "urn:nashra:x", "mailto:x", "https://example.com/%D9%87")  # fmt: skip
IDS = ("https://example.com/هوية", "a/b", "%", "100%", "Breaking: news", "خبر-١", "x y")
SLUGS = ("خبر", "story", "news-1", "---", "!!!", "ـــ", "١٢٣", "a" * 100, "نفس-الاسم", "page", "index.html", "..")
TAG_NAMES = ("الذكاء الاصطناعي", "الذكـاء الاصطناعي", "الذَّكَاءُ الاصْطِنَاعِيُّ", "OpenAI", "openai", "ميتا")

tag_names = weighted((3, st.sampled_from(TAG_NAMES)), (2, xml_texts))
FIELD_VALUES: dict[str, st.SearchStrategy[str]] = {
    "title": mostly(yaml_strings(titles), wrong_values),
    "date": dates,
    "updated": updates,
    "tags": mostly(
        st.one_of(
            st.lists(yaml_strings(tag_names), max_size=5).map(lambda items: "[" + ", ".join(items) + "]"),
            st.lists(yaml_strings(tag_names), max_size=4).map(lambda items: "".join(f"\n  - {i}" for i in items)),
            yaml_strings(st.sampled_from(("ميتا، OpenAI", "a,b,,c", "،", "ذكاء,ذكاء"))),
        ),
        wrong_values,
    ),
    "source": mostly(yaml_strings(), wrong_values),
    "source_url": mostly(yaml_strings(urls), wrong_values),
    "author": mostly(yaml_strings(), wrong_values),
    "summary": mostly(yaml_strings(), wrong_values),
    "slug": mostly(yaml_strings(weighted((1, st.sampled_from(SLUGS)), (3, titles))), wrong_values),
    "image": mostly(yaml_strings(weighted((2, st.sampled_from(IMAGES)), (2, urls))), wrong_values),
    "draft": mostly(weighted((6, st.just("false")), (1, st.sampled_from(("true", "yes", "off")))), wrong_values),
    "lang": mostly(st.sampled_from(LANGUAGES), st.one_of(st.sampled_from(ODD_LANGUAGES), wrong_values)),
    "id": mostly(yaml_strings(weighted((10, st.sampled_from(URI_IDS)), (1, st.sampled_from(IDS)), (1, texts))),
                 wrong_values),
}  # fmt: skip
ALIAS_BOMB = (
    "&a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{key}: &{key} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, key in zip("abcdefg", "bcdefgh", strict=True)
    )
    + "title: *h"
)  # "billion laughs": 9**8 names in a few lines
ODD_KEYS = {
    "sumary": texts,  # unknown keys are usually typos
    "<<": st.sampled_from(("{title: مدمج, date: 2025-01-02}", "{x: 1}", "[]")),  # a merge key needs no alias
    "tagz": st.sampled_from(("&a [x, y]", "*a", "&b {c: *a}", "*undefined", "&anchor x", ALIAS_BOMB)),
}
front_matter_keys = mostly(st.sampled_from(sorted(FIELD_VALUES)), st.sampled_from(sorted(ODD_KEYS)), odds=40)


@st.composite
def front_matters(draw: st.DrawFn) -> str:
    """`key: value` lines: title and date nearly always, the other keys sometimes, in any order."""
    keys = [key for key in ("title", "date") if not rarely(draw, 40)]
    keys += draw(st.lists(front_matter_keys, max_size=6))
    keys = draw(st.permutations(keys))
    return "".join(f"{key}: {draw({**FIELD_VALUES, **ODD_KEYS}[key])}\n" for key in keys)


# ---------------------------------------------------------------- bodies

INLINE = (
    "**غامق**", "*مائل*", "_x_", "`شيفرة`", "``a ` b``", "[رابط](https://example.com/مسار)", "[نسبي](../x/ 'عنوان')",
    "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox)", "[x](java\tscript:alert(1))", "![صورة](img.png)", "![x](javascript:alert(1))",
    "![x](data:image/svg+xml,<svg/onload=alert(1)>)", "<https://example.com/a>", "<mailto:a@b.c>",
    "<javascript:alert(1)>", "https://example.com/bare", "a@example.com", "[^1]", "[^ملاحظة]", "[^missing]",
    "<b onclick=alert(1)>x</b>", "<span style='color:red'>y</span>", "&amp;", "&nbsp;", "&#x0;", "&#0;",
    "&#xD800;", "&#x110000;", "&#9999999999;", "&#x80;", "&#x9d;", "&#x1F600;", "&bogus;", "&", "]]>",
    "<![CDATA[x]]>", "<!-- c -->", "<!--", "-->", "\\*", "\\", "<", ">", "<<>>", "[x][ref]", "[ref]", "[",
    "]", "](", "{: .cls }", "{: onclick=alert(1) }", "{: #id }", "<a href='javascript:alert(1)'>x</a>",
    '<a href="&#106;avascript:alert(1)">x</a>', '<a href=" javascript:alert(1)">x</a>',
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<svg/onload=alert(1)>", "<time datetime=x>y</time>",
    "<bdo dir=rtl onclick=x>ب</bdo>", "<a href=https://example.com/>https://example.com/</a>", "\u202eعكس",
    "\u2066عزل\u2069", "\u200f", "\x01", "\x0c", "\ufffe", "\u2028", "  \n", "$x$", "~~x~~", "==x==", "^x^",
)  # fmt: skip
RAW_HTML = (
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>', '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">', '<iframe src="javascript:alert(1)"></iframe>',
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>', '<embed src="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<body onload=alert(1)>", "<details open ontoggle=alert(1)>", "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>', "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<textarea></textarea><script>alert(1)</script>", "<template><script>alert(1)</script></template>",
    "<plaintext>", "<xmp><script>alert(1)</script></xmp>", "<title>x</title>", "</div></div></main></body>",
    "<div>", "<table><tr><td>x", "<p>", "<a>", "</a>", '<svg><a xlink:href="javascript:x"><text>x</text></a></svg>',
    '<img srcset="javascript:alert(1) 1x">', '<video poster="javascript:alert(1)"></video>',
    "<input onfocus=alert(1) autofocus>", '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099'
    '&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>', '<div markdown="1">\n*x*\n</div>',
    '<p dir="rtl" lang="ar" class="x" id="y" title="z">نص</p>', "<hr/>", "<br>", "<?php x ?>", "<!DOCTYPE html>",
    '<figure><img src="a.png" alt=""><figcaption>تعليق</figcaption></figure>', "<html><head></head><body>",
    "</body></html>", '<a href="https://example.com/" rel="nofollow" target="_blank">x</a>',
)  # fmt: skip
NESTING = {
    "quote": lambda depth: "> " * depth + "x",
    "bullet": lambda depth: "- " * depth + "x",
    "ordered": lambda depth: "1. " * depth + "x",
    "indented": lambda depth: "\n".join("    " * level + "- x" for level in range(depth)),
    "quote-lines": lambda depth: "\n".join(">" * level + " x" for level in range(1, depth + 1)),
    "div": lambda depth: "<div>" * depth + "x" + "</div>" * depth,
    "emphasis": lambda depth: "*" * depth + "x" + "*" * depth,
    "brackets": lambda depth: "[" * depth + "x" + "](u)" * depth,
}
inline_pieces = weighted((2, texts), (1, st.sampled_from(INLINE)))
inline = st.lists(inline_pieces, max_size=6).map("".join)


SHALLOW = st.integers(1, 40)


@st.composite
def nested(draw: st.DrawFn, depths: st.SearchStrategy[int] = SHALLOW) -> str:
    return NESTING[draw(st.sampled_from(sorted(NESTING)))](draw(depths))


# Rarer shapes: each is (or was) a bug of its own, and one in every body would hide the others.
RARE_PIECES = ("&#1;", "&#x1f;", "&#11;", "&#65534;", "&#xFFFF;", "[^" * 5000, "[x](" * 5000, "<a " * 10000)
rare_pieces = st.one_of(st.sampled_from(RARE_PIECES), nested(st.integers(40, 300)))
REPEATED = ("كلمة ", "x", "ا", "**a** ", "`a` ", "&amp;", "<b>", "\u200f", "> ", "- ", "|", "*", "_", "\\")


@st.composite
def huge_lines(draw: st.DrawFn) -> str:
    """One line of up to ~50,000 characters: a piece of text or markup repeated."""
    piece = draw(st.one_of(st.sampled_from(REPEATED), inline_pieces))
    return piece * draw(st.integers(1, 50_000 // max(1, len(piece))))


list_items = st.lists(inline, min_size=1, max_size=4)
blocks = weighted(
    (6, inline),
    (1, inline.map(lambda text: "### " + text + " {: #h onclick=alert(1) }")),
    (1, st.tuples(st.sampled_from(("#", "##", "######", "#######")), inline).map(" ".join)),
    (1, list_items.map(lambda items: "\n".join("- " + item for item in items))),
    (1, list_items.map(lambda items: "\n".join(f"{number}. {item}" for number, item in enumerate(items)))),
    (1, inline.map(lambda text: "> " + text)),
    (1, st.tuples(st.sampled_from(("```", "~~~", "```python", "``` {: .x }")), texts, st.booleans()).map(
        lambda fence: f"{fence[0]}\n{fence[1]}\n" + ("```" if fence[2] else "")
    )),
    (1, texts.map(lambda text: "    " + text)),
    (1, st.tuples(inline, inline).map(lambda cells: f"| {cells[0]} | ب |\n|---|:-:|\n| {cells[1]} | د |")),
    (1, st.tuples(st.sampled_from(("1", "ملاحظة", "x")), inline).map(lambda note: f"[^{note[0]}]: {note[1]}")),
    (1, st.tuples(st.sampled_from(("ref", "x")), urls).map(lambda ref: f"[{ref[0]}]: {ref[1]}")),
    (1, inline.map(lambda text: f"*[HTML]: {text}")),
    (1, st.tuples(inline, inline).map(lambda term: f"{term[0]}\n: {term[1]}")),
    (1, st.sampled_from(("---", "***", "___", "- - -"))),
    (6, st.sampled_from(RAW_HTML)),
    (1, inline.map(lambda text: text + '\n{: .lead #p onclick="alert(1)" style="x" }')),
    (1, nested()),
    (1, huge_lines()),
)  # fmt: skip


@st.composite
def bodies(draw: st.DrawFn) -> str:
    """Markdown blocks with varied separators; now and then one of the rare shapes too."""
    parts = draw(st.lists(st.tuples(blocks, st.sampled_from(("\n\n", "\n", "\n\n\n", " "))),
                          min_size=0 if rarely(draw, 10) else 1, max_size=5))  # fmt: skip
    if rarely(draw, 60):
        parts.insert(draw(st.integers(0, len(parts))), (draw(rare_pieces), "\n\n"))
    return "".join(block + separator for block, separator in parts)


# ---------------------------------------------------------------- content files

FILE_NAMES = (
    "خبر", "2025-06-30-خبر", "2025-06-30-", "story", "Story", "e\u0301", "\u00e9", "نفس الاسم", "نفس-الاسم",
    "a" * 120, "#x?y%z", "ميتا تعيد رسم استراتيجيتها في الذكاء الاصطناعي", "٢٠٢٥-٠٦-٣٠-خبر", "-", "page", "index",
)  # fmt: skip
file_names = weighted(
    (2, st.sampled_from(FILE_NAMES)),
    (2, st.text(ARABIC + DIGITS + LATIN + " -_", min_size=1, max_size=30)),
    (1, st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=20)),
).filter(lambda name: name not in (".", "..") and len(name.encode()) < 200)
folders = st.sampled_from(("", "2025/06/", "أخبار/", ".hidden/", "a/b/c/d/"))
extensions = mostly(st.just(".md"), st.sampled_from((".txt", ".MD", ".md.bak")), odds=10)
fences = mostly(st.sampled_from((("---", "---"), ("---", "..."), ("--- ", "---  "))),
                st.sampled_from((("", "---"), ("---", ""), ("---", "--"), ("----", "---"))), odds=40)  # fmt: skip


@st.composite
def content_files(draw: st.DrawFn) -> tuple[str, str | bytes]:
    """One content file: front matter and body, usually well-framed and UTF-8, sometimes not."""
    path = "content/" + draw(folders) + draw(file_names) + draw(extensions)
    opening, closing = draw(fences)
    text = f"{opening}\n{draw(front_matters())}{closing}\n{draw(bodies())}"
    if rarely(draw, 20):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(CONTROLS + UNREADABLE)) + text[at:]
    if rarely(draw, 9):
        text = text.replace("\n", draw(st.sampled_from(("\r\n", "\r"))))
    if rarely(draw, 9):
        text = "\ufeff" + text
    if rarely(draw, 40):
        data = text.encode("utf-8")
        at = draw(st.integers(0, len(data)))
        return path, data[:at] + draw(st.sampled_from((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"))) + data[at:]
    return path, text


# ---------------------------------------------------------------- site.toml

HOSTS = ("example.com", "example.github.io", "localhost", "127.0.0.1", "[::1]", "[2001:db8::1]", "EXAMPLE.COM",
         "xn--mgbh0fb.xn--kgbechtv", "user:pw@example.com", "a.b.c.example", "example.com.")  # fmt: skip
ODD_HOSTS = ("مثال.إختبار", "exa mple.com", "[", "", "[::1", "ex%41mple.com")
PATH_SEGMENTS = ("digest", "REPO", "nashra", "%D9%86", "~user", "a;b", "a.b", "a-b_c")
ODD_SEGMENTS = ("نشرة", "a b", "%", 'x"y', "<x>", "a?b", "a#b", "", "..")
BAD_BASE_URLS = ("example.com", "/digest/", "ftp://x/", "https://", "", "   ", "javascript:alert(1)//", "https:///x/",
                 "mailto:x@y", "https://example.com/?q=1", "https://example.com/#top")  # fmt: skip


@st.composite
def base_urls(draw: st.DrawFn) -> str:
    """https://HOST:PORT/PATH/ with IPv6 hosts, ports and paths, now and then something that is no base URL."""
    if rarely(draw, 30):
        return draw(st.sampled_from(BAD_BASE_URLS))
    scheme = draw(st.sampled_from(("https", "https", "http", "HTTPS")))
    host = draw(mostly(st.sampled_from(HOSTS), st.sampled_from(ODD_HOSTS), odds=30))
    port = draw(st.sampled_from(("", "", "", ":8080", ":0", ":65535", ":99999")))
    path = "/".join(
        draw(st.lists(mostly(st.sampled_from(PATH_SEGMENTS), st.sampled_from(ODD_SEGMENTS), 30), max_size=3))
    )
    slash = draw(st.sampled_from(("/", "/", "")))
    return f"{scheme}://{host}{port}/{path}{slash}" if path else f"{scheme}://{host}{port}{slash}"


def toml_value(value: object) -> str:
    """A value written as TOML (strings as basic strings, escapes and all)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(repr(value), repr(value))
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


wrong_toml = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.just({"a": 1}),
    st.sampled_from((datetime(2025, 6, 30, 14, 5), date(2025, 6, 30), time(12, 0))),
    texts,
)
ODD_ZONES = ("Mars/Olympus", "", "UTC ", "../etc/passwd", "/etc/localtime", "utc", "Etc/GMT-14", "EST5EDT",
             "posixrules", "Factory", "localtime", "Asia/Riyadh\x00")  # fmt: skip
CNAMES = ("news.example.com", "", "a.b.example.org")
ODD_CNAMES = ("x", "a..b.com", "مثال.com", "n.example.com/")
counts = mostly(st.integers(1, 30), st.one_of(st.integers(-2, 0), st.integers(-(2**63), 2**63 - 1), wrong_toml))
TOML_VALUES: dict[str, st.SearchStrategy[object]] = {
    "title": mostly(clean_texts.filter(lambda text: text.strip() != ""), st.one_of(texts, wrong_toml)),
    "description": mostly(xml_texts, wrong_toml),
    "base_url": mostly(base_urls(), wrong_toml, odds=40),
    "language": mostly(st.sampled_from(LANGUAGES), st.one_of(st.sampled_from(ODD_LANGUAGES), wrong_toml)),
    "timezone": mostly(st.sampled_from(ZONES), st.one_of(st.sampled_from(ODD_ZONES), wrong_toml)),
    "per_page": counts,
    "feed_items": counts,
    "words_per_minute": counts,
    "feed_full_content": mostly(st.booleans(), wrong_toml),
    "hijri": mostly(st.booleans(), wrong_toml),
    "digits": mostly(st.sampled_from(("latn", "arab")), st.one_of(st.sampled_from(("Latn", "", "hindi")), wrong_toml)),
    "month_style": mostly(st.sampled_from(("default", "levant", "dual")), st.one_of(st.just("x"), wrong_toml)),
    "cname": mostly(st.sampled_from(CNAMES), st.one_of(st.sampled_from(ODD_CNAMES), wrong_toml)),
}
OPTIONAL_KEYS = tuple(sorted(set(TOML_VALUES) - {"title", "base_url"}))
RAW_TOML_LINES = ('title = "unterminated', "= x", "[table]\nx = 1", 'title = "again"', "x = [1, 'a'",
                  "per_page = 1 2", "titel = 'typo'", "search = false")  # fmt: skip


@st.composite
def site_tomls(draw: st.DrawFn, search: st.SearchStrategy[str]) -> str:
    """site.toml with title and base_url nearly always, other keys sometimes, right or wrong types."""
    keys = [key for key in ("title", "base_url") if not rarely(draw, 40)]
    keys += draw(st.lists(st.sampled_from(OPTIONAL_KEYS), max_size=6, unique=True))
    values = {key: draw(TOML_VALUES[key]) for key in draw(st.permutations(keys))}
    values.setdefault("per_page", draw(st.sampled_from((1, 2, 10))))
    values["search"] = draw(search)
    lines = [f"{key} = {toml_value(value)}" for key, value in values.items()]
    if rarely(draw, 30):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(RAW_TOML_LINES)))
    return "\n".join(lines) + "\n"


EPOCHS = ("", " 0 ", "-1", "1e9", "abc", "253402300800", "99999999999", str(10**20), "-99999999999999")


# ---------------------------------------------------------------- whole sites


def _path(file: tuple[str, str | bytes]) -> str:
    return file[0]


@dataclass(frozen=True)
class GeneratedSite:
    """A project folder to build: site.toml, content files, command-line flags, SOURCE_DATE_EPOCH."""

    site_toml: str
    files: tuple[tuple[str, str | bytes], ...]
    flags: tuple[str, ...] = ()
    epoch: str = FIXED_EPOCH

    def write(self, root: Path) -> Path:
        """Write the project under root (which must be empty); return the site.toml path."""
        write_tree(root, {"site.toml": self.site_toml, **dict(self.files)})
        (root / "content").mkdir(exist_ok=True)
        return root / "site.toml"

    def arguments(self, root: Path, output: Path | None, *extra: str) -> list[str]:
        """Command-line arguments that build this site from root into output (check: no output)."""
        folders = ["--config", str(root / "site.toml"), "--content", str(root / "content")]
        return [*folders, *(["--output", str(output)] if output else []), *self.flags, *extra]


SEARCH_OFF = st.just("off")
PLAIN_STORY = '---\ntitle: "خبر"\ndate: 2025-06-30T10:00:00+03:00\n---\n'


@st.composite
def sites(
    draw: st.DrawFn, search: st.SearchStrategy[str] = SEARCH_OFF, max_files: int = 5, plain_story: bool = False
) -> GeneratedSite:
    """A small generated site; search stays off unless asked for (Pagefind is slow to start).

    With `plain_story`, a valid published story usually comes first, so that something gets indexed.
    """
    files = [] if rarely(draw, 30) else draw(st.lists(content_files(), min_size=1, max_size=max_files, unique_by=_path))
    if plain_story and not rarely(draw, 10):
        files.insert(0, ("content/plain-story.md", PLAIN_STORY + draw(bodies())))
    flags = draw(st.lists(st.sampled_from(("--drafts", "--future")), unique=True))
    if rarely(draw, 15):
        flags += ["--base-url", draw(base_urls())]
    epoch = draw(st.sampled_from(EPOCHS)) if rarely(draw, 40) else FIXED_EPOCH
    return GeneratedSite(draw(site_tomls(search)), tuple(files), tuple(flags), epoch)
