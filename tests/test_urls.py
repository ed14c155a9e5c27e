from conftest import make_article, make_config

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
