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
import itertools
import posixpath
import re
import unicodedata
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from .model import Link
from .pickling import by_fields

# A start tag as nh3 writes it, and a src or href attribute in one: double-quoted, `"` inside
# escaped. Text has `<` escaped, so `src="x.png"` in a code sample is never taken for an address.
START_TAG = re.compile(r'<[A-Za-z][^\s/>]*(?: [^\s=>]+(?:="[^"]*")?)* ?/?>')
URL_ATTRIBUTE = re.compile(r' (src|href)="([^"]*)"')
IMG = re.compile(r"<img((?: [^\s=>]+(?:=\"[^\"]*\")?)*) ?/?>")
ATTRIBUTE = re.compile(r' ([^\s=>]+)(?:="([^"]*)")?')
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# What stands right before an address in Markdown or HTML: `](`, `<`, a quote, `=`, or `[id]: ` of a definition.
URL_BEFORE = re.compile(r"(?:[(<\"'=]|\]:[ \t]*)\Z")
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


def names_elsewhere(written: str) -> bool:
    """Whether a URL that `reference` does not take names a place of its own: a scheme or a host.

    What is left, `?q` or `#top`, is only a part of the page it is written on, never a picture.
    """
    url = written.strip()
    return bool(SCHEME.match(url)) or url.startswith("//")


def body_refs(fragment: str, folder: str, source: str, first_line: int) -> tuple[Ref, ...]:
    """Every reference in a rendered body that may name a file of the site, with its line in the file."""
    if ' src="' not in fragment and ' href="' not in fragment:
        return ()
    refs: dict[tuple[str, bool], Ref] = {}
    cursor = 0
    for match in (found for tag in START_TAG.finditer(fragment) for found in URL_ATTRIBUTE.finditer(tag.group())):
        attribute, written = match.groups()
        picture = attribute == "src"
        if (written, picture) in refs:
            continue
        value = html.unescape(written)
        ref = reference(value, folder, 0, picture)
        if ref is None:
            continue  # an address elsewhere: no line needed
        found, end = _written_at(source, (value, written), cursor)
        cursor = max(cursor, end)
        line = first_line + source.count("\n", 0, max(found, 0))
        refs[(written, picture)] = Ref(written, ref.path, ref.rest, line, ref.root, ref.outside, picture)
    return tuple(refs.values())


def _written_at(source: str, needles: tuple[str, ...], cursor: int) -> tuple[int, int]:
    """(start, end) of a reference in the Markdown, (-1, -1) when it is not there as written.

    References come in the order of the HTML, which is mostly that of the Markdown, so the search
    starts after the previous one. The same text may stand earlier as plain words ("photo.jpg
    below:"): a place written as an address, after `(`, `<`, a quote, `=` or a reference
    definition's `]:`, is preferred to any other.
    """
    anywhere = (-1, -1)
    for needle in dict.fromkeys(needles):  # as unescaped, then as escaped (`&amp;` in the Markdown)
        for start in (cursor, 0):
            found = source.find(needle, start)
            while found >= 0:
                place = (found, found + len(needle))
                if URL_BEFORE.search(source, max(0, found - 64), found):
                    return place
                anywhere = place if anywhere[0] < 0 else anywhere
                found = source.find(needle, found + 1)
    return anywhere


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
    fragment = START_TAG.sub(lambda tag: URL_ATTRIBUTE.sub(lambda match: _href(match, hrefs), tag.group()), fragment)
    counter = itertools.count()
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
    if feed and image and image.share and image.share_width:
        # Feeds carry the JPEG that every reader shows (some still cannot show WebP).
        attributes["src"] = html.escape(image.share)
        image = replace(image, width=image.share_width, height=image.share_height)
    if image and image.width:
        attributes.update(_size(attributes, image.width, image.height))
    if image and image.srcset and not feed:
        attributes["srcset"], attributes["sizes"] = html.escape(image.srcset), BODY_SIZES
    if not feed and not eager:
        attributes.setdefault("loading", "lazy")
        attributes.setdefault("decoding", "async")
    order = ("src", "srcset", "sizes", "width", "height", "alt")
    names = [name for name in order if name in attributes] + sorted(set(attributes) - set(order))
    return "<img" + "".join(f' {name}="{attributes[name]}"' for name in names) + ">"


def _size(attributes: dict[str, str], width: int, height: int) -> dict[str, str]:
    """width and height for an <img>: the author's when given, the other one from the picture's shape."""
    given_width, given_height = _number(attributes.get("width")), _number(attributes.get("height"))
    if given_width and given_height:
        return {}
    if given_width:
        return {"height": str(max(1, round(given_width * height / width)))}
    if given_height:
        return {"width": str(max(1, round(given_height * width / height)))}
    return {"width": str(width), "height": str(height)}


def _number(value: str | None) -> int:
    return int(value) if value and value.isascii() and value.isdigit() and int(value) > 0 else 0


def srcset(candidates: list[tuple[str, int]]) -> str:
    """`url 480w, url 960w`, for a `srcset` attribute."""
    return ", ".join(f"{url} {width}w" for url, width in candidates)
