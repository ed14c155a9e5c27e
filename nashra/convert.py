"""Feed HTML -> safe Markdown and plain text; article addresses without tracking parameters."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import nh3
from markdownify import ATX, MarkdownConverter

from .text import WHITESPACE, normalize, remove_paired_bidi, remove_xml_invalid

# Kept: text structure, links, lists, quotes, pictures. Everything else is unwrapped (its text stays) ...
BODY_TAGS = frozenset(
    {"p", "br", "a", "ul", "ol", "li", "blockquote", "img", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em",
     "i", "pre", "code", "figure", "figcaption", "hr", "table", "thead", "tbody", "tr", "th", "td"}
)  # fmt: skip
# ... except these, which go with everything inside them: no scripts, styles, forms, frames or embeds.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "form", "button", "select", "textarea", "noscript", "iframe", "object", "embed",
     "template", "svg", "math", "head", "title"}
)  # fmt: skip
BODY_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}}
URL_SCHEMES = {"http", "https"}

TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "ga_")
TRACKING_KEYS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
     "mc_cid", "mc_eid", "igshid", "igsh", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url",
     "xtor", "ocid", "cmpid", "s_cid", "wt_mc", "ns_source", "ns_mchannel", "ns_campaign", "rss", "rss_id",
     "spm", "vero_id", "oly_enc_id", "oly_anon_id", "__twitter_impression"}
)  # fmt: skip
_BLOCK_END = re.compile(r"<(?:br|/p|/div|/li|/h[1-6]|/blockquote|/tr|/td|/th|/figcaption)\b[^>]*>", re.IGNORECASE)
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def is_tracking(key: str) -> bool:
    """True for a query parameter that identifies a campaign or a click, not the article."""
    key = key.lower()
    return key in TRACKING_KEYS or key.startswith(TRACKING_PREFIXES)


def clean_url(url: str) -> str:
    """The address without tracking parameters (`utm_*`, `fbclid`, ...) or a tracking fragment (`#xtor=...`)."""
    parts = urlsplit(url.strip())
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(key)]
    fragment = parts.fragment
    if "=" in fragment and any(is_tracking(key) for key, _ in parse_qsl(fragment, keep_blank_values=True)):
        fragment = ""
    kept = urlencode(query, quote_via=quote, safe="/:@!$'()*,;") if len(query) != _count(parts.query) else parts.query
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", kept, fragment))


def _count(query: str) -> int:
    """How many parameters a query string holds."""
    return len(parse_qsl(query, keep_blank_values=True))


def url_key(url: str) -> str:
    """What two addresses of the same article have in common: no scheme, `www.`, port 80/443,
    trailing slash, fragment or tracking; remaining parameters sorted. For comparing, never for links."""
    parts = urlsplit(clean_url(url))
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port not in (None, 80, 443) else ""
    query = "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    return f"//{host}{port}{parts.path.rstrip('/') or '/'}{'?' + query if query else ''}"


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment on one line: tags and scripts gone, entities read, spaces collapsed."""
    spaced = _BLOCK_END.sub(" ", fragment)
    text = html.unescape(nh3.clean(spaced, tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT)))
    return _clean(WHITESPACE.sub(" ", text)).strip()


def to_markdown(fragment: str, base: str) -> str:
    """Sanitised Markdown from feed HTML; relative addresses resolved against base; tracking pixels dropped."""
    safe = nh3.clean(
        fragment,
        tags=set(BODY_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in BODY_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    # Wrapped: Beautiful Soup warns when a whole fragment looks like an address or a file name.
    markdown = _Converter(base=base).convert(f"<div>{safe}</div>")
    markdown = _TRAILING_SPACE.sub("\n", _clean(markdown))
    return _BLANK_LINES.sub("\n\n", markdown).strip()


def _clean(text: str) -> str:
    """NFC, no characters XML forbids, no paired bidi controls: what the build would otherwise warn about."""
    text, _ = remove_xml_invalid(normalize(text))
    text, _ = remove_paired_bidi(text)
    return text


def markdown_text(text: str) -> str:
    """Plain text safe inside Markdown: no emphasis, links or raw HTML made by accident."""
    text = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;")
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)


def safe_link(base: str, address: str) -> str:
    """address resolved against base, spaces and other unsafe characters percent-encoded; "" unless http(s)."""
    resolved = urljoin(base, address.strip())
    if urlsplit(resolved).scheme not in URL_SCHEMES:
        return ""
    return quote(resolved, safe="%/:=&?~#+!$,;'@()*[]")


class _Converter(MarkdownConverter):
    """markdownify with absolute, http(s)-only addresses, no tracking pixels and no accidental markup."""

    def __init__(self, base: str) -> None:
        super().__init__(heading_style=ATX, bullets="-", escape_asterisks=True, escape_underscores=True)
        self._base = base

    def escape(self, text: str, parent_tags: set[str]) -> str:  # type: ignore[override]
        """Text as Markdown that shows it literally: no tags, entities, links or emphasis made by accident."""
        if not text:
            return ""
        text = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;")
        return super().escape(text, parent_tags).replace("[", r"\[").replace("]", r"\]")

    def convert_a(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        """A link with an absolute http(s) address without tracking; any other link keeps only its text."""
        href = safe_link(self._base, el.get("href") or "") if el.get("href") else ""
        if not href:
            return text
        el["href"] = clean_url(href)
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        """A picture with an absolute http(s) address; tracking pixels and other schemes are dropped."""
        src = safe_link(self._base, el.get("src") or "") if el.get("src") else ""
        if not src or _is_pixel(el.get("width"), el.get("height")):
            return ""
        el["src"] = src
        el["alt"] = " ".join(str(el.get("alt") or "").replace("[", "(").replace("]", ")").split())
        return super().convert_img(el, text, parent_tags)


def _is_pixel(width: object, height: object) -> bool:
    """A 1×1 (or 0×0) picture is a tracker, not an illustration."""

    def tiny(value: object) -> bool:
        text = str(value or "").strip().removesuffix("px")
        return text.isdigit() and int(text) <= 1

    return tiny(width) or tiny(height)
