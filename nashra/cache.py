"""A content-addressed cache of rendered Markdown, so rebuilds skip unchanged bodies.

Keys hash the body together with everything that shapes the HTML (library versions and the
markup settings), so a change to any of them simply misses. Entries are plain files written
atomically (a checksum line, then the HTML); concurrent workers may race to write the same
entry, which is harmless, and an entry damaged by hand is rendered again, never published.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

from . import markup
from .model import Body, CacheDamaged, html_checksum

SHARD_WIDTH = 2


def settings_fingerprint() -> str:
    """Everything besides the body that decides the rendered HTML."""
    parts = (
        version("markdown"),
        version("nh3"),
        repr(markup.EXTENSIONS),
        _stable_repr(markup.EXTENSION_CONFIGS),
        repr(sorted(markup.ALLOWED_TAGS)),
        repr(sorted((tag, sorted(attrs)) for tag, attrs in markup.ALLOWED_ATTRIBUTES.items())),
        markup.URL_LINK.pattern,
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _stable_repr(value: object) -> str:
    """repr() without memory addresses: functions by their qualified name, dicts sorted."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_stable_repr(v)}" for k, v in sorted(value.items())) + "}"
    return repr(value)


class CachedRenderer:
    """A markup.Renderer that looks up and stores rendered bodies under `folder`."""

    def __init__(self, folder: Path, fingerprint: str | None = None) -> None:
        self.folder = folder.absolute()  # bodies are read back by path, maybe from another process
        self._salt = (fingerprint or settings_fingerprint()).encode()
        self._renderer = markup.Renderer()
        self.used: list[str] = []

    def key(self, text: str) -> str:
        return hashlib.sha256(self._salt + text.encode("utf-8", "surrogatepass")).hexdigest()

    def render(self, text: str) -> str:
        """Rendered HTML for text, from the cache when present."""
        return self.render_body(text)[0]

    def render_body(self, text: str) -> tuple[str, Body]:
        """Rendered HTML and the Body that stands for it: its cache file, or the text when none could be written."""
        key = self.key(text)
        self.used.append(key)
        path = self._path(key)
        cached = _read_entry(path)
        if cached is not None:
            return cached, Body(path=str(path), checksum=html_checksum(cached))
        html = self._renderer.render(text)
        checksum = html_checksum(html)
        if self._store(path, checksum, html):
            return html, Body(path=str(path), checksum=checksum)
        return html, Body(text=html)

    def _path(self, key: str) -> Path:
        return self.folder / key[:SHARD_WIDTH] / key[SHARD_WIDTH:]

    def _store(self, path: Path, checksum: str, html: str) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(checksum + "\n" + html)
            os.replace(temp, path)
        except OSError:
            return False  # a cache that cannot be written only costs speed (and memory)
        return True


def _read_entry(path: Path) -> str | None:
    """The HTML of a cache entry, or None when it is missing or damaged (its checksum line disagrees)."""
    try:
        with open(path, encoding="utf-8", newline="") as stream:
            checksum, _, html = stream.read().partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return html if html_checksum(html) == checksum else None


def read_body(path: str) -> str:
    """The HTML stored in a cache entry; raises CacheDamaged when it is gone or changed."""
    html = _read_entry(Path(path))
    if html is None:
        raise CacheDamaged(path)
    return html
