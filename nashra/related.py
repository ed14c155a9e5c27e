"""Related stories ("أخبار ذات صلة") from a tag index, in time linear in the number of articles.

For each article, the candidates are the stories published nearest in time to it on each of its
tags (a window of WINDOW on either side in the tag's date order), never all pairs. Candidates are
ranked by how many tags they share, then by recency (newest first), then by slug. The window keeps
the work linear and keeps pages stable: a new story enters the related lists of at most WINDOW
stories per tag, so a rebuild after adding one changes only its neighbours' pages.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence

from .model import Article, TagGroup

RELATED_COUNT = 5
WINDOW = 20


def related_index(
    articles: Sequence[Article], groups: Sequence[TagGroup], count: int = RELATED_COUNT, window: int = WINDOW
) -> dict[str, tuple[Article, ...]]:
    """slug -> up to `count` related articles, for every article that has tags."""
    slugs = {group.tag.key: [article.slug for article in group.articles] for group in groups}
    positions = {key: {slug: index for index, slug in enumerate(members)} for key, members in slugs.items()}
    # `articles` is newest first (date, then slug), so its index is the recency rank used to break ties.
    rank = {article.slug: index for index, article in enumerate(articles)}
    by_slug = {article.slug: article for article in articles}
    related: dict[str, tuple[Article, ...]] = {}
    for article in articles:
        shared: Counter[str] = Counter()
        for tag in article.tags:
            here = positions[tag.key][article.slug]
            shared.update(slugs[tag.key][max(0, here - window) : here + window + 1])
        del shared[article.slug]
        ranked = heapq.nsmallest(count, shared, key=lambda slug: (-shared[slug], rank[slug]))
        related[article.slug] = tuple(by_slug[slug] for slug in ranked)
    return related
