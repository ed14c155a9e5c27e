"""The import workflow runs `build.py import` on a schedule and commits exactly the new stories and the state."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_pages_workflow import outdated_actions, triggers

from nashra.cli import make_parser
from nashra.importstate import STATE_FILE
from nashra.sources import SOURCES_FILE

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "import.yml"
PAGES = REPO / ".github" / "workflows" / "pages.yml"


def load(path: Path = WORKFLOW) -> dict[Any, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def steps() -> list[dict[str, Any]]:
    (job,) = load()["jobs"].values()
    return job["steps"]


def step(name: str) -> dict[str, Any]:
    return next(step for step in steps() if step.get("name") == name)


def test_scheduled_and_by_hand_with_only_contents_write() -> None:
    workflow = load()
    on = triggers(workflow)
    assert set(on) == {"schedule", "workflow_dispatch"} and on["schedule"][0]["cron"]
    assert workflow["permissions"] == {"contents": "write"}
    assert workflow["concurrency"]["group"] and outdated_actions(workflow) == []


def test_pages_publishes_after_an_import() -> None:
    """A push made with the workflow's token starts no workflow, so Pages listens for the run's end."""
    run = triggers(load(PAGES))["workflow_run"]
    assert run["workflows"] == [load()["name"]] and run["types"] == ["completed"]


def test_the_import_step_uses_the_files_the_commit_step_adds() -> None:
    (command,) = [shlex.split(line) for line in step("Import")["run"].splitlines() if "build.py" in line]
    assert command[:3] == ["python", "build.py", "import"]
    options = make_parser("import").parse_args(command[3:])
    sources = options.sources or options.config.parent / SOURCES_FILE
    script = step("Commit new stories")["run"]
    adds = [line for line in script.splitlines() if "git add" in line]
    added = [shlex.split(line.split("git add --", 1)[1].split(";")[0])[0] for line in adds]
    assert added == ["content", sources.with_name(STATE_FILE).as_posix()]
    assert options.content is None  # content/ beside site.toml, the folder the commit adds


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of a bare repository holding a site, as actions/checkout leaves it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip

    def git(*args: str, cwd: Path) -> None:
        subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)

    origin, work = tmp_path / "origin.git", tmp_path / "work"
    git("init", "--quiet", "--bare", "--initial-branch=main", str(origin), cwd=tmp_path)
    git("clone", "--quiet", str(origin), str(work), cwd=tmp_path)
    (work / "content").mkdir()
    (work / "content" / "old.md").write_text("old\n", encoding="utf-8")
    (work / "site.toml").write_text("title = 'x'\n", encoding="utf-8")
    git("add", ".", cwd=work)
    git("commit", "--quiet", "-m", "site", cwd=work)
    git("push", "--quiet", "-u", "origin", "main", cwd=work)
    return work


def commit_step(work: Path) -> tuple[str, str]:
    """Run the workflow's commit script as the runner does (bash -e); return its output and the newest commit."""
    script = step("Commit new stories")["run"]
    done = subprocess.run(["bash", "-e", "-c", script], cwd=work, check=True, capture_output=True, text=True)
    origin = subprocess.run(["git", "log", "-1", "--format=%B", "origin/main"], cwd=work, check=True,
                            capture_output=True, text=True)  # fmt: skip
    return done.stdout, origin.stdout.strip()


def test_a_repository_without_sources_has_nothing_to_import(tmp_path: Path) -> None:
    done = subprocess.run(["bash", "-e", "-c", step("Import")["run"]], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("no sources.toml: nothing to import")


def test_nothing_new_commits_nothing(clone: Path) -> None:
    out, last = commit_step(clone)
    assert out == "nothing new\n" and last == "site"
    (clone / STATE_FILE).write_text('{"validators": "changed"}\n', encoding="utf-8")
    out, last = commit_step(clone)
    assert out == "nothing new\n" and last == "site"


def test_new_stories_and_the_state_are_committed_and_pushed(clone: Path) -> None:
    for name in ("a", "b"):
        (clone / "content" / "2026" / "11").mkdir(parents=True, exist_ok=True)
        (clone / "content" / "2026" / "11" / f"{name}.md").write_text("new\n", encoding="utf-8")
    (clone / STATE_FILE).write_text("{}\n", encoding="utf-8")
    (clone / "stray.txt").write_text("not ours\n", encoding="utf-8")
    _, last = commit_step(clone)
    assert last.startswith("Import 2 new stories from the outlets' feeds\n\nWritten by `python build.py import`")
    shown = subprocess.run(["git", "show", "--name-only", "--format=", "origin/main"], cwd=clone, check=True,
                           capture_output=True, text=True).stdout.split()  # fmt: skip
    assert shown == ["content/2026/11/a.md", "content/2026/11/b.md", STATE_FILE]
    (clone / "content" / "2026" / "11" / "c.md").write_text("one more\n", encoding="utf-8")
    assert commit_step(clone)[1].startswith("Import 1 new story from")
