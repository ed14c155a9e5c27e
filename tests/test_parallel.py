"""Large sites are read in worker processes; the result must not depend on it."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SITE_TOML, article_text, files_of, run_cli, write_tree

from nashra.collect import PARALLEL_THRESHOLD


def test_parallel_build_from_the_command_line_equals_a_sequential_one(tmp_path: Path, monkeypatch) -> None:
    count = PARALLEL_THRESHOLD + 10
    files = {
        f"content/{i:04d}.md": article_text(
            title=f"خبر رقم {i}", date=f"2025-06-{1 + i % 28:02d}", tags=f"[وسم{i % 7}]"
        )
        for i in range(count)
    }
    write_tree(tmp_path, {"site.toml": SITE_TOML, **files})
    env_epoch = "1752537600"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--config", "site.toml", "--output", "parallel", "--no-cache"],
        cwd=tmp_path,
        env={"SOURCE_DATE_EPOCH": env_epoch, "PATH": "", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert f"{count} articles" in result.stdout

    monkeypatch.setenv("SOURCE_DATE_EPOCH", env_epoch)
    monkeypatch.setattr("nashra.collect.PARALLEL_THRESHOLD", 10**9)  # force the sequential path
    sequential = run_cli(["--config", str(tmp_path / "site.toml"), "--output", str(tmp_path / "sequential")])
    assert sequential.code == 0, sequential.err
    assert files_of(tmp_path / "parallel") == files_of(tmp_path / "sequential")


def test_parallel_read_beside_other_threads_uses_a_fork_server(tmp_path: Path) -> None:
    """As under `serve`: a build started while server threads run must not fork the threaded process."""
    import threading

    from conftest import make_config

    from nashra.collect import _worker_context, prepare_all

    files = {f"{i:04d}.md": article_text(title=f"خبر {i}", tags="[وسم]") for i in range(PARALLEL_THRESHOLD + 5)}
    write_tree(tmp_path / "content", files)
    config = make_config(tmp_path)
    stop = threading.Event()
    server = threading.Thread(target=stop.wait, daemon=True)
    server.start()
    try:
        assert _worker_context().get_start_method() == "forkserver"
        parallel = prepare_all(config, workers=2)
    finally:
        stop.set()
        server.join()
    assert parallel == prepare_all(config, workers=1)
