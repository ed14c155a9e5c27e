"""Decoded feed text -> items: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed read directly."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

JSON_FEED_TYPES = ("application/feed+json", "application/json")
_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_ALTERNATE = re.compile(
    r"""<link\b(?=[^>]*\brel=["']?alternate)(?=[^>]*\btype=["']?application/(?:rss|atom|feed)\+(?:xml|json))"""
    r"""[^>]*\bhref=["']?([^"'\s>]+)""",
    re.IGNORECASE,
)


class FeedError(Exception):
    """The text is not a feed that can be read at all."""


@dataclass(frozen=True, slots=True)
class Item:
    """One entry as the feed gives it; HTML fields are still HTML, addresses already absolute."""

    guid: str
    link: str
    title: str  # HTML: feeds escape titles inconsistently, so every title is read as HTML
    published: datetime | None
    updated: datetime | None
    author: str
    summary_html: str
    content_html: str
    categories: tuple[str, ...]
    image: str
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Feed:
    """The items, the feed's language and what was wrong with it (a bozo feed that could still be read)."""

    items: tuple[Item, ...]
    lang: str = ""
    warnings: tuple[str, ...] = ()


def read_feed(text: str, url: str, content_type: str = "") -> Feed:
    """Parse decoded feed text fetched from url.

    :raises FeedError: when nothing in it can be read as a feed (an HTML page, an empty body, broken JSON).
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    if content_type in JSON_FEED_TYPES or stripped.startswith("{"):
        return _json_feed(stripped, url)
    return _xml_feed(text, url, content_type)


def _xml_feed(text: str, url: str, content_type: str) -> Feed:
    """RSS or Atom through feedparser; a feed it can read only in part comes with a warning."""
    import feedparser  # only `import` needs it; builds never load it

    # The text is decoded already: tell feedparser it is UTF-8 bytes, in the declaration as well.
    data = _XML_ENCODING.sub(r'\1"utf-8"', text, count=1).encode("utf-8")
    headers = {"content-location": url, "content-type": "application/xml; charset=utf-8"}
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False, resolve_relative_uris=True)
    if not parsed.version and not parsed.entries:
        raise FeedError(_not_a_feed(text, url, content_type, parsed))
    warnings = ()
    if parsed.bozo:
        problem = parsed.get("bozo_exception")
        warnings = (f"the feed is malformed ({_short(problem)}); imported what could be read",)
    lang = str(parsed.feed.get("language", "") or "")
    items = tuple(_xml_item(entry, url) for entry in parsed.entries)
    return Feed(items, lang, warnings)


def _not_a_feed(text: str, url: str, content_type: str, parsed: Any) -> str:
    """Why text that has no feed in it was refused, with the page's own feed address when it names one."""
    if content_type == "text/html" or _HTML_START.match(text):
        found = _ALTERNATE.search(text)
        hint = f"; its feed may be {urljoin(url, found.group(1))}" if found else ""
        return f"an HTML page, not a feed{hint}"
    if not text.strip():
        return "the answer is empty, not a feed"
    problem = parsed.get("bozo_exception")
    return f"not a feed that can be read ({_short(problem)})" if problem else "not an RSS, Atom or JSON feed"


def _short(problem: object) -> str:
    """An exception as one short line for a report."""
    return " ".join(str(problem).split())[:120] or type(problem).__name__


def _xml_item(entry: Any, url: str) -> Item:
    """One feedparser entry as an Item; the longest content wins, a summary equal to it is dropped."""
    content = entry.get("content") or ()
    content_html = max((_as_html(part) for part in content), key=len, default="")
    summary = _as_html(entry.get("summary_detail") or {"value": entry.get("summary", "")})
    if summary == content_html:  # Atom: feedparser copies content into summary when there is none
        summary = ""
    return Item(
        guid=str(entry.get("id", "") or ""),
        link=str(entry.get("link", "") or ""),
        title=_title_html(entry),
        published=_date(entry.get("published")),
        updated=_date(dict.get(entry, "updated")),  # entry.get would fall back to `published`, with a warning
        author=str(entry.get("author", "") or ""),
        summary_html=summary,
        content_html=content_html,
        categories=tuple(str(tag.get("term") or tag.get("label") or "") for tag in entry.get("tags") or ()),
        image=_xml_image(entry, url),
        lang=str((entry.get("title_detail") or {}).get("language") or ""),
    )


def _as_html(detail: Any) -> str:
    """A feedparser text construct as HTML: `type="text"` values are escaped, HTML ones kept."""
    value = str(detail.get("value", "") or "")
    return _escaped(value) if detail.get("type") == "text/plain" else value


def _title_html(entry: Any) -> str:
    """A title as HTML: plain-text titles are escaped so that one function can read both."""
    title = str(entry.get("title", "") or "")
    kind = (entry.get("title_detail") or {}).get("type", "text/html")
    if kind == "text/plain":
        return _escaped(title)
    return title


def _xml_image(entry: Any, url: str) -> str:
    """The item's picture: media:content or media:thumbnail, else an image enclosure."""
    for media in (*(entry.get("media_content") or ()), *(entry.get("media_thumbnail") or ())):
        address = media.get("url", "")
        if address and (media.get("medium", "image") == "image" or str(media.get("type", "")).startswith("image/")):
            return urljoin(url, address)
    for enclosure in entry.get("enclosures") or ():
        if str(enclosure.get("type", "")).startswith("image/") and enclosure.get("href"):
            return urljoin(url, enclosure["href"])
    return ""


def _date(value: object) -> datetime | None:
    """An RFC 822 or ISO 8601 date with its own offset kept; None when there is none or it cannot be read."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


# ---------------------------------------------------------------- JSON Feed (feedparser 6 does not read it)


def _json_feed(text: str, url: str) -> Feed:
    """A JSON Feed (version 1 or 1.1); items that are not objects are left out with a warning."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(f"broken JSON at line {error.lineno}: {error.msg}") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise FeedError("JSON, but not a JSON Feed (no https://jsonfeed.org/version/ in 'version')")
    base = _text(data.get("feed_url")) or url
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        raise FeedError("JSON Feed without an 'items' list")
    items, skipped = [], 0
    for raw in raw_items:
        if isinstance(raw, dict):
            items.append(_json_item(raw, base))
        else:
            skipped += 1
    warnings = (f"{skipped} item(s) of the JSON Feed are not objects; left out",) if skipped else ()
    return Feed(tuple(items), _text(data.get("language")), warnings)


def _json_item(raw: dict[str, Any], base: str) -> Item:
    """One JSON Feed item as an Item; text fields become escaped HTML so that they go the same way."""
    link = _text(raw.get("url")) or _text(raw.get("external_url"))
    authors = raw.get("authors") if isinstance(raw.get("authors"), list) else [raw.get("author")]
    names = [_text(author.get("name")) for author in authors if isinstance(author, dict)]
    paragraphs = _escaped(_text(raw.get("content_text"))).split("\n\n")
    content = _text(raw.get("content_html")) or "".join(f"<p>{part}</p>" for part in paragraphs if part.strip())
    tags = raw.get("tags") if isinstance(raw.get("tags"), list) else []
    image = _text(raw.get("image")) or _text(raw.get("banner_image"))
    guid = raw.get("id")
    return Item(
        guid=str(guid) if isinstance(guid, int | float) and not isinstance(guid, bool) else _text(guid),
        link=urljoin(base, link) if link else "",
        title=_escaped(_text(raw.get("title"))),
        published=_date(raw.get("date_published")),
        updated=_date(raw.get("date_modified")),
        author=", ".join(name for name in names if name),
        summary_html=_escaped(_text(raw.get("summary"))),
        content_html=content,
        categories=tuple(_text(tag) for tag in tags if _text(tag)),
        image=urljoin(base, image) if image else "",
        lang=_text(raw.get("language")),
    )


def _escaped(text: str) -> str:
    """Plain text as HTML, so that it goes the same way as HTML fields."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(value: object) -> str:
    """value when it is a string, else empty: JSON Feed fields may hold anything."""
    return value if isinstance(value, str) else ""
