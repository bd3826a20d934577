"""The per-install API token and the one-time pairing codes that hand it to the extension.

Both live in the data directory with user-only permissions (0600). The token never appears in a
URL: `inflow pair` prints a short-lived single-use code, which only the extension's origin can
exchange for the token (see `routers/pair.py` and the Origin check in `security.py`).
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import time
from pathlib import Path

__all__ = [
    "PAIRING_TTL_SECONDS",
    "create_pairing_code",
    "load_or_create_token",
    "redeem_pairing_code",
    "tokens_match",
    "write_private_file",
]

PAIRING_TTL_SECONDS = 600


def write_private_file(path: Path, content: str) -> None:
    """Write `content` to `path` atomically, readable by the user only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    os.replace(tmp, path)


def load_or_create_token(data_dir: Path) -> str:
    """Return the install's API token, creating it (random, 0600) on first use."""
    path = data_dir / "token"
    try:
        token = path.read_text().strip()
        if token:
            return token
    except FileNotFoundError:
        pass
    token = secrets.token_urlsafe(32)
    write_private_file(path, token + "\n")
    return token


def tokens_match(given: str, expected: str) -> bool:
    """Compare two tokens in constant time."""
    return hmac.compare_digest(given.encode(), expected.encode())


def _pairing_path(data_dir: Path) -> Path:
    return data_dir / "pairing.json"


def _read_codes(data_dir: Path) -> dict[str, float]:
    try:
        return {k: float(v) for k, v in json.loads(_pairing_path(data_dir).read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def create_pairing_code(data_dir: Path, *, now: float | None = None) -> str:
    """Create a single-use pairing code valid for `PAIRING_TTL_SECONDS`; return it."""
    now = time.time() if now is None else now
    codes = {c: exp for c, exp in _read_codes(data_dir).items() if exp > now}
    code = secrets.token_urlsafe(16)
    codes[code] = now + PAIRING_TTL_SECONDS
    write_private_file(_pairing_path(data_dir), json.dumps(codes))
    return code


def redeem_pairing_code(data_dir: Path, code: str, *, now: float | None = None) -> bool:
    """Consume `code`; return True if it was valid and unexpired (it can never be used again)."""
    now = time.time() if now is None else now
    codes = _read_codes(data_dir)
    valid = any(tokens_match(code, known) and exp > now for known, exp in codes.items())
    remaining = {c: exp for c, exp in codes.items() if exp > now and not tokens_match(code, c)}
    if valid or len(remaining) != len(codes):
        write_private_file(_pairing_path(data_dir), json.dumps(remaining))
    return valid
