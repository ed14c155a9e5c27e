"""Every output path and URL. Paths on disk are raw NFC UTF-8; URLs are percent-encoded.

A *site path* is relative to the site root, e.g. `articles/ميتا/` or `tags/` or `` (home).
Links inside pages are root-relative and include the base_url's sub-path (`/REPO/articles/...`),
so they work from any depth, including a 404 page served for an unknown URL.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from .text import clip, shown

if TYPE_CHECKING:  # config builds its base_url with the helpers below
    from .config import SiteConfig

ASSETS = "assets/"
WEB_SCHEMES = ("http", "https")
# Characters that may stay as they are in a URI; everything else (Arabic, spaces) is percent-encoded.
URI_SAFE = ":/?#[]@!$&'()*+,;=%~"
# Control characters (C0, DEL, C1), lone surrogates and non-characters: no link needs them. Browsers
# drop tabs and line breaks inside a URL, so `java<TAB>script:` would run as `javascript:`.
LINK_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def link_problem(url: str, relative: bool = False) -> str | None:
    """Why `url` cannot be a link taken from front matter or site.toml, or None when it can.

    It must be an http(s) URL with a host or, when `relative`, a path relative to the page.
    Every other scheme (`javascript:`, `data:`...) is refused, and so is what `urlsplit`
    cannot read (a broken IPv6 host, a port that is not a number from 0 to 65535).
    """
    forbidden = LINK_FORBIDDEN.search(url)
    if forbidden:
        return f"contains the control character U+{ord(forbidden.group()):04X}; remove it"
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises for a port out of range or not a number
    except ValueError as error:
        return f"is not a valid URL ({clip(str(error), 60)}), got {shown(url)}"
    if parts.scheme in WEB_SCHEMES and not parts.netloc:
        return f"has no host; write it as https://HOST/..., got {shown(url)}"
    if parts.scheme in WEB_SCHEMES or (relative and not parts.scheme):
        return None
    if relative:
        return f"must be an http(s) URL or a path relative to the story (img/photo.jpg), got {shown(url)}"
    return f"must be an absolute http(s) address, got {shown(url)}"


def encode(site_path: str) -> str:
    """Percent-encode a site path (NFC first), keeping `/` separators."""
    return quote(unicodedata.normalize("NFC", site_path), safe="/")


def href(config: SiteConfig, site_path: str) -> str:
    """Root-relative, percent-encoded link: `/REPO/` + path."""
    return config.base_path + encode(site_path)


def absolute(config: SiteConfig, site_path: str) -> str:
    """Absolute, ASCII-only URL for feeds, sitemaps, canonical links and Open Graph."""
    return config.base_url + encode(site_path)


STRAY_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")


def absolutize(config: SiteConfig, url: str, page_path: str = "") -> str:
    """Make a link found in content absolute and ASCII, resolving it against the page it sits on.

    A link that cannot be read as a URL (`http://[`) is only percent-encoded: body links are
    the author's, and one broken link must not stop the build.
    """
    try:
        return to_ascii(urljoin(absolute(config, page_path), url))
    except ValueError:
        return quote(url, safe=URI_SAFE)


def to_ascii(url: str) -> str:
    """The same URL in ASCII: an international host in punycode, everything else percent-encoded.

    :raises ValueError: when `urlsplit` cannot read the URL.
    """
    parts = urlsplit(unicodedata.normalize("NFC", url))
    host = parts.netloc if parts.netloc.isascii() else _idna(parts.netloc)
    encoded = quote(urlunsplit(parts._replace(netloc=host)), safe=URI_SAFE)
    return STRAY_PERCENT.sub("%25", encoded)  # `100%/` is no escape: the `%` itself is encoded


def _idna(netloc: str) -> str:
    """Internationalised domain names become punycode (`مثال.إختبار` -> `xn--mgbh0fb.xn--kgbechtv`)."""
    userinfo, _, hostport = netloc.rpartition("@")
    host, colon, port = hostport.partition(":")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return netloc  # not a valid domain name: leave it to percent-encoding
    return (userinfo + "@" if userinfo else "") + host + colon + port


def file_for(site_path: str) -> str:
    """The file that serves a site path: directories get `index.html`."""
    path = unicodedata.normalize("NFC", site_path)
    return path + "index.html" if path == "" or path.endswith("/") else path


def article_path(slug: str) -> str:
    return f"articles/{slug}/"


def tag_path(slug: str) -> str:
    return f"tags/{slug}/"


def tags_index_path() -> str:
    return "tags/"


def outlet_path(slug: str) -> str:
    return f"sources/{slug}/"


def outlets_index_path() -> str:
    return "sources/"


def archive_path() -> str:
    return "archive/"


def archive_year_path(year: int) -> str:
    return f"archive/{year:04d}/"


def archive_month_path(year: int, month: int) -> str:
    return f"archive/{year:04d}/{month:02d}/"


def page_path(listing_root: str, number: int) -> str:
    """Page 1 lives at the listing root; page N at `root/page/N/`."""
    return listing_root if number == 1 else f"{listing_root}page/{number}/"


def asset_path(name: str) -> str:
    return ASSETS + name
