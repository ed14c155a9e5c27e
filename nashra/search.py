"""Full-text search with Pagefind: a static index that the browser queries, no server needed.

Pagefind reads the finished pages (their `<html lang>` picks the Arabic stemmer, which folds
diacritics, tatweel, hamza-on-alef and ة/ه) and writes its bundle into `pagefind/`. It runs on
the temporary output folder before the swap, so a failed index leaves the previous site alone.
Only story pages are read and only their `data-pagefind-body` is indexed; every page language goes
into one index (`--force-language`), so English stories are found from the Arabic search page.
A site with no story yet (only drafts, on its first day) gets an empty index from Pagefind's
Python API, because its command line refuses a folder without pages.
"""

from __future__ import annotations

import asyncio
import importlib.util
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .config import SiteConfig
from .errors import BuildError, Problem

BUNDLE = "pagefind/"
STORY_PAGES = "articles/**/*.html"  # only stories are indexed, so listings need not even be parsed
TIMEOUT_SECONDS = 600
VERSION_TIMEOUT_SECONDS = 60
NOT_INSTALLED = Problem("site.toml", None, "search: Pagefind is not installed; run "
                        "`python -m pip install 'pagefind[bin]'` or set `search = \"off\"`")  # fmt: skip


def search_problems(config: SiteConfig) -> list[Problem]:
    """What would stop index_site whatever the pages: Pagefind missing, or unable to start. For `check`."""
    if not config.has_search:
        return []
    if importlib.util.find_spec("pagefind") is None:
        return [NOT_INSTALLED]
    command = [sys.executable, "-m", "pagefind", "--version"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=VERSION_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return [Problem("search", None, f"Pagefind cannot start: no answer in {VERSION_TIMEOUT_SECONDS} s")]
    if result.returncode != 0:
        return [Problem("search", None, f"Pagefind cannot start: {_reason(result)}")]
    return []


def index_site(folder: Path, config: SiteConfig) -> None:
    """Write the Pagefind bundle into folder/pagefind/; raise BuildError when that fails."""
    if importlib.util.find_spec("pagefind") is None:
        raise BuildError([NOT_INSTALLED])
    language = config.language.split("-")[0]
    if next(folder.glob(STORY_PAGES), None) is None:
        _write_empty_index(folder / BUNDLE, language)
        return
    command = [
        sys.executable, "-m", "pagefind", "--site", str(folder), "--output-subdir", BUNDLE.rstrip("/"),
        "--force-language", language, "--glob", STORY_PAGES, "--silent",
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as error:
        raise BuildError([Problem("search", None, f"Pagefind did not finish in {TIMEOUT_SECONDS} s")]) from error
    if result.returncode != 0 or not (folder / BUNDLE / "pagefind.js").is_file():
        raise BuildError([Problem("search", None, f"Pagefind could not index the site: {_reason(result)}")])


def _reason(result: subprocess.CompletedProcess[str]) -> str:
    """The last line Pagefind printed, which names the problem, or its exit status."""
    detail = (result.stderr or result.stdout).strip().splitlines()
    return detail[-1] if detail else f"exit status {result.returncode}"


def _write_empty_index(bundle: Path, language: str) -> None:
    """An index of no pages, with Pagefind's scripts, so that a search finds nothing instead of failing."""
    from pagefind.index import IndexConfig, PagefindIndex

    async def write() -> None:
        async with PagefindIndex(IndexConfig(force_language=language, output_path=str(bundle))):
            pass  # leaving the block writes the files

    # In a thread of its own: the caller's thread may already run an event loop (Playwright, Jupyter).
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(lambda: asyncio.run(asyncio.wait_for(write(), TIMEOUT_SECONDS))).result()
    except Exception as error:  # the service reports failures as bare Exceptions
        raise BuildError([Problem("search", None, f"Pagefind could not write an empty index: {error}")]) from error
