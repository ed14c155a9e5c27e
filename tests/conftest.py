"""Shared test helpers: in-memory configs and articles, file trees, and in-process builds."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from nashra.cli import main
from nashra.config import DEFAULT_LAYOUTS, SiteConfig
from nashra.model import Article

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = datetime(2025, 7, 15, tzinfo=UTC)

# Generated-input tests (test_generated.py): a fixed, derandomized set of examples by default, so CI
# is reproducible; NASHRA_FUZZ=N searches N random examples instead and keeps failures in .hypothesis/.
FUZZ = int(os.environ.get("NASHRA_FUZZ") or 0)
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large]
# A small site builds in well under a second. Long runs have no wall-clock deadline: they run for hours
# beside other work, and a starved process once took 18 s for a 1 s example. test_generated.py bounds
# each command's CPU time instead, which the machine's load does not change.
settings.register_profile("ci", derandomize=True, database=None, deadline=5000, suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("fuzz", print_blob=True, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.load_profile("fuzz" if FUZZ else "ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/fixtures/site/expected from a fresh build (review the diff like code)",
    )


def make_config(tmp_path: Path | None = None, **overrides: Any) -> SiteConfig:
    """A SiteConfig for tests; folders point into tmp_path when given."""
    values: dict[str, Any] = {
        "title": "نشرة الاختبار",
        "base_url": "https://example.github.io/digest/",
        "description": "موقع للاختبار",
        "layouts_dir": DEFAULT_LAYOUTS,
        "now": NOW,
    }
    if tmp_path is not None:
        values |= {"content_dir": tmp_path / "content", "output_dir": tmp_path / "output"}
    return SiteConfig(**(values | overrides))


def make_article(**overrides: Any) -> Article:
    """An Arabic Article with sensible defaults."""
    slug = overrides.pop("slug", "خبر")
    values: dict[str, Any] = {
        "source_path": f"content/{slug}.md",
        "slug": slug,
        "title": "عنوان الخبر",
        "date": datetime(2025, 6, 30, 11, 5, tzinfo=UTC),
        "updated": None,
        "tags": (),
        "source_name": "الرجل",
        "source_url": "",
        "author": "",
        "summary": "ملخص الخبر",
        "image": "",
        "lang": "ar",
        "dir": "rtl",
        "url": f"/digest/articles/{slug}/",
        "permalink": f"https://example.github.io/digest/articles/{slug}/",
        "id": f"https://example.github.io/digest/articles/{slug}/",
    }
    return Article(**(values | overrides))


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} under root; text is written as UTF-8 exactly."""
    for relative, data in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_bytes(data.encode("utf-8"))
    return root


SITE_TOML = """title = "نشرة الاختبار"
description = "موقع للاختبار"
base_url = "https://example.github.io/digest/"
per_page = 2
"""


def article_text(title: str = "خبر", date: str = "2025-06-30T10:00:00+03:00", **fields: str) -> str:
    """A content file: front matter lines from keyword arguments, then a body."""
    body = fields.pop("body", "نص الخبر الأول.\n")
    lines = [f'title: "{title}"', f"date: {date}", *(f"{key}: {value}" for key, value in fields.items())]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


class Run:
    """The outcome of an in-process command: exit code and captured streams."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def run_cli(args: list[str]) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A project folder with site.toml and an empty content/ folder."""
    write_tree(tmp_path, {"site.toml": SITE_TOML})
    (tmp_path / "content").mkdir()
    return tmp_path


@pytest.fixture
def build(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Build site_dir in-process with a fixed reference time."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))

    def run(*extra: str) -> Run:
        return run_cli(["--config", str(site_dir / "site.toml"), *extra])

    return run


def copy_site(tmp_path: Path, name: str = "site") -> Path:
    """A private copy of the sample site (content/, static/, layouts/, site.toml) to build or edit."""
    site = tmp_path / name
    shutil.copytree(ROOT / "content", site / "content")
    if (ROOT / "static").is_dir():
        shutil.copytree(ROOT / "static", site / "static")
    shutil.copytree(ROOT / "layouts", site / "layouts")
    shutil.copy(ROOT / "site.toml", site / "site.toml")
    return site


@pytest.fixture
def sample_site(tmp_path: Path) -> Path:
    """A copy of the repository's sample site to build or edit."""
    return copy_site(tmp_path, "sample")


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under root as {relative POSIX path: bytes}."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@contextlib.contextmanager
def source_date_epoch(value: str | int) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH (nashra's "now") for the duration; for tests that cannot use monkeypatch."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(value)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
