"""Settings of the companion: where the journal lives, where it listens, what it accepts.

Values come from `Settings(...)` arguments (the CLI and tests) or from `INFLOW_*` environment
variables. The app reads them through the `get_settings` dependency, which tests override.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path

import platformdirs

from companion.errors import InflowError
from nlp.types import DEFAULT_MODEL

__all__ = [
    "Settings",
    "allowed_extension_ids",
    "default_data_dir",
    "extension_id",
    "get_settings",
    "pinned_extension_id",
]

_DEFAULT_WORKER_IDLE_SECONDS = 300.0
_EXTENSION_ID = re.compile(r"[a-p]{32}")  # what chrome://extensions shows as "ID"


def _worker_idle_seconds() -> float:
    """`INFLOW_WORKER_IDLE_SECONDS`, else 300. Raises `InflowError` if it is not a number ≥ 0."""
    raw = os.environ.get("INFLOW_WORKER_IDLE_SECONDS", "").strip()
    if not raw:
        return _DEFAULT_WORKER_IDLE_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also refuses NaN
        message = f"INFLOW_WORKER_IDLE_SECONDS must be a number of seconds, not {raw!r}"
        raise InflowError(message, code="invalid_setting")
    return seconds


def default_data_dir() -> Path:
    """Return `INFLOW_DATA_DIR` if set, else the platform's user data directory for Inflow."""
    env = os.environ.get("INFLOW_DATA_DIR")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir("inflow"))


def pinned_extension_id() -> str:
    """The extension id the manifest's `key` pins (the unpacked extension of this repository).

    It ships inside the package (`companion/EXTENSION_ID`), so an installed companion knows it
    away from the repository; a missing file is a broken install and raises.
    """
    return resources.files("companion").joinpath("EXTENSION_ID").read_text().strip()


def extension_id(text: str) -> str:
    """`text` if it is a Chromium extension id (32 letters a-p), else `ValueError` saying so."""
    value = text.strip()
    if not _EXTENSION_ID.fullmatch(value):
        raise ValueError(f"not a Chromium extension id (32 letters a-p): {value!r}")
    return value


def allowed_extension_ids() -> tuple[str, ...]:
    """The extension ids allowed as `chrome-extension://` origins: `INFLOW_EXTENSION_IDS`
    (comma-separated) if set, else the pinned one. `inflow serve --extension-id` adds more."""
    env = os.environ.get("INFLOW_EXTENSION_IDS")
    if env:
        return tuple(part.strip() for part in env.split(",") if part.strip())
    return (pinned_extension_id(),)


@dataclass(frozen=True)
class Settings:
    """Everything the companion needs to know to run; immutable, pass a new one to change it."""

    data_dir: Path = field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = 8765
    spacy_model: str = field(
        default_factory=lambda: os.environ.get("INFLOW_SPACY_MODEL", DEFAULT_MODEL)
    )
    max_body_bytes: int = 10 * 1024 * 1024
    max_batch: int = 500
    max_queue: int = 50_000
    extension_ids: tuple[str, ...] = field(default_factory=allowed_extension_ids)
    run_worker: bool = False
    worker_poll_seconds: float = 0.25
    worker_batch_size: int = 16
    max_attempts: int = 3
    analysis_timeout_seconds: float = 30.0
    # The worker gives its model back (exits) after this long without work; 0 = never.
    worker_idle_seconds: float = field(default_factory=_worker_idle_seconds)

    @property
    def db_path(self) -> Path:
        """The journal's SQLite file."""
        return self.data_dir / "journal.db"

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """`Host` header values accepted (anything else may be a DNS-rebinding attack)."""
        return frozenset(f"{name}:{self.port}" for name in ("127.0.0.1", "localhost", "[::1]"))

    @property
    def own_origins(self) -> frozenset[str]:
        """Origins of the companion's own pages (the weekly page calls the API from there)."""
        return frozenset(f"http://{host}" for host in self.allowed_hosts)

    def with_(self, **changes) -> Settings:
        """Return a copy with some fields changed."""
        return replace(self, **changes)

    def to_json(self) -> str:
        """These settings as JSON (how the worker process receives them); see `from_json`."""
        return json.dumps(asdict(self), default=str)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        """The settings `to_json` wrote. Raises `ValueError` (or `TypeError`) on other input."""
        values = json.loads(text)
        values["data_dir"] = Path(values["data_dir"])
        values["extension_ids"] = tuple(values["extension_ids"])
        return cls(**values)


@cache
def get_settings() -> Settings:
    """The process-wide settings (a FastAPI dependency; tests override it)."""
    return Settings()
