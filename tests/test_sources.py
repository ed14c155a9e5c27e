"""sources.toml: the outlets `build.py import` reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from nashra.errors import BuildError
from nashra.sources import DEFAULT_MAX_ITEMS, Source, load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(BuildError) as caught:
        load_sources(path)
    return [f"{problem.line}: {problem.message}" for problem in caught.value.problems]


def test_sources_with_defaults_and_every_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[source]]\nname = "الموقع بوست"\nfeed = "https://example.com/feed/"\ntags = ["اليمن", "اليمن"]\n\n'
        '[[source]]\nname = "Wire"\nfeed = "https://wire.example/atom.xml"\nlang = "en"\nmax_items = 5\n'
        "full_text = true\ndraft = false\n",
    )
    first, second = load_sources(path)
    assert first == Source(name="الموقع بوست", feed="https://example.com/feed/", tags=("اليمن",), line=1)
    assert first.max_items == DEFAULT_MAX_ITEMS and first.draft and not first.full_text
    assert second == Source("Wire", "https://wire.example/atom.xml", (), "en", 5, True, False, line=6)


def test_every_problem_at_its_line_in_its_own_table(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[source]]\nname = "a"\nfeed = "https://a.example/feed"\n\n'
        '[[source]]\nname = "b"\nfed = "https://b.example/"\nmax_items = 0\nlang = "zz-nope"\n'
        'tags = "one"\n\n'
        '[[source]]\nname = "a"\nfeed = "ftp://c.example/"\ndraft = "no"\n',
    )
    assert problems(path) == [
        "5: feed: is required in every [[source]]; add `feed = ...`",
        "7: fed: unknown key; did you mean 'feed'?",
        "8: max_items: must be between 1 and 1000, got 0",
        "9: lang: unknown language tag 'zz-nope'; use a BCP 47 tag such as 'ar' or 'en'",
        "10: tags: must be a list of strings, got str 'one'",
        "14: feed: must be an absolute http(s) address, got 'ftp://c.example/'",
        "15: draft: must be true or false, got str 'no'",
    ]


def test_duplicate_names_and_feeds_point_at_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nname = "a"\nfeed = "https://a.example/"\n\n[[source]]\nname = " a "\n'
                 'feed = "https://b.example/"\n')  # fmt: skip
    assert problems(path) == ["6: name: 'a' is also the name of the source at line 1"]
    path = write(tmp_path, '[[source]]\nname = "a"\nfeed = "https://a.example/"\n\n[[source]]\nname = "b"\n'
                 'feed = "https://a.example/"\n')  # fmt: skip
    assert problems(path) == ["7: feed: is also the feed of the source at line 1"]


def test_names_that_fold_to_one_outlet_are_refused(tmp_path: Path) -> None:
    """The site makes one outlet of both spellings, so its feeds could not tell whose feed to credit."""
    path = write(tmp_path, '[[source]]\nname = "الموقع بوست"\nfeed = "https://a.example/"\n\n[[source]]\n'
                 'name = "الموقع بوسْت"\nfeed = "https://b.example/"\n')  # fmt: skip
    assert problems(path) == [
        "6: name: 'الموقع بوسْت' is the outlet of the source at line 1, spelt 'الموقع بوست' (case, hamza and "
        "tashkeel do not count); the feeds could not tell which feed to credit: name the two apart"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 'None: no sources: add a [[source]] table with name = "..." and feed = "..."'),
        ("title = 'x'\n", "1: title: unknown key; write [[source]] tables"),
        ("[[source]\n", "1: invalid TOML: Expected ']]' at the end of an array declaration"),
    ],
)
def test_file_level_problems(tmp_path: Path, text: str, expected: str) -> None:
    assert problems(write(tmp_path, text))[0] == expected


def test_missing_file_says_how_to_start(tmp_path: Path) -> None:
    assert "create it" in problems(tmp_path / "sources.toml")[0]
