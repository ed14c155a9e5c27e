"""news-sitemap.xml: the stories of the last two days before the build's reference time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import SITE_TOML, article_text, files_of, make_article, make_config, run_cli, write_tree
from conftest import source_date_epoch as clock
from lxml import etree

from nashra import news

NOW = datetime(2025, 7, 15, 12, tzinfo=UTC)
NS = {"s": news.SITEMAP_NS, "news": news.NEWS_NS}


def stories(*hours_ago: float) -> tuple:
    return tuple(
        make_article(slug=f"s{i}", title=f"خبر {i} <&>", date=NOW - timedelta(hours=hours))
        for i, hours in enumerate(hours_ago)
    )


def test_only_stories_of_the_last_two_days_are_listed() -> None:
    picked = news.recent(stories(1, 47.9, 48, 48.1, 200), NOW)
    assert [article.slug for article in picked] == ["s0", "s1", "s2"]
    assert news.window_closes(picked) == NOW  # s2, published exactly 48 hours ago, leaves now
    assert news.window_closes(()) is None


def test_at_most_a_thousand_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    many = stories(*(i / 100 for i in range(1_005)))
    assert len(news.recent(many, NOW)) == news.LIMIT == 1_000
    assert news.recent(many, NOW)[-1].slug == "s999"  # the newest thousand


def test_the_sitemap_is_valid_with_the_news_namespace_and_fields() -> None:
    config = make_config()
    data = news.news_sitemap(config, news.recent(stories(1, 5), NOW))
    root = etree.fromstring(data)
    assert root.tag == f"{{{news.SITEMAP_NS}}}urlset"
    assert root.nsmap == {None: news.SITEMAP_NS, "news": news.NEWS_NS}
    entries = root.findall("s:url", NS)
    assert [entry.findtext("s:loc", namespaces=NS) for entry in entries] == [
        "https://example.github.io/digest/articles/s0/",
        "https://example.github.io/digest/articles/s1/",
    ]
    first = entries[0]
    assert first.findtext("news:news/news:publication/news:name", namespaces=NS) == "نشرة الاختبار"
    assert first.findtext("news:news/news:publication/news:language", namespaces=NS) == "ar"
    assert first.findtext("news:news/news:publication_date", namespaces=NS) == "2025-07-15T11:00:00+00:00"
    assert first.findtext("news:news/news:title", namespaces=NS) == "خبر 0 <&>"
    assert data == news.news_sitemap(config, news.recent(stories(1, 5), NOW))  # same input, same bytes


def test_an_empty_window_gives_an_empty_but_valid_urlset() -> None:
    root = etree.fromstring(news.news_sitemap(make_config(), ()))
    assert root.tag == f"{{{news.SITEMAP_NS}}}urlset" and len(root) == 0


@pytest.mark.parametrize(
    ("lang", "code"), [("ar", "ar"), ("ar-EG", "ar"), ("EN-us", "en"), ("zh-Hant", "zh-tw"), ("zh", "zh-cn")]
)
def test_language_codes_follow_google_news(lang: str, code: str) -> None:
    assert news.news_language(lang) == code


def _build(site: Path, when: datetime) -> dict[str, bytes]:
    with clock(int(when.timestamp())):
        result = run_cli(["--config", str(site / "site.toml"), "--output", str(site / "output")])
    assert result.code == 0, result.err
    return files_of(site / "output")


def test_a_build_after_a_story_leaves_the_window_drops_it_though_nothing_else_changed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"site.toml": SITE_TOML})
    write_tree(tmp_path / "content", {
        "old.md": article_text("قديم", "2025-07-10T09:00:00+03:00"),
        "new.md": article_text("جديد", "2025-07-15T09:00:00+03:00"),
    })  # fmt: skip
    first = _build(tmp_path, NOW)
    assert b"/articles/new/" in first["news-sitemap.xml"] and b"/articles/old/" not in first["news-sitemap.xml"]
    assert b"Sitemap: https://example.github.io/digest/news-sitemap.xml\n" in first["robots.txt"]
    same = _build(tmp_path, NOW + timedelta(hours=40))  # still in the window: nothing to make
    assert same == first
    later = _build(tmp_path, NOW + timedelta(days=2))  # 48 hours after 06:00 UTC have passed
    assert b"<url>" not in later["news-sitemap.xml"]
    assert {path for path in first if first[path] != later[path]} == {"news-sitemap.xml"}
