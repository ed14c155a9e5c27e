"""Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1, site-wide and per tag, as subscribers see them."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import lxml.html
import pytest
from conftest import write_tree
from lxml import etree
from picture_fixtures import chart, encoded, photo

from nashra.cli import main
from nashra.config import load_config
from nashra.feeds import EMPTY_FEED_UPDATED, RLM, FeedSpec, atom_feed, entry_id, render_feeds, rss_feed
from nashra.model import Site
from nashra.pipeline import read_site

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONFIG = ROOT / "site.toml"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "feeds" / "site"
SAMPLE_BASE = "https://nashra-news.github.io/nashra/"
FIXTURE_BASE = "https://example.github.io/repo/"
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "site"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)


# ---------------------------------------------------------------- helpers


def build(config: Path, output: Path, *extra: str) -> Path:
    """Build a site in-process with the command line; fail the test with its stderr otherwise."""
    err = io.StringIO()
    code = main(["--config", str(config), "--output", str(output), *extra], stdout=io.StringIO(), stderr=err)
    assert code == 0, err.getvalue()
    return output


def copy_site(source: Path, target: Path) -> Path:
    """A writable copy of a site (site.toml and content/) whose layouts are the package's own."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "site.toml", target / "site.toml")
    shutil.copytree(source / "content", target / "content")
    if (source / "static").is_dir():
        shutil.copytree(source / "static", target / "static")
    return target / "site.toml"


def write_site(root: Path, files: dict[str, str], toml: str = "") -> Path:
    """A site from text: `files` maps paths under content/ to Markdown with front matter."""
    (root / "content").mkdir(parents=True)
    base = f'title = "نشرة"\nbase_url = "{FIXTURE_BASE}"\n'
    (root / "site.toml").write_text(base + toml, encoding="utf-8")
    for name, text in files.items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    return root / "site.toml"


def strict(data: bytes) -> etree._Element:
    """Parse XML without recovering from any error."""
    return etree.fromstring(data, STRICT)


def feed_files(output: Path) -> list[Path]:
    return sorted([*output.rglob("feed.xml"), *output.rglob("atom.xml")])


def rss_items(path: Path) -> list[etree._Element]:
    return strict(path.read_bytes()).findall("channel/item")


def atom_entries(path: Path) -> list[etree._Element]:
    return strict(path.read_bytes()).findall(ATOM + "entry")


def alternate(entry: etree._Element) -> str:
    """The page an Atom entry points to."""
    return entry.find(ATOM + "link[@rel='alternate']").get("href")


def load_site(config_path: Path, **changes: object) -> Site:
    config = replace(load_config(config_path), **changes)  # type: ignore[arg-type]
    site, _ = read_site(config)
    return site


def fragment(text: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(text, create_parent="div")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(SAMPLE_CONFIG, tmp_path_factory.mktemp("sample") / "out")


@pytest.fixture(scope="module")
def sample_site() -> Site:
    return load_site(SAMPLE_CONFIG)


@pytest.fixture(scope="module")
def fixture_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The feeds fixture site, with the pictures its bundle story shows drawn into a copy."""
    site = tmp_path_factory.mktemp("fixture")
    return build(copy_fixture(site / "site"), site / "out")


def copy_fixture(target: Path) -> Path:
    """A copy of the feeds fixture site with the pictures of its bundle story drawn into it."""
    config = copy_site(FIXTURE, target)
    pictures = {"cover.jpg": encoded(photo(640, 400), "JPEG"), "images/chart.png": encoded(chart(480, 320), "PNG")}
    write_tree(target / "content" / "gpt-links", pictures)
    return config


# ---------------------------------------------------------------- every feed parses


@pytest.mark.parametrize("site_name", ["sample", "fixture_out"])
def test_every_feed_parses_strictly_and_with_feedparser(site_name: str, request: pytest.FixtureRequest) -> None:
    output: Path = request.getfixturevalue(site_name)
    paths = feed_files(output)
    assert len(paths) >= 4
    for path in paths:
        strict(path.read_bytes())
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.entries, path
    json.loads((output / "feed.json").read_text(encoding="utf-8"))


def test_feed_files_at_the_site_root(sample: Path) -> None:
    for name in ("feed.xml", "atom.xml", "feed.json"):
        assert (sample / name).is_file(), name
    assert strict((sample / "feed.xml").read_bytes()).tag == "rss"
    assert strict((sample / "atom.xml").read_bytes()).tag == ATOM + "feed"


# ---------------------------------------------------------------- the sample site


def test_entries_are_the_articles_newest_first(sample: Path, sample_site: Site) -> None:
    expected = [article.permalink for article in sample_site.articles]
    assert len(expected) == 8
    assert [item.findtext("link") for item in rss_items(sample / "feed.xml")] == expected
    assert [alternate(entry) for entry in atom_entries(sample / "atom.xml")] == expected
    items = json.loads((sample / "feed.json").read_text(encoding="utf-8"))["items"]
    assert [item["url"] for item in items] == expected


def test_feed_items_limits_every_feed(sample_site: Site) -> None:
    site = replace(sample_site, config=replace(sample_site.config, feed_items=3))
    outputs = {output.path: output.data for output in render_feeds(site)}
    newest = [article.permalink for article in sample_site.articles[:3]]
    assert [item.findtext("link") for item in strict(outputs["feed.xml"]).findall("channel/item")] == newest
    assert len(strict(outputs["atom.xml"]).findall(ATOM + "entry")) == 3
    assert len(json.loads(outputs["feed.json"])["items"]) == 3
    biggest = max(site.tags, key=lambda group: len(group.articles))
    assert len(biggest.articles) > 3
    tag_rss = strict(outputs[f"tags/{biggest.tag.slug}/feed.xml"])
    assert len(tag_rss.findall("channel/item")) == 3


def _links_in(markup: str) -> list[str]:
    """Every href, src and cite of an HTML fragment."""
    return [url for _, _, url, _ in fragment(markup).iterlinks()]


def _all_urls(output: Path) -> list[str]:
    """Every URL a reader or a crawler follows in the feeds and the sitemap: feed, entry and author
    links, ids and guids, outlets, category schemes, links and images inside content, locations."""
    urls: list[str] = []
    for path in feed_files(output):
        root = strict(path.read_bytes())
        urls += [link.get("href") for link in root.iter(ATOM + "link")]
        urls += [element.text for element in root.iter("link", "guid", ATOM + "id", ATOM + "uri")]
        urls += [source.get("url") for source in root.iter("source")]
        urls += [cat.get("domain") for cat in root.iter("category")]
        urls += [cat.get("scheme") for cat in root.iter(ATOM + "category")]
        for element in root.iter(CONTENT, "description", ATOM + "content", ATOM + "summary"):
            urls += _links_in(element.text or "")
    feed = json.loads((output / "feed.json").read_text(encoding="utf-8"))
    urls += [feed["home_page_url"], feed["feed_url"], *(author["url"] for author in feed["authors"])]
    for item in feed["items"]:
        urls += [item[key] for key in ("id", "url", "external_url", "image") if key in item]
        urls += _links_in(item["content_html"])
    return urls + _links_in_sitemap(output)


def assert_ascii_urls(urls: list[str]) -> None:
    for url in urls:
        assert url and url.isascii(), url
        assert not any(char.isspace() or ord(char) < 0x20 or char == "\x7f" for char in url), url
        assert urlsplit(url).scheme in ("http", "https", "mailto", "tag", "urn"), url


@pytest.fixture(scope="module")
def golden_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(GOLDEN / "site.toml", tmp_path_factory.mktemp("golden") / "out")


@pytest.mark.parametrize(
    ("site_name", "base"),
    [("sample", SAMPLE_BASE), ("fixture_out", FIXTURE_BASE), ("golden_out", "https://example.github.io/digest/")],
)
def test_urls_are_absolute_ascii_and_under_the_base_url(site_name: str, base: str,
                                                         request: pytest.FixtureRequest) -> None:  # fmt: skip
    output: Path = request.getfixturevalue(site_name)
    urls = _all_urls(output)
    assert len(urls) > 20
    assert_ascii_urls(urls)
    assert any(url.startswith(base + "articles/") for url in _links_in_sitemap(output))
    site_links = [url for url in urls if url.startswith("https://") and "example.com" not in url]
    assert site_links and all(url.startswith(base) for url in site_links), site_links


def _links_in_sitemap(output: Path) -> list[str]:
    return [loc.text for loc in strict((output / "sitemap.xml").read_bytes()).iter(SITEMAP + "loc")]


LINKS = """---
title: "روابط عربية ومسافات ونطاقات دولية"
date: 2025-05-01T10:00:00+03:00
tags: [روابط, "وسم بمسافة"]
source: مثال
source_url: "https://مثال.إختبار/خبر 1?س=ص#ع"
image: "صور/غلاف جديد.jpg"
---

[رابط](<https://مثال.إختبار/مسار عربي/صفحة?بحث=نص عربي#قسم أول>) و[مسافة](<https://example.com/a b/ج د>)
و<a href="https://أخبار.مصر/الرئيسية">خام</a> و<https://example.com/أخبار/1> و[داخلي](#الذكاء-الاصطناعي)
و[نسبي](<../خبر آخر/>) و[بريد](mailto:محرر@مثال.إختبار) و<a href="//cdn.مثال.إختبار/x y">بلا بروتوكول</a>

![صورة](<صور/صورة جديدة.png>) <img src="https://مثال.إختبار/صورة 1.png" alt="">

<blockquote cite="https://مثال.إختبار/مصدر">اقتباس</blockquote>

## الذكاء الاصطناعي
"""


def test_arabic_links_spaces_and_idn_hosts_reach_feeds_and_sitemap_as_ascii(tmp_path: Path) -> None:
    config = write_site(tmp_path / "site", {"روابط عربية.md": LINKS})
    pictures = {
        "صور/غلاف جديد.jpg": encoded(photo(200, 100), "JPEG"),
        "صور/صورة جديدة.png": encoded(photo(120, 80), "PNG"),
    }
    write_tree(tmp_path / "site" / "content", pictures)
    output = build(config, tmp_path / "out")
    urls = _all_urls(output)
    assert_ascii_urls(urls)
    idn = "https://xn--mgbh0fb.xn--kgbechtv/"
    page = f"{FIXTURE_BASE}articles/{quote('روابط-عربية')}/"
    for expected in (
        idn + quote("مسار عربي/صفحة?بحث=نص عربي#قسم أول", safe="/?=#"),
        "https://example.com/a%20b/" + quote("ج د"),
        "https://xn--igbicxr.xn--wgbh1c/" + quote("الرئيسية"),
        page + "#" + quote("الذكاء-الاصطناعي"),
        f"{FIXTURE_BASE}articles/{quote('خبر آخر')}/",
        "https://cdn.xn--mgbh0fb.xn--kgbechtv/x%20y",
        FIXTURE_BASE + quote("صور/صورة جديدة-120w.jpg"),
        idn + quote("صورة 1.png"),
        idn + quote("مصدر"),
        idn + quote("خبر 1?س=ص#ع", safe="?=#"),
        FIXTURE_BASE + quote("صور/غلاف جديد-200w.jpg"),
        f"{FIXTURE_BASE}tags/{quote('وسم-بمسافة')}/",
    ):
        assert expected in urls, expected
    assert page in _links_in_sitemap(output)


def test_relative_links_and_images_resolve_against_the_article(fixture_out: Path) -> None:
    items = json.loads((fixture_out / "feed.json").read_text(encoding="utf-8"))["items"]
    story = next(item for item in items if item["url"].endswith("/gpt-links/"))
    doc = fragment(story["content_html"])
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert f"{FIXTURE_BASE}articles/english-story/" in hrefs
    assert f"{FIXTURE_BASE}tags/" in hrefs
    assert f"{FIXTURE_BASE}articles/gpt-links/#fn:1" in hrefs
    assert "https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1" in hrefs
    srcs = [img.get("src") for img in doc.iter("img")]
    bundle = f"{FIXTURE_BASE}articles/gpt-links/"
    assert srcs == [bundle + "cover-640w.jpg", bundle + "images/chart-480w.jpg"]  # the JPEG of each, for every reader
    assert [(img.get("width"), img.get("height")) for img in doc.iter("img")] == [("640", "400"), ("480", "320")]
    assert story["image"] == bundle + "cover-640w.jpg"  # the JPEG every reader and preview accepts


def test_language_of_feeds_and_entries(fixture_out: Path, sample: Path) -> None:
    for output in (sample, fixture_out):
        assert strict((output / "feed.xml").read_bytes()).findtext("channel/language") == "ar"
        atom = strict((output / "atom.xml").read_bytes())
        assert atom.get(XML_LANG) == "ar"
        assert json.loads((output / "feed.json").read_text(encoding="utf-8"))["language"] == "ar"
    languages = {
        alternate(entry).rsplit("/", 2)[1]: entry.get(XML_LANG) for entry in atom_entries(fixture_out / "atom.xml")
    }
    assert languages == {"english-story": "en", "gpt-links": None, "arabic-id": None}
    parsed = feedparser.parse((fixture_out / "atom.xml").read_bytes())
    assert [entry.title_detail.language for entry in parsed.entries] == ["en", "ar", "ar"]


def test_content_is_wrapped_in_the_article_direction(fixture_out: Path, sample: Path) -> None:
    for output in (sample, fixture_out):
        for item in rss_items(output / "feed.xml"):
            english = "/english-story/" in item.findtext("link") or "/meta-scale-ai-deal/" in item.findtext("link")
            wrapper = '<div dir="ltr" lang="en">' if english else '<div dir="rtl" lang="ar">'
            assert item.findtext(CONTENT).startswith(wrapper)
            assert item.findtext("description").startswith(wrapper)
            assert item.findtext(CONTENT).endswith("</div>")
        for entry in atom_entries(output / "atom.xml"):
            assert entry.findtext(ATOM + "content").startswith("<div dir=")
            assert entry.find(ATOM + "content").get("type") == "html"
            assert entry.findtext(ATOM + "summary").startswith("<div dir=")


def test_rlm_only_before_latin_first_rtl_titles(sample: Path) -> None:
    titles = [item.findtext("title") for item in rss_items(sample / "feed.xml")]
    titles += [entry.findtext(ATOM + "title") for entry in atom_entries(sample / "atom.xml")]
    titles += [item["title"] for item in json.loads((sample / "feed.json").read_text(encoding="utf-8"))["items"]]
    latin_first = [title for title in titles if "OpenAI تسعى" in title]
    assert len(latin_first) == 3
    assert all(title.startswith(RLM + "OpenAI") for title in latin_first)
    english = [title for title in titles if title.startswith(("Meta Bets", RLM + "Meta Bets"))]
    assert len(english) == 3 and not any(title.startswith(RLM) for title in english)
    arabic = [title for title in titles if title.lstrip(RLM).startswith("ترامب")]
    assert len(arabic) == 3 and not any(title.startswith(RLM) for title in arabic)
    page = (sample / "articles" / "openai-softbank-restructuring" / "index.html").read_text(encoding="utf-8")
    assert "<title>OpenAI تسعى" in page


def test_tag_feeds_exist_for_every_tag_page(sample: Path, sample_site: Site) -> None:
    tag_pages = sorted(path.parent for path in (sample / "tags").glob("*/index.html"))
    assert len(tag_pages) == len(sample_site.tags) == 12
    counts = {group.tag.slug: len(group.articles) for group in sample_site.tags}
    for folder in tag_pages:
        rss, atom = folder / "feed.xml", folder / "atom.xml"
        assert rss.is_file() and atom.is_file(), folder
        assert len(rss_items(rss)) == counts[folder.name]
        assert len(atom_entries(atom)) == counts[folder.name]
        self_link = strict(atom.read_bytes()).find(ATOM + "link[@rel='self']").get("href")
        assert self_link == SAMPLE_BASE + quote(f"tags/{folder.name}/atom.xml")


def test_categories_authors_and_outlet(fixture_out: Path) -> None:
    items = {item.findtext("link").rsplit("/", 2)[1]: item for item in rss_items(fixture_out / "feed.xml")}
    english = items["english-story"]
    assert [c.text for c in english.findall("category")] == ["اختبار", "English"]
    assert english.findtext(DC_CREATOR) == "Jane Doe"
    # Without sources.toml no outlet's feed is known: <source url> would have to be the story's address,
    # which RSS 2.0 does not mean; the story is credited in the text and Atom's `via` link instead.
    assert english.find("source") is None
    assert items["gpt-links"].find("source") is None  # an outlet without an address: credited in the text
    assert "المصدر: وكالة بلا عنوان" in items["gpt-links"].findtext(CONTENT)
    assert ">Example Wire</a>" in english.findtext(CONTENT)
    entries = {alternate(entry).rsplit("/", 2)[1]: entry for entry in atom_entries(fixture_out / "atom.xml")}
    via = entries["english-story"].find(ATOM + "link[@rel='via']")
    assert via.get("href") == "https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/english-story"
    assert via.get("title") == "Example Wire"
    assert entries["english-story"].find(ATOM + "source") is None
    assert len(entries["english-story"].findall(ATOM + "link[@rel='alternate']")) == 1
    assert entries["english-story"].findtext(f"{ATOM}author/{ATOM}name") == "Jane Doe"
    assert entries["gpt-links"].find(ATOM + "link[@rel='via']") is None


def test_dates_carry_the_site_offset_and_the_feed_date_is_the_newest_change(fixture_out: Path) -> None:
    rss = strict((fixture_out / "feed.xml").read_bytes())
    assert rss.findtext("channel/lastBuildDate") == "Mon, 05 May 2025 11:00:00 +0300"
    assert rss.findtext("channel/item/pubDate") == "Sun, 04 May 2025 12:00:00 +0300"
    atom = strict((fixture_out / "atom.xml").read_bytes())
    assert atom.findtext(ATOM + "updated") == "2025-05-05T11:00:00+03:00"
    first = atom.find(ATOM + "entry")
    assert first.findtext(ATOM + "published") == "2025-05-04T12:00:00+03:00"
    assert first.findtext(ATOM + "updated") == "2025-05-04T12:00:00+03:00"
    assert atom.findtext(ATOM + "generator") == "nashra"
    assert rss.findtext("channel/generator") == "nashra"


def test_rss_items_carry_their_correction_time(fixture_out: Path) -> None:
    """RSS has no update time; atom:updated is what feedparser and SimplePie (FreshRSS) read."""
    items = {item.findtext("link").rsplit("/", 2)[1]: item for item in rss_items(fixture_out / "feed.xml")}
    assert items["gpt-links"].findtext("pubDate") == "Fri, 02 May 2025 10:00:00 +0300"
    assert items["gpt-links"].findtext(ATOM + "updated") == "2025-05-05T11:00:00+03:00"
    assert items["english-story"].findtext(ATOM + "updated") == "2025-05-04T12:00:00+03:00"  # never corrected
    parsed = {entry.link.rsplit("/", 2)[1]: entry for entry in feedparser.parse(fixture_out / "feed.xml").entries}
    assert parsed["gpt-links"].updated == "2025-05-05T11:00:00+03:00"
    assert parsed["gpt-links"].updated_parsed[:5] == (2025, 5, 5, 8, 0)
    assert parsed["gpt-links"].published_parsed[:5] == (2025, 5, 2, 7, 0)


def test_rss_channel_link_is_the_home_page(sample: Path) -> None:
    channel = strict((sample / "feed.xml").read_bytes()).find("channel")
    assert channel.findtext("link") == SAMPLE_BASE
    assert channel.find(ATOM + "link").get("href") == SAMPLE_BASE + "feed.xml"
    tag_channel = strict((sample / "tags" / "openai" / "feed.xml").read_bytes()).find("channel")
    assert tag_channel.findtext("link") == SAMPLE_BASE + "tags/openai/"


def test_atom_names_the_website_before_itself(sample: Path) -> None:
    """Some readers take a feed's first link as its website, whatever its rel."""
    for folder, page in ((sample, SAMPLE_BASE), (sample / "tags" / "openai", SAMPLE_BASE + "tags/openai/")):
        links = strict((folder / "atom.xml").read_bytes()).findall(ATOM + "link")
        assert [(link.get("rel"), link.get("href")) for link in links] == [
            ("alternate", page),
            ("self", page + "atom.xml"),
        ]
        assert feedparser.parse((folder / "atom.xml").read_bytes()).feed.link == page


def test_a_story_without_author_has_none_and_the_feed_names_the_site(fixture_out: Path) -> None:
    """Atom and JSON Feed entries without an author inherit the feed's; nothing is copied into them."""
    atom = strict((fixture_out / "atom.xml").read_bytes())
    assert atom.findtext(f"{ATOM}author/{ATOM}name") == "نشرة الاختبار"
    entries = {alternate(entry).rsplit("/", 2)[1]: entry for entry in atom.findall(ATOM + "entry")}
    assert entries["english-story"].findtext(f"{ATOM}author/{ATOM}name") == "Jane Doe"
    assert entries["gpt-links"].find(ATOM + "author") is None
    items = {item.findtext("link").rsplit("/", 2)[1]: item for item in rss_items(fixture_out / "feed.xml")}
    assert items["gpt-links"].find(DC_CREATOR) is None and items["gpt-links"].find("author") is None
    assert strict((fixture_out / "feed.xml").read_bytes()).find("channel/managingEditor") is None
    parsed = feedparser.parse((fixture_out / "atom.xml").read_bytes())
    assert [entry.get("author") for entry in parsed.entries] == ["Jane Doe", None, None]
    feed = json.loads((fixture_out / "feed.json").read_text(encoding="utf-8"))
    assert feed["authors"] == [{"name": "نشرة الاختبار", "url": FIXTURE_BASE}]
    assert [item.get("authors") for item in feed["items"]] == [[{"name": "Jane Doe"}], None, None]


# ---------------------------------------------------------------- every date is valid for its format


DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
RFC_822 = re.compile(  # RSS 2.0: RFC 822 with a four-digit year (RFC 2822) and a numeric offset
    rf"(?P<day>{'|'.join(DAY_NAMES)}), (?P<date>\d\d) (?P<month>{'|'.join(MONTH_NAMES)}) (?P<year>\d{{4}}) "
    r"(?P<hour>[01]\d|2[0-3]):[0-5]\d:[0-5]\d [+-](?:[01]\d|2[0-3])[0-5]\d"
)
RFC_3339 = re.compile(  # Atom and JSON Feed
    r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<date>\d\d)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?"
    r"(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
)


def _check_rfc_822(value: str) -> None:
    match = RFC_822.fullmatch(value)
    assert match, f"not an RFC 822 date: {value!r}"
    moment = date(int(match["year"]), MONTH_NAMES.index(match["month"]) + 1, int(match["date"]))
    assert DAY_NAMES[moment.weekday()] == match["day"], f"wrong day of the week: {value!r}"


def _check_rfc_3339(value: str) -> None:
    match = RFC_3339.fullmatch(value)
    assert match, f"not an RFC 3339 date: {value!r}"
    date(int(match["year"]), int(match["month"]), int(match["date"]))


def check_feed_dates(name: str, data: bytes) -> int:
    """Check every date in a feed against its format's grammar; return how many there were."""
    if name.endswith(".json"):
        feed = json.loads(data)
        values = [item[key] for item in feed["items"] for key in ("date_published", "date_modified")]
        for value in values:
            _check_rfc_3339(value)
        return len(values)
    root = strict(data)
    rfc_822 = [element.text for element in root.iter("pubDate", "lastBuildDate")]
    rfc_3339 = [element.text for element in root.iter(ATOM + "updated", ATOM + "published")]
    for value in rfc_822:
        _check_rfc_822(value)
    for value in rfc_3339:
        _check_rfc_3339(value)
    entries = len(root.findall("channel/item")) + len(root.findall(ATOM + "entry"))
    assert len(rfc_822) + len(rfc_3339) == 1 + 2 * entries, name  # the feed's date, each entry's two
    return len(rfc_822) + len(rfc_3339)


@pytest.mark.parametrize("site_name", ["sample", "fixture_out"])
def test_every_date_of_the_built_feeds_is_valid(site_name: str, request: pytest.FixtureRequest) -> None:
    output: Path = request.getfixturevalue(site_name)
    paths = [*feed_files(output), output / "feed.json"]
    assert sum(check_feed_dates(path.name, path.read_bytes()) for path in paths) > 20


@pytest.mark.parametrize(
    ("zone", "published"),
    [
        ("Asia/Kathmandu", "2025-06-30T14:05:00+05:45"),
        ("Pacific/Marquesas", "2025-06-30T14:05:00-09:30"),
        ("Pacific/Kiritimati", "2025-12-31T23:59:59+14:00"),
        ("America/St_Johns", "2025-01-01T00:00:00-03:30"),
        ("Asia/Kolkata", "2025-06-30T14:05:00.250000+00:00"),
        ("Etc/GMT-3", "0999-06-30T14:05:00+03:00"),  # a year before 1000 still has four digits
        ("Asia/Riyadh", "1900-01-01T12:00:00+03:00"),  # local mean time +03:06:52, rounded to minutes
    ],
)
def test_feed_dates_are_valid_with_odd_offsets(sample_site: Site, zone: str, published: str) -> None:
    moment = datetime.fromisoformat(published)
    config = replace(sample_site.config, timezone=ZoneInfo(zone))
    articles = tuple(replace(article, date=moment, updated=None) for article in sample_site.articles[:2])
    articles = (replace(articles[0], updated=moment + timedelta(hours=1, minutes=1)), *articles[1:])
    site = replace(sample_site, config=config, articles=articles, tags=sample_site.tags[:1], outlets=())
    outputs = list(render_feeds(site))
    assert len(outputs) == 5
    assert sum(check_feed_dates(output.path, output.data) for output in outputs) > 10


BAD_RFC_822 = [
    "Mon, 30 Jun 999 14:05:00 +0300",  # a three-digit year
    "Tue, 30 Jun 2025 14:05:00 +0300",  # 30 June 2025 is a Monday
    "Mon, 30 Jun 2025 14:05:00 +030652",  # an offset with seconds
    "Mon, 30 Jun 2025 14:05 +0300",
    "Mon, 30 Jun 2025 24:05:00 +0300",
    "Mon, 30 Jun 2025 14:05:00 GMT",
]
BAD_RFC_3339 = [
    "2025-06-30T14:05:00+03:06:52",
    "2025-06-30 14:05:00+03:00",
    "2025-06-30T14:05:00",
    "999-06-30T14:05:00Z",
    "2025-02-30T14:05:00Z",
    "2025-06-30T14:05:00+0300",
]


def test_the_date_checker_rejects_what_readers_cannot_read() -> None:
    _check_rfc_822("Mon, 30 Jun 2025 14:05:00 +0545")
    _check_rfc_3339("2025-06-30T14:05:00.25-09:30")
    for bad in BAD_RFC_822:
        with pytest.raises((AssertionError, ValueError)):
            _check_rfc_822(bad)
    for bad in BAD_RFC_3339:
        with pytest.raises((AssertionError, ValueError)):
            _check_rfc_3339(bad)


# ---------------------------------------------------------------- identity


def test_ids_guids_and_permalink_flags(fixture_out: Path) -> None:
    guids = {item.findtext("link").rsplit("/", 2)[1]: item.find("guid") for item in rss_items(fixture_out / "feed.xml")}
    assert guids["english-story"].text == f"{FIXTURE_BASE}articles/english-story/"
    assert guids["english-story"].get("isPermaLink") == "true"
    assert guids["gpt-links"].text == "tag:example.com,2025:gpt-links"
    assert guids["gpt-links"].get("isPermaLink") == "false"
    assert guids["arabic-id"].text == "urn:nashra:%D8%AE%D8%A8%D8%B1-%D9%A1"
    assert guids["arabic-id"].get("isPermaLink") == "false"
    atom_ids = [entry.findtext(ATOM + "id") for entry in atom_entries(fixture_out / "atom.xml")]
    json_ids = [item["id"] for item in json.loads((fixture_out / "feed.json").read_text(encoding="utf-8"))["items"]]
    rss_ids = [item.findtext("guid") for item in rss_items(fixture_out / "feed.xml")]
    assert atom_ids == json_ids == rss_ids
    assert len(set(atom_ids)) == len(atom_ids)


def _ids_by_url(output: Path) -> dict[str, str]:
    return {item.findtext("link"): item.findtext("guid") for item in rss_items(output / "feed.xml")}


def test_editing_title_body_summary_and_tags_keeps_ids_and_urls(tmp_path: Path) -> None:
    config = copy_site(ROOT, tmp_path / "site")
    before = _ids_by_url(build(config, tmp_path / "one"))
    story = tmp_path / "site" / "content" / "2025" / "06" / "openai-softbank-restructuring.md"
    text = story.read_text(encoding="utf-8")
    edited = text.replace("OpenAI تسعى لإعادة هيكلتها", "عنوان جديد كليًا", 1).replace(
        "summary:", "tags: [وسم جديد]\nsummary:", 1
    )
    story.write_text(edited + "\n\nفقرة أضيفت بعد النشر.\n", encoding="utf-8")
    output = build(config, tmp_path / "two")
    assert _ids_by_url(output) == before
    item = next(i for i in rss_items(output / "feed.xml") if "openai-softbank" in i.findtext("link"))
    assert item.findtext("title") == "عنوان جديد كليًا وسوفت بنك يربط 10 مليارات دولار بالموافقة"
    assert "فقرة أضيفت بعد النشر" in item.findtext(CONTENT)


def test_footnote_back_links_point_back_the_way_each_story_reads(tmp_path: Path) -> None:
    story = '---\ntitle: "{title}"\ndate: 2025-05-0{day}\n{lang}---\n\n{text}[^1].\n\n[^1]: {note}.\n'
    arabic = story.format(title="خبر", day=1, lang="", text="نص", note="حاشية")
    english = story.format(title="News", day=2, lang="lang: en\n", text="Text", note="A note")
    output = build(write_site(tmp_path, {"a.md": arabic, "b.md": english}), tmp_path / "out")
    rss = {item.findtext("title"): item.findtext(CONTENT) for item in rss_items(output / "feed.xml")}
    atom = {
        item.findtext(ATOM + "title"): item.findtext(ATOM + "content") for item in atom_entries(output / "atom.xml")
    }
    json_items = json.loads((output / "feed.json").read_text(encoding="utf-8"))["items"]
    for contents in (rss, atom, {item["title"]: item["content_html"] for item in json_items}):
        assert "\u21aa" in contents["خبر"] and "\u21a9" not in contents["خبر"]
        assert "\u21a9" in contents["News"] and "\u21aa" not in contents["News"]
    pages = [page.read_text(encoding="utf-8") for page in (output / "articles").glob("*/index.html")]
    assert len(pages) == 2
    assert all("\u21a9" in page and "\u21aa" not in page for page in pages), "pages keep ↩ and flip it with CSS"


def test_a_front_matter_id_survives_a_new_address(tmp_path: Path) -> None:
    config = copy_fixture(tmp_path / "site")
    first = {guid: url for url, guid in _ids_by_url(build(config, tmp_path / "one")).items()}
    bundle = tmp_path / "site" / "content" / "gpt-links"
    bundle.rename(bundle.with_name("renamed"))  # a bundle's folder names its story
    second = {guid: url for url, guid in _ids_by_url(build(config, tmp_path / "two")).items()}
    assert first.keys() == second.keys()
    assert second["tag:example.com,2025:gpt-links"] == f"{FIXTURE_BASE}articles/renamed/"


def test_two_stories_with_one_id_fail_the_build(tmp_path: Path) -> None:
    story = '---\ntitle: "{title}"\ndate: 2025-05-0{day}\nid: "urn:uuid:1"\n---\n\nنص.\n'
    config = write_site(tmp_path, {"a.md": story.format(title="أ", day=1), "b.md": story.format(title="ب", day=2)})
    err = io.StringIO()
    assert main(["--config", str(config), "--output", str(tmp_path / "out")], stderr=err, stdout=io.StringIO()) == 1
    assert "content/b.md:4: id: 'urn:uuid:1' is already the id of content/a.md:4" in err.getvalue()
    assert not (tmp_path / "out").exists()


def test_an_article_without_an_id_is_identified_by_its_address(sample_site: Site) -> None:
    article = sample_site.articles[0]
    assert entry_id(article) == article.permalink


# The id grammars the W3C feed validator checks: RFC 2141 URNs (RFC 8141 allows more, never less in
# this set), RFC 4151 tags, and absolute http(s) URIs of RFC 3986 characters.
URN = re.compile(r"urn:[a-z0-9][a-z0-9-]{0,30}[a-z0-9]:(?:[a-z0-9()+,.:=@;$_!*'-]|%[0-9a-f]{2})+", re.IGNORECASE)
UUID = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
TAG_CHARS = r"(?:[A-Za-z0-9;/?:@&=+$._!~*'(),-]|%[0-9A-Fa-f]{2})*"
TAG = re.compile(rf"tag:(?:[a-z0-9._-]+@)?[a-z0-9.-]+,\d{{4}}(?:-\d\d(?:-\d\d)?)?:{TAG_CHARS}(?:#{TAG_CHARS})?")
HTTP = re.compile(
    r"https?://(?:[A-Za-z0-9._~!$&'()*+,;=:@\[\]-]|%[0-9A-Fa-f]{2})+(?:[A-Za-z0-9;/?:@&=+$._!~*'(),#-]|%[0-9A-Fa-f]{2})*"
)


def assert_valid_id(value: str) -> None:
    assert value.isascii(), value
    if value.lower().startswith("urn:uuid:"):
        assert UUID.fullmatch(value), value
    else:
        assert URN.fullmatch(value) or TAG.fullmatch(value) or HTTP.fullmatch(value), value


# Ids that were valid URIs keep their bytes: readers would otherwise show every story again.
STABLE_IDS = [
    "https://example.github.io/repo/articles/old-name/",
    "https://example.com/%D8%AE%D8%A8%D8%B1/1",
    "http://[2001:db8::1]:8080/story?id=7#top",
    "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
    "URN:UUID:6E8BC430-9C3A-11D9-9669-0800200C9A66",
    "urn:isbn:0451450523",
    "urn:nashra:%D8%AE%D8%A8%D8%B1%201",
    "tag:example.com,2025:meta-scale-ai",
    "tag:editor@example.com,2025-07-01:stories/2025/meta?v=1#x",
]


@pytest.mark.parametrize("value", STABLE_IDS)
def test_valid_ids_keep_their_bytes(sample_site: Site, value: str) -> None:
    assert_valid_id(value)
    assert entry_id(replace(sample_site.articles[0], id=value)) == value


# (front-matter id, feed id): text becomes urn:nashra:<NSS>; a URI in a known scheme is only escaped.
IDS = [
    ("خبر 1", "urn:nashra:%D8%AE%D8%A8%D8%B1%201"),  # unchanged from earlier versions
    ("2025:meta", "urn:nashra:2025:meta"),
    ("a%20b", "urn:nashra:a%20b"),  # a valid escape stays as it is
    ("2025/07/x", "urn:nashra:2025%2F07%2Fx"),
    ("urn:nashra:2025/07/x", "urn:nashra:2025%2F07%2Fx"),
    ("خبر %20 100%", "urn:nashra:%D8%AE%D8%A8%D8%B1%20%20%20100%25"),
    ("R&D~1 [a]?#b", "urn:nashra:R%26D%7E1%20%5Ba%5D%3F%23b"),
    ("Breaking: news", "urn:nashra:Breaking:%20news"),
    ("note:x", "urn:nashra:note:x"),
    ("mailto:desk@example.com", "urn:nashra:mailto:desk@example.com"),
    ("urn:x:1", "urn:nashra:urn:x:1"),  # a one-letter namespace is not a URN
    ("urn:isbn:", "urn:nashra:urn:isbn:"),
    ("urn:uuid:6e8bc430-9c3a", "urn:nashra:urn:uuid:6e8bc430-9c3a"),  # not a UUID
    ("https:example.com", "urn:nashra:https:example.com"),
    ("https://example.com/100% جديد", "https://example.com/100%25%20%D8%AC%D8%AF%D9%8A%D8%AF"),
    ("https://exa%mple.com/", "https://exa%25mple.com/"),
    ("tag:example.com,2025:خبر 1", "tag:example.com,2025:%D8%AE%D8%A8%D8%B1%201"),
    ("tag:example.com,2025:a#b#c", "tag:example.com,2025:a#b%23c"),
    ("tag: not a tag", "urn:nashra:tag:%20not%20a%20tag"),
]


@pytest.mark.parametrize(("value", "expected"), IDS)
def test_ids_that_are_not_uris_become_valid_urns(sample_site: Site, value: str, expected: str) -> None:
    result = entry_id(replace(sample_site.articles[0], id=value))
    assert result == expected
    assert_valid_id(result)


def test_every_id_of_the_built_sites_is_valid(sample: Path, fixture_out: Path) -> None:
    for output in (sample, fixture_out):
        for path in feed_files(output):
            root = strict(path.read_bytes())
            for value in [*root.iter("guid"), *root.iter(ATOM + "id")]:
                assert_valid_id(value.text)
        for item in json.loads((output / "feed.json").read_text(encoding="utf-8"))["items"]:
            assert_valid_id(item["id"])


# ---------------------------------------------------------------- hostile text


HOSTILE = """---
title: "R&D ]]> <script>alert(1)</script> عنوان\x0b\x1b"
date: 2025-05-01T10:00:00+03:00
tags: ["A&B <b>", "]]>"]
source: "S&P <i>"
source_url: "https://example.com/a?b=1&c=<2>"
summary: "ملخص & ]]> <script>alert(2)</script>\x0c"
---

نص & خام ]]> وعلامات\x08 <script>alert(3)</script> <img src="https://example.com/x.png" onerror="alert(4)">
<a href="javascript:alert(5)">رابط</a> <iframe src="https://evil.example/"></iframe>
<p onclick="alert(6)" style="color:red">فقرة</p>
"""


def _no_executable_markup(markup: str) -> None:
    doc = fragment(markup)
    assert not doc.xpath("//script|//iframe|//object|//embed|//style"), markup
    for element in doc.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), markup
            assert not value.strip().lower().startswith("javascript:"), markup


def test_hostile_text_gives_feeds_that_parse_and_run_nothing(tmp_path: Path) -> None:
    output = build(write_site(tmp_path / "site", {"hostile.md": HOSTILE}), tmp_path / "out")
    assert len(feed_files(output)) == 2 + 3 * 2  # the site's, two tags' and the outlet's RSS and Atom
    for path in feed_files(output):
        data = path.read_bytes()
        strict(data)
        parsed = feedparser.parse(data)
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert "\x0b" not in data.decode() and "\x1b" not in data.decode()
    item = rss_items(output / "feed.xml")[0]
    # Titles are plain text: the markup is shown as typed, escaped once, never as an element.
    assert item.findtext("title") == RLM + "R&D ]]> <script>alert(1)</script> عنوان"
    for markup in (item.findtext(CONTENT), item.findtext("description")):
        _no_executable_markup(markup)
    assert "]]&gt;" in item.findtext(CONTENT) and "&amp;" in item.findtext(CONTENT)
    assert "&lt;script&gt;" in item.findtext("description")
    entry = atom_entries(output / "atom.xml")[0]
    _no_executable_markup(entry.findtext(ATOM + "content"))
    _no_executable_markup(entry.findtext(ATOM + "summary"))
    feed = json.loads((output / "feed.json").read_text(encoding="utf-8"))
    _no_executable_markup(feed["items"][0]["content_html"])
    assert feed["items"][0]["summary"] == "ملخص & ]]> <script>alert(2)</script>"


# ---------------------------------------------------------------- JSON Feed


def test_json_feed_has_the_required_fields(fixture_out: Path) -> None:
    feed = json.loads((fixture_out / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "نشرة الاختبار"
    assert feed["home_page_url"] == FIXTURE_BASE
    assert feed["feed_url"] == FIXTURE_BASE + "feed.json"
    assert isinstance(feed["items"], list) and len(feed["items"]) == 3
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text")
        assert item["url"].startswith(FIXTURE_BASE)
        for key in ("date_published", "date_modified"):
            assert item[key].endswith("+03:00"), item[key]
    english = feed["items"][0]
    assert english["language"] == "en"
    assert english["authors"] == [{"name": "Jane Doe"}]
    assert english["tags"] == ["اختبار", "English"]
    assert english["external_url"] == "https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/english-story"
    assert feed["items"][1]["title"].startswith(RLM)


# ---------------------------------------------------------------- options and edge cases


def test_summary_only_feeds_leave_the_body_out(sample_site: Site) -> None:
    site = replace(sample_site, config=replace(sample_site.config, feed_full_content=False))
    article = site.articles[0]
    body_sentence = "شكك فيها في قدرة شركات ماسك"
    assert body_sentence in site.bodies[article.slug].html
    rss = strict(rss_feed(site, _root_spec(site)))
    item = rss.find("channel/item")
    assert body_sentence not in item.findtext(CONTENT)
    assert article.summary in item.findtext(CONTENT)
    assert article.summary in item.findtext("description")
    atom = strict(atom_feed(site, _root_spec(site)))
    assert body_sentence not in etree.tostring(atom, encoding="unicode")
    full = strict(rss_feed(sample_site, _root_spec(sample_site)))
    assert body_sentence in full.find("channel/item").findtext(CONTENT)


def _root_spec(site: Site) -> FeedSpec:
    config = site.config
    return FeedSpec("", config.title, config.description, config.base_url, site.articles[: config.feed_items])


def test_an_empty_site_has_valid_feeds_dated_at_the_epoch(sample_site: Site) -> None:
    site = replace(sample_site, articles=(), tags=(), outlets=(), build_date=None)
    outputs = {output.path: output.data for output in render_feeds(site)}
    assert sorted(outputs) == ["atom.xml", "feed.json", "feed.xml"]
    for name in ("atom.xml", "feed.xml"):
        assert not feedparser.parse(outputs[name]).bozo
    atom = strict(outputs["atom.xml"])
    assert atom.findtext(ATOM + "updated") == EMPTY_FEED_UPDATED.astimezone(site.config.timezone).isoformat()
    assert json.loads(outputs["feed.json"])["items"] == []


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    trees = []
    for seed in ("1", "2"):
        output = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "build.py", "--output", str(output)]
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        files = [*feed_files(output), output / "feed.json"]
        trees.append({path.relative_to(output).as_posix(): path.read_bytes() for path in files})
    assert len(trees[0]) == 2 + 2 * (12 + 2) + 1  # the site's, 12 tags' and 2 outlets' RSS and Atom, JSON Feed
    assert trees[0] == trees[1]


# ---------------------------------------------------------------- pages link to the feeds


def _alternates(page: Path) -> list[tuple[str, str]]:
    doc = lxml.html.fromstring(page.read_bytes())
    return [(link.get("type"), link.get("href")) for link in doc.xpath("//head/link[@rel='alternate']")]


def test_every_page_advertises_the_site_feeds(sample: Path) -> None:
    site_feeds = [
        ("application/rss+xml", "/nashra/feed.xml"),
        ("application/atom+xml", "/nashra/atom.xml"),
        ("application/feed+json", "/nashra/feed.json"),
    ]
    pages = sorted(sample.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        assert set(site_feeds) <= set(_alternates(page)), page
        doc = lxml.html.fromstring(page.read_bytes())
        footer_links = doc.xpath("//footer//ul[@class='feed-links']//a/@href")
        assert footer_links == [href for _, href in site_feeds], page
        assert doc.xpath("//footer//svg[@aria-hidden='true']"), page


def test_tag_pages_advertise_their_own_feeds_first(sample: Path) -> None:
    page = sample / "tags" / "openai" / "index.html"
    alternates = _alternates(page)
    assert alternates[:2] == [
        ("application/rss+xml", "/nashra/tags/openai/feed.xml"),
        ("application/atom+xml", "/nashra/tags/openai/atom.xml"),
    ]
    doc = lxml.html.fromstring(page.read_bytes())
    visible = doc.xpath("//main//ul[@class='feed-links']//a/@href")
    assert visible == ["/nashra/tags/openai/feed.xml", "/nashra/tags/openai/atom.xml"]
    for href in visible:
        assert (sample / "tags" / "openai" / href.rsplit("/", 1)[1]).is_file()
    titles = doc.xpath("//head/link[@rel='alternate']/@title")
    assert titles[:2] == ["نشرة التقنية والسياسة | OpenAI (RSS)", "نشرة التقنية والسياسة | OpenAI (Atom)"]


def test_tag_feed_titles_start_with_the_site_name_and_need_no_mark(sample: Path) -> None:
    """A Latin tag first would need an RLM; the Arabic site name first gives the line its direction."""
    folder = sample / "tags" / "openai"
    rss = strict((folder / "feed.xml").read_bytes()).findtext("channel/title")
    atom = strict((folder / "atom.xml").read_bytes()).findtext(ATOM + "title")
    assert rss == atom == "نشرة التقنية والسياسة | OpenAI"
    for path in (sample / "tags").glob("*/*.xml"):
        assert RLM not in feedparser.parse(path.read_bytes()).feed.title, path


def test_a_script_scheme_hidden_behind_unicode_space_is_dropped_from_feed_links(tmp_path: Path) -> None:
    story = '---\ntitle: "خبر"\ndate: 2025-06-30\n---\n<img src="\u2028data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">\n'
    output = build(write_site(tmp_path / "site", {"a.md": story}), tmp_path / "out")
    for name in ("feed.xml", "atom.xml", "feed.json"):
        text = (output / name).read_text(encoding="utf-8")
        assert "data:image" not in text, name


def test_outlet_feeds_carry_just_that_outlets_stories(sample: Path, sample_site: Site) -> None:
    folders = sorted(path.parent for path in (sample / "sources").glob("*/index.html"))
    assert [folder.name for folder in folders] == ["الرجل", "الموقع-بوست"] == [g.tag.slug for g in sample_site.outlets]
    for folder, group in zip(folders, sample_site.outlets, strict=True):
        page = SAMPLE_BASE + quote(f"sources/{folder.name}/")
        for name in ("feed.xml", "atom.xml"):
            parsed = feedparser.parse((folder / name).read_bytes())
            assert not parsed.bozo, f"{folder / name}: {parsed.get('bozo_exception')}"
            assert parsed.feed.title == f"نشرة التقنية والسياسة | {group.tag.name}"
            assert parsed.feed.link == page
            assert [entry.link for entry in parsed.entries] == [article.permalink for article in group.articles]
            assert {link.href for link in parsed.feed.links if link.rel == "self"} == {page + name}
    # every story that names an outlet is in its outlet's feed, and no other story is
    quoted = sum(1 for article in sample_site.articles if article.source_name)
    assert quoted == sum(len(group.articles) for group in sample_site.outlets) == 8


# ---------------------------------------------------------------- crediting the outlet's own feed


SOURCES = """[[source]]
name = "الموقع بوست"
feed = "https://almawqea.example/feed/"

[[source]]
name = "وكالة دولية"
feed = "https://مثال.إختبار/خلاصة الأخبار?لغة=ع&نوع=<كل>"
"""


def credited_site(root: Path, sources: str = SOURCES) -> Path:
    """Stories from a listed outlet (spelt as sources.toml does, and with tashkeel), from an outlet it
    does not list, and from one whose feed address needs escaping."""
    story = "---\ntitle: {title}\ndate: 2025-06-{day}T10:00:00+03:00\nsource: {source}\n{extra}---\nنص.\n"
    config = write_site(root, {
        "listed.md": story.format(title="خبر أول", day=28, source="الموقع بوست",
                                  extra="source_url: https://almawqea.example/news/1\n"),
        "tashkeel.md": story.format(title="خبر ثان", day=29, source='"الموقع بوسْت"', extra=""),
        "unlisted.md": story.format(title="خبر ثالث", day=30, source="المرصد",
                                    extra="source_url: https://observer.example/a\n"),
        "escaped.md": story.format(title="خبر رابع", day=27, source="وكالة دولية", extra=""),
    })  # fmt: skip
    (root / "sources.toml").write_text(sources, encoding="utf-8")
    return config


ESCAPED_FEED = "https://xn--mgbh0fb.xn--kgbechtv/%D8%AE%D9%84%D8%A7%D8%B5%D8%A9%20%D8%A7%D9%84%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1?%D9%84%D8%BA%D8%A9=%D8%B9&%D9%86%D9%88%D8%B9=%3C%D9%83%D9%84%3E"


def _by_title(elements: list[etree._Element], title: str) -> dict[str, etree._Element]:
    return {element.findtext(title): element for element in elements}


def test_rss_source_is_the_outlets_feed_when_sources_toml_lists_it(tmp_path: Path) -> None:
    output = build(credited_site(tmp_path / "site"), tmp_path / "out")
    items = _by_title(rss_items(output / "feed.xml"), "title")
    for title in ("خبر أول", "خبر ثان"):  # the spelling with tashkeel folds to the listed name
        source = items[title].find("source")
        assert source.get("url") == "https://almawqea.example/feed/", title
        assert source.text == "الموقع بوست", title  # sources.toml's name, whatever the story's spelling
    assert items["خبر ثالث"].find("source") is None  # an outlet sources.toml does not list: no <source>
    assert items["خبر رابع"].find("source").get("url") == ESCAPED_FEED
    parsed = {entry.title: entry for entry in feedparser.parse(output / "feed.xml").entries}
    assert parsed["خبر أول"].source == {"href": "https://almawqea.example/feed/", "title": "الموقع بوست"}
    assert "source" not in parsed["خبر ثالث"]
    # The link to the original stays, on the page and in the entry's text.
    assert 'href="https://almawqea.example/news/1"' in items["خبر أول"].findtext(CONTENT)
    assert 'href="https://almawqea.example/news/1"' in (output / "articles/listed/index.html").read_text("utf-8")


def test_atom_source_names_the_outlets_feed_and_the_via_link_stays(tmp_path: Path) -> None:
    output = build(credited_site(tmp_path / "site"), tmp_path / "out")
    entries = _by_title(atom_entries(output / "atom.xml"), ATOM + "title")
    first = entries["خبر أول"]
    source = first.find(ATOM + "source")
    assert source.findtext(ATOM + "id") == "https://almawqea.example/feed/"
    assert source.findtext(ATOM + "title") == "الموقع بوست"
    assert [(link.get("rel"), link.get("href")) for link in source.findall(ATOM + "link")] == [
        ("self", "https://almawqea.example/feed/")
    ]
    assert source.find(ATOM + "updated") is None  # unknown to the build; never the build's clock
    assert first.find(ATOM + "link[@rel='via']").get("href") == "https://almawqea.example/news/1"
    assert entries["خبر ثان"].find(ATOM + "source").findtext(ATOM + "title") == "الموقع بوست"
    assert entries["خبر ثالث"].find(ATOM + "source") is None
    assert entries["خبر ثالث"].find(ATOM + "link[@rel='via']").get("href") == "https://observer.example/a"
    assert entries["خبر رابع"].find(ATOM + "source").findtext(ATOM + "id") == ESCAPED_FEED
    parsed = {entry.title: entry for entry in feedparser.parse(output / "atom.xml").entries}
    assert parsed["خبر أول"].source.title == "الموقع بوست"
    assert parsed["خبر أول"].source.id == "https://almawqea.example/feed/"
    assert parsed["خبر أول"].source.links[0].href == "https://almawqea.example/feed/"
    assert "source" not in parsed["خبر ثالث"]


def test_the_escaped_feed_address_is_well_formed_xml_in_every_feed(tmp_path: Path) -> None:
    output = build(credited_site(tmp_path / "site"), tmp_path / "out")
    for path in feed_files(output):
        data = path.read_bytes()
        strict(data)
        assert not feedparser.parse(data).bozo, path
        assert "<كل>".encode() not in data and b"<\xd9" not in data
    raw = (output / "feed.xml").read_bytes()
    assert ESCAPED_FEED.replace("&", "&amp;").encode() in raw
    outlet_rss = rss_items(output / "sources/وكالة-دولية/feed.xml")  # an outlet's own feed credits it too
    assert [item.find("source").get("url") for item in outlet_rss] == [ESCAPED_FEED]


def test_json_feed_keeps_the_original_as_external_url(tmp_path: Path) -> None:
    output = build(credited_site(tmp_path / "site"), tmp_path / "out")
    items = {item["title"]: item for item in json.loads((output / "feed.json").read_text(encoding="utf-8"))["items"]}
    assert items["خبر أول"]["external_url"] == "https://almawqea.example/news/1"
    assert "almawqea.example/feed" not in json.dumps(items)


def test_without_sources_toml_no_feed_carries_a_source(tmp_path: Path) -> None:
    config = credited_site(tmp_path / "site")
    (tmp_path / "site/sources.toml").unlink()
    output = build(config, tmp_path / "out")
    for path in feed_files(output):
        root = strict(path.read_bytes())
        assert not [*root.iter("source"), *root.iter(ATOM + "source")], path


def test_a_broken_sources_toml_fails_the_build_with_its_line(tmp_path: Path) -> None:
    config = credited_site(tmp_path / "site", SOURCES + '\n[[source]]\nname = "ثالث"\nfeed = "ftp://x.example/"\n')
    (tmp_path / "site/content/bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    err = io.StringIO()
    code = main(["--config", str(config), "--output", str(tmp_path / "out")], stdout=io.StringIO(), stderr=err)
    assert code == 1
    lines = err.getvalue().splitlines()
    assert any(line.endswith("sources.toml:11: feed: must be an absolute http(s) address, got 'ftp://x.example/'")
               for line in lines), lines  # fmt: skip
    assert any("bad.md" in line for line in lines), lines  # reported together with the content's errors
    assert not (tmp_path / "out").exists()


def test_sources_option_names_another_file_and_a_missing_one_is_an_error(tmp_path: Path) -> None:
    config = credited_site(tmp_path / "site")
    other = tmp_path / "elsewhere.toml"
    other.write_text('[[source]]\nname = "المرصد"\nfeed = "https://observer.example/rss"\n', encoding="utf-8")
    output = build(config, tmp_path / "out", "--sources", str(other))
    items = _by_title(rss_items(output / "feed.xml"), "title")
    assert items["خبر ثالث"].find("source").get("url") == "https://observer.example/rss"
    assert items["خبر أول"].find("source") is None
    err = io.StringIO()
    args = ["check", "--config", str(config), "--sources", str(tmp_path / "missing.toml")]
    assert main(args, stdout=io.StringIO(), stderr=err) == 1
    assert "missing.toml: not found" in err.getvalue()
