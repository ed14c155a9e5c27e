"""Files beside the pages: sitemap, robots.txt, .nojekyll, CNAME and the layout's assets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from .archives import archive_years, month_groups
from .front import home_listings
from .model import Output, Site
from .news import FILE_NAME as NEWS_SITEMAP
from .paginate import paginate
from .urls import absolute, archive_path, outlet_path, outlets_index_path, tag_path, tags_index_path

SITEMAP_LIMIT = 50_000  # the sitemaps.org limit of URLs per file
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_extras(site: Site) -> Iterator[Output]:
    """sitemap.xml (an index of several when large), robots.txt, .nojekyll and CNAME."""
    yield from sitemaps(site)
    yield Output("robots.txt", robots_txt(site))
    yield Output(".nojekyll", b"")
    if site.config.cname:
        yield Output("CNAME", (site.config.cname + "\n").encode())


def robots_txt(site: Site) -> bytes:
    """Allow everything and name both sitemaps (news-sitemap.xml is made by `news.py`)."""
    sitemaps = "".join(f"Sitemap: {absolute(site.config, name)}\n" for name in ("sitemap.xml", NEWS_SITEMAP))
    return f"User-agent: *\nAllow: /\n\n{sitemaps}".encode()


def sitemap_entries(site: Site) -> Iterator[tuple[str, str | None]]:
    """(absolute URL, lastmod) for every page, in output order."""
    config = site.config
    newest = site.build_date.isoformat() if site.build_date else None
    for listing in home_listings(config, site.articles):
        yield listing.permalink, (max(item.modified for item in listing.items).isoformat() if listing.items else newest)
    for article in site.articles:
        yield article.permalink, article.modified.isoformat()
    yield absolute(config, tags_index_path()), newest
    for group in site.tags:
        for listing in paginate(config, group.articles, tag_path(group.tag.slug)):
            yield listing.permalink, max(item.modified for item in listing.items).isoformat()
    yield from _outlet_entries(site)
    yield from _archive_entries(site)


def _outlet_entries(site: Site) -> Iterator[tuple[str, str | None]]:
    """The index of outlets and every page of each outlet."""
    config = site.config
    yield absolute(config, outlets_index_path()), site.build_date.isoformat() if site.build_date else None
    for group in site.outlets:
        for listing in paginate(config, group.articles, outlet_path(group.tag.slug)):
            yield listing.permalink, max(item.modified for item in listing.items).isoformat()


def _archive_entries(site: Site) -> Iterator[tuple[str, str | None]]:
    """The archive index, each year and each page of each month, with its newest change."""
    config = site.config
    groups = month_groups(config, site.articles)
    newest = {group.month.path: max(item.modified for item in group.articles) for group in groups}
    yield absolute(config, archive_path()), site.build_date.isoformat() if site.build_date else None
    for year in archive_years(config, groups):
        yield year.permalink, max(newest[month.path] for month in year.months).isoformat()
    for group in groups:
        for listing in paginate(config, group.articles, group.month.path):
            yield listing.permalink, max(item.modified for item in listing.items).isoformat()


def sitemaps(site: Site) -> Iterator[Output]:
    entries = list(sitemap_entries(site))
    if len(entries) <= SITEMAP_LIMIT:
        yield Output("sitemap.xml", _urlset(entries))
        return
    names = []
    for number, start in enumerate(range(0, len(entries), SITEMAP_LIMIT), start=1):
        name = f"sitemap-{number}.xml"
        names.append(name)
        yield Output(name, _urlset(entries[start : start + SITEMAP_LIMIT]))
    lines = [f"<sitemap><loc>{escape(absolute(site.config, name))}</loc></sitemap>" for name in names]
    yield Output("sitemap.xml", _xml("sitemapindex", lines))


def _urlset(entries: list[tuple[str, str | None]]) -> bytes:
    lines = [
        f"<url><loc>{escape(url)}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"
        for url, lastmod in entries
    ]
    return _xml("urlset", lines)


def _xml(root: str, lines: list[str]) -> bytes:
    body = "\n".join(lines)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{SITEMAP_NS}">\n{body}\n</{root}>\n'.encode()


def assets(folder: Path) -> Iterator[Output]:
    """Every file under layouts/assets/, copied to assets/ in sorted order."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), key=lambda p: p.as_posix()):
        if path.is_file() and not path.name.startswith("."):
            yield Output("assets/" + path.relative_to(folder).as_posix(), path.read_bytes())
