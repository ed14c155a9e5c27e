"""Jinja2 over layouts/: one documented context per template, rendered to Outputs.

Every template receives the BaseContext keys; each page template adds its own (see README,
"Template context"). Templates only print: URLs, order, direction and arrows come from here.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypedDict

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    select_autoescape,
)
from markupsafe import Markup

from . import dates
from .archives import ArchiveMonth, ArchiveYear, archive_years, month_groups, month_url
from .config import SiteConfig
from .errors import BuildError, Problem
from .feeds import FeedLink, outlet_feed_links, site_feed_links, tag_feed_links
from .front import HomeSection, home_listings, home_sections
from .links import finish_html
from .markup import display_footnote_numbers
from .model import Article, Body, Listing, Output, Site, Tag, TagGroup
from .paginate import paginate
from .search import BUNDLE
from .share import ShareLink, share_links
from .text import (
    count_phrase,
    minutes_phrase,
    reading_minutes,
    text_direction,
    to_display_digits,
    without_bidi_marks,
)
from .urls import (
    absolute,
    absolutize,
    archive_path,
    archive_year_path,
    article_path,
    asset_path,
    file_for,
    href,
    outlet_path,
    outlets_index_path,
    tag_path,
    tags_index_path,
)

ARCHIVE_TEMPLATES = ("archive.html", "archive-year.html", "archive-month.html")
ARROWS = {"rtl": {"prev": "→", "next": "←"}, "ltr": {"prev": "←", "next": "→"}}
OG_LOCALES = {"ar": "ar_AR", "en": "en_US", "fr": "fr_FR", "fa": "fa_IR", "ur": "ur_PK", "he": "he_IL"}
TEMPLATES = (
    "index.html",
    "article.html",
    "tag.html",
    "tags.html",
    "outlet.html",
    "outlets.html",
    "404.html",
    *ARCHIVE_TEMPLATES,
)
SEARCH_TEMPLATE = "search.html"
SEARCH_PATH = "search/"
JSON_LD_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class Links(TypedDict):
    """Root-relative links the site chrome needs."""

    home: str
    tags: str
    sources: str  # the index of outlets
    css: str
    script: str
    search: str  # "" when search is off
    icon: str  # the site's favicon from static/, "" when it has none
    archive: str


class BaseContext(TypedDict):
    """Keys every template receives."""

    site: SiteConfig
    lang: str
    dir: str
    chrome_lang: str
    chrome_dir: str
    url: str
    canonical_url: str
    page_title: str
    description: str
    og_locale: str
    og_type: str
    links: Links
    feeds: tuple[FeedLink, ...]
    arrows: dict[str, str]


class ListingContext(BaseContext):
    listing: Listing


class HomeContext(ListingContext):
    lead: Article | None  # the front page's lead story; None on pages 2 and on
    stories: tuple[Article, ...]  # the page's other stories: the grid on page 1, the list after
    sections: tuple[HomeSection, ...]  # the busiest tags' sections, on page 1 only


class ArticleContext(BaseContext):
    article: Article
    body: Body
    body_html: Markup  # the body with its links resolved and its pictures sized
    reading_minutes: int
    related: tuple[Article, ...]
    json_ld: Markup
    archive_url: str  # the month archive that lists the story
    share: tuple[ShareLink, ...]
    share_script: str


class TagContext(ListingContext):
    tag: Tag
    count: int
    tag_feeds: tuple[FeedLink, ...]


class TagsContext(BaseContext):
    tags: tuple[TagGroup, ...]


def make_env(config: SiteConfig) -> Environment:
    """A strict Jinja environment over the layouts folder, with the date and digit filters."""
    env = Environment(
        loader=FileSystemLoader(config.layouts_dir),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "xml"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = lambda moment: dates.human_date(
        moment, config.timezone, config.language, config.month_style, config.digits
    )
    env.filters["time"] = lambda moment: dates.human_time(moment, config.timezone, config.language, config.digits)
    env.filters["zone"] = lambda moment: dates.zone_label(moment, config.timezone, config.timezone_label, config.digits)
    env.filters["iso"] = dates.iso
    env.filters["hijri"] = lambda moment: dates.hijri_date(moment, config.timezone, config.digits)
    env.filters["digits"] = lambda value: to_display_digits(str(value), config.digits)
    env.filters["minutes"] = lambda minutes: minutes_phrase(minutes, config.digits)
    env.filters["plural"] = lambda count, noun: count_phrase(count, noun, config.digits)
    _check_templates(env, config.layouts_dir, TEMPLATES + ((SEARCH_TEMPLATE,) if config.has_search else ()))
    return env


def _check_templates(env: Environment, layouts: Path, names: tuple[str, ...]) -> None:
    problems = []
    for name in names:
        try:
            env.get_template(name)
        except TemplateSyntaxError as error:
            problems.append(
                Problem(f"{layouts.name}/{error.name or name}", error.lineno, f"template error: {error.message}")
            )
        except OSError:
            problems.append(Problem(f"{layouts.name}/{name}", None, "template not found; every layout needs it"))
    if problems:
        raise BuildError(problems)


def render_pages(site: Site, env: Environment) -> Iterator[Output]:
    """Home pages, article pages, tag pages, the tag index, outlet pages, their index and the 404 page."""
    config = site.config
    for listing in home_listings(config, site.articles):
        sections = home_sections(config, site.tags, listing.items) if listing.number == 1 else ()
        yield _page(env, "index.html", listing.path, home_context(site, listing, sections))
    for article in site.articles:
        yield _page(env, "article.html", article_path(article.slug), article_context(site, article))
    for group in site.tags:
        for listing in paginate(config, group.articles, tag_path(group.tag.slug)):
            yield _page(env, "tag.html", listing.path, tag_context(site, group.tag, len(group.articles), listing))
    yield _page(env, "tags.html", tags_index_path(), tags_context(site))
    yield from _outlet_pages(site, env)
    yield from _archive_pages(site, env)
    if config.has_search:
        yield _page(env, SEARCH_TEMPLATE, SEARCH_PATH, search_context(site, len(site.articles)))
    yield Output("404.html", render_template(env, "404.html", not_found_context(site)))


def _archive_pages(site: Site, env: Environment) -> Iterator[Output]:
    """The archive index, a page per year and the (paginated) pages of each month."""
    groups = month_groups(site.config, site.articles)
    years = archive_years(site.config, groups)
    yield _page(env, "archive.html", archive_path(), archive_index_context(site, years))
    for year in years:
        yield _page(env, "archive-year.html", year.path, archive_year_context(site, year))
    for group in groups:
        for listing in paginate(site.config, group.articles, group.month.path):
            yield _page(env, "archive-month.html", listing.path, archive_month_context(site, group.month, listing))


def _page(env: Environment, template: str, site_path: str, context: Any) -> Output:
    return Output(file_for(site_path), render_template(env, template, context))


def render_template(env: Environment, template: str, context: Any) -> bytes:
    """One layout rendered with its context, as UTF-8; a template mistake names the layout and line."""
    try:
        return env.get_template(template).render(context).encode("utf-8")
    except TemplateError as error:
        raise BuildError([_template_problem(env, template, error)]) from error


def _template_problem(env: Environment, template: str, error: TemplateError) -> Problem:
    """Name the layout file and line where rendering failed (Jinja maps its frames to templates)."""
    layouts = Path(env.loader.searchpath[0]) if isinstance(env.loader, FileSystemLoader) else Path("layouts")
    where, line = f"{layouts.name}/{template}", None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        filename = Path(frame.f_code.co_filename)
        if filename.suffix == ".html" and layouts.resolve() in filename.resolve().parents:
            where, line = f"{layouts.name}/{filename.resolve().relative_to(layouts.resolve()).as_posix()}", lineno
    return Problem(where, line, f"template error: {error.message or error}")


# ---------------------------------------------------------------- context builders


def base_context(site: Site, site_path: str, page_title: str, description: str, lang: str | None = None,
                 og_type: str = "website") -> BaseContext:  # fmt: skip
    """Keys every page gets; `lang` is the page's language when it differs from the site's."""
    config = site.config
    lang = lang or config.language
    return BaseContext(
        site=config,
        lang=lang,
        dir=text_direction(lang),
        chrome_lang=config.language,
        chrome_dir=config.dir,
        url=href(config, site_path),
        canonical_url=absolute(config, site_path),
        page_title=page_title,
        description=description or config.description,
        og_locale=OG_LOCALES.get(lang.split("-")[0], lang.replace("-", "_")),
        og_type=og_type,
        links=Links(
            home=href(config, ""),
            tags=href(config, tags_index_path()),
            sources=href(config, outlets_index_path()),
            css=href(config, asset_path("style.css")),
            script=href(config, asset_path("relative-time.js")),
            search=href(config, SEARCH_PATH) if config.has_search else "",
            icon=href(config, config.icon) if config.icon else "",
            archive=href(config, archive_path()),
        ),
        feeds=site_feed_links(config),
        arrows=ARROWS[config.dir],
    )


def home_context(site: Site, listing: Listing, sections: tuple[HomeSection, ...] = ()) -> HomeContext:
    """A home page; page 1 leads with its first story (see front.py) and adds the tag sections."""
    title = site.config.title if listing.number == 1 else f"صفحة {listing.number} | {site.config.title}"
    base = base_context(site, listing.path, _digits(site, title), site.config.description)
    front = listing.number == 1 and bool(listing.items)
    lead, stories = (listing.items[0], listing.items[1:]) if front else (None, listing.items)
    return HomeContext(**base, listing=listing, lead=lead, stories=stories, sections=sections)


def article_context(site: Site, article: Article) -> ArticleContext:
    base = base_context(
        site, article_path(article.slug), f"{article.title} | {site.config.title}", article.summary,
        lang=article.lang, og_type="article",
    )  # fmt: skip
    body = site.bodies[article.slug]
    minutes = reading_minutes(body.words, site.config.words_per_minute)
    # The first picture on screen is what loads first: the lead picture, or else the body's first.
    eager = 0 if article.picture else 1
    return ArticleContext(
        **base,
        article=article,
        body=body,
        body_html=Markup(display_footnote_numbers(finish_html(body.html, body.links, eager=eager), site.config.digits)),
        reading_minutes=minutes,
        related=site.related.get(article.slug, ()),
        json_ld=news_article_json(site, article),
        archive_url=month_url(article, site.config),
        share=share_links(article.title, article.permalink),
        share_script=href(site.config, asset_path("share.js")),
    )


def tag_context(site: Site, tag: Tag, count: int, listing: Listing) -> TagContext:
    suffix = "" if listing.number == 1 else f" | صفحة {listing.number}"
    title = _digits(site, f"{tag.name}{suffix} | {site.config.title}")
    description = f"آخر الأخبار عن {tag.name} في {site.config.title}"
    base = base_context(site, listing.path, title, description)
    return TagContext(**base, listing=listing, tag=tag, count=count, tag_feeds=tag_feed_links(site.config, tag))


def tags_context(site: Site) -> TagsContext:
    title = f"الوسوم | {site.config.title}"
    ordered = tuple(sorted(site.tags, key=lambda group: (-len(group.articles), group.tag.slug)))
    return TagsContext(
        **base_context(site, tags_index_path(), title, "كل الوسوم وعدد الأخبار في كل منها"), tags=ordered
    )


class OutletContext(ListingContext):
    outlet: Tag
    count: int
    outlet_feeds: tuple[FeedLink, ...]


class OutletsContext(BaseContext):
    outlets: tuple[TagGroup, ...]


def _outlet_pages(site: Site, env: Environment) -> Iterator[Output]:
    """Every outlet's paginated page, then the index of outlets."""
    for group in site.outlets:
        for listing in paginate(site.config, group.articles, outlet_path(group.tag.slug)):
            context = outlet_context(site, group.tag, len(group.articles), listing)
            yield _page(env, "outlet.html", listing.path, context)
    yield _page(env, "outlets.html", outlets_index_path(), outlets_context(site))


def outlet_context(site: Site, outlet: Tag, count: int, listing: Listing) -> OutletContext:
    """One page of an outlet's stories, newest first, with the outlet's own feeds."""
    suffix = "" if listing.number == 1 else f" | صفحة {listing.number}"
    title = _digits(site, f"{outlet.name}{suffix} | {site.config.title}")
    description = f"آخر الأخبار المنقولة عن {outlet.name} في {site.config.title}"
    base = base_context(site, listing.path, title, description)
    feeds = outlet_feed_links(site.config, outlet)
    return OutletContext(**base, listing=listing, outlet=outlet, count=count, outlet_feeds=feeds)


def outlets_context(site: Site) -> OutletsContext:
    """Every outlet with its number of stories, the most quoted first."""
    title = f"المصادر | {site.config.title}"
    ordered = tuple(sorted(site.outlets, key=lambda group: (-len(group.articles), group.tag.slug)))
    base = base_context(site, outlets_index_path(), title, "كل المصادر التي ننقل عنها وعدد الأخبار من كل منها")
    return OutletsContext(**base, outlets=ordered)


class ArchiveIndexContext(BaseContext):
    years: tuple[ArchiveYear, ...]


class ArchiveYearContext(BaseContext):
    year: ArchiveYear


class ArchiveMonthContext(ListingContext):
    month: ArchiveMonth
    year_url: str


def archive_index_context(site: Site, years: tuple[ArchiveYear, ...]) -> ArchiveIndexContext:
    """The archive index: every year and month with its number of stories."""
    base = base_context(site, archive_path(), f"الأرشيف | {site.config.title}", "أخبار كل شهر وكل سنة")
    return ArchiveIndexContext(**base, years=years)


def archive_year_context(site: Site, year: ArchiveYear) -> ArchiveYearContext:
    """A year's page: its months with their numbers of stories."""
    title = f"أرشيف {year.name} | {site.config.title}"
    base = base_context(site, year.path, title, f"أخبار {site.config.title} في {year.name}")
    return ArchiveYearContext(**base, year=year)


def archive_month_context(site: Site, month: ArchiveMonth, listing: Listing) -> ArchiveMonthContext:
    """One page of a month's stories, newest first."""
    suffix = "" if listing.number == 1 else _digits(site, f" | صفحة {listing.number}")
    title = f"أرشيف {month.name}{suffix} | {site.config.title}"
    base = base_context(site, listing.path, title, f"أخبار {site.config.title} في {month.name}")
    year_url = href(site.config, archive_year_path(month.year))
    return ArchiveMonthContext(**base, listing=listing, month=month, year_url=year_url)


class SearchContext(BaseContext):
    pagefind: dict[str, str]
    stories: int  # how many stories the index holds; 0 on a site with nothing published yet


def search_context(site: Site, stories: int) -> SearchContext:
    """The search page: Pagefind's bundle folder, script and stylesheet, and whether there is anything to find."""
    config = site.config
    title = f"البحث | {config.title}"
    base = base_context(site, SEARCH_PATH, title, f"ابحث في أخبار {config.title}")
    bundle = href(config, BUNDLE)
    pagefind = {"bundle": bundle, "script": bundle + "pagefind-ui.js", "css": bundle + "pagefind-ui.css",
                "init": href(config, asset_path("search.js"))}  # fmt: skip
    return SearchContext(**base, pagefind=pagefind, stories=stories)


def not_found_context(site: Site) -> BaseContext:
    return base_context(site, "404.html", f"الصفحة غير موجودة | {site.config.title}", site.config.description)


def news_article_json(site: Site, article: Article) -> Markup:
    """schema.org NewsArticle as JSON-LD, safe inside a <script> element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": without_bidi_marks(article.title),  # JSON-LD is plain data: no direction marks (R9.2)
        "description": article.summary,
        "inLanguage": article.lang,
        "datePublished": dates.iso(article.date),
        "dateModified": dates.iso(article.modified),
        "url": article.permalink,
        "mainEntityOfPage": article.permalink,
        "publisher": {"@type": "Organization", "name": site.config.title, "url": site.config.base_url},
    }
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    elif article.source_name:
        data["author"] = {"@type": "Organization", "name": article.source_name}
    if article.image:
        data["image"] = [article.image]
    if article.tags:
        data["keywords"] = [tag.name for tag in article.tags]
    words = site.bodies[article.slug].words
    if words:
        data["wordCount"] = words
        data["timeRequired"] = f"PT{reading_minutes(words, site.config.words_per_minute)}M"
    if article.source_url:
        data["isBasedOn"] = absolutize(site.config, article.source_url)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    # `<`, `>` and `&` appear only inside JSON strings, where their \u escapes mean the same; without
    # them `</script>` or `<!--<script>` in a title would end or swallow the rest of the page.
    return Markup(text.translate(JSON_LD_ESCAPES))


def _digits(site: Site, text: str) -> str:
    return to_display_digits(text, site.config.digits)
