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


@dataclass(frozen=True, slots=True)
class OutletFeed:
    """An outlet's own feed, from sources.toml: what our feeds credit as an entry's source."""

    name: str  # the source's `name`
    feed: str  # its feed's address, absolute and ASCII


@dataclass(frozen=True, slots=True)
class Image:
    """A picture as pages and feeds show it.

    A local picture has its size and resized variants (`srcset`), and `share`, the JPEG that
    feeds and link previews use; a remote one (an http(s) `image`) has only its address.
    """

    url: str  # root-relative for a local picture, absolute for a remote one
    srcset: str = ""
    width: int = 0
    height: int = 0
    share: str = ""  # absolute URL of the JPEG for feeds and link previews
    share_type: str = ""
    share_length: int = 0
    share_width: int = 0
    share_height: int = 0


@by_fields
@dataclass(frozen=True, slots=True)
class Link:
    """A reference in a body that names a file of the site: what the author wrote, what it becomes."""

    written: str  # the attribute value as the sanitised HTML has it (escaped)
    url: str  # root-relative, escaped for an attribute
    image: Image | None = None


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
    links: tuple[Link, ...] = ()  # set once the whole site is known: other stories' slugs, pictures' sizes

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
    picture: Image | None = None  # the lead picture (`image`), with its size and variants when local
    image_alt: str = ""
    image_caption: str = ""
    image_credit: str = ""
    outlet: Tag | None = None  # the outlet (`source`) as a label with its own page; None without `source`
    featured: bool = False  # `featured: true`: the newest such story leads the front page

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
    files: tuple[Any, ...] = ()  # files.Published: every file published as it is, by output path
    outlets: tuple[TagGroup, ...] = ()  # every outlet (`source`) with its stories, like `tags`
    # outlet key (the folded `source`) -> its feed, for the outlets sources.toml lists; only feeds show it
    outlet_feeds: MappingProxyType[str, OutletFeed] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Output:
    """One file to write: a path relative to output/ and its exact bytes."""

    path: str
    data: bytes
