"""Files beside stories and in static/: where they are published, what references to them become, what fails.

Small sites are built in tmp_path with the command line, as an author would; `finish_html`,
`reference` and `body_refs` are also tested on their own. Picture processing itself is tested
in test_pictures.py.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import lxml.html
import pytest
from conftest import NOW, SITE_TOML, Run, article_text, files_of, run_cli, source_date_epoch, write_tree
from lxml import etree
from picture_fixtures import GPS_IFD, camera_exif, chart, encoded, photo, png_header
from PIL import Image as PILImage

from nashra.files import FileInfo, read_files
from nashra.links import Ref, body_refs, finish_html, reference
from nashra.load import scan_tree
from nashra.model import Image, Link

PHOTO = encoded(photo(800, 500), "JPEG")  # variants: 480w and 800w WebP, an 800w JPEG to share
CHART = encoded(chart(500, 400), "PNG")  # variants: 480w and 500w WebP, a 500w JPEG
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="8"><title>logo-mark</title></svg>'
BASE = "https://example.github.io/digest/"  # SITE_TOML's base_url
ROOT = "/digest/"  # its sub-path, the start of every root-relative link
EPOCH = int(NOW.timestamp())
STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
MISSING = "names no file: {} does not exist (a relative path is read from the story's own folder)"


# ---------------------------------------------------------------- helpers


def make_site(root: Path, files: dict[str, str | bytes], toml: str = "") -> Path:
    """A project folder: site.toml (SITE_TOML plus `toml`) and the given files under it."""
    write_tree(root, {"site.toml": SITE_TOML + toml, **files})
    (root / "content").mkdir(exist_ok=True)
    return root


def build(root: Path, *extra: str) -> Run:
    """Build the project at root in-process, quietly, at the tests' fixed time."""
    with source_date_epoch(EPOCH):
        return run_cli(["--config", str(root / "site.toml"), "-q", *extra])


def built(root: Path, *extra: str) -> Path:
    """Build the project at root; fail the test with its messages unless it succeeds. Returns output/."""
    run = build(root, *extra)
    assert run.code == 0, run.err
    return root / "output"


def problems(run: Run) -> list[str]:
    """The problems a failed build printed, without the closing count."""
    assert run.code == 1, run.err
    *lines, summary = run.err.splitlines()
    assert summary.endswith("output/ left unchanged"), summary
    return lines


def warnings_of(run: Run) -> list[str]:
    return [line for line in run.err.splitlines() if ": warning: " in line]


def site_paths(output: Path) -> set[str]:
    return {path for path in files_of(output) if not path.startswith("pagefind/")}


def tags(page: Path, name: str) -> list[dict[str, str]]:
    """The attributes of every `name` element of an HTML page, in document order."""
    document = lxml.html.fromstring(page.read_bytes())
    return [dict(element.attrib) for element in document.iter(name)]


def story_imgs(page: Path) -> list[dict[str, str]]:
    """The pictures of a story page's figure and body, in document order."""
    document = lxml.html.fromstring(page.read_bytes())
    return [dict(img.attrib) for img in document.xpath("//article[contains(@class, 'story')]//img")]


def body_links(page: Path) -> list[str]:
    document = lxml.html.fromstring(page.read_bytes())
    return [a.get("href") for a in document.xpath("//div[@class='story-body']//a")]


def meta(page: Path) -> dict[str, str]:
    """`property` or `name` -> content of every <meta> of a page."""
    found = {}
    for attributes in tags(page, "meta"):
        key = attributes.get("property") or attributes.get("name")
        if key:
            found[key] = attributes.get("content", "")
    return found


def output_file(output: Path, url: str) -> Path:
    """The file of output/ that a root-relative or absolute URL of the site names."""
    path = urlsplit(url).path
    assert path.startswith(ROOT), url
    return output / unquote(path[len(ROOT) :])


def srcset_urls(srcset: str) -> list[str]:
    return [candidate.split()[0] for candidate in srcset.split(",")]


# ---------------------------------------------------------------- where files are published


def test_files_are_published_byte_for_byte_at_stable_paths(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "content/2025/06/a.md": article_text(body="نص.\n"),
        "content/2025/06/report.pdf": b"%PDF-1.4 report",
        "content/2025/06/data/figures.csv": "year,value\n2025,1\n",
        "content/2025/06/chart.png": CHART,
        "content/ميتا/index.md": article_text("ميتا", body="نص.\n"),
        "content/ميتا/بيان.pdf": b"%PDF-1.4 statement",
        "content/ميتا/img/photo.jpg": PHOTO,
        "static/images/logo.png": CHART,
        "static/.well-known/security.txt": "Contact: mailto:desk@example.org\n",
        "static/favicon.ico": b"\x00\x00\x01\x00",
        "static/notes.md": "# not a story\n",
    }
    output = built(make_site(tmp_path, files))
    published = {
        "2025/06/report.pdf": "content/2025/06/report.pdf",
        "2025/06/data/figures.csv": "content/2025/06/data/figures.csv",
        "2025/06/chart.png": "content/2025/06/chart.png",
        "articles/ميتا/بيان.pdf": "content/ميتا/بيان.pdf",
        "articles/ميتا/img/photo.jpg": "content/ميتا/img/photo.jpg",
        "images/logo.png": "static/images/logo.png",
        ".well-known/security.txt": "static/.well-known/security.txt",
        "favicon.ico": "static/favicon.ico",
        "notes.md": "static/notes.md",
    }
    for path, source in published.items():
        assert (output / path).read_bytes() == (tmp_path / source).read_bytes(), path
    paths = site_paths(output)
    assert {"2025/06/chart-480w.webp", "2025/06/chart-500w.webp", "2025/06/chart-500w.jpg"} <= paths
    assert {"articles/ميتا/img/photo-480w.webp", "articles/ميتا/img/photo-800w.jpg"} <= paths
    assert {"images/logo-500w.webp", "images/logo-500w.jpg"} <= paths
    assert not any(path.startswith(("ميتا/", "content/", "static/")) for path in paths)  # bundles move, roots vanish
    assert "2025/06/a.md" not in paths and "notes/index.html" not in paths  # static Markdown is no story


def test_editor_litter_and_hidden_files_are_not_published(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "content/a.md": article_text(),
        "content/a.md~": "backup",
        "content/#a.md#": "emacs auto-save",
        "content/.a.md.swp": "vim swap",
        "content/Thumbs.db": b"\x00",
        "content/desktop.ini": "[.ShellClassInfo]",
        "content/.DS_Store": b"\x00",
        "content/.git/config": "[core]",
        "content/.well-known/x.txt": "only static/ publishes .well-known",
        "content/b/index.md": article_text("ب"),
        "content/b/photo.jpg~": b"backup",
        "content/b/.hidden.pdf": b"hidden",
        "content/b/Thumbs.db": b"\x00",
        "static/.DS_Store": b"\x00",
        "static/.htaccess": "Deny from all",
        "static/robots.txt~": "backup",
        "static/.well-known/security.txt": "Contact: x\n",
    }
    output = built(make_site(tmp_path, files))
    stray = {path for path in site_paths(output) if re.search(r"(^|/)[.#]|~$|Thumbs\.db|desktop\.ini", path)}
    assert stray == {".nojekyll", ".well-known/security.txt"}


def test_a_bundle_takes_its_slug_from_its_folder_and_its_files_follow(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "content/2025/2025-06-30-meta-labs/index.md": article_text("ميتا", body="![مخطط](chart.png)\n"),
        "content/2025/2025-06-30-meta-labs/chart.png": CHART,
        "content/2025/named/index.md": article_text("مسمى", slug="اسم-آخر", body="[وثيقة](doc.pdf)\n"),
        "content/2025/named/doc.pdf": b"%PDF",
        "content/2024/meta-labs/index.md": article_text("أقدم", date="2024-01-01", body="نص.\n"),
        "content/2024/meta-labs/chart.png": encoded(chart(520, 400), "PNG"),  # another picture, same name
    }
    output = built(make_site(tmp_path, files))
    paths = site_paths(output)
    # The older story keeps the slug; the newer one gets -2, and each bundle's files go with its page.
    assert (output / "articles/meta-labs/chart.png").read_bytes() == files["content/2024/meta-labs/chart.png"]
    assert (output / "articles/meta-labs-2/chart.png").read_bytes() == CHART
    assert "articles/اسم-آخر/doc.pdf" in paths
    [img] = story_imgs(output / "articles/meta-labs-2/index.html")
    assert img["src"] == ROOT + "articles/meta-labs-2/chart-500w.webp"
    named = "%D8%A7%D8%B3%D9%85-%D8%A2%D8%AE%D8%B1"  # اسم-آخر
    assert body_links(output / "articles/اسم-آخر/index.html") == [f"{ROOT}articles/{named}/doc.pdf"]


# ---------------------------------------------------------------- references become URLs


REFERENCES = """نص.

[وثيقة](doc.pdf?v=2&x=1#page=3) و[الخبر الآخر](../b/index.md#قسم) و[خبر قديم](../old.md)
و[ملف الحزمة](../b/data.csv) و[شعار](/images/logo.png) و[شعار بالمسار](/digest/images/logo.png)
و[صفحة خارجية](https://example.com/x.pdf) و[مرساة](#top) و[مجلد](../b/) و[ملف مفقود](missing.txt)

![صورة](photo.jpg)
"""


def _reference_site(root: Path) -> Path:
    return make_site(root, {
        "content/2025/a.md": article_text("أ", body=REFERENCES),
        "content/2025/doc.pdf": b"%PDF",
        "content/2025/photo.jpg": PHOTO,
        "content/b/index.md": article_text("ب", slug="بي", body="نص.\n"),
        "content/b/data.csv": "a,b\n",
        "content/old.md": article_text("قديم", body="نص.\n"),
        "static/images/logo.png": CHART,
    })  # fmt: skip


def test_relative_references_become_public_urls_on_pages_and_in_feeds(tmp_path: Path) -> None:
    output = built(_reference_site(tmp_path))
    b = "%D8%A8%D9%8A"  # بي
    assert body_links(output / "articles/a/index.html") == [
        ROOT + "2025/doc.pdf?v=2&x=1#page=3",
        f"{ROOT}articles/{b}/#قسم",  # the fragment as written
        ROOT + "articles/old/",
        f"{ROOT}articles/{b}/data.csv",
        ROOT + "images/logo.png",
        ROOT + "images/logo.png",
        "https://example.com/x.pdf",
        "#top",
        "../b/",  # names no file: left as written
        "missing.txt",  # a missing file that is neither a picture nor a story is not checked
    ]
    [img] = story_imgs(output / "articles/a/index.html")
    assert img["src"] == ROOT + "2025/photo-800w.webp"
    items = json.loads((output / "feed.json").read_text(encoding="utf-8"))["items"]
    [item] = [item for item in items if item["url"] == BASE + "articles/a/"]
    content = lxml.html.fragment_fromstring(item["content_html"], create_parent="div")
    hrefs = [a.get("href") for a in content.iter("a")]
    assert hrefs[:6] == [
        BASE + "2025/doc.pdf?v=2&x=1#page=3",
        f"{BASE}articles/{b}/#%D9%82%D8%B3%D9%85",
        BASE + "articles/old/",
        f"{BASE}articles/{b}/data.csv",
        BASE + "images/logo.png",
        BASE + "images/logo.png",
    ]
    assert [img.get("src") for img in content.iter("img")] == [BASE + "2025/photo-800w.jpg"]  # feeds: the JPEG


def test_escaped_ampersands_stay_escaped_in_the_page(tmp_path: Path) -> None:
    files = {"content/a.md": article_text(body="![ر](R&D.jpg)\n\n[تنزيل](R&D.jpg?a=1&b=2)\n"), "content/R&D.jpg": PHOTO}
    output = built(make_site(tmp_path, files))
    html = (output / "articles/a/index.html").read_text(encoding="utf-8")
    assert f'<a href="{ROOT}R%26D.jpg?a=1&amp;b=2"' in html
    assert f'<img src="{ROOT}R%26D-800w.webp" srcset="{ROOT}R%26D-480w.webp 480w, {ROOT}R%26D-800w.webp 800w"' in html
    assert (output / "R&D.jpg").read_bytes() == PHOTO


def test_site_root_references_work_without_a_sub_path_too(tmp_path: Path) -> None:
    files = {"content/a.md": article_text(body="![ش](/images/logo.png)\n"), "static/images/logo.png": CHART}
    output = built(make_site(tmp_path, files), "--base-url", "https://news.example.org/")
    [img] = story_imgs(output / "articles/a/index.html")
    assert img["src"] == "/images/logo-500w.webp"
    assert img["srcset"] == "/images/logo-480w.webp 480w, /images/logo-500w.webp 500w"


def test_site_root_references_may_carry_a_sub_path_in_arabic(tmp_path: Path) -> None:
    body = "![أ](/نشرة/images/logo.png)\n\n![ب](/%D9%86%D8%B4%D8%B1%D8%A9/images/logo.png)\n"
    files = {"content/a.md": article_text(body=body), "static/images/logo.png": CHART}
    output = built(make_site(tmp_path, files), "--base-url", "https://news.example.org/نشرة/")
    sub_path = "/%D9%86%D8%B4%D8%B1%D8%A9/"
    assert [img["src"] for img in story_imgs(output / "articles/a/index.html")] == [
        sub_path + "images/logo-500w.webp"
    ] * 2


def test_a_picture_shown_and_then_linked_keeps_its_size_and_variants(tmp_path: Path) -> None:
    body = "![الصورة](photo.jpg)\n\n[الصورة بحجمها الكامل](photo.jpg)\n"
    output = built(make_site(tmp_path, {"content/a.md": article_text(body=body), "content/photo.jpg": PHOTO}))
    [img] = story_imgs(output / "articles/a/index.html")
    assert (img["src"], img["width"], img["height"]) == (ROOT + "photo-800w.webp", "800", "500")
    assert "srcset" in img
    assert body_links(output / "articles/a/index.html") == [ROOT + "photo.jpg"]


# ---------------------------------------------------------------- references that fail


def _body(text: str) -> dict[str, str | bytes]:
    return {"content/a.md": article_text(body="نص.\n\n" + text + "\n")}  # the reference is on line 7


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(_body("![صورة](nope.png)"), "content/a.md:7: 'nope.png' " + MISSING.format("content/nope.png"),
                     id="missing-picture"),
        pytest.param(_body("[خبر](other.md#x)"), "content/a.md:7: 'other.md#x' " + MISSING.format("content/other.md"),
                     id="missing-story"),
        pytest.param({**_body("![صورة](Photo.JPG)"), "content/photo.jpg": PHOTO},
                     "content/a.md:7: 'Photo.JPG' " + MISSING.format("content/Photo.JPG")
                     + "; did you mean 'photo.jpg'? (names are case-sensitive)", id="wrong-case"),
        pytest.param({"content/b/index.md": article_text(body="نص.\n\n![صورة](img/x.png)\n")},
                     "content/b/index.md:7: 'img/x.png' " + MISSING.format("content/b/img/x.png"),
                     id="from-a-bundle"),
        pytest.param(_body("![صورة](../x.jpg)"),
                     "content/a.md:7: '../x.jpg' points outside the content folder; keep the file beside the story",
                     id="body-outside"),
        pytest.param(_body("![صورة](/images/x.png)"),
                     "content/a.md:7: '/images/x.png' names no file in static/ (static/images/x.png); "
                     "a path that starts with / is looked up in static/", id="static-missing"),
        pytest.param({"content/a.md": article_text(image="nope.jpg", image_alt='""')},
                     "content/a.md:4: image: 'nope.jpg' " + MISSING.format("content/nope.jpg"), id="image-missing"),
        pytest.param({"content/a.md": article_text(image="doc.pdf", image_alt='""'), "content/doc.pdf": b"%PDF"},
                     "content/a.md:4: image: 'doc.pdf' is not a picture", id="image-not-a-picture"),
        pytest.param({"content/a.md": article_text(image="../x.jpg", image_alt='""')},
                     "content/a.md:4: image: '../x.jpg' points outside the content folder; keep the picture beside "
                     "the story", id="image-outside"),
        pytest.param({**_body("![صورة](d/photo.jpg)"), "content/d/index.md": article_text(draft="true"),
                      "content/d/photo.jpg": PHOTO},
                     "content/a.md:7: 'd/photo.jpg' belongs to content/d/index.md, a story this build does not "
                     "publish; move the file beside this story", id="file-of-a-draft"),
        pytest.param(_body("![صورة](x&y.png)"), "content/a.md:7: 'x&y.png' " + MISSING.format("content/x&y.png"),
                     id="shown-as-written"),
    ],
)  # fmt: skip
def test_a_reference_that_names_no_file_is_an_error_at_its_line(
    tmp_path: Path, files: dict[str, str | bytes], expected: str
) -> None:
    assert problems(build(make_site(tmp_path, files))) == [expected]


def test_the_line_is_that_of_the_reference_not_of_an_earlier_mention(tmp_path: Path) -> None:
    body = """فقرة.

- عنصر ![أ](one.png)

| عمود | آخر |
|---|---|
| ![ب](two.png) | نص |

<p><img src="three.png" alt=""></p>

[مرجع][r]

[r]: four.md

يذكر النص five.png هنا قبل الصورة.

![هـ](five.png)
"""
    found = problems(build(make_site(tmp_path, {"content/a.md": article_text(body=body)})))
    assert [line.split(": ", 1)[0] for line in found] == [f"content/a.md:{n}" for n in (7, 11, 13, 17, 21)]


def test_every_missing_reference_is_reported_at_once_and_output_is_left_alone(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/a.md": article_text(), "content/photo.jpg": PHOTO})
    before = files_of(built(root))
    write_tree(root, {
        "content/a.md": article_text(body="![أ](nope.png)\n"),
        "content/b.md": article_text("ب", image="gone.jpg", image_alt='""', body="[أ](a.md) [ج](c.md)\n"),
    })  # fmt: skip
    assert problems(build(root)) == [
        "content/a.md:5: 'nope.png' " + MISSING.format("content/nope.png"),
        "content/b.md:4: image: 'gone.jpg' " + MISSING.format("content/gone.jpg"),
        "content/b.md:7: 'c.md' " + MISSING.format("content/c.md"),
    ]
    assert files_of(root / "output") == before


# ---------------------------------------------------------------- pictures that cannot be used


TRUNCATED = encoded(photo(400, 300), "JPEG")[:1500]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>not a picture</html>", "is not a picture (Pillow cannot read it as JPEG, PNG, GIF, WebP or AVIF, "
                                        "and it does not start like an SVG); check the file"),
        (b"", "is empty (0 bytes): export it again"),
        (png_header(10_000, 10_000), "is 100 megapixels (10000×10000); pictures up to 64 megapixels are processed: "
                                     "resize it first"),
        (TRUNCATED, "is truncated or damaged ("),
    ],
    ids=["not-a-picture", "empty", "100-megapixels", "truncated"],
)  # fmt: skip
def test_a_picture_that_cannot_be_read_fails_the_build_and_keeps_the_last_output(
    tmp_path: Path, data: bytes, message: str
) -> None:
    root = make_site(tmp_path, {"content/a.md": article_text(), "content/2025/ok.png": CHART})
    before = files_of(built(root))
    write_tree(root, {"content/2025/bad.jpg": data})  # unreferenced: every picture is checked
    [problem] = problems(build(root))
    assert problem.startswith("content/2025/bad.jpg: " + message), problem
    assert files_of(root / "output") == before


def test_a_file_gone_between_the_scan_and_reading_it_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = write_tree(tmp_path, {"content/4913": b""}) / "content/4913"  # vim's test file, there for an instant
    stat = path.stat()
    path.unlink()
    files = read_files([(path, "content/4913", stat)], tmp_path / "store")
    assert files["content/4913"][1] == FileInfo(problem="could not be read: No such file or directory")


def test_many_pictures_are_read_in_worker_processes_with_the_same_result(tmp_path: Path) -> None:
    pictures: dict[str, str | bytes] = {
        f"content/p{n}.jpg": encoded(photo(200 + n, 100, seed=n), "JPEG") for n in range(5)
    }
    content = write_tree(tmp_path, {**pictures, "content/bad.png": b"not a picture", "content/doc.pdf": b"%PDF"})
    found = scan_tree(content / "content").files
    assert len(found) == 7
    parallel = read_files(found, tmp_path / "store-2", workers=2)
    serial = read_files(found, tmp_path / "store-1", workers=1)
    assert parallel == serial
    assert list(parallel) == ["content/bad.png", "content/doc.pdf", *(f"content/p{n}.jpg" for n in range(5))]
    assert parallel["content/p4.jpg"][1].picture.width == 204  # type: ignore[union-attr]
    assert parallel["content/bad.png"][1].problem.startswith("is not a picture")
    assert files_of(tmp_path / "store-2") == files_of(tmp_path / "store-1")


def test_svg_is_published_as_it_is_and_never_inlined_or_resized(tmp_path: Path) -> None:
    files = {"content/a.md": article_text(body="![شعار](logo.svg)\n"), "content/logo.svg": SVG}
    output = built(make_site(tmp_path, files))
    assert (output / "logo.svg").read_bytes() == SVG
    assert not any(path.startswith("logo-") for path in site_paths(output))
    [img] = story_imgs(output / "articles/a/index.html")
    assert img == {"src": ROOT + "logo.svg", "alt": "شعار"}  # first picture: no lazy loading; no size known
    for path in ("articles/a/index.html", "feed.xml", "feed.json"):
        assert "logo-mark" not in (output / path).read_text(encoding="utf-8")


# ---------------------------------------------------------------- symbolic links


def test_a_symbolic_link_to_a_file_inside_content_is_followed(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/a.md": article_text(body="![أ](lead.jpg)\n"), "content/shared/p.jpg": PHOTO})
    (root / "content/lead.jpg").symlink_to("shared/p.jpg")
    output = built(root)
    assert (output / "lead.jpg").read_bytes() == PHOTO
    assert not (output / "lead.jpg").is_symlink()
    assert story_imgs(output / "articles/a/index.html")[0]["src"] == ROOT + "lead-800w.webp"


def test_symbolic_links_to_folders_to_nothing_or_outside_are_refused(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/a.md": article_text(), "content/real/x.txt": "x", "elsewhere/o.jpg": PHOTO,
                                "elsewhere/s.txt": "s", "static/robots-extra.txt": "x"})  # fmt: skip
    before = files_of(built(root))
    (root / "content/folder").symlink_to("real", target_is_directory=True)
    (root / "content/broken.jpg").symlink_to("nothing.jpg")
    (root / "content/out.jpg").symlink_to(root / "elsewhere/o.jpg")
    (root / "static/s.txt").symlink_to("../elsewhere/s.txt")
    assert problems(build(root, "--no-cache")) == [
        "content/broken.jpg: is a symbolic link to nothing; remove it or point it at a file",
        "content/folder: is a symbolic link to a folder, which would publish that folder twice; remove the link",
        "content/out.jpg: is a symbolic link to a place outside its folder; copy the file in instead of linking to it",
        "static/s.txt: is a symbolic link to a place outside its folder; copy the file in instead of linking to it",
    ]
    assert files_of(root / "output") == before


def test_a_refused_link_added_after_a_build_fails_the_next_build_too(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/a.md": article_text(), "content/real/x.txt": "x"})
    built(root)
    (root / "content/folder").symlink_to("real", target_is_directory=True)
    assert problems(build(root)) == [  # not "nothing changed" because no file's stamp did
        "content/folder: is a symbolic link to a folder, which would publish that folder twice; remove the link"
    ]


# ---------------------------------------------------------------- two files for one path


@pytest.mark.parametrize(
    ("files", "toml", "expected"),
    [
        pytest.param({"content/docs/guide.pdf": b"a", "static/docs/guide.pdf": b"b"}, "",
                     "static/docs/guide.pdf: would be published as docs/guide.pdf, like content/docs/guide.pdf; "
                     "rename one of them", id="content-and-static"),
        pytest.param({"static/feed.xml": "<rss/>"}, "",
                     "static/feed.xml: would overwrite feed.xml, which the site generates; rename or move it",
                     id="static-feed"),
        pytest.param({"static/CNAME": "news.example.org\n"}, 'cname = "news.example.org"\n',
                     "static/CNAME: would overwrite CNAME, which the site generates; rename or move it",
                     id="static-cname"),
        pytest.param({"content/a/index.md": article_text(), "content/a/index.html": "<p>"}, "",
                     "content/a/index.html: would overwrite articles/a/index.html, which the site generates; "
                     "rename or move it", id="bundle-file-and-page"),
        pytest.param({"content/photo.jpg": PHOTO, "content/photo-480w.webp": encoded(photo(300, 200), "WEBP")}, "",
                     "content/photo.jpg (resized): would be published as photo-480w.webp, like "
                     "content/photo-480w.webp; rename one of them", id="file-named-like-a-variant"),
        pytest.param({"content/p.jpg": PHOTO, "static/p.jpg": PHOTO}, "",
                     "static/p.jpg: would be published as p.jpg, like content/p.jpg; rename one of them",
                     id="one-message-for-a-picture-and-its-resized-copies"),
    ],
)  # fmt: skip
def test_two_files_for_one_path_is_an_error_naming_both(
    tmp_path: Path, files: dict[str, str | bytes], toml: str, expected: str
) -> None:
    root = make_site(tmp_path, {"content/z.md": article_text(), **files}, toml)
    assert problems(build(root)) == [expected]


def test_two_files_whose_names_differ_only_in_normalization_are_an_error(tmp_path: Path) -> None:
    composed = "أخبار.pdf"
    decomposed = unicodedata.normalize("NFD", composed)  # as macOS once wrote names
    files: dict[str, str | bytes] = {"content/a.md": article_text(), f"content/{composed}": b"1"}
    root = make_site(tmp_path, {**files, f"content/{decomposed}": b"2"})
    assert problems(build(root)) == [
        f"content/{composed}: another file has the same name in another Unicode normalization (NFC and NFD, "
        f"{decomposed!a}); rename one of them"
    ]  # not one of them published in silence


def test_a_cname_in_static_is_published_when_the_site_does_not_write_one(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/a.md": article_text(), "static/CNAME": "news.example.org\n"})
    assert (built(root) / "CNAME").read_text(encoding="utf-8") == "news.example.org\n"


# ---------------------------------------------------------------- stories this build does not publish


def test_a_link_to_a_draft_warns_and_points_at_its_future_address(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/a.md": article_text(body="[مسودة](d.md#top) و[لاحقا](later.md)\n"),
        "content/d.md": article_text("مسودة", draft="true"),
        "content/later.md": article_text("لاحقا", date="2030-01-01T00:00:00+03:00"),
    })  # fmt: skip
    run = build(root)
    assert run.code == 0, run.err
    assert warnings_of(run) == [
        "content/a.md:5: warning: 'd.md#top' is a story this build does not publish (a draft, or scheduled); "
        "the link works once it is",
        "content/a.md:5: warning: 'later.md' is a story this build does not publish (a draft, or scheduled); "
        "the link works once it is",
    ]
    assert body_links(root / "output/articles/a/index.html") == [ROOT + "articles/d/#top", ROOT + "articles/later/"]
    run = build(root, "--drafts", "--future")
    assert run.code == 0 and not warnings_of(run), run.err
    assert (root / "output/articles/d/index.html").is_file()


def test_the_files_of_a_draft_bundle_are_not_published(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/a.md": article_text(),
        "content/d/index.md": article_text("مسودة", draft="true", body="![أ](photo.jpg)\n"),
        "content/d/photo.jpg": PHOTO,
        "content/d/notes.pdf": b"%PDF",
    })  # fmt: skip
    assert not any("photo" in path or "notes" in path for path in site_paths(built(root)))
    assert {"articles/d/photo.jpg", "articles/d/notes.pdf", "articles/d/photo-480w.webp"} <= site_paths(
        built(root, "--drafts")
    )


# ---------------------------------------------------------------- pictures on pages


LEAD = {
    "image": "photo.jpg",
    "image_alt": '"وزير يتحدث"',
    "image_caption": '"المؤتمر الصحفي"',
    "image_credit": '"تصوير: رويترز"',
}


def test_a_lead_picture_is_sized_eager_and_shared(tmp_path: Path) -> None:
    body = "نص.\n\n![مخطط](chart.png)\n\n![صورة خارجية](https://example.com/x.png)\n"
    files = {"content/a.md": article_text(body=body, **LEAD), "content/photo.jpg": PHOTO, "content/chart.png": CHART}
    output = built(make_site(tmp_path, files))
    page = output / "articles/a/index.html"
    lead, chart_img, remote = story_imgs(page)
    assert lead == {
        "src": ROOT + "photo-800w.webp",
        "srcset": f"{ROOT}photo-480w.webp 480w, {ROOT}photo-800w.webp 800w",
        "sizes": "(min-width: 46rem) 44rem, 100vw",
        "width": "800",
        "height": "500",
        "alt": "وزير يتحدث",
        "fetchpriority": "high",
    }
    assert (chart_img["loading"], chart_img["decoding"], chart_img["width"], chart_img["height"]) == (
        "lazy", "async", "500", "400",
    )  # fmt: skip
    assert (remote["loading"], "width" in remote, "srcset" in remote) == ("lazy", False, False)
    caption = lxml.html.fromstring(page.read_bytes()).xpath("//figure[@class='story-image']/figcaption")[0]
    assert caption.text_content() == "المؤتمر الصحفي تصوير: رويترز"
    shown = meta(page)
    assert shown["og:image"] == BASE + "photo-800w.jpg"
    assert (shown["og:image:type"], shown["og:image:width"], shown["og:image:height"]) == ("image/jpeg", "800", "500")
    assert shown["og:image:alt"] == "وزير يتحدث"
    assert shown["twitter:card"] == "summary_large_image"
    # The only story leads the front page, with its picture loaded at once and described.
    [front] = [img for img in tags(output / "index.html", "img") if img.get("class") == "lead-picture"]
    assert (front["src"], front.get("loading"), front["fetchpriority"], front["alt"]) == (
        ROOT + "photo-800w.webp", None, "high", "وزير يتحدث",
    )  # fmt: skip


def test_without_a_lead_picture_the_first_body_picture_loads_at_once(tmp_path: Path) -> None:
    body = "![أ](https://example.com/a.png)\n\n![ب](chart.png)\n\n![ج](chart.png)\n"
    output = built(make_site(tmp_path, {"content/a.md": article_text(body=body), "content/chart.png": CHART}))
    page = output / "articles/a/index.html"
    first, second, third = story_imgs(page)
    assert "loading" not in first and "decoding" not in first  # the first picture, even a remote one
    assert second["loading"] == third["loading"] == "lazy"
    assert second["srcset"] == third["srcset"] == f"{ROOT}chart-480w.webp 480w, {ROOT}chart-500w.webp 500w"
    assert meta(page)["twitter:card"] == "summary"
    assert "og:image" not in meta(page)


def test_a_lead_picture_without_image_alt_warns_but_an_empty_one_is_decorative(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/a.md": article_text(image="photo.jpg"),
        "content/b.md": article_text("ب", image="photo.jpg", image_alt='""'),
        "content/photo.jpg": PHOTO,
    })  # fmt: skip
    run = build(root)
    assert warnings_of(run) == [
        "content/a.md:4: warning: image_alt: the lead picture has no alt text; describe what it shows for readers "
        'who cannot see it (or write image_alt: "" when it is only decoration)'
    ]
    page = root / "output/articles/b/index.html"
    assert story_imgs(page)[0]["alt"] == ""
    assert "og:image:alt" not in meta(page)


def test_an_image_alt_key_without_a_value_warns_like_a_missing_one(tmp_path: Path) -> None:
    root = make_site(
        tmp_path, {"content/a.md": article_text(image="photo.jpg", image_alt=""), "content/photo.jpg": PHOTO}
    )
    assert [line.split(": ", 2)[2] for line in warnings_of(build(root))] == [
        "image_alt: the lead picture has no alt text; describe what it shows for readers "
        'who cannot see it (or write image_alt: "" when it is only decoration)'
    ]


def test_a_picture_that_says_where_it_was_taken_warns_that_its_original_is_public(tmp_path: Path) -> None:
    located = encoded(photo(300, 200), "JPEG", exif=camera_exif())
    story = article_text(image="gps.jpg", image_alt='"ص"')
    root = make_site(tmp_path, {"content/a.md": story, "content/gps.jpg": located, "content/plain.jpg": PHOTO})
    (line,) = warnings_of(build(root))
    assert line.startswith("content/gps.jpg: warning: the picture's EXIF says where it was taken (GPS)")
    assert (root / "output/gps.jpg").read_bytes() == located  # the original, as it is


def test_a_remote_lead_picture_has_no_size_and_no_enclosure(tmp_path: Path) -> None:
    files = {"content/a.md": article_text(image="https://cdn.example.com/p.jpg", image_alt='"ص"')}
    output = built(make_site(tmp_path, files))
    page = output / "articles/a/index.html"
    assert story_imgs(page)[0] == {"src": "https://cdn.example.com/p.jpg", "alt": "ص", "fetchpriority": "high"}
    assert meta(page)["og:image"] == "https://cdn.example.com/p.jpg"
    assert "og:image:width" not in meta(page)
    assert not feedparser.parse((output / "feed.xml").read_bytes()).entries[0].enclosures
    assert json.loads((output / "feed.json").read_text(encoding="utf-8"))["items"][0]["image"] == (
        "https://cdn.example.com/p.jpg"
    )


# ---------------------------------------------------------------- feeds


def _feed_site(root: Path) -> Path:
    return make_site(root, {
        "content/a/index.md": article_text("أ", body="نص.\n\n![مخطط](chart.png)\n", **LEAD),
        "content/a/photo.jpg": PHOTO,
        "content/a/chart.png": CHART,
        "content/b.md": article_text("ب", date="2025-06-29T10:00:00+03:00", image="logo.svg", image_alt='"شعار"'),
        "content/logo.svg": SVG,
    })  # fmt: skip


def test_feeds_carry_the_shared_jpeg_as_an_enclosure_with_its_real_length(tmp_path: Path) -> None:
    output = built(_feed_site(tmp_path))
    share = output / "articles/a/photo-800w.jpg"
    expected = (BASE + "articles/a/photo-800w.jpg", str(share.stat().st_size), "image/jpeg")
    # An SVG lead picture is shown on its page, but neither readers nor previews show SVG: not shared.
    for name in ("feed.xml", "atom.xml"):
        data = (output / name).read_bytes()
        etree.fromstring(data, STRICT)
        parsed = feedparser.parse(data)
        assert not parsed.bozo, parsed.get("bozo_exception")
        enclosures = [[(e.href, e.length, e.type) for e in entry.enclosures] for entry in parsed.entries]
        assert enclosures == [[expected], []], name
    rss = etree.fromstring((output / "feed.xml").read_bytes(), STRICT)
    first = next(rss.iter("enclosure"))
    assert (first.get("url"), first.get("length"), first.get("type")) == expected
    items = json.loads((output / "feed.json").read_text(encoding="utf-8"))["items"]
    assert [item.get("image") for item in items] == [expected[0], None]
    content = lxml.html.fragment_fromstring(items[0]["content_html"], create_parent="div")
    figure, body = content.iter("img")
    # Feeds carry the JPEG of each picture, which every reader shows.
    assert dict(figure.attrib) == {"src": BASE + "articles/a/photo-800w.jpg", "width": "800", "height": "500",
                                   "alt": "وزير يتحدث"}  # fmt: skip
    assert dict(body.attrib) == {"src": BASE + "articles/a/chart-500w.jpg", "width": "500", "height": "400",
                                 "alt": "مخطط"}  # fmt: skip
    assert content.xpath("//figcaption")[0].text_content() == "المؤتمر الصحفي تصوير: رويترز"


def test_every_picture_address_in_every_page_is_a_file_of_the_output(tmp_path: Path) -> None:
    root = _reference_site(tmp_path / "refs")
    write_tree(root, {"content/c/index.md": article_text("ج", body="![ش](/digest/images/logo.png)\n", **LEAD),
                      "content/c/photo.jpg": PHOTO})  # fmt: skip
    output = built(root)
    checked = 0
    for page in sorted(output.rglob("*.html")):
        for img in tags(page, "img"):
            urls = [img["src"], *srcset_urls(img.get("srcset", ""))] if img.get("srcset") else [img["src"]]
            for url in urls:
                if url.startswith("https://example.com/"):
                    continue
                assert output_file(output, url).is_file(), f"{page.relative_to(output)}: {url}"
                checked += 1
        for meta_tag in tags(page, "meta"):
            if meta_tag.get("property") == "og:image":
                assert output_file(output, meta_tag["content"]).is_file()
    assert checked == 15  # story a; c's lead picture and body picture; c's card on the home page and its month's


# ---------------------------------------------------------------- privacy and determinism


def test_variants_carry_no_gps_while_the_original_is_published_as_it_is(tmp_path: Path) -> None:
    original = encoded(photo(1000, 600), "JPEG", exif=camera_exif())
    output = built(make_site(tmp_path, {"content/a.md": article_text(image="p.jpg", image_alt='""'),
                                        "content/p.jpg": original}))  # fmt: skip
    assert (output / "p.jpg").read_bytes() == original  # published as the author gave it: GPS and all
    variants = sorted(output.glob("p-*"))
    assert [path.name for path in variants] == ["p-1000w.jpg", "p-1000w.webp", "p-480w.webp", "p-960w.webp"]
    for path in variants:
        with PILImage.open(path) as picture:
            exif = picture.getexif()
            assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD), path.name
            assert "exif" not in picture.info, path.name


def test_builds_are_byte_identical_with_and_without_the_cache(tmp_path: Path) -> None:
    first = built(_feed_site(tmp_path / "one"))
    second = _feed_site(tmp_path / "two")
    built(second)
    assert files_of(built(second, "--no-cache")) == files_of(first)  # second build, no cache
    assert files_of(second / "output") == files_of(first)


def test_a_picture_replaced_by_another_size_rebuilds_like_a_fresh_build(tmp_path: Path) -> None:
    root = _feed_site(tmp_path / "site")
    built(root)
    write_tree(root, {"content/a/photo.jpg": encoded(photo(1100, 500, seed=3), "JPEG")})
    incremental = files_of(built(root))
    assert "articles/a/photo-800w.webp" not in incremental  # the old width's variants are gone
    fresh = built(root, "--no-cache", "--output", str(tmp_path / "fresh"))
    assert files_of(fresh) == incremental


def test_a_bundle_renamed_or_withdrawn_moves_its_files_and_the_links_to_them(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {
        "content/a.md": article_text("أ", body="[ب](b/index.md) ![صورة ب](b/photo.jpg) [ملف](b/doc.pdf)\n"),
        "content/b/index.md": article_text("ب", body="نص.\n"),
        "content/b/photo.jpg": PHOTO,
        "content/b/doc.pdf": b"%PDF",
    })  # fmt: skip
    built(root)
    write_tree(root, {"content/b/index.md": article_text("ب", slug="جديد", body="نص.\n")})
    moved = files_of(built(root))
    assert not any(path.startswith("articles/b/") for path in moved)
    new = "%D8%AC%D8%AF%D9%8A%D8%AF"  # جديد
    assert body_links(root / "output/articles/a/index.html") == [
        f"{ROOT}articles/{new}/",
        f"{ROOT}articles/{new}/doc.pdf",
    ]
    assert story_imgs(root / "output/articles/a/index.html")[0]["src"] == f"{ROOT}articles/{new}/photo-800w.webp"
    assert moved == files_of(built(root, "--no-cache", "--output", str(tmp_path / "fresh")))
    write_tree(root, {"content/a.md": article_text("أ", body="نص.\n"),
                      "content/b/index.md": article_text("ب", slug="جديد", draft="true")})  # fmt: skip
    assert not any("photo" in path or "doc.pdf" in path for path in files_of(built(root)))


# ---------------------------------------------------------------- finish_html


PICTURE = Image(url="/s/p-960w.webp", srcset="/s/p-480w.webp 480w, /s/p-960w.webp 960w", width=960, height=600)


def _links(*pairs: tuple[str, Image | None]) -> tuple[Link, ...]:
    return tuple(Link(written, "/s/" + written, image) for written, image in pairs)


def test_finish_html_loads_the_first_eager_pictures_at_once_and_the_rest_lazily() -> None:
    fragment = '<p><img src="https://x.org/a.png" alt="a"><img src="p.jpg" alt="b"><img src="p.jpg" alt="c"></p>'
    links = _links(("p.jpg", PICTURE))
    eager = lxml.html.fragment_fromstring(finish_html(fragment, links, eager=1), create_parent="div")
    assert [(img.get("loading"), img.get("decoding")) for img in eager.iter("img")] == [
        (None, None), ("lazy", "async"), ("lazy", "async"),
    ]  # fmt: skip
    lazy = lxml.html.fragment_fromstring(finish_html(fragment, links), create_parent="div")
    assert [img.get("loading") for img in lazy.iter("img")] == ["lazy"] * 3
    assert finish_html(fragment, links, eager=2).count('loading="lazy"') == 1


def test_finish_html_sizes_local_pictures_and_keeps_what_the_author_wrote() -> None:
    links = _links(("p.jpg", PICTURE))
    assert finish_html('<img src="p.jpg" alt="ص">', links, eager=1) == (
        '<img src="/s/p-960w.webp" srcset="/s/p-480w.webp 480w, /s/p-960w.webp 960w" '
        'sizes="(min-width: 46rem) 44rem, 100vw" width="960" height="600" alt="ص">'
    )
    assert finish_html('<img src="p.jpg" width="300" alt="">', links, eager=1) == (
        '<img src="/s/p-960w.webp" srcset="/s/p-480w.webp 480w, /s/p-960w.webp 960w" '
        'sizes="(min-width: 46rem) 44rem, 100vw" width="300" height="188" alt="">'
    )  # the author's width, and the height that keeps the picture's shape
    authored = '<img src="p.jpg" alt="" loading="eager" title="t">'
    assert finish_html(authored, links).endswith(' alt="" decoding="async" loading="eager" title="t">')


def test_finish_html_escapes_ampersands_in_addresses() -> None:
    picture = Image(url="/s/a&b-960w.webp", srcset="/s/a&b-480w.webp 480w", width=960, height=600)
    links = (Link("a&amp;b.jpg", "/s/a%26b.jpg", picture), Link("doc.pdf?x=1&amp;y=2", "/s/doc.pdf?x=1&amp;y=2"))
    result = finish_html('<img src="a&amp;b.jpg" alt=""><a href="doc.pdf?x=1&amp;y=2">d</a>', links, eager=1)
    assert result == (
        '<img src="/s/a&amp;b-960w.webp" srcset="/s/a&amp;b-480w.webp 480w" sizes="(min-width: 46rem) 44rem, 100vw" '
        'width="960" height="600" alt=""><a href="/s/doc.pdf?x=1&amp;y=2">d</a>'
    )
    lxml.html.fragment_fromstring(result, create_parent="div")


def test_finish_html_for_feeds_gives_address_and_size_only() -> None:
    fragment = '<img src="p.jpg" alt="ص"><img src="https://x.org/a.png" alt="">'
    assert finish_html(fragment, _links(("p.jpg", PICTURE)), feed=True) == (
        '<img src="/s/p-960w.webp" width="960" height="600" alt="ص"><img src="https://x.org/a.png" alt="">'
    )


def test_finish_html_links_and_pictures_to_one_file_in_either_order() -> None:
    links = (Link("p.jpg", "/s/p.jpg"), Link("p.jpg", "/s/p.jpg", PICTURE))  # as body_refs orders an <a> first
    for fragment in ('<img src="p.jpg" alt=""><a href="p.jpg">x</a>', '<a href="p.jpg">x</a><img src="p.jpg" alt="">'):
        for ordered in (links, links[::-1]):
            result = finish_html(fragment, ordered, eager=1)
            assert 'src="/s/p-960w.webp"' in result and 'width="960"' in result, (fragment, ordered)
            assert 'href="/s/p.jpg"' in result


def test_addresses_in_code_samples_are_text_not_references(tmp_path: Path) -> None:
    body = 'الثغرة في `<img src="x.png" onerror="alert(1)">` و:\n\n```html\n<a href="page.md">صفحة</a>\n```\n'
    files = {"content/a.md": article_text(body=body + "\n[صفحة](page.md)\n"), "content/page.md": article_text("ص")}
    output = built(make_site(tmp_path, files))  # no "'x.png' names no file"
    page = (output / "articles/a/index.html").read_text(encoding="utf-8")
    assert '<code dir="ltr">&lt;img src="x.png" onerror="alert(1)"&gt;</code>' in page
    assert '&lt;a href="page.md"&gt;' in page  # the sample as written,
    assert body_links(output / "articles/a/index.html") == [ROOT + "articles/page/"]  # the link resolved
    fragment = '<p><code>&lt;a href="page.md"&gt;</code> <a href="page.md">x</a></p>'
    assert [ref.path for ref in body_refs(fragment, "", body, 1)] == ["page.md"]
    assert finish_html(fragment, (Link("page.md", "/s/page/"),)) == fragment.replace(
        '<a href="page.md"', '<a href="/s/page/"'
    )


def test_finish_html_leaves_a_fragment_without_links_or_pictures_alone() -> None:
    fragment = '<p>نص <a href="https://x.org/">رابط</a></p>'
    assert finish_html(fragment, ()) is fragment


# ---------------------------------------------------------------- reference and body_refs


@pytest.mark.parametrize(
    "written", ["https://x.org/a.png", "mailto:a@x.org", "#part", "?q=1", "//cdn.x.org/a.png", "data:image/png,x", ""]
)
def test_reference_leaves_external_addresses_and_fragments_alone(written: str) -> None:
    assert reference(written, "2025", 3) is None


def test_reference_resolves_from_the_story_folder() -> None:
    assert reference("img/p.jpg", "2025/06", 4, picture=True) == Ref("img/p.jpg", "2025/06/img/p.jpg", "", 4,
                                                                     picture=True)  # fmt: skip
    assert reference("../b/index.md#قسم", "2025/a", 2) == Ref("../b/index.md#قسم", "2025/b/index.md", "#قسم", 2)
    assert reference("./x.pdf?a=1&b=2", "", 1) == Ref("./x.pdf?a=1&b=2", "x.pdf", "?a=1&b=2", 1)
    assert reference("%D8%B5%D9%88%D8%B1%D8%A9.jpg", "", 1).path == "صورة.jpg"  # type: ignore[union-attr]
    decomposed = unicodedata.normalize("NFD", "أخبار.png")  # as some editors and file systems write it
    assert reference(decomposed, "", 1).path == "أخبار.png"  # type: ignore[union-attr]
    assert reference("../../x.jpg", "2025", 1).outside  # type: ignore[union-attr]
    assert not reference("../x.jpg", "2025", 1).outside  # type: ignore[union-attr]
    assert reference("/images/../logo.png", "2025", 1) == Ref("/images/../logo.png", "logo.png", "", 1, root=True)


def test_body_refs_records_each_reference_once_per_kind_with_its_line() -> None:
    source = "نص.\n\n![أ](p.jpg)\n\n[ب](p.jpg) [ج](https://x.org/)\n\n![د](p.jpg)\n"
    fragment = (
        '<p>نص.</p>\n<p><img alt="أ" src="p.jpg"></p>\n<p><a href="p.jpg">ب</a> <a href="https://x.org/">ج</a></p>'
    )
    refs = body_refs(fragment + '\n<p><img alt="د" src="p.jpg"></p>', "2025", source, 10)
    assert [(ref.path, ref.picture, ref.line) for ref in refs] == [("2025/p.jpg", True, 12), ("2025/p.jpg", False, 14)]


def test_body_refs_finds_an_address_written_with_an_entity() -> None:
    source = "نص عن x&y.png.\n\n![أ](x&amp;y.png)\n"
    [ref] = body_refs('<p>نص عن x&amp;y.png.</p>\n<p><img alt="أ" src="x&amp;y.png"></p>', "", source, 5)
    assert (ref.written, ref.path, ref.line) == ("x&amp;y.png", "x&y.png", 7)


def test_finish_html_output_is_well_formed_for_every_kind_of_img() -> None:
    fragment = '<img src="p.jpg"><img alt="" src="p.jpg" /><img src="q.png" alt="x &amp; y" title="&quot;t&quot;">'
    result = finish_html(fragment, _links(("p.jpg", PICTURE)), eager=1)
    document = lxml.html.fragment_fromstring(result, create_parent="div")
    assert [img.get("src") for img in document.iter("img")] == ["/s/p-960w.webp", "/s/p-960w.webp", "q.png"]
    assert document[2].get("alt") == "x & y" and document[2].get("title") == '"t"'


def test_a_picture_that_names_a_story_is_an_error(tmp_path: Path) -> None:
    """Found by the generated tests: ![…](story.md) gave an <img> whose address is a page."""
    root = make_site(tmp_path, {
        "content/a.md": article_text(body="![رسم](b.md)\n"),
        "content/b.md": article_text("ب", draft="true"),
        "content/c.md": article_text("ج", image="a.md", image_alt='""'),
    })  # fmt: skip
    assert problems(build(root)) == [
        "content/a.md:5: 'b.md' is a story, not a picture",
        "content/c.md:4: image: 'a.md' is a story, not a picture",
    ]


@pytest.mark.parametrize(("given", "expected"), [('width="64"', ('64', '40')), ('height="20"', ('32', '20')),
                                                 ('width="10" height="10"', ('10', '10'))])  # fmt: skip
def test_a_size_the_author_gave_in_part_is_completed_from_the_pictures_shape(
    tmp_path: Path, given: str, expected: tuple[str, str]
) -> None:
    """Found by the generated tests: a width alone left the height unknown, and the page moved."""
    picture = encoded(photo(128, 80), "PNG")
    root = make_site(tmp_path, {"content/a.md": article_text(body=f'<img src="p.png" alt="ر" {given}>\n'),
                                "content/p.png": picture})  # fmt: skip
    (img,) = story_imgs(built(root) / "articles/a/index.html")
    assert (img["width"], img["height"]) == expected


def test_a_favicon_in_static_is_the_icon_of_every_page(tmp_path: Path) -> None:
    icon = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'
    root = make_site(tmp_path, {"content/a.md": article_text(), "static/favicon.svg": icon})
    output = built(root)
    pages = sorted(output.rglob("*.html"))
    assert pages and all('<link rel="icon" href="/digest/favicon.svg">' in page.read_text("utf-8") for page in pages)
    assert (output / "favicon.svg").read_bytes() == icon
    (root / "static/favicon.svg").unlink()  # and without one, the layout's own icon, on every page again
    output = built(root)
    assert all('<link rel="icon" href="data:image/svg+xml,' in page.read_text("utf-8") for page in pages)
    built(root, "--no-cache", "--output", str(tmp_path / "clean"))
    assert files_of(output) == files_of(tmp_path / "clean")
