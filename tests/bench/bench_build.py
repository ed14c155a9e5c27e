"""Build benchmark: nashra's cold and incremental builds against Hugo's cold build of the same corpus.

    python tests/bench/bench_build.py [SIZE ...] [--hugo PATH] [--keep DIR] [--repeat N] [--pictures N]

For each size (default 1,000, 10,000 and 100,000 stories) a corpus is generated with the shared
`gen_corpus.py` and built by whole `python build.py` processes, one after the other into the same
output folder, so each row is the build a user would run next:

1. cold: no output/ and no .nashra-cache/;
2. nothing changed;
3. one body edited: a paragraph appended to a story from the middle of the archive (its
   front matter has a `summary`, so the summary does not change);
4. one title edited: the newest story's, which is on the home page and in the feeds;
5. one story added: a new file dated a minute after the newest story.

Each row shows wall time, CPU time (user and system, worker processes included) and the peak
of the summed RSS of the process and all its descendants (nashra forks worker processes),
sampled from /proc every 50 ms. Every build starts after a `sync`, so none waits on the disk
for what an earlier one wrote. When Hugo is found, it builds the same corpus cold in the same
run with the peer site of the shared benchmark (`peers/hugo/`), and every row shows its ratios
to Hugo's cold build beside the issue's targets: machines are noisy, so compare ratios measured
side by side, not absolute seconds. On a loaded machine wall time favours Hugo, whose many
threads get a larger share of the cores than nashra's few processes; CPU time depends much
less on the load. Each build is checked to have done its job (the edit is in the output) before its
numbers count.

With `--pictures N`, every Nth story of the generated corpus (article-000010, -000020, ... for
N = 10) gets a drawn 1600×1000 JPEG of about 150-200 KB beside it, named after it, and an
`image: "article-000010.jpg"` line after its `title:` line, so the builds also process pictures.
The pictures are drawn, not copied: a few shapes in colours chosen from the story's number over one
shared textured background, so each is different and the same number always gives the same bytes;
a thousand take about 12 s on two cores. Such a corpus is kept apart from the plain one
(`corpus-SIZE-pictures-N` under `--keep`), and adding pictures again changes nothing. Hugo builds
it too, but does no picture work: its layouts ignore `image:`, and files outside page bundles are
neither processed nor published (it reports 0 non-page files), so with pictures the ratios set
nashra's picture work against none on Hugo's side.

Linux only (/proc). Not part of the test suite: speed targets live here, not in timed unit tests.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SECONDS = 0.05
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
SITE_TOML = 'title = "bench"\nbase_url = "https://example.github.io/bench/"\nsearch = "{search}"\n'
MARK = "قياس-الأداء"  # a word found nowhere in the corpus: the edits carry it into the output
NEW_SLUG = "bench-new-story"
PICTURE_SIZE = (1600, 1000)
PICTURE_COLORS = ((27, 153, 139), (244, 162, 89), (200, 85, 61), (47, 111, 176), (141, 153, 174), (247, 245, 240))

# The targets: (size, row) -> ("time" or "memory" ratio to Hugo's cold build, or "seconds", limit).
TARGETS: dict[tuple[int, str], tuple[str, float]] = {
    (10_000, "cold"): ("time", 1.5),
    (10_000, "nothing changed"): ("time", 0.1),
    (10_000, "one body edited"): ("time", 0.2),
    (10_000, "one story added"): ("time", 0.3),
    (10_000, "peak memory"): ("memory", 0.4),
    (100_000, "nothing changed"): ("seconds", 10.0),
}


@dataclass(frozen=True, slots=True)
class Run:
    """One whole-process run: wall and CPU seconds and peak MB of its process tree, and what it printed."""

    seconds: float
    cpu: float
    peak_mb: float
    stdout: str


# ---------------------------------------------------------------- measuring


class TreeSampler:
    """Peak of the summed RSS of one process and all its descendants, read from /proc."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.parents: dict[int, int] = {}  # every live process seen so far -> its parent
        self.peak = 0

    def sample(self) -> None:
        live = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for pid in self.parents.keys() - live:
            del self.parents[pid]  # gone; a new process with the same id is read again
        for pid in live - self.parents.keys():
            try:
                stat = Path(f"/proc/{pid}/stat").read_bytes()
            except OSError:
                continue
            self.parents[pid] = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children: dict[int, list[int]] = {}
        for pid, parent in self.parents.items():
            children.setdefault(parent, []).append(pid)
        tree, total = [self.root], 0
        while tree:
            pid = tree.pop()
            tree.extend(children.get(pid, ()))
            with contextlib.suppress(OSError, IndexError):  # it ended between the listing and the read
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
        self.peak = max(self.peak, total)


def measure(argv: Sequence[str], cwd: Path = ROOT) -> Run:
    """Run argv to its end; fail loudly if it fails."""
    os.sync()  # start clean: no build waits on the disk for files an earlier one wrote
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
        sampler, done = TreeSampler(process.pid), threading.Event()

        def watch() -> None:
            while not done.is_set():
                sampler.sample()
                done.wait(SAMPLE_SECONDS)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, waited, usage = os.wait4(process.pid, 0)  # its CPU time includes the workers it waited for
        seconds = time.perf_counter() - started
        process.returncode = status = os.waitstatus_to_exitcode(waited)
        done.set()
        watcher.join()
        out.seek(0)
        err.seek(0)
        if status:
            raise SystemExit(f"{' '.join(map(str, argv))} exited with {status}:\n{err.read().decode(errors='replace')}")
        cpu = usage.ru_utime + usage.ru_stime
        return Run(seconds, cpu, sampler.peak / 2**20, out.read().decode(errors="replace"))


# ---------------------------------------------------------------- the corpus and its edits


def corpus_for(size: int, generator: Path, keep: Path | None, scratch: Path, pictures: int) -> Path:
    """The generated corpus of `size` stories, with pictures when asked: reused from `keep` when complete there."""
    name = f"corpus-{size}" + (f"-pictures-{pictures}" if pictures else "")
    folder = (keep or scratch) / name
    if not (folder.is_dir() and sum(1 for _ in folder.rglob("*.md")) == size):
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {size:,} stories into {folder} ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, str(generator), str(size), str(folder)], check=True, stdout=subprocess.DEVNULL)
    if pictures:
        started = time.perf_counter()
        count, size_bytes = add_pictures(folder, pictures)
        seconds = time.perf_counter() - started
        print(f"{count:,} pictures ({size_bytes / 2**20:.0f} MB) ready in {seconds:.1f} s", file=sys.stderr, flush=True)
    return folder


# ---------------------------------------------------------------- pictures for the corpus


def picture_background() -> tuple[Image.Image, Image.Image]:
    """The shared canvas of every corpus picture: a night-blue gradient, and a grain to lay over the shapes.

    The grain (fixed random bytes, coarse and fine) is what gives the JPEGs a photo's size; laid over
    the shapes rather than under them, it keeps every picture's size about the same.
    """
    width, height = PICTURE_SIZE
    rng = random.Random(1600)
    top, bottom = Image.new("RGB", PICTURE_SIZE, (14, 40, 65)), Image.new("RGB", PICTURE_SIZE, (21, 69, 122))
    canvas = Image.composite(bottom, top, Image.linear_gradient("L").resize(PICTURE_SIZE))
    coarse = Image.frombytes("L", (width // 16, height // 16), rng.randbytes(width // 16 * (height // 16)))
    fine = Image.frombytes("L", PICTURE_SIZE, rng.randbytes(width * height))
    grain = Image.blend(coarse.resize(PICTURE_SIZE, Image.Resampling.BICUBIC), fine, 0.3)
    return canvas, grain.convert("RGB")


def picture_bytes(background: tuple[Image.Image, Image.Image], number: int) -> bytes:
    """Story `number`'s picture: discs and bars in colours chosen from its number, as a JPEG."""
    canvas, grain = background
    width, height = PICTURE_SIZE
    rng = random.Random(number)
    image = canvas.copy()
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(2, 5)):
        color = rng.choice(PICTURE_COLORS)
        x, y = rng.randrange(width), rng.randrange(height)
        if rng.random() < 0.6:
            r = rng.randrange(80, 400)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=color)
        else:
            draw.rectangle([x, y, x + rng.randrange(60, 240), height], fill=color)
    out = io.BytesIO()
    Image.blend(image, grain, 0.15).save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def add_pictures(corpus: Path, every: int) -> tuple[int, int]:
    """Give every `every`-th story (by its number) its picture and an `image:` line; (pictures, bytes).

    Idempotent: a picture already there is kept (pictures are written whole, through a temporary
    file, so none is ever half written), and a story that has its `image:` line is not edited.
    The picture is written before the line, so a story never names a picture that is missing.
    """
    background = None
    count = total = 0
    for story in sorted(corpus.rglob("article-*.md")):
        number = int(story.stem.rpartition("-")[2])
        if number % every:
            continue
        picture = story.with_suffix(".jpg")
        if not picture.is_file():
            background = background or picture_background()
            partial = picture.with_name(picture.name + ".partial")
            partial.write_bytes(picture_bytes(background, number))
            partial.replace(picture)
        text = story.read_text(encoding="utf-8")
        if "\nimage: " not in text.partition("\n---\n")[0]:
            line = f'image: "{picture.name}"'
            text, found = re.subn(r"^(title: .*)$", rf"\1\n{line}", text, count=1, flags=re.MULTILINE)
            assert found == 1, story
            story.write_text(text, encoding="utf-8")
        count += 1
        total += picture.stat().st_size
    return count, total


def front_matter(path: Path) -> dict[str, str]:
    """The generator's one-line `key: value` front matter, values as written."""
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    return dict(line.split(": ", 1) for line in lines[1:end])


def stories_by_date(content: Path) -> list[Path]:
    """Every story, oldest first (ties by path)."""
    dated = sorted((datetime.fromisoformat(front_matter(path)["date"]), str(path)) for path in content.rglob("*.md"))
    return [Path(path) for _, path in dated]


def set_key(text: str, key: str, value: str) -> str:
    """Replace one front-matter line; the generator writes each key once."""
    changed, count = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
    assert count == 1, key
    return changed


def slug_of(path: Path) -> str:
    return front_matter(path)["slug"].strip('"')


def no_edit() -> Callable[[Path], bool]:
    """Change nothing; the site must be there."""
    return lambda output: (output / "index.html").is_file()


def edit_body(story: Path) -> Callable[[Path], bool]:
    """Append a paragraph; its page must then show it."""
    with story.open("a", encoding="utf-8") as file:
        file.write(f"\nفقرة أضيفت بعد النشر ({MARK}) تستكمل الخبر بتفاصيل جديدة.\n")
    page = Path("articles", slug_of(story), "index.html")
    return lambda output: MARK in (output / page).read_text(encoding="utf-8")


def edit_title(story: Path) -> Callable[[Path], bool]:
    """Add a word to the headline; the home page must then show it."""
    title = front_matter(story)["title"]
    story.write_text(set_key(story.read_text(encoding="utf-8"), "title", f'{title[:-1]} {MARK}"'), encoding="utf-8")
    return lambda output: MARK in (output / "index.html").read_text(encoding="utf-8")


def add_story(newest: Path) -> Callable[[Path], bool]:
    """A copy of the newest story a minute later, with its own title and slug; its page must appear."""
    text = newest.read_text(encoding="utf-8")
    date = datetime.fromisoformat(front_matter(newest)["date"]) + timedelta(minutes=1)
    for key, value in (("date", date.isoformat()), ("title", f'"خبر جديد {MARK}"'), ("slug", f'"{NEW_SLUG}"')):
        text = set_key(text, key, value)
    (newest.parent / f"{NEW_SLUG}.md").write_text(text, encoding="utf-8")
    return lambda output: (output / "articles" / NEW_SLUG / "index.html").is_file()


# ---------------------------------------------------------------- the builds


def shared_bench() -> Path:
    """`../shared/bench` beside the repository, or beside its main checkout when this is a git worktree."""
    checkouts = [ROOT]
    common = subprocess.run(
        ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=ROOT, capture_output=True, text=True
    )
    if common.returncode == 0:
        checkouts.append(Path(common.stdout.strip()).parent)
    found = (checkout.parent / "shared" / "bench" for checkout in checkouts)
    return next((folder for folder in found if folder.is_dir()), ROOT.parent / "shared" / "bench")


def find_hugo(given: Path | None) -> Path | None:
    """`--hugo` (the binary or a virtualenv), `hugo` on PATH, or a virtualenv named hugo* nearby."""
    tail = "lib/python*/site-packages/hugo/binaries/hugo"
    if given is not None:
        return given if given.is_file() else next(given.glob(tail), None)
    on_path = shutil.which("hugo")
    if on_path:
        return Path(on_path)
    places = (Path(tempfile.gettempdir()), Path.home(), ROOT.parent)
    return next((found for place in places for found in sorted(place.glob(f"*hugo*/{tail}"))), None)


def hugo_cold(hugo: Path, peer: Path, corpus: Path, scratch: Path) -> Run:
    """Hugo's build of the corpus into an empty folder, with the shared benchmark's peer site."""
    site = scratch / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir()
    config = (peer / "hugo.toml.in").read_text(encoding="utf-8")
    config = config.replace("@CORPUS@", str(corpus)).replace("@LAYOUTS@", str(peer / "layouts"))
    (site / "hugo.toml").write_text(config, encoding="utf-8")
    argv = [hugo, "--quiet", "--source", site, "--destination", site / "public", "--cacheDir", site / "cache"]
    run = measure([str(arg) for arg in argv], cwd=site)
    print(f"Hugo, cold: {run.seconds:.1f} s, {run.peak_mb:.0f} MB", file=sys.stderr, flush=True)
    shutil.rmtree(site)
    return run


def nashra_rows(corpus: Path, scratch: Path, search: str) -> dict[str, Run]:
    """The five builds, each after its change, on a fresh copy of the corpus."""
    site, content = scratch / "site", scratch / "content"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(content, ignore_errors=True)
    site.mkdir()
    (site / "site.toml").write_text(SITE_TOML.format(search=search), encoding="utf-8")
    shutil.copytree(corpus, content)
    stories = stories_by_date(content)
    output = site / "output"
    argv = [sys.executable, "build.py", "--config", str(site / "site.toml"), "--content", str(content)]
    steps: list[tuple[str, Callable[[], Callable[[Path], bool]]]] = [
        ("cold", no_edit),
        ("nothing changed", no_edit),
        ("one body edited", lambda: edit_body(stories[len(stories) // 2])),
        ("one title edited", lambda: edit_title(stories[-1])),
        ("one story added", lambda: add_story(stories[-1])),
    ]
    rows = {}
    for name, change in steps:
        shows_change = change()
        run = measure(argv)
        unchanged = "nothing changed" in run.stdout
        if not shows_change(output) or unchanged != (name == "nothing changed"):
            raise SystemExit(f"{name}: the build did not do what was measured; it printed:\n{run.stdout}")
        rows[name] = run
        print(f"{name}: {run.seconds:.1f} s, {run.peak_mb:.0f} MB", file=sys.stderr, flush=True)
    shutil.rmtree(site)
    shutil.rmtree(content)
    return rows


def median_run(runs: Sequence[Run]) -> Run:
    """Each measure's median over repeated runs."""

    def median(measure: Callable[[Run], float]) -> float:
        return statistics.median(measure(run) for run in runs)

    return Run(median(lambda r: r.seconds), median(lambda r: r.cpu), median(lambda r: r.peak_mb), runs[-1].stdout)


# ---------------------------------------------------------------- the report


def changes(stdout: str) -> str:
    """`made 3 files, kept 14,138` or `nothing changed`, from the build's report line."""
    found = re.search(r"(nothing changed|made [^;]*)", stdout)
    return found.group(1) if found else ""


def verdict(size: int, row: str, seconds: float, ratios: tuple[float, float] | None) -> tuple[str, str]:
    """The issue's target for this row and whether it is met, or blanks."""
    if (size, row) not in TARGETS:
        return "", ""
    kind, limit = TARGETS[size, row]
    if kind == "seconds":
        return f"≤ {limit:g} s", "yes" if seconds <= limit else "**no**"
    if ratios is None:
        return f"≤ {limit:g}× Hugo", "(no Hugo)"
    ratio = ratios[0] if kind == "time" else ratios[1]
    shown = f"≤ {limit:g}× Hugo" + (" memory" if kind == "memory" else "")
    return shown, "yes" if ratio <= limit else "**no**"


def table(size: int, rows: dict[str, Run], hugo: Run | None) -> list[str]:
    """A Markdown table: every row with its ratios to Hugo's cold build and the issue's targets."""
    lines = [
        f"### {size:,} stories",
        "",
        "| build | seconds | CPU s | peak MB | × Hugo time | × Hugo CPU | × Hugo memory | target | met | report |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]

    def line(name: str, run: Run, report: str) -> str:
        """One row; a run without seconds is the memory row, which has no times."""
        ratios = (run.seconds / hugo.seconds, run.peak_mb / hugo.peak_mb) if hugo else None
        target, met = verdict(size, name, run.seconds, ratios)
        times = [f"{run.seconds:.1f}", f"{run.cpu:.1f}"] if run.seconds else ["", ""]
        timed = hugo and run.seconds
        shown = [f"{run.seconds / hugo.seconds:.2f}", f"{run.cpu / hugo.cpu:.2f}"] if timed else ["—", "—"]
        memory = f"{run.peak_mb / hugo.peak_mb:.2f}" if hugo else "—"
        cells = [name, *times, f"{run.peak_mb:.0f}", *shown, memory, target, met, report]
        return "| " + " | ".join(cells) + " |"

    if hugo:
        lines.append(line("Hugo, cold", hugo, ""))
    lines.extend(line(name, run, changes(run.stdout)) for name, run in rows.items())
    peak = max(run.peak_mb for run in rows.values())
    lines.append(line("peak memory", Run(0.0, 0.0, peak, ""), "the largest of nashra's rows"))
    return [*lines, ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, help="numbers of stories (default 1000 10000 100000)")
    parser.add_argument("--sizes", dest="more_sizes", nargs="+", type=int, default=[], help="the same, as an option")
    default_generator = shared_bench() / "gen_corpus.py"
    parser.add_argument(
        "--generator",
        type=Path,
        default=default_generator if default_generator.is_file() else None,
        required=not default_generator.is_file(),
        help="gen_corpus.py (default: ../shared/bench/gen_corpus.py beside the repository)",
    )
    parser.add_argument("--search", default="off", choices=("off", "headlines", "full"), help="site.toml search")
    parser.add_argument("--hugo", type=Path, help="the hugo binary, or a virtualenv with the hugo package")
    parser.add_argument("--no-hugo", action="store_true", help="nashra alone (Hugo takes ~1 GB per 10,000 stories)")
    parser.add_argument("--keep", type=Path, help="keep generated corpora in this folder and reuse them")
    parser.add_argument("--repeat", type=int, default=1, help="run everything N times and report medians")
    parser.add_argument(
        "--pictures",
        type=int,
        default=0,
        metavar="N",
        help="give every Nth story a drawn 1600x1000 JPEG beside it and an image: line (default 0: none)",
    )
    args = parser.parse_args()
    sizes = [*args.sizes, *args.more_sizes] or [1000, 10_000, 100_000]
    if args.pictures < 0:
        parser.error("--pictures N: N is 0 (no pictures) or more")
    hugo = None if args.no_hugo else find_hugo(args.hugo)
    peer = args.generator.parent / "peers" / "hugo"
    if hugo and not (peer / "hugo.toml.in").is_file():
        parser.error(f"{peer}/hugo.toml.in is missing: Hugo builds the corpus with the peer site beside gen_corpus.py")
    if args.hugo and hugo is None:
        parser.error(f"--hugo {args.hugo}: no hugo binary there")
    if hugo is None and not args.no_hugo:
        print("Hugo not found (pass --hugo PATH): no ratios", file=sys.stderr)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="nashra-bench-") as folder:
            scratch = Path(folder)
            corpus = corpus_for(size, args.generator, args.keep, scratch, args.pictures)
            print(f"{size:,} stories:", file=sys.stderr, flush=True)
            hugo_runs, nashra_runs = [], []
            for _ in range(args.repeat):
                if hugo:
                    hugo_runs.append(hugo_cold(hugo, peer, corpus, scratch))
                nashra_runs.append(nashra_rows(corpus, scratch, args.search))
        rows = {name: median_run([runs[name] for runs in nashra_runs]) for name in nashra_runs[0]}
        print("\n".join(table(size, rows, median_run(hugo_runs) if hugo_runs else None)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
