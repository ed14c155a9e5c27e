import re
from pathlib import Path

from conftest import article_text, make_article, make_config, write_tree
from picture_fixtures import encoded, photo

from nashra.paginate import paginate
from nashra.urls import absolute, absolutize, encode, file_for, href, page_path


def test_links_carry_the_sub_path_and_are_percent_encoded() -> None:
    config = make_config()
    assert href(config, "articles/ميتا/") == "/digest/articles/%D9%85%D9%8A%D8%AA%D8%A7/"
    assert absolute(config, "") == "https://example.github.io/digest/"
    assert absolute(config, "tags/ميتا/").isascii()


def test_root_site_has_a_plain_root() -> None:
    config = make_config(base_url="https://news.example.com/")
    assert href(config, "tags/") == "/tags/"


def test_encode_normalises_to_nfc() -> None:
    decomposed = "\u0627\u0654"  # alef + hamza above, as some tools write it
    assert encode(decomposed) == encode("\u0623")


def test_files_for_paths() -> None:
    assert file_for("") == "index.html"
    assert file_for("articles/x/") == "articles/x/index.html"
    assert file_for("feed.xml") == "feed.xml"
    assert page_path("tags/x/", 1) == "tags/x/"
    assert page_path("tags/x/", 3) == "tags/x/page/3/"


def test_absolutize_resolves_against_the_page() -> None:
    config = make_config()
    assert absolutize(config, "img/a.png", "articles/x/") == "https://example.github.io/digest/articles/x/img/a.png"
    assert absolutize(config, "/digest/a b", "") == "https://example.github.io/digest/a%20b"
    assert absolutize(config, "https://other.example/ص") == "https://other.example/%D8%B5"
    assert absolutize(config, "https://مثال.إختبار/ص") == "https://xn--mgbh0fb.xn--kgbechtv/%D8%B5"


def test_paginate_links_and_sizes() -> None:
    config = make_config(per_page=2)
    items = tuple(make_article(slug=f"s{i}") for i in range(5))
    pages = paginate(config, items, "tags/x/")
    assert [len(p.items) for p in pages] == [2, 2, 1]
    assert [p.path for p in pages] == ["tags/x/", "tags/x/page/2/", "tags/x/page/3/"]
    assert (pages[0].prev_url, pages[0].next_url) == (None, "/digest/tags/x/page/2/")
    assert (pages[2].prev_url, pages[2].next_url) == ("/digest/tags/x/page/2/", None)
    assert all(p.total == 3 for p in pages)


def test_paginate_empty_gives_one_page() -> None:
    (page,) = paginate(make_config(), (), "")
    assert (page.items, page.total, page.next_url) == ((), 1, None)


def test_absolutize_leaves_an_unreadable_link_percent_encoded() -> None:
    config = make_config()
    assert absolutize(config, "http://[", "articles/x/") == "http://["
    assert absolutize(config, "//[x/ص") == "//[x/%D8%B5"


def built_addresses(site_dir: Path, build, base_url: str) -> tuple[list[str], list[str]]:
    """Build one story with --base-url; return every absolute URL written and every root-relative link."""
    body = "نص [رابط](../غيره/)\n"
    picture = encoded(photo(100, 60), "PNG")
    story = article_text(tags="[ميتا]", image='"img/ص.png"', image_alt="رسم", body=body)
    write_tree(site_dir / "content", {"خبر.md": story, "img/ص.png": picture})
    assert build("--base-url", base_url).code == 0
    absolute, relative = [], []
    for path in sorted((site_dir / "output").rglob("*")):
        if path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_text(encoding="utf-8")
            absolute += re.findall(r"(?:https?://|&quot;https?://)[^\s\"<>']+", text)
            relative += re.findall(r'(?:href|src)="(/[^"]*)"', text)
    return absolute, relative


def test_an_international_base_url_is_written_in_ascii_everywhere(site_dir: Path, build) -> None:
    absolute, relative = built_addresses(site_dir, build, "https://مثال.إختبار/نشرة/")
    site = [url for url in absolute if "xn--" in url or "مثال" in url]
    assert "https://xn--mgbh0fb.xn--kgbechtv/%D9%86%D8%B4%D8%B1%D8%A9/sitemap.xml" in site
    assert all(url.isascii() for url in site), [url for url in site if not url.isascii()][:3]
    assert relative and all(link.startswith("/%D9%86%D8%B4%D8%B1%D8%A9/") for link in relative)


def test_a_base_url_with_an_ipv6_host_and_a_port_works(site_dir: Path, build) -> None:
    absolute, relative = built_addresses(site_dir, build, "http://[::1]:8080/x/")
    assert "http://[::1]:8080/x/img/%D8%B5-100w.jpg" in absolute  # the lead picture, as previews and feeds share it
    assert "http://[::1]:8080/x/sitemap.xml" in absolute
    assert relative and all(link.startswith("/x/") for link in relative)


def test_a_percent_sign_that_starts_no_escape_is_encoded() -> None:
    from nashra.urls import to_ascii

    assert to_ascii("https://example.com/100%/x%41%2") == "https://example.com/100%25/x%41%252"
