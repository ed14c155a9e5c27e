import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOW, ROOT, article_text, files_of, write_tree

from nashra.cache import CachedRenderer
from nashra.markup import Renderer
from nashra.model import html_checksum
from nashra.state import _prune_bodies


def test_cached_html_equals_fresh_html_and_is_reused(tmp_path: Path) -> None:
    text = "## عنوان\n\nنص **غامق** <script>x</script>\n"
    first = CachedRenderer(tmp_path)
    assert first.render(text) == Renderer().render(text)
    (entry,) = [p for p in tmp_path.rglob("*") if p.is_file() and not p.suffix]
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


def test_a_refused_body_is_not_stored(tmp_path: Path) -> None:
    rendered, stored = CachedRenderer(tmp_path).render_body("- " * 100 + "x\n")
    assert rendered.errors and stored is None
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


DEEP = {
    "quotes.md": ">" * 300 + " x\n",  # Python-Markdown stopped nesting where its stack ran short
    "lists.md": "- " * 500 + "x\n",  # it overflowed the stack
}
AT_THE_LIMIT = {
    "quotes.md": "> " * 32 + "x\n",
    "lists.md": "".join("    " * level + "- بند\n" for level in range(32)),
    "emphasis.md": "*a " * 32 + "x" + " a*" * 32 + "\n",
}


@pytest.mark.parametrize("bodies", [DEEP, AT_THE_LIMIT], ids=["too deep", "at the limit"])
def test_deep_bodies_build_alike_with_and_without_the_cache_and_in_any_process(
    site_dir: Path, build, bodies: dict[str, str]
) -> None:
    """Output may not depend on the call stack: cached, uncached and fresh processes agree."""
    write_tree(site_dir / "content", {name: article_text(body=body) for name, body in bodies.items()})
    results = []
    for args in ((), (), ("--no-cache",)):
        run = build("-q", *args)
        results.append((run.code, problems(run.err), files_of(site_dir / "output") if run.code == 0 else {}))
    env = os.environ | {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    for seed in ("1", "2"):
        output = site_dir / f"out-{seed}"
        command = [sys.executable, "build.py", "--config", str(site_dir / "site.toml"), "--output", str(output), "-q"]
        done = subprocess.run(command, cwd=ROOT, env=env | {"PYTHONHASHSEED": seed}, capture_output=True, text=True)
        results.append((done.returncode, problems(done.stderr), files_of(output) if done.returncode == 0 else {}))
    assert all(result == results[0] for result in results[1:])
    assert results[0][0] == (1 if bodies is DEEP else 0)


def problems(stderr: str) -> list[str]:
    """The error and warning lines of a build, without the summary that names the output folder."""
    return [line for line in stderr.splitlines() if line.startswith("content/")]


EMBED = 'مقدمة.\n\n<iframe src="https://e.example/embed"></iframe>\n\n<p onclick="x()">نص</p>\n'


def test_warm_builds_report_the_sanitisers_warnings_too(site_dir: Path, build) -> None:
    write_tree(site_dir / "content", {"a.md": article_text(body=EMBED)})
    cold = build()
    assert "content/a.md:7: warning: removed <iframe>" in cold.err
    assert "content/a.md:9: warning: removed onclick= on <p>" in cold.err
    assert any(path.suffix == ".warnings" for path in (site_dir / ".nashra-cache").rglob("*"))
    warm = build()
    assert warm.err == cold.err
    assert build("--no-cache").err == cold.err


def test_an_entry_and_its_warnings_are_kept_and_pruned_together(tmp_path: Path) -> None:
    renderer = CachedRenderer(tmp_path)
    renderer.render(EMBED)
    renderer.render("نص عادي")
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 3
    assert _prune_bodies(tmp_path, {renderer.key("نص عادي")[2:]}) == 2
    assert _prune_bodies(tmp_path, {renderer.key(EMBED)[2:]}) == 1
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
