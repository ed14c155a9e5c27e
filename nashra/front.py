"""The front page: a lead story, a grid of the next ones, then sections for the busiest tags. Pure.

The home pages list every story once, in the order `home_order` gives: the lead first, then every
other story newest first. Page 1 holds the lead and `home_grid` more; pages 2 and on hold
`per_page` each, as plain lists. Only page 1 has sections: for each of the busiest tags, its
newest stories that page 1 does not already show, so no headline appears twice on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from .config import SiteConfig
from .model import Article, Listing, Tag, TagGroup
from .paginate import paginate


@dataclass(frozen=True, slots=True)
class HomeSection:
    """One tag's section on the front page: the tag (its name and link) and the headlines shown."""

    tag: Tag
    items: tuple[Article, ...]


def lead_story(articles: tuple[Article, ...]) -> Article | None:
    """The newest story marked `featured: true`, else the newest story; None on an empty site."""
    return next((article for article in articles if article.featured), articles[0] if articles else None)


def home_order(articles: tuple[Article, ...]) -> tuple[Article, ...]:
    """Stories (newest first) in the order the home pages show them: the lead, then all the others."""
    lead = lead_story(articles)
    if lead is None or lead is articles[0]:
        return articles
    return (lead, *(article for article in articles if article is not lead))


def home_listings(config: SiteConfig, articles: tuple[Article, ...]) -> tuple[Listing, ...]:
    """The home pages: page 1 with the lead and `home_grid` stories, then `per_page` a page."""
    return paginate(config, home_order(articles), "", first=1 + config.home_grid)


def home_sections(
    config: SiteConfig, groups: tuple[TagGroup, ...], shown: tuple[Article, ...]
) -> tuple[HomeSection, ...]:
    """Sections for the busiest tags (most stories; ties by slug), each with up to `home_section_items`
    stories that neither `shown` nor an earlier section has; a tag with nothing new gives no section."""
    if not config.home_sections:
        return ()
    seen = {article.slug for article in shown}
    sections: list[HomeSection] = []
    for group in sorted(groups, key=lambda group: (-len(group.articles), group.tag.slug)):
        if len(sections) >= config.home_sections:
            break
        fresh = (article for article in group.articles if article.slug not in seen)
        items = tuple(islice(fresh, config.home_section_items))
        if items:
            sections.append(HomeSection(group.tag, items))
            seen.update(article.slug for article in items)
    return tuple(sections)
