"""The build recipe: load -> check -> collect -> render -> write."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import Environment

from .cache import prune
from .collect import collect, prepare_all
from .config import SiteConfig
from .errors import Problem
from .extras import render_extras
from .feeds import render_feeds
from .model import Output, Site
from .render import make_env, render_pages
from .write import write_site


@dataclass(frozen=True, slots=True)
class Report:
    """What a build did, for the one-line summary and the build report."""

    articles: int
    tags: int
    files: int
    seconds: float
    skipped_drafts: int
    skipped_future: int
    warnings: tuple[Problem, ...]


def read_site(config: SiteConfig, workers: int | None = None) -> tuple[Site, tuple[Problem, ...]]:
    """Read and check all content; raise BuildError listing every problem. Writes no output."""
    prepared = prepare_all(config, workers)
    site, warnings = collect(prepared, config)
    if config.cache_dir:
        prune(config.cache_dir, (item.cache_key for item in prepared if item.cache_key))
    return site, warnings


def site_outputs(site: Site, env: Environment) -> Iterator[Output]:
    """Every file of the site, generated lazily so large sites stream to disk."""
    yield from render_pages(site, env)
    yield from render_feeds(site)
    yield from render_extras(site)


def build(config: SiteConfig, workers: int | None = None) -> Report:
    """Build the whole site into config.output_dir, all or nothing."""
    started = time.perf_counter()
    env = make_env(config)
    site, warnings = read_site(config, workers)
    protected = (config.content_dir, config.layouts_dir)
    files = write_site(site_outputs(site, env), config.output_dir, protected)
    return Report(
        articles=len(site.articles),
        tags=len(site.tags),
        files=files,
        seconds=time.perf_counter() - started,
        skipped_drafts=site.skipped_drafts,
        skipped_future=site.skipped_future,
        warnings=warnings,
    )
