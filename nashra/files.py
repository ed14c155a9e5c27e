"""Files beside the stories and in static/: read once per change, published at stable addresses.

Every file under content/ that is not Markdown is published: a file in a story bundle (a folder
with an `index.md`) next to that story's page, `articles/SLUG/photo.jpg`; any other at its own
path, `content/2025/06/chart.png` at `2025/06/chart.png`. Files of `static/` are published at
the root of the site. A picture is checked and resized once per content (`pictures.process`), and
what that found is kept between builds with the file's stamp, like a content file's checked
front matter, so an unchanged file is not even opened again.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import pictures
from .config import SiteConfig
from .links import srcset
from .load import Found
from .model import Image
from .pickling import by_fields
from .pictures import Picture
from .state import Stamp, digest_bytes
from .urls import absolute, href

PARALLEL_PICTURES = 4  # fewer pictures to process than this are done in this process
MEDIA_TYPES = {
    ".pdf": "application/pdf", ".mp3": "audio/mpeg", ".mp4": "video/mp4", ".ogg": "audio/ogg",
    ".txt": "text/plain", ".csv": "text/csv", ".json": "application/json",
}  # fmt: skip


@by_fields
@dataclass(frozen=True, slots=True)
class FileInfo:
    """What reading one file found: its picture (when it is one) or what is wrong with it."""

    picture: Picture | None = None
    problem: str = ""


# label -> (how the file looked, what reading it found): what one build hands the next.
Files = dict[str, tuple[Stamp, FileInfo]]


@dataclass(frozen=True, slots=True)
class Attached:
    """A file found under content/ or static/ and what reading it found."""

    label: str
    source: Path
    stamp: Stamp
    info: FileInfo
    static: bool = False

    @property
    def relative(self) -> str:
        """The path below its folder: `content/2025/06/a.png` -> `2025/06/a.png`."""
        return self.label.partition("/")[2]


@dataclass(frozen=True, slots=True)
class Published:
    """A file the site publishes as it is: where it comes from, where it goes, what it is."""

    label: str  # content/… or static/…, for messages
    path: str  # in output/
    source: Path  # on disk
    stamp: Stamp
    picture: Picture | None

    def variant_path(self, variant: pictures.Variant) -> str:
        """Where a resized variant is published: beside the original, `photo-480w.webp`."""
        folder, name = posixpath.split(self.path)
        stem = posixpath.splitext(name)[0] or name
        return posixpath.join(folder, stem + variant.suffix)


def read_files(
    found: Sequence[Found],
    store: Path,
    previous: Files | None = None,
    trusted_before_ns: int = 0,
    workers: int | None = None,
) -> Files:
    """Every file checked: taken from `previous` when its stamp vouches for it, else read (pictures processed)."""
    previous = previous or {}
    files: Files = {}
    tasks: list[tuple[Path, str, os.stat_result]] = []
    for path, label, stat in found:
        known = previous.get(label)
        if (
            known
            and (known[0].size, known[0].mtime_ns) == (stat.st_size, stat.st_mtime_ns)
            and stat.st_mtime_ns < trusted_before_ns
        ):
            files[label] = known
        else:
            tasks.append((path, label, stat))
    for (_, label, stat), (digest, info) in zip(tasks, _read_all(tasks, store, previous, workers), strict=True):
        files[label] = (Stamp(stat.st_size, stat.st_mtime_ns, digest), info)
    return files


def _read_all(
    tasks: list[tuple[Path, str, os.stat_result]], store: Path, previous: Files, workers: int | None
) -> Iterator[tuple[str, FileInfo]]:
    jobs = [(path, label, previous[label][0].digest if label in previous else "") for path, label, _ in tasks]
    known = {label: previous[label][1] for _, label, _ in tasks if label in previous}
    heavy = sum(pictures.is_picture(label) for _, label, _ in tasks)
    workers = workers or os.cpu_count() or 1
    if heavy < PARALLEL_PICTURES or workers < 2:
        for job in jobs:
            yield read_file(*job, store, known.get(job[1]))
        return
    from .collect import _worker_context  # the same choice of start method as reading content

    with ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context()) as pool:
        paths, labels, digests = zip(*jobs, strict=True)
        infos = [known.get(label) for label in labels]
        yield from pool.map(read_file, paths, labels, digests, [store] * len(jobs), infos)


def read_file(path: Path, label: str, known_digest: str, store: Path, known: FileInfo | None) -> tuple[str, FileInfo]:
    """The digest of one file and what it is; a picture is processed unless its bytes are the known ones."""
    try:
        data = path.read_bytes()
    except OSError as error:  # gone since the scan (an editor's temporary file), or not readable
        return "", FileInfo(problem=f"could not be read: {error.strerror or error}")
    digest = digest_bytes(data)
    if digest == known_digest and known is not None and not known.problem:
        return digest, known
    if not pictures.is_picture(label):
        return digest, FileInfo()
    processed = pictures.process(data, store)
    if isinstance(processed, str):
        return digest, FileInfo(problem=processed)
    return digest, FileInfo(picture=processed)


# ---------------------------------------------------------------- pages' view of a file


def image_of(config: SiteConfig, published: Published) -> Image:
    """How pages and feeds show a published file as a picture: size, variants, the JPEG to share."""
    picture = published.picture
    if picture is None or not picture.variants:
        media_type = picture.media_type if picture else _media_type(published.path)
        if media_type == pictures.SVG_MEDIA_TYPE:  # link previews and feed readers do not show SVG: share nothing
            return Image(url=href(config, published.path))
        return Image(
            url=href(config, published.path),
            width=picture.width if picture else 0,
            height=picture.height if picture else 0,
            share=absolute(config, published.path),
            share_type=media_type,
            share_length=published.stamp.size,
            share_width=picture.width if picture else 0,
            share_height=picture.height if picture else 0,
        )
    widest = picture.variants[-1]
    candidates = [(href(config, published.variant_path(variant)), variant.width) for variant in picture.variants]
    share = picture.share or widest
    return Image(
        url=href(config, published.variant_path(widest)),
        srcset=srcset(candidates),
        width=widest.width,
        height=widest.height,
        share=absolute(config, published.variant_path(share)),
        share_type=share.media_type,
        share_length=share.length,
        share_width=share.width,
        share_height=share.height,
    )


def _media_type(path: str) -> str:
    suffix = posixpath.splitext(path)[1].lower()
    return MEDIA_TYPES.get(suffix, "application/octet-stream")
