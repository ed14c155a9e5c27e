"""Write Outputs all-or-nothing: into a temporary folder beside output/, then swap it in."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import BuildError, Problem
from .model import Output

NOT_A_FOLDER = "exists and is not a folder; remove it or pass --output DIR"


def write_site(
    outputs: Iterable[Output],
    output_dir: Path,
    protected: Iterable[Path] = (),
    finish: Callable[[Path], None] | None = None,
) -> int:
    """Write every output into a fresh tree and replace output_dir with it; return the file count.

    On any error the temporary tree is removed and output_dir is left exactly as it was.
    `protected` folders (content, layouts) must not lie inside output_dir: the swap would lose them.
    `finish` runs on the complete fresh tree before the swap (e.g. to add a search index).
    """
    output_dir = output_dir.absolute()
    if problems := output_problems(output_dir, protected):
        raise BuildError(problems)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.tmp-", dir=output_dir.parent))
    try:
        temp.chmod(0o755)
        count = _write_all(outputs, temp, output_dir if output_dir.is_dir() else None)
        if finish is not None:
            finish(temp)
        _swap(temp, output_dir)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return count


def _write_all(outputs: Iterable[Output], root: Path, previous: Path | None) -> int:
    written: set[str] = set()
    made: set[Path] = set()
    for output in outputs:
        if output.path in written:
            raise BuildError([Problem(output.path, None, "two pages would be written to this path")])
        written.add(output.path)
        target = root / output.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if previous is None or not _link_unchanged(previous / output.path, target, output.data):
            target.write_bytes(output.data)
    return len(written)


def _link_unchanged(old: Path, target: Path, data: bytes) -> bool:
    """Hard-link the previous build's file when its bytes are the same: cheaper than writing it again,
    and an unchanged page keeps its modification time for tools that sync or deploy by date."""
    try:
        if old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, target)
    except OSError:
        return False  # no previous file, or a file system without hard links
    return True


def _swap(fresh: Path, output_dir: Path) -> None:
    if output_dir.exists() and not output_dir.is_dir():
        raise BuildError([Problem(str(output_dir), None, NOT_A_FOLDER)])
    if not output_dir.exists():
        os.replace(fresh, output_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    os.replace(output_dir, old / "previous")
    os.replace(fresh, output_dir)
    shutil.rmtree(old, ignore_errors=True)


def output_problems(output_dir: Path, protected: Iterable[Path] = ()) -> list[Problem]:
    """What would stop write_site from putting a site at output_dir, found without writing anything."""
    output_dir = output_dir.absolute()
    where = str(output_dir)
    problems = [
        Problem(where, None, f"output folder would replace {folder}; choose another --output")
        for folder in (path.absolute() for path in protected)
        if folder == output_dir or output_dir in folder.parents
    ]
    if output_dir.exists() and not output_dir.is_dir():
        problems.append(Problem(where, None, NOT_A_FOLDER))
    # The fresh tree and the swap happen in the parent folder, the nearest existing ancestor when it is missing.
    ancestor = next(folder for folder in output_dir.parents if folder.exists())
    if not ancestor.is_dir():
        problems.append(Problem(where, None, f"cannot be created: {ancestor} is not a folder; pass --output DIR"))
    elif not os.access(ancestor, os.W_OK | os.X_OK):
        problems.append(Problem(where, None, f"cannot be written: no permission to write in {ancestor}"))
    return problems
