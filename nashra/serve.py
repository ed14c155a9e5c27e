"""Preview server: build into a temporary folder, serve it under base_url's path, rebuild on change.

The pieces are separate so each can be driven on its own (and in tests): `Preview` owns the
builds and the HTTP server thread; `watch` turns file changes into `Preview.rebuild()` calls.
Nothing here prints; callers receive results and requests through return values and callbacks.
"""

from __future__ import annotations

import contextlib
import functools
import json
import mimetypes
import re
import shutil
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import watchfiles
from jinja2 import TemplateError

from .config import SOURCES_FILE, SiteConfig
from .errors import BuildError, Problem
from .pipeline import Progress, Report, build

HOST = "127.0.0.1"
RESERVED = "/__nashra/"  # outside any site path a project can have: GitHub Pages paths never start with "__"
WAIT_SECONDS = 25.0  # long-poll length: well under browsers' and proxies' idle timeouts
TEXT_TYPES = ("text/", "application/xml", "application/json", "application/javascript", "image/svg+xml")
EXTRA_TYPES = {".json": "application/json", ".xml": "application/xml", ".js": "text/javascript", ".webmanifest":
               "application/manifest+json"}  # fmt: skip
BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RebuildResult:
    """One rebuild: the report when it worked, the problems when it did not."""

    report: Report | None
    problems: tuple[Problem, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return self.report is not None


@dataclass(frozen=True, slots=True)
class State:
    """What the server shows: the last good build and the errors of the latest attempt, if any."""

    root: Path | None  # the last good build; None until one succeeds
    base_path: str
    build_id: str  # changes with every successful build: open pages reload when it does
    version: int  # changes with every attempt: overlays appear and disappear when it does
    problems: tuple[Problem, ...]


class Preview:
    """Builds the site into a private temporary folder and serves it on 127.0.0.1.

    :param load_config: returns a fresh SiteConfig; called on every rebuild so site.toml edits count.
    :param port: TCP port; 0 picks a free one (see `url`).
    :param on_request: called with (method, path, status) for each request, e.g. to log it.
    :param progress: passed to the build, to show progress of large builds.
    """

    def __init__(
        self,
        load_config: Callable[[], SiteConfig],
        port: int = 8000,
        on_request: Callable[[str, str, int], None] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.load_config = load_config
        self._progress = progress
        self.on_request = on_request
        config = load_config()  # a broken site.toml at start is the caller's to report
        self._instance = uuid.uuid4().hex[:8]
        self._builds = 0
        self._changed = threading.Condition()
        self._state = State(None, config.base_path, f"{self._instance}-0", 0, ())
        self._stopping = False
        self._server = _Server((HOST, port), _Handler, self)  # first: a busy port must leave nothing behind
        self._temp = Path(tempfile.mkdtemp(prefix="nashra-preview-"))
        self._thread: threading.Thread | None = None
        self._building = threading.Lock()  # the watcher and a caller may both ask for a rebuild

    @property
    def url(self) -> str:
        """The address of the site's home page, including base_url's sub-path."""
        return f"http://{HOST}:{self._server.server_address[1]}{self._state.base_path}"

    @property
    def state(self) -> State:
        with self._changed:
            return self._state

    def start(self) -> RebuildResult:
        """Build once and start answering requests in a background thread; return the first build."""
        result = self.rebuild()
        # A short poll interval makes stop() quick; the cost is a few idle wake-ups a second.
        serve = functools.partial(self._server.serve_forever, poll_interval=0.1)
        self._thread = threading.Thread(target=serve, name="nashra-preview", daemon=True)
        self._thread.start()
        return result

    def rebuild(self) -> RebuildResult:
        """Build into a fresh folder; on success serve it, on failure keep the last good site."""
        with self._building:
            return self._rebuild()

    def _rebuild(self) -> RebuildResult:
        started = time.perf_counter()
        self._builds += 1
        # One folder for the whole session: each rebuild is incremental, like `build`, and a failed
        # one leaves it exactly as it was, so the last good site goes on being served.
        target = self._temp / "site"
        try:
            config = self.load_config()
            report = build(replace(config, output_dir=target), progress=self._progress)
        except BuildError as error:
            return self._failed(error.problems, started)
        except TemplateError as error:  # a runtime template mistake must not stop the preview
            return self._failed((template_problem(error),), started)
        with self._changed:
            build_id = f"{self._instance}-{self._builds}"
            self._state = State(target, config.base_path, build_id, self._state.version + 1, ())
            self._changed.notify_all()
        return RebuildResult(report, (), time.perf_counter() - started)

    def wait_for_change(self, version: int, timeout: float) -> State:
        """Block until the state's version differs from `version` (or timeout, or stop)."""
        with self._changed:
            self._changed.wait_for(lambda: self._state.version != version or self._stopping, timeout)
            return self._state

    def stop(self) -> None:
        """Stop serving, wake waiting pages and remove every temporary build."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
        shutil.rmtree(self._temp, ignore_errors=True)

    def __enter__(self) -> Preview:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _failed(self, problems: Iterable[Problem], started: float) -> RebuildResult:
        problems = tuple(problems)
        with self._changed:
            self._state = replace(self._state, version=self._state.version + 1, problems=problems)
            self._changed.notify_all()
        return RebuildResult(None, problems, time.perf_counter() - started)


def template_problem(error: TemplateError) -> Problem:
    """Where in a layout a rendering error happened, from the template frames of its traceback."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith(".html")]
    if frames:
        frame = frames[-1]
        path = Path(frame.filename)
        return Problem(f"{path.parent.name}/{path.name}", frame.lineno, f"template error: {error}")
    return Problem("layouts", None, f"template error: {error}")


def watch_paths(config_path: Path, config: SiteConfig) -> tuple[Path, ...]:
    """Folders to watch: site.toml's and sources.toml's (editors replace files, so watch the folder), content,
    layouts, static."""
    roots: list[Path] = []
    folders = (*(path.parent for path in _settings_files(config_path, config)), *_site_folders(config))
    for folder in folders:
        if folder.is_dir() and not any(folder == root or root in folder.parents for root in roots):
            roots.append(folder)
    return tuple(roots)


def _settings_files(config_path: Path, config: SiteConfig) -> frozenset[Path]:
    """site.toml, and sources.toml where it is or where it would be found once written."""
    found = {config_path.absolute(), config_path.absolute().parent / SOURCES_FILE}
    return frozenset(found | ({config.sources_file.absolute()} if config.sources_file else set()))


def _site_folders(config: SiteConfig) -> tuple[Path, ...]:
    folders = (config.content_dir, config.layouts_dir, *((config.static_dir,) if config.static_dir else ()))
    return tuple(folder.absolute() for folder in folders)


class SiteFilter(watchfiles.DefaultFilter):
    """Only changes that can alter the site: content, layouts, static, site.toml and sources.toml; never editor
    scratch files."""

    def __init__(self, config_path: Path, config: SiteConfig) -> None:
        super().__init__()
        self._settings = _settings_files(config_path, config)
        self._folders = _site_folders(config)

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        where = Path(path)
        return where in self._settings or any(folder == where or folder in where.parents for folder in self._folders)


def watch(
    preview: Preview,
    config_path: Path,
    on_rebuild: Callable[[RebuildResult, set[tuple[watchfiles.Change, str]]], None],
    stop: threading.Event | None = None,
) -> None:
    """Rebuild after each burst of changes until `stop` is set (or Ctrl-C, which is raised)."""
    config = preview.load_config()
    paths = watch_paths(config_path, config)
    for changes in watchfiles.watch(*paths, watch_filter=SiteFilter(config_path, config), stop_event=stop):
        on_rebuild(preview.rebuild(), changes)


# ---------------------------------------------------------------- HTTP


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a page's open long-poll must never keep the process alive
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], preview: Preview) -> None:
        super().__init__(address, handler)
        self.preview = preview


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:
        """Requests are reported through Preview.on_request, never written to stderr here."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        callback = self.server.preview.on_request
        if callback:
            callback(self.command, unquote(self.path), int(code) if str(code).isdigit() else 0)

    def _respond(self, head: bool) -> None:
        # The browser may go away mid-answer (a reload, a closed tab): nothing left to answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(head)

    def _route(self, head: bool) -> None:
        preview = self.server.preview
        parts = urlsplit(self.path)
        path = unquote(parts.path, errors="strict") if _is_utf8(parts.path) else parts.path
        if path.startswith(RESERVED):
            return self._reserved(path[len(RESERVED) :], parse_qs(parts.query), head)
        state = preview.state
        if state.root is None:
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html", _no_build_page(), head, inject=True)
        base_path = unquote(state.base_path)  # base_url is percent-encoded; `path` is decoded
        if path in ("/", base_path.rstrip("/")) and base_path != "/":
            return self._redirect(state.base_path)  # as GitHub Pages does for /REPO
        if not path.startswith(base_path):
            return self._not_found(state.root, head)
        file, redirect = _resolve(state.root, path[len(base_path) :])
        if redirect:
            query = f"?{parts.query}" if parts.query else ""
            return self._redirect(parts.path + "/" + query)
        if file is None:
            return self._not_found(state.root, head)
        self._send(HTTPStatus.OK, _content_type(file), file.read_bytes(), head, inject=True)

    def _reserved(self, name: str, query: dict[str, list[str]], head: bool) -> None:
        preview = self.server.preview
        if name == "reload.js":
            return self._send(HTTPStatus.OK, "text/javascript", RELOAD_JS.encode(), head)
        if name == "events":
            state = preview.wait_for_change(_int(query.get("version", [""])[0], -1), WAIT_SECONDS)
            payload = {
                "build": state.build_id,
                "version": state.version,
                "errors": [str(problem) for problem in state.problems],
                "serving": state.root is not None,  # a last good build is on show under the errors
            }
            return self._send(HTTPStatus.OK, "application/json", json.dumps(payload, ensure_ascii=False).encode(), head)
        self._send(HTTPStatus.NOT_FOUND, "text/plain", b"unknown preview endpoint\n", head)

    def _not_found(self, root: Path, head: bool) -> None:
        page = root / "404.html"
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>404</title><h1>404</h1>"
        self._send(HTTPStatus.NOT_FOUND, "text/html", body, head, inject=True)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, head: bool, inject: bool = False) -> None:
        if inject and content_type == "text/html":
            body = _inject(body, self.server.preview.state.build_id)
        if content_type.startswith(TEXT_TYPES):
            content_type += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # an edit must show on the next load, never a cached copy
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def _is_utf8(path: str) -> bool:
    try:
        unquote(path, errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def _resolve(root: Path, relative: str) -> tuple[Path | None, bool]:
    """The file for a path inside the site, as GitHub Pages finds it; (None, True) asks for a slash."""
    parts = [part for part in relative.split("/") if part]
    if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
        return None, False
    target = root.joinpath(*parts)
    if target.is_dir():
        if relative and not relative.endswith("/"):
            return None, True
        target = target / "index.html"
    elif not target.is_file() and target.with_name(target.name + ".html").is_file():
        target = target.with_name(target.name + ".html")  # GitHub Pages serves /about from about.html
    return (target, False) if target.is_file() else (None, False)


def _content_type(file: Path) -> str:
    return EXTRA_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"


def _inject(body: bytes, build_id: str) -> bytes:
    """Add the reload script to an HTML response (never to the built files on disk)."""
    tag = f'<script src="{RESERVED}reload.js" data-build="{build_id}"></script>'.encode()
    matches = list(BODY_END.finditer(body))
    if not matches:
        return body + tag
    at = matches[-1].start()
    return body[:at] + tag + body[at:]


def _no_build_page() -> bytes:
    return (
        b'<!doctype html><html lang="en"><meta charset="utf-8"><title>nashra preview</title>'
        b"<body><p>No successful build yet: fix the errors shown and this page will reload.</p></body></html>"
    )


# The page keeps one request open at a time; the server answers when a rebuild finishes (or after
# WAIT_SECONDS). A new build id reloads the page; errors show as an overlay until the next good build.
# The overlay lives in a shadow root, so the site's stylesheet cannot reach its contents; its host
# element is reset with `all: initial !important`, which beats even the site's !important rules
# (inside a shadow tree's own rules, important declarations win over the page's).
RELOAD_JS = r"""(() => {
  const me = document.currentScript;
  const build = me.dataset.build;
  const id = "nashra-build-errors";
  const css = `
    :host { all: initial !important; display: block !important; position: fixed !important;
      inset: auto 0 0 0 !important; z-index: 2147483647 !important; margin: 0 !important;
      opacity: 1 !important; visibility: visible !important; transform: none !important; filter: none !important; }
    .box { box-sizing: border-box; max-height: 60vh; overflow: auto; margin: 0; padding: 1em 1.25em;
      background: #2b0d0d; color: #ffe9e9; font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      border-top: 4px solid #e5484d; box-shadow: 0 -4px 16px rgba(0, 0, 0, .4); text-align: left; }
    p { margin: 0 0 .5em; font: bold 15px/1.6 system-ui, sans-serif; }  /* Arabic joins badly in monospace */
    pre { margin: 0; padding: 0; border: 0; background: none; color: inherit; font: inherit;
      white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: plaintext; text-align: left; }`;
  let version = -1;
  function overlay(errors, serving) {
    let host = document.getElementById(id);
    if (!errors.length) { if (host) host.remove(); return; }
    if (!host) {
      host = document.createElement(id);  // its own element name: no site selector for div, p or pre matches it
      host.id = id;
      const style = document.createElement("style");
      style.textContent = css;
      const box = document.createElement("div");
      box.className = "box";
      box.setAttribute("role", "alert");
      host.attachShadow({mode: "open"}).append(style, box);
      document.body.appendChild(host);
    }
    const box = host.shadowRoot.querySelector(".box");
    box.replaceChildren();
    const head = document.createElement("p");
    head.dir = "auto";
    head.textContent = serving
      ? "Build failed; showing the last good version. (تعذّر البناء؛ تُعرض آخر نسخة سليمة)"
      : "Build failed; nothing to show until the errors are fixed. (تعذّر البناء؛ لا شيء يُعرض قبل إصلاح الأخطاء)";
    box.appendChild(head);
    for (const line of errors) {
      const row = document.createElement("pre");
      row.dir = "ltr";
      row.textContent = line;
      box.appendChild(row);
    }
  }
  async function loop() {
    for (;;) {
      try {
        const response = await fetch("/__nashra/events?version=" + version, {cache: "no-store"});
        const state = await response.json();
        if (state.build !== build) { location.reload(); return; }  // a newer good build exists
        version = state.version;
        overlay(state.errors, state.serving);
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, 1000));  // server restarting or stopped
      }
    }
  }
  loop();
})();
"""
