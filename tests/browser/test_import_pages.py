"""Stories imported from every kind of fixture feed build into pages that pass the Nu HTML Checker."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SITE_TOML, write_tree
from feed_server import FeedServer, serving
from test_import import AFTER_THE_FEEDS, SOURCES, serve_every_case, write_sources

from nashra.cli import main

from .test_html_validity import is_problem, run_checker, where

READABLE = ("الموقع بوست", "The Wire", "موقع قديم", "نشرة جيسون", "صحيفة عدن", "الكاذب", "معطوبة")


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from serving()


@pytest.mark.browser
def test_imported_story_pages_are_valid_html(tmp_path: Path, server: FeedServer, vnu_command: list[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(AFTER_THE_FEEDS.timestamp())))
    write_tree(tmp_path, {"site.toml": SITE_TOML, "content/.keep": ""})
    serve_every_case(server)
    write_sources(tmp_path, server, {name: (SOURCES[name][0], "draft = false") for name in READABLE})
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", "--config", str(tmp_path / "site.toml")], out, err) == 0, err.getvalue()
    assert main(["--config", str(tmp_path / "site.toml")], out, err) == 0, err.getvalue()
    pages = sorted((tmp_path / "output" / "articles").rglob("index.html"))
    assert len(pages) == 10

    problems = [
        f"{where(message, tmp_path / 'output')}: {message.get('message')}"
        for message in run_checker(vnu_command, pages)
        if is_problem(message)
    ]
    assert problems == []
