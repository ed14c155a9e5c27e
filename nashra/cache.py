"""A content-addressed cache of rendered Markdown, so rebuilds skip unchanged bodies.

Keys hash the body together with everything that shapes the HTML (library versions, the markup
settings and the body limits), so a change to any of them simply misses. An entry is a plain file
(a checksum line, then the HTML), with its warnings beside it in `<entry>.warnings` when it has
any, so a build that reuses a body reports the same warnings as the build that rendered it.
Files are written atomically, warnings first; concurrent workers may race to write the same
entry, which is harmless, and an entry damaged by hand is rendered again, never published. A body
that breaks a limit is never stored, so its errors are found again on every build.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

from . import limits, markup
from .model import Body, CacheDamaged, html_checksum

SHARD_WIDTH = 2
WARNINGS = ".warnings"  # suffix of the file beside an entry that holds its warnings


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
        markup.LTR_RUN.pattern,
        markup.RAW_TAG_WITH_ATTRIBUTES,
        limits.settings(),
        WARNINGS,  # entries keep their warnings beside them since this suffix exists
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
        return self.render_body(text)[0].html

    def render_body(self, text: str) -> tuple[markup.Rendered, Body | None]:
        """The rendered body and the Body that stands for it: its cache file, or its text when none
        could be written; None when the body breaks a limit (such a body is never stored)."""
        key = self.key(text)
        self.used.append(key)
        path = self._path(key)
        cached = _read_entry(path)
        if cached is not None:
            return markup.Rendered(cached, (), _read_warnings(path)), Body(
                path=str(path), checksum=html_checksum(cached)
            )
        rendered = self._renderer.convert(text)
        if rendered.errors:
            return rendered, None
        checksum = html_checksum(rendered.html)
        if self._store(path, checksum, rendered):
            return rendered, Body(path=str(path), checksum=checksum)
        return rendered, Body(text=rendered.html)

    def _path(self, key: str) -> Path:
        return self.folder / key[:SHARD_WIDTH] / key[SHARD_WIDTH:]

    def _store(self, path: Path, checksum: str, rendered: markup.Rendered) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if rendered.warnings:
                lines = "".join(f"{note.line}\t{note.message}\n" for note in rendered.warnings)
                _write(path.with_name(path.name + WARNINGS), lines)
            _write(path, checksum + "\n" + rendered.html)
        except OSError:
            return False  # a cache that cannot be written only costs speed (and memory)
        return True


def _write(path: Path, text: str) -> None:
    """Write text to path atomically: readers see the old file or the whole new one."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)
    os.replace(temp, path)


def _read_entry(path: Path) -> str | None:
    """The HTML of a cache entry, or None when it is missing or damaged (its checksum line disagrees)."""
    try:
        with open(path, encoding="utf-8", newline="") as stream:
            checksum, _, html = stream.read().partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return html if html_checksum(html) == checksum else None


def _read_warnings(path: Path) -> tuple[limits.Note, ...]:
    """The warnings stored beside an entry; an entry without that file had none."""
    try:
        text = path.with_name(path.name + WARNINGS).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return ()
    notes = (line.split("\t", 1) for line in text.splitlines())
    return tuple(limits.Note(int(number), message) for number, message in notes)


def read_body(path: str) -> str:
    """The HTML stored in a cache entry; raises CacheDamaged when it is gone or changed."""
    html = _read_entry(Path(path))
    if html is None:
        raise CacheDamaged(path)
    return html
