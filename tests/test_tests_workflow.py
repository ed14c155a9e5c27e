"""The test workflow runs what CI runs, where the browser tools can be installed, and keeps the screenshots."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import yaml
from browser.support import ARTIFACTS
from test_pages_workflow import NODE24_MAJORS, outdated_actions, triggers

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "tests.yml"


def load() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    return job["steps"]


def test_it_runs_the_ci_entry_point_with_browser_tests_required() -> None:
    commands = [shlex.split(line) for step in steps(load()) for line in str(step.get("run", "")).splitlines()]
    assert ["CI=true", "bash", ".ci/run"] in commands, commands


def test_it_runs_as_root_on_debian_so_the_tools_script_can_install_chromium() -> None:
    (job,) = load()["jobs"].values()
    image = job["container"] if isinstance(job["container"], str) else job["container"]["image"]
    assert image.startswith("python:3.11-"), image  # Debian images, root by default, apt-get present
    assert "apt-get install" in (REPO / "tests/install-tools.sh").read_text(encoding="utf-8")


def test_it_keeps_the_screenshot_folder_even_when_a_test_fails() -> None:
    uploads = [step for step in steps(load()) if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    assert len(uploads) == 1
    assert uploads[0]["if"] == "always()"
    assert (REPO / uploads[0]["with"]["path"]).resolve() == (ARTIFACTS / "screenshots").resolve()


def test_it_runs_on_pushes_and_pull_requests_with_read_only_rights() -> None:
    workflow = load()
    assert {"push", "pull_request"} <= set(triggers(workflow))
    assert workflow["permissions"] == {"contents": "read"}


def test_its_actions_run_on_node_24() -> None:
    assert "actions/upload-artifact" in NODE24_MAJORS
    assert outdated_actions(load()) == []
