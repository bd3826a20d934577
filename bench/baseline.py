"""The `nlp` package as it was at a git revision, imported beside today's, for same-run baselines.

`learning_eval --baseline REV` scores that revision's tagger beside today's; `learning_cost`
times it. Both load it from here.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import REPO

__all__ = ["tagger_at"]


def tagger_at(rev: str):
    """`(extract_page, tag_learning)` of the `nlp` package as it was at git revision `rev`.

    Its modules are copied out of git into a temporary package, `nlp_baseline`, and imported from
    there. Raises `subprocess.CalledProcessError` when `rev` is not a revision of this repository.
    """
    folder = Path(tempfile.mkdtemp(prefix="inflow-baseline-"))
    package = folder / "nlp_baseline"
    package.mkdir()
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", rev, "nlp/"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in names:
        if name.endswith(".py"):
            source = subprocess.run(
                ["git", "show", f"{rev}:{name}"], cwd=REPO, check=True, capture_output=True
            ).stdout
            (package / Path(name).name).write_bytes(source)
    sys.path.insert(0, str(folder))
    extract = importlib.import_module("nlp_baseline.extract")
    learning = importlib.import_module("nlp_baseline.learning")
    return extract.extract_page, learning.tag_learning
