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

from . import extras, feeds, render
from .config import SiteConfig
from .errors import BuildError
from .model import Article, Body, Output, Site
from .paginate import paginate
from .urls import article_path, file_for, tag_path, tags_index_path

PAGE = "page"
FILE = "file"
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
        output_dir=Path("output"),
        cache_dir=None,
    )


def plan(site: Site, assets_folder: Path) -> list[Job]:
    """Every output of the site, in a stable order; `site.config` should be the public config."""
    jobs = [*_pages(site), *_feeds(site), *_files(site, assets_folder)]
    return jobs


def _pages(site: Site) -> Iterator[Job]:
    config = site.config
    bare = Site(config, (), ())
    for listing in paginate(config, site.articles, ""):
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
    if config.has_search:
        yield _page(render.SEARCH_PATH, render.SEARCH_TEMPLATE, render.search_context, bare, len(site.articles))
    yield Job("404.html", PAGE, "404.html", render.not_found_context, functools.partial(_constant, bare))


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
            inputs = functools.partial(_feed_inputs, site, spec)
            yield Job(spec.root + feeds.FILE_NAMES[kind], kind, "", FeedData, inputs)


def _feed_inputs(site: Site, spec: feeds.FeedSpec) -> tuple[Site, feeds.FeedSpec]:
    """A feed reads the settings, its stories and just their bodies."""
    bodies = {article.slug: site.bodies[article.slug] for article in spec.articles}
    return Site(site.config, (), (), bodies=MappingProxyType(bodies)), spec


def _files(site: Site, assets_folder: Path) -> Iterator[Job]:
    for output in (*extras.render_extras(site), *extras.assets(assets_folder)):
        yield Job(output.path, FILE, "", _identity, functools.partial(_constant, output.data))


def _constant(*values: Any) -> tuple[Any, ...]:
    return values


def _identity(data: bytes) -> bytes:
    return data


def produce(job: Job, env: Environment, memo: MutableMapping[str, Any] | None = None) -> bytes:
    """The bytes of one output. `memo` lets feeds of one build share the work of preparing entries."""
    data = job.data()
    if job.kind == PAGE:
        return render.render_template(env, job.template, data)
    if job.kind == FILE:
        return data
    return FEEDS[job.kind](data.site, data.spec, memo)


def outputs(jobs: list[Job], env: Environment) -> Iterator[Output]:
    """Every job made, in order, in this process."""
    memo: dict[str, Any] = {}
    for job in jobs:
        yield Output(job.path, produce(job, env, memo))


def duplicate_paths(jobs: list[Job]) -> BuildError | None:
    """Two jobs for one path would overwrite each other: report it, as the writer always has."""
    from .errors import Problem

    seen: set[str] = set()
    for job in jobs:
        if job.path in seen:
            return BuildError([Problem(job.path, None, "two pages would be written to this path")])
        seen.add(job.path)
    return None
