"""Where each file is published, and what each reference in a story becomes, once the whole site is known.

Slugs are assigned site-wide, so a story bundle's files, and links to other stories, can only be
placed here, after every content file was read. A typo must not ship a broken picture or a dead
link: a reference to a picture or a Markdown file that does not exist is an error at its line.
"""

from __future__ import annotations

import html
import posixpath
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from .config import SiteConfig
from .errors import Problem
from .files import Attached, Published, image_of
from .links import Ref
from .model import Image, Link
from .pictures import is_picture
from .text import shown
from .urls import article_path, href

BUNDLE_INDEX = "index.md"


def bundle_folders(markdown: Iterable[str]) -> dict[str, str]:
    """Folder (relative to content/) -> the relative path of its `index.md`, for every story bundle."""
    folders = {}
    for path in markdown:
        folder, name = posixpath.split(path)
        if name == BUNDLE_INDEX and folder:
            folders[folder] = path
    return folders


def bundle_of(path: str, bundles: Mapping[str, str]) -> str | None:
    """The folder of the nearest bundle holding a file, or None."""
    folder = posixpath.dirname(path)
    while folder:
        if folder in bundles:
            return folder
        folder = posixpath.dirname(folder)
    return None


@dataclass(frozen=True, slots=True)
class Placed:
    """Every file of the site with its public path; files of unpublished bundles are withheld."""

    content: dict[str, Published]  # path relative to content/ -> where it is published
    static: dict[str, Published]  # path relative to static/
    withheld: dict[str, str]  # path relative to content/ -> the label of the unpublished story it belongs to


def place_files(
    files: Iterable[Attached], bundles: Mapping[str, str], slugs: Mapping[str, str], published: set[str], prefix: str
) -> Placed:
    """Public paths: bundle files under their story's page, others at their own path.

    `slugs` maps a story's path relative to content/ to its slug, `published` holds the paths of
    the stories this build publishes, and `prefix` is the content folder's name in labels.
    """
    content: dict[str, Published] = {}
    static: dict[str, Published] = {}
    withheld: dict[str, str] = {}
    for item in files:
        relative = item.relative
        if item.static:
            static[relative] = Published(item.label, relative, item.source, item.stamp, item.info.picture)
            continue
        folder = bundle_of(relative, bundles)
        if folder is None:
            content[relative] = Published(item.label, relative, item.source, item.stamp, item.info.picture)
            continue
        story = bundles[folder]
        if story not in published or story not in slugs:
            withheld[relative] = f"{prefix}/{story}"
            continue
        path = article_path(slugs[story]) + posixpath.relpath(relative, folder)
        content[relative] = Published(item.label, path, item.source, item.stamp, item.info.picture)
    return Placed(content, static, withheld)


class Resolver:
    """Turns the references of one site's stories into links, pictures and problems."""

    def __init__(
        self,
        config: SiteConfig,
        placed: Placed,
        stories: Mapping[str, str],
        published: set[str],
        markdown: set[str],
        prefix: str,
    ) -> None:
        self.config = config
        self.placed = placed
        self.stories = stories  # path relative to content/ -> slug
        self.published = published
        self.markdown = markdown  # every Markdown file, also those with errors
        self.prefix = prefix
        self.static_name = config.static_dir.name if config.static_dir else "static"
        self._images: dict[str, Image] = {}
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def links(self, label: str, refs: Iterable[Ref]) -> tuple[Link, ...]:
        """The links of one story's body; problems are collected in `errors` and `warnings`."""
        found = []
        for ref in refs:
            link = self._link(label, ref, "", html.unescape(ref.written))  # as written: `&`, not `&amp;`
            if link is not None:
                found.append(link)
        return tuple(found)

    def image(self, label: str, ref: Ref) -> Image | None:
        """The lead picture named by a story's `image`; None (with an error) when there is none."""
        link = self._link(label, ref, "image: ", ref.written)
        if link is not None and link.image is None:
            self.errors.append(Problem(label, ref.line, f"image: {shown(ref.written)} is not a picture"))
        return link.image if link else None

    def _link(self, label: str, ref: Ref, key: str, text: str) -> Link | None:
        """The link a reference becomes, or None; `text` is the reference as messages show it."""
        if ref.root:
            return self._static(label, ref, key, text)
        if ref.outside:
            if ref.picture or _named_file(ref.path):
                self.errors.append(Problem(label, ref.line, f"{key}{shown(text)} points outside the "
                                           "content folder; keep the file beside the story"))  # fmt: skip
            return None
        rest = html.escape(ref.rest)
        if ref.path in self.stories:
            if ref.picture:
                self.errors.append(Problem(label, ref.line, f"{key}{shown(text)} is a story, not a picture"))
                return None
            slug = self.stories[ref.path]
            if ref.path not in self.published:
                message = f"{key}{shown(text)} is a story this build does not publish (a draft, or scheduled)"
                self.warnings.append(Problem(label, ref.line, message + "; the link works once it is"))
            return Link(ref.written, href(self.config, article_path(slug)) + rest)
        if ref.path in self.markdown:
            return None  # a story with errors of its own, reported with them
        published = self.placed.content.get(ref.path)
        if published is not None:
            return self._file_link(ref, published, rest)
        if ref.path in self.placed.withheld:
            owner = self.placed.withheld[ref.path]
            self.errors.append(Problem(label, ref.line, f"{key}{shown(text)} belongs to {owner}, a story "
                                       "this build does not publish; move the file beside this story"))  # fmt: skip
            return None
        if ref.picture or _named_file(ref.path):
            self.errors.append(Problem(label, ref.line, self._missing(key, ref, text)))
        return None

    def _static(self, label: str, ref: Ref, key: str, text: str) -> Link | None:
        path = ref.path
        base = unicodedata.normalize("NFC", unquote(self.config.base_path)).strip("/")  # like ref.path
        if path not in self.placed.static and base and path.startswith(base + "/"):
            path = path[len(base) + 1 :]  # written with the site's sub-path already
        published = self.placed.static.get(path)
        if published is not None:
            return self._file_link(ref, published, html.escape(ref.rest))
        if ref.picture or _named_file(path):
            self.errors.append(Problem(label, ref.line, f"{key}{shown(text)} names no file in "
                                       f"{self.static_name}/ ({self.static_name}/{path}); a path that starts "
                                       f"with / is looked up in {self.static_name}/"))  # fmt: skip
        return None

    def _file_link(self, ref: Ref, published: Published, rest: str) -> Link:
        image = None
        if ref.picture and published.picture is not None:
            image = self._images.get(published.path)
            if image is None:
                image = self._images[published.path] = image_of(self.config, published)
        return Link(ref.written, href(self.config, published.path) + rest, image)

    def _missing(self, key: str, ref: Ref, text: str) -> str:
        wanted = ref.path.casefold()
        near = [
            path for path in (*self.placed.content, *self.markdown) if path.casefold() == wanted and path != ref.path
        ]
        hint = f"; did you mean {near[0]!r}? (names are case-sensitive)" if near else ""
        return (
            f"{key}{shown(text)} names no file: {self.prefix}/{ref.path} does not exist "
            f"(a relative path is read from the story's own folder){hint}"
        )


def _named_file(path: str) -> bool:
    """References that must name a file: pictures and Markdown stories."""
    return is_picture(path) or path.lower().endswith(".md")
