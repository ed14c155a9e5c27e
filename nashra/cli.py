"""Command line: `python build.py [build|check|new|serve] [options]`. The only module that prints."""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from .config import Overrides, SiteConfig, load_config
from .errors import BuildError, Problem
from .pipeline import Progress, Report, build, check

if TYPE_CHECKING:
    from .importer import Outcome

PROGRESS_MIN_FILES = 100  # smaller builds finish before a bar would be readable
LEADING_FLAGS = ("-q", "--quiet", "-v", "--verbose")
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")

COMMANDS_HELP = """commands (the first argument; build is the default):
  build    build content/ into output/, all or nothing
  check    validate content, layouts and site.toml; report every error; write nothing
  new      create a draft article with complete front matter
  serve    preview the site on 127.0.0.1, rebuilding and reloading on every change
  import   turn the outlets' feeds (sources.toml) into draft stories in content/
Run `python build.py COMMAND --help` for a command's options.
"""

EPILOGS = {
    "build": COMMANDS_HELP
    + """
examples:
  python build.py                                   build content/ into output/
  python build.py --drafts --future                 include drafts and scheduled stories
  python build.py --base-url https://USER.github.io/REPO/
  python build.py --quiet                           print only warnings and errors (for CI)
""",
    "check": """examples:
  python build.py check                             every error at once, as path:line: message
  python build.py check --quiet                     silent unless something is wrong (pre-commit)
  python build.py check --output dist               also make sure the build can write dist/

exit status: 0 when the site would build, 1 when it would not, 2 for a wrong option.
""",
    "new": """examples:
  python build.py new "ميتا تعيد رسم استراتيجيتها في الذكاء الاصطناعي"
  python build.py new "ماسك يرد على ترامب" --tags "السياسة الأمريكية،إيلون ماسك" --source "رويترز"
  python build.py new "OpenAI تطلق نموذجًا جديدًا" --tags OpenAI --tags "الذكاء الاصطناعي" \\
      --source-url https://example.com/story --date 2025-06-30T14:05
  $EDITOR "$(python build.py new "عنوان الخبر")"      open the new file straight away

The file name comes from the title once, with the same slug function the build uses, so
correcting the title later never changes the story's address. The article starts as a draft
(draft: true): preview it with `python build.py serve --drafts`, delete that line to publish.
""",
    "serve": """examples:
  python build.py serve                             http://127.0.0.1:8000/REPO/ (base_url's path)
  python build.py serve --drafts --future           also show drafts and scheduled stories
  python build.py serve --port 0                    pick any free port

The site is built into a temporary folder (output/ is never touched) and served under base_url's
sub-path, so links behave exactly as on GitHub Pages. Saving a file under content/, layouts/ or static/,
or site.toml or sources.toml, rebuilds the site and reloads open pages. A failed rebuild keeps the last good
site and shows the errors over the page until they are fixed. Ctrl-C or SIGTERM stops the
server, removes the temporary folder and exits with status 0.
""",
    "import": """examples:
  python build.py import                            every source in sources.toml
  python build.py import "الموقع بوست"                one source, by its name
  python build.py import --dry-run -v               what would be written, and every item's fate

Each new item becomes content/YYYY/MM/<slug>.md, a draft unless its source says draft = false.
Items already in content/ (same id or address) or imported before (sources.state.json, beside
sources.toml: commit it) are never written again, even after their draft was deleted.
exit status: 0 when every source was read (or some were); 1 when errors left nothing imported.
""",
}

DESCRIPTIONS = {
    "build": "Build the Arabic news-digest site from content/ into output/ (all or nothing).",
    "check": "Validate content, layouts and site.toml and report every error at once; writes nothing.",
    "new": "Create content/YYYY/MM/<slug>.md: a draft article with complete front matter. Prints its path.",
    "serve": "Preview the site on 127.0.0.1 under base_url's path; rebuild and reload on every change.",
    "import": "Fetch the outlets' feeds listed in sources.toml and write each new item as a draft story.",
}


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run a command; return the exit code (0 ok, 1 content errors, 2 usage errors)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = list(sys.argv[1:] if argv is None else argv)
    leading = []
    while args and args[0] in LEADING_FLAGS:  # `python build.py -q check` as well as `check -q`
        leading.append(args.pop(0))
    command = args.pop(0) if args and args[0] in COMMANDS else "build"
    parser = make_parser(command)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            options = parser.parse_args(leading + args)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return COMMANDS[command](options, out, err)
    except UsageError as error:
        print(f"{parser.prog}: error: {error}", file=err)
        return 2
    except BuildError as error:
        _print_problems(error.problems, err)
        noun = "error" if len(error.problems) == 1 else "errors"
        unchanged = f"; {options.output or 'output'}/ left unchanged" if command == "build" else ""
        print(f"{len(error.problems)} {noun}{unchanged}", file=err)
        return error.exit_code


# ---------------------------------------------------------------- options


def make_parser(command: str) -> argparse.ArgumentParser:
    """The argument parser of one command (`build`, `check`, `new` or `serve`)."""
    parser = argparse.ArgumentParser(
        prog=f"python build.py{'' if command == 'build' else ' ' + command}",
        description=DESCRIPTIONS[command],
        epilog=EPILOGS[command],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if command == "new":
        _new_options(parser)
    if command == "import":
        _import_options(parser)
    if command == "serve":
        parser.add_argument(
            "--port", type=_port, default=8000, help="TCP port on 127.0.0.1 (default: 8000; 0 picks a free one)"
        )
    parser.add_argument(
        "--config", type=Path, default=Path("site.toml"), help="site configuration (default: site.toml)"
    )
    parser.add_argument("--content", type=Path, help="content folder (default: content/ beside site.toml)")
    if command in ("build", "check"):
        parser.add_argument("--output", type=Path, help="output folder (default: output/ beside site.toml)")
    if command not in ("new", "import"):
        parser.add_argument("--layouts", type=Path, help="layouts folder (default: layouts/ beside site.toml)")
        parser.add_argument(
            "--static",
            type=Path,
            help="files published at the site root as they are (default: static/ beside site.toml)",
        )
        parser.add_argument("--base-url", help="public address of the site, overrides site.toml's base_url")
        parser.add_argument("--drafts", action="store_true", help="include articles marked 'draft: true'")
        parser.add_argument("--future", action="store_true", help="include articles dated in the future")
        parser.add_argument(
            "--sources",
            type=Path,
            metavar="FILE",
            help="the outlets whose feeds our feeds credit (default: sources.toml beside site.toml, if any)",
        )
    if command == "build":
        parser.add_argument(
            "--explain",
            action="append",
            default=[],
            metavar="PATH",
            help="say why an output (e.g. articles/SLUG/ or feed.xml) was made again or kept; repeatable",
        )
    if command in ("build", "serve"):
        parser.add_argument(
            "--no-cache",
            dest="cache",
            action="store_false",
            help="build everything afresh: no .nashra-cache/ (rendered bodies and the previous build's state)",
        )
    talk = parser.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    talk.add_argument("-v", "--verbose", action="store_true", help="print more: settings, a full report, requests")
    return parser


def _new_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("title", help='the headline, in quotes: "ميتا تعيد رسم استراتيجيتها"')
    parser.add_argument(
        "--tags",
        action="append",
        metavar="TAGS",
        help="tags, separated by ',' or '،'; repeat the option for more: --tags ميتا --tags 'الذكاء الاصطناعي'",
    )
    parser.add_argument("--source", default="", help="name of the original publisher, e.g. رويترز")
    parser.add_argument("--source-url", default="", help="address of the original story (http or https)")
    parser.add_argument("--slug", default="", help="words for the file name and address instead of the title")
    parser.add_argument(
        "--date",
        default="",
        help="publication date, YYYY-MM-DD or YYYY-MM-DDTHH:MM (site time zone unless an offset is given); "
        "default: now",
    )


def _import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="import only these sources (their `name`)")
    parser.add_argument(
        "--sources", type=Path, metavar="FILE", help="the outlets to import (default: sources.toml beside site.toml)"
    )
    parser.add_argument("--dry-run", action="store_true", help="fetch and report, but write no story and no state")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, got {port}")
    return port


def config_from(options: argparse.Namespace) -> SiteConfig:
    """SiteConfig from site.toml and the command-line overrides."""
    overrides = Overrides(
        content_dir=options.content,
        output_dir=getattr(options, "output", None),
        layouts_dir=getattr(options, "layouts", None),
        static_dir=getattr(options, "static", None),
        base_url=getattr(options, "base_url", None),
        drafts=getattr(options, "drafts", False),
        future=getattr(options, "future", False),
        cache=getattr(options, "cache", True),
        sources=getattr(options, "sources", None),
    )
    return load_config(options.config, overrides)


# ---------------------------------------------------------------- build and check


def run_build(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    step = functools.partial(build, explain=options.explain)
    return _run_pipeline(step, options, out, err, lambda config: f"built {_shown(config.output_dir)}/")


def run_check(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return _run_pipeline(check, options, out, err, lambda config: "ok, no errors (nothing written)")


def _run_pipeline(
    step: Callable[..., Report],
    options: argparse.Namespace,
    out: TextIO,
    err: TextIO,
    headline: Callable[[SiteConfig], str],
) -> int:
    """Build or check with progress, then the warnings and the report."""
    config = config_from(options)
    if options.verbose:
        _print_settings(config, out)
    with TerminalProgress.for_options(options, err) as progress:
        report = step(config, progress=progress)
    _print_problems(report.warnings, err, prefix="warning: ")
    if not options.quiet:
        _print_report(report, headline(config), options.verbose, out)
    for line in report.explained:
        print(line, file=out)
    return 0


def _print_report(report: Report, headline: str, verbose: bool, out: TextIO) -> None:
    """One line by default; a table with --verbose."""
    if not verbose:
        counts = ", ".join(_count(n, noun) for n, noun in ((report.articles, "article"), (report.tags, "tag"),
                           (report.outlets, "outlet"), (report.pages, "page"), (report.feeds, "feed")))  # fmt: skip
        skipped = f"skipped {_count(report.skipped_drafts, 'draft')}, {report.skipped_future} scheduled"
        warnings = _count(len(report.warnings), "warning")
        print(f"{headline}: {counts}; {skipped}; {_changes(report)}; {warnings}; {report.seconds:.2f} s", file=out)
        return
    rows = (
        ("articles", report.articles),
        ("drafts skipped", report.skipped_drafts),
        ("future skipped", report.skipped_future),
        ("tags", report.tags),
        ("outlets", report.outlets),
        ("pages", report.pages),
        ("feeds", report.feeds),
        ("files", report.files),
        ("made", report.made),
        ("kept", report.kept),
        ("removed", report.removed),
        ("warnings", len(report.warnings)),
        ("seconds", f"{report.seconds:.2f}"),
    )
    print(headline, file=out)
    for name, value in rows:
        print(f"  {name:<15}{value:>8}", file=out)


def _changes(report: Report) -> str:
    """`made 3 files, kept 1,204, removed 1`, or `nothing changed`."""
    if not report.made and not report.removed:
        return "nothing changed"
    parts = [f"made {_count(report.made, 'file')}", f"kept {report.kept:,}"]
    if report.removed:
        parts.append(f"removed {report.removed:,}")
    return ", ".join(parts)


def _print_settings(config: SiteConfig, out: TextIO) -> None:
    print(f"base_url  {config.base_url}", file=out)
    print(f"content   {_shown(config.content_dir)}/", file=out)
    print(f"layouts   {_shown(config.layouts_dir)}/", file=out)
    if config.static_dir:
        print(f"static    {_shown(config.static_dir)}/", file=out)
    if config.sources_file:
        print(f"sources   {_shown(config.sources_file)}", file=out)
    print(f"drafts    {'included' if config.drafts else 'skipped'}", file=out)
    print(f"future    {'included' if config.future else 'skipped'} (now: {config.now.isoformat()})", file=out)


class TerminalProgress:
    """A progress bar on stderr for builds of many files; silent when not a terminal."""

    LABELS: ClassVar[dict[str, str]] = {"read": "reading", "write": "writing"}

    def __init__(self, stream: TextIO, min_files: int = PROGRESS_MIN_FILES) -> None:
        self._stream = stream
        self._min_files = min_files
        self._active = False
        self._phase = ""
        self._bar: Any = None

    @classmethod
    @contextlib.contextmanager
    def for_options(cls, options: argparse.Namespace, err: TextIO):  # type: ignore[no-untyped-def]
        """Yield a progress callback, or None when quiet or when stderr is not a terminal (CI, pipes)."""
        if options.quiet or not _is_terminal(err):
            yield None
            return
        progress = cls(err)
        try:
            yield progress
        finally:
            progress.close()

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if phase == "read" and done == 0:
            self.close()
            self._active = (total or 0) >= self._min_files
        if not self._active:
            return
        if phase != self._phase or self._bar is None:
            self.close()
            from tqdm import tqdm  # imported only when a bar is shown: most builds never need it

            self._bar = tqdm(
                total=total, desc=self.LABELS.get(phase, phase), unit=" files", file=self._stream, leave=False
            )
            self._phase = phase
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar, self._phase = None, ""


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# ---------------------------------------------------------------- new


class UsageError(ValueError):
    """A command-line value that cannot be used; exit code 2."""


def run_new(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import new  # only this command needs it

    config = load_config(options.config, Overrides(content_dir=options.content))
    draft = new.Draft(
        title=options.title,
        tags=new.split_tags(options.tags),
        source=options.source,
        source_url=options.source_url,
        slug=options.slug,
        date=options.date,
    )
    try:
        path = new.create_article(draft, config, config.now)
    except new.UsageError as error:
        raise UsageError(str(error)) from error
    print(_shown(path), file=out)
    if not options.quiet:
        for other in new.namesakes(config, path):
            print(
                f"note: {_shown(other)} has the same name; the newer story's address gets a number (-2, -3)",
                file=err,
            )
        print("draft: preview with `python build.py serve --drafts`; delete 'draft: true' to publish", file=err)
    if options.verbose:
        print(path.read_text(encoding="utf-8"), file=err, end="")
    return 0


# ---------------------------------------------------------------- import


def run_import(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datetime import UTC

    from . import importer, importstate, sources  # feeds are read only by this command

    config = load_config(options.config, Overrides(content_dir=options.content))
    sources_path = options.sources or options.config.parent / sources.SOURCES_FILE
    chosen = sources.load_sources(sources_path)
    label = _shown(sources_path)
    missing = [name for name in options.names if name not in {source.name for source in chosen}]
    if missing:
        raise UsageError(f"no source named {', '.join(map(repr, missing))} in {label}")
    if options.names:
        chosen = tuple(source for source in chosen if source.name in options.names)
    state_path = sources_path.with_name(importstate.STATE_FILE)
    try:
        state = importstate.load_state(state_path)
    except ValueError as error:
        raise BuildError([Problem(_shown(state_path), None, str(error))]) from error
    settings = importer.Settings(config, datetime.now(UTC), dry_run=options.dry_run)
    outcomes, state = importer.import_sources(chosen, state, settings)
    if not options.dry_run:
        importstate.save_state(state_path, state)
    for outcome in outcomes:
        _print_outcome(outcome, label, options, out, err)
    failed = [outcome for outcome in outcomes if outcome.error]
    if not options.quiet:
        new = sum(len(outcome.new) for outcome in outcomes)
        verb = "would write" if options.dry_run else "wrote"
        stories = "1 story" if new == 1 else f"{new} stories"
        print(f"{verb} {stories} from {_count(len(outcomes) - len(failed), 'source')}"
              f"{f'; {len(failed)} failed' if failed else ''}", file=out)  # fmt: skip
    return 1 if failed and len(failed) == len(outcomes) else 0


def _print_outcome(outcome: Outcome, label: str, options: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    """`label:LINE [name]: ...` for errors and warnings; a line per source, and per item with -v."""
    source = outcome.source
    where = f"{label}:{source.line}" if source.line else label
    if outcome.error:
        print(_one_line(f"{where} [{source.name}]: {outcome.error}"), file=err)
        return
    for warning in outcome.warnings:
        print(_one_line(f"{where} [{source.name}]: warning: {warning}"), file=err)
    if options.quiet:
        return
    if options.verbose and outcome.fetched:
        print(_one_line(f"{source.name}: {source.feed}: {outcome.fetched}"), file=out)
    if outcome.not_modified:
        print(_one_line(f"{source.name}: not changed since the last import"), file=out)
        return
    skipped = f", {len(outcome.skipped)} skipped" if outcome.skipped else ""
    new = "would be new" if options.dry_run else "new"
    print(_one_line(f"{source.name}: {len(outcome.new)} {new}, {outcome.known} already known{skipped}"), file=out)
    for story in outcome.new:
        print(f"  {'would write' if options.dry_run else 'wrote'} {_shown(story.path)}", file=out)
        if options.dry_run and options.verbose:  # the whole file, as it would be written
            print("".join(f"    {line}" for line in story.text.splitlines(keepends=True)), file=out)
    if options.verbose:
        for what, why in outcome.skipped:
            print(_one_line(f"  skipped {what}: {why}"), file=out)


# ---------------------------------------------------------------- serve


def run_serve(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .serve import Preview, RebuildResult, watch  # watchfiles is needed only here

    config_from(options)  # a broken site.toml stops here, reported like any build error
    on_request = _request_logger(out) if options.verbose else None

    def report(result: RebuildResult, changes: set[tuple[Any, str]] | None = None) -> None:
        if changes and options.verbose:
            for _, changed in sorted(changes, key=lambda change: change[1]):
                print(f"changed {_shown(Path(changed))}", file=out)
        if result.ok and result.report:
            _print_problems(result.report.warnings, err, prefix="warning: ")
            if not options.quiet:
                _print_report(result.report, "built", False, out)
        else:
            _print_problems(result.problems, err)
            noun = "error" if len(result.problems) == 1 else "errors"
            if preview.state.root:
                serving = "still serving the last good build"
            else:
                serving = "no build to serve yet; fix the errors above"
            print(f"{len(result.problems)} {noun}; {serving}", file=err, flush=True)

    try:
        with _terminate_like_ctrl_c():
            try:
                preview = Preview(lambda: config_from(options), options.port, on_request, _serve_progress(options, err))
            except OSError as error:
                return _port_problem(error, options.port, err)
            with preview:
                report(preview.start())
                print(f"serving {preview.url}  (Ctrl-C to stop)", file=out, flush=True)
                watch(preview, options.config, report)
    except KeyboardInterrupt:
        print("\nstopped", file=err)
    return 0


@contextlib.contextmanager
def _terminate_like_ctrl_c() -> Iterator[None]:
    """SIGTERM (how CI runners and process managers stop a server) ends serve as Ctrl-C does:
    the temporary builds are removed and the exit status is 0, a stop that was asked for."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve_progress(options: argparse.Namespace, err: TextIO) -> Progress | None:
    return None if options.quiet or not _is_terminal(err) else TerminalProgress(err)


def _request_logger(out: TextIO) -> Callable[[str, str, int], None]:
    def log(method: str, path: str, status: int) -> None:
        if not path.startswith("/__nashra/"):  # the reload script's own polling is noise
            print(f"{datetime.now():%H:%M:%S} {status} {method} {path}", file=out, flush=True)

    return log


def _port_problem(error: OSError, port: int, err: TextIO) -> int:
    if error.errno == errno.EADDRINUSE:
        print(f"port {port} is already in use; pass --port N (or --port 0 for any free port)", file=err)
    else:
        print(f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}", file=err)
    return 1


# ---------------------------------------------------------------- shared


def _print_problems(problems: Sequence[Problem], err: TextIO, prefix: str = "") -> None:
    for problem in problems:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        print(_one_line(f"{where}: {prefix}{problem.message}"), file=err)


def _one_line(text: str) -> str:
    """Escape control characters and line breaks (a file may be named `a\\nb.md`): one problem, one line."""
    return CONTROL_CHARACTERS.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
    "build": run_build,
    "check": run_check,
    "new": run_new,
    "serve": run_serve,
    "import": run_import,
}
