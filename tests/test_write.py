"""Writing: staged files reach output/ only at the end, by moving them in or by swapping folders."""

import os
from pathlib import Path

import pytest
from conftest import files_of

from nashra.write import (
    files_in,
    move_in,
    output_problems,
    remove_files,
    remove_leftovers,
    staging_folder,
    swap_in,
    write_file,
)


def test_swap_replaces_the_old_tree_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    output = tmp_path / "output"
    first = staging_folder(output)
    write_file(first, "a/index.html", b"1")
    write_file(first, "stale.txt", b"x")
    swap_in(first, output)
    second = staging_folder(output)
    write_file(second, "a/index.html", b"2")
    write_file(second, "مصر/index.html", "ع".encode())
    swap_in(second, output)
    assert files_of(output) == {"a/index.html": b"2", "مصر/index.html": "ع".encode()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_unchanged_files_are_linked_from_the_previous_output_not_rewritten(tmp_path: Path) -> None:
    output = tmp_path / "output"
    staged = staging_folder(output)
    write_file(staged, "same.html", b"1")
    swap_in(staged, output)
    before = (output / "same.html").stat()
    again = staging_folder(output)
    stamp = write_file(again, "same.html", b"1", previous=output)
    assert (again / "same.html").stat().st_ino == before.st_ino
    assert stamp.mtime_ns == before.st_mtime_ns and stamp.size == 1
    assert write_file(again, "other.html", b"2", previous=output).size == 1


def test_move_in_replaces_files_and_remove_files_prunes_empty_folders(tmp_path: Path) -> None:
    output = tmp_path / "output"
    for path, data in {"keep.html": b"k", "a/old.html": b"o", "b/c/gone.html": b"g"}.items():
        write_file(output, path, data)
    staged = staging_folder(output)
    write_file(staged, "a/old.html", b"new")
    write_file(staged, "d/fresh.html", b"f")
    move_in(staged, output, ["a/old.html", "d/fresh.html"])
    remove_files(output, ["b/c/gone.html"])
    assert files_of(output) == {"keep.html": b"k", "a/old.html": b"new", "d/fresh.html": b"f"}
    assert not (output / "b").exists()
    assert set(files_in(output)) == {"keep.html", "a/old.html", "d/fresh.html"}


def test_leftovers_of_dead_builds_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    output = tmp_path / "output"
    dead = tmp_path / ".output.tmp-999999999-abc"
    live = tmp_path / f".output.tmp-{os.getppid()}-abc"
    for folder in (dead, live):
        (folder / "x").mkdir(parents=True)
    remove_leftovers(output)
    assert not dead.exists() and live.exists()


def test_refuses_an_output_folder_that_holds_the_content(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (problem,) = output_problems(tmp_path, [tmp_path / "content"])
    assert "would replace" in problem.message
    assert (tmp_path / "content").is_dir()


@pytest.mark.parametrize("inside", ["content", "static"])
def test_refuses_an_output_folder_inside_an_input_folder(tmp_path: Path, inside: str) -> None:
    """Found by the incremental tests: the next build would publish the last one's output as files."""
    (tmp_path / inside).mkdir()
    (problem,) = output_problems(tmp_path / inside / "site", [tmp_path / "content", tmp_path / "static"])
    folder = tmp_path / inside
    assert problem.message == f"output folder is inside {folder}, so the next build would read it as input; " + (
        "choose another --output"
    )


def test_output_folder_is_world_readable(tmp_path: Path) -> None:
    staged = staging_folder(tmp_path / "output")
    swap_in(staged, tmp_path / "output")
    assert (tmp_path / "output").stat().st_mode & 0o755 == 0o755
