"""Find content files in a stable order and decode them into SourceFiles."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from types import MappingProxyType

from . import frontmatter
from .errors import Problem
from .model import SourceFile
from .text import XML_INVALID, remove_xml_invalid


def discover(content_dir: Path) -> tuple[Path, ...]:
    """Every `*.md` below content_dir, sorted by path; hidden files and folders are skipped."""
    return tuple(path for path, _, _ in scan(content_dir))


def scan(content_dir: Path) -> list[tuple[Path, str, os.stat_result]]:
    """(path, label, stat) of every `*.md` below content_dir, sorted by path, without opening any.

    One directory walk with the stat each entry already carries: at 100,000 files this is most
    of what a build with nothing to do costs.
    """
    found: list[tuple[str, Path, os.stat_result]] = []
    prefix = unicodedata.normalize("NFC", content_dir.name)
    pending = [(str(content_dir), "")]
    while pending:
        folder, relative = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    pending.append((entry.path, f"{relative}{entry.name}/"))
                elif entry.name.endswith(".md") and entry.is_file():
                    found.append((relative + entry.name, Path(entry.path), entry.stat()))
    found.sort(key=lambda item: item[0])
    return [(path, unicodedata.normalize("NFC", f"{prefix}/{name}"), stat) for name, path, stat in found]


def label_for(path: Path, content_dir: Path) -> str:
    """The path shown in messages: relative to the content folder's parent, POSIX, NFC."""
    try:
        shown = path.relative_to(content_dir.parent)
    except ValueError:
        shown = path
    return unicodedata.normalize("NFC", shown.as_posix())


def decode(data: bytes, label: str) -> tuple[str | None, list[Problem], list[Problem]]:
    """UTF-8 (BOM tolerated), CRLF to LF, XML-invalid characters dropped with a warning."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(label, line, "is not UTF-8 text; re-save the file with UTF-8 encoding")], []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned, removed = remove_xml_invalid(text)
    warnings: list[Problem] = []
    first = XML_INVALID.search(text)
    if first:
        line = text[: first.start()].count("\n") + 1
        warnings.append(
            Problem(label, line, f"removed {removed} control character(s) that XML forbids; they would break the feeds")
        )
    return cleaned, [], warnings


def read_source(path: Path, label: str) -> tuple[SourceFile | None, list[Problem], list[Problem]]:
    """Read and split one content file; returns (source, errors, warnings)."""
    return parse_source(path.read_bytes(), label)


def parse_source(data: bytes, label: str) -> tuple[SourceFile | None, list[Problem], list[Problem]]:
    """Decode and split one content file's bytes; returns (source, errors, warnings)."""
    text, errors, warnings = decode(data, label)
    if text is None:
        return None, errors, warnings
    parsed = frontmatter.split(text, label)
    if isinstance(parsed, Problem):
        return None, [parsed], warnings
    source = SourceFile(
        path=label,
        meta=MappingProxyType(parsed.meta),
        body=parsed.body,
        body_line=parsed.body_line,
        key_lines=MappingProxyType(parsed.key_lines),
    )
    return source, [], warnings
