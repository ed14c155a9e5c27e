import json
from dataclasses import replace
from datetime import UTC, datetime
from types import MappingProxyType

import lxml.html
import pytest
from conftest import make_article, make_config

from nashra.model import Body, Site, Tag, TagGroup
from nashra.render import article_context, make_env, news_article_json, render_pages


def tiny_site(**config) -> Site:
    tag = Tag("ميتا", "ميتا", "ميتا", "/digest/tags/%D9%85/", "https://example.github.io/digest/tags/%D9%85/")
    outlet = Tag(
        "الرجل", "الرجل", "الرجل", "/digest/sources/%D8%B1/", "https://example.github.io/digest/sources/%D8%B1/"
    )
    first = make_article(
        slug="a", tags=(tag,), title="OpenAI </script> تطلق", outlet=outlet, source_url="https://example.com/x"
    )
    second = make_article(slug="b", tags=(tag,), lang="en", dir="ltr", title="English", source_name="")
    return Site(
        config=make_config(**config),
        articles=(first, second),
        tags=(TagGroup(tag, (first, second)),),
        related=MappingProxyType({"a": (second,), "b": (first,)}),
        bodies=MappingProxyType({"a": Body("<p>نص الخبر</p>"), "b": Body("<p>Story text</p>")}),
        build_date=datetime(2025, 6, 30, tzinfo=UTC),
        outlets=(TagGroup(outlet, (first,)),),
    )


def rendered(site: Site) -> dict[str, str]:
    return {o.path: o.data.decode() for o in render_pages(site, make_env(site.config))}


def test_renders_every_page_kind() -> None:
    assert sorted(rendered(tiny_site())) == [
        "404.html",
        "archive/2025/06/index.html",
        "archive/2025/index.html",
        "archive/index.html",
        "articles/a/index.html",
        "articles/b/index.html",
        "index.html",
        "sources/index.html",
        "sources/الرجل/index.html",
        "tags/index.html",
        "tags/ميتا/index.html",
    ]


def test_the_outlet_links_to_its_page_and_the_story_to_the_original() -> None:
    pages = rendered(tiny_site())
    card = '<a class="card-source" href="/digest/sources/%D8%B1/"><bdi>الرجل</bdi></a>'
    assert card in pages["index.html"] and card in pages["sources/الرجل/index.html"]
    story = pages["articles/a/index.html"]
    assert 'المصدر:&nbsp;<a href="/digest/sources/%D8%B1/"><bdi>الرجل</bdi></a>' in story
    assert '&nbsp;(<a href="https://example.com/x" rel="external noopener">الخبر الأصلي</a>)' in story
    assert "story-source" not in pages["articles/b/index.html"]  # no outlet, no link to an original
    assert '<a href="/digest/sources/" aria-current="page">المصادر</a>' in pages["sources/index.html"]
    index = lxml.html.fromstring(pages["sources/index.html"])
    assert [" ".join(a.text_content().split()) for a in index.xpath("//ul[contains(@class, 'outlet-list')]//a")] == [
        "الرجل (1)"
    ]


def test_no_search_page_or_link_when_search_is_off() -> None:
    pages = rendered(tiny_site())
    assert "search/index.html" not in pages
    assert "البحث" not in pages["index.html"]
    assert "data-pagefind-body" not in pages["articles/a/index.html"]
    assert "/digest/search/" in rendered(tiny_site(search="full"))["index.html"]


def test_search_scope_decides_what_is_indexed() -> None:
    full = rendered(tiny_site(search="full"))["articles/a/index.html"]
    headlines = rendered(tiny_site(search="headlines"))["articles/a/index.html"]
    assert '<article class="story" data-pagefind-body>' in full
    assert '<header class="story-header" data-pagefind-body>' in headlines
    assert '<article class="story" data-pagefind-body>' not in headlines


def test_article_context_uses_the_articles_language() -> None:
    site = tiny_site()
    context = article_context(site, site.articles[1])
    assert (context["lang"], context["dir"], context["chrome_lang"], context["chrome_dir"]) == (
        "en",
        "ltr",
        "ar",
        "rtl",
    )
    assert context["og_locale"] == "en_US"
    assert context["related"] == (site.articles[0],)


def test_json_ld_cannot_close_its_script_element() -> None:
    site = tiny_site()
    text = news_article_json(site, site.articles[0])
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["headline"] == "OpenAI </script> تطلق"


def test_json_ld_urls_are_absolute_and_ascii() -> None:
    site = tiny_site()
    article = replace(site.articles[0], source_url="https://مثال.إختبار/خبر 1")
    data = json.loads(news_article_json(site, article))
    assert data["isBasedOn"] == "https://xn--mgbh0fb.xn--kgbechtv/%D8%AE%D8%A8%D8%B1%201"
    assert data["url"] == data["mainEntityOfPage"] == article.permalink


HOSTILE_TITLES = ["خبر <!--<script> عاجل", "<!--<script>", "</script><script>alert(1)</script>", "R&D <b> -->"]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_title_that_opens_a_comment_and_a_script_leaves_the_page_intact(title: str) -> None:
    """`<!--<script>` in a script element puts the HTML tokenizer in its double-escaped state."""
    unescaped = '<script type="application/ld+json">"<!--<script>"</script><body><h1>x</h1></body>'
    assert not lxml.html.fromstring(unescaped).xpath("//h1"), "needs lxml 6 (libxml2 2.14's HTML5 tokenizer)"
    site = tiny_site()
    site = replace(site, articles=(replace(site.articles[0], title=title, summary=title), site.articles[1]))
    page = lxml.html.fromstring(rendered(site)["articles/a/index.html"])
    [script] = page.xpath("//script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["headline"] == data["description"] == title
    assert page.find("body") is not None
    assert page.xpath("string(//body//h1)") == title
    assert page.xpath("//body//footer"), "the end of the page became script text"


def test_arabic_digits_setting_applies_to_display_only() -> None:
    pages = rendered(tiny_site(digits="arab"))
    article = pages["articles/a/index.html"]
    assert "٣٠ يونيو ٢٠٢٥" in article
    assert 'datetime="2025-06-30T11:05:00+00:00"' in article


def test_related_block_lists_related_stories() -> None:
    article = rendered(tiny_site())["articles/a/index.html"]
    assert "أخبار ذات صلة" in article
    assert 'href="/digest/articles/b/"' in article


def test_hijri_date_only_when_configured() -> None:
    assert "الموافق" not in rendered(tiny_site())["articles/a/index.html"]
    assert "(الموافق 5 محرم 1447 هـ)" in rendered(tiny_site(hijri=True))["articles/a/index.html"]
