"""Fixtures for the real-consumer tests: the built sample site, a GitHub-Pages-like server, the tools.

A missing tool (Chromium, Java, the Nu HTML Checker, axe-core, Playwright) skips the test with a
message that says what to install, except with CI=true in the environment, where it is a failure
(see `support.require`).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from nashra.cli import main
from nashra.config import Overrides, load_config

from .support import (
    ARTIFACTS,
    AXE_JS,
    CHROMIUM_ARGS,
    INSTALL,
    REPO,
    VNU_JAR,
    BuiltSite,
    PagesHandler,
    ServedSite,
    require,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """Build the repository's sample site (content/, site.toml) once per session."""
    output = tmp_path_factory.mktemp("built") / "site"
    config_file = REPO / "site.toml"
    assert main(["--config", str(config_file), "--output", str(output)]) == 0
    config = load_config(config_file, Overrides(output_dir=output))
    return BuiltSite(root=output, base_url=config.base_url, base_path=config.base_path)


@pytest.fixture(scope="session")
def served_site(built_site: BuiltSite) -> Iterator[ServedSite]:
    """Serve the built site on 127.0.0.1 (a free port) under its sub-path, in a background thread."""
    handler = type("Handler", (PagesHandler,), {"root": built_site.root, "base_path": built_site.base_path})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="pages-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield ServedSite(site=built_site, origin=f"http://{host}:{port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    """`java -jar vnu.jar`: the Nu HTML Checker."""
    java = shutil.which("java")
    require(java, "Java 17+ for the Nu HTML Checker", f"install Debian's default-jre-headless, or {INSTALL}")
    require(VNU_JAR.is_file(), "the Nu HTML Checker (.tools/node_modules/vnu-jar)")
    return [str(java), "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser bundle, injected into pages."""
    require(AXE_JS.is_file(), "axe-core (.tools/node_modules/axe-core)")
    return AXE_JS


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (its own browser download is not needed)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    require(chromium, "Chromium", f"install Debian's chromium and fonts-noto-core, or {INSTALL}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Python Playwright", "python -m pip install -e '.[test]'")
        raise
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Folder for screenshots (git-ignored), kept after the run for people to look at."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
