"""Every page of the built sample site passes the Nu HTML Checker (the W3C validator) without errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .support import BuiltSite

# A page the checker must reject: proves in the same run that errors are reported and parsed.
CANARY = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>اختبار</title></head>
<body><main><nashra-canary-element-that-does-not-exist></main></body></html>
"""


def run_checker(command: list[str], files: list[Path]) -> list[dict[str, object]]:
    """Check all files in one Java start (it is slow) and return the checker's JSON messages."""
    result = subprocess.run(
        [*command, "--format", "json", "--stdout", "--also-check-css", *map(str, files)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"the Nu HTML Checker gave no JSON (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return list(report["messages"])


def where(message: dict[str, object], root: Path) -> str:
    """`path:line` of a checker message, relative to the built site when inside it."""
    path = Path(unquote(urlsplit(str(message.get("url", ""))).path))
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    line = message.get("lastLine") or message.get("firstLine")
    return f"{shown}:{line}" if line else shown


def is_problem(message: dict[str, object]) -> bool:
    """Errors, fatal errors, files the checker could not read, and warnings; not plain info."""
    return message.get("type") in {"error", "non-document-error"} or message.get("subType") == "warning"


@pytest.mark.browser
def test_every_page_passes_the_nu_html_checker(built_site: BuiltSite, vnu_command: list[str], tmp_path: Path) -> None:
    pages = sorted(built_site.root.rglob("*.html"))
    stylesheets = sorted(built_site.root.rglob("*.css"))
    assert len(pages) > 10, "the sample site should have more pages than this"
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")

    messages = run_checker(vnu_command, [*pages, *stylesheets, canary])

    canary_errors = [m for m in messages if m.get("type") == "error" and str(m.get("url", "")).endswith("/canary.html")]
    assert canary_errors, "the checker did not flag an unknown element: is it really checking the files?"
    site_messages = [m for m in messages if not str(m.get("url", "")).endswith("/canary.html")]
    problems = [
        f"{where(m, built_site.root)}: {m.get('subType') or m.get('type')}: {m.get('message')}"
        for m in site_messages
        if is_problem(m)
    ]
    if problems:
        pytest.fail(f"{len(problems)} Nu HTML Checker problems:\n" + "\n".join(problems), pytrace=False)
