from datetime import timedelta
from pathlib import Path

import pytest
from conftest import NOW, article_text, make_config, write_tree

from nashra.collect import collect, prepare_all
from nashra.errors import BuildError
from nashra.text import reading_minutes


def site_from(tmp_path: Path, files: dict[str, str], **config):
    write_tree(tmp_path / "content", files)
    cfg = make_config(tmp_path, **config)
    return collect(prepare_all(cfg), cfg)


def test_slug_from_file_name_without_date_prefix(tmp_path: Path) -> None:
    site, _ = site_from(tmp_path, {"2025/06/2025-06-30-ميتا-تعيد.md": article_text(title="عنوان لا يدخل الرابط")})
    (article,) = site.articles
    assert article.slug == "ميتا-تعيد"
    assert article.url == "/digest/articles/%D9%85%D9%8A%D8%AA%D8%A7-%D8%AA%D8%B9%D9%8A%D8%AF/"
    assert article.permalink.startswith("https://example.github.io/digest/articles/%D9%85")


def test_file_slug_collisions_keep_the_oldest_plain(tmp_path: Path) -> None:
    files = {
        "a/خبر.md": article_text(date="2025-06-30T10:00:00+03:00"),
        "b/خَبَر.md": article_text(date="2025-06-29T10:00:00+03:00"),
        "c/خبر.md": article_text(date="2025-07-01T10:00:00+03:00"),
    }
    site, _ = site_from(tmp_path, files)
    assert {a.source_path: a.slug for a in site.articles} == {
        "content/b/خَبَر.md": "خبر",
        "content/a/خبر.md": "خبر-2",
        "content/c/خبر.md": "خبر-3",
    }


def test_explicit_slug_wins_over_file_slugs_and_drafts_hold_their_slug(tmp_path: Path) -> None:
    files = {
        "old.md": article_text(date="2025-06-01T10:00:00+03:00", draft="true"),
        "x.md": article_text(date="2025-06-02T10:00:00+03:00", slug="old"),
        "old/old.md": article_text(date="2025-06-03T10:00:00+03:00"),
    }
    site, _ = site_from(tmp_path, files)
    assert [a.slug for a in site.articles] == ["old-3", "old"]
    assert site.skipped_drafts == 1


def test_duplicate_explicit_slug_names_both_files(tmp_path: Path) -> None:
    files = {"a.md": article_text(slug="واحد"), "b.md": article_text(slug="واحد", date="2025-07-01")}
    with pytest.raises(BuildError) as caught:
        site_from(tmp_path, files)
    assert [str(p) for p in caught.value.problems] == [
        "content/b.md:4: slug: 'واحد' is already used by content/a.md:4; choose another"
    ]


def test_tags_fold_to_one_page_with_the_earliest_spelling(tmp_path: Path) -> None:
    files = {
        "a.md": article_text(date="2025-06-30", tags='["الذكاء الاصطناعي", "OpenAI"]'),
        "b.md": article_text(date="2025-06-29", tags='["الذَّكَاءُ الاصْطِنَاعِيُّ"]'),
        "c.md": article_text(date="2025-07-01", tags='["الذكـاء  الاصطناعي", "openai", "OPENAI"]'),
    }
    site, _ = site_from(tmp_path, files)
    names = {group.tag.name: len(group.articles) for group in site.tags}
    assert names == {"OpenAI": 2, "الذَّكَاءُ الاصْطِنَاعِيُّ": 3}
    group = next(g for g in site.tags if g.tag.key == "الذكاء الاصطناعي")
    assert group.tag.slug == "الذكاء-الاصطناعي"
    assert [a.source_path for a in group.articles] == ["content/c.md", "content/a.md", "content/b.md"]


def test_drafts_and_future_are_left_out_unless_asked(tmp_path: Path) -> None:
    soon = (NOW + timedelta(days=1)).isoformat()
    files = {"d.md": article_text(draft="true"), "f.md": article_text(date=soon), "p.md": article_text()}
    site, _ = site_from(tmp_path, files)
    assert [a.slug for a in site.articles] == ["p"]
    assert (site.skipped_drafts, site.skipped_future) == (1, 1)
    site, _ = site_from(tmp_path, {}, drafts=True, future=True)
    assert sorted(a.slug for a in site.articles) == ["d", "f", "p"]


def test_articles_are_newest_first_with_slug_tiebreak(tmp_path: Path) -> None:
    same = "2025-06-30T10:00:00+03:00"
    files = {"b.md": article_text(date=same), "a.md": article_text(date=same), "c.md": article_text(date="2025-07-01")}
    site, _ = site_from(tmp_path, files)
    assert [a.slug for a in site.articles] == ["c", "a", "b"]
    assert site.build_date == site.articles[0].date


def test_date_only_and_naive_times_use_the_site_timezone(tmp_path: Path) -> None:
    site, _ = site_from(
        tmp_path, {"a.md": article_text(date="2025-06-30"), "b.md": article_text(date="2025-06-30 14:05")}
    )
    by_slug = {a.slug: a for a in site.articles}
    assert by_slug["a"].date.isoformat() == "2025-06-30T00:00:00+03:00"
    assert by_slug["a"].has_time is False
    assert by_slug["b"].date.isoformat() == "2025-06-30T14:05:00+03:00"


def test_every_field_error_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        "---\ntitle: 42\ndate: 2025-13-01\nupdated: 2025-01-01\ntags: 7\nsource_url: ftp://x\n"
        "lang: xx-nope\ndraft: maybe\ntagz: [a]\n---\nنص\n"
    )
    with pytest.raises(BuildError) as caught:
        site_from(tmp_path, {"bad.md": text})
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "content/bad.md:2: title: must be text, got int 42; put it in quotes",
        'content/bad.md:3: date: cannot read "2025-13-01"; write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM+03:00',
        'content/bad.md:5: tags: must be a list of text, e.g. tags: ["الذكاء الاصطناعي", "ميتا"]',
        "content/bad.md:6: source_url: must be an absolute http(s) address, got 'ftp://x'",
        "content/bad.md:7: lang: unknown language tag 'xx-nope'; use a BCP 47 tag such as 'ar' or 'en'",
        "content/bad.md:8: draft: must be true or false, got 'maybe'",
        "content/bad.md:9: tagz: unknown front-matter key; did you mean 'tags'?",
    ]


def test_missing_title_and_date(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        site_from(tmp_path, {"a.md": "---\nsource: x\n---\nنص\n"})
    assert [p.message.split(";")[0] for p in caught.value.problems] == ["date: is required", "title: is required"]


def test_paired_bidi_controls_are_stripped_from_titles_with_a_warning(tmp_path: Path) -> None:
    site, warnings = site_from(tmp_path, {"a.md": article_text(title="\u202eعنوان\u202c \u200fمع علامة")})
    assert site.articles[0].title == "عنوان \u200fمع علامة"
    assert "title: removed 2 bidi" in str(warnings[0])


def test_summary_defaults_to_the_first_paragraph(tmp_path: Path) -> None:
    body = "## عنوان\n\nالفقرة **الأولى**، وفيها كلام.\n\nالفقرة الثانية.\n"
    site, _ = site_from(tmp_path, {"a.md": article_text(body=body)})
    assert site.articles[0].summary == "الفقرة الأولى، وفيها كلام."


def test_english_article_is_ltr_and_id_defaults_to_permalink(tmp_path: Path) -> None:
    files = {"en.md": article_text(lang="en"), "x.md": article_text(id="urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427")}
    site, _ = site_from(tmp_path, files)
    by_slug = {a.slug: a for a in site.articles}
    assert (by_slug["en"].lang, by_slug["en"].dir, by_slug["en"].id) == ("en", "ltr", by_slug["en"].permalink)
    assert by_slug["x"].id == "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"


def test_related_ranks_shared_tags_then_recency(tmp_path: Path) -> None:
    files = {
        "main.md": article_text(date="2025-06-15", tags="[أ, ب]"),
        "both.md": article_text(date="2025-01-01", tags="[أ, ب]"),
        "older.md": article_text(date="2025-06-14", tags="[أ]"),
        "newer.md": article_text(date="2025-06-20", tags="[ب]"),
        "none.md": article_text(date="2025-06-15T01:00", tags="[ج]"),
    }
    site, _ = site_from(tmp_path, files)
    assert [a.slug for a in site.related["main"]] == ["both", "newer", "older"]
    assert site.related["none"] == ()


def test_related_candidates_come_from_a_window_in_time(tmp_path: Path) -> None:
    """Linear work: a story far away in a busy tag is not considered, however recent."""
    from datetime import UTC, datetime, timedelta

    from conftest import make_article

    from nashra.model import Tag, TagGroup
    from nashra.related import related_index

    tag = Tag("أ", "ا", "ا", "/t/", "https://e.example/t/")
    start = datetime(2025, 1, 1, tzinfo=UTC)
    stories = tuple(
        make_article(slug=f"s{i:03d}", tags=(tag,), date=start + timedelta(days=i)) for i in reversed(range(100))
    )
    related = related_index(stories, (TagGroup(tag, stories),), count=5, window=3)
    assert [a.slug for a in related["s050"]] == ["s053", "s052", "s051", "s049", "s048"]
    assert [a.slug for a in related["s099"]] == ["s098", "s097", "s096"]


def test_a_remote_image_is_made_absolute_and_ascii(tmp_path: Path) -> None:
    site, _ = site_from(tmp_path, {"b.md": article_text(image="https://cdn.example/ص.jpg")})
    (article,) = site.articles
    assert article.image == "https://cdn.example/%D8%B5.jpg"
    assert article.picture is not None and article.picture.url == article.image and not article.picture.width


def test_reading_time_counts_words_outside_code(tmp_path: Path) -> None:
    body = " ".join(["كلمة"] * 300) + "\n\n```\n" + " ".join(["code"] * 500) + "\n```\n"
    site, _ = site_from(tmp_path, {"a.md": article_text(body=body)}, words_per_minute=100)
    (article,) = site.articles
    words = site.bodies[article.slug].words
    assert (words, reading_minutes(words, site.config.words_per_minute)) == (300, 3)


LONG_LIST = "[" + ", ".join(["كلمة طويلة"] * 5000) + "]"
LONG_TEXT = '"' + "ب" * 50_000 + '"'


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("title", LONG_LIST),
        ("date", LONG_TEXT),
        ("date", LONG_LIST),
        ("updated", LONG_TEXT),
        ("source_url", LONG_LIST),
        ("source_url", '"ftp://' + "x" * 50_000 + '"'),
        ("image", LONG_LIST),
        ("lang", LONG_TEXT),
        ("draft", LONG_LIST),
        ("x" * 1000, "1"),  # YAML allows keys up to 1024 characters
    ],
    ids=["title", "date-text", "date-list", "updated", "url-list", "url-ftp", "image", "lang", "draft", "key"],
)
def test_messages_quote_a_short_excerpt_of_a_long_value(tmp_path: Path, key: str, value: str) -> None:
    with pytest.raises(BuildError) as caught:
        site_from(tmp_path, {"a.md": f'---\ntitle: "خبر"\ndate: 2025-06-30\n{key}: {value}\n---\nنص\n'})
    (problem,) = caught.value.problems
    assert len(problem.message) < 300


def test_duplicate_ids_quote_a_short_excerpt(tmp_path: Path) -> None:
    long_id = "urn:x:" + "ي" * 10_000
    files = {"a.md": article_text(id=long_id), "b.md": article_text(id=long_id, date="2025-07-01")}
    with pytest.raises(BuildError) as caught:
        site_from(tmp_path, files)
    (problem,) = caught.value.problems
    assert len(problem.message) < 300
    assert "is already the id of content/a.md:4" in problem.message


BAD_LINKS = [
    ("javascript:alert(1)", "must be an http(s) URL"),
    ("JavaScript:alert(1)", "must be an http(s) URL"),
    ("vbscript:msgbox(1)", "must be an http(s) URL"),
    ("data:image/svg+xml,<svg onload=alert(1)>", "must be an http(s) URL"),
    (" javascript:alert(1)", "must be an http(s) URL"),
    ("java\\tscript:alert(1)", "control character U+0009"),
    ("java\\nscript:alert(1)", "control character U+000A"),
    ("\\x01javascript:alert(1)", "control character U+0001"),
    ("http://[", "not a valid URL"),
    ("http://[::1", "not a valid URL"),
    ("http://x:99999/", "not a valid URL"),
    ("http://x:port/", "not a valid URL"),
    ("https://a\\uff0fb/", "not a valid URL"),
    ("https:no-host.jpg", "has no host"),
]


@pytest.mark.parametrize(("url", "message"), BAD_LINKS)
@pytest.mark.parametrize("key", ["image", "source_url"])
def test_links_must_be_web_addresses(tmp_path: Path, key: str, url: str, message: str) -> None:
    with pytest.raises(BuildError) as caught:
        site_from(tmp_path, {"a.md": article_text(**{key: f'"{url}"'})})
    if key == "source_url":
        message = message.replace("must be an http(s) URL", "must be an absolute http(s) address")
    (problem,) = caught.value.problems
    assert problem.line == 4
    assert problem.message.startswith(key + ": ")
    assert message in problem.message


def test_image_may_have_no_scheme_and_hosts_may_be_ipv6_with_a_port(tmp_path: Path) -> None:
    files = {
        "b.md": article_text(image="//cdn.example/x.jpg"),
        "c.md": article_text(image="https://[::1]:8080/x.jpg", source_url="http://[2001:db8::1]/خبر"),
    }
    site, _ = site_from(tmp_path, files)
    images = {a.slug: a.image for a in site.articles}
    assert images == {
        "b": "https://cdn.example/x.jpg",
        "c": "https://[::1]:8080/x.jpg",
    }


def test_source_url_must_be_absolute(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        site_from(tmp_path, {"a.md": article_text(source_url="img/x.html")})
    assert caught.value.problems[0].message.startswith("source_url: must be an absolute http(s) address")


def test_control_characters_from_yaml_escapes_are_removed_with_a_warning(tmp_path: Path) -> None:
    text = (
        '---\ntitle: "عنوان\\x01 الخبر"\ndate: 2025-06-30\ntags: ["ميتا\\x1b", "\\uffffأخرى"]\n'
        'source: "\\x0bرويترز"\nauthor: "فلان\\x7f\\ufffe"\nsummary: "ملخص\\x00"\nid: "urn:x:\\x081"\n---\nنص\n'
    )
    site, warnings = site_from(tmp_path, {"a.md": text})
    (article,) = site.articles
    assert article.title == "عنوان الخبر"
    assert [tag.name for tag in article.tags] == ["ميتا", "أخرى"]
    assert (article.source_name, article.author) == ("رويترز", "فلان\x7f")  # DEL is allowed in XML
    assert (article.summary, article.id) == ("ملخص", "urn:x:1")
    assert sorted((w.line, w.message.split(":")[0]) for w in warnings) == [
        (2, "title"), (4, "tags"), (4, "tags"), (5, "source"), (6, "author"), (7, "summary"), (8, "id")
    ]  # fmt: skip
    assert "control character(s) that XML forbids" in warnings[0].message


def test_a_tag_that_is_not_text_is_named_with_its_position(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        site_from(tmp_path, {"a.md": article_text(tags="[2025, ميتا, yes, [أ], null, 2.5]")})
    assert [str(p) for p in caught.value.problems] == [
        'content/a.md:4: tags: item 1 is a number (2025), not text; put it in quotes: "2025"',
        "content/a.md:4: tags: item 3 is true or false (True), not text; put it in quotes",
        "content/a.md:4: tags: item 4 is a list (['أ']), not text; write each tag as text, in quotes",
        "content/a.md:4: tags: item 5 is empty; remove it, or write the tag in quotes",
        'content/a.md:4: tags: item 6 is a number (2.5), not text; put it in quotes: "2.5"',
    ]


@pytest.mark.parametrize(
    ("field", "value", "excerpt"),
    [
        ("title", '"ميتا <b>تعيد</b> ترتيب أوراقها"', "'<b>'"),
        ("title", '"أرباح &amp; خسائر"', "'&amp;'"),
        ("title", '"عاجل: **ميتا** تشتري"', "'**ميتا**'"),
        ("summary", '"اقرأ [التقرير](https://e.example/)"', "'[التقرير](https://e.example/)'"),
        ("source", '"<i>رويترز</i>"', "'<i>'"),
        ("author", '"فلان&#x200f;"', "'&#x200f;'"),
        ("tags", '["ميتا", "`code`"]', "'`code`'"),
    ],
)
def test_markup_in_plain_text_fields_gets_a_warning(tmp_path: Path, field: str, value: str, excerpt: str) -> None:
    text = article_text(title=value[1:-1]) if field == "title" else article_text(**{field: value})
    _, warnings = site_from(tmp_path, {"a.md": text})
    (warning,) = warnings
    assert warning.message == (
        f"{field}: {excerpt} looks like HTML or Markdown, but {field} is plain text and is shown exactly as written"
    )
    assert warning.line == (2 if field == "title" else 4)


def test_plain_text_with_look_alike_characters_gets_no_warning(tmp_path: Path) -> None:
    files = {"a.md": article_text(title="AT&T تربح 5% و<10 مليارات", summary='"a * b * c و 2 < 3 > 1"')}
    _, warnings = site_from(tmp_path, files)
    assert warnings == ()


def test_straight_quotes_in_an_arabic_title_suggest_guillemets(tmp_path: Path) -> None:
    files = {
        "ar.md": article_text(title='ماسك: \\"لن أتراجع\\" عن القرار'),
        "en.md": article_text(title='Musk: \\"I will not back down\\"', lang="en"),
    }
    _, warnings = site_from(tmp_path, files)
    assert [str(w) for w in warnings] == [
        "content/ar.md:2: title: straight quotes '\"لن أتراجع\"' in an Arabic title; Arabic uses «…»: «لن أتراجع»"
    ]


def test_a_title_with_no_value_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        site_from(tmp_path, {"a.md": "---\ntitle:\ndate: 2025-06-30\n---\nنص\n"})
    assert [str(p) for p in caught.value.problems] == ["content/a.md:2: title: must not be empty"]


def test_two_file_names_that_differ_only_in_normalization_are_an_error(tmp_path: Path) -> None:
    import unicodedata

    nfc, nfd = unicodedata.normalize("NFC", "é.md"), unicodedata.normalize("NFD", "é.md")
    files = {nfc: article_text("أ"), nfd: article_text("ب")}
    with pytest.raises(BuildError) as caught:
        site_from(tmp_path, files)
    (problem,) = caught.value.problems
    assert problem.path == "content/" + nfc and "another Unicode normalization" in problem.message
