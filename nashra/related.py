"""Related stories ("أخبار ذات صلة") from a tag index, in time linear in the number of articles.

For each article, the candidates are the stories published nearest in time to it on each of its
tags (a window of WINDOW on either side in the tag's date order), never all pairs. Candidates are
ranked by how many tags they share, then by recency (newest first), then by slug. The window keeps
the work linear and keeps pages stable: a new story enters the related lists of at most WINDOW
stories per tag, so a rebuild after adding one changes only its neighbours' pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Article, TagGroup

RELATED_COUNT = 5
WINDOW = 20


def related_index(
    articles: Sequence[Article], groups: Sequence[TagGroup], count: int = RELATED_COUNT, window: int = WINDOW
) -> dict[str, tuple[Article, ...]]:
    """slug -> up to `count` related articles, for every article that has tags."""
    members = {group.tag.key: group.articles for group in groups}
    positions = {
        group.tag.key: {article.slug: index for index, article in enumerate(group.articles)} for group in groups
    }
    related: dict[str, tuple[Article, ...]] = {}
    for article in articles:
        shared: dict[str, int] = {}
        by_slug: dict[str, Article] = {}
        for tag in article.tags:
            ordered = members[tag.key]
            here = positions[tag.key][article.slug]
            for other in ordered[max(0, here - window) : here + window + 1]:
                if other.slug != article.slug:
                    shared[other.slug] = shared.get(other.slug, 0) + 1
                    by_slug[other.slug] = other
        ranked = sorted(shared, key=lambda slug: (-shared[slug], -by_slug[slug].date.timestamp(), slug))
        related[article.slug] = tuple(by_slug[slug] for slug in ranked[:count])
    return related
