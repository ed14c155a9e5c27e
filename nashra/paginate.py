"""Split an ordered list of articles into pages. Pure: no sorting, no filtering."""

from __future__ import annotations

from .config import SiteConfig
from .model import Article, Listing
from .urls import absolute, href, page_path


def paginate(config: SiteConfig, items: tuple[Article, ...], root: str, first: int = 0) -> tuple[Listing, ...]:
    """Pages of `config.per_page` items under the site path `root`; always at least one page.

    `first`, when given, is how many items the first page holds (the front page has its own size).
    """
    size = config.per_page
    first = first or size
    total = 1 + max(0, -(-(len(items) - first) // size))
    paths = [page_path(root, number) for number in range(1, total + 1)]
    starts = [0, *(first + (number - 2) * size for number in range(2, total + 2))]
    return tuple(
        Listing(
            items=items[starts[number - 1] : starts[number]],
            number=number,
            total=total,
            path=paths[number - 1],
            url=href(config, paths[number - 1]),
            permalink=absolute(config, paths[number - 1]),
            prev_url=href(config, paths[number - 2]) if number > 1 else None,
            next_url=href(config, paths[number]) if number < total else None,
        )
        for number in range(1, total + 1)
    )
