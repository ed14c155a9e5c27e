"""`python build.py serve`: sub-path, 404 page, rebuilds, live reload state, error overlay, clean exit."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import copy_site

from nashra.config import Overrides, load_config
from nashra.serve import Preview, SiteFilter, watch, watch_paths

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "content/2025/06/ترامب-يهاجم-ماسك.md"
ARTICLE_URL = "/nashra/articles/ترامب-يهاجم-ماسك/"
TIMEOUT = 10.0  # upper bound for any wait; the usual case takes a fraction of a second


def get(preview: Preview, path: str, timeout: float = TIMEOUT) -> tuple[int, dict[str, str], str]:
    """One GET, redirects not followed: (status, headers, body text)."""
    port = int(preview.url.split(":")[2].split("/")[0])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", quote(path, safe="/?=&"))
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8")
    finally:
        connection.close()


def events(preview: Preview, version: int = -1) -> dict[str, object]:
    return json.loads(get(preview, f"/__nashra/events?version={version}")[2])


def edit(site: Path, old: str, new: str, path: str = ARTICLE) -> None:
    file = site / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def wait_until(condition: Callable[[], bool], timeout: float = TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path)


@pytest.fixture
def preview(site: Path) -> Iterator[Preview]:
    with Preview(lambda: load_config(site / "site.toml"), port=0) as server:
        assert server.start().ok
        yield server


def test_serves_the_site_under_base_url_path(preview: Preview) -> None:
    assert preview.url.endswith("/nashra/")
    status, headers, body = get(preview, "/nashra/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "نشرة التقنية والسياسة" in body
    status, _, body = get(preview, ARTICLE_URL)
    assert status == 200
    assert 'href="/nashra/assets/style.css"' in body or "/nashra/assets/" in body
    assert get(preview, "/nashra/assets/style.css")[0] == 200


def test_outside_the_sub_path_answers_404_with_the_site_404_page(preview: Preview) -> None:
    for path in ("/articles/ترامب-يهاجم-ماسك/", "/other/", "/nashra/no-such-page/", "/nashra/../site.toml"):
        status, _, body = get(preview, path)
        assert status == 404, path
        assert "الصفحة غير موجودة" in body, path


def test_redirects_to_the_sub_path_and_to_folders_with_a_slash(preview: Preview) -> None:
    status, headers, _ = get(preview, "/")
    assert (status, headers["Location"]) == (302, "/nashra/")
    status, headers, _ = get(preview, "/nashra/tags")
    assert (status, headers["Location"]) == (302, "/nashra/tags/")


def test_reload_script_is_added_to_responses_not_to_built_files(preview: Preview) -> None:
    _, _, body = get(preview, "/nashra/")
    assert body.count("/__nashra/reload.js") == 1
    assert body.index("/__nashra/reload.js") < body.index("</body>")
    root = preview.state.root
    assert root is not None
    assert "__nashra" not in (root / "index.html").read_text(encoding="utf-8")
    status, headers, script = get(preview, "/__nashra/reload.js")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert "location.reload()" in script
    assert "nashra-build-errors" in script


def test_picks_up_an_edited_article_on_rebuild(site: Path, preview: Preview) -> None:
    before = events(preview)
    edit(site, 'title: "', 'title: "تعديل: ')
    result = preview.rebuild()
    assert result.ok
    after = events(preview)
    assert after["build"] != before["build"]
    assert after["errors"] == []
    assert "تعديل: " in get(preview, ARTICLE_URL)[2]


def test_watcher_rebuilds_after_a_save_without_restart(site: Path, preview: Preview) -> None:
    stop = threading.Event()
    results = []
    watcher = threading.Thread(
        target=watch, args=(preview, site / "site.toml", lambda result, changes: results.append(result), stop)
    )
    watcher.start()
    try:
        time.sleep(0.3)  # let the watcher subscribe before the edit
        edit(site, 'title: "', 'title: "محدّث: ')
        assert wait_until(lambda: "محدّث: " in get(preview, ARTICLE_URL)[2]), "edit not picked up"
        # Files move into the served folder just before the rebuild returns its result.
        assert wait_until(lambda: bool(results) and results[-1].ok)
    finally:
        stop.set()
        watcher.join(TIMEOUT)
    assert not watcher.is_alive()


def test_broken_edit_keeps_the_last_good_site_and_reports_until_fixed(site: Path, preview: Preview) -> None:
    good = events(preview)
    edit(site, "date: 2025-", "date: 2025-13-")
    result = preview.rebuild()
    assert not result.ok
    assert any(problem.path == ARTICLE and problem.line == 3 for problem in result.problems)

    status, _, body = get(preview, ARTICLE_URL)
    assert status == 200  # still the last good build
    assert "ترامب" in body
    broken = events(preview)
    assert broken["build"] == good["build"]  # no reload: the page would not change
    assert broken["errors"] and f"{ARTICLE}:3: date" in broken["errors"][0]
    assert broken["serving"] is True  # the overlay says the last good version is on show

    edit(site, "date: 2025-13-", "date: 2025-")
    assert preview.rebuild().ok
    fixed = events(preview)
    assert fixed["errors"] == []
    assert fixed["build"] != good["build"]


def test_long_poll_answers_as_soon_as_a_rebuild_finishes(site: Path, preview: Preview) -> None:
    current = events(preview)
    answer: dict[str, object] = {}
    waiter = threading.Thread(target=lambda: answer.update(events(preview, int(current["version"]))))
    waiter.start()
    time.sleep(0.2)
    assert waiter.is_alive()  # nothing changed yet: the request waits
    started = time.monotonic()
    preview.rebuild()
    waiter.join(TIMEOUT)
    assert not waiter.is_alive()
    assert time.monotonic() - started < 2
    assert answer["version"] != current["version"]


def test_template_mistake_is_reported_not_fatal(site: Path, preview: Preview) -> None:
    edit(site, "{{ article.title }}", "{{ article.no_such_field }}", "layouts/article.html")
    result = preview.rebuild()
    assert not result.ok
    assert result.problems[0].path == "layouts/article.html"
    assert get(preview, ARTICLE_URL)[0] == 200


def test_site_toml_edit_moves_the_sub_path(site: Path, preview: Preview) -> None:
    edit(site, "https://nashra-news.github.io/nashra/", "https://nashra-news.github.io/akhbar/", "site.toml")
    assert preview.rebuild().ok
    assert get(preview, "/akhbar/")[0] == 200
    assert get(preview, "/nashra/")[0] == 404


def test_an_arabic_sub_path_is_served_and_redirected_to_in_ascii(site: Path, preview: Preview) -> None:
    edit(site, "https://nashra-news.github.io/nashra/", "https://nashra-news.github.io/أخبار/", "site.toml")
    assert preview.rebuild().ok
    assert preview.url.endswith("/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/")
    assert get(preview, "/أخبار/")[0] == 200
    assert get(preview, "/أخبار/articles/ترامب-يهاجم-ماسك/")[0] == 200
    status, headers, _ = get(preview, "/")
    assert (status, headers["Location"]) == (302, "/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/")


def test_first_build_failing_still_serves_and_recovers(site: Path) -> None:
    edit(site, "date: 2025-", "date: 2025-13-")
    with Preview(lambda: load_config(site / "site.toml"), port=0) as server:
        assert not server.start().ok
        status, _, body = get(server, "/nashra/")
        assert status == 503
        assert "/__nashra/reload.js" in body
        assert events(server)["errors"]
        assert events(server)["serving"] is False  # the overlay must not claim a last good version
        edit(site, "date: 2025-13-", "date: 2025-")
        assert server.rebuild().ok
        assert get(server, "/nashra/")[0] == 200


def test_stop_removes_every_temporary_build(site: Path) -> None:
    server = Preview(lambda: load_config(site / "site.toml"), port=0)
    server.start()
    server.rebuild()
    root = server.state.root
    assert root is not None and root.is_dir()
    server.stop()
    assert not root.parent.exists()


def start_serve(site: Path, temp: Path) -> tuple[subprocess.Popen[str], list[str]]:
    """`python build.py serve` in a subprocess with its own temporary folder; returns once it serves."""
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", "0"],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdout is not None
    lines = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if line.startswith("serving ") or not line:
            break
    time.sleep(0.3)  # let the watcher start, so the signal arrives where it usually does
    return process, lines


def stop(process: subprocess.Popen[str], signal_number: int) -> str:
    """Send a signal and wait for the process to end; its stderr."""
    try:
        process.send_signal(signal_number)
        return process.communicate(timeout=TIMEOUT)[1]
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    "signal_number",
    [
        pytest.param(signal.SIGINT, id="ctrl-c"),
        pytest.param(signal.SIGTERM, id="sigterm"),  # how CI runners and process managers stop a server
    ],
)
def test_a_stop_signal_exits_cleanly_and_leaves_no_temporary_folder(
    site: Path, tmp_path: Path, signal_number: int
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    process, lines = start_serve(site, temp)
    try:
        assert lines[-1].startswith("serving http://127.0.0.1:"), lines
        assert list(temp.iterdir())  # the build lives in a temporary folder
    finally:
        err = stop(process, signal_number)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "stopped" in err
    assert list(temp.iterdir()) == []


def test_rebuilds_are_incremental_in_one_served_folder(site: Path, preview: Preview) -> None:
    root = preview.state.root
    edit(site, 'title: "', 'title: "مرة أخرى: ')
    result = preview.rebuild()
    assert result.ok and result.report is not None
    assert preview.state.root == root
    assert 0 < result.report.made < result.report.kept
    unchanged = preview.rebuild()
    assert unchanged.report is not None and unchanged.report.made == 0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_starting_with_a_broken_file_says_there_is_nothing_to_serve_yet(site: Path, tmp_path: Path) -> None:
    edit(site, "date: 2025-", "date: 2025-13-")
    process, lines = start_serve(site, tmp_path)
    err = stop(process, signal.SIGTERM)
    assert lines[-1].startswith("serving http://127.0.0.1:"), lines
    assert f"{ARTICLE}:3: date" in err
    assert "1 error; no build to serve yet; fix the errors above\n" in err
    assert "last good build" not in err


def test_a_change_in_static_is_watched_wherever_the_folder_is(tmp_path: Path) -> None:
    import watchfiles

    site = copy_site(tmp_path)
    elsewhere = tmp_path / "shared-static"
    elsewhere.mkdir()
    config = load_config(site / "site.toml", Overrides(static_dir=elsewhere))
    assert elsewhere.absolute() in watch_paths(site / "site.toml", config)
    wanted = SiteFilter(site / "site.toml", config)
    assert wanted(watchfiles.Change.modified, str(elsewhere / "images" / "logo.png"))
    assert wanted(watchfiles.Change.added, str(site / "static" / "x.png")) is False  # not this site's static/ now
    assert wanted(watchfiles.Change.added, str(site / "content" / "2025" / "x.png"))


def test_sources_toml_is_watched_beside_site_toml_and_where_sources_names_it(tmp_path: Path) -> None:
    import watchfiles

    site = copy_site(tmp_path)
    config = load_config(site / "site.toml")
    wanted = SiteFilter(site / "site.toml", config)
    assert wanted(watchfiles.Change.added, str(site / "sources.toml"))  # written once serve runs: counts
    assert wanted(watchfiles.Change.modified, str(site / "notes.toml")) is False
    elsewhere = tmp_path / "outlets" / "list.toml"
    elsewhere.parent.mkdir()
    config = load_config(site / "site.toml", Overrides(sources=elsewhere))
    assert elsewhere.parent.absolute() in watch_paths(site / "site.toml", config)
    assert SiteFilter(site / "site.toml", config)(watchfiles.Change.modified, str(elsewhere))
