"""sources.toml -> the outlets `build.py import` reads, with every problem reported at once."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .config import SOURCES_FILE, file_label, key_lines, toml_problem
from .errors import BuildError, Problem
from .model import OutletFeed
from .text import XML_INVALID, clip, fold_key, is_known_language, shown
from .urls import link_problem, to_ascii

__all__ = ["SOURCES_FILE"]  # named here by the import command; defined in config, which finds the file
DEFAULT_MAX_ITEMS = 50
MAX_ITEMS_LIMIT = 1000  # a feed longer than this is an archive, not news
_SOURCE_HEADER = re.compile(r"\s*\[\[\s*source\s*\]\]")


@dataclass(frozen=True, slots=True)
class Source:
    """One outlet: its name (shown as `source`), its feed and how its items become stories."""

    name: str
    feed: str
    tags: tuple[str, ...] = ()
    lang: str = ""
    max_items: int = DEFAULT_MAX_ITEMS
    full_text: bool = False
    draft: bool = True
    line: int | None = None  # the `[[source]]` line, for messages


_SPEC: dict[str, tuple[type, bool]] = {
    "name": (str, True),
    "feed": (str, True),
    "tags": (list, False),
    "lang": (str, False),
    "max_items": (int, False),
    "full_text": (bool, False),
    "draft": (bool, False),
}
_KIND_NAMES = {str: "a string", int: "a whole number", bool: "true or false", list: "a list of strings"}


def load_sources(path: Path) -> tuple[Source, ...]:
    """Read sources.toml; raise BuildError listing every problem."""
    label = file_label(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        raw = tomllib.loads(text)
    except FileNotFoundError as error:
        message = "not found; create it (see README, 'Importing from outlets' feeds') or pass --sources FILE"
        raise BuildError([Problem(label, None, message)]) from error
    except UnicodeDecodeError as error:
        raise BuildError([Problem(label, None, "is not UTF-8 text; save it as UTF-8")]) from error
    except tomllib.TOMLDecodeError as error:
        raise BuildError([toml_problem(label, error)]) from error
    return parse_sources(raw, label, text)


def parse_sources(raw: dict[str, object], label: str, text: str = "") -> tuple[Source, ...]:
    """Validate a decoded sources.toml; `text` gives the lines that messages point at."""
    problems: list[Problem] = []
    for key in sorted(set(raw) - {"source"}):
        problems.append(Problem(label, key_lines(text).get(key), f"{clip(key)}: unknown key; write [[source]] tables"))
    tables = raw.get("source", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        problems.append(Problem(label, key_lines(text).get("source"), "source: must be [[source]] tables"))
        tables = []
    if not tables and not problems:
        problems.append(Problem(label, None, 'no sources: add a [[source]] table with name = "..." and feed = "..."'))
    blocks = _table_lines(text, len(tables))
    sources: list[Source] = []
    names: dict[str, tuple[str, int | None]] = {}  # outlet key (folded name) -> the name and its line
    feeds: dict[str, int | None] = {}
    for table, (header, lines) in zip(tables, blocks, strict=True):

        def bad(key: str, message: str, header: int | None = header, lines: dict[str, int] = lines) -> None:
            problems.append(Problem(label, lines.get(key, header), f"{key}: {message}"))

        source = _source(table, header, bad)
        if source is None:
            continue
        key = fold_key(source.name)
        if key in names:
            other, line = names[key]
            if other == source.name:
                bad("name", f"{shown(source.name)} is also the name of the source at line {line}")
            else:
                spelling = f"{shown(source.name)} is the outlet of the source at line {line}, spelt {shown(other)}"
                advice = "(case, hamza and tashkeel do not count); the feeds could not tell which feed to credit"
                bad("name", f"{spelling} {advice}: name the two apart")
            continue
        if source.feed in feeds:
            bad("feed", f"is also the feed of the source at line {feeds[source.feed]}")
            continue
        names[key] = (source.name, header)
        feeds[source.feed] = header
        sources.append(source)
    if problems:
        raise BuildError(problems)
    return tuple(sources)


def outlet_feeds(sources: tuple[Source, ...]) -> MappingProxyType[str, OutletFeed]:
    """Outlet key -> its feed, for the build: stories name an outlet by any spelling that folds to its `name`."""
    return MappingProxyType(
        {fold_key(source.name): OutletFeed(source.name, to_ascii(source.feed)) for source in sources}
    )


def _source(table: dict[str, object], header: int | None, bad: Callable[[str, str], None]) -> Source | None:
    """One [[source]] table as a Source, or None after reporting what is wrong with it."""
    count = 0

    def fail(key: str, message: str) -> None:
        nonlocal count
        count += 1
        bad(key, message)

    known = set(_SPEC)
    for key in sorted(set(table) - known):
        hint = difflib.get_close_matches(key, sorted(known), n=1)
        suggestion = f"did you mean '{hint[0]}'?" if hint else f"known keys: {', '.join(_SPEC)}"
        fail(clip(key), f"unknown key; {suggestion}")
    values: dict[str, object] = {}
    for key, (kind, required) in _SPEC.items():
        if key not in table:
            if required:
                fail(key, f"is required in every [[source]]; add `{key} = ...`")
            continue
        value = table[key]
        if not _is_kind(value, kind):
            fail(key, f"must be {_KIND_NAMES[kind]}, got {type(value).__name__} {shown(value)}")
            continue
        values[key] = value
    name = " ".join(str(values.get("name", "")).split())
    if "name" in values and not name:
        fail("name", "must not be empty")
    if any(XML_INVALID.search(str(value)) for value in (name, *values.get("tags", ()))):  # type: ignore[misc]
        fail("name", "contains a control character that XML forbids; remove it")
    feed = str(values.get("feed", "")).strip()
    problem = link_problem(feed) if "feed" in values else None
    if problem:
        fail("feed", problem)
    tags = tuple(" ".join(tag.split()) for tag in values.get("tags", ()))  # type: ignore[attr-defined]
    if any(not tag for tag in tags):
        fail("tags", "must not contain empty tags")
    lang = str(values.get("lang", ""))
    if lang and not is_known_language(lang):
        fail("lang", f"unknown language tag {shown(lang)}; use a BCP 47 tag such as 'ar' or 'en'")
    max_items = values.get("max_items", DEFAULT_MAX_ITEMS)
    if not 1 <= max_items <= MAX_ITEMS_LIMIT:  # type: ignore[operator]
        fail("max_items", f"must be between 1 and {MAX_ITEMS_LIMIT}, got {max_items}")
    if count:
        return None
    return Source(
        name=name,
        feed=feed,
        tags=tuple(dict.fromkeys(tags)),
        lang=lang,
        max_items=int(max_items),  # type: ignore[call-overload]
        full_text=bool(values.get("full_text", False)),
        draft=bool(values.get("draft", True)),
        line=header,
    )


def _is_kind(value: object, kind: type) -> bool:
    """True when a TOML value has the kind the key needs (a bool is no number; lists hold strings)."""
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is list:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    return isinstance(value, kind)


def _table_lines(text: str, count: int) -> list[tuple[int | None, dict[str, int]]]:
    """For each [[source]] table: its header line and the line of each of its keys.

    tomllib keeps no positions, and the shared key finder sees only the first table of an array;
    so each table's slice of the text is read on its own. Inline forms (`source = [{...}]`) get no lines.
    """
    lines = text.split("\n")
    headers = [number for number, line in enumerate(lines) if _SOURCE_HEADER.match(line)]
    if len(headers) != count:
        return [(None, {})] * count
    found = []
    for index, start in enumerate(headers):
        end = headers[index + 1] if index + 1 < len(headers) else len(lines)
        keys = key_lines("\n".join(lines[start:end]))
        found.append((start + 1, {key.removeprefix("source."): start + at for key, at in keys.items()}))
    return found
