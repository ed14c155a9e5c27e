"""Put files into output/ so that a failed build changes nothing there.

Every file a build makes is first written into a staging folder beside output/. Only when the
whole build has succeeded are the files moved in: one by one into the existing output/ for an
incremental build (each move is atomic), or as a whole new folder swapped for the old one when
everything was made afresh. Staging folders carry the id of the process that made them, so a
build that was killed leaves nothing that the next build does not clean up.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import BuildError, Problem
from .state import Stamp, digest_bytes

BACKGROUND_REMOVAL_FILES = 2000  # above this many files an old output/ is deleted by a detached process
NOT_A_FOLDER = "exists and is not a folder; remove it or pass --output DIR"


def staging_folder(output_dir: Path) -> Path:
    """A fresh, empty folder beside output_dir (same file system, so files move in by renaming)."""
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.tmp-{os.getpid()}-", dir=output_dir.parent))
    folder.chmod(0o755)
    return folder


def remove_leftovers(output_dir: Path) -> None:
    """Delete staging and old-output folders of builds whose process is gone."""
    parent = output_dir.parent
    if not parent.is_dir():
        return
    for kind in ("tmp", "old"):
        for folder in parent.glob(f".{output_dir.name}.{kind}-*"):
            pid = folder.name.split("-")[1] if folder.name.count("-") >= 2 else ""
            if not (pid.isdigit() and _alive(int(pid))):
                shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own earlier, failed build in this process (serve)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def write_file(root: Path, path: str, data: bytes, previous: Path | None = None) -> Stamp:
    """Write one output under root; a byte-identical file in `previous` is hard-linked instead.

    Linking keeps an unchanged page's modification time for tools that sync or deploy by date,
    and is cheaper than writing it again.
    """
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if previous is None or not _link_unchanged(previous / path, target, data):
        target.write_bytes(data)
    stat = target.stat()
    return Stamp(stat.st_size, stat.st_mtime_ns, digest_bytes(data))


def _link_unchanged(old: Path, target: Path, data: bytes) -> bool:
    try:
        if old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, target)
    except OSError:
        return False  # no previous file, or a file system without hard links
    return True


def swap_in(fresh: Path, output_dir: Path) -> None:
    """Replace output_dir by the complete folder `fresh`; the old one is deleted off the critical path."""
    if output_dir.exists() and not output_dir.is_dir():
        raise BuildError([Problem(str(output_dir), None, NOT_A_FOLDER)])
    if not output_dir.exists():
        os.replace(fresh, output_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-{os.getpid()}-", dir=output_dir.parent))
    os.replace(output_dir, old / "previous")
    os.replace(fresh, output_dir)
    _remove_later(old)


def _remove_later(folder: Path) -> None:
    """Delete a folder; a large one in a detached process, so the build need not wait for it."""
    count = sum(len(files) for _, _, files in os.walk(folder))
    if count < BACKGROUND_REMOVAL_FILES:
        shutil.rmtree(folder, ignore_errors=True)
        return
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen(
            [sys.executable, "-c", code, str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def move_in(staging: Path, output_dir: Path, paths: Iterable[str]) -> None:
    """Move staged files into output_dir, each replacing its old version atomically."""
    made: set[Path] = set()
    for path in paths:
        target = output_dir / path
        if target.parent not in made:
            if target.parent.exists() and not target.parent.is_dir():
                target.parent.unlink()  # a file where a folder must now be: it is an old output
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if target.is_dir():
            shutil.rmtree(target)  # a folder where a file must now be
        os.replace(staging / path, target)


def remove_files(output_dir: Path, paths: Iterable[str]) -> None:
    """Delete outputs that are no longer made, and the folders they leave empty."""
    parents: set[Path] = set()
    for path in paths:
        target = output_dir / path
        with contextlib.suppress(FileNotFoundError):
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
        parents.update(parent for parent in target.parents if output_dir in parent.parents)
    for folder in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only succeeds when empty


def files_in(output_dir: Path) -> dict[str, os.stat_result]:
    """Every file below output_dir (relative POSIX path -> stat), symlinks and folders excluded."""
    found: dict[str, os.stat_result] = {}
    root = str(output_dir)
    cut = len(root) + 1
    stack = [root]
    while stack:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError), os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    found[entry.path[cut:].replace(os.sep, "/")] = entry.stat(follow_symlinks=False)
    return found


def output_problems(output_dir: Path, protected: Iterable[Path] = ()) -> list[Problem]:
    """What would stop a build from putting a site at output_dir, found without writing anything."""
    output_dir = output_dir.absolute()
    where = str(output_dir)
    folders = [path.absolute() for path in protected]
    problems = [
        Problem(where, None, f"output folder would replace {folder}; choose another --output")
        for folder in folders
        if folder == output_dir or output_dir in folder.parents
    ]
    problems += [
        Problem(where, None, f"output folder is inside {folder}, so the next build would read it as input; "
                "choose another --output")
        for folder in folders
        if folder in output_dir.parents
    ]  # fmt: skip
    if output_dir.exists() and not output_dir.is_dir():
        problems.append(Problem(where, None, NOT_A_FOLDER))
    # The fresh tree and the swap happen in the parent folder, the nearest existing ancestor when it is missing.
    ancestor = next(folder for folder in output_dir.parents if folder.exists())
    if not ancestor.is_dir():
        problems.append(Problem(where, None, f"cannot be created: {ancestor} is not a folder; pass --output DIR"))
    elif not os.access(ancestor, os.W_OK | os.X_OK):
        problems.append(Problem(where, None, f"cannot be written: no permission to write in {ancestor}"))
    return problems
