"""A content-addressed cache of rendered Markdown, so rebuilds skip unchanged bodies.

Keys hash the body together with everything that shapes the HTML (library versions, the markup
settings and the body limits), so a change to any of them simply misses. An entry is the HTML in
a plain file, with its warnings beside it in `<entry>.warnings` when it has any, so a build that
reuses a body reports the same warnings as the build that rendered it. Files are written
atomically, warnings first; concurrent workers may race to write the same entry, which is harmless.
A body that breaks a limit is never stored, so its errors are found again on every build.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from . import limits, markup

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
        return self.render_stored(text)[0].html

    def render_stored(self, text: str) -> tuple[markup.Rendered, Path | None]:
        """The rendered body and the cache file that holds its HTML (None when not stored).

        A body with errors is never stored, so its errors are found again on every build.
        """
        key = self.key(text)
        self.used.append(key)
        path = self._path(key)
        try:
            html = path.read_text(encoding="utf-8")
            return markup.Rendered(html, (), _read_warnings(path)), path
        except (FileNotFoundError, UnicodeDecodeError):
            pass
        rendered = self._renderer.convert(text)
        if rendered.errors:
            return rendered, None
        return rendered, (path if self._store(path, rendered) else None)

    def _path(self, key: str) -> Path:
        return self.folder / key[:SHARD_WIDTH] / key[SHARD_WIDTH:]

    def _store(self, path: Path, rendered: markup.Rendered) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if rendered.warnings:
                lines = "".join(f"{note.line}\t{note.message}\n" for note in rendered.warnings)
                _write(path.with_name(path.name + WARNINGS), lines)
            _write(path, rendered.html)
        except OSError:
            return False  # a cache that cannot be written only costs speed (and memory)
        return True


def _write(path: Path, text: str) -> None:
    """Write text to path atomically: readers see the old file or the whole new one."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temp, path)


def _read_warnings(path: Path) -> tuple[limits.Note, ...]:
    """The warnings stored beside an entry; an entry without that file had none."""
    try:
        text = path.with_name(path.name + WARNINGS).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return ()
    notes = (line.split("\t", 1) for line in text.splitlines())
    return tuple(limits.Note(int(number), message) for number, message in notes)


def prune(folder: Path, used: Iterable[str]) -> int:
    """Remove entries no body used in this build; return how many files were removed."""
    keep = {key[SHARD_WIDTH:] for key in used}
    removed = 0
    if not folder.is_dir():
        return 0
    for shard in os.scandir(folder):
        if not shard.is_dir():
            continue
        for entry in os.scandir(shard.path):
            if entry.name.partition(".")[0] not in keep:  # an entry and its warnings go together
                os.unlink(entry.path)
                removed += 1
    return removed
