"""Markdown to safe HTML: Python-Markdown with a fixed extension list, then nh3.

`Renderer.convert` checks a body against `limits` before converting it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

from .limits import TOO_DEEP, BlockGuard, InlineGuard, Note, Refused, check_body, stack_depth

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


@dataclass(frozen=True, slots=True)
class Rendered:
    """A body's sanitised HTML ("" when it has errors) and what an editor should know about it."""

    html: str
    errors: tuple[Note, ...] = ()
    warnings: tuple[Note, ...] = ()


class Renderer:
    """One reusable Markdown converter; `reset()` between documents keeps state from leaking."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=EXTENSION_CONFIGS)
        self._blocks = BlockGuard(self._md.parser)
        self._md.parser.blockprocessors.register(self._blocks, "nashra-limits", 1000)  # asked first
        self._inline = InlineGuard()
        self._md.treeprocessors.register(self._inline, "nashra-limits", 21)  # just before "inline" (20)

    def render(self, text: str) -> str:
        """Markdown source -> sanitised HTML fragment ("" when the body breaks a limit)."""
        return self.convert(text).html

    def convert(self, text: str) -> Rendered:
        """Check, convert and sanitise one body; problems come back as notes, never raised."""
        errors = check_body(text)
        if errors:
            return Rendered("", errors)
        self._md.reset()
        self._blocks.source = self._inline.source = text
        self._blocks.start = stack_depth()
        try:
            fragment = self._md.convert(text)
        except Refused as refused:
            return Rendered("", (refused.note,))
        except RecursionError:  # a kind of inline nesting the limits do not know yet
            return Rendered("", (Note(1, f"{TOO_DEEP}; simplify the nesting of emphasis and links"),))
        return Rendered(sanitize(fragment))


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
