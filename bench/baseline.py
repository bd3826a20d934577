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

# How a module of the package reads its data files (`importlib.resources`), and the same for the
# copy: without it the revision's tagger would weigh its checks with today's fitted weights.
_OWN_DATA = b'files("nlp")'
_BASELINE_DATA = b'files("nlp_baseline")'


def tagger_at(rev: str):
    """`(extract_page, tag_learning)` of the `nlp` package as it was at git revision `rev`.

    Its modules and data files (the fitted weights) are copied out of git into a temporary
    package, `nlp_baseline`, and imported from there. Raises `subprocess.CalledProcessError`
    when `rev` is not a revision of this repository.
    """
    folder = Path(tempfile.mkdtemp(prefix="inflow-baseline-"))
    package = folder / "nlp_baseline"
    names = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", rev, "nlp/"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in names:
        source = subprocess.run(
            ["git", "show", f"{rev}:{name}"], cwd=REPO, check=True, capture_output=True
        ).stdout
        if name.endswith(".py"):  # its data files are its own, not today's package's
            source = source.replace(_OWN_DATA, _BASELINE_DATA)
        target = package / Path(name).relative_to("nlp")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source)
    sys.path.insert(0, str(folder))
    extract = importlib.import_module("nlp_baseline.extract")
    learning = importlib.import_module("nlp_baseline.learning")
    return extract.extract_page, learning.tag_learning
