"""Generated inputs that still break a build, so the generated tests can leave them out for now.

`known_bug()` names shapes of bugs being fixed in other branches (each check is marked KNOWN(#12));
`new_bug()` names bugs the generated tests found that are not fixed yet (marked NEW(#12)). Each
check is one `if`: delete it once its fix is merged, and the generators test that shape again.
The checks read the inputs the way nashra does (same front-matter split, same date parser), so
they leave out exactly the failing shapes and not more.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml
from strategies import GeneratedSite

from nashra.dates import parse_date
from nashra.errors import Problem
from nashra.frontmatter import split
from nashra.load import decode
from nashra.text import XML_INVALID

# An absolute URI in ASCII (RFC 3986 characters, every "%" starting an escape).
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*")
STRAY_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")
ALIAS_LIMIT = 10_000  # YAML nodes once aliases are expanded
NESTING_LIMIT = 100  # list markers and quotes on one line, or list levels
BRACKETS_LIMIT = 1000  # "[" in one file
OPEN_TAGS_LIMIT = 2000  # "<a " in one file
LIST_OR_QUOTE = re.compile(r"(?:>|[-*+]|\d+[.)])(?:\s|$)")
CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?")
SCRIPT_SCHEMES = ("javascript", "vbscript", "data")


def known_bug(site: GeneratedSite) -> str:
    """The first shape of a bug being fixed in another branch that this site has, or ""."""
    return ""


def new_bug(site: GeneratedSite) -> str:
    """The first shape of a bug found by the generated tests and not fixed yet that this site has, or ""."""
    base_url = _base_url(site)
    if isinstance(base_url, str) and base_url.isascii() and _is_web_address(base_url) and not URI.fullmatch(base_url):
        return "base_url with characters URLs cannot have"  # NEW(#12): `https://x/a b/`, `https://x/%/` kept as is
    for text in _texts(site):
        meta = _meta(text)
        if any(isinstance(meta.get(key), str) and STRAY_PERCENT.search(meta[key]) for key in ("source_url", "image")):
            return "stray % in a URL"  # NEW(#12): urls.absolutize keeps a `%` that starts no escape
    return ""


# ---------------------------------------------------------------- reading the inputs as nashra does


def _texts(site: GeneratedSite) -> list[str]:
    """Every content file that decodes, as load.decode leaves it."""
    decoded = (decode(data if isinstance(data, bytes) else data.encode(), path)[0] for path, data in site.files)
    return [text for text in decoded if text is not None]


def _toml(text: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _base_url(site: GeneratedSite) -> object:
    if "--base-url" in site.flags and site.flags[site.flags.index("--base-url") + 1]:
        return site.flags[site.flags.index("--base-url") + 1]
    return _toml(site.site_toml).get("base_url")


def _zone(name: object) -> ZoneInfo:
    try:
        return ZoneInfo(name) if isinstance(name, str) else ZoneInfo("Asia/Riyadh")
    except (KeyError, ValueError, OSError):  # an unknown zone is reported; no date is read in it
        return ZoneInfo("Asia/Riyadh")


def _split(url: str):  # type: ignore[no-untyped-def]
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _is_web_address(url: str) -> bool:
    parts = _split(url)
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


def _meta(text: str) -> dict[str, object]:
    try:
        parsed = split(text, "file.md")
    except Exception:  # a NEW(#12) bug: see new_bug()
        return {}
    return {} if isinstance(parsed, Problem) else parsed.meta


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _yaml_text(text: str) -> str:
    """The front matter between the fences, found the way frontmatter.split finds it ("" if none)."""
    lines = text.split("\n")
    if lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return "\n".join(lines[1:index])
    return ""


def _alias_expansion(text: str) -> int:
    """How many YAML nodes the front matter has once aliases are expanded (counted, never expanded)."""
    try:
        root = yaml.compose(_yaml_text(text), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 0
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) not in sizes:
            sizes[id(node)] = 0  # a node that contains itself counts once
            children = node.value if isinstance(node, yaml.SequenceNode) else []
            if isinstance(node, yaml.MappingNode):
                children = [item for pair in node.value for item in pair]
            sizes[id(node)] = 1 + sum(size(child) for child in children)
        return sizes[id(node)]

    return size(root) if root is not None else 0


def _parse_date(value: object, zone: ZoneInfo) -> datetime | None:
    parsed = parse_date(value, zone)
    return None if isinstance(parsed, str) else parsed[0]


def _odd_date(value: object, zone: ZoneInfo) -> bool:
    """A year the feeds cannot write, or a time that is local mean time (+03:06:52) in the site's zone."""
    moment = _parse_date(value, zone)
    if moment is None:
        return False
    if not 1000 <= moment.year <= 9998:
        return True
    return _seconds_offset(moment.astimezone(zone))


def _seconds_offset(moment: datetime) -> bool:
    offset = moment.utcoffset()
    return offset is not None and bool(offset.total_seconds() % 60)


def _deepest_nesting(text: str) -> int:
    deepest = 0
    for line in text.split("\n"):
        rest = line.lstrip(" ")
        depth = (len(line) - len(rest)) // 4
        while match := LIST_OR_QUOTE.match(rest):
            depth += 1
            rest = rest[match.end() :].lstrip(" ")
        deepest = max(deepest, depth)
    return deepest


def _forbidden_character_reference(text: str) -> bool:
    """A numeric character reference that an HTML parser turns into a character XML forbids."""
    for match in CHARACTER_REFERENCE.finditer(text):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        # NUL, surrogates and numbers past Unicode become U+FFFD; 0x80-0x9F become Windows-1252 letters.
        if (
            0 < code <= 0x10FFFF
            and not 0xD800 <= code <= 0xDFFF
            and not 0x80 <= code <= 0x9F
            and XML_INVALID.match(chr(code))
        ):
            return True
    return False
