"""A same-run baseline is the tagger of its revision, with that revision's fitted weights."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench import REPO
from bench.baseline import tagger_at

# The tagger shipped at stop 13: its fitted weights differ from every later fit's.
_STOP_13 = "2ffe962"


def _weights_at(rev: str) -> dict | None:
    shown = subprocess.run(
        ["git", "show", f"{rev}:nlp/data/learning_weights.json"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    return json.loads(shown.stdout)["weights"] if shown.returncode == 0 else None


def test_a_baseline_revisions_tagger_weighs_its_checks_with_its_own_fitted_weights():
    then = _weights_at(_STOP_13)
    if then is None:
        pytest.skip(f"needs the git history of this repository (revision {_STOP_13})")
    tagger_at(_STOP_13)
    baseline = sys.modules["nlp_baseline.evidence"]
    from nlp.evidence import WEIGHTS

    assert baseline.WEIGHTS["prior"] == then["prior"] != WEIGHTS["prior"]
    assert all(baseline.WEIGHTS[name] == weight for name, weight in then.items())
