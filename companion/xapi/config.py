"""Who the user is to an LRS, and where and how to reach it: `xapi.json` in the data folder.

The file is the user's alone (0600, like the token): it may hold the LRS password. Each value
can also come from the environment (`INFLOW_XAPI_ENDPOINT`, `INFLOW_XAPI_USERNAME`,
`INFLOW_XAPI_PASSWORD`) or from a command's flags; flags win over the environment, the
environment over the file. The password is never printed or logged (`describe` says only
whether one is set).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from companion.credentials import write_private_file
from companion.errors import BadRequest

__all__ = ["ENV", "XapiConfig", "load_config", "make_actor", "normalise_endpoint", "save_config"]

#: Environment variables that override the file, by field.
ENV = {
    "endpoint": "INFLOW_XAPI_ENDPOINT",
    "username": "INFLOW_XAPI_USERNAME",
    "password": "INFLOW_XAPI_PASSWORD",
}
_FILE = "xapi.json"
_MBOX = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")


@dataclass(frozen=True)
class XapiConfig:
    """The actor statements name, and the LRS to send them to (all optional until used)."""

    actor: dict | None = None
    endpoint: str | None = None
    username: str | None = None
    password: str | None = None

    def with_(self, **changes) -> XapiConfig:
        """A copy with the given fields replaced (a `None` keeps the current value)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def describe(self) -> dict:
        """What the user may see of the configuration: everything but the password."""
        return {
            "actor": self.actor,
            "endpoint": self.endpoint,
            "username": self.username,
            "password_set": bool(self.password),
        }


def make_actor(
    *,
    name: str | None = None,
    mbox: str | None = None,
    account_name: str | None = None,
    account_homepage: str | None = None,
) -> dict:
    """An xAPI Agent from a name and either an mbox (`mailto:…`) or an account (home page and
    name). Raises `BadRequest` when it cannot identify anyone."""
    if mbox and (account_name or account_homepage):
        raise BadRequest("give either --mbox or an account (--account-*), not both")
    agent: dict = {"objectType": "Agent"}
    if name:
        agent["name"] = name
    if mbox:
        if not _MBOX.match(mbox):
            raise BadRequest("--mbox must look like mailto:you@example.org")
        agent["mbox"] = mbox
    elif account_name or account_homepage:
        if not (account_name and account_homepage):
            raise BadRequest("an account needs both --account-homepage and --account-name")
        if urlsplit(account_homepage).scheme not in ("http", "https"):
            raise BadRequest("--account-homepage must be an http(s) URL")
        agent["account"] = {"homePage": account_homepage, "name": account_name}
    else:
        raise BadRequest(
            "say who you are: --mbox mailto:… or --account-homepage and --account-name"
        )
    return agent


def normalise_endpoint(endpoint: str) -> str:
    """The LRS's xAPI base URL, ending in `/` (a `…/statements` URL is cut back to its base).

    Raises `BadRequest` for anything but an http(s) URL without credentials in it.
    """
    parts = urlsplit(endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadRequest(
            "the LRS endpoint must be an http(s) URL, like https://lrs.example.org/xapi/"
        )
    if parts.username or parts.password:
        raise BadRequest("put the LRS credentials in --username/--password, not in the endpoint")
    path = parts.path.rstrip("/")
    if path.endswith("/statements"):
        path = path[: -len("/statements")]
    return parts._replace(path=path + "/", query="", fragment="").geturl()


def _path(data_dir: Path) -> Path:
    return data_dir / _FILE


def load_config(data_dir: Path, *, environ: dict | None = None) -> XapiConfig:
    """The saved configuration, overridden by the `ENV` variables that are set.

    Raises `BadRequest` when the file is not valid JSON (it says which file).
    """
    environ = os.environ if environ is None else environ
    try:
        saved = json.loads(_path(data_dir).read_text())
    except FileNotFoundError:
        saved = {}
    except (OSError, ValueError) as exc:
        raise BadRequest(f"{_path(data_dir)} cannot be read as JSON; fix or delete it") from exc
    fields = {key: saved.get(key) for key in ("actor", "endpoint", "username", "password")}
    fields |= {key: environ[var] for key, var in ENV.items() if environ.get(var)}
    if fields["endpoint"]:
        fields["endpoint"] = normalise_endpoint(fields["endpoint"])
    return XapiConfig(**fields)


def save_config(data_dir: Path, config: XapiConfig) -> None:
    """Write the configuration to `xapi.json` in `data_dir`, readable by the user only."""
    content = {key: value for key, value in asdict(config).items() if value}
    write_private_file(_path(data_dir), json.dumps(content, indent=2) + "\n")
