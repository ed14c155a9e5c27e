"""Markdown to safe HTML: Python-Markdown with a fixed extension list, then nh3.

`Renderer.convert` checks a body against `limits` before converting it, and reports what the
sanitiser removed, at the body line it came from, so an editor learns why an embed vanished.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import HtmlInlineProcessor

from .limits import TOO_DEEP, BlockGuard, InlineGuard, Note, Refused, check_body, stack_depth
from .text import PAIRED_BIDI, XML_INVALID, normalize, to_display_digits

EXTENSIONS = ("extra", "sane_lists", "toc")
EXTENSION_CONFIGS = {
    "toc": {"slugify": slugify_unicode, "permalink": False},
    # U+FE0E: the arrow as text, not an emoji; CSS turns it to point the story's way.
    "extra": {"footnotes": {"BACKLINK_TITLE": "العودة إلى موضع الحاشية %d", "BACKLINK_TEXT": "&#8617;&#xfe0e;"}},
}

ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS) | {"figure", "figcaption", "bdi", "bdo", "mark", "time"}
EXTRA_ATTRIBUTES = {"id", "dir", "lang", "title", "class"}
ALLOWED_ATTRIBUTES = {tag: set(nh3.ALLOWED_ATTRIBUTES.get(tag, set())) | EXTRA_ATTRIBUTES for tag in ALLOWED_TAGS} | {
    "time": {"datetime"} | EXTRA_ATTRIBUTES,
    "bdo": {"dir"},
}
# What nh3 does beyond the lists above: these attributes stay on every allowed element, these
# elements go with their content, and only these attributes hold URLs whose scheme it checks.
GENERIC_ATTRIBUTES = frozenset({"lang", "title"})
CONTENT_TAGS = frozenset({"script", "style"})
URL_ATTRIBUTES = frozenset({"href", "src"})
URL_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# Python-Markdown aligns table columns with a style attribute; nh3 removes it, and no editor wrote it.
COLUMN_ALIGNMENT = re.compile(r"text-align: (?:left|right|center);")
# A numeric character reference, decoded by every HTML parser, with or without its `;`.
CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
# A link start tag as nh3 writes it: attribute values double-quoted, `"` inside them escaped.
LINK_START = re.compile(r'<a((?: [^\s=>]+(?:="[^"]*")?)*)>')
NOOPENER = ' rel="noopener noreferrer"'
# A link whose text is its own address reads left to right, also inside Arabic text.
URL_LINK = re.compile(r'<a href="([^"]+)"( rel="[^"]*")?>(https?://[^<]+|mailto:[^<]+|[^<\s]+@[^<\s]+)</a>')
TAG = re.compile(r"<[^>]+>")
# Runs that read left to right even inside Arabic text (R1.3): without an isolating `dir="ltr"`, the
# bidi algorithm orders the groups of `+966 55 123 4567` right to left, as `4567 123 55 966+`.
# A phone number: digit groups joined by spaces or dashes, with a leading `+` or at least 7 digits.
PHONE = r"\+?\(?\d+\)?(?:[ \u00a0-]\(?\d+\)?)+"
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
BARE_URL = r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\"\u060c\u061b\u061f.,;:!?)\]'»]"
# A run starts only where no character it could continue precedes it: starting inside `a%a%a…` again
# and again would make long bodies quadratic.
LTR_RUN = re.compile(rf"(?<![\w+@/.%-])(?:{BARE_URL}|{EMAIL}|{PHONE})(?![\w@])")
MIN_PHONE_DIGITS = 7
# Text inside these elements is left as it is: links and code already read left to right.
LTR_ALREADY = frozenset({"a", "code", "pre", "bdi", "bdo", "kbd", "samp"})
HTML_TOKEN = re.compile(r"(<[^>]*>)")
OPEN_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
CLOSE_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)")
CODE_START = re.compile(r"<code(?=[\s>])")
FOOTNOTE_NUMBER = re.compile(
    r'(<a class="footnote-ref"[^>]*>)(\d+)(</a>)|(<a class="footnote-backref" href="[^"]*" title="[^"]*?)(\d+)(")'
)
ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
NEWLINE = re.compile("\n")
MAX_FOUND = 300  # source searches for the lines of removed things, per body
MAX_NOTES = 20  # lines with removals reported one by one, per body
UNSAFE = "stories keep no scripts, styles, frames, event handlers, javascript: links or other HTML outside a safe list"
UNREADABLE = "character references to characters that XML forbids; they would break the feeds"
BIDI_CONTROLS = (
    "bidi embedding/override character(s) (U+202A-202E, U+2066-2069); "
    "they spill over into the page around them; mark a direction with <span dir=...> instead"
)


# A raw HTML start tag with at least one quoted attribute, taken whole before Markdown's link
# patterns: Python-Markdown otherwise turns a defined reference `[x]` inside an attribute value
# (`<a href="/files/[x].csv">`) into a link of its own, and the tag into broken HTML. Autolinks
# (`<https://…>`) have no quoted attribute and `[text](<url>)` follows `](`: both are left to their patterns.
RAW_TAG_WITH_ATTRIBUTES = (  # the lookahead stops at the next < or >, so the cost stays linear
    r"""(?<!\]\()(<(?=[^<>]*=\s*["'])[A-Za-z][A-Za-z0-9-]*"""
    r"""(?:\s+[^\s"'<>=/]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)*\s*/?>)"""
)


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
        # After code spans (190) and escapes (180), before references (170): see RAW_TAG_WITH_ATTRIBUTES.
        tag = HtmlInlineProcessor(RAW_TAG_WITH_ATTRIBUTES, self._md)
        self._md.inlinePatterns.register(tag, "nashra-raw-tag", 175)

    def render(self, text: str) -> str:
        """Markdown source -> sanitised HTML fragment ("" when the body breaks a limit)."""
        return self.convert(text).html

    def convert(self, text: str) -> Rendered:
        """Check, convert and sanitise one body; problems come back as notes, never raised."""
        errors = check_body(text)
        if errors:
            return Rendered("", errors)
        text, bidi_notes = _without_paired_bidi(normalize(text))
        self._md.reset()
        self._blocks.source = self._inline.source = text
        self._blocks.start = stack_depth()
        try:
            fragment = self._md.convert(text)
        except Refused as refused:
            return Rendered("", (refused.note,))
        except RecursionError:  # a kind of inline nesting the limits do not know yet
            return Rendered("", (Note(1, f"{TOO_DEEP}; simplify the nesting of emphasis and links"),))
        return Rendered(sanitize(fragment), (), bidi_notes + removals(fragment, text))


def sanitize(fragment: str) -> str:
    """Remove scripts, event handlers, `javascript:` URLs and characters XML forbids; mark bare-URL links as LTR."""
    fragment = CHARACTER_REFERENCE.sub(lambda match: "" if _forbidden(match) else match.group(), fragment)
    cleaned = nh3.clean(fragment, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES)
    cleaned = LINK_START.sub(_rel_only_with_href, XML_INVALID.sub("", cleaned))
    return isolate_ltr_runs(URL_LINK.sub(r'<a href="\1"\2 dir="ltr">\3</a>', cleaned))


def isolate_ltr_runs(fragment: str) -> str:
    """Give inline code, and phone numbers, e-mail addresses and bare URLs in running text, `dir="ltr"`.

    `dir` isolates as well as setting the direction; CSS `direction` alone on an inline element
    does not change how the bidi algorithm orders its pieces among the Arabic around it.
    """
    fragment = CODE_START.sub('<code dir="ltr"', fragment)
    parts = HTML_TOKEN.split(fragment)
    skipping = 0  # depth inside elements whose text is left alone
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            closing, opening = CLOSE_TAG.match(part), OPEN_TAG.match(part)
            if closing and closing.group(1).lower() in LTR_ALREADY:
                skipping = max(0, skipping - 1)
            elif opening and opening.group(1).lower() in LTR_ALREADY and not part.endswith("/>"):
                skipping += 1
        elif part and not skipping:
            parts[index] = LTR_RUN.sub(_ltr_span, part)
    return "".join(parts)


def _ltr_span(match: re.Match[str]) -> str:
    run = match.group()
    digits = sum(char.isdigit() for char in run)
    is_phone = run[0] in "+(" or run[0].isdigit()
    if is_phone and (ISO_DATE.fullmatch(run) or not (run.startswith("+") or digits >= MIN_PHONE_DIGITS)):
        return run  # `10 20` or `2025-06-30`: numbers, or a date, that read right as they are
    return f'<span dir="ltr">{run}</span>'


def display_footnote_numbers(fragment: str, digits: str) -> str:
    """Footnote marks and back-link titles in the site's digits (the HTML keeps ASCII in ids and links)."""
    if digits == "latn" or 'class="footnote' not in fragment:
        return fragment

    def shown(match: re.Match[str]) -> str:
        groups = match.groups()
        start, number, end = groups[:3] if groups[0] is not None else groups[3:]
        return f"{start}{to_display_digits(number, digits)}{end}"

    return FOOTNOTE_NUMBER.sub(shown, fragment)


def _without_paired_bidi(text: str) -> tuple[str, tuple[Note, ...]]:
    """Remove paired bidi controls from a body, as from titles; one warning per line that had them."""
    if not PAIRED_BIDI.search(text):
        return text, ()
    lines = text.split("\n")
    notes = []
    for number, line in enumerate(lines, start=1):
        cleaned, removed = PAIRED_BIDI.subn("", line)
        if removed:
            lines[number - 1] = cleaned
            if len(notes) < MAX_NOTES:
                notes.append(Note(number, f"removed {removed} {BIDI_CONTROLS}"))
    return "\n".join(lines), tuple(notes)


def _rel_only_with_href(match: re.Match[str]) -> str:
    """`rel` on a link without `href` is invalid HTML: nh3 adds it even where it removed the href."""
    attributes = match.group(1)
    return match.group() if ' href="' in attributes else f"<a{attributes.replace(NOOPENER, '')}>"


def _forbidden(match: re.Match[str]) -> bool:
    """True when a character reference names a character XML forbids (or none at all)."""
    hexadecimal, decimal = match.groups()
    digits = (hexadecimal or decimal).lstrip("0") or "0"
    if len(digits) > 8:
        return True
    code = int(digits, 16 if hexadecimal else 10)
    return code > 0x10FFFF or XML_INVALID.match(chr(code)) is not None


def removals(fragment: str, source: str) -> tuple[Note, ...]:
    """Warnings for what `sanitize` removes from fragment, at the source lines it came from."""
    parser = _Removed()
    parser.feed(fragment)
    parser.close()
    forbidden = [match.group() for match in CHARACTER_REFERENCE.finditer(fragment) if _forbidden(match)]
    if not parser.removed and not forbidden:
        return ()
    finder = _Finder(source)
    removed = _by_line([(finder.line(needles), items) for needles, items in parser.removed], UNSAFE)
    finder = _Finder(source)
    return removed + _by_line([(finder.line((reference,)), [reference]) for reference in forbidden], UNREADABLE)


def _by_line(found: list[tuple[int, list[str]]], why: str) -> tuple[Note, ...]:
    """One note per line, for the first MAX_NOTES lines; then one for all the others."""
    lines: dict[int, dict[str, None]] = {}
    for line, items in sorted(found, key=lambda pair: pair[0]):
        lines.setdefault(line, {}).update(dict.fromkeys(items))
    notes = [Note(line, f"removed {', '.join(items)}: {why}") for line, items in list(lines.items())[:MAX_NOTES]]
    if len(lines) > MAX_NOTES:
        line = list(lines)[MAX_NOTES]
        notes.append(Note(line, f"removed more of the same here and on later lines (the first {MAX_NOTES} are listed)"))
    return tuple(notes)


class _Removed(HTMLParser):
    """What nh3 removes from a fragment, tag by tag: (strings that find the tag in the source, what goes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[tuple[tuple[str, ...], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        needles, items = [self.get_starttag_text() or ""], []
        if tag not in ALLOWED_TAGS:
            needles.append(f"<{tag}")
            items.append(f"<{tag}>" + (" and its content" if tag in CONTENT_TAGS else ""))
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | GENERIC_ATTRIBUTES
        for name, value in attrs if tag in ALLOWED_TAGS else ():
            value = value or ""
            if name not in allowed and not _markdowns_own(tag, name, value):
                needles.append(name)
                items.append(f"{name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and (scheme := _scheme(value)) and scheme not in nh3.ALLOWED_URL_SCHEMES:
                needles += [value, f"{scheme}:"]
                items.append(f'{name}="{scheme}:…" on <{tag}>')
        if items:
            self.removed.append((tuple(needles), items))

    handle_startendtag = handle_starttag


def _markdowns_own(tag: str, name: str, value: str) -> bool:
    """Attributes Python-Markdown writes itself: table column alignment, a leftover `markdown=`."""
    return name == "markdown" or (
        name == "style" and tag in ("th", "td") and COLUMN_ALIGNMENT.fullmatch(value) is not None
    )


def _scheme(url: str) -> str:
    """The scheme of a URL as browsers read it (controls around it and tabs or newlines in it ignored)."""
    match = URL_SCHEME.match(re.sub("[\t\n\r]", "", url.strip("\x00- ")))
    return match.group(1).lower() if match else ""


class _Finder:
    """Lines of a Markdown source where strings occur, searched in order from the last one found.

    Case is ignored for ASCII letters (HTML tag names). The first MAX_FOUND searches look at the
    whole source; later ones, for bodies with thousands of removals, get the last line found.
    """

    def __init__(self, source: str) -> None:
        self.folded = source.translate(ASCII_LOWER)
        self.newlines = [match.start() for match in NEWLINE.finditer(source)]
        self.cursor = 0
        self.searches = 0

    def line(self, needles: tuple[str, ...]) -> int:
        """The line of the first needle found (after the previous find, else anywhere)."""
        for needle in filter(None, needles):
            if self.searches >= MAX_FOUND:
                break
            self.searches += 1
            needle = needle.translate(ASCII_LOWER)
            found = self.folded.find(needle, self.cursor)
            found = self.folded.find(needle) if found < 0 else found
            if found >= 0:
                self.cursor = found + 1  # the next tag with the same text is a later one
                return bisect.bisect_left(self.newlines, found) + 1
        return bisect.bisect_left(self.newlines, self.cursor) + 1


CODE_BLOCK = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)


def reading_text(fragment: str) -> str:
    """The words a reader reads: the fragment's text without code blocks."""
    return html.unescape(TAG.sub(" ", CODE_BLOCK.sub(" ", fragment)))


def first_paragraph_text(fragment: str) -> str:
    """Plain text of the first paragraph of an HTML fragment (for summaries)."""
    match = PARAGRAPH.search(fragment)
    return html.unescape(TAG.sub("", match.group(1))) if match else ""
