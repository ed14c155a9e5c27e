"""Every output path and URL. Paths on disk are raw NFC UTF-8; URLs are percent-encoded.

A *site path* is relative to the site root, e.g. `articles/ميتا/` or `tags/` or `` (home).
Links inside pages are root-relative and include the base_url's sub-path (`/REPO/articles/...`),
so they work from any depth, including a 404 page served for an unknown URL.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from .config import SiteConfig

ASSETS = "assets/"


def encode(site_path: str) -> str:
    """Percent-encode a site path (NFC first), keeping `/` separators."""
    return quote(unicodedata.normalize("NFC", site_path), safe="/")


def href(config: SiteConfig, site_path: str) -> str:
    """Root-relative, percent-encoded link: `/REPO/` + path."""
    return config.base_path + encode(site_path)


def absolute(config: SiteConfig, site_path: str) -> str:
    """Absolute, ASCII-only URL for feeds, sitemaps, canonical links and Open Graph."""
    return config.base_url + encode(site_path)


def absolutize(config: SiteConfig, url: str, page_path: str = "") -> str:
    """Make a link found in content absolute and ASCII, resolving it against the page it sits on."""
    parts = urlsplit(urljoin(absolute(config, page_path), url))
    host = parts.netloc
    if not host.isascii():
        host = _idna(host)
    resolved = urlunsplit(parts._replace(netloc=host))
    return quote(resolved, safe=":/?#[]@!$&'()*+,;=%~")


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


def page_path(listing_root: str, number: int) -> str:
    """Page 1 lives at the listing root; page N at `root/page/N/`."""
    return listing_root if number == 1 else f"{listing_root}page/{number}/"


def asset_path(name: str) -> str:
    return ASSETS + name
