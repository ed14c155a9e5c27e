"""news-sitemap.xml: the stories of the last two days, as Google News reads them.

"The last two days" is counted back from the build's reference time (SOURCE_DATE_EPOCH, or the
clock), which outputs never see otherwise: the caller picks the stories, and the file is made
from them alone. So the same stories give the same bytes, and the build knows when the file
changes with time alone: when its oldest story leaves the window (`window_closes`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from . import dates
from .config import SiteConfig
from .model import Article

FILE_NAME = "news-sitemap.xml"
WINDOW = timedelta(days=2)
LIMIT = 1_000  # Google News reads at most this many <url> entries per sitemap
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def recent(articles: tuple[Article, ...], now: datetime) -> tuple[Article, ...]:
    """Stories published in the two days before `now`, in the site's order, at most LIMIT.

    A story dated after `now` is on the site only in a `--future` preview; it is counted as recent
    too, so that the file changes with time only when a story grows old.
    """
    return tuple(article for article in articles if article.date >= now - WINDOW)[:LIMIT]


def window_closes(stories: tuple[Article, ...]) -> datetime | None:
    """When the oldest of these recent stories leaves the window, or None when there are none."""
    oldest = min((article.date for article in stories), default=None)
    return oldest + WINDOW if oldest else None


def news_language(lang: str) -> str:
    """The language code Google News wants: ISO 639 (`ar`, `en`), except `zh-cn` and `zh-tw` for Chinese."""
    primary, *rest = lang.lower().split("-")
    if primary == "zh":
        return "zh-tw" if {"hant", "tw", "hk", "mo"} & set(rest) else "zh-cn"
    return primary


def news_sitemap(config: SiteConfig, stories: tuple[Article, ...]) -> bytes:
    """A urlset with a `<news:news>` entry per story; an empty urlset is valid too."""
    name = escape(config.title)
    lines = [
        f"<url><loc>{escape(article.permalink)}</loc><news:news>"
        f"<news:publication><news:name>{name}</news:name>"
        f"<news:language>{news_language(article.lang)}</news:language></news:publication>"
        f"<news:publication_date>{dates.iso(article.date)}</news:publication_date>"
        f"<news:title>{escape(article.title)}</news:title>"
        "</news:news></url>\n"
        for article in stories
    ]
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n'
    return (head + "".join(lines) + "</urlset>\n").encode()
