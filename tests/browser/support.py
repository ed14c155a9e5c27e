"""Helpers for the real-consumer tests: tool locations, skip-or-fail, and a GitHub-Pages-like server."""

from __future__ import annotations

import mimetypes
import os
import posixpath
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / ".tools" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "tests" / "artifacts"
INSTALL = "run `bash tests/install-tools.sh` (as root on Debian it installs what is missing, elsewhere it says what to)"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def in_ci() -> bool:
    """True when the environment says this is a CI run (CI=true), where nothing may be skipped."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require(found: object, what: str, how: str = INSTALL) -> None:
    """Skip (or, under CI=true, fail) the calling test when a tool it needs is missing."""
    if found:
        return
    message = f"{what} is missing: {how}"
    if in_ci():
        pytest.fail(f"{message} [CI=true: a missing tool is a failure, not a skip]", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True, slots=True)
class BuiltSite:
    """The sample site built into a temporary folder, and where it claims to live."""

    root: Path
    base_url: str  # public address from site.toml, e.g. https://nashra-news.github.io/nashra/
    base_path: str  # its sub-path, e.g. /nashra/


@dataclass(frozen=True, slots=True)
class ServedSite:
    """The built site served on 127.0.0.1 under its sub-path, as GitHub Pages serves a project site."""

    site: BuiltSite
    origin: str  # http://127.0.0.1:PORT

    @property
    def home(self) -> str:
        return self.origin + self.site.base_path

    def url(self, site_path: str) -> str:
        """Local URL of a site path such as `articles/slug/`."""
        return self.home + site_path

    def localize(self, url: str) -> str:
        """Map an absolute public URL of the site (canonical links, sitemap) to the local server."""
        if url.startswith(self.site.base_url):
            return self.home + url[len(self.site.base_url) :]
        return url


def pages_response(root: Path, base_path: str, url_path: str) -> tuple[int, dict[str, str], bytes]:
    """Answer a GET the way GitHub Pages answers for a project site published from `root` at `base_path`.

    Directories serve their index.html (without the trailing slash: a 301 to it), `/x` also finds
    `x.html`, and anything unknown gets the site's own 404.html with status 404.
    """
    if url_path + "/" == base_path:
        return 301, {"Location": base_path}, b""
    if not url_path.startswith(base_path):
        return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"not part of this project site\n"
    relative = posixpath.normpath(unquote(url_path[len(base_path) :]) or ".")
    target = (root / relative).resolve()
    if target.is_relative_to(root.resolve()):
        if target.is_dir():
            if not url_path.endswith("/"):
                return 301, {"Location": url_path + "/"}, b""
            target = target / "index.html"
        elif not target.exists() and target.with_name(target.name + ".html").is_file():
            target = target.with_name(target.name + ".html")
        if target.is_file():
            return 200, {"Content-Type": _content_type(target)}, target.read_bytes()
    not_found = root / "404.html"
    if not_found.is_file():
        return 404, {"Content-Type": "text/html; charset=utf-8"}, not_found.read_bytes()
    return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"404\n"


def _content_type(path: Path) -> str:
    kind = {".xml": "application/xml", ".json": "application/json", ".js": "text/javascript"}.get(path.suffix)
    kind = kind or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return kind + "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("xml", "json")) else kind


class PagesHandler(BaseHTTPRequestHandler):
    """http.server handler over pages_response(); `root` and `base_path` are set on a subclass."""

    root: Path
    base_path: str

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        status, headers, body = pages_response(self.root, self.base_path, urlsplit(self.path).path)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""
