"""Command line: `python build.py [build|check] [options]`. The only module that prints."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .config import Overrides, SiteConfig, load_config
from .errors import BuildError, Problem
from .pipeline import build, read_site

EPILOG = """examples:
  python build.py                                   build content/ into output/
  python build.py --drafts --future                 include drafts and scheduled stories
  python build.py --base-url https://USER.github.io/REPO/
  python build.py check                             validate content and site.toml, write nothing
"""


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run a command; return the exit code (0 ok, 1 content errors, 2 usage errors)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = list(sys.argv[1:] if argv is None else argv)
    command = args.pop(0) if args and args[0] in COMMANDS else "build"
    parser = _parser(command)
    try:
        options = parser.parse_args(args)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return COMMANDS[command](options, out, err)
    except BuildError as error:
        _print_problems(error.problems, err)
        noun = "error" if len(error.problems) == 1 else "errors"
        unchanged = "" if command == "check" else f"; {options.output or 'output'}/ left unchanged"
        print(f"{len(error.problems)} {noun}{unchanged}", file=err)
        return error.exit_code


def _parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"python build.py{'' if command == 'build' else ' ' + command}",
        description=DESCRIPTIONS[command],
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--config", type=Path, default=Path("site.toml"), help="site configuration (default: site.toml)"
    )
    parser.add_argument("--content", type=Path, help="content folder (default: content/ beside site.toml)")
    parser.add_argument("--output", type=Path, help="output folder (default: output/ beside site.toml)")
    parser.add_argument("--layouts", type=Path, help="layouts folder (default: layouts/ beside site.toml)")
    parser.add_argument("--base-url", help="public address of the site, overrides site.toml's base_url")
    parser.add_argument("--drafts", action="store_true", help="include articles marked 'draft: true'")
    parser.add_argument("--future", action="store_true", help="include articles dated in the future")
    parser.add_argument(
        "--no-cache", dest="cache", action="store_false", help="render every Markdown body again (no .nashra-cache/)"
    )
    return parser


def config_from(options: argparse.Namespace) -> SiteConfig:
    """SiteConfig from site.toml and the command-line overrides."""
    overrides = Overrides(
        content_dir=options.content,
        output_dir=options.output,
        layouts_dir=options.layouts,
        base_url=options.base_url,
        drafts=options.drafts,
        future=options.future,
        cache=options.cache,
    )
    return load_config(options.config, overrides)


def run_build(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config = config_from(options)
    report = build(config)
    _print_problems(report.warnings, err, prefix="warning: ")
    print(
        f"built {report.articles} articles, {report.tags} tags, {report.files} files "
        f"in {report.seconds:.2f} s -> {config.output_dir}",
        file=out,
    )
    return 0


def run_check(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config = config_from(options)
    site, warnings = read_site(config)
    _print_problems(warnings, err, prefix="warning: ")
    print(f"ok: {len(site.articles)} articles, {len(site.tags)} tags, no errors", file=out)
    return 0


def _print_problems(problems: Sequence[Problem], err: TextIO, prefix: str = "") -> None:
    for problem in problems:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        print(f"{where}: {prefix}{problem.message}", file=err)


COMMANDS = {"build": run_build, "check": run_check}
DESCRIPTIONS = {
    "build": "Build the Arabic news-digest site from content/ into output/ (all or nothing).",
    "check": "Validate content and site.toml and report every error at once; writes nothing.",
}
