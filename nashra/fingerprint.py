"""Stable digests of the data an output is made from, for incremental builds.

An output's key is a digest of everything its bytes depend on: nashra's own code and the
libraries that shape the HTML, the layout templates it uses, and the very context (or feed
spec) it is rendered from. The digest walks that data structurally (dataclasses by field,
mappings by sorted key), never through `repr` of arbitrary objects, so it is the same in every
process and under every PYTHONHASHSEED. Anything it cannot describe is an error, not a guess:
a new kind of value in a context must be taught here before it can be part of a key.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import sys
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Any

from jinja2 import Environment, meta

from .model import Body

DIGEST_SIZE = 16
# Libraries whose version can change the bytes nashra writes.
LIBRARIES = (
    "markdown",
    "nh3",
    "jinja2",
    "markupsafe",
    "feedgen",
    "lxml",
    "babel",
    "python-slugify",
    "hijridate",
    "pillow",
)
PACKAGE = Path(__file__).resolve().parent


def new_hash() -> Any:
    return hashlib.blake2b(digest_size=DIGEST_SIZE)


class Fingerprinter:
    """Digests values; long-lived records (stories, tags, settings) are digested once per build.

    The memo keys on object identity and keeps the object alive, so an id is never reused while
    its digest is remembered.
    """

    MEMO_TYPES: tuple[type, ...] = ()

    def __init__(self, memo_types: Iterable[type] = ()) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}
        self._memo_types = frozenset(memo_types)

    def digest(self, value: object) -> str:
        """Hex digest of a value built from str, numbers, dates, paths, tuples, mappings and dataclasses."""
        return self._digest_bytes(value).hex()

    def _digest_bytes(self, value: object) -> bytes:
        hasher = new_hash()
        self._feed(hasher, value)
        return hasher.digest()

    def _feed(self, hasher: Any, value: object) -> None:
        update = hasher.update
        kind = type(value)
        if kind in self._memo_types:
            remembered = self._memo.get(id(value))
            if remembered is None:
                remembered = self._memo[id(value)] = (value, self._record_digest(value))
            update(b"r" + remembered[1])
        elif kind is str:
            data = value.encode("utf-8", "surrogatepass")  # type: ignore[attr-defined]
            update(b"s%d:" % len(data))
            update(data)
        elif kind in _RECORD_FIELDS or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
            update(b"r" + self._record_digest(value))
        elif kind is tuple or kind is list:
            update(b"(%d:" % len(value))  # type: ignore[arg-type]
            for item in value:  # type: ignore[attr-defined]
                self._feed(hasher, item)
            update(b")")
        elif value is None or kind is bool or kind is int or kind is float:
            update(b"v" + repr(value).encode() + b";")
        elif isinstance(value, str):  # Markup and other str subclasses
            self._feed(hasher, str(value))
        elif isinstance(value, dict | MappingProxyType):
            update(b"{%d:" % len(value))
            for key in _sorted_keys(value):
                self._feed(hasher, key)
                self._feed(hasher, value[key])
            update(b"}")
        elif isinstance(value, datetime | date | time):
            update(b"t" + value.isoformat().encode() + b"|" + _zone_name(getattr(value, "tzinfo", None)) + b";")
        elif isinstance(value, tzinfo):
            update(b"z" + _zone_name(value) + b";")
        elif isinstance(value, timedelta):
            update(b"d" + repr(value.total_seconds()).encode() + b";")
        elif isinstance(value, PurePath):
            update(b"p" + value.as_posix().encode("utf-8", "surrogateescape") + b";")
        elif isinstance(value, bytes):
            update(b"b%d:" % len(value))
            update(value)
        elif isinstance(value, frozenset | set):
            self._feed(hasher, sorted(value, key=_sort_key))
        else:
            raise TypeError(f"cannot fingerprint a {kind.__qualname__}; teach nashra.fingerprint about it")

    def _record_digest(self, value: object) -> bytes:
        hasher = new_hash()
        kind = type(value)
        if kind is Body:  # its HTML by checksum, never by where the cache keeps it; and what resolving it added
            hasher.update(b"body:" + value.fingerprint().encode())  # type: ignore[attr-defined]
            self._feed(hasher, (value.words, value.links))  # type: ignore[attr-defined]
            return hasher.digest()
        names = _RECORD_FIELDS.get(kind)
        if names is None:
            names = _RECORD_FIELDS[kind] = tuple(field.name for field in dataclasses.fields(value))  # type: ignore[arg-type]
        hasher.update(kind.__qualname__.encode() + b"<")
        for name in names:
            hasher.update(name.encode() + b"=")
            self._feed(hasher, getattr(value, name))
        return hasher.digest()


# Field names per dataclass type, looked up once: dataclasses.fields() is slow in a hot loop.
_RECORD_FIELDS: dict[type, tuple[str, ...]] = {}


def _sorted_keys(mapping: Any) -> list[Any]:
    try:
        return sorted(mapping)
    except TypeError:  # keys of mixed types
        return sorted(mapping, key=_sort_key)


def _sort_key(value: object) -> tuple[str, str]:
    return (type(value).__qualname__, str(value))


def _zone_name(zone: tzinfo | None) -> bytes:
    if zone is None:
        return b"naive"
    key = getattr(zone, "key", None)  # ZoneInfo
    return (key or repr(zone)).encode()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """nashra's own source and the versions of the libraries that shape its output."""
    hasher = new_hash()
    hasher.update(f"python {sys.version_info.major}.{sys.version_info.minor}".encode())
    for name in LIBRARIES:
        try:
            hasher.update(f"{name} {version(name)};".encode())
        except PackageNotFoundError:
            hasher.update(f"{name} -;".encode())
    for path in sorted(PACKAGE.glob("*.py")):
        hasher.update(path.name.encode() + b"\0")
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def template_fingerprints(env: Environment, names: Iterable[str]) -> dict[str, str]:
    """name -> digest of the template's source and of every template it extends, includes or imports.

    A template that names another one only at run time (a variable in `include`) cannot be
    followed, so its digest covers every file in the layouts folder: correct, if less precise.
    """
    loader = env.loader
    assert loader is not None

    # Each layout is read and parsed once per call, though many page types include it.
    @functools.cache
    def source(name: str) -> str:
        return loader.get_source(env, name)[0]

    @functools.cache
    def referenced_by(name: str) -> tuple[str | None, ...]:
        return tuple(meta.find_referenced_templates(env.parse(source(name))))

    def closure(name: str) -> set[str] | None:
        seen: set[str] = set()
        pending = [name]
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            for referenced in referenced_by(current):
                if referenced is None:
                    return None
                pending.append(referenced)
        return seen

    result = {}
    for name in names:
        members = closure(name)
        if members is None:
            members = set(env.list_templates())
        hasher = new_hash()
        for member in sorted(members):
            hasher.update(member.encode() + b"\0")
            hasher.update(source(member).encode("utf-8", "surrogatepass") + b"\0")
        result[name] = hasher.hexdigest()
    return result
