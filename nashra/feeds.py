"""Feeds: RSS 2.0 and Atom 1.0 (feedgen) and JSON Feed 1.1, site-wide and per tag -> Outputs.

Pure: Site in, bytes out, no clock. feedgen fills every timestamp it is not given with "now" and
prepends entries, so every timestamp is set here and entries are appended (see arabic-rtl.md §7).
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from urllib.parse import urlsplit

import lxml.html
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from .config import SiteConfig
from .dates import in_zone
from .links import finish_html
from .model import Article, OutletFeed, Output, Site, Tag
from .text import starts_with_latin
from .urls import absolute, absolutize, article_path, href, outlet_path, tag_path, tags_index_path

RSS_FILE = "feed.xml"
ATOM_FILE = "atom.xml"
JSON_FILE = "feed.json"
FILE_NAMES = {"rss": RSS_FILE, "atom": ATOM_FILE, "json": JSON_FILE}
RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_TYPE = "application/feed+json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Pinned, without a version number, so upgrading nashra or feedgen does not change the bytes.
GENERATOR = "nashra"
# Atom requires a feed-level <updated>; a site with no articles has no newest entry to take it from,
# and the build must not read the clock, so an empty feed reports the Unix epoch.
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)
RLM = "\u200f"
# ↩ is not mirrored by bidi; the site flips it with CSS, but a feed reader applies no stylesheet.
BACK_LINK_ARROW = re.compile('(<a class="footnote-backref"[^>]*>)\u21a9')
MIRRORED_BACK_LINK_ARROW = "\\1\u21aa"  # ↪ points back to the right, the way a right-to-left story reads
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ATOM_NS = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Feed ids (README, "Ids are stable"). Only these forms count as URIs; any other id is text and is
# written as urn:nashra:<text>. Characters outside each set are percent-encoded as UTF-8, valid %XX
# escapes are kept, so an id that was already valid keeps its bytes.
HTTP_ID = re.compile(r"(?P<scheme>https?://)(?P<authority>[^/?#]+)(?P<rest>.*)", re.IGNORECASE | re.DOTALL)
TAG_ID = re.compile(  # RFC 4151: tag:authority,date:specific
    r"tag:(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r",\d{4}(?:-\d\d(?:-\d\d)?)?:",
    re.IGNORECASE,
)
# RFC 8141: a namespace of 2 to 32 letters, digits and inner hyphens, then a non-empty string.
URN_ID = re.compile(r"urn:(?P<nid>[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]):(?=.)", re.IGNORECASE | re.DOTALL)
UUID_ID = re.compile(r"urn:uuid:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", re.IGNORECASE)
PCHAR = string.ascii_letters + string.digits + "-._~" + "!$&'()*+,;=" + ":@"  # RFC 3986
PATH_CHARS = PCHAR + "/?"  # in a path, a query or a fragment
AUTHORITY_CHARS = PCHAR + "[]"
# A URN's namespace-specific string: RFC 2141's characters, which RFC 8141 allows too and feed
# validators check; "/", "?", "#", "&" and "~" are escaped.
NSS_CHARS = string.ascii_letters + string.digits + "()+,-.:=@;$_!*'"
ESCAPE_OR_CHAR = re.compile(r"%[0-9A-Fa-f]{2}|.", re.DOTALL)
ID_PREFIX = "urn:nashra:"
URI_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})
SOURCE_LABEL = "المصدر:"


# slug -> (content HTML, summary HTML): a story appears in the site's feeds and in each of its
# tags' feeds, and parsing its HTML once instead of five or more times keeps large sites fast.
Bodies = dict[str, tuple[str, str]]


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One feed as the pages advertise it: a visible label, a media type, a root-relative link."""

    label: str
    type: str
    url: str
    title: str


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed's identity: the folder its files live in, its name, its page, its articles."""

    root: str
    title: str
    description: str
    home: str
    articles: tuple[Article, ...]


# ---------------------------------------------------------------- links for the pages


def site_feed_links(config: SiteConfig) -> tuple[FeedLink, ...]:
    """RSS, Atom and JSON Feed of the whole site, for autodiscovery and the subscribe links."""
    return _links(config, "", config.title, with_json=True)


def tag_feed_links(config: SiteConfig, tag: Tag) -> tuple[FeedLink, ...]:
    """RSS and Atom feeds of one tag."""
    return _links(config, tag_path(tag.slug), _tag_title(config, tag), with_json=False)


def outlet_feed_links(config: SiteConfig, outlet: Tag) -> tuple[FeedLink, ...]:
    """RSS and Atom feeds of one outlet's stories."""
    return _links(config, outlet_path(outlet.slug), _tag_title(config, outlet), with_json=False)


def _links(config: SiteConfig, root: str, title: str, with_json: bool) -> tuple[FeedLink, ...]:
    title = feed_title(title, config.dir)
    links = [
        FeedLink("خلاصة RSS", RSS_TYPE, href(config, root + RSS_FILE), f"{title} (RSS)"),
        FeedLink("خلاصة Atom", ATOM_TYPE, href(config, root + ATOM_FILE), f"{title} (Atom)"),
    ]
    if with_json:
        links.append(FeedLink("خلاصة JSON", JSON_TYPE, href(config, root + JSON_FILE), f"{title} (JSON Feed)"))
    return tuple(links)


def _tag_title(config: SiteConfig, tag: Tag) -> str:
    """The site's name first: a Latin tag (`OpenAI`) first would need an RLM to read right to left."""
    return f"{config.title} | {tag.name}"


# ---------------------------------------------------------------- outputs


def render_feeds(site: Site) -> Iterator[Output]:
    """feed.xml, atom.xml and feed.json at the root; feed.xml and atom.xml in every tag and outlet folder."""
    bodies: Bodies = {}
    for spec in feed_specs(site):
        yield Output(spec.root + RSS_FILE, rss_feed(site, spec, bodies))
        yield Output(spec.root + ATOM_FILE, atom_feed(site, spec, bodies))
        if spec.root == "":
            yield Output(JSON_FILE, json_feed(site, spec, bodies))


def feed_specs(site: Site) -> Iterator[FeedSpec]:
    """The site-wide feed's spec, then one per tag and one per outlet, each with its newest `feed_items` stories."""
    config = site.config
    newest = site.articles[: config.feed_items]
    yield FeedSpec("", config.title, config.description or config.title, config.base_url, newest)
    for group in site.tags:
        yield FeedSpec(
            tag_path(group.tag.slug),
            _tag_title(config, group.tag),
            f"آخر الأخبار عن {group.tag.name} في {config.title}",
            group.tag.permalink,
            group.articles[: config.feed_items],
        )
    yield from _outlet_specs(site)


def _outlet_specs(site: Site) -> Iterator[FeedSpec]:
    """One feed per outlet, with its newest `feed_items` stories."""
    config = site.config
    for group in site.outlets:
        yield FeedSpec(
            outlet_path(group.tag.slug),
            _tag_title(config, group.tag),
            f"آخر الأخبار المنقولة عن {group.tag.name} في {config.title}",
            group.tag.permalink,
            group.articles[: config.feed_items],
        )


def rss_feed(site: Site, spec: FeedSpec, bodies: Bodies | None = None) -> bytes:
    """RSS 2.0 with content:encoded for the article and dc:creator for its author."""
    fg = _generator(site, spec, RSS_FILE, RSS_TYPE)
    fg.load_extension("dc", atom=False, rss=True)
    for article in spec.articles:
        entry = _entry(fg, site, article, bodies)
        entry.link(href=article.permalink, rel="alternate")
        entry.guid(entry_id(article), permalink=entry_id(article) == article.permalink)
        if article.author:
            entry.dc.dc_creator(article.author)
        credit = outlet_feed(site, article)
        if credit is not None:  # <source url> is the outlet's feed (RSS 2.0), never the story's address
            entry.source(url=credit.feed, title=credit.name)
    return _finish_rss(site.config, fg.rss_str(pretty=True), spec)


def atom_feed(site: Site, spec: FeedSpec, bodies: Bodies | None = None) -> bytes:
    """Atom 1.0; entries in another language than the site's carry their own xml:lang."""
    fg = _generator(site, spec, ATOM_FILE, ATOM_TYPE)
    for article in spec.articles:
        entry = _entry(fg, site, article, bodies)
        if article.author:
            entry.author(name=article.author)
    return _finish_atom(site, fg.atom_str(pretty=True), spec.articles)


def json_feed(site: Site, spec: FeedSpec, bodies: Bodies | None = None) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    config = site.config
    data = {
        "version": JSON_FEED_VERSION,
        "title": feed_title(spec.title, config.dir),
        "home_page_url": spec.home,
        "feed_url": absolute(config, spec.root + JSON_FILE),
        "description": spec.description,
        "language": config.language,
        "authors": [{"name": config.title, "url": config.base_url}],
        "items": [_json_item(site, article, bodies) for article in spec.articles],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(site: Site, article: Article, bodies: Bodies | None) -> dict[str, object]:
    config = site.config
    item: dict[str, object] = {
        "id": entry_id(article),
        "url": article.permalink,
        "title": feed_title(article.title, article.dir),
        "content_html": _bodies(site, article, bodies)[0],
        "date_published": _local(config, article.date).isoformat(),
        "date_modified": _local(config, article.modified).isoformat(),
        "language": article.lang,
    }
    if article.summary:
        item["summary"] = article.summary
    if article.source_url:
        item["external_url"] = _url(config, article.source_url)
    if article.image:
        item["image"] = _url(config, article.image)
    if article.author:
        item["authors"] = [{"name": article.author}]
    if article.tags:
        item["tags"] = [tag.name for tag in article.tags]
    return item


# ---------------------------------------------------------------- feedgen


def _generator(site: Site, spec: FeedSpec, file_name: str, media_type: str) -> FeedGenerator:
    config = site.config
    fg = FeedGenerator()
    fg.id(absolute(config, spec.root))
    fg.title(feed_title(spec.title, config.dir))
    fg.subtitle(spec.description)
    fg.author(name=config.title, uri=config.base_url)
    page = {"href": spec.home, "rel": "alternate", "type": "text/html"}
    itself = {"href": absolute(config, spec.root + file_name), "rel": "self", "type": media_type}
    # Atom: the page first, as some readers take the first link for the website. RSS <link> is
    # the last link feedgen was given, so there the page comes last (arabic-rtl.md R7.3).
    fg.link([itself, page] if file_name == RSS_FILE else [page, itself])
    fg.language(config.language)
    fg.generator(GENERATOR)
    fg.updated(_local(config, _newest(spec)))
    return fg


def _newest(spec: FeedSpec) -> datetime:
    """The feed's date: its newest change, never the build time."""
    return max((article.modified for article in spec.articles), default=EMPTY_FEED_UPDATED)


def _entry(fg: FeedGenerator, site: Site, article: Article, bodies: Bodies | None) -> FeedEntry:
    """The fields RSS and Atom share; appended so the feed keeps the newest-first order."""
    config = site.config
    entry = fg.add_entry(order="append")
    entry.id(entry_id(article))
    entry.title(feed_title(article.title, article.dir))
    entry.published(_local(config, article.date))
    entry.updated(_local(config, article.modified))
    for tag in article.tags:
        entry.category(term=tag.name, label=tag.name, scheme=absolute(config, tags_index_path()))
    # summary() before content(): feedgen fills RSS <description> from the summary, and
    # description() would overwrite Atom <content> (arabic-rtl.md R7.3).
    content, summary = _bodies(site, article, bodies)
    entry.summary(summary, type="html")
    entry.content(content, type="html")
    return entry


def _finish_rss(config: SiteConfig, rss: bytes, spec: FeedSpec) -> bytes:
    """Write the dates of RSS ourselves: RFC 822 with a four-digit year, and each item's last change.

    feedgen formats dates with strftime, whose `%Y` gives `999` for the year 999 on glibc. RSS has
    no update time, so every item gets `atom:updated`, which feedparser and SimplePie read.
    """
    root = _parse(rss)
    channel = root.find("channel")
    assert channel is not None  # feedgen always writes one
    _set_text(channel, "lastBuildDate", _rfc822(_local(config, _newest(spec))))
    for item, article in zip(channel.iterfind("item"), spec.articles, strict=True):
        published = _set_text(item, "pubDate", _rfc822(_local(config, article.date)))
        updated = etree.Element(ATOM_NS + "updated")
        updated.text = _local(config, article.modified).isoformat()
        published.addnext(updated)
        enclosure = _enclosure(article)
        if enclosure:
            item.append(etree.Element("enclosure", {"url": enclosure["href"], "length": enclosure["length"],
                                                    "type": enclosure["type"]}))  # fmt: skip
    return _serialize(root)


def _enclosure(article: Article) -> dict[str, str] | None:
    """The lead picture as an enclosure, when its type and length are known (a picture of the site)."""
    picture = article.picture
    if picture is None or not picture.share_type or not picture.share_length:
        return None
    return {"href": picture.share, "length": str(picture.share_length), "type": picture.share_type}


def _set_text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = parent.find(tag)
    assert element is not None  # feedgen writes it: every date is set in _generator and _entry
    element.text = text
    return element


def _rfc822(moment: datetime) -> str:
    """An RSS date such as `Mon, 30 Jun 2025 14:05:00 +0300`, in English whatever the locale."""
    day, month = DAY_NAMES[moment.weekday()], MONTH_NAMES[moment.month - 1]
    return f"{day}, {moment.day:02d} {month} {moment.year:04d} {moment:%H:%M:%S %z}"


def _parse(feed: bytes) -> etree._Element:
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    return etree.fromstring(feed, parser)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def _finish_atom(site: Site, atom: bytes, articles: tuple[Article, ...]) -> bytes:
    """Add what feedgen 1.0 cannot write into Atom entries: xml:lang, links with their rel, the outlet's feed.

    feedgen drops rel, type and title from entry links (a variable shadowing bug), which would turn
    the outlet's `via` link into a second `alternate`; so the entry links are written here.
    """
    config = site.config
    root = _parse(atom)
    for element, article in zip(root.iterfind(ATOM_NS + "entry"), articles, strict=True):
        if article.lang != config.language:
            element.set(XML_LANG, article.lang)
        title = element.find(ATOM_NS + "title")
        assert title is not None  # feedgen refuses entries without a title
        links = [{"rel": "alternate", "type": "text/html", "href": article.permalink}]
        if article.source_url:
            links.append({"rel": "via", "href": _url(config, article.source_url), "title": _source_name(article)})
        enclosure = _enclosure(article)
        if enclosure:
            links.append({"rel": "enclosure", **enclosure})
        for offset, attributes in enumerate(links, start=1):
            element.insert(element.index(title) + offset, etree.Element(ATOM_NS + "link", attributes))
        credit = outlet_feed(site, article)
        if credit is not None:
            element.append(_atom_source(credit))
    return _serialize(root)


def _atom_source(credit: OutletFeed) -> etree._Element:
    """`<source>` (RFC 4287 4.2.11): the outlet's feed by its id, title and `self` link.

    RFC 4287 asks for the source feed's `updated` too, but the build knows only sources.toml, not
    when the outlet's feed last changed; its own clock would make every build differ, so it is left out.
    """
    source = etree.Element(ATOM_NS + "source")
    etree.SubElement(source, ATOM_NS + "id").text = credit.feed
    etree.SubElement(source, ATOM_NS + "title").text = credit.name
    etree.SubElement(source, ATOM_NS + "link", {"rel": "self", "href": credit.feed})
    return source


# ---------------------------------------------------------------- entry values


def entry_id(article: Article) -> str:
    """The entry's permanent id: front-matter `id` or the permalink, as an ASCII URI.

    Atom requires a URI and readers reject raw Arabic. An http(s) URL, a `tag:` URI (RFC 4151) or
    a URN with a valid namespace (`urn:uuid:` only with a UUID) is kept, its stray characters
    percent-encoded; any other `id` is text, written as `urn:nashra:<percent-encoded text>`.
    """
    value = article.id
    if value == article.permalink:
        return value
    if match := HTTP_ID.fullmatch(value):
        return match["scheme"] + _escape(match["authority"], AUTHORITY_CHARS) + _escape_path(match["rest"])
    if TAG_ID.match(value):
        return _escape_path(value)
    if (match := URN_ID.match(value)) and (match["nid"].lower() != "uuid" or UUID_ID.fullmatch(value)):
        return match[0] + _escape(value[match.end() :], NSS_CHARS)
    return ID_PREFIX + _escape(value, NSS_CHARS)


def _escape_path(text: str) -> str:
    """Path and query, then one fragment: a second `#` is escaped."""
    head, hash_sign, fragment = text.partition("#")
    return _escape(head, PATH_CHARS) + hash_sign + _escape(fragment, PATH_CHARS)


def _escape(text: str, keep: str) -> str:
    """Percent-encode every character not in `keep` (UTF-8), leaving valid %XX escapes as they are."""
    return "".join(
        piece if len(piece) == 3 or piece in keep else "".join(f"%{byte:02X}" for byte in piece.encode("utf-8"))
        for piece in ESCAPE_OR_CHAR.findall(text)  # a %XX escape (3 characters) or one character
    )


def _bodies(site: Site, article: Article, bodies: Bodies | None) -> tuple[str, str]:
    """Content and summary HTML of an entry, computed once per build when `bodies` is given."""
    if bodies is None:
        return content_html(site, article), summary_html(article)
    if article.slug not in bodies:
        bodies[article.slug] = (content_html(site, article), summary_html(article))
    return bodies[article.slug]


def feed_title(title: str, direction: str) -> str:
    """Plain-text feed titles carry no direction; an RTL title that starts with Latin gets an RLM."""
    if direction == "rtl" and starts_with_latin(title) and not title.startswith(RLM):
        return RLM + title
    return title


def summary_html(article: Article) -> str:
    """The summary as HTML in the article's language and direction."""
    return _wrap(escape(article.summary, quote=False), article)


def content_html(site: Site, article: Article) -> str:
    """Image, body (or summary when feed_full_content is off) and the outlet, links made absolute."""
    config = site.config
    parts = []
    if article.picture:
        parts.append(_figure(article))
    if config.feed_full_content:
        body = site.bodies[article.slug]
        html = finish_html(body.html, body.links, feed=True)
        parts.append(BACK_LINK_ARROW.sub(MIRRORED_BACK_LINK_ARROW, html) if article.dir == "rtl" else html)
    else:
        parts.append(f"<p>{escape(article.summary, quote=False)}</p>")
    if article.source_name or article.source_url:
        parts.append(_credit(config, article))
    return _wrap("".join(parts), article, site.config)


def _figure(article: Article) -> str:
    """The lead picture: the largest variant with its size, alt text, caption and credit."""
    picture = article.picture
    assert picture is not None
    if picture.share_width:  # the JPEG that every reader shows
        src, width, height = picture.share, picture.share_width, picture.share_height
    else:
        src, width, height = picture.url, picture.width, picture.height
    size = f' width="{width}" height="{height}"' if width else ""
    caption = " ".join(escape(text, quote=False) for text in (article.image_caption, article.image_credit) if text)
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img src="{escape(src)}"{size} alt="{escape(article.image_alt)}">{figcaption}</figure>'


def _credit(config: SiteConfig, article: Article) -> str:
    """The outlet line, as on the article page: in the site's language, linked when known."""
    name = escape(_source_name(article), quote=False)
    if article.source_url:
        name = f'<a href="{escape(_url(config, article.source_url))}">{name}</a>'
    own = "" if article.lang == config.language else f' dir="{config.dir}" lang="{config.language}"'
    return f"<p{own}>{SOURCE_LABEL} {name}</p>"


def _wrap(fragment: str, article: Article, config: SiteConfig | None = None) -> str:
    """`<div dir lang>` around the HTML; with a config, every link resolved against the article."""
    div = lxml.html.fragment_fromstring(fragment, create_parent="div")
    if config is not None:
        page = article_path(article.slug)
        div.rewrite_links(lambda link: _feed_link(config, link, page), resolve_base_href=False)
    div.set("dir", article.dir)
    div.set("lang", article.lang)
    return lxml.html.tostring(div, encoding="unicode")


def _feed_link(config: SiteConfig, link: str, page: str) -> str | None:
    """A link made absolute for a feed, or None (the attribute is dropped) when it would run code.

    lxml hands over links stripped of Unicode white space, so `\u2028data:…`, harmless in the page
    (browsers strip only ASCII white space there and read it as a relative path), arrives here as
    `data:…`; the sanitiser saw it as relative and let it pass.
    """
    scheme = URI_SCHEME.match(link)
    if scheme and scheme.group(1).lower() in SCRIPT_SCHEMES:
        return None
    return absolutize(config, link, page)


def outlet_feed(site: Site, article: Article) -> OutletFeed | None:
    """The feed of the story's outlet when sources.toml lists it (by any spelling that folds alike)."""
    return site.outlet_feeds.get(article.outlet.key) if article.outlet else None


def _source_name(article: Article) -> str:
    return article.source_name or urlsplit(article.source_url).hostname or article.source_url


def _url(config: SiteConfig, url: str) -> str:
    """An absolute URL from front matter, percent-encoded so that feeds carry only ASCII."""
    return absolutize(config, url)


def _local(config: SiteConfig, moment: datetime) -> datetime:
    """Feeds show times with the site's own offset, whatever offset the front matter used."""
    return in_zone(moment, config.timezone)
