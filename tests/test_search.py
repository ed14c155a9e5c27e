"""The Pagefind index: built into the temporary tree before the swap, only from story bodies."""

import asyncio
import gzip
import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, article_text, files_of, run_cli, write_tree

import nashra.search


def build_sample(output: Path, *extra: str):
    return run_cli(["--config", str(ROOT / "site.toml"), "--output", str(output), *extra])


def test_index_holds_every_story_and_nothing_else(tmp_path: Path) -> None:
    assert build_sample(tmp_path / "out").code == 0
    entry = json.loads((tmp_path / "out/pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    stories = len(list((tmp_path / "out/articles").iterdir()))
    assert entry["languages"] == {"ar": entry["languages"]["ar"]}  # English stories share the Arabic index
    assert entry["languages"]["ar"]["page_count"] == stories
    page = (tmp_path / "out/search/index.html").read_text(encoding="utf-8")
    assert '<script src="/nashra/pagefind/pagefind-ui.js" defer></script>' in page
    assert 'data-base-url="/nashra/"' in page
    assert '<input id="q" type="search" name="q" dir="auto" dirname="q.dir">' in page


def test_no_script_blocks_rendering(tmp_path: Path) -> None:
    """Every external script is deferred, so the search page paints before Pagefind's UI loads."""
    assert build_sample(tmp_path / "out").code == 0
    pages = sorted((tmp_path / "out").rglob("*.html"))
    blocking = {
        f"{page.relative_to(tmp_path / 'out')}: {tag}"
        for page in pages
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", page.read_text(encoding="utf-8"))
        if not re.search(r"\s(defer|async)[\s>]|type=\"module\"", tag)
    }
    assert (tmp_path / "out/search/index.html") in pages
    assert not blocking, sorted(blocking)


def enable_search(site_dir: Path, scope: str = "full") -> None:
    toml = site_dir / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f'search = "{scope}"\n', encoding="utf-8")


def test_search_is_off_by_default(site_dir: Path, build) -> None:
    write_tree(site_dir / "content", {"a.md": article_text()})
    assert build().code == 0
    assert not (site_dir / "output/pagefind").exists()
    assert not (site_dir / "output/search").exists()


def indexed_text(output: Path) -> str:
    """Everything Pagefind stored for result excerpts (its fragments are gzip'd JSON)."""
    fragments = (output / "pagefind" / "fragment").iterdir()
    return "".join(gzip.decompress(path.read_bytes()).decode("utf-8") for path in sorted(fragments))


def test_headlines_scope_indexes_titles_and_standfirsts_only(site_dir: Path, build) -> None:
    body = "كلمةنادرةفيالمتن تأتي في المتن وحده.\n"
    files = {"a.md": article_text(title="عنوان فريد", summary='"ملخص مميز"', body=body)}
    write_tree(site_dir / "content", files)
    enable_search(site_dir, "headlines")
    assert build().code == 0
    headlines = indexed_text(site_dir / "output")
    assert "عنوان فريد" in headlines and "ملخص مميز" in headlines
    assert "كلمةنادرةفيالمتن" not in headlines
    toml = site_dir / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"headlines"', '"full"'), encoding="utf-8")
    assert build().code == 0
    assert "كلمةنادرةفيالمتن" in indexed_text(site_dir / "output")


def test_unknown_scope_is_a_config_error(site_dir: Path, build) -> None:
    enable_search(site_dir, "everything")
    result = build()
    assert result.code == 1
    assert "site.toml:5: search: must be one of off, headlines, full, got 'everything'" in result.err


def test_missing_pagefind_is_a_clear_error(site_dir: Path, build, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(site_dir / "content", {"a.md": article_text()})
    enable_search(site_dir)
    monkeypatch.setattr(nashra.search.importlib.util, "find_spec", lambda name: None)
    result = build()
    assert result.code == 1
    assert "search: Pagefind is not installed; run `python -m pip install 'pagefind[bin]'`" in result.err
    assert 'or set `search = "off"`' in result.err  # a value site.toml accepts
    assert not (site_dir / "output").exists()


def test_failed_indexing_keeps_the_previous_output(site_dir: Path, build, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(site_dir / "content", {"a.md": article_text()})
    enable_search(site_dir)
    assert build().code == 0
    before = files_of(site_dir / "output")
    write_tree(site_dir / "content", {"b.md": article_text(title="ثان")})

    def broken(command, **kwargs):
        return subprocess.CompletedProcess(command, 1, "", "Error: something went wrong\n")

    monkeypatch.setattr(nashra.search.subprocess, "run", broken)
    result = build()
    assert result.code == 1
    assert "search: Pagefind could not index the site: Error: something went wrong" in result.err
    assert files_of(site_dir / "output") == before
    assert sorted(p.name for p in site_dir.iterdir()) == [".nashra-cache", "content", "output", "site.toml"]


def test_a_site_whose_only_story_is_a_new_draft_builds(site_dir: Path, build) -> None:
    """What `new` creates on the first day: nothing published yet, so an empty index and a page that says so."""
    enable_search(site_dir)
    assert run_cli(["new", "أول خبر", "--config", str(site_dir / "site.toml")]).code == 0
    result = build()
    assert result.code == 0, result.err
    entry = json.loads((site_dir / "output/pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"] == {}  # a real, empty Pagefind index: a query finds nothing rather than failing
    page = (site_dir / "output/search/index.html").read_text(encoding="utf-8")
    assert "لم يُنشر أي خبر بعد، فلا شيء للبحث فيه." in page
    assert "pagefind-ui.js" not in page and "search.js" not in page  # no search box over an empty index
    assert build("--output", str(site_dir / "again")).code == 0
    assert files_of(site_dir / "again/pagefind") == files_of(site_dir / "output/pagefind")  # byte-identical too


def test_the_empty_index_is_written_inside_a_running_event_loop(site_dir: Path, build) -> None:
    """As when a build runs beside Playwright's or Jupyter's event loop: no asyncio.run() in that thread."""
    enable_search(site_dir)

    async def build_inside_a_loop():
        return build()

    with ThreadPoolExecutor(max_workers=1) as pool:  # a thread of the test's own: this one may run a loop already
        result = pool.submit(lambda: asyncio.run(build_inside_a_loop())).result()
    assert result.code == 0, result.err
    assert (site_dir / "output/pagefind/pagefind-entry.json").is_file()
