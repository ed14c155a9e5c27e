"""Import benchmark: CPU time of `build.py import` when nothing is new.

    python tests/bench/bench_import.py [--sources 50] [--items 50] [--repeat 3]

A server in a separate process (so its CPU time is not counted) serves SOURCES generated RSS feeds
of ITEMS Arabic items each. A first import writes every item into a fresh site; then three
situations are timed, each run in-process through `cli.main` with `time.process_time()`:

1. validators: the server answers 304 to the ETag it gave (most feeds);
2. same bytes: the server ignores validators but sends the same body (the digest in the state spots it);
3. changed bytes: every feed's `<lastBuildDate>` changes, so each is parsed and every item looked up
   (in the state; content/ is not read unless an item is unknown).

Not part of the test suite: the target (under 2 s of CPU for 50 x 50) is checked here.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[2])]

from feed_server import Route, serving  # noqa: E402 - after the path is set

from nashra.cli import main  # noqa: E402

SITE = 'title = "نشرة"\nbase_url = "https://example.github.io/digest/"\n'


def feed(number: int, items: int, stamp: int) -> bytes:
    """An RSS 2.0 feed shaped like a real Arabic outlet's: CDATA bodies of a few paragraphs."""
    entries = []
    for item in range(items):
        body = "".join(
            f"<p>الفقرة {n} من الخبر {item} في الموقع {number}، وفيها <b>تفاصيل</b> كثيرة.</p>" for n in range(6)
        )
        entries.append(
            f"<item><title>خبر رقم {item} من الموقع {number}</title>"
            f"<link>https://site{number}.example/news/{item}?utm_source=rss</link>"
            f"<guid isPermaLink='false'>s{number}-{item}</guid>"
            f"<pubDate>Sat, 28 Nov 2026 {item % 24:02d}:{item % 60:02d}:00 +0300</pubDate>"
            f"<category>اليمن</category><description><![CDATA[{body}]]></description></item>"
        )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>الموقع {number}</title>"
        f"<link>https://site{number}.example/</link><lastBuildDate>{stamp}</lastBuildDate>{''.join(entries)}"
        "</channel></rss>"
    ).encode()


def serve(sources: int, items: int, port_out, mode) -> None:  # type: ignore[no-untyped-def]
    """The server process: mode.value 0 = ETag honoured, 1 = ignored, 2 = ignored and new bytes each time."""
    generator = serving()
    server = next(generator)
    bodies = {number: feed(number, items, 0) for number in range(sources)}
    port_out.put(server.base)

    class Routes(dict):  # type: ignore[type-arg]
        def get(self, path, default=None):  # type: ignore[no-untyped-def]
            number = int(path.rsplit("/", 1)[-1])
            if mode.value == 2:
                return Route(feed(number, items, time.monotonic_ns()))
            return Route(bodies[number], etag=f'"{number}"' if mode.value == 0 else "")

    server.routes = Routes()
    while True:
        time.sleep(3600)


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    ports: multiprocessing.Queue[str] = multiprocessing.Queue()
    mode = multiprocessing.Value("i", 0)
    process = multiprocessing.Process(target=serve, args=(options.sources, options.items, ports, mode), daemon=True)
    process.start()
    base = ports.get(timeout=30)
    try:
        with tempfile.TemporaryDirectory() as folder:
            site = Path(folder)
            (site / "site.toml").write_text(SITE, encoding="utf-8")
            (site / "sources.toml").write_text(
                "".join(
                    f'[[source]]\nname = "الموقع {n}"\nfeed = "{base}/feed/{n}"\n\n' for n in range(options.sources)
                ),
                encoding="utf-8",
            )

            def run() -> float:
                out, err = io.StringIO(), io.StringIO()
                started = time.process_time()
                code = main(["import", "-q", "--config", str(site / "site.toml")], out, err)
                spent = time.process_time() - started
                assert code == 0 and not err.getvalue(), err.getvalue()
                return spent

            first = run()
            stories = len(list((site / "content").rglob("*.md")))
            print(f"first import: {stories} stories written, {first:.2f} s CPU")
            for value, name in ((0, "304 (validators)"), (1, "same bytes"), (2, "changed bytes, all known")):
                mode.value = value
                run()  # the first run in a mode records its validators and digest
                times = [run() for _ in range(options.repeat)]
                written = len(list((site / "content").rglob("*.md")))
                assert written == stories, f"{written - stories} stories written when nothing was new"
                print(f"nothing new, {name}: median {statistics.median(times):.3f} s CPU (of {options.repeat})")
    finally:
        process.terminate()
        process.join(5)


if __name__ == "__main__":
    main_bench()
