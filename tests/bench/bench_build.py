"""Build benchmark: wall time and peak memory of whole-process builds of a generated corpus.

    python tests/bench/bench_build.py --generator PATH/TO/gen_corpus.py 1000 10000

Each size is built cold (empty Markdown cache) and then warm (nothing changed), in a fresh
process, so the numbers match what `python build.py` costs a user. Not part of the test suite:
speed targets live here, not in timed unit tests.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


SITE_TOML = 'title = "bench"\nbase_url = "https://example.github.io/bench/"\nsearch = "{search}"\n'


def build_once(content: Path, output: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `python build.py` run."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(
        [sys.executable, "build.py", "--config", str(output.parent / "site.toml"), "--content", str(content)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--generator", type=Path, required=True, help="gen_corpus.py")
    parser.add_argument("--search", default="off", choices=("off", "headlines", "full"), help="site.toml search")
    args = parser.parse_args()
    print("| articles | cold build | warm build | peak memory |")
    print("|---|---|---|---|")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as scratch:
            corpus, output = Path(scratch) / "corpus", Path(scratch) / "site" / "output"
            output.parent.mkdir()
            (output.parent / "site.toml").write_text(SITE_TOML.format(search=args.search), encoding="utf-8")
            subprocess.run(
                [sys.executable, str(args.generator), str(size), str(corpus)], check=True, stdout=subprocess.DEVNULL
            )
            cold, cold_peak = build_once(corpus, output)
            warm, _ = build_once(corpus, output)
            shutil.rmtree(output.parent / ".nashra-cache", ignore_errors=True)
        # ru_maxrss of children is the largest child so far, so report sizes in ascending order
        print(f"| {size:,} | {cold:.1f} s | {warm:.1f} s | {cold_peak:.0f} MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
