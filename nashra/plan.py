"""Every output of the site, declared once: its path, how it is made, and the data it is made from.

A Job is made by `produce(job, env)` from exactly `job.inputs()` (plus the layout templates and
nashra's code): a page's context is built from them by a function of render.py, and a feed is
written from them. So the digest of the inputs is a complete description of the output's bytes,
which `incremental.py` compares with the previous build's instead of keeping a dependency graph.
The inputs are narrow on purpose: a page gets a view of the site with just the settings and the
parts its context builder reads. Listing pages get stories without their bodies (see
`model.Article`), a story page its own body and the listing fields of its related stories, a
feed the stories and bodies it carries.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import Environment

from . import extras, feeds, news, render
from .archives import archive_years, month_groups
from .config import SiteConfig
from .errors import BuildError, Problem
from .front import home_listings, home_sections
from .model import Article, Body, CacheDamaged, Output, Site
from .paginate import paginate
from .pictures import variant_path
from .state import digest_bytes
from .urls import archive_path, article_path, file_for, outlet_path, outlets_index_path, tag_path, tags_index_path

PAGE = "page"
FILE = "file"
COPY = "copy"  # a file of content/ or static/, published byte for byte
VARIANT = "variant"  # a resized picture, made once into the picture store
RESIZED = " (resized)"  # how a variant's origin is named in messages
FEEDS: dict[str, Callable[..., bytes]] = {"rss": feeds.rss_feed, "atom": feeds.atom_feed, "json": feeds.json_feed}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Job:
    """One output file: where it goes, what makes it (a layout, a feed writer or plain bytes), from what.

    `inputs()` gives everything the output is made from; `make(*inputs)` turns them into the
    template's context (pages), the feed's data (feeds) or the bytes themselves (files).
    """

    path: str
    kind: str
    template: str
    make: Callable[..., Any]
    inputs: Callable[[], tuple[Any, ...]]
    source: Path | None = None  # the file a copy or a variant is read from; not part of its key
    origin: str = ""  # the file of content/ or static/ it comes from, for messages

    def data(self) -> Any:
        return self.make(*self.inputs())


@dataclass(frozen=True, slots=True)
class FeedData:
    """What one feed is written from: the settings, its stories and just their bodies."""

    site: Site
    spec: feeds.FeedSpec


def public_config(config: SiteConfig) -> SiteConfig:
    """The settings as outputs may see them: without the clock and the machine's folders.

    `now` only decides which stories are published and the folders only where files are read
    and written; none may reach an output's bytes, so none may reach its key.
    """
    return replace(
        config,
        now=EPOCH,
        content_dir=Path("content"),
        layouts_dir=Path("layouts"),
        static_dir=None,
        output_dir=Path("output"),
        cache_dir=None,
        sources_file=None,  # what it lists reaches the feeds through Site.outlet_feeds
    )


def plan(site: Site, assets_folder: Path, store: Path | None = None, now: datetime | None = None) -> list[Job]:
    """Every output of the site, in a stable order; `site.config` should be the public config.

    `store` is the picture store that holds the resized variants of the site's pictures; `now`
    is the build's reference time, which picks the stories of the news sitemap (none without it).
    """
    jobs = [*_pages(site), *_feeds(site), *_files(site, assets_folder), _news(site, now), *_published(site, store)]
    return jobs


def _pages(site: Site) -> Iterator[Job]:
    config = site.config
    bare = Site(config, (), ())
    for listing in home_listings(config, site.articles):
        if listing.number == 1:  # the front page shows its sections too: just those stories, no whole tags
            sections = home_sections(config, site.tags, listing.items)
            yield _page(listing.path, "index.html", render.home_context, bare, listing, sections)
        else:
            yield _page(listing.path, "index.html", render.home_context, bare, listing)
    for article in site.articles:
        yield Job(
            file_for(article_path(article.slug)), PAGE, "article.html", _article_page,
            functools.partial(_article_inputs, site, article),
        )  # fmt: skip
    for group in site.tags:
        for listing in paginate(config, group.articles, tag_path(group.tag.slug)):
            yield _page(listing.path, "tag.html", render.tag_context, bare, group.tag, len(group.articles), listing)
    yield _page(tags_index_path(), "tags.html", render.tags_context, Site(config, (), site.tags))
    yield from _outlet_pages(site, bare)
    yield from _archive_pages(site, bare)
    if config.has_search:
        yield _page(render.SEARCH_PATH, render.SEARCH_TEMPLATE, render.search_context, bare, len(site.articles))
    yield Job("404.html", PAGE, "404.html", render.not_found_context, functools.partial(_constant, bare))


def _outlet_pages(site: Site, bare: Site) -> Iterator[Job]:
    """An outlet's pages read the settings and its stories; the index reads every outlet's stories."""
    for group in site.outlets:
        for listing in paginate(site.config, group.articles, outlet_path(group.tag.slug)):
            yield _page(
                listing.path, "outlet.html", render.outlet_context, bare, group.tag, len(group.articles), listing
            )
    yield _page(
        outlets_index_path(), "outlets.html", render.outlets_context, Site(site.config, (), (), outlets=site.outlets)
    )


def _archive_pages(site: Site, bare: Site) -> Iterator[Job]:
    """A month's pages read its stories only; a year's page and the index read counts only."""
    groups = month_groups(site.config, site.articles)
    years = archive_years(site.config, groups)
    yield _page(archive_path(), "archive.html", render.archive_index_context, bare, years)
    for year in years:
        yield _page(year.path, "archive-year.html", render.archive_year_context, bare, year)
    for group in groups:
        for listing in paginate(site.config, group.articles, group.month.path):
            yield _page(listing.path, "archive-month.html", render.archive_month_context, bare, group.month, listing)


def _page(site_path: str, template: str, context: Callable[..., Any], *inputs: Any) -> Job:
    return Job(file_for(site_path), PAGE, template, context, functools.partial(_constant, *inputs))


def _article_inputs(site: Site, article: Article) -> tuple[Any, ...]:
    """A story page reads its body and its related stories, and nothing else of the site."""
    return site.config, article, site.bodies[article.slug], site.related.get(article.slug, ())


def _article_page(config: SiteConfig, article: Article, body: Body, related: tuple[Article, ...]) -> Any:
    view = Site(
        config, (), (), related=MappingProxyType({article.slug: related}), bodies=MappingProxyType({article.slug: body})
    )
    return render.article_context(view, article)


def _feeds(site: Site) -> Iterator[Job]:
    for spec in feeds.feed_specs(site):
        kinds = ("rss", "atom", "json") if spec.root == "" else ("rss", "atom")
        for kind in kinds:
            inputs = functools.partial(_feed_inputs, site, spec, kind != "json")  # JSON Feed credits no feed
            yield Job(spec.root + feeds.FILE_NAMES[kind], kind, "", FeedData, inputs)


def _feed_inputs(site: Site, spec: feeds.FeedSpec, credits_feeds: bool = True) -> tuple[Site, feeds.FeedSpec]:
    """A feed reads the settings, its stories, just their bodies and (RSS, Atom) the feeds of just their outlets."""
    bodies = {article.slug: site.bodies[article.slug] for article in spec.articles}
    shown = {article.outlet.key for article in spec.articles if article.outlet and credits_feeds}
    credits = {key: feed for key, feed in site.outlet_feeds.items() if key in shown}
    return Site(site.config, (), (), bodies=MappingProxyType(bodies), outlet_feeds=MappingProxyType(credits)), spec


def _files(site: Site, assets_folder: Path) -> Iterator[Job]:
    for output in (*extras.render_extras(site), *extras.assets(assets_folder)):
        yield Job(output.path, FILE, "", _identity, functools.partial(_constant, output.data))


def _news(site: Site, now: datetime | None) -> Job:
    """The news sitemap is made from the stories in the window only: the clock itself is no input."""
    stories = news.recent(site.articles, now) if now else ()
    return Job(news.FILE_NAME, FILE, "", news.news_sitemap, functools.partial(_constant, site.config, stories))


def _published(site: Site, store: Path | None) -> Iterator[Job]:
    """Files published as they are, and the resized variants of pictures among them."""
    for item in site.files:
        digest = functools.partial(_constant, item.stamp.digest)
        yield Job(item.path, COPY, "", _identity, digest, source=item.source, origin=item.label)
        picture = item.picture
        if picture is None or store is None:
            continue
        for variant in (*picture.variants, *((picture.share,) if picture.share else ())):
            yield Job(
                item.variant_path(variant), VARIANT, "", _identity, functools.partial(_constant, variant.digest),
                source=variant_path(store, picture, variant), origin=item.label + RESIZED,
            )  # fmt: skip


def _constant(*values: Any) -> tuple[Any, ...]:
    return values


def _identity(data: bytes) -> bytes:
    return data


def produce(job: Job, env: Environment, memo: MutableMapping[str, Any] | None = None) -> bytes:
    """The bytes of one output. `memo` lets feeds of one build share the work of preparing entries."""
    if job.kind in (COPY, VARIANT):
        assert job.source is not None
        return _read_source(job)
    data = job.data()
    if job.kind == PAGE:
        return render.render_template(env, job.template, data)
    if job.kind == FILE:
        return data
    return FEEDS[job.kind](data.site, data.spec, memo)


def _read_source(job: Job) -> bytes:
    """A file's bytes; a variant must still be the one its key names (the store is a cache, not truth)."""
    assert job.source is not None
    try:
        data = job.source.read_bytes()
    except OSError as error:
        if job.kind == VARIANT:
            raise CacheDamaged(str(job.source)) from error
        raise BuildError([Problem(job.origin, None, f"could not be read: {error.strerror}")]) from error
    if job.kind == VARIANT and digest_bytes(data) != job.inputs()[0]:
        raise CacheDamaged(str(job.source))
    return data


def outputs(jobs: list[Job], env: Environment) -> Iterator[Output]:
    """Every job made, in order, in this process."""
    memo: dict[str, Any] = {}
    for job in jobs:
        yield Output(job.path, produce(job, env, memo))


def duplicate_paths(jobs: list[Job]) -> BuildError | None:
    """Two jobs for one path would overwrite each other: name both."""
    seen: dict[str, Job] = {}
    problems: dict[tuple[str, str], Problem] = {}  # one per pair of files, not one per resized copy
    for job in jobs:
        other = seen.setdefault(job.path, job)
        if other is not job:
            pair = (other.origin.removesuffix(RESIZED), job.origin.removesuffix(RESIZED))
            problems.setdefault(pair if any(pair) else (job.path, ""), _collision(other, job))
    return BuildError(list(problems.values())) if problems else None


def _collision(first: Job, second: Job) -> Problem:
    if first.origin and second.origin:
        message = f"would be published as {first.path}, like {first.origin}; rename one of them"
        return Problem(second.origin, None, message)
    if second.origin or first.origin:
        mine = second if second.origin else first
        message = f"would overwrite {mine.path}, which the site generates; rename or move it"
        return Problem(mine.origin, None, message)
    return Problem(first.path, None, "two pages would be written to this path")
