"""A real LRS for the xAPI tests and the weekly page's Share step: Ralph 5.1 on a loopback port,
from its own venv (`.venv-lrs`); `tests/conftest.py` offers its fixtures to every test.

`make test` builds that venv (`make lrs`) and sets `INFLOW_REQUIRE_LRS=1`, so there (and in CI)
a missing LRS fails the tests; a bare `pytest` run without it skips them and says why.
Every statement the tests produce is also checked with Ralph's models (`validate_statements`).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support import REPO, free_port

LRS_DIR = REPO / "tests" / "xapi" / "lrs"
LRS_PYTHON = REPO / ".venv-lrs" / "bin" / "python"
LRS_USER, LRS_PASSWORD = "inflow-tests", "a-test-secret"
_START_TIMEOUT_S = 60


@pytest.fixture(scope="session")
def lrs_python() -> Path:
    """The LRS venv's python, or skip (outside `make test`) / fail (in it) with the reason."""
    if LRS_PYTHON.exists():
        return LRS_PYTHON
    reason = f"the test LRS (Ralph) is not installed at {LRS_PYTHON.parent.parent}: run `make lrs`"
    if os.environ.get("INFLOW_REQUIRE_LRS") or os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def validate_statements(lrs_python: Path):
    """Check statements with Ralph's `BaseXapiStatement`; fails the test naming what is wrong."""

    def validate(statements: list[dict]) -> None:
        assert statements, "nothing to validate"
        done = subprocess.run(
            [str(lrs_python), str(LRS_DIR / "validate.py")],
            input=json.dumps(statements),
            capture_output=True,
            text=True,
            timeout=120,
        )
        results = [json.loads(line) for line in done.stdout.splitlines()]
        invalid = [r for r in results if r["errors"]]
        assert done.returncode == 0 and not invalid, invalid or done.stderr
        assert len(results) == len(statements)

    return validate


@dataclass
class Lrs:
    """A running Ralph LRS: its xAPI endpoint and the user `ralph auth` made."""

    endpoint: str
    process: subprocess.Popen
    store: Path
    port: int
    username: str = LRS_USER
    password: str = LRS_PASSWORD

    def statements(self) -> list[dict]:
        """Every statement the LRS holds (`GET /xAPI/statements`, following `more`)."""
        found, url = [], self.endpoint + "statements?limit=500"
        with httpx.Client(auth=(self.username, self.password), timeout=30) as client:
            while url:
                reply = client.get(url, headers={"X-Experience-API-Version": "1.0.3"})
                reply.raise_for_status()
                body = reply.json()
                found += body["statements"]
                more = body.get("more")
                url = self.endpoint.split("/xAPI/")[0] + more if more else None
        return found


def _wait_until_up(lrs: Lrs) -> None:
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        if lrs.process.poll() is not None:
            raise RuntimeError(f"the test LRS exited with {lrs.process.returncode}")
        try:
            lrs.statements()
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the test LRS did not answer in time")


@pytest.fixture(scope="session")
def lrs_factory(lrs_python: Path, tmp_path_factory) -> Iterator:
    """Start Ralph LRSs (file-system backend, one user made by `ralph auth`); all are stopped
    after the session. `start(store=None)` reuses a store folder to restart the same LRS."""
    base = tmp_path_factory.mktemp("lrs")
    env = os.environ | {
        "RALPH_APP_DIR": str(base / "app"),
        "RALPH_AUTH_FILE": str(base / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
    }
    subprocess.run(
        [str(lrs_python.parent / "ralph"), "auth", "-u", LRS_USER, "-p", LRS_PASSWORD]
        + ["-s", "all", "-M", "mailto:inflow-tests@example.org", "-w"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    started: list[Lrs] = []

    def start(store: Path | None = None, port: int | None = None) -> Lrs:
        store = store or base / f"store-{len(started)}"
        store.mkdir(exist_ok=True)
        port = port or free_port()
        process = subprocess.Popen(
            [str(lrs_python), str(LRS_DIR / "launcher.py"), str(port)],
            env=env | {"RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(store)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        lrs = Lrs(f"http://127.0.0.1:{port}/xAPI/", process, store, port)
        started.append(lrs)
        _wait_until_up(lrs)
        return lrs

    yield start
    for lrs in started:
        if lrs.process.poll() is None:
            lrs.process.terminate()
            lrs.process.wait(timeout=30)


@pytest.fixture(scope="session")
def lrs(lrs_factory) -> Lrs:
    """One running LRS shared by the tests (they tell their statements apart by id)."""
    return lrs_factory()
