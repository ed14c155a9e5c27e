"""Properties of the built sample site: links, languages, metadata, determinism (arabic-rtl.md rules)."""

import json
import os
import re
import subprocess
import sys
import unicodedata
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from conftest import ROOT, files_of, run_cli

SUB_PATH = "/nashra/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("sample") / "output"
    result = run_cli(["--config", str(ROOT / "site.toml"), "--output", str(output)])
    assert result.code == 0, result.err
    return output


class Page(HTMLParser):
    """Collects what the checks need from one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[str, str]] = []
        self._script: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append((tag, values))
        if tag == "script":
            self._script = values.get("type", "")
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)
        else:
            self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def pages(root: Path) -> dict[str, Page]:
    parsed = {}
    for path in sorted(root.rglob("*.html")):
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        parsed[path.relative_to(root).as_posix()] = page
    return parsed


def resolve(root: Path, link: str) -> Path | None:
    """The file a root-relative link under the sub-path would be served from, or None if outside."""
    path = unquote(urlsplit(link).path)
    if not path.startswith(SUB_PATH):
        return None
    target = root / path[len(SUB_PATH) :]
    return target / "index.html" if path.endswith("/") else target


def test_every_internal_link_and_asset_resolves(built: Path) -> None:
    broken = []
    for name, page in pages(built).items():
        for tag, attrs in page.elements:
            for attr in ("href", "src"):
                link = attrs.get(attr)
                if not link or link.startswith(("http://", "https://", "mailto:", "#", "data:")):
                    continue
                target = resolve(built, link)
                if target is None or not target.is_file():
                    broken.append(f"{name}: <{tag} {attr}={link}>")
    assert not broken, "\n".join(broken)


def test_paths_are_nfc_and_never_percent_encoded(built: Path) -> None:
    for path in built.rglob("*"):
        relative = path.relative_to(built).as_posix()
        assert "%" not in relative
        assert unicodedata.normalize("NFC", relative) == relative


def test_html_lang_and_dir_on_every_page(built: Path) -> None:
    for name, page in pages(built).items():
        (html,) = page.find("html")
        expected = "ltr" if html["lang"] == "en" else "rtl"
        assert html["dir"] == expected, name
        assert "dir" not in page.find("body")[0], name


def test_english_article_keeps_arabic_chrome(built: Path) -> None:
    page = pages(built)["articles/meta-scale-ai-deal/index.html"]
    assert page.find("html") == [{"lang": "en", "dir": "ltr", "data-digits": "latn"}]
    assert page.find("header", **{"class": "site-header", "lang": "ar", "dir": "rtl"})
    assert page.find("footer", **{"class": "site-footer", "lang": "ar", "dir": "rtl"})
    assert page.find("meta", property="og:locale", content="en_US")
    home = (built / "index.html").read_text(encoding="utf-8")  # the story is in a section there, and on page 2
    assert '<h3 class="brief-title" lang="en" dir="ltr"><a href="/nashra/articles/meta-scale-ai-deal/">' in home
    listed = (built / "page/2/index.html").read_text(encoding="utf-8")
    assert '<h2 class="card-title" lang="en" dir="ltr"><a href="/nashra/articles/meta-scale-ai-deal/">' in listed


def test_titles_never_use_dir_auto_and_sources_are_isolated(built: Path) -> None:
    for name, page in pages(built).items():
        for _tag, attrs in page.elements:
            if "title" in attrs.get("class", "") or "summary" in attrs.get("class", ""):
                assert attrs.get("dir") != "auto", name
    html = (built / "index.html").read_text(encoding="utf-8")
    outlet = quote("/nashra/sources/الموقع-بوست/")
    assert f'<a class="card-source" href="{outlet}"><bdi>الموقع بوست</bdi></a>' in html


def test_head_metadata(built: Path) -> None:
    for name, page in pages(built).items():
        assert page.find("meta", charset="utf-8"), name
        assert page.find("meta", name="viewport"), name
        assert page.find("meta", name="description"), name
        locale = page.find("meta", property="og:locale")[0]["content"]
        assert locale == ("en_US" if page.find("html")[0]["lang"] == "en" else "ar_AR"), name
        if name != "404.html":
            (canonical,) = page.find("link", rel="canonical")
            assert canonical["href"].isascii() and canonical["href"].startswith("https://nashra-news.github.io/nashra/")


def test_news_article_json_ld(built: Path) -> None:
    articles = {n: p for n, p in pages(built).items() if n.startswith("articles/")}
    assert len(articles) == 8
    for _name, page in articles.items():
        (block,) = [text for kind, text in page.scripts if kind == "application/ld+json"]
        data = json.loads(block)
        assert data["@type"] == "NewsArticle"
        assert data["inLanguage"] == page.find("html")[0]["lang"]
        assert datetime.fromisoformat(data["datePublished"]).tzinfo is not None
        assert data["url"].isascii()


def test_dates_are_absolute_time_elements(built: Path) -> None:
    for name, page in pages(built).items():
        html = (built / name).read_text(encoding="utf-8")
        for shown in re.findall(r"<time[^>]*>([^<]*)</time>", html):
            assert not re.search(r"قبل|منذ|أمس", shown), name
            assert re.search(r"\b20\d\d\b", shown), name
        for attrs in page.find("time"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", attrs["datetime"]), name


def test_pagination_points_the_reading_way(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    assert re.search(r'rel="next"[^>]*>التالي <span aria-hidden="true">←</span>', home)
    second = (built / "page/2/index.html").read_text(encoding="utf-8")
    assert re.search(r'rel="prev"[^>]*><span aria-hidden="true">→</span> السابق', second)


def test_one_tag_page_per_folded_tag(built: Path) -> None:
    tags = sorted(p.name for p in (built / "tags").iterdir() if p.is_dir())
    assert "الذكاء-الاصطناعي" in tags
    assert not any("ـ" in t or "َ" in t for t in tags)
    page = (built / "tags/الذكاء-الاصطناعي/index.html").read_text(encoding="utf-8")
    assert "أخبار الوسم: <bdi>الذكاء الاصطناعي</bdi>" in page


def test_sitemap_and_robots(built: Path) -> None:
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(
        loc.isascii() and loc.startswith("https://nashra-news.github.io/nashra/") for loc in locations
    )
    assert len(locations) == len(set(locations))
    pages = {p.relative_to(built).as_posix() for p in built.rglob("*.html")} - {"404.html", "search/index.html"}
    assert len(pages) == len(locations)  # every page but 404.html and the search page (noindex)
    robots = (built / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://nashra-news.github.io/nashra/sitemap.xml" in robots
    assert (built / ".nojekyll").exists()


def test_stylesheet_uses_logical_properties_only() -> None:
    physical = re.compile(
        r"\b(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:|text-align:\s*(left|right)"
        r"|float:\s*(left|right)|text-align:\s*justify"
    )
    for css in (ROOT / "layouts").rglob("*.css"):
        for number, line in enumerate(css.read_text(encoding="utf-8").splitlines(), 1):
            if physical.search(line):
                assert "bidi-exception" in line, f"{css.name}:{number}: {line.strip()}"
            if "letter-spacing" in line:
                assert "normal" in line or ":lang(en)" in line, f"{css.name}:{number}"


def test_builds_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    trees = []
    for seed in ("1", "2"):
        output = tmp_path / f"out{seed}"
        env = os.environ | {"PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "build.py", "--output", str(output)], cwd=ROOT, env=env, check=True, capture_output=True
        )
        trees.append(files_of(output))
    assert trees[0] == trees[1]
