"""Limits on Markdown bodies, so one pasted file can neither crash nor stall a build.

Python-Markdown recurses once per level of nesting (500 list markers on one line overflow the
stack), stops nesting block quotes when the call stack is nearly full (so its output would
depend on the caller), and parses some shapes in time that grows with the square of their size:
a run of `[` without `]`, tags without `>`, hundreds of headings in one paragraph. Each check
here is linear and counts work in steps, never with a clock, so the same body is accepted or
refused on every machine; a refusal names the body line and how to fix it.

`check_body` runs on the Markdown source before conversion. Inside the conversion, `BlockGuard`
bounds the block parser's recursion relative to where the conversion started, whatever made it
nest, and `InlineGuard` checks the exact texts the inline parser is about to read.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from markdown import htmlparser
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import BLOCK_LEVEL_ELEMENTS, AtomicString

MAX_DEPTH = 32  # nested lists, quotes, definitions, HTML elements or emphasis
MAX_FRAMES = 400  # calls the block parser may nest; MAX_DEPTH levels take about 130
TOO_DEEP = "nested too deeply for the Markdown parser"
MAX_CHARS = 200_000  # one body: ten long features
MAX_LINES = 10_000  # outside code blocks: each paragraph, list item or table row costs time
MAX_NESTED_LINES = 10_000  # lines inside lists or quotes, counted once per level beyond the first
MAX_MARKS = 50_000  # Markdown marks (*, _, `, [, <, &, \) in one body
MAX_FOOTNOTES = 500
MAX_ABBREVIATIONS = 100
MAX_ABBREVIATED = 10_000  # words the abbreviations explain, each one an element
# Work budgets, in characters scanned or copied, each measured at a few tenths of a second.
FENCE_STEPS = 5_000_000  # an unclosed ``` fence makes the parser look for its end up to the last line
TAG_STEPS = 4_000_000  # html.parser looking for the end of each `<tag`
COPY_STEPS = 150_000_000  # the parser copying the rest of the body at each raw HTML or code block
STACK_STEPS = 20_000_000  # Markdown's HTML reader searching its stack of open tags at each end tag
SPLIT_STEPS = 50_000_000  # block parser reading a paragraph again after each heading or rule in it
SCAN_STEPS = 1_000_000  # inline parser looking for the `]`, `)` or backticks that close a mark
REBUILD_STEPS = 500_000_000  # inline parser copying one paragraph once per mark in it

# A line that opens a fenced code block, as Python-Markdown's FENCED_BLOCK_RE reads it (without
# its quadratic backtracking over spaces): the fence, spaces, then `{attributes}` or a language.
FENCE = re.compile(r"~{3,}|`{3,}")
FENCE_INFO = re.compile(r"""\.?[\w#.+-]*+ *+(?:hl_lines=(["'])[^\n]*\1 *+)?""")
# One container marker (block quote, list item, definition) at the start of what is left of a line.
CONTAINER = re.compile(r" *(?:>|[*+-](?= |$)|\d+[.)](?= |$)|:(?= ))")
CONTAINER_START = frozenset(" >*+-:0123456789")
RULE = re.compile(r" {0,3}(?>(?:- {0,2}){3,}|(?:_ {0,2}){3,}|(?:\* {0,2}){3,}) *$")
QUOTES = re.compile(r"(?: {0,3}> ?)*")
# Lines that make the block parser split a paragraph and read the rest of it again.
SPLITTER = re.compile(r"#|\[[^\]]*\]:|\*\[|:(?= )| {0,3}=+ *$|" + RULE.pattern)
FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^[^\]\n]*\]:", re.MULTILINE)
ABBREVIATION = re.compile(r"^ {0,3}\*\[([^\]\n]*)\]:", re.MULTILINE)
# Where Python-Markdown's footnote and abbreviation parsers stop looking for the end of `[^` and `*[`.
DEFINITION_START = re.compile(r"^ {0,3}(\[\^|\*\[)", re.MULTILINE)
DEFINITION_END = {"[^": re.compile(r"\]|\n\n"), "*[": re.compile(r"\] ?:|\n\n")}
TAG_NAME = re.compile(r"[a-zA-Z][^\t\n\r\f />\x00]*")  # as html.parser reads it
END_TAG_NAME = re.compile(r"</\s*([a-zA-Z][-.a-zA-Z0-9:_]*)")
BLANK_LINE = re.compile(r"\n[ \t]*\n")
RAW_TEXT = frozenset({"script", "style"})
VOID = htmlparser.void_tags
OPTIONAL_END = frozenset({
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "colgroup", "option", "optgroup",
    "rb", "rt", "rtc", "rp",
})  # fmt: skip
BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS)
MARKUP_START = re.compile(r"<[a-zA-Z/!?]")
# html.parser's search for the end of a start tag (Python 3.11), copied so the count is the same
# on every Python version.
START_TAG_END = re.compile(
    r"""
  <[a-zA-Z][^\t\n\r\f />\x00]*
  (?:[\s/]*
    (?:(?<=['"\s/])[^\s/>][^\s/=>]*
      (?:\s*=+\s*
        (?:'[^']*'
          |"[^"]*"
          |(?!['"])[^>\s]*
         )
        \s*
       )?(?:\s|/(?!>))*
     )*
   )?
  \s*
""",
    re.VERBOSE,
)
INLINE_MARK = re.compile(r"[\[`\\*_<&]|  \n")
BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)
PAREN = re.compile(r"\\.|[()]", re.DOTALL)
LINK_OPEN = re.compile(r"(?<!\\)\]\(")
TITLE_ENDS = {quote: re.compile(quote + r" *\)") for quote in "\"'"}
BACKTICKS = re.compile(r"`+")
EMPHASIS = re.compile(r"\\.|\*+|_+", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Note:
    """Something wrong in a body, at a line counted from the body's first line (1)."""

    line: int
    message: str


class Refused(Exception):
    """The inline parser would take too long over a text, or nest it too deeply."""

    def __init__(self, note: Note) -> None:
        super().__init__(note.message)
        self.note = note


def check_body(text: str) -> tuple[Note, ...]:
    """Every limit the Markdown source breaks, found before it is converted."""
    if len(text) > MAX_CHARS:
        return (Note(1, f"the body has {len(text):,} characters, more than {MAX_CHARS:,}; split the story"),)
    text = text.expandtabs(4)  # as Python-Markdown does before anything else
    lines = text.split("\n")
    code, fences = _fenced_lines(lines)
    if fences:
        return (fences,)  # the code blocks after it are unknown
    counted = len(lines) - len(code)
    if counted > MAX_LINES:
        return (Note(1, f"the body has {counted:,} lines besides code, more than {MAX_LINES:,}; split the story"),)
    outside = "\n".join("" if number in code else line for number, line in enumerate(lines))
    notes = (
        _block_depth(lines, code),
        _raw_html(outside),
        _paragraph_splits(lines, code),
        _definition_scans(outside),
        _counted(outside, FOOTNOTE_DEFINITION, MAX_FOOTNOTES, "footnotes") if "[^" in outside else None,
        _abbreviations(outside) if "*[" in outside else None,
    )
    return tuple(note for note in notes if note)


def _fenced_lines(lines: list[str]) -> tuple[frozenset[int], Note | None]:
    """Indexes of the lines of fenced code blocks, which the block parser never reads.

    Pairs fences as Python-Markdown does: an opening fence closes at the next line holding the
    same fence alone. Its search is slow for fences that never close (it reads on to the end of
    the body) and for fence lines with long runs of spaces that open nothing.
    """
    closings: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        if line[:3] in ("```", "~~~"):
            closings.setdefault(line.rstrip(" "), []).append(number)
    code: set[int] = set()
    total = sum(len(line) + 1 for line in lines)
    steps, copies, number, remaining = 0, 0, 0, total
    while number < len(lines):
        line = lines[number]
        fence = _opening_fence(line) if line[:3] in ("```", "~~~") else None
        ends = closings.get(fence or "", [])
        if fence and ends and ends[-1] > number:
            end = ends[bisect.bisect_right(ends, number)]
            code.update(range(number, end + 1))
            copies += total  # the parser rebuilds the whole text around each code block
            if copies > COPY_STEPS:
                return frozenset(code), Note(number + 1, "too many code blocks for the Markdown parser; merge them")
            remaining -= sum(len(lines[index]) + 1 for index in range(number, end + 1))
            number = end + 1
            continue
        if line[:3] in ("```", "~~~"):  # the search backtracks over every split of the spaces
            steps += line.count(" ") ** 2 + (remaining if fence else 0)
        if steps > FENCE_STEPS:
            if fence:
                return frozenset(code), Note(number + 1, f"this code fence is never closed; end the code with {fence}")
            return frozenset(code), Note(number + 1, "this line starts like a code fence and has too many spaces")
        remaining -= len(line) + 1
        number += 1
    return frozenset(code), None


def _opening_fence(line: str) -> str | None:
    """The fence string when the line opens a fenced code block."""
    fence = FENCE.match(line)
    if not fence:
        return None
    info = line[fence.end() :].lstrip(" ")
    opens = info.endswith("}") if info.startswith("{") else FENCE_INFO.fullmatch(info) is not None
    return fence.group() if opens else None


def _block_depth(lines: list[str], code: frozenset[int]) -> Note | None:
    """Lists, quotes and definitions nested deeper than MAX_DEPTH (markers plus 4-space indents)."""
    definitions = 0  # consecutive definitions nest in Python-Markdown until a blank line
    nested = 0
    for number, line in enumerate(lines):
        if number in code or not line.strip():
            definitions = 0
            continue
        if line[0] not in CONTAINER_START and not definitions:
            continue  # most lines: text at the margin
        markers, position, indent, earlier = 0, 0, 0, definitions
        while not RULE.match(line, position) and (match := CONTAINER.match(line, position)):
            marker = match.group()
            indent += len(marker) - len(marker.lstrip(" "))
            definitions += marker.endswith(":")
            markers += 1
            position = match.end() + line.startswith(" ", match.end())
        indent += len(line) - position - len(line[position:].lstrip(" "))
        depth = markers + indent // 4 + earlier
        nested += max(depth - 1, 0)
        if nested > MAX_NESTED_LINES:
            return Note(
                number + 1,
                f"by this line, more than {MAX_NESTED_LINES:,} lines of nested lists or quotes (a line three "
                "levels deep counts twice); flatten them or split the story",
            )
        if depth > MAX_DEPTH:
            return Note(
                number + 1,
                f"lists, quotes or definitions nested {depth} levels deep, more than {MAX_DEPTH}; "
                "remove extra '>' or list markers (write a literal one as '\\>', '\\-' or '1\\.'), "
                "or separate definitions with blank lines",
            )
    return None


def _raw_html(text: str) -> Note | None:
    """Read the body's HTML as Python-Markdown's reader (html.parser) does, counting its work.

    That reader looks for the end of each `<tag` (across lines, past quoted `>`), keeps a stack
    of open tags that it searches at every end tag, copies the rest of the body at each tag at the
    start of a line and at the end of each raw block, and searches the rest of the paragraph for
    every open inline tag at each comment. Elements in code spans do not nest in the page.
    """
    if "<" not in text:
        return None
    reader = _HtmlReader(text)
    for match in MARKUP_START.finditer(text):
        if match.start() >= reader.position:
            note = reader.read(match.start())
            if note:
                return note
    return None


class _HtmlReader:
    """The state of `_raw_html`: where html.parser is, its open tags, and the work counted so far."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = iter(_code_spans(text)[0])
        self.span = next(self.spans, (len(text), len(text)))
        self.position = self.line_start = 0
        self.stack: list[tuple[str, bool]] = []  # name, and whether it nests in the page
        self.opened: Counter[str] = Counter()
        self.deep = self.inline = self.scans = self.copies = self.searches = 0
        self.far = -1  # the first `<` read on for more than a line's worth

    def read(self, start: int) -> Note | None:
        text = self.text
        self.line_start = text.rfind("\n", self.position, start) + 1 or self.line_start
        while self.span[1] <= start:
            self.span = next(self.spans, (len(text), len(text)))
        if start - self.line_start <= 3 and not text[self.line_start : start].strip(" "):
            self.copies += len(text) - start  # a raw block may begin here
        if text[start + 1].isalpha():
            end = START_TAG_END.match(text, start).end()  # type: ignore[union-attr]
            complete = text.startswith((">", "/>"), end)
            self._scanned(start, end)
            self.position = end + 1 + (text[end] == "/") if complete else start + 1
            if complete:
                return self._opened(start, TAG_NAME.match(text, start + 1).group().lower(), text[end] == "/")  # type: ignore[union-attr]
        elif text.startswith("<!--", start):
            end = text.find("-->", start + 4)
            self._scanned(start, len(text) if end < 0 else end)
            self.position = start + 1 if end < 0 else end + 3
            if end >= 0 and self.inline:
                paragraph = BLANK_LINE.search(text, end)
                self.searches += self.inline * ((paragraph.start() if paragraph else len(text)) - end)
                self.copies += len(text) - end
        else:
            end = text.find(">", start + 2)
            self._scanned(start, len(text) if end < 0 else end)
            self.position = start + 1 if end < 0 else end + 1
            name = END_TAG_NAME.match(text, start)
            if end >= 0 and name:
                self._closed(start, name.group(1).lower())
        return self._verdict(start)

    def _scanned(self, start: int, end: int) -> None:
        self.scans += end - start
        if self.far < 0 and end - start > 1000:
            self.far = start

    def _opened(self, start: int, name: str, self_closing: bool) -> Note | None:
        if self_closing or name in VOID:
            return self._verdict(start)
        nests = name not in OPTIONAL_END and start < self.span[0]
        self.stack.append((name, nests))
        self.opened[name] += 1
        self.deep += nests
        self.inline += name not in BLOCK_LEVEL
        if name in RAW_TEXT:  # html.parser reads on to the end tag without looking at markup
            close = re.compile(f"</{name}", re.IGNORECASE).search(self.text, self.position)
            self.position = close.start() if close else len(self.text)
        if self.deep > MAX_DEPTH:
            return Note(
                _line_at(self.text, start),
                f"HTML elements nested more than {MAX_DEPTH} levels deep; close each element you open",
            )
        return self._verdict(start)

    def _closed(self, start: int, name: str) -> None:
        self.searches += len(self.stack)
        while self.opened[name] and self.stack:
            top, nests = self.stack.pop()
            self.opened[top] -= 1
            self.deep -= nests
            self.inline -= top not in BLOCK_LEVEL
            if top == name:
                self.copies += 0 if self.stack else len(self.text) - start  # the end of a raw block
                return

    def _verdict(self, start: int) -> Note | None:
        if self.scans > TAG_STEPS:
            return Note(
                _line_at(self.text, start if self.far < 0 else self.far),
                "too many '<' without a closing '>' for the HTML parser to read in reasonable time; "
                "write a literal '<' as '&lt;'",
            )
        if self.copies > COPY_STEPS or self.searches > STACK_STEPS:
            return Note(
                _line_at(self.text, start),
                "too many HTML blocks, comments or unclosed tags for the Markdown parser to read in reasonable "
                "time; gather the HTML into fewer blocks and close each element you open",
            )
        return None


def _paragraph_splits(lines: list[str], code: frozenset[int]) -> Note | None:
    """Headings, rules and definitions inside one long paragraph: each makes the parser read it again."""
    steps = 0
    for first, block in _blocks(lines, code):
        splits = sum(1 for line in block if SPLITTER.match(line, QUOTES.match(line).end()))  # type: ignore[union-attr]
        steps += splits * (sum(len(line) for line in block) + 32 * len(block)) if splits > 1 else 0
        if steps > SPLIT_STEPS:
            return Note(
                first + 1,
                f"this paragraph has {splits} lines that start a heading, rule or definition; "
                "put a blank line before and after each of them",
            )
    return None


def _definition_scans(text: str) -> Note | None:
    """`[^` or `*[` at the start of a line: the parsers look for its `]` up to the end of the paragraph."""
    steps = 0
    for start in DEFINITION_START.finditer(text):
        end = DEFINITION_END[start.group(1)].search(text, start.end())
        steps += (end.start() if end else len(text)) - start.start()
        if steps > SPLIT_STEPS:
            return Note(
                _line_at(text, start.start()),
                "too many lines start with '[^' or '*[' without the ']:' of a footnote or abbreviation; "
                "write a literal '[' as '\\['",
            )
    return None


def _blocks(lines: list[str], code: frozenset[int]) -> Iterator[tuple[int, list[str]]]:
    """Runs of lines without a blank line between them, with the index of their first line."""
    block: list[str] = []
    for number, line in enumerate(lines):
        if number in code or not line.strip():
            if block:
                yield number - len(block), block
            block = []
        else:
            block.append(line)
    if block:
        yield len(lines) - len(block), block


def _counted(text: str, definition: re.Pattern[str], limit: int, what: str) -> Note | None:
    matches = list(definition.finditer(text))
    if len(matches) <= limit:
        return None
    return Note(
        _line_at(text, matches[limit].start()),
        f"more than {limit} {what} in one story; the Markdown parser slows down with the square of their number",
    )


def _abbreviations(text: str) -> Note | None:
    """Too many abbreviations, or too many words they explain (each one an element of its own)."""
    too_many = _counted(text, ABBREVIATION, MAX_ABBREVIATIONS, "abbreviations")
    names = sorted({match.group(1) for match in ABBREVIATION.finditer(text) if match.group(1)}, key=len, reverse=True)
    if too_many or not names:
        return too_many
    uses = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
    for count, match in enumerate(uses.finditer(text)):
        if count > MAX_ABBREVIATED:
            return Note(
                _line_at(text, match.start()),
                f"more than {MAX_ABBREVIATED:,} words explained by abbreviations (*[...]:) in one story; "
                "remove the abbreviation of the commonest word",
            )
    return None


def settings() -> str:
    """Every limit, for the key of the Markdown cache: a body refused now must not come from it."""
    return repr(sorted((name, value) for name, value in globals().items() if name.isupper() and isinstance(value, int)))


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


# ---------------------------------------------------------------- inside the conversion


def stack_depth() -> int:
    """Frames on the call stack below the caller: where a conversion starts."""
    frame, depth = sys._getframe(1), 0
    while frame:
        frame, depth = frame.f_back, depth + 1  # type: ignore[assignment]
    return depth


class BlockGuard(BlockProcessor):
    """Refuses a block nested more than MAX_FRAMES calls deeper than the conversion started.

    Asked first about every block at every level of nesting, it stops any recursion of the block
    parser, also nesting the line checks cannot see (HTML blocks that Python-Markdown turns into
    list markers, Markdown inside HTML). The count is relative to the start of the conversion, so
    the answer is the same for every caller. Set `start` (a stack_depth()) and `source` first.
    """

    def __init__(self, parser: BlockParser) -> None:
        super().__init__(parser)
        self.start = 0
        self.source = ""

    def test(self, parent: Element, block: str) -> bool:
        try:
            sys._getframe(self.start + MAX_FRAMES)
        except ValueError:
            return False
        raise Refused(
            Note(_line_of_text(self.source, block), f"{TOO_DEEP}; simplify the nesting of lists, quotes and HTML")
        )

    def run(self, parent: Element, blocks: list[str]) -> None:  # never called: test() says no or raises
        raise NotImplementedError


class InlineGuard(Treeprocessor):
    """Refuses a body whose texts the inline parser would read too slowly or nest too deeply.

    Registered just before Python-Markdown's inline processor, it sees each paragraph, list
    item, heading and table cell as that processor will, and raises Refused. `source` must be
    set to the Markdown source before each conversion, to find the line of a text.
    """

    def __init__(self) -> None:
        super().__init__()
        self.source = ""

    def run(self, root: Element) -> None:
        scans = marks = 0
        for text in _texts(root):
            depth, position = _emphasis_depth(text)
            if depth > MAX_DEPTH:
                raise Refused(
                    Note(
                        self._line(text, position),
                        f"emphasis ('*' or '_') nested more than {MAX_DEPTH} levels deep; "
                        "write a literal '*' or '_' as '\\*' or '\\_'",
                    )
                )
            scans += _scan_steps(text)
            if scans > SCAN_STEPS:
                raise Refused(
                    Note(
                        self._line(text, 0),
                        "this paragraph has too many '[', '(' or '`' without a match for the Markdown parser "
                        "to read in reasonable time; write a literal one as '\\[', '\\(' or '\\`'",
                    )
                )
            count = len(INLINE_MARK.findall(text))
            marks += count
            if marks > MAX_MARKS:
                raise Refused(
                    Note(
                        self._line(text, 0),
                        f"the story has more than {MAX_MARKS:,} Markdown marks (*, _, `, [, <, &) by this paragraph; "
                        "split the story",
                    )
                )
            if len(text) * count > REBUILD_STEPS:
                raise Refused(
                    Note(
                        self._line(text, 0),
                        f"this paragraph is too long ({len(text):,} characters) for the Markdown marks "
                        "(*, _, `, [, <, &) in it; split it into shorter paragraphs",
                    )
                )

    def _line(self, text: str, position: int) -> int:
        return _line_of_text(self.source, text, position)


def _line_of_text(source: str, text: str, position: int = 0) -> int:
    """The source line of a position in a text the parser made from it, found by the text's first line."""
    lead = len(text) - len(text.lstrip())
    first = text[lead:].split("\n", 1)[0][:80]
    found = source.find(first) if first else -1
    if found < 0:
        return 1
    return _line_at(source, found) + text.count("\n", lead, max(position, lead))


def _texts(root: Element) -> Iterator[str]:
    for element in root.iter():
        for text in (element.text, element.tail):
            if text and not isinstance(text, AtomicString):
                yield text


def _scan_steps(text: str) -> int:
    """Characters the link, image and code-span parsers scan in text, at most (a few per `[`)."""
    return _bracket_steps(text) + _link_steps(text) + _backtick_steps(text)


def _bracket_steps(text: str) -> int:
    """Each `[` makes the parsers scan to its matching `]`, or to the end of the text."""
    if "[" not in text:
        return 0
    # A `]` inside a code span does not close anything: ignore every `]` between backticks.
    first, last = text.find("`"), text.rfind("`")
    steps, opened = 0, []
    for match in BRACKET.finditer(text):
        if match.group() == "[":
            opened.append(match.start())
        elif match.group() == "]" and opened and not first < match.start() < last:
            steps += match.start() - opened.pop()
    return steps + sum(len(text) - start for start in opened)


def _link_steps(text: str) -> int:
    """After `](`, the parser scans to the matching `)`, or past a quoted title, or to the end."""
    if "](" not in text:
        return 0
    closes: dict[int, int] = {}
    opened: list[int] = []
    for match in PAREN.finditer(text):
        if match.group() == "(":
            opened.append(match.start())
        elif match.group() == ")" and opened:
            closes[opened.pop()] = match.start()
    steps = 0
    for match in LINK_OPEN.finditer(text):
        start = match.end() - 1
        end = closes.get(start, len(text))
        quote = min((i for i in (text.find('"', start, end), text.find("'", start, end)) if i >= 0), default=-1)
        if quote >= 0:  # a title: only the same quote mark followed by `)` ends it
            title = TITLE_ENDS[text[quote]].search(text, quote + 1)
            end = title.end() if title else len(text)
        steps += end - start
        if steps > SCAN_STEPS:
            break
    return steps


def _backtick_steps(text: str) -> int:
    """A run of backticks makes the parser scan to the next run of the same length, or to the end."""
    return _code_spans(text)[1] if "`" in text else 0


def _code_spans(text: str) -> tuple[list[tuple[int, int]], int]:
    """Code spans as Python-Markdown pairs backticks, and the characters it scans to pair them."""
    runs = [(match.start(), match.end()) for match in BACKTICKS.finditer(text)]
    following: dict[int, int] = {}
    after: list[int] = [-1] * len(runs)
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        after[index] = following.get(length, -1)
        following[length] = index
    spans, steps, index = [], 0, 0
    while index < len(runs):
        closing = after[index]
        if closing < 0:
            steps += len(text) - runs[index][1]
            index += 1
            continue
        spans.append((runs[index][0], runs[closing][1]))
        steps += runs[closing][0] - runs[index][1]
        index = closing + 1
    return spans, steps


def _emphasis_depth(text: str) -> tuple[int, int]:
    """How deep `*` and `_` could nest emphasis: opening runs add their length, closing ones take it."""
    if "*" not in text and "_" not in text:
        return 0, 0
    depth = deepest = where = 0
    for match in EMPHASIS.finditer(text):
        run = match.group()
        if run[0] == "\\":
            continue
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        opens, closes = not after.isspace(), not before.isspace()
        if opens and closes and run[0] == "_":
            continue  # inside a word, `_` is a letter to Python-Markdown
        if closes and (depth or not opens):
            depth = max(depth - len(run), 0)
        elif opens:
            depth += len(run)
            if depth > deepest:
                deepest, where = depth, match.start()
    return deepest, where
