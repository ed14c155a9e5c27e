"""The immutable data model: what the pipeline passes from stage to stage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from .config import SiteConfig
from .pickling import by_fields


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One content file, decoded and split: front matter (read-only) and Markdown body."""

    path: str
    meta: MappingProxyType[str, Any]
    body: str
    body_line: int
    key_lines: MappingProxyType[str, int]

    def line_of(self, key: str) -> int:
        """Line of a front-matter key, or of the opening `---` when the key is absent."""
        return self.key_lines.get(key, 1)


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag as shown: canonical spelling, folded identity key, slug and links."""

    name: str
    key: str
    slug: str
    url: str
    permalink: str


@by_fields
@dataclass(frozen=True, slots=True)
class Body:
    """A story's rendered HTML: in memory, or in its Markdown-cache file.

    Large sites keep only the file's path, so 100,000 bodies need not sit in memory between
    reading and rendering; the page and the feeds read it back when they need it. `checksum`
    is the digest of the HTML itself: it is what an output's key records, and a cache file
    that no longer matches it is reported instead of published.
    """

    text: str = ""
    path: str = ""
    checksum: str = ""
    words: int = 0

    @property
    def html(self) -> str:
        if not self.path:
            return self.text
        from .cache import read_body  # the cache module owns the file format

        html = read_body(self.path)
        if html_checksum(html) != self.checksum:
            raise CacheDamaged(self.path)
        return html

    def fingerprint(self) -> str:
        """The digest of the HTML, without reading it back from the cache."""
        return self.checksum or html_checksum(self.text)


def html_checksum(html: str) -> str:
    return hashlib.blake2b(html.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class CacheDamaged(Exception):
    """A cached body vanished or changed under the build; a build without the cache is needed."""


@dataclass(frozen=True, slots=True)
class Article:
    """One published story with every derived value already computed, except its body.

    The body lives in `Site.bodies`: listing pages, which show stories but not their bodies,
    are then made from data that a body edit does not touch, and an incremental build knows it.
    """

    source_path: str
    slug: str
    title: str
    date: datetime
    updated: datetime | None
    tags: tuple[Tag, ...]
    source_name: str
    source_url: str
    author: str
    summary: str
    image: str
    lang: str
    dir: str
    url: str
    permalink: str
    id: str
    has_time: bool = True
    standfirst: str = ""

    @property
    def modified(self) -> datetime:
        """The latest of `date` and `updated`: what feeds and sitemaps report as last change."""
        return max(self.date, self.updated) if self.updated else self.date


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of a paginated list of articles."""

    items: tuple[Article, ...]
    number: int
    total: int
    path: str
    url: str
    permalink: str
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True, slots=True)
class TagGroup:
    """A tag with its articles, newest first."""

    tag: Tag
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class Site:
    """The whole site, ready to render: ordered articles, tags and related stories."""

    config: SiteConfig
    articles: tuple[Article, ...]
    tags: tuple[TagGroup, ...]
    related: MappingProxyType[str, tuple[Article, ...]] = field(default_factory=lambda: MappingProxyType({}))
    bodies: MappingProxyType[str, Body] = field(default_factory=lambda: MappingProxyType({}))
    build_date: datetime | None = None
    skipped_drafts: int = 0
    skipped_future: int = 0
    next_due: datetime | None = None  # when the next scheduled story is published, if any


@dataclass(frozen=True, slots=True)
class Output:
    """One file to write: a path relative to output/ and its exact bytes."""

    path: str
    data: bytes
