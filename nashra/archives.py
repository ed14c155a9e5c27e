"""Date archives: the site's stories grouped by the year and month they were published, in its time zone.

A month page lists the stories of its month; a year page and the archive index show only counts,
so a new story in June remakes June's pages, its year and the index, and never May's.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .config import SiteConfig
from .dates import in_zone, month_title
from .model import Article
from .text import to_display_digits
from .urls import absolute, archive_month_path, archive_year_path, href


@dataclass(frozen=True, slots=True)
class ArchiveMonth:
    """One month with stories: its name as shown (`يونيو 2025`), how many stories, and its links."""

    year: int
    month: int
    name: str
    count: int
    path: str
    url: str
    permalink: str


@dataclass(frozen=True, slots=True)
class ArchiveYear:
    """One year with stories and its months, newest first."""

    year: int
    name: str  # the year in the site's digits
    count: int
    months: tuple[ArchiveMonth, ...]
    path: str
    url: str
    permalink: str


@dataclass(frozen=True, slots=True)
class MonthGroup:
    """A month and its stories, in the site's order (newest first)."""

    month: ArchiveMonth
    articles: tuple[Article, ...]


def month_of(article: Article, config: SiteConfig) -> tuple[int, int]:
    """The (year, month) a story was published in, on the site's clock: 23:30 UTC on 31 May is June in Riyadh."""
    local = in_zone(article.date, config.timezone)
    return local.year, local.month


def month_url(article: Article, config: SiteConfig) -> str:
    """The root-relative link to the month archive that lists a story."""
    return href(config, archive_month_path(*month_of(article, config)))


def month_groups(config: SiteConfig, articles: tuple[Article, ...]) -> tuple[MonthGroup, ...]:
    """Stories grouped by month, newest month first; `articles` must be in the site's order (newest first).

    Dates are compared as moments and a zone's offset never reorders them, so each month's stories
    are already together and keep their order.
    """
    groups = []
    for (year, month), members in groupby(articles, key=lambda article: month_of(article, config)):
        items = tuple(members)
        path = archive_month_path(year, month)
        name = month_title(year, month, config.language, config.month_style, config.digits)
        archive = ArchiveMonth(year, month, name, len(items), path, href(config, path), absolute(config, path))
        groups.append(MonthGroup(archive, items))
    return tuple(groups)


def archive_years(config: SiteConfig, groups: tuple[MonthGroup, ...]) -> tuple[ArchiveYear, ...]:
    """Every year with stories, newest first, with its months and counts (and no stories)."""
    years = []
    for year, members in groupby(groups, key=lambda group: group.month.year):
        months = tuple(group.month for group in members)
        path = archive_year_path(year)
        name = to_display_digits(str(year), config.digits)
        count = sum(month.count for month in months)
        years.append(ArchiveYear(year, name, count, months, path, href(config, path), absolute(config, path)))
    return tuple(years)
