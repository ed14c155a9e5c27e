"""Command line for the authoring loop: check, progress, the build report, --quiet/--verbose, help."""

from __future__ import annotations

import importlib.util
import io
import shutil
from pathlib import Path

import pytest
from conftest import copy_site

from nashra import pipeline
from nashra.cli import main
from nashra.config import load_config

ARTICLE = "content/2025/06/ترامب-يهاجم-ماسك.md"


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as stderr does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def run(*args: str | Path, err: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), err if err is not None else io.StringIO()
    code = main([str(arg) for arg in args], out, err)
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def add_articles(site: Path, count: int) -> None:
    folder = site / "content" / "many"
    folder.mkdir()
    for number in range(count):
        (folder / f"story-{number}.md").write_text(
            f'---\ntitle: "خبر رقم {number}"\ndate: 2025-05-01T10:00:00+03:00\n---\n\nنص الخبر.\n', encoding="utf-8"
        )


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1751360400")  # 2025-07-01T09:00:00Z: after every sample article
    return copy_site(tmp_path)


# ---------------------------------------------------------------- check


def test_check_reports_every_error_at_once_and_writes_nothing(site: Path) -> None:
    (site / "content" / "2025" / "06" / "no-title.md").write_text("---\ndate: 2025-06-01\n---\nنص\n", encoding="utf-8")
    (site / "content" / "2025" / "06" / "bad-date.md").write_text(
        '---\ntitle: "خبر"\ndate: 2025-13-01\n---\nنص\n', encoding="utf-8"
    )
    (site / "content" / "2025" / "06" / "typo.md").write_text(
        '---\ntitle: "خبر"\ndate: 2025-06-01\ntgas: [ميتا]\n---\nنص\n', encoding="utf-8"
    )
    layout = site / "layouts" / "tag.html"
    layout.write_text(layout.read_text(encoding="utf-8") + "{% if %}\n", encoding="utf-8")
    before = snapshot(site.parent)

    code, out, err = run("check", "--config", site / "site.toml")

    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[-1] == "4 errors"
    assert any(line.startswith("content/2025/06/bad-date.md:3: date:") for line in lines)
    assert any(line.startswith("content/2025/06/no-title.md:1: title:") for line in lines)
    assert any(line.startswith("content/2025/06/typo.md:4: tgas:") for line in lines)
    assert any(line.startswith("layouts/tag.html:") for line in lines)
    assert snapshot(site.parent) == before  # no output/, no temporary folder, nothing touched


def test_check_passes_on_the_sample_site_without_writing(site: Path) -> None:
    before = snapshot(site.parent)
    code, out, err = run("check", "--config", site / "site.toml")
    assert (code, err) == (0, "")
    assert out.startswith("ok, no errors (nothing written): 8 articles, 12 tags, 2 outlets, ")
    assert snapshot(site.parent) == before


def test_check_quiet_prints_nothing_when_all_is_well(site: Path) -> None:
    assert run("-q", "check", "--config", site / "site.toml") == (0, "", "")
    assert run("check", "--quiet", "--config", site / "site.toml") == (0, "", "")


# ---------------------------------------------------------------- check predicts build


def break_nothing(site: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    """Only a draft, as `new` leaves a new site: nothing published yet, search on (the sample's setting)."""
    shutil.rmtree(site / "content")
    assert run("new", "أول خبر", "--config", site / "site.toml")[0] == 0
    return ()


def pagefind_not_installed(site: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pagefind" else real(name, *a))
    return ()


def pagefind_binary_missing(site: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site / "no-such-pagefind"))  # Pagefind's own override
    return ()


def output_is_a_file(site: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    (site / "public").write_text("not a folder\n", encoding="utf-8")
    return ("--output", str(site / "public"))


def output_under_a_file(site: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    return ("--output", str(site / "site.toml" / "output"))


def output_replaces_content(site: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    return ("--output", str(site))


@pytest.mark.parametrize(
    ("setup", "complaint"),
    [
        (break_nothing, None),
        (pagefind_not_installed, "search: Pagefind is not installed"),
        (pagefind_binary_missing, "search: Pagefind cannot start"),
        (output_is_a_file, "public: exists and is not a folder"),
        (output_under_a_file, "cannot be created: "),
        (output_replaces_content, "output folder would replace"),
    ],
)
def test_check_fails_exactly_when_build_would(
    site: Path, monkeypatch: pytest.MonkeyPatch, setup, complaint: str | None
) -> None:
    """A CI gate built on `check` must not pass a site whose build then fails (and the reverse)."""
    options = setup(site, monkeypatch)
    before = snapshot(site.parent)
    checked = run("check", "--config", site / "site.toml", *options)
    assert snapshot(site.parent) == before  # check writes nothing, whatever it finds
    built = run("--config", site / "site.toml", *options)
    assert "Traceback" not in built[2]
    assert (checked[0], built[0]) == ((0, 0) if complaint is None else (1, 1)), (checked, built)
    if complaint is not None:
        assert complaint in checked[2], checked[2]
        assert built[2].endswith("left unchanged\n"), built[2]


def test_check_reports_site_problems_and_content_errors_together(site: Path) -> None:
    (site / "content" / "2025" / "06" / "no-title.md").write_text("---\ndate: 2025-06-01\n---\nنص\n", encoding="utf-8")
    (site / "public").write_text("not a folder\n", encoding="utf-8")
    code, _, err = run("check", "--config", site / "site.toml", "--output", site / "public")
    assert code == 1
    assert "content/2025/06/no-title.md:1: title:" in err
    assert "public: exists and is not a folder" in err
    assert err.splitlines()[-1] == "2 errors"


# ---------------------------------------------------------------- report and progress


def test_build_ends_with_a_short_report(site: Path, tmp_path: Path) -> None:
    edit = site / ARTICLE
    edit.write_text(edit.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    code, out, err = run("--config", site / "site.toml", "--output", tmp_path / "out")
    assert (code, err) == (0, "")
    assert out.startswith("built ")
    for part in ("7 articles", "12 tags", "pages", "31 feeds", "skipped 1 draft, 0 scheduled", "0 warnings", " s\n"):
        assert part in out


def test_verbose_report_is_a_table(site: Path, tmp_path: Path) -> None:
    code, out, _ = run("--config", site / "site.toml", "--output", tmp_path / "out", "--verbose")
    assert code == 0
    for label in ("articles", "drafts skipped", "future skipped", "tags", "pages", "feeds", "warnings", "seconds"):
        assert f"\n  {label} " in out
    assert "base_url  https://nashra-news.github.io/nashra/" in out


def test_quiet_build_prints_nothing(site: Path, tmp_path: Path) -> None:
    assert run("--config", site / "site.toml", "--output", tmp_path / "out", "-q") == (0, "", "")
    assert (tmp_path / "out" / "index.html").is_file()


def test_progress_shows_on_a_terminal_for_many_articles(site: Path, tmp_path: Path) -> None:
    add_articles(site, 120)
    code, _, err = run("--config", site / "site.toml", "--output", tmp_path / "out", err=Terminal())
    assert code == 0
    assert "reading" in err
    assert "/128 " in err  # the bar knows the total of content files
    assert "writing" in err


def test_progress_is_silent_when_stderr_is_not_a_terminal(site: Path, tmp_path: Path) -> None:
    add_articles(site, 120)
    code, out, err = run("--config", site / "site.toml", "--output", tmp_path / "out")
    assert (code, err) == (0, "")
    assert "128 articles" in out


def test_progress_is_silent_for_small_builds_and_when_quiet(site: Path, tmp_path: Path) -> None:
    assert run("--config", site / "site.toml", "--output", tmp_path / "a", err=Terminal())[2] == ""
    add_articles(site, 120)
    assert run("--config", site / "site.toml", "--output", tmp_path / "b", "-q", err=Terminal())[2] == ""


def test_report_counts_feeds_among_outputs(site: Path, tmp_path: Path) -> None:
    config = load_config(site / "site.toml")
    report = pipeline.check(config)
    outlets = 2  # the sample site quotes two outlets
    assert report.feeds == 3 + 2 * (
        report.tags + outlets
    )  # feed.xml, atom.xml, feed.json + RSS and Atom per tag and outlet
    code, out, _ = run("--config", site / "site.toml", "--output", tmp_path / "out")
    assert code == 0
    assert f"{report.feeds} feeds" in out
    written = [p for p in (tmp_path / "out").rglob("*") if p.name in ("feed.xml", "atom.xml", "feed.json")]
    assert len(written) == report.feeds


def test_progress_callback_sees_every_file(site: Path) -> None:
    seen: list[tuple[str, int, int | None]] = []
    report = pipeline.check(load_config(site / "site.toml"), progress=lambda *call: seen.append(call))
    assert seen[0] == ("read", 0, 8)
    assert ("read", 8, 8) in seen
    writes = [done for phase, done, _ in seen if phase == "write"]
    assert writes == list(range(1, report.files + 1))


# ---------------------------------------------------------------- help and usage


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in ("build", "check", "new", "serve"):
        assert f"\n  {command} " in out
    assert "--quiet" in out and "--verbose" in out


@pytest.mark.parametrize(
    ("command", "options", "example"),
    [
        ("new", ("--tags", "--source", "--source-url", "--slug", "--date"), "ماسك يرد على ترامب"),
        ("serve", ("--port", "--drafts", "--future"), "serve --drafts --future"),
        ("check", ("--config", "--quiet"), "exit status"),
    ],
)
def test_each_command_has_complete_help(command: str, options: tuple[str, ...], example: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert out.startswith(f"usage: python build.py {command}")
    for option in options:
        assert option in out
    assert example in out


def test_usage_errors_exit_2(site: Path) -> None:
    code, _, err = run("serve", "--port", "http", "--config", site / "site.toml")
    assert code == 2
    assert "not a port number" in err
    assert run("new", "--config", site / "site.toml")[0] == 2  # no title
    assert run("check", "--quiet", "--verbose")[0] == 2
