"""The build recipe: load -> check -> collect -> plan -> decide -> make -> write.

`build` keeps what the previous build into the same output folder left in the cache folder
(see state.py) and does work in proportion to what changed: unchanged content files are not
parsed again, outputs whose key did not change are not made again, and when nothing changed at
all, output/ is not touched. Without a cache folder (`--no-cache`) every build starts afresh.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from jinja2 import Environment

from . import news
from .collect import Prepared, Sources, collect, read_sources
from .config import SiteConfig
from .errors import BuildError, Problem
from .files import Attached, Files, read_files
from .fingerprint import Fingerprinter, code_fingerprint, new_hash, template_fingerprints
from .incremental import (
    NO_MANIFEST,
    NO_OUTPUT,
    Decision,
    data_digests,
    decide,
    explain_lines,
    intact,
    make,
    output_candidates,
)
from .load import Tree, scan_tree
from .model import CacheDamaged, OutletFeed, Site
from .plan import FEEDS, PAGE, Job, duplicate_paths, outputs, plan, public_config
from .render import SEARCH_TEMPLATE, TEMPLATES, make_env
from .search import BUNDLE, index_site, search_problems
from .sources import load_sources, outlet_feeds
from .state import BuildState, Manifest, OutputRecord, Stamp, bodies_folder, digest_bytes, pictures_folder
from .write import files_in, move_in, output_problems, remove_files, remove_leftovers, staging_folder, swap_in

# progress(phase, done, total): phase is "read" (content files) or "write" (output files).
Progress = Callable[[str, int, int | None], None]
SEARCH_RECORD = "(pagefind)"  # the manifest's template name for the files Pagefind writes
STATIC_HIDDEN = frozenset({".well-known"})  # the one hidden folder a site publishes (security.txt, …)


@dataclass(frozen=True, slots=True)
class Report:
    """What a build did, for the one-line summary and the build report."""

    articles: int
    tags: int
    files: int
    seconds: float
    skipped_drafts: int
    skipped_future: int
    warnings: tuple[Problem, ...]
    pages: int = 0
    feeds: int = 0
    outlets: int = 0
    made: int = 0
    kept: int = 0
    removed: int = 0
    explained: tuple[str, ...] = ()


def read_site(
    config: SiteConfig, workers: int | None = None, progress: Progress | None = None
) -> tuple[Site, tuple[Problem, ...]]:
    """Read and check all content; raise BuildError listing every problem. Writes nothing but the caches."""
    feeds, source_problems = read_outlet_feeds(config)
    with picture_store(config) as store:
        site, warnings, _ = _read_and_collect(config, workers, progress, source_problems, store)
    return replace(site, outlet_feeds=feeds), warnings


OutletFeeds = MappingProxyType[str, OutletFeed]


def read_outlet_feeds(config: SiteConfig) -> tuple[OutletFeeds, tuple[Problem, ...]]:
    """The outlets' feeds that sources.toml lists, or its problems, to report with the content's.

    A broken sources.toml fails the build even though only the feeds read it: ignoring it would
    quietly drop every credit from the feeds.
    """
    if config.sources_file is None:
        return MappingProxyType({}), ()
    try:
        return outlet_feeds(load_sources(config.sources_file)), ()
    except BuildError as error:
        return MappingProxyType({}), error.problems


@dataclass(slots=True)
class _Inputs:
    """What a build reads: the content and static folders, and what the previous build learnt of them."""

    content: Tree | None = None  # the walks, once made
    static: Tree | None = None
    sources: Sources = field(default_factory=dict)
    files: Files = field(default_factory=dict)
    trusted_before_ns: int = 0

    def walk(self, config: SiteConfig) -> tuple[Tree, Tree]:
        if self.content is None:
            self.content = scan_tree(config.content_dir)
        if self.static is None:
            static = config.static_dir
            self.static = scan_tree(static, STATIC_HIDDEN) if static and static.is_dir() else Tree([], [], [])
        return self.content, self.static

    def stamps(self, config: SiteConfig) -> list[tuple[str, int, int]]:
        """(label, size, mtime) of every file of content/ and static/, without reading any."""
        content, static = self.walk(config)
        found = (*content.markdown, *content.files, *static.files, *static.markdown)
        return [(label, stat.st_size, stat.st_mtime_ns) for _, label, stat in found]


@dataclass(slots=True)
class _Read:
    """What reading produced: checked content files and other files, for collecting and for the next build."""

    prepared: tuple[Prepared, ...]
    sources: Sources
    files: Files
    attached: list[Attached]
    problems: list[Problem]


def _read(
    config: SiteConfig, workers: int | None, progress: Progress | None, store: Path, inputs: _Inputs | None = None
) -> _Read:
    inputs = inputs or _Inputs()
    if not config.content_dir.is_dir():
        read_sources(config, workers)  # raises the error that names the missing folder
    content, static = inputs.walk(config)
    on_read = (lambda done, total: progress("read", done, total)) if progress else None
    prepared, sources = read_sources(
        config, workers, on_read, inputs.sources, inputs.trusted_before_ns, content.markdown
    )
    found = [*content.files, *static.files, *static.markdown]
    files = read_files(found, store, inputs.files, inputs.trusted_before_ns, workers)
    static_labels = {label for _, label, _ in (*static.files, *static.markdown)}
    attached = [
        Attached(label, path, files[label][0], files[label][1], label in static_labels) for path, label, _ in found
    ]
    return _Read(prepared, sources, files, attached, [*content.problems, *static.problems])


ICONS = ("favicon.svg", "favicon.png", "favicon.ico")  # in static/, the first found is the site's icon


def _icon(read: _Read) -> str:
    """The site's icon: a favicon at the top of static/, else none (the layout draws one)."""
    found = {item.relative for item in read.attached if item.static}
    return next((name for name in ICONS if name in found), "")


@contextlib.contextmanager
def picture_store(config: SiteConfig) -> Iterator[Path]:
    """Where resized pictures are kept: in the cache folder, or for one build only without it."""
    if config.cache_dir is not None:
        yield pictures_folder(config.cache_dir)
        return
    with tempfile.TemporaryDirectory(prefix="nashra-pictures-") as folder:
        yield Path(folder)


def build(
    config: SiteConfig, workers: int | None = None, progress: Progress | None = None, explain: Sequence[str] = ()
) -> Report:
    """Build the site into config.output_dir, all or nothing, doing only the work that changed."""
    started = time.perf_counter()
    problems = output_problems(config.output_dir, _inputs_of(config))
    if problems:  # reported with every content and layout error; the cache beside output/ is not used
        without_cache = replace(config, cache_dir=None)
        found = (*problems, *_load_layouts(config)[1], *read_outlet_feeds(config)[1])
        with picture_store(without_cache) as store:
            _read_and_collect(without_cache, workers, progress, found, store)
    remove_leftovers(config.output_dir.absolute())
    if config.cache_dir is None:
        with picture_store(config) as store:
            return _Build(config, None, workers, progress, explain, started, store).run()
    state = BuildState(config.cache_dir, config.output_dir)
    store = pictures_folder(config.cache_dir)
    with state.locked():
        damaged: set[str] = set()
        while True:
            try:
                trust = not damaged
                return _Build(config, state, workers, progress, explain, started, store, trust_sources=trust).run()
            except CacheDamaged as error:
                # A cached body or picture vanished or was changed by hand: drop it (a stored picture
                # whose file merely changed would be trusted again), then read every file again,
                # trusting nothing. Each round drops another damaged file, so this ends.
                path = error.args[0]
                if path in damaged:
                    raise
                damaged.add(path)
                _forget(Path(path), state.cache_dir)


def check(config: SiteConfig, workers: int | None = None, progress: Progress | None = None) -> Report:
    """Everything `build` does except writing: read, check and make the whole site in memory, and try
    what the build needs besides (the output folder can be written, Pagefind starts)."""
    started = time.perf_counter()
    found = [*output_problems(config.output_dir, _inputs_of(config)), *search_problems(config)]
    config = replace(config, cache_dir=None)  # check writes nothing, not even the Markdown cache
    env, layout_problems = _load_layouts(config)
    feeds, source_problems = read_outlet_feeds(config)
    with picture_store(config) as store:
        found = (*found, *layout_problems, *source_problems)
        site, warnings, _ = _read_and_collect(config, workers, progress, found, store)
        assert env is not None
        public = replace(site, config=public_config(site.config), outlet_feeds=feeds)
        jobs = plan(public, config.layouts_dir / "assets", store, config.now)
        _refuse_duplicates(jobs)
        for done, _output in enumerate(outputs(jobs, env), start=1):
            if progress:
                progress("write", done, len(jobs))
    return _report(site, warnings, jobs, started, made=len(jobs))


class _Build:
    """One build into one output folder, with or without the state of the previous one."""

    def __init__(
        self,
        config: SiteConfig,
        state: BuildState | None,
        workers: int | None,
        progress: Progress | None,
        explain: Sequence[str],
        started: float,
        store: Path,
        trust_sources: bool = True,
    ) -> None:
        self.config = config
        self.output_dir = config.output_dir.absolute()
        self.state = state
        self.workers = workers
        self.progress = progress
        self.explain = explain
        self.started = started
        self.trust_sources = trust_sources
        self.store = store
        self.manifest: Manifest | None = None
        self.inputs = _Inputs()

    def run(self) -> Report:
        config, state = self.config, self.state
        manifest = self.manifest = state.load_manifest() if state else None
        env, layout_problems = _load_layouts(config)
        code = code_fingerprint()
        templates = template_fingerprints(env, _template_names(config)) if env else {}
        public = public_config(config)
        feeds, source_problems = read_outlet_feeds(config)
        settings = Fingerprinter().digest((public, _layouts_digest(config.layouts_dir), feeds))
        fine = env and not source_problems
        if fine and manifest and self.trust_sources and self._nothing_changed(manifest, code, templates, settings):
            return self._unchanged_report(manifest)

        # What checking a file produced depends on the settings too (time zone, language, --drafts…):
        # any change to them, or to the code, starts the parse cache afresh.
        bodies = str(bodies_folder(config.cache_dir)) if config.cache_dir else ""
        salt = Fingerprinter().digest((code, public, bodies))
        if state and self.trust_sources:
            self.inputs.sources, self.inputs.files, self.inputs.trusted_before_ns = state.load_sources(salt)
        site, warnings, read = _read_and_collect(
            config, self.workers, self.progress, (*layout_problems, *source_problems), self.store, self.inputs
        )
        assert env is not None
        jobs = plan(
            replace(site, config=replace(public, icon=site.config.icon), outlet_feeds=feeds),
            config.layouts_dir / "assets",
            self.store,
            config.now,
        )
        _refuse_duplicates(jobs)
        digests = data_digests(jobs)

        full = manifest is None or not self.output_dir.is_dir()
        on_disk = {} if full else files_in(self.output_dir)
        why = NO_MANIFEST if manifest is None else NO_OUTPUT
        decision = decide(jobs, digests, code, templates, None if full else manifest, on_disk, self.output_dir, why)
        search_key = _search_key(jobs, digests, templates, code, config)
        search_fresh = not full and _search_fresh(manifest, search_key, on_disk, self.output_dir)

        records = self._write(jobs, decision, env, full, on_disk, search_key, search_fresh)
        explained = tuple(explain_lines(jobs, decision, self.explain))
        report = _report(site, warnings, jobs, self.started, made=len(decision.stale), kept=len(decision.kept),
                         removed=records.removed, explained=explained)  # fmt: skip
        if state:
            inputs = _inputs_digest(code, templates, settings, _stamps_of(read))
            next_due = _next_due(site, config)
            state.save_manifest(Manifest(code, templates, inputs, next_due, _report_fields(report), records.outputs))
            state.save_sources(salt, read.sources, read.files)
            state.save_body_keys(item.cache_key for item in read.prepared if item.cache_key)
            state.save_picture_keys(info.picture.digest for _, info in read.files.values() if info.picture)
            state.prune()
        return report

    # ------------------------------------------------------------ the fast path

    def _nothing_changed(self, manifest: Manifest, code: str, templates: dict[str, str], settings: str) -> bool:
        """True when content, layouts, settings and output/ are all as the last build left them."""
        config = self.config
        if manifest.next_due and config.now >= datetime.fromisoformat(manifest.next_due):
            return False  # a scheduled story's time has come, or a story leaves the news sitemap
        if not config.content_dir.is_dir() or any(tree.problems for tree in self.inputs.walk(config)):
            return False  # a refused link is an error, and errors are reported by reading
        stamps = self.inputs.stamps(config)
        if any(mtime >= manifest.saved_ns for _, _, mtime in stamps):
            return False
        if _inputs_digest(code, templates, settings, stamps) != manifest.inputs:
            return False
        on_disk = files_in(self.output_dir)
        if on_disk.keys() != manifest.outputs.keys():
            return False
        for path, record in manifest.outputs.items():
            stat = on_disk[path]
            if (stat.st_size, stat.st_mtime_ns) != (record.stamp.size, record.stamp.mtime_ns):
                return False
            if stat.st_mtime_ns >= manifest.saved_ns:
                return False
        return True

    def _unchanged_report(self, manifest: Manifest) -> Report:
        fields = manifest.report
        warnings = tuple(Problem(path, line, message) for path, line, message in fields["warnings"])
        explained = tuple(
            f"{path}: kept: nothing changed since the last build"
            if any(candidate in manifest.outputs for candidate in output_candidates(path))
            else f"{path}: not an output of this site"
            for path in self.explain
        )
        return Report(
            articles=fields["articles"], tags=fields["tags"], files=fields["files"],
            seconds=time.perf_counter() - self.started, skipped_drafts=fields["skipped_drafts"],
            skipped_future=fields["skipped_future"], warnings=warnings, pages=fields["pages"],
            feeds=fields["feeds"], outlets=fields.get("outlets", 0), made=0, kept=fields["files"], removed=0,
            explained=explained,
        )  # fmt: skip

    # ------------------------------------------------------------ writing

    def _write(
        self,
        jobs: list[Job],
        decision: Decision,
        env: Environment,
        full: bool,
        on_disk: dict,
        search_key: str,
        search_fresh: bool,
    ) -> _Written:
        config, output_dir = self.config, self.output_dir
        staging = staging_folder(output_dir)
        try:
            stale = sorted(decision.stale)
            previous_output = output_dir if full and output_dir.is_dir() else None
            on_done = (lambda done: self.progress("write", done, len(stale))) if self.progress else None
            stamps = make(jobs, stale, env, staging, previous_output, self.workers, on_done)
            outputs = dict(decision.kept)
            for index in stale:
                job = jobs[index]
                outputs[job.path] = OutputRecord(job.template, decision.digests[index], stamps[job.path])
            search_files: dict[str, Stamp] = {}
            if config.has_search and not search_fresh:
                search_files = self._index(jobs, decision, staging, full)
            elif config.has_search and self.manifest:
                search_files = _search_records(self.manifest.outputs)
            for path, stamp in search_files.items():
                outputs[path] = OutputRecord(SEARCH_RECORD, search_key, stamp)
            removed = 0
            if full:
                swap_in(staging, output_dir)
            else:
                if self.state:
                    self.state.forget_manifest()  # from here on, output/ is being changed
                fresh_search = config.has_search and not search_fresh
                if fresh_search:
                    remove_files(output_dir, [BUNDLE.rstrip("/")])
                move_in(staging, output_dir, [jobs[i].path for i in stale] + ([*search_files] if fresh_search else []))
                gone = [path for path in on_disk if path not in outputs]
                remove_files(output_dir, gone)
                removed = len(gone)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return _Written(outputs, removed)

    def _index(self, jobs: list[Job], decision: Decision, staging: Path, full: bool) -> dict[str, Stamp]:
        """Run Pagefind over every story page, old and new, and stage its bundle."""
        if full:
            index_site(staging, self.config)
            return _stamps_under(staging, BUNDLE)
        view = staging / ".search-view"
        stale_paths = {jobs[index].path for index in decision.stale}
        for job in jobs:
            if job.template == "article.html":
                source = (staging if job.path in stale_paths else self.output_dir) / job.path
                target = view / job.path
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    target.hardlink_to(source)
                except OSError:
                    shutil.copyfile(source, target)
        index_site(view, self.config)
        (view / BUNDLE).rename(staging / BUNDLE)
        shutil.rmtree(view)
        return _stamps_under(staging, BUNDLE)


@dataclass(frozen=True, slots=True)
class _Written:
    outputs: dict[str, OutputRecord]
    removed: int


# ---------------------------------------------------------------- helpers


def _inputs_of(config: SiteConfig) -> tuple[Path, ...]:
    """The folders a build reads, which an output folder must never replace."""
    return (config.content_dir, config.layouts_dir, *((config.static_dir,) if config.static_dir else ()))


def _load_layouts(config: SiteConfig) -> tuple[Environment | None, tuple[Problem, ...]]:
    """The Jinja environment, or the template problems to report together with the content's."""
    try:
        return make_env(config), ()
    except BuildError as error:
        return None, error.problems


def _read_and_collect(
    config: SiteConfig,
    workers: int | None,
    progress: Progress | None,
    layout_problems: tuple[Problem, ...],
    store: Path,
    inputs: _Inputs | None = None,
) -> tuple[Site, tuple[Problem, ...], _Read]:
    """Read and collect the content; every layout and content problem is raised at once."""
    try:
        read = _read(config, workers, progress, store, inputs)
        site, warnings = collect(read.prepared, replace(config, icon=_icon(read)), read.attached, read.problems)
    except BuildError as error:
        raise BuildError([*layout_problems, *error.problems]) from error
    if layout_problems:
        raise BuildError(layout_problems)
    return site, warnings, read


def _forget(path: Path, cache_dir: Path) -> None:
    """Remove a damaged file of the cache folder, so that what it held is made again."""
    if path.absolute().is_relative_to(cache_dir):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _template_names(config: SiteConfig) -> tuple[str, ...]:
    return TEMPLATES + ((SEARCH_TEMPLATE,) if config.has_search else ())


def _refuse_duplicates(jobs: list[Job]) -> None:
    error = duplicate_paths(jobs)
    if error is not None:
        raise error


def _layouts_digest(layouts: Path) -> str:
    """Every file of the layouts folder by name and content (templates and assets alike)."""
    hasher = new_hash()
    for path in sorted(layouts.rglob("*"), key=lambda p: p.as_posix()) if layouts.is_dir() else ():
        if path.is_file():
            hasher.update(path.relative_to(layouts).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            hasher.update(digest_bytes(path.read_bytes()).encode())
    return hasher.hexdigest()


def _stamps_of(read: _Read) -> list[tuple[str, int, int]]:
    found = (*read.sources.items(), *read.files.items())
    return [(label, stamp.size, stamp.mtime_ns) for label, (stamp, _) in sorted(found)]


def _inputs_digest(code: str, templates: dict[str, str], settings: str, stamps: Iterable[tuple[str, int, int]]) -> str:
    return Fingerprinter().digest((code, templates, settings, sorted(stamps)))


def _search_key(jobs: list[Job], digests: list[str], templates: dict[str, str], code: str, config: SiteConfig) -> str:
    """Pagefind reads the story pages only: its bundle changes when one of them does."""
    if not config.has_search:
        return ""
    pages = [(job.path, digest) for job, digest in zip(jobs, digests, strict=True) if job.template == "article.html"]
    return Fingerprinter().digest((code, templates.get("article.html", ""), config.language, config.search, pages))


def _search_fresh(manifest: Manifest | None, key: str, on_disk: dict, output_dir: Path) -> bool:
    if manifest is None or not key:
        return False
    recorded = {path: record for path, record in manifest.outputs.items() if record.template == SEARCH_RECORD}
    on_disk_bundle = {path for path in on_disk if path.startswith(BUNDLE)}
    if not recorded or on_disk_bundle != recorded.keys():
        return False
    return all(
        record.data == key and intact(output_dir, path, record.stamp, on_disk.get(path), manifest.saved_ns)
        for path, record in recorded.items()
    )


def _search_records(outputs: dict[str, OutputRecord]) -> dict[str, Stamp]:
    return {path: record.stamp for path, record in outputs.items() if record.template == SEARCH_RECORD}


def _stamps_under(root: Path, folder: str) -> dict[str, Stamp]:
    stamps = {}
    for path, stat in files_in(root / folder).items():
        data = (root / folder / path).read_bytes()
        stamps[folder + path] = Stamp(stat.st_size, stat.st_mtime_ns, digest_bytes(data))
    return stamps


def _next_due(site: Site, config: SiteConfig) -> str:
    """When the output next changes with time alone: a scheduled story is published or one leaves the
    news sitemap; "" when never. A build at or after it must not take the fast path."""
    scheduled = site.next_due if not config.future else None
    leaves = news.window_closes(news.recent(site.articles, config.now))
    due = min((moment for moment in (scheduled, leaves) if moment is not None), default=None)
    return due.isoformat() if due else ""


def _report(
    site: Site,
    warnings: tuple[Problem, ...],
    jobs: list[Job],
    started: float,
    made: int = 0,
    kept: int = 0,
    removed: int = 0,
    explained: tuple[str, ...] = (),
) -> Report:
    return Report(
        articles=len(site.articles),
        tags=len(site.tags),
        files=len(jobs),
        seconds=time.perf_counter() - started,
        skipped_drafts=site.skipped_drafts,
        skipped_future=site.skipped_future,
        warnings=warnings,
        pages=sum(job.kind == PAGE for job in jobs),  # not files of content/ or static/ that are HTML
        feeds=sum(job.kind in FEEDS for job in jobs),
        outlets=len(site.outlets),
        made=made,
        kept=kept,
        removed=removed,
        explained=explained,
    )


def _report_fields(report: Report) -> dict[str, object]:
    """What the fast path needs to report a build that had nothing to do."""
    return {
        "articles": report.articles,
        "tags": report.tags,
        "outlets": report.outlets,
        "files": report.files,
        "skipped_drafts": report.skipped_drafts,
        "skipped_future": report.skipped_future,
        "pages": report.pages,
        "feeds": report.feeds,
        "warnings": [[problem.path, problem.line, problem.message] for problem in report.warnings],
    }
