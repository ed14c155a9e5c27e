"""Full-text search with Pagefind: a static index that the browser queries, no server needed.

Pagefind reads the finished pages (their `<html lang>` picks the Arabic stemmer, which folds
diacritics, tatweel, hamza-on-alef and ة/ه) and writes its bundle into `pagefind/`. It runs on
the temporary output folder before the swap, so a failed index leaves the previous site alone.
Only story pages are read and only their `data-pagefind-body` is indexed; every page language goes
into one index (`--force-language`), so English stories are found from the Arabic search page.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from .config import SiteConfig
from .errors import BuildError, Problem

BUNDLE = "pagefind/"
STORY_PAGES = "articles/**/*.html"  # only stories are indexed, so listings need not even be parsed
TIMEOUT_SECONDS = 600


def index_site(folder: Path, config: SiteConfig) -> None:
    """Write the Pagefind bundle into folder/pagefind/; raise BuildError when that fails."""
    if importlib.util.find_spec("pagefind") is None:
        raise BuildError([Problem("site.toml", None, "search: Pagefind is not installed; run "
                                  "`python -m pip install 'pagefind[bin]'` or set `search = false`")])  # fmt: skip
    command = [
        sys.executable, "-m", "pagefind", "--site", str(folder), "--output-subdir", BUNDLE.rstrip("/"),
        "--force-language", config.language.split("-")[0], "--glob", STORY_PAGES, "--silent",
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as error:
        raise BuildError([Problem("search", None, f"Pagefind did not finish in {TIMEOUT_SECONDS} s")]) from error
    if result.returncode != 0 or not (folder / BUNDLE / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit status {result.returncode}"
        raise BuildError([Problem("search", None, f"Pagefind could not index the site: {reason}")])
