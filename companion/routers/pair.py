"""`POST /api/v1/pair`: the extension exchanges the one-time code from `inflow pair` for the token.

This route needs no token (it is how the token is obtained), but the security gate still
refuses web-page origins, so only the extension (or the CLI) can redeem a code.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from companion import __version__
from companion.credentials import redeem_pairing_code
from companion.errors import Forbidden
from companion.schemas import PairRequest

router = APIRouter(prefix="/api/v1", tags=["pairing"])


@router.post("/pair")
def pair(body: PairRequest, request: Request) -> dict:
    """Return the API token for a valid, unused, unexpired pairing code (403 otherwise)."""
    origin = request.headers.get("origin", "")
    if not origin.startswith(("chrome-extension://", "moz-extension://")):
        raise Forbidden(
            "pairing is done by the browser extension: run `inflow pair` and open the URL",
            code="not_extension",
        )
    settings = request.app.state.settings
    if not redeem_pairing_code(settings.data_dir, body.code):
        raise Forbidden(
            "this pairing code is unknown, used or expired; run `inflow pair` again",
            code="bad_pairing_code",
        )
    return {"token": request.app.state.token, "companion_version": __version__}
