"""The wheel, built from a clean copy of the sources and installed into a fresh venv, works away
from the repository: pairing with the real extension and capturing, run from another folder.

Building and installing take ~30 s (pip's cache holds the dependencies); both tests share them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.browser.harness import EXTENSION_ID, Browser, Companion, free_port, wait_for
from tests.support import REPO

#: What the installed companion reads from its own package (importlib.resources).
PACKAGE_DATA = {
    "companion/EXTENSION_ID",
    "companion/static/pair.html",
    "companion/static/week/sections.js",
    "nlp/data/concept_weights.json",
    "nlp/data/concept_trees.json",
}


def _run(*command: str | Path, cwd: Path) -> None:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, (
        f"{command[:3]} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build --wheel` on a copy of the files git knows (a clean clone's content)."""
    root = tmp_path_factory.mktemp("wheel")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    source = root / "source"
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", root / "dist", source, cwd=root)
    (built,) = (root / "dist").glob("inflow-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (outside the repository) with the wheel installed; returns its bin folder."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    _run(env_dir / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=env_dir)
    return env_dir / "bin"


def test_the_wheel_carries_what_the_companion_reads_and_nothing_of_the_repository(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert names >= PACKAGE_DATA
    assert not {n for n in names if n.startswith(("tests/", "extension/", "bench/"))}


def test_the_installed_companion_knows_the_pinned_extension_away_from_the_repository(
    installed, tmp_path
):
    script = "from companion.settings import Settings; print(*Settings().extension_ids)"
    result = subprocess.run(
        [installed / "python", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith(("INFLOW_", "PYTHON"))},
        check=True,
    )
    assert result.stdout.split() == [EXTENSION_ID]
    origin = subprocess.run(
        [installed / "python", "-c", "import companion; print(companion.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert not Path(origin.strip()).is_relative_to(REPO)


@pytest.mark.browser
def test_the_installed_companion_pairs_with_the_extension_and_receives_a_capture(
    installed, browser: Browser, site: str, tmp_path
):
    assert "INFLOW_EXTENSION_IDS" not in os.environ  # the pinned id must come from the package
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    companion = Companion(
        tmp_path / "data", free_port(), inflow=installed / "inflow", cwd=elsewhere
    ).start()
    try:
        url = companion.cli("pair", "--port", str(companion.port)).split()[0]
        page = browser.context.new_page()
        page.goto(url)
        page.wait_for_selector("html[data-paired='true']", state="attached", timeout=60_000)

        browser.settings(snapshotSeconds=2, updateEverySeconds=2, minVisitSeconds=1)
        reader = browser.context.new_page()
        reader.goto(f"{site}/sqlite-wal.html?t=installed-wheel")
        (capture,) = wait_for(
            lambda: companion.captures_of("t=installed-wheel"), what="a capture from the browser"
        )
        processed = wait_for(
            lambda: (
                (c := companion.capture(capture["id"]))["status"] == "processed"
                and (c.get("document") or {}).get("word_count", 0) > 0
                and c
            ),
            timeout=180,
            what="the installed worker to analyse the page's snapshot",
        )
        texts = [c["text"].lower() for c in processed["concepts"]]
        assert any("wal" in t or "write-ahead" in t for t in texts), texts
    finally:
        companion.stop()
    assert list(elsewhere.iterdir()) == []  # nothing written beside the working folder
