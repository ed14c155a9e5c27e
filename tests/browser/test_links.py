"""Links under a sub-path: serve the built site as GitHub Pages serves a project site and follow everything."""

from __future__ import annotations

import html
import http.client
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

import pytest

from .support import ServedSite, pages_response

MAX_RESOURCES = 5000  # a crawl that finds more than this is following a loop
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
URL_ATTRIBUTES = {"href", "src", "poster", "action", "cite"}


@dataclass
class Fetched:
    status: int
    content_type: str
    body: bytes
    ids: set[str] = field(default_factory=set)  # element ids, for #fragment links


@dataclass
class PageLinks(HTMLParser):
    """Collects every URL an HTML page refers to, and the ids it defines."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    stylesheets: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name in URL_ATTRIBUTES & values.keys():
            self.links.append(values[name].strip())
        for candidate in values.get("srcset", "").split(","):
            if candidate.strip():
                self.links.append(candidate.split()[0])
        if tag == "link" and "stylesheet" in values.get("rel", "").split():
            self.stylesheets.append(values.get("href", ""))


def parse_page(body: bytes) -> PageLinks:
    parser = PageLinks()
    parser.feed(body.decode("utf-8"))
    parser.close()
    return parser


def fetch(url: str) -> Fetched:
    """GET without following redirects: a link that needs one is reported, not silently fixed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        body = response.read()
        return Fetched(response.status, response.getheader("Content-Type", ""), body)
    finally:
        connection.close()


def references(url: str, resource: Fetched, served: ServedSite) -> list[str]:
    """Absolute URLs a fetched resource refers to: attributes in HTML, url() in CSS, and public URLs anywhere."""
    text = resource.body.decode("utf-8", errors="replace")
    found: list[str] = []
    if resource.content_type.startswith("text/html"):
        page = parse_page(resource.body)
        resource.ids = page.ids
        found += page.links
        text = html.unescape(text)
    elif resource.content_type.startswith("text/css"):
        found += re.findall(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""", text)
        found += re.findall(r"""@import\s+['"]([^'"]+)['"]""", text)
    # Canonical links, Open Graph, JSON-LD, sitemaps, feeds and robots.txt use the public address.
    public = re.escape(served.site.base_url) + r"""[^\s"'<>)\]\\]*"""  # a backslash ends a URL inside JSON
    found += re.findall(public, text)
    return [served.localize(urljoin(url, link)) for link in found if link and not link.startswith(SKIPPED_SCHEMES)]


def shown(url: str) -> str:
    """A local URL as a reader would write it: the decoded path."""
    return unquote(urlsplit(url).path) if url.startswith("http") else url


def crawl(served: ServedSite) -> tuple[dict[str, Fetched], list[str]]:
    """Fetch the home page, robots.txt, and everything on this site they lead to; return what broke."""
    seen: dict[str, Fetched] = {}
    referrers: dict[str, str] = {}
    fragments: list[tuple[str, str, str]] = []  # (referrer, target page, fragment)
    queue = deque([served.home, served.url("robots.txt")])
    broken: list[str] = []
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        assert len(seen) < MAX_RESOURCES, f"more than {MAX_RESOURCES} resources: is the crawl looping?"
        seen[url] = resource = fetch(url)
        if resource.status != 200:
            location = f" (Location: {resource.body!r})" if 300 <= resource.status < 400 else ""
            broken.append(f"{shown(referrers.get(url, 'start'))} -> {shown(url)}: HTTP {resource.status}{location}")
            continue
        for link in references(url, resource, served):
            target, fragment = urldefrag(link)
            if urlsplit(target).netloc != urlsplit(served.origin).netloc:
                continue  # another site: not ours to check offline
            if fragment:
                fragments.append((url, target, fragment))
            if target not in seen:
                referrers.setdefault(target, url)
                queue.append(target)
    for referrer, target, fragment in fragments:
        page = seen.get(target)
        is_page = page is not None and page.status == 200 and page.content_type.startswith("text/html")
        if is_page and unquote(fragment) not in page.ids:  # type: ignore[union-attr]
            broken.append(f"{shown(referrer)} -> {shown(target)}#{unquote(fragment)}: no such id")
    return seen, sorted(set(broken))


@pytest.mark.browser
def test_every_internal_link_resolves_under_the_sub_path(served_site: ServedSite) -> None:
    resources, broken = crawl(served_site)
    if broken:
        pytest.fail(f"{len(broken)} broken links:\n" + "\n".join(broken), pytrace=False)
    fetched = {urlsplit(url).path for url, resource in resources.items() if resource.status == 200}
    root = served_site.site.root
    on_disk = {
        served_site.site.base_path + path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not path.name.startswith(".") and path.name not in {"404.html", "CNAME"}
    }
    reached = {unquote(path) + ("index.html" if path.endswith("/") else "") for path in fetched}
    # Pagefind's index chunks are fetched by its script at search time, not linked from any page;
    # tests/browser/test_search.py proves they load by searching.
    bundle = served_site.site.base_path + "pagefind/"
    # Pictures are published whole beside their stories (the originals, and the JPEG that link
    # previews of a lead picture use) whether or not a page shows that file itself.
    pictures = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", ".avif"}
    orphans = sorted(
        path for path in on_disk - reached if not path.startswith(bundle) and PurePosixPath(path).suffix not in pictures
    )
    assert not orphans, "built files no link leads to:\n" + "\n".join(orphans)
    assert any(r.content_type.startswith("text/css") for r in resources.values()), "no stylesheet was fetched"


UNKNOWN_PATHS = [
    "no-such-page",
    "no-such-folder/",
    "articles/no-such-story/",
    "tags/وسم-غير-موجود/page/9/",
    "a/b/c/d/e/f.html",
]


@pytest.mark.browser
@pytest.mark.parametrize("unknown", UNKNOWN_PATHS)
def test_404_page_works_at_any_depth(served_site: ServedSite, unknown: str) -> None:
    url = served_site.url(quote(unknown))
    response = fetch(url)
    assert response.status == 404
    assert response.body == (served_site.site.root / "404.html").read_bytes(), "not the site's own 404.html"
    page = parse_page(response.body)
    assert page.stylesheets, "404.html links no stylesheet"
    broken = []
    for link in page.links:
        if link.startswith("#"):
            if unquote(link[1:]) not in page.ids:
                broken.append(f"{link}: no such id on the page")
            continue
        target = urldefrag(urljoin(url, link)).url
        if link.startswith(SKIPPED_SCHEMES) or urlsplit(target).netloc != urlsplit(served_site.origin).netloc:
            continue
        status = fetch(target).status
        if status != 200:
            broken.append(f"{link} (from {shown(url)} it is {shown(target)}): HTTP {status}")
    if broken:
        pytest.fail("404.html has links relative to the missing page:\n" + "\n".join(broken), pytrace=False)


def test_the_test_server_answers_like_github_pages(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The link checks are only as good as this stand-in for GitHub Pages."""
    (tmp_path / "articles" / "قصة").mkdir(parents=True)
    (tmp_path / "articles" / "قصة" / "index.html").write_text("story", encoding="utf-8")
    (tmp_path / "about.html").write_text("about", encoding="utf-8")
    (tmp_path / "404.html").write_text("gone", encoding="utf-8")
    encoded = "/repo/articles/%D9%82%D8%B5%D8%A9"

    assert pages_response(tmp_path, "/repo/", encoded + "/")[::2] == (200, b"story")
    assert pages_response(tmp_path, "/repo/", encoded)[:2] == (301, {"Location": encoded + "/"})
    assert pages_response(tmp_path, "/repo/", "/repo")[:2] == (301, {"Location": "/repo/"})
    assert pages_response(tmp_path, "/repo/", "/repo/about")[::2] == (200, b"about")
    assert pages_response(tmp_path, "/repo/", "/repo/missing/deep/")[::2] == (404, b"gone")
    assert pages_response(tmp_path, "/repo/", "/repo/../../etc/passwd")[::2] == (404, b"gone")
    assert pages_response(tmp_path, "/repo/", "/articles/%D9%82%D8%B5%D8%A9/")[0] == 404  # outside the sub-path
