import re
from pathlib import Path

import pytest
from conftest import article_text, make_config, write_tree

import nashra.extras
from nashra.collect import collect, prepare_all
from nashra.extras import render_extras


def site_of(tmp_path: Path, count: int, **config):
    files = {f"{i}.md": article_text(title=f"خبر {i}", date=f"2025-06-{1 + i:02d}", tags="[وسم]") for i in range(count)}
    write_tree(tmp_path / "content", files)
    cfg = make_config(tmp_path, **config)
    return collect(prepare_all(cfg), cfg)[0]


def test_sitemap_lists_every_page_with_lastmod(tmp_path: Path) -> None:
    outputs = {o.path: o.data.decode() for o in render_extras(site_of(tmp_path, 3))}
    locations = re.findall(r"<loc>([^<]+)</loc>", outputs["sitemap.xml"])
    assert locations == [
        "https://example.github.io/digest/",
        "https://example.github.io/digest/articles/2/",
        "https://example.github.io/digest/articles/1/",
        "https://example.github.io/digest/articles/0/",
        "https://example.github.io/digest/tags/",
        "https://example.github.io/digest/tags/%D9%88%D8%B3%D9%85/",
        "https://example.github.io/digest/sources/",  # listed even before any story names its outlet
        "https://example.github.io/digest/archive/",
        "https://example.github.io/digest/archive/2025/",
        "https://example.github.io/digest/archive/2025/06/",
    ]
    assert "<lastmod>2025-06-03T00:00:00+03:00</lastmod>" in outputs["sitemap.xml"]


def test_large_sites_get_a_sitemap_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nashra.extras, "SITEMAP_LIMIT", 4)
    outputs = {o.path: o.data.decode() for o in render_extras(site_of(tmp_path, 5))}
    assert "<sitemapindex" in outputs["sitemap.xml"]
    parts = re.findall(r"<loc>([^<]+)</loc>", outputs["sitemap.xml"])
    assert parts == [f"https://example.github.io/digest/sitemap-{n}.xml" for n in (1, 2, 3)]
    pages = [loc for n in (1, 2, 3) for loc in re.findall(r"<loc>([^<]+)</loc>", outputs[f"sitemap-{n}.xml"])]
    assert (
        len(pages) == len(set(pages)) == 12
    )  # home, 5 stories, tag index, one tag page, outlet index, archive, year, month


def test_robots_nojekyll_and_cname(tmp_path: Path) -> None:
    outputs = {o.path: o.data for o in render_extras(site_of(tmp_path, 1, cname="news.example.com"))}
    assert outputs["robots.txt"].endswith(
        b"Sitemap: https://example.github.io/digest/sitemap.xml\n"
        b"Sitemap: https://example.github.io/digest/news-sitemap.xml\n"
    )
    assert outputs[".nojekyll"] == b""
    assert outputs["CNAME"] == b"news.example.com\n"


def test_assets_are_copied_from_the_layouts_folder() -> None:
    from nashra.config import DEFAULT_LAYOUTS
    from nashra.extras import assets

    copied = {o.path: o.data for o in assets(DEFAULT_LAYOUTS / "assets")}
    assert copied["assets/style.css"] == (DEFAULT_LAYOUTS / "assets" / "style.css").read_bytes()
