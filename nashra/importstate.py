"""What `import` remembers: items seen per feed and HTTP validators (sources.state.json), and what content/ holds."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .convert import url_key
from .fetch import Validators
from .load import discover

STATE_FILE = "sources.state.json"  # beside sources.toml, committed with it: the cache folder may vanish
STATE_VERSION = 1
MAX_SEEN = 5000  # per feed: years of a busy outlet; the oldest are forgotten first
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_KEY_LINE = re.compile(r"^(id|source_url):[ \t]*(.*)$", re.MULTILINE)
_YAML_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class FeedState:
    """One feed's validators, the digest of its last body, and the keys of its items with the day first seen."""

    validators: Validators = field(default_factory=Validators)
    digest: str = ""
    seen: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class ImportState:
    """Every feed's state, by feed address."""

    feeds: MappingProxyType[str, FeedState] = field(default_factory=lambda: MappingProxyType({}))

    def feed(self, address: str) -> FeedState:
        """The state of one feed; empty for a feed never fetched."""
        return self.feeds.get(address, FeedState())

    def seen_anywhere(self) -> frozenset[str]:
        """Keys seen in any feed: a story carried by two outlets' feeds is still one story."""
        return frozenset(key for state in self.feeds.values() for key in state.seen)

    def with_feed(self, address: str, state: FeedState) -> ImportState:
        """A new state with one feed's entry replaced."""
        return ImportState(MappingProxyType({**self.feeds, address: state}))


def remember(state: FeedState, keys: Iterable[str], day: str) -> FeedState:
    """state with keys added (first-seen day kept for old ones), trimmed to MAX_SEEN.

    The keys of this run are kept whatever their age (an item still in the feed must stay known,
    or its deleted draft would return); of the others, the most recently first seen."""
    seen, current = dict(state.seen), set()
    for key in keys:
        seen.setdefault(key, day)
        current.add(key)
    if len(seen) > MAX_SEEN:
        others = sorted(((first, key) for key, first in seen.items() if key not in current), reverse=True)
        kept = {key for _, key in others[: max(0, MAX_SEEN - len(current))]} | current
        seen = {key: first for key, first in seen.items() if key in kept}
    return replace(state, seen=MappingProxyType(seen))


def load_state(path: Path) -> ImportState:
    """The state file, or an empty state when there is none yet.

    :raises ValueError: when the file exists but is not a state file (the message says how to recover).
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ImportState()
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"is not a valid state file ({error}); restore it from git, or delete it") from None
    if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION or not isinstance(raw.get("feeds"), dict):
        raise ValueError(f"is not a version {STATE_VERSION} state file; restore it from git, or delete it")
    feeds = {str(address): _feed_state(value) for address, value in raw["feeds"].items() if isinstance(value, dict)}
    return ImportState(MappingProxyType(feeds))


def _feed_state(raw: dict[str, Any]) -> FeedState:
    """One feed's entry of the state file, tolerant of missing fields."""
    seen = raw.get("seen") if isinstance(raw.get("seen"), dict) else {}
    return FeedState(
        validators=Validators(str(raw.get("etag", "")), str(raw.get("last_modified", ""))),
        digest=str(raw.get("digest", "")),
        seen=MappingProxyType({str(key): str(day) for key, day in seen.items()}),  # type: ignore[union-attr]
    )


def state_text(state: ImportState) -> str:
    """The state as stable JSON: sorted keys, one item per line, so git diffs stay readable."""
    feeds = {
        address: {
            "etag": feed.validators.etag,
            "last_modified": feed.validators.last_modified,
            "digest": feed.digest,
            "seen": dict(sorted(feed.seen.items())),
        }
        for address, feed in sorted(state.feeds.items())
    }
    return json.dumps({"version": STATE_VERSION, "feeds": feeds}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def save_state(path: Path, state: ImportState) -> bool:
    """Write the state when it changed, atomically; True when written."""
    text = state_text(state)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def content_keys(content_dir: Path) -> frozenset[str]:
    """The `id` and normalised `source_url` of every story in content/, read from front matter alone."""
    keys: set[str] = set()
    if not content_dir.is_dir():
        return frozenset()
    for path in discover(content_dir):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # the build reports such a file; it cannot hold a key anyway
        keys.update(_front_matter_keys(text))
    return frozenset(keys)


def _front_matter_keys(text: str) -> Iterable[str]:
    """The id and normalised source_url in a file's front matter, found by their lines alone."""
    if not text.startswith("---"):
        return ()
    fences = _FENCE.finditer(text.replace("\r\n", "\n"))
    if next(fences, None) is None:
        return ()
    end = next(fences, None)
    block = text.replace("\r\n", "\n")[: end.start() if end else 0]
    found = []
    for match in _KEY_LINE.finditer(block):
        try:
            value = yaml.load(match.group(2), Loader=_YAML_LOADER)  # the C safe loader when PyYAML has it
        except yaml.YAMLError:
            continue
        if isinstance(value, str) and value.strip():
            found.append(value.strip() if match.group(1) == "id" else url_key(value))
    return found
