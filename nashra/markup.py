"""Markdown to safe HTML: Python-Markdown with a fixed extension list, then nh3."""

from __future__ import annotations

import html
import re

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

EXTENSIONS = ("extra", "sane_lists", "toc")
EXTENSION_CONFIGS = {
    "toc": {"slugify": slugify_unicode, "permalink": False},
    "extra": {"footnotes": {"BACKLINK_TITLE": "العودة إلى موضع الحاشية %d"}},
}

ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS) | {"figure", "figcaption", "bdi", "bdo", "mark", "time"}
EXTRA_ATTRIBUTES = {"id", "dir", "lang", "title", "class"}
ALLOWED_ATTRIBUTES = {tag: set(nh3.ALLOWED_ATTRIBUTES.get(tag, set())) | EXTRA_ATTRIBUTES for tag in ALLOWED_TAGS} | {
    "time": {"datetime"} | EXTRA_ATTRIBUTES,
    "bdo": {"dir"},
}
# A link whose text is its own address reads left to right, also inside Arabic text.
URL_LINK = re.compile(r'<a href="([^"]+)"( rel="[^"]*")?>(https?://[^<]+|mailto:[^<]+|[^<\s]+@[^<\s]+)</a>')
TAG = re.compile(r"<[^>]+>")
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


class Renderer:
    """One reusable Markdown converter; `reset()` between documents keeps state from leaking."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=EXTENSION_CONFIGS)

    def render(self, text: str) -> str:
        """Markdown source -> sanitised HTML fragment."""
        self._md.reset()
        return sanitize(self._md.convert(text))


def sanitize(fragment: str) -> str:
    """Remove scripts, event handlers and `javascript:` URLs; mark bare-URL links as LTR."""
    cleaned = nh3.clean(fragment, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES)
    return URL_LINK.sub(r'<a href="\1"\2 dir="ltr">\3</a>', cleaned)


CODE_BLOCK = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)


def reading_text(fragment: str) -> str:
    """The words a reader reads: the fragment's text without code blocks."""
    return html.unescape(TAG.sub(" ", CODE_BLOCK.sub(" ", fragment)))


def first_paragraph_text(fragment: str) -> str:
    """Plain text of the first paragraph of an HTML fragment (for summaries)."""
    match = PARAGRAPH.search(fragment)
    return html.unescape(TAG.sub("", match.group(1))) if match else ""
