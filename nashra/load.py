"""Find content files in a stable order and decode them into SourceFiles."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from . import frontmatter
from .errors import Problem
from .model import SourceFile
from .text import XML_INVALID, remove_xml_invalid

# (path on disk, label shown in messages, stat) of one file found by a scan.
Found = tuple[Path, str, os.stat_result]
# Files no site publishes: operating-system litter and editors' backups (`story.md~`) and
# auto-saves (Emacs writes `#story.md#` beside a file being edited, while `serve` is watching).
LITTER = frozenset({"Thumbs.db", "desktop.ini"})
TWIN = "another file has the same name in another Unicode normalization (NFC and NFD, {!a}); rename one of them"


@dataclass(frozen=True, slots=True)
class Tree:
    """What one walk of a folder found: Markdown files, every other file, and links it refuses."""

    markdown: list[Found]
    files: list[Found]
    problems: list[Problem]


def discover(content_dir: Path) -> tuple[Path, ...]:
    """Every `*.md` below content_dir, sorted by path; hidden files and folders are skipped."""
    return tuple(path for path, _, _ in scan(content_dir))


def scan(content_dir: Path) -> list[Found]:
    """(path, label, stat) of every `*.md` below content_dir, sorted by path, without opening any."""
    return scan_tree(content_dir).markdown


def scan_tree(root: Path, keep: frozenset[str] = frozenset()) -> Tree:
    """Every file below root, sorted by path, without opening any; hidden names are skipped unless in `keep`.

    One directory walk with the stat each entry already carries: at 100,000 files this is most
    of what a build with nothing to do costs. Symbolic links to files inside root are followed;
    links to folders or to places outside root are refused, so a build never publishes a file
    from elsewhere on the machine, nor one folder twice.
    """
    found: list[tuple[str, Path, os.stat_result]] = []
    problems: list[Problem] = []
    prefix = unicodedata.normalize("NFC", root.name)
    real_root = os.path.realpath(root)
    pending = [(str(root), "")]
    while pending:
        folder, relative = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if (name.startswith(".") and name not in keep) or _is_litter(name):
                    continue
                label = unicodedata.normalize("NFC", f"{prefix}/{relative}{name}")
                if entry.is_symlink():
                    refused = _refused_link(entry.path, real_root)
                    if refused:
                        problems.append(Problem(label, None, refused))
                        continue
                if entry.is_dir():
                    pending.append((entry.path, f"{relative}{name}/"))
                elif entry.is_file():
                    found.append((relative + name, Path(entry.path), entry.stat()))
    found.sort(key=lambda item: item[0])
    markdown: list[Found] = []
    files: list[Found] = []
    labels: set[str] = set()
    for name, path, stat in found:
        label = unicodedata.normalize("NFC", f"{prefix}/{name}")
        if name.endswith(".md"):
            markdown.append((path, label, stat))  # two stories with one label are reported with the stories
        elif label in labels:
            problems.append(Problem(label, None, TWIN.format(path.name)))  # else one would silently replace the other
        else:
            labels.add(label)
            files.append((path, label, stat))
    problems.sort(key=lambda problem: problem.path)
    return Tree(markdown, files, problems)


def _is_litter(name: str) -> bool:
    return name in LITTER or name.endswith("~") or (len(name) > 2 and name.startswith("#") and name.endswith("#"))


def _refused_link(path: str, real_root: str) -> str | None:
    """Why a symbolic link is not followed, or None when it names a file inside the folder."""
    target = os.path.realpath(path)
    if not os.path.exists(target):
        return "is a symbolic link to nothing; remove it or point it at a file"
    if os.path.commonpath([target, real_root]) != real_root:
        return "is a symbolic link to a place outside its folder; copy the file in instead of linking to it"
    if os.path.isdir(target):
        return "is a symbolic link to a folder, which would publish that folder twice; remove the link"
    return None


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
