"""The GitHub Pages workflow builds the site and publishes the folder the build writes, at the right address."""

from __future__ import annotations

import contextlib
import copy
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from nashra.cli import config_from, main, make_parser

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
SAMPLE_BASE_URL = "https://someone.github.io/some-repo/"
# The first major version of each action that runs on Node 24 (GitHub has deprecated Node 20 on its runners).
# upload-pages-artifact is a composite action; from v5 it uses upload-artifact v7, which runs on Node 24.
NODE24_MAJORS = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "actions/cache": 5,
    "actions/upload-artifact": 6,
}

Workflow = dict[Any, Any]


def load() -> Workflow:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: Workflow) -> dict[str, Any]:
    """The `on:` table; YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True."""
    found = workflow.get("on", workflow.get(True))
    return found if isinstance(found, dict) else {name: None for name in found or ()}


def step_index(steps: list[dict[str, Any]], uses: str) -> int | None:
    """Position of the first step that uses an action (any version), or None."""
    return next((i for i, step in enumerate(steps) if str(step.get("uses", "")).startswith(uses + "@")), None)


def build_command(steps: list[dict[str, Any]]) -> tuple[int, list[str]] | None:
    """(position, arguments after `build.py`) of the step that runs `python build.py`."""
    for index, step in enumerate(steps):
        for line in str(step.get("run", "")).splitlines():
            words = shlex.split(line)
            if len(words) >= 2 and re.fullmatch(r"python3?", words[0]) and words[1] == "build.py":
                return index, words[2:]
    return None


def build_output(arguments: list[str]) -> Path:
    """The folder `python build.py ARGS` writes when run at the repository root, as the workflow runs it."""
    arguments = [re.sub(r"\$\{\{.*?\}\}", SAMPLE_BASE_URL, word) for word in arguments]  # GitHub expressions
    options = make_parser("build").parse_args(arguments)
    with contextlib.chdir(REPO):
        return config_from(options).output_dir.resolve()


def outdated_actions(workflow: Workflow) -> list[str]:
    """Actions pinned to a major version that runs on Node 20 (or older)."""
    problems = []
    for job in (workflow.get("jobs") or {}).values():
        for step in job.get("steps", []):
            action, _, version = str(step.get("uses", "")).partition("@")
            major = re.fullmatch(r"v(\d+)(\.\d+)*", version)
            if action in NODE24_MAJORS and (not major or int(major.group(1)) < NODE24_MAJORS[action]):
                problems.append(f"{action}@{version} runs on Node 20 or older; use v{NODE24_MAJORS[action]} or later")
    return problems


def hidden_files_left_out(step: dict[str, Any], site: Path) -> list[str]:
    """Files of the built site that upload-pages-artifact would leave out: from v4 on, names starting with a dot."""
    if str((step.get("with") or {}).get("include-hidden-files", "")).lower() == "true":
        return []
    files = (path.relative_to(site) for path in site.rglob("*") if path.is_file())
    return sorted(path.as_posix() for path in files if any(part.startswith(".") for part in path.parts))


def check(workflow: Workflow, site: Path | None = None) -> list[str]:
    """Every way the workflow would fail to publish this site correctly (`site`: the built sample site)."""
    problems: list[str] = outdated_actions(workflow)
    on = triggers(workflow)
    if "main" not in ((on.get("push") or {}).get("branches") or []):
        problems.append("not run on push to main")
    if "workflow_dispatch" not in on:
        problems.append("cannot be run by hand (workflow_dispatch)")
    if not any("cron" in entry for entry in on.get("schedule") or []):
        problems.append("no daily schedule: future-dated articles would wait for the next commit")

    permissions = workflow.get("permissions") or {}
    for scope, level in {"pages": "write", "id-token": "write", "contents": "read"}.items():
        if permissions.get(scope) != level:
            problems.append(f"permissions: {scope} must be {level}")
    if not (workflow.get("concurrency") or {}).get("group"):
        problems.append("no concurrency group: two deployments could race")

    jobs = workflow.get("jobs") or {}
    build_job = next((job for job in jobs.values() if build_command(job.get("steps", [])) is not None), None)
    if build_job is None:
        return [*problems, "no job runs `python build.py`"]
    steps = build_job.get("steps", [])
    setup_python, configure = step_index(steps, "actions/setup-python"), step_index(steps, "actions/configure-pages")
    upload, command = step_index(steps, "actions/upload-pages-artifact"), build_command(steps)
    if setup_python is None or (steps[setup_python].get("with") or {}).get("cache") != "pip":
        problems.append("actions/setup-python with `cache: pip` is missing")
    if not any(re.search(r"pip install\b.*\s\.(\[|\s|$)", str(step.get("run", ""))) for step in steps):
        problems.append("nashra is not installed (`pip install .`)")
    if configure is None or command is None or upload is None:
        return [*problems, "the build job needs configure-pages, `python build.py` and upload-pages-artifact"]
    if not configure < command[0] < upload:
        problems.append("steps out of order: configure-pages, then build, then upload")

    pages_id = steps[configure].get("id")
    expression = f"${{{{ steps.{pages_id}.outputs.base_url }}}}"
    arguments = command[1]
    base_urls = [arguments[i + 1] for i, word in enumerate(arguments[:-1]) if word == "--base-url"]
    base_urls += [word.split("=", 1)[1] for word in arguments if word.startswith("--base-url=")]
    if not pages_id or base_urls != [expression]:
        problems.append(f"the build must get --base-url {expression!r} from configure-pages (id it), got {base_urls}")

    artifact = (steps[upload].get("with") or {}).get("path")
    written = build_output(arguments)
    if not artifact or (REPO / str(artifact)).resolve() != written:
        shown = written.relative_to(REPO) if written.is_relative_to(REPO) else written
        problems.append(f"upload-pages-artifact path {artifact!r} is not the folder the build writes ({shown}/)")

    if site is not None and (left_out := hidden_files_left_out(steps[upload], site)):
        problems.append(f"upload-pages-artifact leaves out {', '.join(left_out)}: set include-hidden-files: true")

    deploy_job = next(
        (job for job in jobs.values() if step_index(job.get("steps", []), "actions/deploy-pages") is not None), None
    )
    if deploy_job is None:
        problems.append("no job uses actions/deploy-pages")
    elif (deploy_job.get("environment") or {}).get("name") != "github-pages":
        problems.append("the deploy job must use the github-pages environment")
    return problems


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site as the workflow builds it."""
    output = tmp_path_factory.mktemp("pages") / "output"
    assert main(["--config", str(REPO / "site.toml"), "--output", str(output), "--quiet"]) == 0
    return output


def test_workflow_builds_and_publishes_the_site(built_sample: Path) -> None:
    assert check(load(), built_sample) == []


def test_the_built_site_has_a_hidden_file_to_lose(built_sample: Path) -> None:
    """.nojekyll: the check above would pass vacuously if the site had no file starting with a dot."""
    assert hidden_files_left_out({"with": {}}, built_sample) == [".nojekyll"]


def edit(path: str, value: Any) -> Callable[[Workflow], None]:
    """A change that sets (or, for None, deletes) a dotted key; `on.*` reaches the triggers."""

    def change(workflow: Workflow) -> None:
        *parents, last = path.split(".")
        node: Any = workflow
        for key in parents:
            node = node[True if key == "on" and "on" not in node else key]
        if value is None:
            del node[last]
        else:
            node[last] = value

    return change


def edit_step(uses: str, changes: dict[str, Any]) -> Callable[[Workflow], None]:
    """A change to the build job's step that uses an action, or (for `build.py`) runs the build."""

    def change(workflow: Workflow) -> None:
        for step in workflow["jobs"]["build"]["steps"]:
            if str(step.get("uses", "")).startswith(uses) or (uses == "build.py" and "build.py" in step.get("run", "")):
                step.update(changes)
                for key in [key for key, value in changes.items() if value is None]:
                    del step[key]

    return change


def changed(change: Callable[[Workflow], None]) -> Workflow:
    workflow = copy.deepcopy(load())
    change(workflow)
    return workflow


BUILD = 'python build.py --base-url "${{ steps.pages.outputs.base_url }}"'


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        pytest.param(edit_step("actions/upload-pages-artifact", {"with": {"path": "public/"}}),
                     "is not the folder the build writes", id="artifact-elsewhere"),
        pytest.param(edit_step("actions/upload-pages-artifact", {"with": {"path": "."}}),
                     "is not the folder the build writes", id="artifact-is-the-repository"),
        pytest.param(edit_step("build.py", {"run": BUILD + " --output dist"}),
                     "is not the folder the build writes (dist/)", id="build-writes-elsewhere"),
        pytest.param(edit_step("build.py", {"run": "python build.py"}), "--base-url", id="no-base-url"),
        pytest.param(edit_step("build.py", {"run": "python build.py --base-url https://example.org/"}),
                     "--base-url", id="fixed-base-url"),
        pytest.param(edit_step("build.py", {"run": BUILD.replace("steps.pages", "steps.other")}),
                     "--base-url", id="base-url-from-another-step"),
        pytest.param(edit_step("actions/configure-pages", {"id": None}), "--base-url", id="configure-pages-without-id"),
        pytest.param(edit_step("actions/setup-python", {"with": {"python-version": "3.11"}}),
                     "cache: pip", id="no-pip-cache"),
        pytest.param(edit("on.schedule", None), "no daily schedule", id="no-schedule"),
        pytest.param(edit("on.workflow_dispatch", None), "workflow_dispatch", id="no-manual-run"),
        pytest.param(edit("permissions.pages", "read"), "pages must be write", id="cannot-deploy"),
        pytest.param(edit_step("actions/upload-pages-artifact", {"with": {"path": "output/"}}),
                     "leaves out .nojekyll", id="hidden-files-left-out"),
        pytest.param(edit_step("actions/checkout", {"uses": "actions/checkout@v4"}),
                     "actions/checkout@v4 runs on Node 20", id="checkout-on-node-20"),
        pytest.param(edit_step("actions/setup-python", {"uses": "actions/setup-python@v5"}),
                     "actions/setup-python@v5 runs on Node 20", id="setup-python-on-node-20"),
        pytest.param(edit_step("actions/configure-pages", {"uses": "actions/configure-pages@v5"}),
                     "actions/configure-pages@v5 runs on Node 20", id="configure-pages-on-node-20"),
        pytest.param(edit_step("actions/upload-pages-artifact", {"uses": "actions/upload-pages-artifact@v3"}),
                     "actions/upload-pages-artifact@v3 runs on Node 20", id="upload-on-node-20"),
        pytest.param(edit("jobs.deploy.steps", [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]),
                     "actions/deploy-pages@v4 runs on Node 20", id="deploy-on-node-20"),
    ],
)  # fmt: skip
def test_a_broken_workflow_is_caught(change: Callable[[Workflow], None], complaint: str, built_sample: Path) -> None:
    problems = check(changed(change), built_sample)
    assert any(complaint in problem for problem in problems), problems


@pytest.mark.parametrize(
    "change",
    [
        edit_step("actions/upload-pages-artifact", {"with": {"path": "./output", "include-hidden-files": True}}),
        edit_step("actions/upload-pages-artifact", {"with": {"path": "output", "include-hidden-files": "true"}}),
        edit_step("actions/checkout", {"uses": "actions/checkout@v7.0.1"}),
        edit_step("build.py", {"run": BUILD.replace("--base-url ", "--base-url=")}),
        edit_step("build.py", {"run": BUILD}),  # output/ by default
    ],
)
def test_equivalent_spellings_pass(change: Callable[[Workflow], None], built_sample: Path) -> None:
    assert check(changed(change), built_sample) == []


def test_the_build_cache_is_restored_before_the_build_and_keeps_output_and_state() -> None:
    steps = load()["jobs"]["build"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    cache = next(index for index, action in enumerate(uses) if action.startswith("actions/cache@"))
    build = next(index for index, step in enumerate(steps) if "build.py" in step.get("run", ""))
    assert cache < build, "the cache must be restored before the build reads it"
    options = steps[cache]["with"]
    assert set(options["path"].split()) == {".nashra-cache", "output"}
    assert "--output output" in steps[build]["run"]  # the folder the cache restores
    # A new key each run, so every run saves; restore keys fall back to the newest earlier entry.
    assert "github.run_id" in options["key"]
    assert all(options["key"].startswith(prefix) for prefix in options["restore-keys"].splitlines())
