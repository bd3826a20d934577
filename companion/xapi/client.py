"""Send statements to a Learning Record Store (xAPI 1.0.3 `statements` resource), with urllib.

`LrsClient.send(statements)` posts them in batches of `BATCH_SIZE` and sorts each statement into
one of three outcomes: **sent** (the LRS stored it now), **already there** (the LRS held that
id: a POST answered without it, 204, or 409 for it alone) or **failed** (with the LRS's reason).

- A batch the LRS refuses as a whole (400, 409, 413 …) is sent again one statement at a time
  (each a batch of one, through the same POST and its validation), so one bad statement is
  reported and the others still go; 409 for a single statement means the LRS holds that id.
- Network faults, 429 and 5xx are retried after `RETRY_DELAYS`; an LRS that still cannot be
  reached raises `LrsUnreachable`. 401/403 raise `LrsAuthFailed` naming the endpoint. Outcomes
  already known when it raises have been handed to `on_outcomes`, batch by batch, so the caller
  records exactly what the LRS holds.

Nothing here logs: not the endpoint, not the credentials, not a statement.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from companion.errors import BadGateway

__all__ = [
    "BATCH_SIZE",
    "RETRY_DELAYS",
    "XAPI_VERSION",
    "LrsAuthFailed",
    "LrsClient",
    "LrsUnreachable",
    "Outcome",
    "SendReport",
]

XAPI_VERSION = "1.0.3"
BATCH_SIZE = 50
#: Seconds to wait before each retry of a request that met a network fault, 429 or 5xx.
RETRY_DELAYS = (0.5, 2.0)
TIMEOUT_SECONDS = 30.0
_REASON_CHARS = 300


class LrsUnreachable(BadGateway):
    """The LRS could not be reached (or kept failing) after every retry."""

    code = "lrs_unreachable"


class LrsAuthFailed(BadGateway):
    """The LRS refused the credentials (401) or the permission to write (403)."""

    code = "lrs_auth_failed"


@dataclass(frozen=True)
class Outcome:
    """What became of one statement: `status` is sent, already_there or failed."""

    statement_id: str
    status: str
    reason: str | None = None


@dataclass
class SendReport:
    """Every statement's outcome, in the order they were given."""

    endpoint: str
    outcomes: list[Outcome] = field(default_factory=list)

    def ids(self, status: str) -> list[str]:
        """The statement ids with this outcome."""
        return [o.statement_id for o in self.outcomes if o.status == status]

    def to_dict(self) -> dict:
        """`{"endpoint", "sent", "already_there", "failed": [{"statement_id", "reason"}]}`."""
        return {
            "endpoint": self.endpoint,
            "sent": self.ids("sent"),
            "already_there": self.ids("already_there"),
            "failed": [
                {"statement_id": o.statement_id, "reason": o.reason}
                for o in self.outcomes
                if o.status == "failed"
            ],
        }


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes

    def stored_ids(self) -> set[str] | None:
        """The ids a 200 answer to a POST lists (xAPI: the stored ones), or None if it lists
        none readable."""
        try:
            data = json.loads(self.body)
        except ValueError:
            return None
        if isinstance(data, list) and all(isinstance(i, str) for i in data):
            return set(data)
        return None

    def reason(self) -> str:
        """The LRS's own words (`detail`, `message`, `error` or the text), shortened."""
        text = self.body.decode("utf-8", "replace").strip()
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            for key in ("detail", "message", "error"):
                if data.get(key):
                    text = data[key] if isinstance(data[key], str) else json.dumps(data[key])
                    break
        return f"{self.status}: {text[:_REASON_CHARS] or 'no reason given'}"


class LrsClient:
    """A client of one LRS endpoint (its xAPI base URL, ending in `/`)."""

    def __init__(
        self,
        endpoint: str,
        *,
        username: str | None = None,
        password: str | None = None,
        retry_delays: tuple[float, ...] | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ):
        self.endpoint = endpoint
        self._statements = endpoint + "statements"
        self._headers = {
            "X-Experience-API-Version": XAPI_VERSION,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        if username or password:
            pair = f"{username or ''}:{password or ''}".encode()
            self._headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        self._retry_delays = RETRY_DELAYS if retry_delays is None else retry_delays
        self._timeout = timeout
        self._opener = urllib.request.build_opener()

    def send(
        self,
        statements: list[dict],
        *,
        on_outcomes: Callable[[list[Outcome]], None] | None = None,
    ) -> SendReport:
        """Send `statements` in batches; return every one's outcome.

        `on_outcomes` is called with each batch's outcomes as soon as they are known.
        Raises `LrsUnreachable` or `LrsAuthFailed` (see the module docstring).
        """
        report = SendReport(self.endpoint)
        for start in range(0, len(statements), BATCH_SIZE):
            outcomes = self._send_batch(statements[start : start + BATCH_SIZE])
            report.outcomes += outcomes
            if on_outcomes:
                on_outcomes(outcomes)
        return report

    def _send_batch(self, batch: list[dict], *, retry: bool = True) -> list[Outcome]:
        reply = self._post(batch, retry=retry)
        if reply.status == 200:
            stored = reply.stored_ids()
            if stored is None:  # stored, said so without the ids
                stored = {s["id"] for s in batch}
            return [
                Outcome(s["id"], "sent" if s["id"] in stored else "already_there") for s in batch
            ]
        if reply.status == 204:
            return [Outcome(s["id"], "already_there") for s in batch]
        if len(batch) > 1:
            # Refused as a whole: find out which one by sending each alone. After a 5xx that
            # outlived the retries (some LRSs answer 500 to one malformed statement), each is
            # tried once, so an LRS that is really broken costs one request per statement.
            again = reply.status < 500 and reply.status != 429
            return [outcome for s in batch for outcome in self._send_batch([s], retry=again)]
        if reply.status == 409:  # the LRS holds this id already (with other content)
            return [Outcome(batch[0]["id"], "already_there")]
        return [Outcome(batch[0]["id"], "failed", reply.reason())]

    def _post(self, batch: list[dict], *, retry: bool) -> _Reply:
        """POST one batch, retried (if `retry`) on network faults, 429 and 5xx; raises on
        401/403 or when the LRS stays unreachable."""
        body = json.dumps(batch).encode()
        fault = ""
        for delay in (*(self._retry_delays if retry else ()), None):
            request = urllib.request.Request(
                self._statements, data=body, method="POST", headers=self._headers
            )
            try:
                with self._opener.open(request, timeout=self._timeout) as response:
                    reply = _Reply(response.status, response.read())
            except urllib.error.HTTPError as exc:
                reply = _Reply(exc.code, exc.read())
            except (urllib.error.URLError, OSError) as exc:
                reply = None
                fault = str(getattr(exc, "reason", exc)) or exc.__class__.__name__
            if reply is not None and reply.status in (401, 403):
                raise LrsAuthFailed(
                    f"the LRS at {self.endpoint} refused these credentials ({reply.status}): "
                    "check --username/--password (or INFLOW_XAPI_USERNAME/PASSWORD)"
                )
            if reply is not None and reply.status < 500 and reply.status != 429:
                return reply
            if delay is None:
                break
            time.sleep(delay)
        if reply is None:
            raise LrsUnreachable(
                f"the LRS at {self.endpoint} cannot be reached ({fault}); what it did not "
                "confirm is not marked as sent: send again when it is up"
            )
        return reply
