"""References in stories to files of the site: found when a body is rendered, resolved once the site is known.

A story names another story's Markdown file (`[…](other.md#part)`) or a file beside it
(`![…](chart.png)`, `image: photo.jpg`) by a path relative to its own folder, as it would on
GitHub; a site-root path (`/images/logo.png`) names a file of `static/`. Rendering a body is
cached per file, so it only records such references (`Ref`); `collect` resolves them against
the whole site (slugs are only known then) into `Link`s, and pages and feeds apply those to the
cached HTML with `finish_html`, adding each local picture's size and resized variants.
"""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .model import Link
from .pickling import by_fields

# A src or href attribute as nh3 writes it: double-quoted, `"` inside escaped.
URL_ATTRIBUTE = re.compile(r' (src|href)="([^"]*)"')
IMG = re.compile(r"<img((?: [^\s=>]+(?:=\"[^\"]*\")?)*) ?/?>")
ATTRIBUTE = re.compile(r' ([^\s=>]+)(?:="([^"]*)")?')
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"})
# How wide a picture in a story's text is shown: the text column, or the whole screen on phones.
BODY_SIZES = "(min-width: 46rem) 44rem, 100vw"


@by_fields
@dataclass(frozen=True, slots=True)
class Ref:
    """A reference in a story to what may be a file of the site.

    `path` is NFC and relative to content/ (or, for a site-root reference, to static/), with
    `..` resolved; `rest` is the query and fragment as written.
    """

    written: str  # the attribute value as the HTML has it (escaped), or the front-matter value
    path: str
    rest: str
    line: int
    root: bool = False  # "/images/x.png": a file of static/
    outside: bool = False  # climbs out of content/ with `..`
    picture: bool = False  # the src of an <img>, or a front-matter image


def is_picture_path(path: str) -> bool:
    return posixpath.splitext(path)[1].lower() in PICTURE_SUFFIXES


def reference(written: str, folder: str, line: int, picture: bool = False) -> Ref | None:
    """The Ref for a URL written in the story at `folder` (relative to content/), or None for an external one.

    `written` is unescaped text here (front matter); `body_refs` passes attribute values.
    """
    url = written.strip()
    if not url or url.startswith(("#", "?", "//")) or SCHEME.match(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    rest = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
    path = unicodedata.normalize("NFC", unquote(parts.path))
    if not path:
        return None
    if path.startswith("/"):
        return Ref(written, posixpath.normpath(path).lstrip("/"), rest, line, root=True, picture=picture)
    joined = posixpath.normpath(posixpath.join(folder, path))
    outside = joined == ".." or joined.startswith("../")
    return Ref(written, joined, rest, line, outside=outside, picture=picture)


def body_refs(fragment: str, folder: str, source: str, first_line: int) -> tuple[Ref, ...]:
    """Every reference in a rendered body that may name a file of the site, with its line in the file."""
    if ' src="' not in fragment and ' href="' not in fragment:
        return ()
    refs: dict[tuple[str, bool], Ref] = {}
    cursor = 0
    for match in URL_ATTRIBUTE.finditer(fragment):
        attribute, written = match.groups()
        picture = attribute == "src"
        if (written, picture) in refs:
            continue
        value = html.unescape(written)
        found = source.find(value, cursor)
        found = source.find(value) if found < 0 else found
        if found >= 0:
            cursor = found
        line = first_line + source.count("\n", 0, max(found, 0))
        ref = reference(value, folder, line, picture)
        if ref is not None:
            refs[(written, picture)] = Ref(written, ref.path, ref.rest, line, ref.root, ref.outside, picture)
    return tuple(refs.values())


def folder_of(label: str) -> str:
    """The folder of a content file relative to content/: `content/2025/06/x.md` -> `2025/06`."""
    return posixpath.dirname(label.partition("/")[2])


# ---------------------------------------------------------------- applying links to HTML


def finish_html(fragment: str, links: tuple[Link, ...], eager: int = 0, feed: bool = False) -> str:
    """The body with its links resolved and its pictures sized; the first `eager` pictures load at once.

    Pages get `srcset`, `sizes`, `loading` and `decoding`; feeds (`feed=True`) only the address
    and size, since readers show pictures their own way.
    """
    if not links and "<img" not in fragment:
        return fragment
    hrefs = {link.written: link for link in links}
    # A file both shown and linked (`![…](p.jpg)` then `[full size](p.jpg)`) has two links with one
    # address; only the one made for the <img> carries the picture's size and variants.
    pictures = hrefs | {link.written: link for link in links if link.image}
    fragment = URL_ATTRIBUTE.sub(lambda match: _href(match, hrefs), fragment)
    counter = iter(range(1 << 30))
    return IMG.sub(lambda match: _img(match, pictures, next(counter) < eager, feed), fragment)


def _href(match: re.Match[str], links: dict[str, Link]) -> str:
    attribute, written = match.groups()
    link = links.get(written)
    return f' {attribute}="{link.url}"' if attribute == "href" and link else match.group()


def _img(match: re.Match[str], links: dict[str, Link], eager: bool, feed: bool) -> str:
    attributes = dict(ATTRIBUTE.findall(match.group(1)))
    link = links.get(attributes.get("src", ""))
    image = link.image if link else None
    if link is not None:
        attributes["src"] = html.escape(image.url) if image else link.url
    if image and image.width and "width" not in attributes and "height" not in attributes:
        attributes["width"], attributes["height"] = str(image.width), str(image.height)
    if image and image.srcset and not feed:
        attributes["srcset"], attributes["sizes"] = html.escape(image.srcset), BODY_SIZES
    if not feed and not eager:
        attributes.setdefault("loading", "lazy")
        attributes.setdefault("decoding", "async")
    order = ("src", "srcset", "sizes", "width", "height", "alt")
    names = [name for name in order if name in attributes] + sorted(set(attributes) - set(order))
    return "<img" + "".join(f' {name}="{attributes[name]}"' for name in names) + ">"


def srcset(candidates: list[tuple[str, int]]) -> str:
    """`url 480w, url 960w`, for a `srcset` attribute."""
    return ", ".join(f"{url} {width}w" for url, width in candidates)
