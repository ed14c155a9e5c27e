"""The stage between planning and writing: which outputs must be made again, and making them.

An output is kept when the previous build's manifest records the same key for it — the same
code, the same layout templates and the same digest of the data it is made from — and its file
in output/ is still the one that build wrote. Everything else is made, in worker processes when
there is much to make, into a staging folder; nothing in output/ changes until all succeeded.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jinja2 import Environment

from .config import SiteConfig
from .fingerprint import Fingerprinter
from .model import Article, Body, Tag, TagGroup
from .plan import COPY, VARIANT, Job, produce
from .state import Manifest, OutputRecord, Stamp, digest_bytes
from .write import write_file

PARALLEL_JOBS = 200  # fewer stale outputs than this are made in this process: workers cost a fork
CHUNK = 64

NO_MANIFEST = "no manifest from a previous build into this folder (first build, or the cache was removed)"
NO_OUTPUT = "the output folder is missing (removed since the last build): everything is made"
NEW_OUTPUT = "new output"
CODE_CHANGED = "nashra or a library it uses changed"
DATA_CHANGED = "the data it is made from changed (stories, tags, settings or bodies it shows)"
SOURCE_CHANGED = {COPY: "the file it is published from changed", VARIANT: "the picture it is resized from changed"}
FILE_CHANGED = "its file in output/ was changed or deleted since the last build"


@dataclass(slots=True)
class Decision:
    """What to make and what to keep: job indexes with reasons, and records of the kept outputs."""

    digests: list[str]
    stale: dict[int, str] = field(default_factory=dict)  # job index -> why it is made
    kept: dict[str, OutputRecord] = field(default_factory=dict)


def data_digests(jobs: Sequence[Job]) -> list[str]:
    """The digest of each job's kind, maker and inputs; stories, tags and settings are digested once each."""
    fingerprinter = Fingerprinter(memo_types=(Article, Tag, TagGroup, SiteConfig, Body))
    return [fingerprinter.digest((job.kind, _qualified(job.make), job.inputs())) for job in jobs]


def _qualified(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def decide(
    jobs: Sequence[Job],
    digests: list[str],
    code: str,
    templates: dict[str, str],
    previous: Manifest | None,
    on_disk: dict[str, os.stat_result],
    output_dir: Path,
    everything: str = NO_MANIFEST,
) -> Decision:
    """Compare each job's key with the previous build's record of its output; without a previous
    manifest, every job is made for the reason `everything`."""
    decision = Decision(digests)
    if previous is None:
        decision.stale = dict.fromkeys(range(len(jobs)), everything)
        return decision
    for index, job in enumerate(jobs):
        record = previous.outputs.get(job.path)
        reason = _reason(job, digests[index], record, code, templates, previous)
        if reason is None:
            assert record is not None
            stamp = intact(output_dir, job.path, record.stamp, on_disk.get(job.path), previous.saved_ns)
            if stamp is None:
                reason = FILE_CHANGED
            else:
                decision.kept[job.path] = OutputRecord(record.template, record.data, stamp)
        if reason is not None:
            decision.stale[index] = reason
    return decision


def _reason(
    job: Job, digest: str, record: OutputRecord | None, code: str, templates: dict[str, str], previous: Manifest
) -> str | None:
    if record is None:
        return NEW_OUTPUT
    if previous.code != code:
        return CODE_CHANGED
    if job.template and templates.get(job.template) != previous.templates.get(job.template):
        return f"layout {job.template} (or a template it uses) changed"
    if record.data != digest or record.template != job.template:
        return SOURCE_CHANGED.get(job.kind, DATA_CHANGED)
    return None


def intact(output_dir: Path, path: str, stamp: Stamp, stat: os.stat_result | None, saved_ns: int) -> Stamp | None:
    """The file's stamp when it is still what the previous build wrote, else None.

    Size and mtime vouch for it only when its mtime is older than the manifest; a file changed
    in the same clock tick as it was written keeps its mtime, so a younger one is read and compared.
    """
    if stat is None or stat.st_size != stamp.size:
        return None
    if stat.st_mtime_ns == stamp.mtime_ns and stat.st_mtime_ns < saved_ns:
        return stamp
    try:
        data = (output_dir / path).read_bytes()
    except OSError:
        return None
    if digest_bytes(data) != stamp.digest:
        return None
    return Stamp(stat.st_size, stat.st_mtime_ns, stamp.digest)


# ---------------------------------------------------------------- making outputs


def make(
    jobs: Sequence[Job],
    indexes: Sequence[int],
    env: Environment,
    staging: Path,
    previous_output: Path | None,
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
) -> dict[str, Stamp]:
    """Make the chosen jobs into staging; return each written path's stamp.

    Many jobs are shared among worker processes, which inherit the site and the layouts by
    forking; where forking is unsafe (other threads running, or not Linux) they are made here.
    """
    stamps: dict[str, Stamp] = {}
    report = on_done or (lambda count: None)
    workers = workers or os.cpu_count() or 1
    if len(indexes) < PARALLEL_JOBS or workers < 2 or not _can_fork():
        memo: dict[str, Any] = {}
        for index in indexes:
            job = jobs[index]
            stamps[job.path] = write_file(staging, job.path, produce(job, env, memo), previous_output)
            report(len(stamps))
        return stamps
    chunks = [list(indexes[i : i + CHUNK]) for i in range(0, len(indexes), CHUNK)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(jobs, env, staging, previous_output),
    ) as pool:
        for results in pool.map(_make_chunk, chunks):
            stamps.update(results)
            report(len(stamps))
    return stamps


def _can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


# A worker process makes jobs of the build it was forked from; this holds them for its lifetime.
_worker: dict[str, Any] = {}


def _start_worker(jobs: Sequence[Job], env: Environment, staging: Path, previous_output: Path | None) -> None:
    _worker.update(jobs=jobs, env=env, staging=staging, previous=previous_output, memo={})


def _make_chunk(indexes: list[int]) -> list[tuple[str, Stamp]]:
    jobs, env, staging, previous = _worker["jobs"], _worker["env"], _worker["staging"], _worker["previous"]
    results = []
    for index in indexes:
        job = jobs[index]
        results.append((job.path, write_file(staging, job.path, produce(job, env, _worker["memo"]), previous)))
    return results


def explain_lines(jobs: Sequence[Job], decision: Decision, wanted: Sequence[str]) -> Iterator[str]:
    """`PATH: made because …` or `PATH: kept …` for each output path asked about."""
    index_of = {job.path: index for index, job in enumerate(jobs)}
    for path in wanted:
        for candidate in output_candidates(path):
            if candidate in index_of:
                index = index_of[candidate]
                reason = decision.stale.get(index)
                yield f"{candidate}: " + (f"made: {reason}" if reason else "kept: unchanged since the last build")
                break
        else:
            yield f"{path}: not an output of this site"


def output_candidates(path: str) -> tuple[str, ...]:
    """The output files a path given on the command line may mean: `articles/x/` is `articles/x/index.html`."""
    clean = unicodedata.normalize("NFC", unquote(path)).strip("/")
    return (clean, f"{clean}/index.html") if clean else ("index.html",)
