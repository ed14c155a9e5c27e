from pathlib import Path

from conftest import article_text, files_of, write_tree

from nashra.cache import CachedRenderer
from nashra.markup import Renderer
from nashra.model import html_checksum


def test_cached_html_equals_fresh_html_and_is_reused(tmp_path: Path) -> None:
    text = "## عنوان\n\nنص **غامق** <script>x</script>\n"
    first = CachedRenderer(tmp_path)
    assert first.render(text) == Renderer().render(text)
    (entry,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    entry.write_text(html_checksum("<p>from cache</p>") + "\n<p>from cache</p>", encoding="utf-8")
    assert CachedRenderer(tmp_path).render(text) == "<p>from cache</p>"


def test_a_damaged_entry_is_rendered_again_not_published(tmp_path: Path) -> None:
    text = "نص **غامق**\n"
    CachedRenderer(tmp_path).render(text)
    (entry,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    entry.write_text(entry.read_text(encoding="utf-8").replace("غامق", "مزوّر"), encoding="utf-8")
    assert CachedRenderer(tmp_path).render(text) == Renderer().render(text)
    assert "مزوّر" not in entry.read_text(encoding="utf-8")


def test_other_settings_miss_the_cache(tmp_path: Path) -> None:
    CachedRenderer(tmp_path, fingerprint="a").render("نص")
    other = CachedRenderer(tmp_path, fingerprint="b")
    assert other.key("نص") != CachedRenderer(tmp_path, fingerprint="a").key("نص")


def test_cached_and_uncached_builds_are_identical(site_dir: Path, build) -> None:
    write_tree(site_dir / "content", {"a.md": article_text(body="## عنوان\n\nنص[^1]\n\n[^1]: حاشية\n", tags="[أ]")})
    assert build().code == 0
    cold = files_of(site_dir / "output")
    assert any((site_dir / ".nashra-cache").rglob("*"))
    assert build().code == 0
    assert files_of(site_dir / "output") == cold
    assert build("--no-cache").code == 0
    assert files_of(site_dir / "output") == cold


def test_fingerprint_is_the_same_in_every_process() -> None:
    import subprocess
    import sys

    code = "from nashra.cache import settings_fingerprint; print(settings_fingerprint())"
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout for _ in "ab"
    }
    assert len(runs) == 1


def test_with_a_cache_bodies_stay_on_disk_until_rendered(tmp_path: Path) -> None:
    from conftest import make_config

    from nashra.pipeline import read_site

    write_tree(tmp_path / "content", {"a.md": article_text(body="## عنوان\n\nنص الخبر.\n")})
    config = make_config(tmp_path, cache_dir=tmp_path / ".nashra-cache")
    site, _ = read_site(config)
    (body,) = site.bodies.values()
    assert body.text == "" and Path(body.path).is_file()
    assert body.html == Renderer().render("## عنوان\n\nنص الخبر.\n")
    uncached, _ = read_site(make_config(tmp_path))
    (plain,) = uncached.bodies.values()
    assert plain.path == "" and plain.html == body.html
