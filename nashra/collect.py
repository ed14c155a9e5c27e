"""Content files -> checked entries -> the Site: slugs, scheduling, tags and related stories."""

from __future__ import annotations

import difflib
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .cache import CachedRenderer
from .config import SiteConfig
from .dates import parse_date
from .errors import BuildError, Problem
from .files import Attached
from .labels import group_by, label_key, make_labels
from .limits import Note
from .links import Ref, body_refs, folder_of, names_elsewhere, reference
from .load import parse_source, scan
from .markup import Renderer, first_paragraph_text, reading_text
from .model import Article, Body, Image, Site, SourceFile, Tag, TagGroup
from .pickling import by_fields
from .related import related_index
from .resolve import BUNDLE_INDEX, Placed, Resolver, bundle_folders, place_files
from .state import Stamp, bodies_folder, digest_bytes
from .text import (
    clip,
    count_words,
    excerpt,
    find_markup,
    find_straight_quotes,
    fold_key,
    is_known_language,
    looks_like_mojibake,
    make_slug,
    normalize,
    remove_paired_bidi,
    remove_xml_invalid,
    shown,
    text_direction,
)
from .urls import absolute, absolutize, article_path, href, link_problem, outlet_path, tag_path

FIELDS = (
    "title", "date", "updated", "tags", "source", "source_url", "author", "summary", "slug",
    "image", "image_alt", "image_caption", "image_credit", "draft", "lang", "id", "featured",
)  # fmt: skip
TEXT_FIELDS = ("title", "source", "author", "summary", "image_alt", "image_caption", "image_credit")
DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
TAG_SEPARATORS = re.compile(r"[,\u060c]")
SUMMARY_LENGTH = 200
# The body `build.py new` writes: a comment, so a story nobody has written yet has no words.
PLACEHOLDER = "<!-- اكتب نص الخبر هنا. احذف السطر 'draft: true' عند النشر. -->\n"
MISSING_ALT = (
    "image_alt: the lead picture has no alt text; describe what it shows for readers who cannot see it "
    '(or write image_alt: "" when it is only decoration)'
)
LOCATED = (
    "the picture's EXIF says where it was taken (GPS), and the original is published as it is "
    "(its resized copies carry no EXIF); remove the location first if it must not be public, "
    "e.g. exiftool -gps:all= FILE"
)
PARALLEL_THRESHOLD = 200
CHUNK_SIZE = 64


@by_fields
@dataclass(frozen=True, slots=True)
class Entry:
    """A content file whose front matter passed every check, before site-wide decisions."""

    source_path: str
    title: str
    date: datetime
    has_time: bool
    updated: datetime | None
    tag_names: tuple[str, ...]
    source_name: str
    source_url: str
    author: str
    summary: str
    image: str
    lang: str
    dir: str
    body: Body
    draft: bool
    slug_base: str
    explicit_slug: bool
    slug_line: int
    id: str
    id_line: int = 0
    standfirst: str = ""
    refs: tuple[Ref, ...] = ()  # references in the body that may name files of the site
    image_ref: Ref | None = None  # `image`, when it names a file of the site
    image_alt: str = ""
    image_caption: str = ""
    image_credit: str = ""
    featured: bool = False


@by_fields
@dataclass(frozen=True, slots=True)
class Prepared:
    """What checking one file produced: the entry (when valid), errors and warnings."""

    entry: Entry | None
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    cache_key: str = ""


# ---------------------------------------------------------------- one file


def check_source(source: SourceFile, config: SiteConfig, renderer: Renderer | CachedRenderer) -> Prepared:
    """Validate one file's front matter and render its body; collect every problem."""
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def error(key: str, message: str) -> None:
        errors.append(Problem(source.path, source.line_of(key), f"{key}: {message}"))

    for key in sorted(set(source.meta) - set(FIELDS)):
        hint = difflib.get_close_matches(key, FIELDS, n=1)
        advice = f"did you mean '{hint[0]}'?" if hint else f"allowed keys: {', '.join(FIELDS)}"
        errors.append(Problem(source.path, source.line_of(key), f"{clip(key)}: unknown front-matter key; {advice}"))

    meta: dict[str, Any] = dict(source.meta)
    texts = {key: _text(meta, key, error, source, warnings) for key in (*TEXT_FIELDS, "slug", "id")}
    source_url, image = _link(meta, "source_url", error), _link(meta, "image", error, relative=True)
    title = texts["title"]
    if "title" not in meta:
        errors.append(Problem(source.path, 1, "title: is required; add a line 'title: \"...\"' to the front matter"))
    elif meta["title"] is None or (isinstance(meta["title"], str) and not title):
        error("title", "must not be empty")

    date, has_time = _date(meta, "date", config, error, required=True)
    updated, _ = _date(meta, "updated", config, error, required=False)
    if date and updated and updated < date:
        error("updated", "is earlier than 'date'; it should be the time of the latest correction")

    lang = meta.get("lang", config.language)
    if not isinstance(lang, str) or not is_known_language(lang):
        error("lang", f"unknown language tag {shown(lang)}; use a BCP 47 tag such as 'ar' or 'en'")
        lang = config.language

    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        error("draft", f"must be true or false, got {shown(draft)}")
    featured = meta.get("featured", False)
    if not isinstance(featured, bool):
        error("featured", f"must be true or false, got {shown(featured)}")

    image_ref = reference(image, folder_of(source.path), source.line_of("image"), picture=True) if image else None
    if image_ref and image_ref.outside:
        error("image", f"{shown(image)} points outside the content folder; keep the picture beside the story")
    if image and image_ref is None and not names_elsewhere(image):
        error(
            "image",
            f"{shown(image)} names no picture; write its file (beside the story or in static/) or its http(s) address",
        )
    if image and meta.get("image_alt") is None:
        warnings.append(Problem(source.path, source.line_of("image"), MISSING_ALT))

    tag_names = _tags(meta.get("tags"), error, source, warnings)
    warnings.extend(_plain_text_warnings(source, texts, tag_names, lang))
    if meta.get("id") is not None and not texts["id"]:
        error("id", "must not be empty; remove the line to use the article's address as its feed id")

    if isinstance(renderer, CachedRenderer):
        rendered, body = renderer.render_body(source.body)
    else:
        rendered = renderer.convert(source.body)
        body = Body(text=rendered.html)
    errors.extend(_at_body_lines(source, rendered.errors))
    if errors or body is None:
        return Prepared(None, tuple(errors), tuple(warnings))
    warnings.extend(_at_body_lines(source, rendered.warnings))
    body_html = rendered.html
    words = count_words(reading_text(body_html))
    if not words and (config.drafts or meta.get("draft") is not True):
        warnings.append(_no_words(source))  # drafts left out of the build may well be unwritten
    if looks_like_mojibake(title) or looks_like_mojibake(source.body):
        warnings.append(
            Problem(
                source.path, None, "text looks like UTF-8 read as Windows-1252 (Ø§Ù„...); check the file's encoding"
            )
        )
    slug_text = texts["slug"] or DATE_PREFIX.sub("", _name_of(source.path))
    slug_base = make_slug(slug_text)
    if texts["slug"] and not slug_base:
        return Prepared(None, (Problem(source.path, source.line_of("slug"), "slug: has no letters or digits"),), ())
    assert date is not None
    entry = Entry(
        source_path=source.path,
        title=title,
        date=date,
        has_time=has_time,
        updated=updated,
        tag_names=tag_names,
        source_name=texts["source"],
        source_url=source_url,
        author=texts["author"],
        summary=texts["summary"] or excerpt(first_paragraph_text(body_html), SUMMARY_LENGTH),
        image=image,
        lang=lang,
        dir=text_direction(lang),
        body=replace(body, words=words),
        draft=bool(draft),
        slug_base=slug_base or date.strftime("%Y-%m-%d"),
        explicit_slug=bool(texts["slug"]),
        slug_line=source.line_of("slug"),
        id=texts["id"],
        id_line=source.line_of("id"),
        standfirst=texts["summary"],
        refs=body_refs(body_html, folder_of(source.path), source.body, source.body_line),
        image_ref=image_ref,
        image_alt=texts["image_alt"],
        image_caption=texts["image_caption"],
        image_credit=texts["image_credit"],
        featured=featured is True,
    )
    return Prepared(entry, (), tuple(warnings))


def _name_of(label: str) -> str:
    """What a story is named by: its file's name, or a bundle's folder name (`…/meta-labs/index.md`)."""
    path = Path(label)
    if path.name == BUNDLE_INDEX and len(path.parts) > 2:
        return path.parent.name
    return path.stem


def _at_body_lines(source: SourceFile, notes: Iterable[Note]) -> list[Problem]:
    """Notes about the body, at their lines in the file."""
    return [Problem(source.path, source.body_line + note.line - 1, note.message) for note in notes]


def _no_words(source: SourceFile) -> Problem:
    """A story without text is published as an empty page: say so, at the place to write it."""
    if source.body.strip() == PLACEHOLDER.strip():
        line = source.body_line + source.body[: len(source.body) - len(source.body.lstrip())].count("\n")
        return Problem(source.path, line, "the body is still the placeholder of 'build.py new'; write the story here")
    return Problem(
        source.path, source.body_line - 1, "the story has no text below the front matter; it would be published empty"
    )


def _text(meta: dict[str, Any], key: str, error: Callable[[str, str], None], source: SourceFile,
          warnings: list[Problem]) -> str:  # fmt: skip
    value = _string(meta, key, error)
    return _clean_text(value, key, source, warnings) if value is not None else ""


def _string(meta: dict[str, Any], key: str, error: Callable[[str, str], None]) -> str | None:
    """The key's value when it is text, else None, with an error when it is something else."""
    value = meta.get(key)
    if value is None or isinstance(value, str):
        return value
    error(key, f"must be text, got {type(value).__name__} {shown(value)}; put it in quotes")
    return None


def _plain_text_warnings(source: SourceFile, texts: dict[str, str], tag_names: tuple[str, ...],
                         lang: str) -> list[Problem]:  # fmt: skip
    """Markup in plain-text fields is printed as it is; Arabic writes quotations as «…»."""
    warnings = []
    values = [(key, texts[key]) for key in TEXT_FIELDS] + [("tags", name) for name in tag_names]
    for key, value in values:
        markup = find_markup(value)
        if markup:
            message = (
                f"{shown(markup)} looks like HTML or Markdown, but {key} is plain text and is shown exactly as written"
            )
            warnings.append(Problem(source.path, source.line_of(key), f"{key}: {message}"))
    quoted = find_straight_quotes(texts["title"]) if lang.split("-")[0] == "ar" else None
    if quoted:
        message = f"straight quotes {shown(chr(34) + quoted + chr(34))} in an Arabic title; Arabic uses «…»"
        warnings.append(Problem(source.path, source.line_of("title"), f"title: {message}: «{clip(quoted)}»"))
    return warnings


def _link(meta: dict[str, Any], key: str, error: Callable[[str, str], None], relative: bool = False) -> str:
    """An http(s) URL (or, when `relative`, a path relative to the story); anything else is an error."""
    url = normalize(_string(meta, key, error) or "").strip()
    problem = link_problem(url, relative) if url else None
    if problem:
        error(key, problem)
        return ""
    return url


def _clean_text(value: str, key: str, source: SourceFile, warnings: list[Problem]) -> str:
    """NFC, no characters XML forbids (YAML escapes such as "\\x01" can write them), no paired bidi."""
    cleaned, forbidden = remove_xml_invalid(normalize(value))
    if forbidden:
        warnings.append(Problem(
            source.path, source.line_of(key),
            f"{key}: removed {forbidden} control character(s) that XML forbids; they would break the feeds",
        ))  # fmt: skip
    cleaned, removed = remove_paired_bidi(cleaned)
    if removed:
        warnings.append(
            Problem(source.path, source.line_of(key), f"{key}: removed {removed} bidi embedding/override character(s)")
        )
    return " ".join(cleaned.split())


def _date(meta: dict[str, Any], key: str, config: SiteConfig, error: Callable[[str, str], None],
          required: bool) -> tuple[datetime | None, bool]:  # fmt: skip
    if key not in meta or meta[key] is None:
        if required:
            error(key, "is required; add a line such as 'date: 2025-06-30T14:05:00+03:00'")
        return None, False
    parsed = parse_date(meta[key], config.timezone)
    if isinstance(parsed, str):
        error(key, parsed)
        return None, False
    return parsed


def _tags(value: object, error: Callable[[str, str], None], source: SourceFile,
          warnings: list[Problem]) -> tuple[str, ...]:  # fmt: skip
    if value is None:
        return ()
    if isinstance(value, str):
        value = TAG_SEPARATORS.split(value)
    if not isinstance(value, list):
        error("tags", 'must be a list of text, e.g. tags: ["الذكاء الاصطناعي", "ميتا"]')
        return ()
    wrong = [(number, item) for number, item in enumerate(value, start=1) if not isinstance(item, str)]
    for number, item in wrong:
        error("tags", f"item {number} {_not_text(item)}")
    if wrong:
        return ()
    names: dict[str, str] = {}
    for item in value:
        name = _clean_text(item, "tags", source, warnings)
        key = fold_key(name)
        if key and key not in names:
            names[key] = name
    return tuple(names.values())


def _not_text(item: object) -> str:
    """What is wrong with a tag that YAML read as something other than text, and how to fix it."""
    if item is None:
        return "is empty; remove it, or write the tag in quotes"
    if isinstance(item, bool):
        return f"is true or false ({item}), not text; put it in quotes"
    if isinstance(item, int | float):
        return f'is a number ({shown(item)}), not text; put it in quotes: "{shown(item)}"'
    kind = {list: "a list", dict: "a mapping"}.get(type(item), type(item).__name__)
    return f"is {kind} ({shown(item)}), not text; write each tag as text, in quotes"


# ---------------------------------------------------------------- many files


def prepare_all(
    config: SiteConfig, workers: int | None = None, on_progress: Callable[[int, int], None] | None = None
) -> tuple[Prepared, ...]:
    """Read and check every content file, in parallel when there are many."""
    return read_sources(config, workers, on_progress)[0]


# label -> (how the file looked, what checking it produced): what one build hands the next.
Sources = dict[str, tuple[Stamp, Prepared]]


@dataclass(frozen=True, slots=True)
class _Task:
    path: Path
    label: str
    size: int
    mtime_ns: int
    known_digest: str  # the digest the previous build read, "" when it did not


def read_sources(
    config: SiteConfig,
    workers: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    previous: Sources | None = None,
    trusted_before_ns: int = 0,
    found: list[tuple[Path, str, os.stat_result]] | None = None,
) -> tuple[tuple[Prepared, ...], Sources]:
    """Every content file checked, in path order, and the Sources to hand to the next build.

    A file the previous build read is taken from `previous` without being opened when its size
    and mtime are unchanged and its mtime is older than `trusted_before_ns` (when that build
    saved its state); otherwise it is read, and only parsed again when its bytes changed.
    `found` is the content folder's `load.scan`, when the caller has it already.
    `on_progress(done, total)` is called after each run of files, so a caller can show progress.
    """
    if not config.content_dir.is_dir():
        raise BuildError(
            [Problem(config.content_dir.as_posix(), None, "content folder not found; create it or pass --content DIR")]
        )
    previous = previous or {}
    sources: Sources = {}
    tasks: list[_Task] = []
    labels: list[str] = []
    seen_labels: set[str] = set()  # labels are NFC: two names in other normalizations meet here
    twins: list[Prepared] = []
    for path, label, stat in found if found is not None else scan(config.content_dir):
        if label in seen_labels:
            twins.append(_twin(path, label))
            continue
        seen_labels.add(label)
        labels.append(label)
        known = previous.get(label)
        if (
            known
            and (known[0].size, known[0].mtime_ns) == (stat.st_size, stat.st_mtime_ns)
            and (stat.st_mtime_ns < trusted_before_ns)
        ):
            sources[label] = known
        else:
            tasks.append(_Task(path, label, stat.st_size, stat.st_mtime_ns, known[0].digest if known else ""))
    report = on_progress or (lambda done, total: None)
    done = len(sources)
    report(done, len(labels))
    for task, (digest, prepared) in _check_all(config, tasks, workers):
        stamp = Stamp(task.size, task.mtime_ns, digest)
        sources[task.label] = (stamp, prepared if prepared is not None else previous[task.label][1])
        done += 1
        if done % CHUNK_SIZE == 0 or done == len(labels):
            report(done, len(labels))
    return (*(sources[label][1] for label in labels), *twins), sources


def _twin(path: Path, label: str) -> Prepared:
    """A file whose name equals another's once both are NFC: they would be one story with two texts."""
    message = (
        f"another file has the same name in another Unicode normalization (NFC and NFD, "
        f"{path.name!a}); rename one of them"
    )
    return Prepared(None, (Problem(label, None, message),), ())


def _check_all(
    config: SiteConfig, tasks: list[_Task], workers: int | None
) -> Iterator[tuple[_Task, tuple[str, Prepared | None]]]:
    workers = workers or os.cpu_count() or 1
    if len(tasks) < PARALLEL_THRESHOLD or workers < 2:
        for start in range(0, len(tasks), CHUNK_SIZE):
            chunk = tasks[start : start + CHUNK_SIZE]
            yield from zip(chunk, prepare_chunk(config, chunk), strict=True)
        return
    chunks = [tasks[i : i + CHUNK_SIZE] for i in range(0, len(tasks), CHUNK_SIZE)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context()) as pool:
        for chunk, results in zip(chunks, pool.map(prepare_chunk, [config] * len(chunks), chunks), strict=True):
            yield from zip(chunk, results, strict=True)


def _worker_context() -> multiprocessing.context.BaseContext:
    """fork on Linux when this process has one thread (fast, works from any caller); else a safer start.

    `serve` builds beside server threads, and forking a threaded process can deadlock on a lock
    another thread held, so Linux then uses a fork server. macOS and Windows use spawn, their
    default (fork is unsafe on macOS, absent on Windows). Both need an importable main module.
    """
    if sys.platform != "linux":
        return multiprocessing.get_context("spawn")
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["nashra.collect"])
    return context


def prepare_chunk(config: SiteConfig, tasks: Sequence[_Task]) -> list[tuple[str, Prepared | None]]:
    """Read and check a run of files with one Markdown converter (picklable, for worker processes).

    Each result is the digest of the file's bytes and what checking it produced, or None when
    the bytes are the ones the previous build checked.
    """
    renderer = CachedRenderer(bodies_folder(config.cache_dir)) if config.cache_dir else Renderer()
    results: list[tuple[str, Prepared | None]] = []
    for task in tasks:
        try:
            data = task.path.read_bytes()
        except OSError as error:  # gone since the scan (an editor's temporary file), or not readable
            problem = Problem(task.label, None, f"could not be read: {error.strerror or error}")
            results.append(("", Prepared(None, (problem,), ())))
            continue
        digest = digest_bytes(data)
        if digest == task.known_digest:
            results.append((digest, None))
            continue
        source, errors, warnings = parse_source(data, task.label)
        if source is None:
            results.append((digest, Prepared(None, tuple(errors), tuple(warnings))))
            continue
        checked = check_source(source, config, renderer)
        key = renderer.key(source.body) if isinstance(renderer, CachedRenderer) and checked.entry else ""
        results.append((digest, Prepared(checked.entry, checked.errors, tuple(warnings) + checked.warnings, key)))
    return results


# ---------------------------------------------------------------- the site


def collect(
    prepared: Iterable[Prepared],
    config: SiteConfig,
    files: Sequence[Attached] = (),
    problems: Iterable[Problem] = (),
) -> tuple[Site, tuple[Problem, ...]]:
    """Assemble the Site from checked entries and the other files; raise BuildError with every problem found.

    `problems` are those found before reading (links the content folder refuses), reported with the rest.
    """
    prepared = tuple(prepared)
    errors = [*problems, *(problem for item in prepared for problem in item.errors)]
    errors.extend(Problem(item.label, None, item.info.problem) for item in files if item.info.problem)
    warnings = [problem for item in prepared for problem in item.warnings]
    warnings.extend(Problem(item.label, None, LOCATED) for item in files if _located(item))
    entries = [item.entry for item in prepared if item.entry is not None]
    slugs, slug_errors = assign_slugs(entries)
    errors.extend(slug_errors)
    errors.extend(duplicate_ids(entries))
    if errors:
        raise BuildError(errors)

    published = [entry for entry in entries if _is_published(entry, config)]
    drafts = sum(1 for entry in entries if entry.draft and not config.drafts)
    future = sum(1 for entry in entries if not (entry.draft and not config.drafts)) - len(published)
    resolver, placed = _resolver(config, prepared, entries, published, slugs, files)
    labels = make_tags(published, config), make_outlets(published, config), dict(config.tag_aliases)
    articles = tuple(sorted(
        (_article(entry, slugs[entry.source_path], labels, config, resolver) for entry in published),
        key=newest_first,
    ))  # fmt: skip
    bodies = {
        slugs[entry.source_path]: replace(entry.body, links=resolver.links(entry.source_path, entry.refs))
        for entry in published
    }
    if resolver.errors:
        raise BuildError(resolver.errors)
    groups = group_by_tag(articles)
    site = Site(
        config=config,
        articles=articles,
        tags=groups,
        related=MappingProxyType(related_index(articles, groups)),
        bodies=MappingProxyType(bodies),
        build_date=max((article.modified for article in articles), default=None),
        skipped_drafts=drafts,
        skipped_future=future,
        next_due=min((entry.date for entry in entries if _is_scheduled(entry, config)), default=None),
        files=tuple(sorted((*placed.content.values(), *placed.static.values()), key=lambda item: item.path)),
        outlets=group_by_outlet(articles),
    )
    return site, (*warnings, *resolver.warnings)


def _resolver(
    config: SiteConfig,
    prepared: tuple[Prepared, ...],
    entries: list[Entry],
    published: list[Entry],
    slugs: dict[str, str],
    files: Sequence[Attached],
) -> tuple[Resolver, Placed]:
    """Place every file and make the resolver of the stories' references (paths relative to content/)."""
    prefix = config.content_dir.name

    def relative(label: str) -> str:
        return label.partition("/")[2]

    markdown = {relative(item.entry.source_path if item.entry else item.errors[0].path) for item in prepared
                if item.entry or item.errors}  # fmt: skip
    stories = {relative(entry.source_path): slugs[entry.source_path] for entry in entries}
    shown_stories = {relative(entry.source_path) for entry in published}
    bundles = bundle_folders(relative(entry.source_path) for entry in entries)
    placed = place_files(files, bundles, stories, shown_stories, prefix)
    return Resolver(config, placed, stories, shown_stories, markdown, prefix), placed


def _located(item: Attached) -> bool:
    return item.info.picture is not None and item.info.picture.located


def newest_first(article: Article) -> tuple[float, str]:
    """Total order for listings: date descending, then slug."""
    return (-article.date.timestamp(), article.slug)


def _is_scheduled(entry: Entry, config: SiteConfig) -> bool:
    """Left out only because its date is still to come."""
    return not config.future and not (entry.draft and not config.drafts) and entry.date > config.now


def _is_published(entry: Entry, config: SiteConfig) -> bool:
    if entry.draft and not config.drafts:
        return False
    return config.future or entry.date <= config.now


def assign_slugs(entries: Sequence[Entry]) -> tuple[dict[str, str], list[Problem]]:
    """Explicit slugs must be unique; file-derived ones get -2, -3 in date order (oldest keeps it).

    Drafts and scheduled articles take part, so publishing one never moves an existing URL.
    """
    slugs: dict[str, str] = {}
    owners: dict[str, Entry] = {}
    errors: list[Problem] = []
    for entry in sorted((e for e in entries if e.explicit_slug), key=_oldest_first):
        other = owners.get(entry.slug_base)
        if other is not None:
            errors.append(Problem(
                entry.source_path, entry.slug_line,
                f"slug: '{entry.slug_base}' is already used by {other.source_path}:{other.slug_line}; choose another",
            ))  # fmt: skip
            continue
        owners[entry.slug_base] = entry
        slugs[entry.source_path] = entry.slug_base
    for entry in sorted((e for e in entries if not e.explicit_slug), key=_oldest_first):
        slug, number = entry.slug_base, 1
        while slug in owners:
            number += 1
            slug = f"{entry.slug_base}-{number}"
        owners[slug] = entry
        slugs[entry.source_path] = slug
    return slugs, errors


def duplicate_ids(entries: Sequence[Entry]) -> list[Problem]:
    """Explicit feed ids must be unique (drafts included): readers would merge two stories into one."""
    owners: dict[str, Entry] = {}
    errors = []
    for entry in sorted((e for e in entries if e.id), key=_oldest_first):
        other = owners.setdefault(entry.id, entry)
        if other is not entry:
            errors.append(Problem(
                entry.source_path, entry.id_line,
                f"id: {shown(entry.id)} is already the id of {other.source_path}:{other.id_line}; "
                "ids must never be shared",
            ))  # fmt: skip
    return errors


def _oldest_first(entry: Entry) -> tuple[float, str]:
    return (entry.date.timestamp(), entry.source_path)


def make_tags(entries: Sequence[Entry], config: SiteConfig) -> dict[str, Tag]:
    """One Tag per key (folded, then merged by `[tags.aliases]`), named and slugged as `labels` says."""
    aliases = dict(config.tag_aliases)
    uses = (
        (label_key(name, aliases), name) for entry in sorted(entries, key=_oldest_first) for name in entry.tag_names
    )
    return make_labels(uses, dict(config.tag_names), config, tag_path, "tag")


def make_outlets(entries: Sequence[Entry], config: SiteConfig) -> dict[str, Tag]:
    """One outlet per folded `source`, named by the spelling most stories use."""
    uses = ((fold_key(entry.source_name), entry.source_name) for entry in sorted(entries, key=_oldest_first)
            if fold_key(entry.source_name))  # fmt: skip
    return make_labels(uses, {}, config, outlet_path, "source")


def _article(
    entry: Entry,
    slug: str,
    labels: tuple[dict[str, Tag], dict[str, Tag], dict[str, str]],
    config: SiteConfig,
    resolver: Resolver,
) -> Article:
    tags_by_key, outlets, aliases = labels
    path = article_path(slug)
    permalink = absolute(config, path)
    picture = _picture(entry, config, resolver, path)
    return Article(
        source_path=entry.source_path,
        slug=slug,
        title=entry.title,
        date=entry.date,
        updated=entry.updated,
        tags=tuple(dict.fromkeys(tags_by_key[label_key(name, aliases)] for name in entry.tag_names)),
        source_name=entry.source_name,
        source_url=entry.source_url,
        author=entry.author,
        summary=entry.summary,
        image=picture.share if picture else "",
        lang=entry.lang,
        dir=entry.dir,
        url=href(config, path),
        permalink=permalink,
        id=entry.id or permalink,
        has_time=entry.has_time,
        standfirst=entry.standfirst,
        picture=picture,
        image_alt=entry.image_alt,
        image_caption=entry.image_caption,
        image_credit=entry.image_credit,
        outlet=outlets.get(fold_key(entry.source_name)),
        featured=entry.featured,
    )


def _picture(entry: Entry, config: SiteConfig, resolver: Resolver, path: str) -> Image | None:
    """The lead picture: a file of the site (sized, with variants) or an address elsewhere."""
    if not entry.image:
        return None
    if entry.image_ref is not None:
        return resolver.image(entry.source_path, entry.image_ref)
    url = absolutize(config, entry.image, path)
    return Image(url=url, share=url)


def group_by_tag(articles: tuple[Article, ...]) -> tuple[TagGroup, ...]:
    """Tags with their articles (in the given newest-first order), sorted by tag slug."""
    return group_by(articles, lambda article: article.tags)


def group_by_outlet(articles: tuple[Article, ...]) -> tuple[TagGroup, ...]:
    """Outlets with their articles (in the given newest-first order), sorted by slug."""
    return group_by(articles, lambda article: (article.outlet,) if article.outlet else ())
