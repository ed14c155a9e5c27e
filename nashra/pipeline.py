"""The build recipe: load -> check -> collect -> render -> write."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from posixpath import basename

from jinja2 import Environment

from .cache import prune
from .collect import collect, prepare_all
from .config import SiteConfig
from .errors import BuildError, Problem
from .extras import render_extras
from .feeds import render_feeds
from .model import Output, Site
from .render import make_env, render_pages
from .search import index_site, search_problems
from .write import output_problems, write_site

# progress(phase, done, total): phase is "read" (content files) or "write" (output files, total unknown).
Progress = Callable[[str, int, int | None], None]
FEED_NAMES = frozenset({"feed.xml", "atom.xml", "feed.json"})


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
    pages: int = 0
    feeds: int = 0


@dataclass(slots=True)
class _Tally:
    """Counts outputs by kind as they stream past."""

    files: int = 0
    pages: int = 0
    feeds: int = 0


def read_site(
    config: SiteConfig, workers: int | None = None, progress: Progress | None = None
) -> tuple[Site, tuple[Problem, ...]]:
    """Read and check all content; raise BuildError listing every problem. Writes nothing."""
    on_read = (lambda done, total: progress("read", done, total)) if progress else None
    prepared = prepare_all(config, workers, on_read)
    site, warnings = collect(prepared, config)
    if config.cache_dir:
        prune(config.cache_dir, (item.cache_key for item in prepared if item.cache_key))
    return site, warnings


def site_outputs(site: Site, env: Environment) -> Iterator[Output]:
    """Every file of the site, generated lazily so large sites stream to disk."""
    yield from render_pages(site, env)
    yield from render_feeds(site)
    yield from render_extras(site)


def build(config: SiteConfig, workers: int | None = None, progress: Progress | None = None) -> Report:
    """Build the whole site into config.output_dir, all or nothing."""
    started = time.perf_counter()
    protected = (config.content_dir, config.layouts_dir)
    env, site, warnings = _prepare(config, workers, progress, output_problems(config.output_dir, protected))
    tally = _Tally()
    finish = (lambda folder: index_site(folder, config)) if config.has_search else None
    write_site(_counted(site_outputs(site, env), tally, progress), config.output_dir, protected, finish)
    return _report(site, warnings, tally, started)


def check(config: SiteConfig, workers: int | None = None, progress: Progress | None = None) -> Report:
    """Everything `build` does except writing: read, check and render the site in memory, and try
    what the build needs besides (the output folder can be written, Pagefind starts)."""
    started = time.perf_counter()
    protected = (config.content_dir, config.layouts_dir)
    found = [*output_problems(config.output_dir, protected), *search_problems(config)]
    config = replace(config, cache_dir=None)  # check writes nothing, not even the Markdown cache
    env, site, warnings = _prepare(config, workers, progress, found)
    tally = _Tally()
    for _ in _counted(site_outputs(site, env), tally, progress):
        pass
    return _report(site, warnings, tally, started)


def _prepare(
    config: SiteConfig, workers: int | None, progress: Progress | None, found: list[Problem]
) -> tuple[Environment, Site, tuple[Problem, ...]]:
    """Load the layouts and the content; template and content errors are reported together with
    the problems `found` before (the output folder, Pagefind)."""
    problems = list(found)
    if problems:
        config = replace(config, cache_dir=None)  # the cache lives beside output/, which may be the problem
    env: Environment | None = None
    try:
        env = make_env(config)
    except BuildError as error:
        problems.extend(error.problems)
    try:
        site, warnings = read_site(config, workers, progress)
    except BuildError as error:
        raise BuildError([*problems, *error.problems]) from error
    if env is None or problems:
        raise BuildError(problems)
    return env, site, warnings


def _counted(outputs: Iterable[Output], tally: _Tally, progress: Progress | None) -> Iterator[Output]:
    for output in outputs:
        tally.files += 1
        tally.pages += output.path.endswith(".html")
        tally.feeds += basename(output.path) in FEED_NAMES
        if progress:
            progress("write", tally.files, None)
        yield output


def _report(site: Site, warnings: tuple[Problem, ...], tally: _Tally, started: float) -> Report:
    return Report(
        articles=len(site.articles),
        tags=len(site.tags),
        files=tally.files,
        seconds=time.perf_counter() - started,
        skipped_drafts=site.skipped_drafts,
        skipped_future=site.skipped_future,
        warnings=warnings,
        pages=tally.pages,
        feeds=tally.feeds,
    )
