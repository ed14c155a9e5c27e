"""README as a new user follows it: the quick start, the command CI runs, the publishing steps."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text of a `## title` section, up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.MULTILINE | re.DOTALL)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def commands(text: str) -> list[str]:
    """The lines of the first ```sh block."""
    match = re.search(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert match, "no ```sh block"
    return match.group(1).splitlines()


def test_quick_start_makes_a_virtual_environment_before_installing() -> None:
    """Debian's system Python refuses `pip install` (externally-managed-environment) and has no `python`."""
    lines = commands(section("Quick start"))
    first = shlex.split(lines[0])
    assert first[:3] == ["python3", "-m", "venv"] and first[4:] == ["&&", ".", f"{first[3]}/bin/activate"], lines[0]
    assert "pip install" not in lines[0] and any("pip install" in line for line in lines[1:])
    assert "externally-managed-environment" in section("Quick start")


def test_ci_runs_the_quick_start_test_line_and_so_does_testing() -> None:
    """`.ci/run` runs the quick start's test line, word for word; the Testing section shows the same."""
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    ran = [line for line in script if line and not line.startswith(("#", "set ", "cd ", "export "))]
    line = commands(section("Quick start"))[-1]
    assert ran == [line]
    assert commands(section("Testing")) == [line]


def test_publish_sets_the_pages_source_before_the_first_push() -> None:
    """Pushing first runs the workflow before Pages is set to GitHub Actions, and that run fails."""
    steps = re.findall(r"^\d+\. (.*?)(?=^\d+\. |\n\n)", section("Publish on GitHub Pages"), re.MULTILINE | re.DOTALL)
    source = next(i for i, step in enumerate(steps) if "**GitHub Actions**" in step)
    push = next(i for i, step in enumerate(steps) if step.startswith("Push"))
    assert source < push, steps


def test_quick_start_says_to_preview_with_serve_not_from_disk() -> None:
    text = " ".join(section("Quick start").split())
    assert "`python build.py serve`" in text
    assert "Opening `output/index.html` from disk shows it without styles" in text
