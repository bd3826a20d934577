"""The few pages the companion serves to the browser: they hold no data of their own."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import FileResponse

from companion.errors import NotFound

__all__ = ["STATIC", "html_page", "router"]

router = APIRouter(tags=["pages"], include_in_schema=False)

#: The pages and their assets: package data, so an installed companion has them too.
STATIC = resources.files("companion") / "static"
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
}


def html_page(name: str) -> FileResponse:
    """One of the companion's pages (`companion/static/NAME`), with the pages' safe headers."""
    return FileResponse(STATIC / name, media_type="text/html", headers=_HEADERS)


@router.get("/")
def index() -> FileResponse:
    """A short page saying the companion runs, and what to do next."""
    return html_page("index.html")


@router.get("/pair")
def pairing_page() -> FileResponse:
    """The page `inflow pair` opens; the extension's content script does the pairing on it."""
    return html_page("pair.html")


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    """The pages' scripts and styles (a flat folder: no paths, no listing)."""
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        raise NotFound("no such file")
    return FileResponse(path, headers={"Cache-Control": "no-cache"})
