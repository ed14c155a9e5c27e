"""The front page: which story leads, how the home pages split the stories, the busiest tags' sections."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

import lxml.html
import pytest
from conftest import article_text, make_article, make_config
from test_collect import site_from

from nashra.collect import group_by_tag
from nashra.config import parse_config
from nashra.errors import BuildError
from nashra.front import HomeSection, home_listings, home_order, home_sections, lead_story
from nashra.incremental import data_digests
from nashra.model import Article, Body, Site, Tag
from nashra.plan import plan, public_config
from nashra.render import make_env, render_pages

START = datetime(2025, 6, 30, 12, tzinfo=UTC)


def tag(name: str) -> Tag:
    return Tag(name, name, name, f"/digest/tags/{name}/", f"https://example.github.io/digest/tags/{name}/")


def stories(count: int, featured: tuple[int, ...] = (), tags: dict[int, tuple[Tag, ...]] | None = None):
    """`count` stories, newest first (s0 is the newest), some featured, some tagged."""
    return tuple(
        make_article(
            slug=f"s{n}",
            title=f"خبر {n}",
            date=START - timedelta(hours=n),
            featured=n in featured,
            tags=(tags or {}).get(n, ()),
        )
        for n in range(count)
    )


def slugs(items: tuple[Article, ...]) -> list[str]:
    return [item.slug for item in items]


def test_the_newest_story_leads_unless_one_is_featured() -> None:
    assert lead_story(()) is None
    assert lead_story(stories(4)).slug == "s0"
    assert lead_story(stories(4, featured=(2,))).slug == "s2"
    assert lead_story(stories(4, featured=(1, 3))).slug == "s1"  # the newest featured story
    assert slugs(home_order(stories(4, featured=(2,)))) == ["s2", "s0", "s1", "s3"]
    assert slugs(home_order(stories(3))) == ["s0", "s1", "s2"]


@pytest.mark.parametrize("count", [0, 1, 4, 5, 6, 11, 12, 23])
@pytest.mark.parametrize("featured", [(), (7,), (0, 9)])
def test_home_pages_show_every_story_once_page_one_with_the_lead_and_grid(
    count: int, featured: tuple[int, ...]
) -> None:
    config = make_config(per_page=3, home_grid=4)
    articles = stories(count, featured)
    listings = home_listings(config, articles)
    shown = [slug for listing in listings for slug in slugs(listing.items)]
    assert sorted(shown) == sorted(slugs(articles)) and len(shown) == len(set(shown))
    assert len(listings[0].items) == min(count, 5)
    assert all(len(listing.items) == 3 for listing in listings[1:-1])
    assert len(listings) == 1 or 1 <= len(listings[-1].items) <= 3
    assert [listing.url for listing in listings[:2]] == ["/digest/", "/digest/page/2/"][: len(listings)]
    if count:
        assert listings[0].items[0] == lead_story(articles)
        later = [item for listing in listings[1:] for item in listing.items]
        assert later == sorted(later, key=lambda item: item.date, reverse=True)  # plain lists, newest first


def test_sections_are_the_busiest_tags_with_what_page_one_does_not_show() -> None:
    busy, quiet, lone = tag("busy"), tag("quiet"), tag("lone")
    tagged = {n: (busy,) for n in range(6)} | {1: (busy, quiet), 6: (quiet,), 7: (quiet, busy), 8: (lone,)}
    articles = stories(9, tags=tagged)
    groups = group_by_tag(articles)
    shown = articles[:2]  # s0 and s1 are on page 1 above the sections
    config = make_config(home_sections=3, home_section_items=3)
    sections = home_sections(config, groups, shown)
    assert [(section.tag.name, slugs(section.items)) for section in sections] == [
        ("busy", ["s2", "s3", "s4"]),  # 7 stories; s0, s1 already shown; at most three
        ("quiet", ["s6", "s7"]),  # 3 stories; s1 shown above
        ("lone", ["s8"]),
    ]
    assert home_sections(make_config(home_sections=1, home_section_items=3), groups, shown) == sections[:1]
    assert home_sections(make_config(home_sections=0), groups, shown) == ()
    # A tag whose stories are all shown already gives no section; the next busiest takes its place.
    everything_but_lone = home_sections(make_config(home_sections=2), groups, articles[:8])
    assert [section.tag.name for section in everything_but_lone] == ["lone"]


def rendered(articles: tuple[Article, ...], **config) -> dict[str, lxml.html.HtmlElement]:
    bodies = MappingProxyType({article.slug: Body("<p>نص</p>") for article in articles})
    site = Site(make_config(**config), articles, group_by_tag(articles), bodies=bodies)
    env = make_env(site.config)
    return {o.path: lxml.html.fromstring(o.data) for o in render_pages(site, env) if o.path.endswith("index.html")}


def test_front_page_leads_with_the_lead_then_the_grid_then_sections_and_page_two_is_a_plain_list() -> None:
    from nashra.model import Image

    picture = Image("/digest/a.webp", "/digest/a-480w.webp 480w, /digest/a-960w.webp 960w", 960, 540)
    articles = stories(9, featured=(3,), tags={n: (tag("busy"),) for n in range(9)})
    articles = tuple(item if item.slug != "s3" else replace(item, picture=picture) for item in articles)
    pages = rendered(articles, per_page=2, home_grid=2, home_sections=2, home_section_items=2)
    front = pages["index.html"]
    headings = [(h.tag, h.text_content().strip()) for h in front.xpath("//main//*[self::h1 or self::h2 or self::h3]")]
    assert headings == [
        ("h1", "آخر الأخبار"),
        ("h2", "خبر 3"),  # the lead: the featured story, first in reading order
        ("h2", "خبر 0"),
        ("h2", "خبر 1"),
        ("h2", "busy"),
        ("h3", "خبر 2"),
        ("h3", "خبر 4"),
    ]
    lead = front.xpath("//img[@class='lead-picture']")[0]
    assert (lead.get("fetchpriority"), lead.get("loading"), lead.get("width"), lead.get("height")) == (
        "high", None, "960", "540"
    )  # fmt: skip
    assert "480w" in lead.get("srcset") and lead.get("sizes")
    assert front.xpath("//article[@id='lead']//time[@data-relative]")[0].get("datetime").startswith("2025-06-30T")
    assert front.xpath("//h2[@class='home-section-title']/a")[0].get("href") == "/digest/tags/busy/"
    second = pages["page/2/index.html"]
    assert not second.xpath("//article[@id='lead'] | //section[@class='home-section']")
    assert [h.text_content().strip() for h in second.xpath("//h2[@class='card-title']")] == [
        "خبر 2",
        "خبر 4",
    ]  # sections only highlight
    assert second.xpath("//h1")[0].text_content().strip() == "آخر الأخبار — صفحة 2"


def test_a_lead_without_a_picture_is_typographic_and_an_empty_site_says_so() -> None:
    front = rendered(stories(1))["index.html"]
    assert front.xpath("//article[@class='lead']/h2")[0].text_content().strip() == "خبر 0"
    assert not front.xpath("//img")
    assert not front.xpath("//ol[contains(@class, 'home-grid')]")
    empty = rendered(())["index.html"]
    assert empty.xpath("//p[@class='empty']") and not empty.xpath("//article[@id='lead']")


def test_featured_must_be_true_or_false(tmp_path: Path) -> None:
    site, _ = site_from(tmp_path / "ok", {"a.md": article_text(featured="true"), "b.md": article_text("ب")})
    assert {article.slug: article.featured for article in site.articles} == {"a": True, "b": False}
    with pytest.raises(BuildError) as raised:
        site_from(tmp_path / "bad", {"a.md": article_text(featured="yes please")})
    assert "content/a.md:4: featured: must be true or false, got 'yes please'" in str(raised.value)


def test_front_page_settings_are_checked() -> None:
    raw = {"title": "x", "base_url": "https://a.b/", "home_grid": -1, "home_sections": -2, "home_section_items": 0}
    with pytest.raises(BuildError) as raised:
        parse_config(raw, "site.toml", Path("."))
    text = str(raised.value)
    assert "home_grid: must be 0 or more, got -1" in text
    assert "home_sections: must be 0 or more, got -2" in text
    assert "home_section_items: must be at least 1, got 0" in text
    config = parse_config(
        {"title": "x", "base_url": "https://a.b/", "home_grid": 0, "home_sections": 0}, "s", Path(".")
    )
    assert (config.home_grid, config.home_sections, config.home_section_items) == (0, 0, 4)


def test_the_front_page_is_made_from_what_it_shows_only(tmp_path: Path) -> None:
    """An old story on no section of page 1 can change without remaking page 1; one in a section cannot."""
    busy, quiet = tag("busy"), tag("quiet")
    articles = stories(12, tags={n: (busy,) for n in range(12)} | {11: (quiet,)})
    config = public_config(make_config(per_page=3, home_grid=2, home_sections=1, home_section_items=2))

    def front_digest(articles: tuple[Article, ...]) -> str:
        jobs = [
            job for job in plan(Site(config, articles, group_by_tag(articles)), tmp_path) if job.path == "index.html"
        ]
        _, listing, sections = jobs[0].inputs()
        assert slugs(listing.items) == ["s0", "s1", "s2"] and sections == (HomeSection(busy, articles[3:5]),)
        return data_digests(jobs)[0]

    before = front_digest(articles)
    retitled = {"s9": "عنوان جديد لخبر قديم", "s11": "وسم هادئ"}  # on page 4, in no section
    assert front_digest(tuple(replace(a, title=retitled.get(a.slug, a.title)) for a in articles)) == before
    assert front_digest(tuple(replace(a, title="جديد") if a.slug == "s4" else a for a in articles)) != before
