"""Incremental builds: after any sequence of edits, output/ equals a clean build, byte for byte."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import NOW, ROOT, SITE_TOML, article_text, files_of, run_cli, write_tree
from conftest import source_date_epoch as clock
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from picture_fixtures import encoded, photo
from PIL import Image

from nashra.state import BuildState

EPOCH = int(NOW.timestamp())
DAY = 86_400
EXAMPLES = int(os.environ.get("NASHRA_FUZZ", "0")) or 25


def project(
    root: Path, stories: Mapping[str, str | bytes] | None = None, static: Mapping[str, str | bytes] | None = None
) -> Path:
    """A site with its own copy of the layouts (so tests can edit them), a few stories and static files."""
    write_tree(root, {"site.toml": SITE_TOML})
    shutil.copytree(ROOT / "layouts", root / "layouts")
    write_tree(root / "content", dict(stories if stories is not None else START))
    write_tree(root / "static", dict(static or {}))
    return root


def picture(n: int, suffix: str = ".jpg") -> bytes:
    """A small photo whose size and pixels follow from n: 160 to 580 pixels wide, so some get two variants."""
    width, height = 160 + (n * 89) % 421, 100 + (n * 53) % 261
    return encoded(photo(width, height, seed=n), "PNG" if suffix == ".png" else "JPEG")


START = {
    "2025/06/ميتا.md": article_text("ميتا تعيد ترتيب أوراقها", "2025-06-29T10:00:00+03:00", tags="[ميتا, تقنية]"),
    "2025/06/ماسك.md": article_text("ماسك يرد", "2025-06-30T09:00:00+03:00", tags="[سياسة]", source="الرجل"),
    "2025/07/openai.md": article_text("OpenAI تطلق نموذجا", "2025-07-01", tags="[تقنية]", body="نص **طويل**.\n"),
    "2025/07/later.md": article_text("خبر مجدول", "2025-07-20T08:00:00+03:00", tags="[سياسة]"),
    "2025/07/draft.md": article_text("مسودة", "2025-07-02", draft="true"),
}


# The same site with pictures and files: a lead picture beside a story, a bundle with a picture in
# its body, a picture of static/ and a link between stories, and a file that is no picture.
PICTURED: dict[str, str | bytes] = {
    "2025/07/later.md": START["2025/07/later.md"],
    "2025/07/draft.md": START["2025/07/draft.md"],
    "2025/06/ميتا.md": article_text(
        "ميتا تعيد ترتيب أوراقها", "2025-06-29T10:00:00+03:00", tags="[ميتا, تقنية]", image="ميتا.jpg",
        image_alt='"شعار ميتا"', body="نص الخبر.\n\n[ملاحظات](notes.txt)\n",
    ),
    "2025/06/ميتا.jpg": picture(1),
    "2025/06/notes.txt": "ملاحظات المحرر\n",
    "2025/06/ماسك.md": article_text(
        "ماسك يرد", "2025-06-30T09:00:00+03:00", tags="[سياسة]", source="الرجل",
        body="نص.\n\n![شعار](/images/logo.png)\n\n[اقرأ أيضا](../07/openai/index.md)\n",
    ),
    "2025/07/openai/index.md": article_text(
        "OpenAI تطلق نموذجا", "2025-07-01", tags="[تقنية]", body="نص **طويل**.\n\n![رسم بياني](chart.png)\n"
    ),
    "2025/07/openai/chart.png": picture(2, ".png"),
}  # fmt: skip
STATIC = {"images/logo.png": picture(3, ".png")}


def build(site: Path, *extra: str, output: str = "output") -> tuple[int, str, str]:
    result = run_cli(["--config", str(site / "site.toml"), "--output", str(site / output), *extra])
    return result.code, result.out, result.err


def clean_build(site: Path, scratch: Path, *extra: str) -> tuple[int, dict[str, bytes], str]:
    """The reference: a build from nothing, without any cache; exit code, files and warnings."""
    target = scratch / "reference"
    shutil.rmtree(target, ignore_errors=True)
    result = run_cli(["--config", str(site / "site.toml"), "--output", str(target), "--no-cache", *extra])
    err = result.err.replace(str(target), str(site / "output"))  # "…; output/ left unchanged" names the folder
    return result.code, files_of(target) if result.code == 0 else {}, err


def state_files(site: Path) -> dict[str, bytes]:
    folder = BuildState(site / ".nashra-cache", site / "output").folder
    return files_of(folder) if folder.is_dir() else {}


# ---------------------------------------------------------------- scenarios


def test_a_second_build_with_nothing_changed_touches_nothing(tmp_path: Path) -> None:
    site = project(tmp_path / "site")
    with clock(EPOCH):
        code, first, _ = build(site)
        assert code == 0
        before = {path: (p.stat().st_ino, p.stat().st_mtime_ns) for path, p in _paths(site / "output")}
        code, out, _ = build(site)
    assert code == 0 and "nothing changed" in out
    counts = re.compile(r": (.*?); skipped")  # the fast path reports what the build before it counted
    assert counts.search(out)[1] == counts.search(first)[1] and " 1 outlet, " in out  # type: ignore[index]
    assert {path: (p.stat().st_ino, p.stat().st_mtime_ns) for path, p in _paths(site / "output")} == before


def _paths(root: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.relative_to(root).as_posix(), path


def test_a_body_edit_remakes_its_page_and_feeds_but_no_listing(tmp_path: Path) -> None:
    site = project(tmp_path / "site")
    story = site / "content/2025/06/ميتا.md"
    with clock(EPOCH):
        build(site)
        story.write_text(story.read_text(encoding="utf-8") + "\nفقرة جديدة لا تغير الملخص.\n", encoding="utf-8")
        code, out, _ = build(site, "--explain", "articles/ميتا/", "--explain", "index.html", "--explain", "feed.xml")
    assert code == 0
    assert "articles/ميتا/index.html: made: the data it is made from changed" in out
    assert "index.html: kept" in out
    assert "feed.xml: made" in out


def test_a_retitle_remakes_the_listings_that_show_it(tmp_path: Path) -> None:
    site = project(tmp_path / "site")
    story = site / "content/2025/06/ماسك.md"
    with clock(EPOCH):
        build(site)
        story.write_text(story.read_text(encoding="utf-8").replace("ماسك يرد", "ماسك يرد بقوة"), encoding="utf-8")
        code, out, _ = build(site, "--explain", "index.html", "--explain", "tags/تقنية/")
    assert code == 0
    assert "index.html: made" in out and "tags/تقنية/index.html: kept" in out
    assert "ماسك يرد بقوة" in (site / "output/index.html").read_text(encoding="utf-8")


def test_a_sources_toml_edit_remakes_just_the_feeds_that_credit_its_outlets(tmp_path: Path) -> None:
    site = project(tmp_path / "site")
    made = ("feed.xml", "tags/سياسة/atom.xml", "sources/الرجل/feed.xml")  # they show ماسك, from الرجل
    kept = ("tags/تقنية/feed.xml", "feed.json", "index.html", "articles/ماسك/index.html", "sources/index.html")
    explain = [arg for path in (*made, *kept) for arg in ("--explain", path)]
    with clock(EPOCH):
        assert build(site)[0] == 0
        (site / "sources.toml").write_text('[[source]]\nname = "الرَّجُل"\nfeed = "https://example.com/f"\n', "utf-8")
        code, out, _ = build(site, *explain)
        assert code == 0
        assert all(f"\n{path}: made: the data it is made from changed" in out for path in made), out
        assert all(f"\n{path}: kept" in out for path in kept), out  # JSON Feed has no <source>: kept too
        assert '<source url="https://example.com/f">الرَّجُل</source>' in (site / "output/feed.xml").read_text("utf-8")
        (site / "sources.toml").unlink()
        code, out, _ = build(site, "--explain", "feed.xml", "--explain", "index.html")
        assert code == 0 and "feed.xml: made" in out and "index.html: kept" in out
        assert "<source" not in (site / "output/feed.xml").read_text("utf-8")
        assert files_of(site / "output") == clean_build(site, tmp_path)[1]


def test_a_failed_build_leaves_output_and_state_exactly_as_they_were(tmp_path: Path) -> None:
    site = project(tmp_path / "site")
    with clock(EPOCH):
        build(site)
        output, state = files_of(site / "output"), state_files(site)
        (site / "content/bad.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
        (site / "content/2025/06/ماسك.md").write_text(article_text("عنوان جديد"), encoding="utf-8")
        assert build(site)[0] == 1
        assert files_of(site / "output") == output and state_files(site) == state
        layout = site / "layouts/article.html"
        broken = layout.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}{{ missing.value }}")
        layout.write_text(broken, encoding="utf-8")
        (site / "content/bad.md").unlink()
        assert build(site)[0] == 1
        assert files_of(site / "output") == output and state_files(site) == state
        layout.write_text((ROOT / "layouts/article.html").read_text(encoding="utf-8"), encoding="utf-8")
        assert build(site)[0] == 0
        assert files_of(site / "output") == clean_build(site, tmp_path)[1]
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".output")) == []


def test_two_output_folders_sharing_a_cache_keep_each_others_bodies(tmp_path: Path) -> None:
    one = project(tmp_path / "one")
    with clock(EPOCH):
        assert build(one)[0] == 0
        (one / "content/2025/07/other-only.md").write_text(article_text("خبر آخر", body="نص مختلف.\n"))
        assert build(one, output="other")[0] == 0
        (one / "content/2025/07/other-only.md").unlink()
        assert build(one)[0] == 0  # prunes, but must keep what the other folder's build uses
        bodies = list((one / ".nashra-cache/bodies").rglob("*"))
        assert any("نص مختلف" in p.read_text(encoding="utf-8") for p in bodies if p.is_file())
        (one / "content/2025/07/other-only.md").write_text(article_text("خبر آخر", body="نص مختلف.\n"))
        assert build(one, output="other")[0] == 0
        assert files_of(one / "other") == clean_build(one, tmp_path)[1]


def test_a_killed_builds_leftovers_are_removed_by_the_next_build(tmp_path: Path) -> None:
    site = project(tmp_path / "site")
    leftover = site / ".output.tmp-999999999-x"
    (leftover / "articles").mkdir(parents=True)
    with clock(EPOCH):
        assert build(site)[0] == 0
    assert not leftover.exists()


# ---------------------------------------------------------------- pictures and files


def store_files(site: Path) -> dict[str, bytes]:
    """The picture store: every entry and variant file."""
    return files_of(site / ".nashra-cache/pictures")


@pytest.mark.parametrize("damage", ["deleted", "altered"])
def test_a_damaged_variant_in_the_store_is_made_again(tmp_path: Path, damage: str) -> None:
    site = project(tmp_path / "site", PICTURED, STATIC)
    with clock(EPOCH):
        assert build(site)[0] == 0
        store = store_files(site)
        variants = sorted(path for path in (site / ".nashra-cache/pictures").rglob("*w.*"))
        for variant in variants[:2]:  # two pictures' files: each is found when it is needed
            if damage == "deleted":
                variant.unlink()
            else:
                data = variant.read_bytes()
                variant.write_bytes(bytes([data[0] ^ 1]) + data[1:])  # same size, other bytes
        shutil.rmtree(site / "output")  # every variant must be read from the store again
        code, _, err = build(site)
        assert code == 0, err
        assert files_of(site / "output") == clean_build(site, tmp_path)[1]
    assert store_files(site) == store


class Counted:
    """Counts the calls of a function it stands in for."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.function(*args, **kwargs)


def test_a_picture_is_processed_once_and_then_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nashra import pictures

    site = project(tmp_path / "site", PICTURED, STATIC)
    processed, decoded = Counted(pictures.process), Counted(pictures._make)
    monkeypatch.setattr(pictures, "process", processed)
    monkeypatch.setattr(pictures, "_make", decoded)

    def counts() -> tuple[int, int]:
        found = processed.calls, decoded.calls
        processed.calls = decoded.calls = 0
        return found

    story, lead = site / "content/2025/06/ماسك.md", site / "content/2025/06/ميتا.jpg"
    with clock(EPOCH):
        assert build(site)[0] == 0
        assert counts() == (3, 3)  # the lead picture, the bundle's and the one of static/
        story.write_text(story.read_text(encoding="utf-8") + "\nفقرة.\n", encoding="utf-8")
        assert build(site)[0] == 0
        assert counts() == (0, 0)
        os.utime(lead, ns=(lead.stat().st_atime_ns, lead.stat().st_mtime_ns + 10**9))  # touched, same bytes
        assert build(site)[0] == 0
        assert counts() == (0, 0)
        shutil.rmtree(site / "output")
        code, out, _ = build(site, "--explain", "2025/06/ميتا.jpg")
        assert code == 0 and "2025/06/ميتا.jpg: made: the output folder is missing" in out
        assert counts() == (0, 0)
        assert files_of(site / "output") == clean_build(site, tmp_path)[1]
        counts()
        shutil.rmtree(site / ".nashra-cache/builds")  # the state is gone, the store is not
        assert build(site)[0] == 0
        assert counts() == (3, 0)
        lead.write_bytes(picture(4))
        assert build(site)[0] == 0
        assert counts() == (1, 1)
        assert files_of(site / "output") == clean_build(site, tmp_path)[1]


def explained(site: Path, paths: Iterable[str]) -> dict[str, str]:
    """Build with --explain for each path: path -> "made: why" or "kept: …"."""
    asked = [arg for path in sorted(paths) for arg in ("--explain", path)]
    code, out, err = build(site, *asked)
    assert code == 0, err
    found = (line.partition(": ") for line in out.splitlines() if ": made: " in line or ": kept: " in line)
    reasons = {path: reason for path, _, reason in found}
    if reasons.keys() == files_of(site / "output").keys():  # every output asked about: the report agrees
        made = sum(reason.startswith("made: ") for reason in reasons.values())
        assert f"made {made} file{'s' if made != 1 else ''}, kept {len(reasons) - made}" in out
    return reasons


def made_and_kept(reasons: dict[str, str]) -> tuple[set[str], set[str]]:
    made = {path for path, reason in reasons.items() if reason.startswith("made: ")}
    return made, reasons.keys() - made


def test_an_unchanged_pictures_outputs_are_kept(tmp_path: Path) -> None:
    site = project(tmp_path / "site", PICTURED, STATIC)
    story = site / "content/2025/06/ماسك.md"
    with clock(EPOCH):
        assert build(site)[0] == 0
        story.write_text(story.read_text(encoding="utf-8") + "\nفقرة.\n", encoding="utf-8")
        made, kept = made_and_kept(explained(site, files_of(site / "output")))
        files = {path for path in kept if path.endswith((".jpg", ".png", ".webp", ".txt")) and "/" in path}
        assert len(files) == 10  # three pictures, each with its WebP and its JPEG for feeds, and the notes
        assert {"2025/06/ميتا.jpg", "articles/openai/chart.png", "images/logo.png", "2025/06/notes.txt"} <= files
        assert made == {"articles/ماسك/index.html", "feed.xml", "atom.xml", "feed.json", "tags/سياسة/feed.xml",
                        "tags/سياسة/atom.xml", "sources/الرجل/feed.xml", "sources/الرجل/atom.xml"}  # fmt: skip
        code, out, _ = build(site)
    assert code == 0 and "nothing changed" in out


# What shows ميتا's lead picture: its page, the page of the story that lists it as related, the
# listings (the front page's grid among them) and feeds that carry it (June's archive too, not
# July's), and the tags page, which is handed whole tag groups.
SHOWING_THE_LEAD = {
    "articles/ميتا/index.html", "articles/openai/index.html", "index.html", "tags/ميتا/index.html",
    "archive/2025/06/index.html",
    "tags/تقنية/index.html", "tags/index.html", "feed.xml", "atom.xml", "feed.json", "tags/ميتا/feed.xml",
    "tags/ميتا/atom.xml", "tags/تقنية/feed.xml", "tags/تقنية/atom.xml",
}  # fmt: skip


@pytest.mark.parametrize("size", ["other size", "same size"])
def test_a_replaced_picture_remakes_its_variants_and_the_pages_that_show_it(tmp_path: Path, size: str) -> None:
    site = project(tmp_path / "site", PICTURED, STATIC)
    lead = site / "content/2025/06/ميتا.jpg"
    with clock(EPOCH):
        assert build(site)[0] == 0
        before = files_of(site / "output")
        with Image.open(lead) as old:
            width, height = old.size
        lead.write_bytes(picture(4) if size == "other size" else encoded(photo(width, height, seed=99), "JPEG"))
        expected = clean_build(site, tmp_path)[1]
        reasons = explained(site, {*before, *expected})
        made, kept = made_and_kept(reasons)
        assert files_of(site / "output") == expected
    variants = {path for path in expected if path.startswith("2025/06/ميتا")}
    assert len(variants) == (4 if size == "other size" else 3)  # the original, one or two WebP, one JPEG
    assert made == SHOWING_THE_LEAD | variants
    assert kept == expected.keys() - made
    changed = {path for path in expected if before.get(path) != expected[path]}
    assert changed <= made
    assert reasons["2025/06/ميتا.jpg"] == "made: the file it is published from changed"
    resized = "made: new output" if size == "other size" else "made: the picture it is resized from changed"
    assert {reasons[path] for path in variants if path.endswith(".webp")} == {resized}


def test_a_variant_or_copy_changed_by_hand_in_output_is_restored(tmp_path: Path) -> None:
    site = project(tmp_path / "site", PICTURED, STATIC)
    with clock(EPOCH):
        assert build(site)[0] == 0
        expected = files_of(site / "output")
        for path in ("2025/06/ميتا-249w.webp", "images/logo-427w.jpg", "2025/06/ميتا.jpg"):
            data = expected[path]
            (site / "output" / path).write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # same size, same tick
        (site / "output/2025/06/notes.txt").unlink()
        made, _ = made_and_kept(explained(site, ["2025/06/ميتا-249w.webp", "2025/06/notes.txt", "index.html"]))
    assert made == {"2025/06/ميتا-249w.webp", "2025/06/notes.txt"}
    assert files_of(site / "output") == expected


def test_the_fast_path_sees_files_of_static_and_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nashra import pipeline

    site = project(tmp_path / "site", PICTURED, STATIC)
    took: list[bool] = []
    check = pipeline._Build._nothing_changed
    monkeypatch.setattr(pipeline._Build, "_nothing_changed", lambda *args: took.append(check(*args)) or took[-1])

    def fast() -> bool:
        took.clear()
        code, _, err = build(site)
        assert code == 0, err
        return took == [True]

    logo = site / "static/images/logo.png"
    with clock(EPOCH):
        assert not fast()
        assert fast()  # pictures in the site, nothing changed
        os.utime(logo, ns=(logo.stat().st_atime_ns, logo.stat().st_mtime_ns - 10**9))  # touched, same bytes
        assert not fast()
        assert fast()
        (site / "static/robots-extra.txt").write_text("x\n", encoding="utf-8")
        assert not fast()
        (site / "content/2025/06/notes.txt").unlink()
        assert not fast()
        assert fast()
        assert files_of(site / "output") == clean_build(site, tmp_path)[1]


def stored_pictures(site: Path) -> set[str]:
    """The digests of the pictures the store holds."""
    return {path.stem for path in (site / ".nashra-cache/pictures").rglob("*.json")}


def test_the_store_is_pruned_of_pictures_no_output_folder_uses(tmp_path: Path) -> None:
    from nashra.state import digest_bytes

    site = project(tmp_path / "site", PICTURED, STATIC)
    lead = site / "content/2025/06/ميتا.jpg"
    first, second = digest_bytes(lead.read_bytes()), digest_bytes(picture(4))
    with clock(EPOCH):
        assert build(site)[0] == 0
        assert first in stored_pictures(site) and len(stored_pictures(site)) == 3
        lead.write_bytes(picture(4))
        assert build(site)[0] == 0
        assert first not in stored_pictures(site) and second in stored_pictures(site)
        assert not any(path.name.startswith(first) for path in (site / ".nashra-cache/pictures").rglob("*"))
        assert build(site, output="other")[0] == 0  # a second output folder sharing the cache uses `second`
        lead.write_bytes(picture(1))
        assert build(site)[0] == 0
        assert {first, second} <= stored_pictures(site)
        assert build(site, output="other")[0] == 0  # now neither uses `second`
        assert second not in stored_pictures(site) and len(stored_pictures(site)) == 3
        shutil.rmtree(site / "other")
        lead.write_bytes(picture(4))
        assert build(site)[0] == 0  # the other folder is gone: its state goes, and what only it used
        lead.write_bytes(picture(1))
        assert build(site)[0] == 0
        assert second not in stored_pictures(site)
        assert files_of(site / "output") == clean_build(site, tmp_path)[1]


def test_a_link_the_content_folder_refuses_fails_the_build_even_when_nothing_else_changed(tmp_path: Path) -> None:
    site = project(tmp_path / "site", PICTURED, STATIC)
    outside = tmp_path / "secret.png"
    outside.write_bytes(picture(9))
    with clock(EPOCH):
        assert build(site)[0] == 0
        for folder in ("content", "static"):
            link = site / folder / "linked.png"
            link.symlink_to(outside)
            code, _, err = build(site)
            assert (code, err) == clean_build(site, tmp_path)[::2]
            assert code == 1 and "symbolic link to a place outside" in err
            link.unlink()


@pytest.mark.parametrize("command", ["build", "check"])
def test_the_output_folder_may_not_replace_the_static_folder(tmp_path: Path, command: str) -> None:
    site = project(tmp_path / "site", PICTURED, {**STATIC, ".keep": "kept\n"})
    before = files_of(site / "static")
    with clock(EPOCH):
        result = run_cli([command, "--config", str(site / "site.toml"), "--output", str(site / "static")])
    assert result.code == 1 and f"output folder would replace {site / 'static'}" in result.err
    assert files_of(site / "static") == before


def test_files_that_look_like_pages_or_feeds_are_not_counted_as_such(tmp_path: Path) -> None:
    site = project(tmp_path / "site", PICTURED, STATIC)
    with clock(EPOCH):
        out = build(site)[1]
        write_tree(site / "static", {"about.html": "<p>عنا</p>\n", "docs/feed.xml": "<rss/>\n"})
        write_tree(site / "content", {"2025/06/feed.json": "{}\n"})
        assert build(site, "--no-cache")[1].split(";")[0] == out.split(";")[0]  # "3 articles, …, 10 pages, 9 feeds"


def test_two_jobs_for_one_path_are_an_error() -> None:
    from nashra.plan import FILE, Job, duplicate_paths

    jobs = [Job("a.html", FILE, "", bytes, lambda: (b"1",)), Job("a.html", FILE, "", bytes, lambda: (b"2",))]
    error = duplicate_paths(jobs)
    assert error is not None and "two pages would be written" in str(error)
    assert duplicate_paths(jobs[:1]) is None


# ---------------------------------------------------------------- the property


EDITS = st.sampled_from([
    "add", "delete", "rename", "retitle", "retag", "date", "updated", "draft", "slug", "body",
    "layout", "card", "stylesheet", "config", "clock", "drop-cache", "damage-cache", "damage-state",
    "delete-output", "edit-output", "broken-story", "stray-output", "drafts-flag", "placeholder",
    # pictures and other files
    "lead-picture", "body-picture", "static-picture", "replace-picture", "delete-file", "rename-file",
    "bundle", "link", "move-story", "notes", "touch-file", "damage-picture", "damage-store",
    "edit-output-file", "outside-link", "borrow", "copy-picture", "static-file", "collide", "drop-output",
    # outlets and tag naming
    "source", "tag-aliases", "outlet-feeds",
    # the front page: which story leads, and how page 1 is laid out
    "featured", "front-page",
])  # fmt: skip
# A reference in a story's body: a link or a picture, `[text](target)` or `![text](target)`.
BODY_REF = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]+)\)")


class Editor:
    """Applies named edits to a project; `step` numbers keep every new value distinct."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.step = 0
        self.pick = 0
        self.epoch = EPOCH
        self.flags: tuple[str, ...] = ()
        self.undo: dict[Path, bytes | None] = {}  # what the last edit's files held before it (None: nothing)

    def stories(self) -> list[Path]:
        return sorted((self.site / "content").rglob("*.md"))

    def files(self, pictures_only: bool = False) -> list[Path]:
        """Every file of content/ and static/ that is not a story (or only the pictures)."""
        found = (path for folder in ("content", "static") for path in (self.site / folder).rglob("*"))
        suffixes = (".jpg", ".png") if pictures_only else (".jpg", ".png", ".txt")
        return sorted(path for path in found if path.suffix in suffixes and not path.is_symlink())

    def chosen(self, items: list[Path]) -> Path | None:
        return items[self.pick % len(items)] if items else None

    def apply(self, edit: str, pick: int) -> None:
        self.step += 1
        self.pick = pick
        self.undo.clear()
        story = self.chosen(self.stories())
        getattr(self, "_" + edit.replace("-", "_"))(story, self.step)

    def repair(self, errors: str) -> None:
        """Fix what made the build fail, as an author would: undo the last edit's broken files, drop
        the references and `updated` dates the build reported. A deleted file comes back every other time."""
        restored = set()
        for path, data in self.undo.items():
            if data is None:
                path.unlink(missing_ok=True)
            elif self.step % 2 or path.is_file():  # spoilt, or deleted (an even step drops its references)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                restored.add(path)
        self.undo.clear()
        reported: dict[Path, set[int]] = {}
        for label, line, message in re.findall(r"^([^\n]+?\.md):(\d+): ([^\n]*)$", errors, re.MULTILINE):
            story = self.site / label
            if not story.is_file():
                continue
            if message.startswith("updated: "):
                self._drop_line(story, "updated")  # earlier than the story's (edited) date
            else:
                reported.setdefault(story, set()).add(int(line))
        for story, lines in reported.items():
            text = story.read_text(encoding="utf-8")

            def keep(written: str, line: int, folder: Path = story.parent, lines: set[int] = lines) -> str | None:
                return written if line not in lines or self._resolve(written, folder) in restored else None

            story.write_text(_map_refs(text, keep), encoding="utf-8")

    # ------------------------------------------------------------ references and moves

    def _resolve(self, written: str, folder: Path) -> Path:
        """The file a reference written in a story of `folder` names."""
        if written.startswith("/"):
            return self.site / "static" / written.lstrip("/")
        return Path(os.path.normpath(folder / written))

    def _move(self, moves: dict[Path, Path]) -> None:
        """Move files and rewrite every reference to a moved file (and every reference in a moved
        story), as a careful author would."""
        rewritten: dict[Path, str] = {}
        for story in self.stories():
            text = story.read_text(encoding="utf-8")
            home = moves.get(story, story).parent

            def retarget(written: str, line: int, story: Path = story, home: Path = home) -> str:
                target = self._resolve(written, story.parent)
                if not target.is_file():
                    return written  # already broken: left for the build to report
                target = moves.get(target, target)
                if written.startswith("/"):
                    return "/" + target.relative_to(self.site / "static").as_posix()
                return Path(os.path.relpath(target, home)).as_posix()

            updated = _map_refs(text, retarget)
            if updated != text:
                rewritten[moves.get(story, story)] = updated
        for old, new in moves.items():
            new.parent.mkdir(parents=True, exist_ok=True)
            old.rename(new)
        for story, text in rewritten.items():
            story.write_text(text, encoding="utf-8")

    def _new_picture(self, folder: Path, n: int) -> str:
        """A picture written into folder; its name."""
        suffix = ".png" if n % 3 == 0 else ".jpg"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"pic-{n}{suffix}").write_bytes(picture(n, suffix))
        return f"pic-{n}{suffix}"

    def _drop_line(self, story: Path, key: str) -> None:
        text = story.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")
        lines = [line for line in head.split("\n") if not line.startswith(f"{key}:")]
        story.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")

    def _rewrite(self, story: Path | None, old: str, new: str) -> None:
        if story is not None:
            text = story.read_text(encoding="utf-8")
            story.write_text(text.replace(old, new, 1) if old in text else text, encoding="utf-8")

    def _front_line(self, story: Path | None, key: str, value: str) -> None:
        if story is None:
            return
        head, _, body = story.read_text(encoding="utf-8").partition("\n---\n")
        lines = [line for line in head.split("\n") if not line.startswith(f"{key}:")]
        story.write_text("\n".join([*lines, f"{key}: {value}"]) + "\n---\n" + body, encoding="utf-8")

    def _add(self, story: Path | None, n: int) -> None:
        day = 1 + n % 27
        path = self.site / f"content/2025/07/new-{n}.md"
        path.write_text(article_text(f"خبر جديد {n}", f"2025-07-{day:02d}T1{n % 10}:00:00+03:00", tags=f"[وسم{n % 3}]"))

    def _delete(self, story: Path | None, n: int) -> None:
        if story is not None:
            story.unlink()

    def _rename(self, story: Path | None, n: int) -> None:
        if story is not None:
            story.rename(story.with_name(f"renamed-{n}.md"))

    def _retitle(self, story: Path | None, n: int) -> None:
        self._front_line(story, "title", f'"عنوان معدل {n}"')

    def _retag(self, story: Path | None, n: int) -> None:
        self._front_line(story, "tags", f"[تقنية, جديد{n % 2}]")

    def _date(self, story: Path | None, n: int) -> None:
        # Across years and months (the archives move a story between them), and into the days before
        # the clock (the news sitemap). In Riyadh, 22:30 UTC on 31 May is already June.
        moments = (
            f"2025-06-{1 + n % 28:02d}T08:00:00+03:00",
            "2024-12-31T20:30:00+00:00",
            "2025-05-31T22:30:00+00:00",
            f"2025-07-{12 + n % 3}T08:00:00+03:00",  # the 12th is outside the window, the 13th and 14th in it
        )
        self._front_line(story, "date", moments[n % len(moments)])

    def _updated(self, story: Path | None, n: int) -> None:
        self._front_line(story, "updated", "2025-07-14T12:00:00+03:00")

    def _draft(self, story: Path | None, n: int) -> None:
        self._front_line(story, "draft", "true" if n % 2 else "false")

    def _slug(self, story: Path | None, n: int) -> None:
        self._front_line(story, "slug", f"slug-{n}")

    def _body(self, story: Path | None, n: int) -> None:
        if story is not None:
            # Odd edits add a footnote (its mark follows the site's digits) and a phone number (kept left to right).
            extra = f"\nاتصل على +966 55 123 {n:04d}[^n{n}].\n\n[^n{n}]: حاشية {n}.\n" if n % 2 else ""
            story.write_text(story.read_text(encoding="utf-8") + f"\nفقرة {n}.\n" + extra, encoding="utf-8")

    def _layout(self, story: Path | None, n: int) -> None:
        self._append(self.site / "layouts/article.html", f"{{# {n} #}}<!-- {n} -->\n")

    def _card(self, story: Path | None, n: int) -> None:
        self._append(self.site / "layouts/partials/card.html", f"<!-- card {n} -->\n")

    def _stylesheet(self, story: Path | None, n: int) -> None:
        self._append(self.site / "layouts/assets/style.css", f"/* {n} */\n")

    def _append(self, path: Path, text: str) -> None:
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    def _config(self, story: Path | None, n: int) -> None:
        toml = SITE_TOML.replace("per_page = 2", f"per_page = {2 + n % 2}").replace("للاختبار", f"للاختبار {n}")
        toml += f'timezone_label = "بتوقيت {n % 3}"\n' if n % 3 else ""  # shown after story times
        toml += 'digits = "arab"\n' if n % 4 >= 2 else ""  # every number in the chrome, footnote marks too
        toml += 'month_style = "levant"\n' if n % 5 >= 3 else ""  # month names on archive pages
        (self.site / "site.toml").write_text(toml, encoding="utf-8")

    # Spellings of one outlet that fold together (case, tashkeel), another outlet, and none at all.
    OUTLETS = ("الرجل", "الرَّجُل", "Reuters", "REUTERS", "رويترز", None)

    def _source(self, story: Path | None, n: int) -> None:
        outlet = self.OUTLETS[n % len(self.OUTLETS)]
        if outlet is None:
            if story is not None:
                self._drop_line(story, "source")
        else:
            self._front_line(story, "source", f'"{outlet}"')

    # sources.toml: an outlet the stories use (spelt with tashkeel there), its feed moved and another outlet
    # added, a broken file (the build fails; repair restores the previous one), and no file at all.
    OUTLET_FEEDS = (
        '[[source]]\nname = "الرَّجُل"\nfeed = "https://example.com/alrajul/feed"\n',
        '[[source]]\nname = "الرجل"\nfeed = "https://example.com/alrajul/rss?v=2&x=1"\n\n'
        '[[source]]\nname = "Reuters"\nfeed = "https://example.com/reuters"\n',
        '[[source]]\nname = "رويترز"\nfeed = "ftp://example.com/broken"\n',
        None,
    )

    def _outlet_feeds(self, story: Path | None, n: int) -> None:
        path = self.site / "sources.toml"
        text = self.OUTLET_FEEDS[n % len(self.OUTLET_FEEDS)]
        if text is None:
            path.unlink(missing_ok=True)
            return
        if "ftp:" in text:
            self.undo[path] = path.read_bytes() if path.is_file() else None
        path.write_text(text, encoding="utf-8")

    # [tags.aliases] and [tags.names] that merge tags the stories use, rename one, or change nothing.
    TAG_TABLES = (
        '[tags.aliases]\n"ميتا" = "تقنية"\n',
        '[tags.aliases]\n"جديد0" = "جديد1"\n"وسم1" = "سياسة"\n',
        '[tags.names]\n"تقنية" = "تِقنية"\n',
        '[tags.aliases]\n"Meta" = "ميتا"\n[tags.names]\n"سياسة" = "سِياسة"\n',
        "",
    )

    def _tag_aliases(self, story: Path | None, n: int) -> None:
        toml = SITE_TOML + self.TAG_TABLES[n % len(self.TAG_TABLES)]
        (self.site / "site.toml").write_text(toml, encoding="utf-8")

    def _featured(self, story: Path | None, n: int) -> None:
        self._front_line(story, "featured", "true" if n % 3 else "false")

    def _front_page(self, story: Path | None, n: int) -> None:
        """The front page's settings change; `config` (which rewrites site.toml) drops them again."""
        path = self.site / "site.toml"
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("home_")]
        lines += [f"home_grid = {n % 3}", f"home_sections = {n % 4}", f"home_section_items = {1 + n % 2}"]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _clock(self, story: Path | None, n: int) -> None:
        self.epoch += 4 * DAY

    def _drop_cache(self, story: Path | None, n: int) -> None:
        shutil.rmtree(self.site / ".nashra-cache", ignore_errors=True)

    def _damage_cache(self, story: Path | None, n: int) -> None:
        for path in sorted((self.site / ".nashra-cache/bodies").rglob("*"))[:2]:
            if path.is_file():
                path.write_text("0" * 32 + "\n<p>damaged</p>", encoding="utf-8")

    def _damage_state(self, story: Path | None, n: int) -> None:
        folder = BuildState(self.site / ".nashra-cache", self.site / "output").folder
        files = sorted(folder.glob("*"))
        first = self.pick % max(len(files), 1)
        for path in files[first : first + 1 + n % 3]:
            path.write_bytes(path.read_bytes()[: n % 7])

    def _drop_output(self, story: Path | None, n: int) -> None:
        shutil.rmtree(self.site / "output", ignore_errors=True)  # as on CI, where only the cache is kept

    def _delete_output(self, story: Path | None, n: int) -> None:
        files = sorted(p for p in (self.site / "output").rglob("*") if p.is_file())
        if files:
            files[n % len(files)].unlink()

    def _edit_output(self, story: Path | None, n: int) -> None:
        files = sorted(p for p in (self.site / "output").rglob("*.html"))
        if files:
            target = files[n % len(files)]
            data = target.read_bytes()
            target.write_bytes(data[:-1] + (b"X" if data[-1:] != b"X" else b"Y"))  # same size, same tick

    def _stray_output(self, story: Path | None, n: int) -> None:
        if (self.site / "output").is_dir():
            (self.site / f"output/stray-{n}.html").write_text("stray", encoding="utf-8")

    def _drafts_flag(self, story: Path | None, n: int) -> None:
        self.flags = () if self.flags else ("--drafts",)

    def _placeholder(self, story: Path | None, n: int) -> None:
        if story is not None:  # an empty body: a warning that depends on --drafts for a draft
            head, _, _ = story.read_text(encoding="utf-8").partition("\n---\n")
            story.write_text(head + "\n---\n", encoding="utf-8")

    def _broken_story(self, story: Path | None, n: int) -> None:
        broken = self.site / f"content/broken-{n}.md"
        broken.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
        self.undo[broken] = None

    # ------------------------------------------------------------ pictures and other files

    def _lead_picture(self, story: Path | None, n: int) -> None:
        if story is None:
            return
        self._front_line(story, "image", self._new_picture(story.parent, n))
        if n % 4:
            self._front_line(story, "image_alt", f'"صورة {n}"')
        else:
            self._drop_line(story, "image_alt")  # a picture without alt text: a warning

    def _body_picture(self, story: Path | None, n: int) -> None:
        if story is not None:
            self._append(story, f"\n![صورة {n}]({self._new_picture(story.parent, n)})\n")

    def _static_picture(self, story: Path | None, n: int) -> None:
        name = "/images/" + self._new_picture(self.site / "static/images", n)
        if story is not None and n % 2:
            self._front_line(story, "image", name)
            self._front_line(story, "image_alt", f'"شعار {n}"')
        elif story is not None:
            self._append(story, f"\n![شعار {n}]({name})\n")

    def _replace_picture(self, story: Path | None, n: int) -> None:
        target = self.chosen(self.files(pictures_only=True))
        if target is not None:  # another photo, of another size, under the same name
            target.write_bytes(picture(n, target.suffix))

    def _delete_file(self, story: Path | None, n: int) -> None:
        target = self.chosen(self.files())
        if target is not None:
            self.undo[target] = target.read_bytes()
            target.unlink()

    def _rename_file(self, story: Path | None, n: int) -> None:
        target = self.chosen(self.files())
        if target is not None:
            self._move({target: target.with_name(f"{target.stem}-r{n}{target.suffix}")})

    def _bundle(self, story: Path | None, n: int) -> None:
        """A story becomes a bundle (its folder, its index.md and the files it shows), or a bundle a story again."""
        if story is None:
            return
        if story.name == "index.md":
            folder = story.parent
            members = [path for path in sorted(folder.rglob("*")) if path.is_file() and path != story]
            moves = {story: folder.parent / f"{folder.name}.md"}
            moves |= {path: folder.parent / path.relative_to(folder) for path in members}
        else:
            folder = story.parent / story.stem
            shown = {self._resolve(written, story.parent) for written in _refs(story.read_text(encoding="utf-8"))}
            beside = sorted(path for path in shown if path.parent == story.parent and path.suffix != ".md")
            moves = {story: folder / "index.md"} | {path: folder / path.name for path in beside if path.is_file()}
        taken = any(new.exists() for new in moves.values()) if story.name == "index.md" else folder.exists()
        if taken:
            return  # an author would choose other names
        self._move(moves)
        if story.name == "index.md" and not any(folder.rglob("*")):
            shutil.rmtree(folder)

    def _link(self, story: Path | None, n: int) -> None:
        stories = self.stories()
        if story is not None:
            target = stories[n % len(stories)]
            self._append(story, f"\n[اقرأ أيضا {n}]({Path(os.path.relpath(target, story.parent)).as_posix()})\n")

    def _move_story(self, story: Path | None, n: int) -> None:
        if story is not None:  # renamed with its links: unlike `rename`, nothing breaks
            self._move({story: story.with_name(f"moved-{n}.md")})

    def _notes(self, story: Path | None, n: int) -> None:
        if story is not None:
            (story.parent / f"notes-{n}.txt").write_text(f"ملاحظات {n}\n", encoding="utf-8")
            if n % 2:
                self._append(story, f"\n[ملاحظات](notes-{n}.txt)\n")

    def _touch_file(self, story: Path | None, n: int) -> None:
        target = self.chosen(self.files())
        if target is not None:  # a new modification time, the same bytes
            os.utime(target)

    def _damage_picture(self, story: Path | None, n: int) -> None:
        target = self.chosen(self.files(pictures_only=True))
        if target is not None:
            data = self.undo[target] = target.read_bytes()
            target.write_bytes(data[: len(data) // 2] if n % 2 else b"not a picture")

    def _damage_store(self, story: Path | None, n: int) -> None:
        stored = sorted(path for path in (self.site / ".nashra-cache/pictures").rglob("*") if path.is_file())
        first = self.pick % max(len(stored), 1)
        for path in stored[first : first + 1 + n % 2]:  # a variant or an entry, or two, maybe of two pictures
            data = path.read_bytes()
            if n % 3:
                path.write_bytes(bytes([data[0] ^ 1]) + data[1:])  # same size, other bytes
            else:
                path.unlink()

    def _edit_output_file(self, story: Path | None, n: int) -> None:
        files = sorted(p for p in (self.site / "output").rglob("*.*") if p.suffix in (".webp", ".jpg", ".png", ".txt"))
        target = self.chosen(files)
        if target is not None:
            data = target.read_bytes()
            target.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # same size, same tick

    def _outside_link(self, story: Path | None, n: int) -> None:
        outside = self.site.parent / "outside.png"
        outside.write_bytes(picture(n))
        folder = self.site / ("content" if n % 2 else "static")
        folder.mkdir(exist_ok=True)
        link = folder / f"linked-{n}.png"
        link.symlink_to(outside)
        self.undo[link] = None

    def _borrow(self, story: Path | None, n: int) -> None:
        """Show a picture from beside another story (a bundle's files are its own: an error when it is unpublished)."""
        found = [path for path in self.files(pictures_only=True) if path.is_relative_to(self.site / "content")]
        if story is not None and found:
            target = Path(os.path.relpath(found[n % len(found)], story.parent)).as_posix()
            self._append(story, f"\n![مستعارة {n}]({target})\n")

    def _copy_picture(self, story: Path | None, n: int) -> None:
        """The same picture twice: one entry in the store for two files."""
        source = self.chosen(self.files(pictures_only=True))
        if story is not None and source is not None:
            (story.parent / f"copy-{n}{source.suffix}").write_bytes(source.read_bytes())
            self._append(story, f"\n![نسخة {n}](copy-{n}{source.suffix})\n")

    def _static_file(self, story: Path | None, n: int) -> None:
        path = self.site / "static" / (f".well-known/security-{n}.txt" if n % 2 else f"docs/file-{n}.txt")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"ملف {n}\n", encoding="utf-8")

    def _collide(self, story: Path | None, n: int) -> None:
        """A file of static/ at a path the site already publishes: a page, a feed, a picture or its variant."""
        target = self.chosen(sorted(files_of(self.site / "output")) if (self.site / "output").is_dir() else [])
        if target is not None:
            path = self.site / "static" / target
            self.undo[path] = path.read_bytes() if path.is_file() else None
            path.parent.mkdir(parents=True, exist_ok=True)
            is_picture = path.suffix in (".jpg", ".png", ".webp")
            path.write_bytes(picture(n, ".png") if is_picture else f"يصطدم {n}\n".encode())


def _refs(text: str) -> list[str]:
    """The local references of a story: its `image` and the targets of its links and pictures."""
    found: list[str] = []
    _map_refs(text, lambda written, line: found.append(written) or written)
    return found


def _map_refs(text: str, change: Callable[[str, int], str | None]) -> str:
    """The story with each local reference changed (given with its line); None drops it (a link keeps its text)."""
    head, separator, body = text.partition("\n---\n")
    lines: list[str | None] = list(head.split("\n"))
    dropped = False
    for index, line in enumerate(head.split("\n")):
        if line.startswith("image: ") and "://" not in line:
            changed = change(line.removeprefix("image: "), index + 1)
            dropped = dropped or changed is None
            lines[index] = None if changed is None else f"image: {changed}"
    kept = [line for line in lines if line is not None and not (dropped and line.startswith("image_alt:"))]
    first = len(head.split("\n")) + 2  # the body's first line: after the front matter and its closing ---

    def replace(match: re.Match[str]) -> str:
        bang, label, target = match.groups()
        if "://" in target:
            return match.group()
        changed = change(target, first + body.count("\n", 0, match.start()))
        if changed is None:
            return "" if bang else label
        return f"{bang}[{label}]({changed})"

    return "\n".join(kept) + separator + BODY_REF.sub(replace, body)


# Random sequences of a few edits meet each kind of file edit only now and then; these two meet all
# of them in every run: a picture's life (shown, replaced, bundled, renamed, deleted, restored) and
# the rest (files of static/, the store and output/ damaged, pictures shared and borrowed).
A_PICTURES_LIFE = [
    ("lead-picture", 0), ("replace-picture", 4), ("bundle", 1), ("rename-file", 3), ("link", 4),
    ("move-story", 0), ("delete-file", 5), ("bundle", 0), ("bundle", 1), ("body-picture", 3), ("delete-file", 1),
]  # fmt: skip
THE_OTHER_FILE_EDITS = [
    ("static-picture", 3), ("notes", 0), ("touch-file", 6), ("damage-store", 0), ("drop-output", 0),
    ("edit-output-file", 4), ("borrow", 0), ("static-file", 0), ("draft", 4), ("copy-picture", 1),
    ("outside-link", 0), ("collide", 7), ("damage-picture", 2),
]  # fmt: skip
# Outlets and tag names: a story moves between spellings of one outlet and to another, tags merge and split.
OUTLETS_AND_NAMES = [
    ("source", 0), ("tag-aliases", 0), ("source", 1), ("retag", 0), ("tag-aliases", 1), ("source", 2),
    ("tag-aliases", 2), ("source", 5), ("tag-aliases", 3), ("add", 1), ("source", 4), ("tag-aliases", 4),
]  # fmt: skip
# The outlets' feeds of sources.toml: written, changed, broken and repaired, removed; stories change outlets.
OUTLET_FEEDS = [
    ("outlet-feeds", 0), ("source", 1), ("outlet-feeds", 1), ("source", 2), ("outlet-feeds", 2), ("source", 4),
    ("outlet-feeds", 3), ("outlet-feeds", 1), ("source", 5), ("outlet-feeds", 0),
]  # fmt: skip


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("NASHRA_FUZZ"),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.tuples(EDITS, st.integers(0, 50)), min_size=1, max_size=7))
@example(A_PICTURES_LIFE)
@example(THE_OTHER_FILE_EDITS)
@example(OUTLETS_AND_NAMES)
@example(OUTLET_FEEDS)
def test_any_edit_sequence_gives_the_output_of_a_clean_build(edits: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        site = project(root / "site", PICTURED, STATIC)
        editor = Editor(site)
        with clock(editor.epoch):
            assert build(site)[0] == 0
        for edit, pick in edits:
            editor.apply(edit, pick)
            # After the edit: some edits change output/ or the cache themselves, and a failed
            # build must then leave them exactly as the edit left them.
            before_output, before_state = files_of(site / "output"), state_files(site)
            with clock(editor.epoch):
                code, _, err = build(site, *editor.flags)
                expected_code, expected, expected_err = clean_build(site, root, *editor.flags)
            assert code == expected_code, (edit, err)
            assert err == expected_err, edit  # the same warnings or errors, whatever was reused
            if code == 0:
                assert files_of(site / "output") == expected, edit
            else:
                assert files_of(site / "output") == before_output, edit
                assert state_files(site) == before_state, edit
                editor.repair(err)  # the next step builds again


def test_a_file_changed_in_the_tick_it_was_recorded_is_read_not_trusted(tmp_path: Path) -> None:
    from nashra.incremental import intact
    from nashra.state import Stamp, digest_bytes

    page = tmp_path / "page.html"
    page.write_bytes(b"original")
    recorded = page.stat()
    stamp = Stamp(recorded.st_size, recorded.st_mtime_ns, digest_bytes(b"original"))
    page.write_bytes(b"changed!")  # same size; then the same mtime, as on a coarse clock
    os.utime(page, ns=(recorded.st_atime_ns, recorded.st_mtime_ns))
    now = page.stat()
    assert intact(tmp_path, "page.html", stamp, now, saved_ns=recorded.st_mtime_ns) is None
    assert intact(tmp_path, "page.html", stamp, now, saved_ns=recorded.st_mtime_ns + 1) == stamp


def test_an_unchanged_content_file_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import make_config

    from nashra import collect

    write_tree(tmp_path / "content", {"a.md": article_text("أ"), "b.md": article_text("ب")})
    config = make_config(tmp_path)
    _, sources = collect.read_sources(config)
    read: list[str] = []
    original = collect.prepare_chunk
    monkeypatch.setattr(
        collect, "prepare_chunk", lambda cfg, tasks: read.extend(t.label for t in tasks) or original(cfg, tasks)
    )
    (tmp_path / "content/b.md").write_text(article_text("ب معدل"), encoding="utf-8")
    far_future = 2**62
    prepared, _ = collect.read_sources(config, previous=sources, trusted_before_ns=far_future)
    assert read == ["content/b.md"]
    assert [item.entry.title for item in prepared if item.entry] == ["أ", "ب معدل"]
    read.clear()
    collect.read_sources(config, previous=sources, trusted_before_ns=0)  # nothing trusted: all read
    assert sorted(read) == ["content/a.md", "content/b.md"]


def test_the_search_index_follows_story_edits_and_equals_a_clean_build(tmp_path: Path) -> None:
    site = project(tmp_path / "site")
    (site / "site.toml").write_text(SITE_TOML + 'search = "full"\n', encoding="utf-8")
    story = site / "content/2025/06/ماسك.md"
    with clock(EPOCH):
        assert build(site)[0] == 0
        code, out, _ = build(site, "--explain", "tags/")
        assert code == 0 and "nothing changed" in out
        story.write_text(story.read_text(encoding="utf-8") + "\nكلمة-فريدة-للبحث\n", encoding="utf-8")
        assert build(site)[0] == 0
        assert files_of(site / "output") == clean_build(site, tmp_path)[1]
        (site / "output/pagefind/pagefind.js").unlink()
        assert build(site)[0] == 0
        assert files_of(site / "output") == clean_build(site, tmp_path)[1]
