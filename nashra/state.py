"""What one build leaves for the next: the content it read and the outputs it wrote.

The cache folder (`.nashra-cache/` beside output/) holds rendered Markdown bodies by content
hash, shared by every build that uses the folder, and one folder per output folder under
`builds/` with that build's state:

- `sources.pickle`: per content file its size, mtime and digest, and what checking it produced;
- `manifest.json`: per output file the digest of the data it was made from, its size, mtime and
  checksum, plus what the fast path needs to see that nothing changed at all;
- `bodies.txt`: the body entries this state uses, so that pruning keeps what any build needs.

State is data, not truth (see incremental.md): a missing, unreadable or foreign file means a
full build, and a file whose recorded mtime is not safely older than the state itself is
checked by content, since a change within the same clock tick would not move its mtime.
Builds that share a cache folder take turns through a lock file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import CacheDamaged
from .pickling import by_fields

FORMAT = 2
BODIES = "bodies"
PICTURES = "pictures"
BUILDS = "builds"
SOURCES_FILE = "sources.pickle"
MANIFEST_FILE = "manifest.json"
BODY_KEYS_FILE = "bodies.txt"
PICTURE_KEYS_FILE = "pictures.txt"
OUTPUT_FILE = "output.txt"
LOCK_FILE = "lock"

__all__ = ["CacheDamaged"]


@by_fields
@dataclass(frozen=True, slots=True)
class Stamp:
    """What a file looked like: size, modification time and a digest of its bytes."""

    size: int
    mtime_ns: int
    digest: str


@dataclass(frozen=True, slots=True)
class OutputRecord:
    """One output as the build that wrote it left it."""

    template: str
    data: str  # digest of the job's kind and data
    stamp: Stamp


@dataclass(slots=True)
class Manifest:
    """The outputs of the previous build, and what decides whether anything changed since."""

    code: str = ""
    templates: dict[str, str] = field(default_factory=dict)
    inputs: str = ""
    next_due: str = ""
    report: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    saved_ns: int = 0  # the manifest file's own mtime: stamps at or after it are not trusted


def digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def bodies_folder(cache_dir: Path) -> Path:
    return cache_dir / BODIES


def pictures_folder(cache_dir: Path) -> Path:
    return cache_dir / PICTURES


class BuildState:
    """The state folder of one output folder inside a cache folder."""

    def __init__(self, cache_dir: Path, output_dir: Path) -> None:
        self.cache_dir = cache_dir.absolute()
        self.output_dir = output_dir.absolute()
        name = hashlib.blake2b(str(self.output_dir).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
        self.folder = self.cache_dir / BUILDS / name

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cache folder's lock: builds sharing it must not prune under each other."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with open(self.cache_dir / LOCK_FILE, "a+b") as handle:
            try:
                import fcntl
            except ImportError:  # Windows: no advisory locks; concurrent builds are the user's to avoid
                yield
                return
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # ------------------------------------------------------------ sources

    def load_sources(self, salt: str) -> tuple[dict[str, tuple[Stamp, Any]], dict[str, tuple[Stamp, Any]], int]:
        """label -> (stamp, what reading found) for content files and for other files, from the
        previous build with the same salt, and when it was saved."""
        path = self.folder / SOURCES_FILE
        try:
            saved_ns = path.stat().st_mtime_ns
            with open(path, "rb") as stream:
                stored = pickle.load(stream)
        except Exception:  # missing, truncated, from another version: start afresh
            return {}, {}, 0
        if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("salt") != salt:
            return {}, {}, 0
        return stored["sources"], stored["files"], saved_ns

    def save_sources(
        self, salt: str, sources: Mapping[str, tuple[Stamp, Any]], files: Mapping[str, tuple[Stamp, Any]]
    ) -> None:
        stored = {"format": FORMAT, "salt": salt, "sources": dict(sources), "files": dict(files)}
        self._write(SOURCES_FILE, pickle.dumps(stored, pickle.HIGHEST_PROTOCOL))

    # ------------------------------------------------------------ manifest

    def load_manifest(self) -> Manifest | None:
        """The previous build's manifest, or None when there is none to trust."""
        path = self.folder / MANIFEST_FILE
        try:
            saved_ns = path.stat().st_mtime_ns
            raw = json.loads(path.read_bytes())
            if raw.get("format") != FORMAT or raw.get("output") != str(self.output_dir):
                return None
            outputs = {
                name: OutputRecord(template, data, Stamp(size, mtime_ns, digest))
                for name, (template, data, size, mtime_ns, digest) in raw["outputs"].items()
            }
            return Manifest(
                raw["code"], raw["templates"], raw["inputs"], raw["next_due"], raw["report"], outputs, saved_ns
            )
        except Exception:  # missing, damaged, from another version: not to be trusted
            return None

    def save_manifest(self, manifest: Manifest) -> None:
        raw = {
            "format": FORMAT,
            "output": str(self.output_dir),
            "code": manifest.code,
            "templates": manifest.templates,
            "inputs": manifest.inputs,
            "next_due": manifest.next_due,
            "report": manifest.report,
            "outputs": {
                name: [record.template, record.data, record.stamp.size, record.stamp.mtime_ns, record.stamp.digest]
                for name, record in sorted(manifest.outputs.items())
            },
        }
        self._write(MANIFEST_FILE, json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def forget_manifest(self) -> None:
        """Mark output/ as being changed: if the build dies now, the next one starts afresh."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.folder / MANIFEST_FILE)

    # ------------------------------------------------------------ pruning

    def save_body_keys(self, keys: Iterable[str]) -> None:
        self._write(BODY_KEYS_FILE, "\n".join(sorted(set(keys))).encode())
        self._write(OUTPUT_FILE, str(self.output_dir).encode("utf-8", "surrogateescape"))

    def save_picture_keys(self, digests: Iterable[str]) -> None:
        self._write(PICTURE_KEYS_FILE, "\n".join(sorted(set(digests))).encode())

    def prune(self) -> int:
        """Drop the state of output folders that are gone, then body entries and pictures no state uses."""
        builds = self.cache_dir / BUILDS
        keep: set[str] = set()
        pictures: set[str] = set()
        for folder in sorted(builds.iterdir()) if builds.is_dir() else ():
            try:
                output = Path((folder / OUTPUT_FILE).read_bytes().decode("utf-8", "surrogateescape"))
                keys = (folder / BODY_KEYS_FILE).read_text(encoding="ascii").split()
                digests = _read_keys(folder / PICTURE_KEYS_FILE)
            except (OSError, UnicodeDecodeError):
                keys, digests, output = [], [], Path()
            if folder != self.folder and not output.is_dir():
                _remove_tree(folder)
                continue
            keep.update(key[2:] for key in keys)
            pictures.update(digests)
        removed = _prune_bodies(bodies_folder(self.cache_dir), keep)
        return removed + _prune_pictures(pictures_folder(self.cache_dir), pictures)

    def _write(self, name: str, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.folder / name, data)


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old bytes or the new ones, never half."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _prune_bodies(folder: Path, keep: set[str]) -> int:
    # An entry and its warnings go together: `<key>` and `<key>.warnings`.
    return _prune_shards(folder, lambda name: name.partition(".")[0] in keep)


def _read_keys(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="ascii").split()
    except FileNotFoundError:
        return []


def _prune_pictures(folder: Path, keep: set[str]) -> int:
    """Each file's name starts with its picture's digest; a hidden one is still being written."""
    return _prune_shards(folder, lambda name: name[:32] in keep or name.startswith("."))


def _prune_shards(folder: Path, kept: Callable[[str], bool]) -> int:
    """Remove the files of a sharded store (`folder/xx/name`) whose name is not kept; return how many."""
    removed = 0
    if not folder.is_dir():
        return 0
    for shard in os.scandir(folder):
        if not shard.is_dir():
            continue
        for entry in os.scandir(shard.path):
            if not kept(entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
