"""Build the extension's store packages: `make extension` runs this.

- Chrome Web Store: a zip of `manifest.json` and `extension/`, without the manifest's `key`
  (the store refuses a package that carries one; it pins the id only for unpacked loading).
- Firefox Add-ons: the same files, packaged by `web-ext build` (pinned in tests/extension).

Usage: python tests/extension/package_extension.py [--out dist]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WEB_EXT = REPO / "tests" / "extension" / "node_modules" / ".bin" / "web-ext"
#: Files of extension/ that are documentation for people, not part of the add-on.
LEFT_OUT = {"PERMISSIONS.md"}


def stage(into: Path) -> dict:
    """Copy the add-on's files into `into` with the store manifest; return that manifest."""
    manifest = json.loads((REPO / "manifest.json").read_text())
    manifest.pop("key", None)
    (into / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    shutil.copytree(REPO / "extension", into / "extension", ignore=lambda _, names: LEFT_OUT)
    return manifest


def chrome_zip(stage_dir: Path, target: Path) -> None:
    """Zip the staged files (paths relative to the add-on's root, as the store expects)."""
    target.unlink(missing_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(stage_dir.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(stage_dir).as_posix())


def firefox_package(stage_dir: Path, target: Path) -> None:
    """Package the staged files with `web-ext build`."""
    if not WEB_EXT.exists():
        sys.exit(f"web-ext is missing at {WEB_EXT}: run `make node-tools` first")
    subprocess.run(
        [
            str(WEB_EXT),
            "build",
            "--source-dir",
            str(stage_dir),
            "--artifacts-dir",
            str(target.parent),
            "--filename",
            target.name,
            "--overwrite-dest",
            "--no-config-discovery",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "NO_UPDATE_NOTIFIER": "1"},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="folder of the packages")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        stage_dir = Path(tmp)
        version = stage(stage_dir)["version"]
        chrome = args.out / f"inflow-chrome-{version}.zip"
        firefox = args.out / f"inflow-firefox-{version}.zip"
        chrome_zip(stage_dir, chrome)
        firefox_package(stage_dir, firefox.absolute())
    print(f"built {chrome} and {firefox}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
