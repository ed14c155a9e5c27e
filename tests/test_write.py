from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import files_of

from nashra.errors import BuildError
from nashra.model import Output
from nashra.write import write_site


def test_writes_a_fresh_tree_and_replaces_the_old_one(tmp_path: Path) -> None:
    output = tmp_path / "output"
    assert write_site([Output("a/index.html", b"1"), Output("stale.txt", b"x")], output) == 2
    write_site([Output("a/index.html", b"2"), Output("مصر/index.html", "ع".encode())], output)
    assert files_of(output) == {"a/index.html": b"2", "مصر/index.html": "ع".encode()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_failure_midway_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    output = tmp_path / "output"
    write_site([Output("index.html", b"old")], output)

    def failing() -> Iterator[Output]:
        yield Output("index.html", b"new")
        raise RuntimeError("template blew up")

    with pytest.raises(RuntimeError):
        write_site(failing(), output)
    assert files_of(output) == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_two_outputs_for_one_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="two pages would be written"):
        write_site([Output("a.html", b"1"), Output("a.html", b"2")], tmp_path / "output")
    assert not (tmp_path / "output").exists()


def test_refuses_an_output_folder_that_holds_the_content(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    with pytest.raises(BuildError, match="would replace"):
        write_site([Output("a.html", b"1")], tmp_path, protected=[tmp_path / "content"])
    assert (tmp_path / "content").is_dir()


def test_output_folder_is_world_readable(tmp_path: Path) -> None:
    write_site([Output("a.html", b"1")], tmp_path / "output")
    assert (tmp_path / "output").stat().st_mode & 0o755 == 0o755


def test_unchanged_files_are_carried_over_not_rewritten(tmp_path: Path) -> None:
    output = tmp_path / "output"
    write_site([Output("same.html", b"1"), Output("changed.html", b"a")], output)
    same, changed = (output / "same.html").stat(), (output / "changed.html").stat()
    write_site([Output("same.html", b"1"), Output("changed.html", b"b")], output)
    assert (output / "same.html").stat().st_ino == same.st_ino
    assert (output / "same.html").stat().st_mtime_ns == same.st_mtime_ns
    assert (output / "changed.html").stat().st_ino != changed.st_ino
    assert files_of(output) == {"same.html": b"1", "changed.html": b"b"}
